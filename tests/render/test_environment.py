"""The site's Jinja environment prints values exactly as markupsafe escapes them, looks up attributes and calls
macros as stock Jinja does, and one entry's files share views."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError, pass_context, select_autoescape
from markupsafe import Markup, escape

import site_builder.render.environment as environment
from site_builder.build.pipeline import plan_site
from site_builder.model.site import load_site
from site_builder.render.entryviews import roadmap_views
from site_builder.render.environment import make_environment
from site_builder.render.pages import render_pages
from site_builder.render.status import RECENT, SiteStatus
from tests.helpers.sites import REPO

SOURCE = '<p title="{{ value }}">{{ value }}</p>{% macro m(v) %}[{{ v }}]{% endmacro %}{{ m(value) }}'
PLAIN = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


def _stock(**options: object) -> Environment:
    """Stock Jinja with the site's settings."""
    return Environment(
        autoescape=select_autoescape(default=True, default_for_string=True), undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, **options,  # type: ignore[arg-type]
    )  # fmt: skip


STRICT = _stock()


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


class _Failing:
    """An attribute whose property fails with AttributeError falls back to the item, as in Environment.getattr."""

    @property
    def title(self) -> str:
        raise AttributeError("title")

    def __getitem__(self, key: str) -> str:
        return f"item {key}"


LOOKUPS = [
    ("{{ value.title }}", {"value": {"title": "ключ словаря"}}),
    ("{{ value.title }}", {"value": _Failing()}),
    ("{{ value.real }}|{{ value.imag }}", {"value": 3}),
    ("{{ value.a.b.c }}", {"value": {"a": {"b": {"c": "глубоко <3>"}}}}),
    ("{% if value.missing is defined %}да{% else %}нет{% endif %}", {"value": {}}),
    ("{{ (value or other).name }}", {"value": None, "other": {"name": "второе"}}),
    ("{{ value.count }}|{{ value.keys is callable }}", {"value": {"count": 2, "keys": "не метод"}}),
]


@pytest.mark.parametrize(("source", "values"), LOOKUPS)
def test_attributes_are_found_as_stock_jinja_finds_them(source: str, values: dict[str, object]) -> None:
    assert make_environment().from_string(source).render(values) == STRICT.from_string(source).render(values)


@pytest.mark.parametrize("source", ["{{ value.missing }}", "{{ value.missing.deeper }}", "{{ absent.name }}"])
def test_a_missing_attribute_is_an_error_as_before(source: str) -> None:
    for env in (make_environment(), STRICT):
        with pytest.raises(UndefinedError):
            env.from_string(source).render(value={"present": 1})


def test_an_attributes_object_is_evaluated_once() -> None:
    calls: list[int] = []

    def made() -> dict[str, str]:
        calls.append(1)
        return {"name": "словарь"}

    assert make_environment().from_string("{{ made().name }}").render(made=made) == "словарь"
    assert len(calls) == 1


MACROS = """{% macro m(a, b="по умолчанию", c=none) %}[{{ a }}|{{ b }}|{{ c }}|{{ varargs }}|{{ kwargs }}]{% endmacro %}
{% macro wrap(title) %}<{{ title }}:{{ caller(title | upper) }}>{% endmacro %}
{{ m(1) }}{{ m("x", c="<c>") }}{{ m(1, 2, 3, 4, five=5) }}
{% call(shown) wrap("рамка") %}внутри {{ shown }}{% endcall %}
{% for item in items %}{% set doubled = item * 2 %}{{ m(item, doubled) }}{{ peek() }}{% endfor %}
{{ stop() is defined }}"""


def test_macros_and_context_functions_are_called_as_stock_jinja_calls_them() -> None:
    @pass_context
    def peek(context: object) -> str:
        return f"({context.get('doubled')})"  # type: ignore[attr-defined]

    def stop() -> str:
        raise StopIteration

    values = {"items": [1, 2], "peek": peek, "stop": stop}
    ours = make_environment().from_string(MACROS).render(values)
    assert ours == STRICT.from_string(MACROS).render(values)
    assert "(2)" in ours and "[1|по умолчанию|None|()|{}]" in ours


PLAIN_MACRO = '{% macro p(a, b="<по умолчанию>") %}[{{ a }}|{{ b }}]{% endmacro %}'


def test_a_macro_called_with_positional_arguments_only_is_what_stock_jinja_makes() -> None:
    # p takes neither varargs, kwargs nor caller: called with positional arguments only, its body is called
    # directly (the ones not given missing), with keywords through Macro.__call__.
    calls = "{{ p(1) }}{{ p('<x>', b=2) }}{{ p(b=3, a=4) }}{{ p(*pair) }}{{ p(1, none) }}{{ p(1) | length }}"
    source = f"{PLAIN_MACRO}{calls}{{% set m = p('<y>') %}}{{{{ m }}}} {{{{ m.upper() }}}}"
    ours = make_environment().from_string(source).render(pair=["a&b", Markup("<i>")])
    assert ours == STRICT.from_string(source).render(pair=["a&b", Markup("<i>")])
    assert "[1|&lt;по умолчанию&gt;]" in ours and "[a&amp;b|<i>]" in ours


@pytest.mark.parametrize(("call", "error"), [("p()", UndefinedError), ("p(1, 2, 3)", TypeError)])
def test_a_macro_called_wrongly_fails_as_in_stock_jinja(call: str, error: type[Exception]) -> None:
    source = f"{PLAIN_MACRO}{{{{ {call} }}}}"
    with pytest.raises(error) as stock:
        STRICT.from_string(source).render()
    with pytest.raises(error, match=f"^{re.escape(str(stock.value))}$"):
        make_environment().from_string(source).render()


def test_every_page_of_a_shipped_site_is_what_stock_jinja_renders() -> None:
    site = load_site(REPO / "examples" / "shakhty")
    as_of = dt.date(2023, 10, 1)
    planned = plan_site(site, as_of)
    ours = make_environment()
    stock = _stock(loader=ours.loader)
    stock.globals.update(ours.globals)
    stock.filters.update(ours.filters)
    pages = dict(render_pages(ours, site, planned.pages, as_of, planned.assets))
    assert len(pages) > 5
    assert pages == dict(render_pages(stock, site, planned.pages, as_of, planned.assets))
