"""Keyboard: the skip link comes first and moves focus to the content; every tab stop shows a visible focus
indicator; the order follows the page; Tab leaves the page at the end instead of being trapped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers.browser import PAGE_TYPES, Tab

# What the focused element is and how its focus shows: document position, visible size, outline and ring.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        position: [...document.querySelectorAll('*')].indexOf(el),
        label: `${el.tagName.toLowerCase()} «${(el.textContent || '').trim().slice(0, 50)}»`,
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        ring: style.boxShadow !== 'none',
        size: box.width > 0 && box.height > 0,
    };
}"""
TAB_STOPS = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0).length"""


def tab_through(page: Any) -> list[dict[str, Any]]:
    """Press Tab until focus leaves the page; bounded, so a trap fails the test instead of hanging it."""
    limit = page.evaluate(TAB_STOPS) + 2
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            return stops
        stops.append(focused)
    raise AssertionError(f"после {limit} нажатий Tab фокус не покинул страницу: {stops[-3:]}")


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_tab_stop_is_visible_and_in_page_order(open_page: Callable[..., Tab], name: str) -> None:
    page = open_page(PAGE_TYPES[name], width=1280).page
    stops = tab_through(page)
    assert len(stops) == page.evaluate(TAB_STOPS)
    positions = [stop["position"] for stop in stops]
    assert positions == sorted(positions), "порядок Tab не совпадает с порядком на странице"
    hidden = [stop["label"] for stop in stops if not (stop["outline"] and stop["ring"] and stop["size"])]
    assert hidden == []


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", ["landing", "roadmap", "report"])
def test_skip_link_comes_first_and_moves_focus_to_the_content(
    open_page: Callable[..., Tab], name: str, width: int
) -> None:
    page = open_page(PAGE_TYPES[name], width=width).page
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.inner_text() == "Перейти к содержанию"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] >= 0, (
        "ссылка «Перейти к содержанию» не видна в фокусе"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.keyboard.press("Tab")
    first_in_content = page.evaluate("document.getElementById('content').contains(document.activeElement)")
    assert first_in_content, "после перехода по ссылке Tab должен вести по содержанию, а не по меню"
