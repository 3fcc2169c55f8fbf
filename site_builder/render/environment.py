"""The one Jinja2 environment pages, print documents and fragments are rendered with: autoescape on, undefined
names an error (StrictUndefined), and the globals and filters templates may use to present (never to compute)."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context, Macro
from markupsafe import Markup

from site_builder import __version__
from site_builder.core.addresses import absolute_url
from site_builder.core.resources import TEMPLATES_DIR
from site_builder.core.russian import russian_date
from site_builder.render.publish import atom_time
from site_builder.render.status import Progress
from site_builder.render.views import evidence_links


@pass_context
def _url(context: Context, target: str) -> str:
    """A link relative to the page being rendered, so the site works from disk and under any sub-path.

    A page served at any address (404.html) gets absolute links instead, when the base URL is known.
    """
    if context["served_anywhere"] and context["config"].base_url:
        return absolute_url(context["config"].base_url, target)
    here = posixpath.dirname(context["page_path"])
    if target.endswith("/") or target == "":
        return posixpath.relpath(target or ".", here or ".") + "/"
    return posixpath.relpath(target, here or ".")


@pass_context
def _asset(context: Context, name: str) -> str:
    return _url(context, context["assets"].names[name])


@pass_context
def _absolute(context: Context, target: str) -> str:
    """The absolute address of an output file: for canonical links, Open Graph, the sitemap and the feed."""
    return absolute_url(context["config"].base_url, target)


def _card_list() -> Callable[..., Markup]:
    """The `card_list` of one environment: the landing page's list items, each kept while it would come out the same.

    A national site lists thousands of roadmaps there and the live preview renders the page after every save.
    An item is what the template's `card` macro makes of (entry, progress, id); _cards.html's macros read
    nothing else but the page's own settings, which the kept items are checked against. A changed template
    means a new environment (see caches.TemplateIndex), so a changed macro never meets old items.
    """
    kept: dict[str, tuple[tuple[object, ...], list[tuple[object, Progress, Markup]]]] = {}

    @pass_context
    def card_list(
        context: Context, entries: list[Any], progress: dict[str, Progress], card: Macro, prefix: str
    ) -> Markup:
        settings = (context["page_path"], context["served_anywhere"], context["config"], context["levels"])
        old_settings, old_items = kept.get(prefix, ((), []))
        same = len(old_settings) == len(settings) and all(
            a is b for a, b in zip(old_settings, settings, strict=True)
        )
        items = []
        for index, entry in enumerate(entries):
            shown = progress[entry.url]
            old = old_items[index] if same and index < len(old_items) else None
            if old is not None and old[0] is entry and (old[1] is shown or old[1] == shown):
                items.append(old)
            else:
                items.append((entry, shown, Markup(card(entry, shown, f"{prefix}{index + 1}"))))
        kept[prefix] = (settings, items)
        return Markup("".join(html for _, _, html in items))

    return card_list


def _iso_date(day: dt.date) -> str:
    """«2022-12-01»: the machine-readable date of <time datetime> and of document metadata."""
    return day.isoformat()


def make_environment(templates: Path = TEMPLATES_DIR) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(url=_url, asset=_asset, absolute=_absolute, generator=f"site-builder {__version__}")
    env.globals["card_list"] = _card_list()
    env.filters["russian_date"] = russian_date
    env.filters["iso_date"] = _iso_date
    env.filters["evidence"] = evidence_links
    env.filters["atom_time"] = atom_time
    return env


