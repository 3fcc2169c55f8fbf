"""Cell text: markup of the exports reduced to plain text, and URLs split off into links.

The split follows the rule written down in examples/shakhty/reports/shakhty-2022-2.yaml, so an imported report
and a hand transcription of the same cell agree: every URL becomes one link whose title is the text standing
right before it.
"""

from __future__ import annotations

import html
import re

from site_builder.content.models import Link

URL = re.compile(r"https?://\S+")
_ANCHOR = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>(.*?)</a\s*>""",
    re.IGNORECASE | re.DOTALL,
)
# Only the tags Word and browsers put into exported cells; any other «<» is the document's own text.
_TAG = re.compile(
    r"</?(?:a|p|br|div|span|b|i|u|s|strong|em|ul|ol|li|font|sup|sub|td|tr|table|tbody|h[1-6])\b[^>]*>",
    re.IGNORECASE,
)
# Entities with their semicolon only: a URL's «&name=…» must not turn into a character.
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def collapse(text: str) -> str:
    return " ".join(text.split())


def hyperlink_text(text: str, address: str) -> str:
    """How a hyperlink reads in flat text: its words, then its address, so the address keeps its title."""
    words = collapse(text)
    if not address:
        return words
    if not words or URL.fullmatch(words) or words == address:
        return address
    return f"{words} {address}"


def _anchor(match: re.Match[str]) -> str:
    address = html.unescape(next(group for group in match.groups()[:3] if group is not None))
    return f" {hyperlink_text(_TAG.sub(' ', match.group(4)), address.strip())} "


def plain_text(text: str) -> str:
    """One line of text: HTML fragments of the exports (`<p>`, `<a href>`, `<br>`) reduced, whitespace collapsed."""
    if _TAG.search(text):
        text = _ANCHOR.sub(_anchor, text)
        text = _TAG.sub(" ", text)
        text = _ENTITY.sub(lambda match: html.unescape(match.group()), text)
    return collapse(text)


def split_links(text: str) -> tuple[str, list[Link]]:
    """(text, links) of a report cell: with no URL the whole text; otherwise every URL titled by the text before it.

    A URL with no text before it repeats the previous title; text after the last URL is one more line with no URL.
    """
    links: list[Link] = []
    position = 0
    for match in URL.finditer(text):
        before = collapse(text[position : match.start()])
        title = before or (links[-1].title if links else "")
        links.append(Link(title=title, url=match.group()))
        position = match.end()
    if not links:
        return collapse(text), []
    after = collapse(text[position:])
    if after:
        links.append(Link(title=after, url=""))
    return "", links


def without_urls(text: str) -> str:
    return collapse(URL.sub(" ", text))
