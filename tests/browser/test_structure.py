"""Structure a screen reader relies on: landmarks, headings in order, statuses as words with their icons hidden,
link texts that say where they lead out of context; and no page breaks the production Content-Security-Policy."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.helpers.browser import PAGE_TYPES, Tab

HEADINGS = "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => Number(h.tagName[1]))"
# Each link's accessible name as a screen reader announces it: the text, visually hidden parts included.
LINKS = """() => [...document.querySelectorAll('a[href]')].map(a => ({
    name: a.textContent.trim().replace(/\\s+/g, ' '),
    href: a.href,
    visible: a.getClientRects().length > 0,
}))"""
STATUSES = """() => [...document.querySelectorAll('.status')].map(status => ({
    words: [...status.childNodes].filter(node => !(node.nodeType === 1 && node.getAttribute('aria-hidden') === 'true'))
        .map(node => node.textContent).join('').trim(),
    icons: [...status.querySelectorAll('.status-icon')].map(icon => icon.getAttribute('aria-hidden')),
}))"""
VAGUE_LINK_TEXTS = {"здесь", "тут", "ссылка", "подробнее", "далее", "скачать", "документ", "перейти"}


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_landmarks(viewed: Callable[[str], Tab], name: str) -> None:
    page = viewed(name).page
    assert page.get_by_role("banner").count() == 1
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("contentinfo").count() == 1
    assert page.get_by_role("navigation", name="Разделы сайта").count() == 1


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_one_h1_and_no_skipped_heading_levels(viewed: Callable[[str], Tab], name: str) -> None:
    levels = viewed(name).page.evaluate(HEADINGS)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    jumps = [(before, after) for before, after in zip(levels, levels[1:], strict=False) if after > before + 1]
    assert jumps == [], levels


@pytest.mark.parametrize("name", ["roadmap", "report"])
def test_statuses_are_words_with_decorative_icons(viewed: Callable[[str], Tab], name: str) -> None:
    statuses = viewed(name).page.evaluate(STATUSES)
    assert statuses
    for status in statuses:
        assert re.search(r"[а-яё]{3}", status["words"]), status
        assert status["icons"] == ["true"], status


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_link_texts_make_sense_out_of_context(viewed: Callable[[str], Tab], name: str) -> None:
    links = [link for link in viewed(name).page.evaluate(LINKS) if link["visible"]]
    assert links
    for link in links:
        assert link["name"], link
        words = re.sub(r"\S+://\S+", "", link["name"])
        assert re.search(r"[А-Яа-яЁё]{3}", words), f"в тексте ссылки нет слов, только адрес или номер: {link}"
        assert link["name"].lower() not in VAGUE_LINK_TEXTS, link
    targets: dict[str, set[str]] = {}
    for link in links:
        targets.setdefault(link["name"], set()).add(link["href"])
    assert {name: hrefs for name, hrefs in targets.items() if len(hrefs) > 1} == {}, (
        "одинаковый текст у ссылок на разные адреса"
    )


def test_evidence_links_say_what_and_where(viewed: Callable[[str], Tab]) -> None:
    names = viewed("report").page.evaluate(
        "() => [...document.querySelectorAll('.evidence a')].map(a => a.textContent.trim().replace(/\\s+/g, ' '))"
    )
    assert names
    assert all(re.search(r"\(\S+\.\w+(, документ \d+)?\), пункт \d", name) for name in names), names
    assert (
        "Подтверждающий документ (disk.yandex.ru), пункт 1.3" in names
    )  # the source gives this one no title


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_nothing_breaks_the_content_security_policy(viewed: Callable[[str], Tab], name: str) -> None:
    tab = viewed(name)
    tab.page.wait_for_load_state("load")
    assert tab.errors == []
