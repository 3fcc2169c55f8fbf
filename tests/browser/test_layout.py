"""Reflow: no page scrolls sideways on a phone, at 200 % zoom, at 200 % text size or in the low-vision version;
wide tables become cards whose cells carry their column header. Every view is saved as a screenshot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.browser.conftest import PAGE_TYPES, Tab, artifact


@dataclass(frozen=True)
class View:
    width: int
    scale: float = 1
    low_vision: bool = False
    text_percent: int = 100
    screenshot: bool = False


# Screenshots are taken of the views a person looks at; the others are only measured.
VIEWS = {
    "1280": View(1280, screenshot=True),
    "375": View(375, screenshot=True),
    "320": View(320),
    # 1280 px at 200 % zoom is 640 CSS px drawn with two device pixels each.
    "zoom200": View(640, scale=2, screenshot=True),
    "text200": View(1280, text_percent=200),
    "low-vision-320": View(320, low_vision=True, screenshot=True),
    "low-vision-1280": View(1280, low_vision=True),
}

# Elements sticking out past the right edge of the window, outside a box that scrolls on purpose (the timeline).
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.body.querySelectorAll('*')]
        .filter(el => el.getBoundingClientRect().right > width + 0.5 && !el.closest('.timeline-scroll'))
        .map(el => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent || '').trim().slice(0, 60)}`)
        .slice(0, 10);
}"""


def page_width(page: Any) -> tuple[int, int]:
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return scroll, client


def save_screenshot(page: Any, file_name: str, view: View) -> None:
    """The whole page; at 200 % zoom only the first screen, since a long page at two device pixels a CSS pixel
    takes half a minute to capture."""
    page.screenshot(path=artifact("screenshots", file_name), full_page=view.scale == 1)


@pytest.mark.parametrize("view_name", list(VIEWS))
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_horizontal_scrolling(open_page: Callable[..., Tab], name: str, view_name: str) -> None:
    view = VIEWS[view_name]
    tab = open_page(PAGE_TYPES[name], width=view.width, scale=view.scale, low_vision=view.low_vision)
    if view.text_percent != 100:
        # What the browser's text-size setting does: the root font grows, every rem and em with it.
        tab.page.evaluate(f"document.documentElement.style.fontSize = '{view.text_percent}%'")
    if view.screenshot:
        save_screenshot(tab.page, f"{name}-{view_name}.png", view)
    scroll, client = page_width(tab.page)
    assert scroll <= client, tab.page.evaluate(OVERFLOWING)


CELL_LABELS = """() => [...document.querySelectorAll('table')].map(table => ({
    headers: [...table.querySelectorAll('thead th')].map(th => th.textContent.trim().replace(/\\s+/g, ' ')),
    tableDisplay: getComputedStyle(table).display,
    cells: [...table.querySelectorAll('tbody td, tbody th[data-label]')].map(cell => ({
        label: cell.dataset.label || '',
        before: getComputedStyle(cell, '::before').content,
        display: getComputedStyle(cell).display,
    })),
}))"""


@pytest.mark.parametrize("name", ["roadmap", "report", "schools"])
def test_tables_become_cards_labelled_with_their_headers_on_a_phone(
    open_page: Callable[..., Tab], name: str
) -> None:
    tables = open_page(PAGE_TYPES[name], width=375).page.evaluate(CELL_LABELS)
    assert tables
    for table in tables:
        assert table["tableDisplay"] == "block"
        assert table["cells"]
        for cell in table["cells"]:
            assert cell["label"] in table["headers"]
            assert cell["before"] == f'"{cell["label"]}"'
            assert cell["display"] == "block"


@pytest.mark.parametrize("name", ["roadmap", "report"])
def test_tables_stay_tables_on_a_wide_screen(open_page: Callable[..., Tab], name: str) -> None:
    for table in open_page(PAGE_TYPES[name], width=1280).page.evaluate(CELL_LABELS):
        assert table["tableDisplay"] == "table"
        assert {cell["before"] for cell in table["cells"]} == {"none"}


def test_timeline_scrolls_inside_its_own_labelled_focusable_region(open_page: Callable[..., Tab]) -> None:
    page = open_page(PAGE_TYPES["roadmap"], width=320).page
    region = page.get_by_role("region", name="График мероприятий (прокручивается по горизонтали)")
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    assert region.evaluate("el => el.scrollLeft") > 0
    assert page_width(page)[0] <= 320
