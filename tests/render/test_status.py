"""Statuses as of a date, progress and checkpoints: the rules of site_builder/render/status.py, then the built pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_builder.core.russian import plural
from site_builder.model.deadlines import parse_deadline
from site_builder.model.site import Site, load_site
from site_builder.render.status import (
    DONE,
    IN_PROGRESS,
    NOT_DONE,
    OVERDUE,
    PLANNED,
    STATUS_KINDS,
    UNRECOGNISED,
    UNREPORTED,
    SiteStatus,
    StatusTable,
    derive_status,
    is_due,
)
from tests.helpers.builds import AS_OF, build_shipped
from tests.helpers.html import badge_word, one, soup, text
from tests.helpers.sites import REPO, make_site, read_fixture

D = dt.date

# ---------------------------------------------------------------- wording


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "many"), (1, "one"), (2, "few"), (4, "few"), (5, "many"), (11, "many"), (12, "many"), (14, "many"),
     (21, "one"), (22, "few"), (25, "many"), (101, "one"), (111, "many"), (112, "many"), (1004, "few")],
)  # fmt: skip
def test_plural_follows_the_last_two_digits(n: int, expected: str) -> None:
    assert plural(n, "one", "few", "many") == expected


def test_status_words_and_icons_are_distinct() -> None:
    assert len({kind.word for kind in STATUS_KINDS}) == len(STATUS_KINDS)
    assert len({kind.icon for kind in STATUS_KINDS}) == len(STATUS_KINDS)
    assert len({kind.code for kind in STATUS_KINDS}) == len(STATUS_KINDS)


# ---------------------------------------------------------------- derived from the schedule


@pytest.mark.parametrize(
    ("text", "as_of", "kind", "due"),
    [
        ("Март 2022", D(2022, 2, 28), PLANNED, False),
        ("Март 2022", D(2022, 3, 1), IN_PROGRESS, False),
        ("Март 2022", D(2022, 3, 31), IN_PROGRESS, True),  # the last day: due, not yet overdue
        ("Март 2022", D(2022, 4, 1), OVERDUE, True),
        ("До 25.03.2022", D(2022, 3, 1), PLANNED, False),  # no start: planned until the deadline passes
        ("До 25.03.2022", D(2022, 3, 25), PLANNED, True),
        ("До 25.03.2022", D(2022, 3, 26), OVERDUE, True),
        ("Постоянно", D(2022, 6, 1), IN_PROGRESS, False),
        ("Еженедельно", D(2022, 6, 1), IN_PROGRESS, False),
        ("Еженедельно", D(2023, 1, 1), OVERDUE, True),
        ("17.01.2022 – 04.02.2022 (исполнено)", D(2022, 1, 1), DONE, False),
        ("18.01.02.2022", D(2022, 6, 1), UNRECOGNISED, False),
        ("", D(2022, 6, 1), UNRECOGNISED, False),
    ],
)
def test_status_derived_from_the_schedule(text: str, as_of: dt.date, kind: object, due: bool) -> None:
    schedule = parse_deadline(text, 2022)
    assert derive_status(schedule, as_of, strict=True)[0] == kind
    # Without a report a passed deadline is neutral unless the site asks for strict statuses.
    assert derive_status(schedule, as_of)[0] == (UNREPORTED if kind == OVERDUE else kind)
    assert is_due(schedule, as_of) is due


def test_reasons_name_the_dates() -> None:
    assert derive_status(parse_deadline("Март 2022", 2022), D(2022, 4, 1), strict=True)[1] == (
        "срок истёк 31.03.2022, о выполнении не сообщено"
    )
    assert derive_status(parse_deadline("Март 2022", 2022), D(2022, 4, 1))[1] == "срок окончился 31.03.2022"
    assert derive_status(parse_deadline("До 25.03.2022", 2022), D(2022, 3, 1))[1] == "срок — до 25.03.2022"
    assert derive_status(parse_deadline("", 2022), D(2022, 3, 1))[1] == "срок не указан"


# ---------------------------------------------------------------- reports


def _report(name: str, items: str, date: str = "") -> str:
    dated = f"date: {date}\n" if date else ""
    return (
        f"title: Отчёт {name}\nroadmap: demo-2022\nstage: Этап {name}\n{dated}"
        f"sections:\n- number: '1'\n  title: Первый раздел\n  items:\n{items}"
    )


def _item(number: str, status: str) -> str:
    return f"  - number: '{number}'\n    status: {status}\n"


STRICT: dict[str, str | None] = {"site.yaml": read_fixture("site.yaml") + "statuses: strict\n"}


def _statuses(root: Path, files: Mapping[str, str | None], as_of: dt.date) -> StatusTable:
    site = load_site(make_site(root, files))
    return SiteStatus(site, as_of).roadmap(site.roadmaps[0])


def _words(table: StatusTable) -> dict[str, str]:
    return {status.number: status.kind.word for status in table.items}


def test_the_fixture_site_mixes_reported_and_derived_statuses(tmp_path: Path) -> None:
    table = _statuses(tmp_path, {}, D(2022, 12, 1))
    assert _words(table) == {"1.1": "выполнено", "1.2": "в работе", "2.1": UNREPORTED.word}
    assert _words(_statuses(tmp_path, STRICT, D(2022, 12, 1)))["2.1"] == "просрочено"
    first = table.by_key()["1.1"]
    assert first.reason == "по отчёту «Первый этап»"
    assert first.report is not None and first.report.slug == "demo-2022-1"
    assert table.by_key()["2.1"].report is None


def test_the_latest_report_wins_and_future_reports_are_ignored(tmp_path: Path) -> None:
    files: dict[str, str | None] = {
        "reports/demo-2022-1.yaml": None,
        "reports/a-late.yaml": _report("поздний", _item("1.1", "выполнено"), "2022-06-01"),
        "reports/b-early.yaml": _report("ранний", _item("1.1", "не выполнено") + _item("2.1", "отменено"), "2022-03-01"),
    }  # fmt: skip
    assert _words(_statuses(tmp_path, files, D(2022, 4, 1)))["1.1"] == "не выполнено"
    later = _statuses(tmp_path, files, D(2022, 7, 1))
    assert _words(later)["1.1"] == "выполнено"
    # An item only the earlier report names keeps what that report says.
    assert _words(later)["2.1"] == "отменено"


def test_undated_reports_count_as_older_and_the_later_file_wins_among_them(tmp_path: Path) -> None:
    files: dict[str, str | None] = {
        "reports/demo-2022-1.yaml": None,
        "reports/a.yaml": _report("а", _item("1.1", "не выполнено")),
        "reports/b.yaml": _report("б", _item("1.1", "выполнено")),
        "reports/c.yaml": _report("в", _item("2.1", "выполнено"), "2022-01-15"),
        "reports/d.yaml": _report("г", _item("2.1", "не выполнено")),
    }
    words = _words(_statuses(tmp_path, files, D(2022, 12, 1)))
    assert words["1.1"] == "выполнено"
    assert words["2.1"] == "выполнено"


def test_reported_plans_turn_overdue_once_the_schedule_ends(tmp_path: Path) -> None:
    files: dict[str, str | None] = {"reports/demo-2022-1.yaml": _report("1", _item("2.1", "запланировано"))}
    assert _words(_statuses(tmp_path, files, D(2022, 3, 31)))["2.1"] == "запланировано"
    after = _statuses(tmp_path, {**files, **STRICT}, D(2022, 4, 1)).by_key()["2.1"]
    assert after.kind == OVERDUE
    assert after.reason == "срок истёк 31.03.2022; в отчёте — «запланировано»"


def test_reported_plans_past_their_deadline_are_neutral_without_strict(tmp_path: Path) -> None:
    """A report saying «в работе» states no failure, so once the deadline passes nothing does either."""
    files: dict[str, str | None] = {"reports/demo-2022-1.yaml": _report("1", _item("2.1", "в работе"))}
    after = _statuses(tmp_path, files, D(2022, 4, 1)).by_key()["2.1"]
    assert after.kind == UNREPORTED
    assert after.reason == "срок окончился 31.03.2022; в отчёте — «в работе»"
    assert after.report is not None and after.report.slug == "demo-2022-1"


def test_final_report_statuses_stay_after_the_schedule_ends(tmp_path: Path) -> None:
    files: dict[str, str | None] = {"reports/demo-2022-1.yaml": _report("1", _item("2.1", "не выполнено"))}
    assert _statuses(tmp_path, files, D(2023, 1, 1)).by_key()["2.1"].kind == NOT_DONE


# ---------------------------------------------------------------- progress and checkpoints


def test_progress_counts_done_and_due_and_leaves_out_cancelled_items(tmp_path: Path) -> None:
    table = _statuses(tmp_path, {}, D(2022, 12, 1))
    assert (table.overall.total, table.overall.done, table.overall.due, table.overall.due_done) == (
        3,
        1,
        2,
        1,
    )
    basis = " по данным отчёта «Первый этап»"  # the fixture's report has no date: its stage names it
    assert table.overall.summary == "Выполнено 1 из 3 мероприятий (33\u00a0%)" + basis
    assert (
        table.overall.due_summary
        == "К 01.12.2022 срок наступил у 2 мероприятий, из них выполнено 1 (50\u00a0%)" + basis
    )
    sections = {section.number: section.progress.summary for section in table.sections}
    # The report names nothing of section 2: no share is stated for it, unless the site is strict.
    assert sections == {
        "1": "Выполнено 1 из 2 мероприятий (50\u00a0%)" + basis,
        "2": "В отчётах сведений о выполнении нет",
    }
    strict = _statuses(tmp_path, STRICT, D(2022, 12, 1))
    assert strict.sections[1].progress.summary == "Выполнено 0 из 1 мероприятия (0\u00a0%)"
    cancelling = {"reports/demo-2022-1.yaml": _report("1", _item("2.1", "отменено"))}
    cancelled = _statuses(tmp_path, cancelling, D(2022, 12, 1)).overall
    assert (cancelled.total, cancelled.done, cancelled.due) == (2, 0, 1)
    early = _statuses(tmp_path, cancelling, D(2022, 1, 15)).overall
    assert early.due_summary == "К 15.01.2022 срок не наступил ни у одного мероприятия"


def _with_checkpoints(*points: tuple[str, int]) -> dict[str, str | None]:
    lines = "".join(f"- date: {date}\n  target: {target}\n" for date, target in points)
    roadmap = read_fixture("roadmaps/demo-2022.yaml").replace(
        "sections:\n", f"checkpoints:\n{lines}sections:\n", 1
    )
    return {"roadmaps/demo-2022.yaml": roadmap}


def test_checkpoints_compare_the_share_done_on_their_date(tmp_path: Path) -> None:
    # 1 of 3 done is 33.3 %: a 33 % target is met, a 34 % one is not, although both pages show «33 %».
    files = _with_checkpoints(("2022-02-01", 33), ("2022-03-01", 34), ("2022-12-31", 80))
    results = _statuses(tmp_path, files, D(2022, 12, 1)).checkpoints
    assert [r.state for r in results] == ["reached", "missed", "upcoming"]
    assert results[0].text == "Контрольная точка 01.02.2022: цель не менее 33\u00a0%, выполнено 33\u00a0%"
    assert (
        results[2].text
        == "Контрольная точка 31.12.2022: цель не менее 80\u00a0%, выполнено на 01.12.2022 33\u00a0%"
    )
    assert [r.verdict for r in results] == ["цель достигнута", "цель не достигнута", "срок ещё не наступил"]


def test_a_checkpoint_before_a_dated_report_does_not_count_it(tmp_path: Path) -> None:
    files = _with_checkpoints(("2022-02-01", 30))
    files["reports/demo-2022-1.yaml"] = _report("1", _item("1.1", "выполнено"), "2022-05-01")
    assert _statuses(tmp_path, {**files, **STRICT}, D(2022, 12, 1)).checkpoints[0].state == "missed"
    # No report yet on that date: no verdict either, and no share stated.
    fair = _statuses(tmp_path, files, D(2022, 12, 1)).checkpoints[0]
    assert (fair.state, fair.verdict) == ("unreported", "сведений о выполнении нет")
    assert fair.text == "Контрольная точка 01.02.2022: цель не менее 30\u00a0%"


def test_report_page_statuses_are_the_report_own(loaded_site: Site) -> None:
    site: Site = loaded_site
    table = SiteStatus(site, D(2022, 12, 1)).report(site.reports[0])
    assert [(s.number, s.kind.word, s.activity, s.schedule.text) for s in table.items] == [
        ("1.1", "выполнено", "Первое мероприятие", "Январь 2022")
    ]


# ---------------------------------------------------------------- the shipped sites, built


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("shipped")
    return {name: build_shipped(root, name) for name in AS_OF}


def _status_cells(page: BeautifulSoup) -> dict[str, str]:
    """Item number → the status word shown in its row of the roadmap table."""
    found = {}
    for cell in page.select("table.roadmap td.col-status"):
        row = cell.find_parent("tr")
        assert row is not None
        found[text(row, "th[scope=row]")] = badge_word(one(cell, ".status"))
    return found


@pytest.mark.parametrize(
    ("name", "page", "counts", "summary", "due"),
    [
        # No report: nothing is called failed and no share is stated, only what the roadmap itself marks done.
        ("content", "roadmaps/balakhta-2022.html",
         {"выполнено": 1, UNREPORTED.word: 13, "в работе": 12, "запланировано": 3, "срок не распознан": 1},
         "Отчёт не опубликован; в дорожной карте отмечено исполненным 1 из 30 мероприятий",
         "К 01.06.2022 срок наступил у 15 мероприятий; исполненным отмечено 1, о других сведений о выполнении нет"),
        ("examples/kaliningrad", "roadmaps/kaliningrad-2023.html",
         {UNREPORTED.word: 13, "в работе": 10, "запланировано": 9},
         "Отчёт не опубликован",
         "К 01.07.2023 срок наступил у 13 мероприятий; сведений о выполнении нет"),
        # The report's own statuses, and the share it gives, named as its.
        ("examples/shakhty", "roadmaps/shakhty-2022.html",
         {"выполнено": 21, "запланировано": 2},
         "Выполнено 21 из 23 мероприятий (91\u00a0%) по данным отчёта «Второй этап»",
         "К 01.12.2022 срок наступил у 13 мероприятий, из них выполнено 13 (100\u00a0%) по данным отчёта «Второй этап»"),
    ],
)  # fmt: skip
def test_roadmap_pages_show_statuses_and_progress(
    shipped: dict[str, Path], name: str, page: str, counts: dict[str, int], summary: str, due: str
) -> None:
    html = soup(shipped[name] / page)
    headers = [th.get_text(strip=True) for th in html.select("table.roadmap thead th")]
    assert "Статус" in headers
    shown = _status_cells(html)
    assert {word: list(shown.values()).count(word) for word in set(shown.values())} == counts
    assert text(html, "#progress-overall") == summary
    assert text(html, ".progress-due") == due
    bar = html.select_one("progress[aria-labelledby=progress-overall]")
    if name == "examples/shakhty":
        assert bar is not None and bar["max"] == str(sum(counts.values()))
    else:
        assert bar is None  # a bar at 3 % would read as a verdict that no report gives


def test_known_items_of_the_shipped_roadmaps(shipped: dict[str, Path]) -> None:
    balakhta = _status_cells(soup(shipped["content"] / "roadmaps/balakhta-2022.html"))
    assert balakhta["1.2"] == "выполнено"  # «(исполнено)» in the deadline
    assert balakhta["2.2"] == "срок не распознан"  # «18.01.02.2022»
    assert balakhta["5.1"] == UNREPORTED.word  # «До 25.03.2022», nothing reported
    assert balakhta["5.4"] == "в работе"  # «Постоянно»
    shakhty = _status_cells(soup(shipped["examples/shakhty"] / "roadmaps/shakhty-2022.html"))
    assert shakhty["1.4."] == "запланировано" and shakhty["2.2"] == "запланировано"


def test_kaliningrad_checkpoints_are_shown(shipped: dict[str, Path]) -> None:
    html = soup(shipped["examples/kaliningrad"] / "roadmaps/kaliningrad-2023.html")
    texts = [" ".join(li.get_text(" ", strip=True).split()) for li in html.select(".checkpoints li")]
    # No report: the passed checkpoint gets no verdict and no share is stated for either point.
    assert texts[0].startswith(
        "Контрольная точка 30.06.2023: цель не менее 30 % — ◷ сведений о выполнении нет"
    )
    assert texts[1].startswith("Контрольная точка 30.11.2023: цель не менее 80 % —")
    assert "срок ещё не наступил" in texts[1]


def test_shakhty_report_page_lists_every_item_with_status_and_every_url(shipped: dict[str, Path]) -> None:
    site = load_site(REPO / "examples/shakhty")
    report = site.reports[0].report
    page_path = shipped["examples/shakhty"] / "reports/shakhty-2022-2.html"
    html = soup(page_path)
    rows = html.select("table.report tr.item-row")
    expected = [(item.number, item.status) for section in report.sections for item in section.items]
    assert len(rows) == 23
    shown = [(text(row, "th"), badge_word(one(row, ".status"))) for row in rows]
    assert shown == expected
    urls = {
        link.url
        for section in report.sections
        for item in section.items
        for link in item.evidence
        if link.url
    }
    assert len(urls) == 17
    hrefs = {a["href"] for a in html.select("table.report a[href]")}
    assert urls <= hrefs
    # Escaped in the source as HTML wants it: «&» as «&amp;», the URL otherwise byte for byte.
    raw = page_path.read_text(encoding="utf-8")
    for url in urls:
        assert f'href="{url.replace("&", "&amp;")}"' in raw


def test_landing_pages_list_every_roadmap_and_report_with_progress(shipped: dict[str, Path]) -> None:
    html = soup(shipped["examples/shakhty"] / "index.html")
    cards = html.select(".cards li")
    progress = {
        text(card, "a"): text(card, ".progress-summary")
        for card in cards
        if card.select_one(".progress-summary")
    }
    assert len(progress) == 2
    assert set(progress.values()) == {
        "Выполнено 21 из 23 мероприятий (91\u00a0%) по данным отчёта «Второй этап»"
    }
    for name in ("content", "examples/kaliningrad"):
        index = soup(shipped[name] / "index.html")
        assert re.fullmatch(r"Отчёт не опубликован(; в дорожной карте отмечено исполненным \d+ из \d+ мероприятий)?",
                            text(index, ".cards .progress-summary"))  # fmt: skip


def test_every_status_icon_is_hidden_and_every_badge_has_its_word(shipped: dict[str, Path]) -> None:
    words = {kind.word for kind in STATUS_KINDS}
    for output in shipped.values():
        for page in output.rglob("*.html"):
            html = soup(page)
            for badge in html.select("td .status"):
                assert badge_word(badge) in words
            for verdict in html.select(".checkpoints .status"):
                assert badge_word(verdict).startswith(("цель", "срок", "сведений"))
