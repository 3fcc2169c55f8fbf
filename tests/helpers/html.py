"""Built pages as BeautifulSoup sees them: one parser (lxml) for every page; CMS fragments kept as they are."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup, Tag


def soup(source: Path | str) -> BeautifulSoup:
    """A page parsed with lxml: a file's UTF-8 text, or markup given as a string (a response body, a fragment)."""
    markup = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    return BeautifulSoup(markup, "lxml")


def fragment_of(path: Path) -> BeautifulSoup:
    """A CMS fragment as it is: lxml would wrap it in <html><body>, hiding whether the fragment brought its own."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def one(node: Tag, selector: str) -> Tag:
    """The single element `selector` finds under `node`; failing loudly when there is none."""
    found = node.select_one(selector)
    assert found is not None, f"нет элемента {selector}"
    return found


def text(node: Tag, selector: str) -> str:
    return one(node, selector).get_text(strip=True)


def following(node: Tag, name: str) -> Tag:
    """The first `name` element after `node` in the document; failing loudly when there is none."""
    found = node.find_next(name)
    assert found is not None, f"нет элемента {name} после {node.name}"
    return found


def number(node: Tag, attribute: str) -> float:
    """An attribute read as a number (an SVG coordinate): bs4 types it as text or, like class, a list of words."""
    value = node[attribute]
    assert isinstance(value, str), f"{attribute} — не одно значение: {value!r}"
    return float(value)


def badge_word(badge: Tag) -> str:
    """The status word of a badge, checking that its icon is hidden from screen readers."""
    icon = one(badge, ".status-icon")
    assert icon.get("aria-hidden") == "true"
    return badge.get_text(" ", strip=True).removeprefix(icon.get_text(strip=True)).strip()
