"""The Atom feed of updates, read with feedparser (a parser we did not write) and checked against RFC 4287's
required elements with lxml: which entries, with which dates, from which content; never from the build day.

The site with a dated report, monitoring results and news is SYNTHETIC (tests/fixtures/sites/minimal plus made-up
files written here); the shipped sites are built as they are.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from site_builder.build.site import build_site
from site_builder.content.records.monitoring import write_results
from site_builder.core.addresses import FRAGMENT_SUFFIX
from tests.helpers.html import soup
from tests.helpers.samples import results
from tests.helpers.sites import REPO, make_site, read_fixture

BASE = "https://example.org/500plus/"
ATOM = "http://www.w3.org/2005/Atom"
NEWS = "---\n# SYNTHETIC news item for the feed tests.\ntitle: Тестовая новость\ndate: 2022-10-05\nnews: true\n---\nТекст.\n"


def _build(content: Path, output: Path, as_of: dt.date, base_url: str | None = BASE) -> Path:
    build_site(content, output, as_of, base_url)
    return output


def _parsed(output: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def _required_elements_present(output: Path) -> None:
    """RFC 4287 §4.1.1–4.1.2: a feed and each entry have exactly one id, title and updated; entries link home."""
    root = etree.parse(str(output / "feed.xml")).getroot()
    assert root.tag == f"{{{ATOM}}}feed"
    for node in [root, *root.iterfind(f"{{{ATOM}}}entry")]:
        for name in ("id", "title", "updated"):
            assert len(node.findall(f"{{{ATOM}}}{name}")) == 1, name
    for entry in root.iterfind(f"{{{ATOM}}}entry"):
        assert entry.find(f"{{{ATOM}}}link[@rel='alternate']") is not None


def _day(struct: time.struct_time) -> dt.date:
    return dt.date(struct.tm_year, struct.tm_mon, struct.tm_mday)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A made-up site with a dated report, two monitoring results, a news page and an ordinary page."""
    root = tmp_path_factory.mktemp("feed")
    report = read_fixture("reports/demo-2022-1.yaml").replace(
        "year: 2022\n", "year: 2022\ndate: 2022-11-30\n"
    )
    content = make_site(root, {"reports/demo-2022-1.yaml": report, "pages/novost.md": NEWS})
    write_results(content, results(dt.date(2022, 9, 1), {"a": "+++++"}))
    write_results(content, results(dt.date(2022, 12, 20), {"a": "++-+-"}))
    return content


def test_feed_lists_roadmaps_reports_the_monitoring_note_and_news_with_their_dates(
    synthetic: Path, tmp_path: Path
) -> None:
    output = _build(synthetic, tmp_path / "out", dt.date(2023, 1, 10))
    _required_elements_present(output)
    feed = _parsed(output)
    shown = [(entry.link.removeprefix(BASE), _day(entry.updated_parsed), _day(entry.published_parsed))
             for entry in feed.entries]  # fmt: skip
    assert shown == [
        ("monitoring.html", dt.date(2022, 12, 20), dt.date(2022, 9, 1)),  # changed by the second monitoring
        ("reports/demo-2022-1.html", dt.date(2022, 11, 30), dt.date(2022, 11, 30)),
        ("pages/novost.html", dt.date(2022, 10, 5), dt.date(2022, 10, 5)),
        ("roadmaps/demo-2022.html", dt.date(2022, 1, 10), dt.date(2022, 1, 10)),  # its order's date
    ]
    assert _day(feed.feed.updated_parsed) == dt.date(2022, 12, 20)
    assert all(entry.id == entry.link for entry in feed.entries)
    titles = {entry.link.removeprefix(BASE): entry.title for entry in feed.entries}
    assert titles["roadmaps/demo-2022.html"] == "Тестовая дорожная карта"
    assert titles["reports/demo-2022-1.html"] == "Тестовый отчёт"
    summary = {entry.link.removeprefix(BASE): entry.summary for entry in feed.entries}
    assert (
        summary["reports/demo-2022-1.html"]
        == "Отчёт, Первый этап, по дорожной карте «Тестовая дорожная карта»."
    )
    assert summary["roadmaps/demo-2022.html"] == "Муниципальная дорожная карта, 2022 год, Условный район."
    assert feed.feed.title == "Обновления: Федеральный проект 500+"


def test_every_entry_points_at_a_page_that_exists(synthetic: Path, tmp_path: Path) -> None:
    output = _build(synthetic, tmp_path / "out", dt.date(2023, 1, 10))
    for entry in _parsed(output).entries:
        assert (output / entry.link.removeprefix(BASE)).is_file(), entry.link


def test_feed_bytes_do_not_depend_on_the_build_day(synthetic: Path, tmp_path: Path) -> None:
    early = _build(synthetic, tmp_path / "early", dt.date(2023, 1, 10))
    late = _build(synthetic, tmp_path / "late", dt.date(2031, 5, 5))
    assert (early / "feed.xml").read_bytes() == (late / "feed.xml").read_bytes()


@pytest.mark.parametrize("name", ["content", "examples/shakhty", "examples/kaliningrad"])
def test_every_shipped_site_with_a_base_url_has_a_feed_linked_from_every_page(
    tmp_path: Path, name: str
) -> None:
    output = _build(REPO / name, tmp_path / "out", dt.date(2026, 12, 1))
    _required_elements_present(output)
    feed = _parsed(output)
    assert any(entry.link.startswith(BASE + "roadmaps/") for entry in feed.entries)
    pages = [page for page in sorted(output.rglob("*.html")) if not page.name.endswith(FRAGMENT_SUFFIX)]
    for page in pages:  # a fragment is pasted into a CMS page that has its own head
        link = soup(page).head.find("link", rel="alternate", type="application/atom+xml")  # type: ignore[union-attr]
        assert link is not None, page
        target = str(link["href"])
        resolved = target if target.startswith(BASE) else (page.parent / target).resolve().as_posix()
        assert resolved in (BASE + "feed.xml", (output / "feed.xml").resolve().as_posix()), (page, target)


def test_the_shipped_dates_come_from_the_documents(tmp_path: Path) -> None:
    balakhta = _parsed(_build(REPO / "content", tmp_path / "b", dt.date(2026, 12, 1)))
    assert [(e.link, _day(e.updated_parsed)) for e in balakhta.entries] == [
        (BASE + "roadmaps/balakhta-2022.html", dt.date(2022, 1, 14))  # the order of 14.01.2022 № 6а
    ]
    # Шахты: neither the roadmap nor the report gives a day, only the year 2022.
    shakhty = _parsed(_build(REPO / "examples/shakhty", tmp_path / "s", dt.date(2026, 12, 1)))
    assert {(e.link.removeprefix(BASE), _day(e.updated_parsed)) for e in shakhty.entries} == {
        ("roadmaps/shakhty-2022.html", dt.date(2022, 1, 1)),
        ("reports/shakhty-2022-2.html", dt.date(2022, 1, 1)),
    }


def test_without_a_base_url_there_is_no_feed_and_no_link(synthetic: Path, tmp_path: Path) -> None:
    output = _build(synthetic, tmp_path / "out", dt.date(2023, 1, 10), base_url=None)
    assert not (output / "feed.xml").exists()
    assert soup(output / "index.html").find("link", rel="alternate") is None
