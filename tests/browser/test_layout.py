"""Reflow: no page scrolls sideways on a phone, at 200 % zoom, at 200 % text size or in the low-vision version;
wide tables become cards whose cells carry their column header. Every view is saved as a screenshot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.helpers.browser import PAGE_TYPES, Tab, artifact


@dataclass(frozen=True)
class View:
    name: str
    width: int
    text_percent: int = 100
    screenshot: bool = False


# Views measured one after the other on one loaded page (the window resized in between), grouped by what needs
# a browser context of its own. Screenshots are taken of the views a person looks at; the others are measured.
VIEW_GROUPS: dict[str, tuple[dict[str, Any], tuple[View, ...]]] = {
    "normal": (
        {},
        (
            View("1280", 1280, screenshot=True),
            View("375", 375, screenshot=True),
            View("320", 320),
            View("text200", 1280, text_percent=200),
        ),
    ),
    # 1280 px at 200 % zoom is 640 CSS px drawn with two device pixels each.
    "zoom200": ({"scale": 2}, (View("zoom200", 640, screenshot=True),)),
    "low-vision": (
        {"low_vision": True},
        (View("low-vision-320", 320, screenshot=True), View("low-vision-1280", 1280)),
    ),
}

# For the failure message: elements that stick out past the right edge of the window or whose own content does
# (a line that cannot wrap), outside a box that scrolls on purpose (the timeline).
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.body.querySelectorAll('*')]
        .filter(el => !el.closest('.timeline-scroll'))
        .filter(el => el.getBoundingClientRect().right > width + 0.5
            || (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible'))
        .map(el => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent || '').trim().slice(0, 60)}`)
        .slice(0, 10);
}"""


def page_width(page: Any) -> tuple[int, int]:
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return scroll, client


def overflow_in(page: Any, view: View, page_name: str, scale: float) -> list[str]:
    """Show the page as `view`, save its screenshot if wanted, and list what sticks out sideways."""
    page.set_viewport_size({"width": view.width, "height": 900})
    # What the browser's text-size setting does: the root font grows, every rem and em with it.
    page.evaluate(f"document.documentElement.style.fontSize = '{view.text_percent}%'")
    if view.screenshot:
        # At 200 % zoom only the first screen: a long page at two device pixels a CSS pixel takes half a minute.
        page.screenshot(path=artifact("screenshots", f"{page_name}-{view.name}.png"), full_page=scale == 1)
    scroll, client = page_width(page)
    if scroll <= client:
        return []
    return [f"страница шире окна: {scroll} > {client}", *page.evaluate(OVERFLOWING)]


@pytest.mark.parametrize("group", list(VIEW_GROUPS))
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_horizontal_scrolling(open_page: Callable[..., Tab], name: str, group: str) -> None:
    options, views = VIEW_GROUPS[group]
    page = open_page(PAGE_TYPES[name], width=views[0].width, **options).page
    overflowing = {view.name: overflow_in(page, view, name, options.get("scale", 1)) for view in views}
    assert {view: found for view, found in overflowing.items() if found} == {}


CELL_LABELS = """() => [...document.querySelectorAll('table')].map(table => ({
    headers: [...table.querySelectorAll('thead th')].map(th => th.textContent.trim().replace(/\\s+/g, ' ')),
    tableDisplay: getComputedStyle(table).display,
    cells: [...table.querySelectorAll('tbody td, tbody th[data-label], tfoot td')].map(cell => ({
        label: cell.dataset.label || '',
        before: getComputedStyle(cell, '::before').content,
        display: getComputedStyle(cell).display,
    })),
}))"""


@pytest.mark.parametrize("name", ["roadmap", "report", "schools", "monitoring", "link-report"])
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
    # Keyboard scrolling is animated: wait for it to move rather than read the position at once.
    page.wait_for_function("() => document.querySelector('.timeline-scroll').scrollLeft > 0")
    assert page_width(page)[0] <= 320
