"""The site's Jinja environment prints values exactly as markupsafe escapes them, and one entry's files share views."""

from __future__ import annotations

import datetime as dt

import pytest
from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

import site_builder.render.environment as environment
from site_builder.model.site import load_site
from site_builder.render.entryviews import roadmap_views
from site_builder.render.environment import make_environment
from site_builder.render.status import RECENT, SiteStatus
from tests.helpers.sites import REPO

SOURCE = '<p title="{{ value }}">{{ value }}</p>{% macro m(v) %}[{{ v }}]{% endmacro %}{{ m(value) }}'
PLAIN = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


@pytest.mark.parametrize(
    "value",
    ["Школа № 5 «Ёлочка» & <b>", "it's \"quoted\"", "", 57.0, 12, 0.1 + 0.2, True, None, Markup("<em>x</em>"),
     ["a<b"], dt.date(2022, 12, 1)],
)  # fmt: skip
def test_printed_values_are_escaped_as_markupsafe_does(value: object) -> None:
    ours = make_environment().from_string(SOURCE).render(value=value)
    assert ours == PLAIN.from_string(SOURCE).render(value=value)


def test_an_entrys_views_are_shared_and_only_the_last_few_kept() -> None:
    site = load_site(REPO / "examples" / "shakhty")
    statuses = SiteStatus(site, dt.date(2023, 10, 1))
    entry = site.roadmaps[0]
    views = roadmap_views(entry, statuses)
    assert roadmap_views(entry, statuses) is views
    assert views.table is roadmap_views(entry, statuses).table
    for index in range(RECENT):
        statuses.recent(("other", index), object)
    assert roadmap_views(entry, statuses) is not views


class _Shown:
    def __html__(self) -> str:
        return "<b>готово</b>"

    def __str__(self) -> str:
        return "<не это>"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "план & отчёт <2023> «Ш» 'a' \"b\"",
        "&amp;",
        12,
        -3.5,
        True,
        None,
        Markup("<i>x</i>"),
        _Shown(),
        ["<"],
    ],
)
def test_printed_values_are_escaped_as_markupsafe_escapes_them(value: object) -> None:
    assert environment._escaped_text(value) == str(escape(value))


def test_the_fallback_escaping_is_the_compiled_one() -> None:
    text = "".join(chr(code) for code in range(0x20, 0x500)) * 3
    assert environment._replace_specials(text) == environment._escape_str(text) == str(escape(text))
