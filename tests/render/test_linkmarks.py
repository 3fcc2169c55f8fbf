"""The last link check shown on the site: marks beside evidence links and the «Проверка ссылок» page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from site_builder.build.site import build_site
from tests.helpers.html import soup
from tests.helpers.samples import DELETED, GOOD, SHAKHTY, results_file

AS_OF = dt.date(2022, 12, 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("marks")
    build_site(SHAKHTY, tmp / "out", AS_OF, link_results=results_file(tmp))
    return tmp / "out"


def test_each_checked_evidence_link_carries_its_verdict_and_date(built: Path) -> None:
    page = soup(built / "reports" / "shakhty-2022-2.html")
    for url, words in ((GOOD, "работает"), (DELETED, "сломана: файл удалён с Яндекс Диска (HTTP 404)")):
        links = page.find_all("a", href=url)
        assert links, url
        for link in links:
            mark = link.find_next_sibling("span", class_="link-mark")
            assert mark is not None
            assert words in mark.get_text() and "проверено 30.11.2022" in mark.get_text()
    unchecked = page.find("a", href="https://disk.yandex.ru/i/Blmt1s8clBuahg")
    assert unchecked is not None and unchecked.find_next_sibling("span", class_="link-mark") is None


def test_the_link_report_page_lists_what_fails_with_its_file_line_and_item(built: Path) -> None:
    page = soup(built / "links.html")
    assert page.h1 is not None and page.h1.get_text() == "Проверка ссылок"
    rows = page.select("table.link-problems tbody tr")
    assert len(rows) == 1
    text = rows[0].get_text(" ")
    assert DELETED in text and "мероприятие 3.6" in text and "сломана" in text
    caption = page.select_one("table.link-problems caption")
    assert caption is not None and "examples/shakhty/reports/shakhty-2022-2.yaml" in caption.get_text()
    assert page.find("a", href=DELETED) is None  # a broken address is shown, not offered as a link
    landing = soup(built / "index.html")
    assert landing.find("a", href="links.html") is not None


def test_without_results_there_are_no_marks_and_no_page(tmp_path: Path) -> None:
    build_site(SHAKHTY, tmp_path / "out", AS_OF, link_results=tmp_path / "absent.json")
    assert not (tmp_path / "out" / "links.html").exists()
    assert not soup(tmp_path / "out" / "reports" / "shakhty-2022-2.html").select(".link-mark")
