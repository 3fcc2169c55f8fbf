"""«Версия для слабовидящих»: on every page, works without JavaScript, remembered from page to page with it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers.browser import LOW_VISION_OFF, LOW_VISION_ON, PAGE_TYPES, Tab

LOOK = """() => {
    const root = getComputedStyle(document.documentElement);
    const body = getComputedStyle(document.body);
    const timeline = document.querySelector('.timeline');
    return {
        fontSize: parseFloat(root.fontSize),
        lineHeight: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
        letterSpacing: body.letterSpacing,
        color: body.color,
        timelineShown: timeline ? timeline.getClientRects().length > 0 : null,
    };
}"""


def look(page: Any) -> dict[str, Any]:
    return dict(page.evaluate(LOOK))


def assert_low_vision(page: Any) -> None:
    current = look(page)
    assert current["fontSize"] >= 24
    assert current["lineHeight"] >= 1.75
    assert current["letterSpacing"] != "normal"
    assert current["color"] == "rgb(0, 0, 0)"
    assert current["timelineShown"] in (False, None), "в версии для слабовидящих изображения скрыты"
    assert page.get_by_role("link", name=LOW_VISION_OFF).is_visible()
    assert not page.get_by_role("link", name=LOW_VISION_ON).is_visible()


def assert_normal(page: Any) -> None:
    current = look(page)
    assert current["fontSize"] == 16
    assert current["letterSpacing"] == "normal"
    assert current["timelineShown"] in (True, None)
    assert page.get_by_role("link", name=LOW_VISION_ON).is_visible()
    assert not page.get_by_role("link", name=LOW_VISION_OFF).is_visible()


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_switch_on_every_page_works_without_javascript(open_page: Callable[..., Tab], name: str) -> None:
    page = open_page(PAGE_TYPES[name], javascript=False).page
    assert_normal(page)
    page.get_by_role("link", name=LOW_VISION_ON).click()
    page.wait_for_url("**#lv")
    assert_low_vision(page)
    page.get_by_role("link", name=LOW_VISION_OFF).click()
    assert_normal(page)


def test_timeline_is_hidden_as_an_image(open_page: Callable[..., Tab]) -> None:
    page = open_page(PAGE_TYPES["roadmap"], javascript=False).page
    assert look(page)["timelineShown"] is True
    page.get_by_role("link", name=LOW_VISION_ON).click()
    assert look(page)["timelineShown"] is False


def test_choice_is_remembered_across_pages_with_javascript(open_page: Callable[..., Tab]) -> None:
    page = open_page(PAGE_TYPES["landing"], fresh=True).page
    assert_normal(page)
    page.get_by_role("link", name=LOW_VISION_ON).click()
    assert_low_vision(page)

    page.get_by_role("navigation").get_by_role("link", name="Школы проекта").click()
    page.wait_for_url("**/schools.html")
    assert_low_vision(page)
    page.get_by_role("link", name=LOW_VISION_OFF).click()
    assert_normal(page)

    page.get_by_role("navigation").get_by_role("link", name="Главная").click()
    page.wait_for_url("**/index.html")
    assert_normal(page)


def test_in_page_links_keep_the_remembered_version(open_page: Callable[..., Tab]) -> None:
    page = open_page(PAGE_TYPES["roadmap"], low_vision=True).page
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link: #content becomes the :target instead of #lv
    page.wait_for_url("**#content")
    assert_low_vision(page)
