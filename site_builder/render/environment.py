"""The one Jinja2 environment pages, print documents and fragments are rendered with: autoescape on, undefined
names an error (StrictUndefined), and the globals and filters templates may use to present (never to compute)."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from operator import is_
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    nodes,
    pass_context,
    select_autoescape,
)
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.runtime import Context, Macro, missing
from markupsafe import Markup

from site_builder import __version__
from site_builder.core.addresses import absolute_url
from site_builder.core.resources import TEMPLATES_DIR
from site_builder.core.russian import russian_date
from site_builder.core.sequences import replaced
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
    here = posixpath.dirname(context["page_path"]) or "."
    if target.endswith("/") or target == "":
        return _relative(target or ".", here) + "/"
    return _relative(target, here)


@functools.lru_cache(maxsize=4096)
def _relative(target: str, here: str) -> str:
    """posixpath.relpath, kept: it makes both paths absolute through the working folder on every call, and a
    page links the same few folders dozens of times (the reports of its items, the assets, the navigation).
    From the top folder, where the landing page links each of a national site's thousands of pages once, it
    is the target normalised."""
    if here == "." and not target.startswith("/"):
        return posixpath.normpath(target)
    return posixpath.relpath(target, here)


@pass_context
def _asset(context: Context, name: str) -> str:
    return _url(context, context["assets"].names[name])


@pass_context
def _absolute(context: Context, target: str) -> str:
    """The absolute address of an output file: for canonical links, Open Graph, the sitemap and the feed."""
    return absolute_url(context["config"].base_url, target)


@dataclass(frozen=True)
class _Cards:
    """One list of the landing page as it was made last: what each item was made of, and the item."""

    settings: tuple[object, ...]
    entries: list[Any]
    shown: list[Progress]
    items: list[str]
    html: Markup


def _card_list() -> Callable[..., Markup]:
    """The `card_list` of one environment: the landing page's list items, each kept while it would come out the same.

    A national site lists thousands of roadmaps there and the live preview renders the page after every save.
    An item is what the template's `card` macro makes of (entry, progress, id); _cards.html's macros read
    nothing else but the page's own settings, which the kept items are checked against. A changed template
    means a new environment (see caches.TemplateIndex), so a changed macro never meets old items. Kept items
    are found by position (core.sequences.replaced): a save changes one entry or one progress among thousands.
    """
    kept: dict[str, _Cards] = {}

    @pass_context
    def card_list(
        context: Context, entries: list[Any], progress: dict[str, Progress], card: Macro, prefix: str
    ) -> Markup:
        settings = (context["page_path"], context["served_anywhere"], context["config"], context["levels"])
        shown = [progress[entry.url] for entry in entries]
        old, moved = kept.get(prefix), None
        if old is not None and all(map(is_, old.settings, settings)):
            entries_moved, shown_moved = replaced(entries, old.entries), replaced(shown, old.shown)
            if entries_moved is not None and shown_moved is not None:
                items, moved = list(old.items), sorted({*entries_moved, *shown_moved})
                if not moved:
                    return old.html  # joined again, it would be a megabyte copied on a national site
        if moved is None:
            items, moved = [""] * len(entries), list(range(len(entries)))
        for index in moved:
            items[index] = card(entries[index], shown[index], f"{prefix}{index + 1}")
        html = Markup("".join(items))
        kept[prefix] = _Cards(settings, entries, shown, items, html)
        return html

    return card_list


def _iso_date(day: dt.date) -> str:
    """«2022-12-01»: the machine-readable date of <time datetime> and of document metadata."""
    return day.isoformat()


def _escaped_text(value: object) -> str:
    """What markupsafe.escape makes of a value printed by `{{ … }}`, as a plain str: the same characters
    replaced the same way (&#39; and &#34; included), numbers written as str() writes them, markup kept.

    A page prints thousands of values (a roadmap's SVG timeline alone, hundreds of coordinates); escape() wraps
    each in a Markup through Python-level constructors, which was a quarter of a page's rendering. What is
    printed is only joined into the page, so the piece need not be Markup.
    """
    kind = type(value)
    if kind is int or kind is float:
        return str(value)
    if kind is str:
        text = str(value)
    else:
        html = getattr(value, "__html__", None)
        if html is not None:
            return str(html())
        text = str(value)
    return _escape_str(text)


def _replace_specials(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


try:  # markupsafe's own C loop over a str, which escape() wraps in Markup: an eighth of the five replace() calls
    from markupsafe._speedups import _escape_inner as _escape_str
except ImportError:  # markupsafe without its compiled part: the same replacements
    _escape_str = _replace_specials


class _Generator(CodeGenerator):
    """Jinja's code generator with the two steps every printed value takes written inline (the same results):

    - `{{ x.y }}` tries Python's getattr with a default first and calls Environment.getattr, which falls back
      to `x["y"]` and then to an undefined, only when the attribute is missing;
    - an autoescaped str goes straight to the escaping loop, markup (what a macro returns) and an int are
      printed as they are and as str() writes them, any other value goes through `_escaped_text`.

    A roadmap's page looks up about 2,800 attributes and prints as many values; each went through a Python call
    of its own. Each expression keeps its value in a local (`:=`), so it is evaluated once, as before.
    """

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        if self.environment.is_async:
            super().visit_Getattr(node, frame)
            return
        self.write("(_sb_attr if (_sb_attr := getattr((_sb_of := ")
        self.visit(node.node, frame)
        self.write(
            f"), {node.attr!r}, missing)) is not missing else environment.getattr(_sb_of, {node.attr!r}))"
        )

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if _escapes_inline(frame, finalize):
            self.write("(environment.escaped_str(_sb_out) if (_sb_kind := type(_sb_out := ")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if _escapes_inline(frame, finalize):
            self.write(
                ")) is str else _sb_out if _sb_kind is environment.markup"
                " else str(_sb_out) if _sb_kind is int else environment.escaped_text(_sb_out))"
            )
        else:
            super()._output_child_post(node, frame, finalize)


def _escapes_inline(frame: Frame, finalize: Any) -> bool:
    return bool(frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src is None)


class _SiteContext(Context):
    """A template context whose calls of macros skip Context.call's search for pass_context markers, and
    Macro.__call__'s matching of arguments to names when there is nothing to match.

    A macro never has a marker, and a roadmap's page calls macros about 170 times (an evidence list, a status
    per item): the search was 14 % of the page's rendering, and Macro.__call__ with its _invoke and Markup's
    constructor another 15 % of what the pages' templates took after it. Other callables (url(), asset()) go
    the usual way.
    """

    def call(self, obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(obj) is not Macro:
            return super().call(obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        # No StopIteration caught, as Context.call catches one: out of a macro, it reaches the template's render
        # generator and is a RuntimeError there, not a silent undefined.
        short = obj._argument_count - len(args)
        if kwargs or short < 0 or obj.caller or obj.catch_kwargs or obj.catch_varargs:
            return obj(*args, **kwargs)
        # What Macro.__call__ does with positional arguments only: the ones not given are `missing` (the body
        # puts their defaults in), and the text is markup when the macro was compiled to escape.
        made = obj._func(*args, *(missing,) * short) if short else obj._func(*args)
        return str.__new__(Markup, made) if obj._default_autoescape else made


class SiteEnvironment(Environment):
    """The site's Environment: compiled templates print values through `escaped_str` and `escaped_text`, and
    call macros through _SiteContext (see _Generator)."""

    code_generator_class = _Generator
    context_class = _SiteContext
    escaped_text = staticmethod(_escaped_text)
    escaped_str = staticmethod(_escape_str)
    markup = Markup


def make_environment(templates: Path = TEMPLATES_DIR, compiled: BytecodeCache | None = None) -> Environment:
    """`compiled`: where compiled templates are kept between runs (a build's cache, build.caches.TemplateStore)."""
    env = SiteEnvironment(
        loader=FileSystemLoader(str(templates)),
        bytecode_cache=compiled,
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
