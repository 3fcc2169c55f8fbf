"""Markdown written by editors → safe HTML: converted, then sanitised so no script or handler survives."""

from __future__ import annotations

import threading
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.tables import TableExtension

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "*": {"id", "lang"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


_converters = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's converter with markdown's own "tables", "sane_lists" and "smarty", reset for each text.

    Made once: setting up its extensions and processors cost more than converting a report's narrative. The
    extensions are given as classes, not names, so markdown does not read every installed distribution's entry
    points first.
    """
    made: markdown.Markdown | None = getattr(_converters, "made", None)
    if made is None:
        extensions: list[Extension] = [TableExtension(), SaneListExtension(), SmartyExtension()]
        made = _converters.made = markdown.Markdown(extensions=extensions, output_format="html")
    return made.reset()


def render_markdown(text: str) -> str:
    """Sanitised HTML of a Markdown text; headings start at h2 because the page owns its h1."""
    html = _converter().convert(text)
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self._href, self._text = values["href"], []
        elif tag == "img" and values.get("src"):
            self.links.append((values["src"] or "", values.get("alt") or ""))

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def html_links(html: str) -> list[tuple[str, str]]:
    """(url, text) of every link and image in a piece of HTML, in document order."""
    collector = _LinkCollector()
    collector.feed(html)
    return collector.links
