"""Built sites shared by the status and export tests: each content folder is built once per test session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from site_builder.build.site import build_site
from tests.sitefactory import REPO

# The fixed dates the expected statuses and percentages are computed for.
AS_OF = {
    "content": dt.date(2022, 6, 1),
    "examples/kaliningrad": dt.date(2023, 7, 1),
    "examples/shakhty": dt.date(2022, 12, 1),
}


def build(content: Path, output: Path, as_of: dt.date) -> Path:
    build_site(content, output, as_of)
    return output


def build_shipped(root: Path, name: str) -> Path:
    """Build one of the shipped sites (content/, examples/…) into `root` at its fixed date."""
    return build(REPO / name, root / name.replace("/", "-"), AS_OF[name])


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def one(node: Tag, selector: str) -> Tag:
    """The single element `selector` finds under `node`; failing loudly when there is none."""
    found = node.select_one(selector)
    assert found is not None, f"нет элемента {selector}"
    return found


def text(node: Tag, selector: str) -> str:
    return one(node, selector).get_text(strip=True)


def badge_word(badge: Tag) -> str:
    """The status word of a badge, checking that its icon is hidden from screen readers."""
    icon = one(badge, ".status-icon")
    assert icon.get("aria-hidden") == "true"
    return badge.get_text(" ", strip=True).removeprefix(icon.get_text(strip=True)).strip()
