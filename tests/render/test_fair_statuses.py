"""What the public reads is fair: no failure that no report states, closed years read as closed, and the landing
page's archive — the shipped sites built at dates in and after their year, and small synthetic sites."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from site_builder.model.site import load_site
from site_builder.render.status import UNREPORTED
from tests.helpers.builds import build
from tests.helpers.html import badge_word, following, one, soup, text
from tests.helpers.sites import REPO, make_site, read_fixture

# Words that state a failure. None may appear on a page that rests on no report.
FAILURE = re.compile(
    r"просроч|не\s*выполн|невыполн|сорван|не\s*достигнут|не\s*исполн|неисполн", re.IGNORECASE
)
TEXT_SUFFIXES = (".html", ".csv", ".json", ".ics", ".xml")


def _published_texts(output: Path) -> dict[str, str]:
    """Every page and download as text, the XLSX workbooks read through openpyxl."""
    texts = {
        path.relative_to(output).as_posix(): path.read_text(encoding="utf-8-sig")
        for path in sorted(output.rglob("*"))
        if path.suffix in TEXT_SUFFIXES
    }
    for path in sorted(output.rglob("*.xlsx")):
        workbook = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
        cells = (str(v) for sheet in workbook for row in sheet.iter_rows(values_only=True) for v in row if v)
        texts[path.relative_to(output).as_posix()] = "\n".join(cells)
    return texts


def _status_words(page: Path) -> dict[str, str]:
    html = soup(page)
    found = {}
    for cell in html.select("table.roadmap td.col-status"):
        row = cell.find_parent("tr")
        assert row is not None
        found[text(row, "th[scope=row]").rstrip(".")] = badge_word(one(cell, ".status"))
    return found


# ---------------------------------------------------------------- the default site has no report


@pytest.mark.parametrize("as_of", ["2022-06-01", "2022-12-31", "2023-03-01", "2026-12-01"])
def test_the_default_site_states_no_failure_at_any_date(tmp_path: Path, as_of: str) -> None:
    output = build(REPO / "content", tmp_path / "out", dt.date.fromisoformat(as_of))
    texts = _published_texts(output)
    assert "roadmaps/balakhta-2022.html" in texts and "roadmaps/balakhta-2022.xlsx" in texts
    found = {name: FAILURE.findall(body) for name, body in texts.items() if FAILURE.search(body)}
    assert found == {}
    # The neutral state stands where a failure word stood before: a word plus a hidden icon, never red.
    words = _status_words(output / "roadmaps/balakhta-2022.html")
    assert words["5.1"] == UNREPORTED.word  # «До 25.03.2022», nothing reported
    badge = soup(output / "roadmaps/balakhta-2022.html").select_one(".status-unreported")
    assert badge is not None and badge.select_one(".status-icon[aria-hidden=true]") is not None


def test_the_neutral_state_is_not_coloured_as_a_failure() -> None:
    css = (REPO / "templates/static/style.css").read_text(encoding="utf-8")
    rules = {m.group(1): m.group(2) for m in re.finditer(r"([^{}]+)\{([^}]*)\}", css)}
    unreported = [body for selector, body in rules.items() if ".status-unreported" in selector]
    assert unreported and all("--bad" not in body for body in unreported)
    assert any("var(--muted)" in body for body in unreported)  # #4a4a4a on white: 8.9:1, above AA


def test_statuses_strict_brings_back_the_deadline_verdict(tmp_path: Path) -> None:
    content = tmp_path / "content"
    site_yaml = (REPO / "content/site.yaml").read_text(encoding="utf-8") + "statuses: strict\n"
    shutil.copytree(REPO / "content", content)
    (content / "site.yaml").write_text(site_yaml, encoding="utf-8")
    assert load_site(content).config.statuses == "strict"
    output = build(content, tmp_path / "out", dt.date(2022, 6, 1))
    page = soup(output / "roadmaps/balakhta-2022.html")
    words = _status_words(output / "roadmaps/balakhta-2022.html")
    assert words["5.1"] == "просрочено"
    assert list(words.values()).count("просрочено") == 13
    assert text(page, "#progress-overall") == "Выполнено 1 из 30 мероприятий (3\u00a0%)"
    assert (
        text(page, ".progress-due")
        == "К 01.06.2022 срок наступил у 15 мероприятий, из них выполнено 1 (6\u00a0%)"
    )
    assert page.select_one("progress[aria-labelledby=progress-overall]") is not None
    assert "просрочено" in (output / "roadmaps/balakhta-2022.csv").read_text(encoding="utf-8-sig")


# ---------------------------------------------------------------- a report's statuses stay


@pytest.mark.parametrize("as_of", ["2022-12-01", "2023-06-01"])
def test_shakhty_keeps_its_report_statuses(tmp_path: Path, as_of: str) -> None:
    site = load_site(REPO / "examples/shakhty")
    reported = {
        item.number.rstrip("."): item.status
        for section in site.reports[0].report.sections
        for item in section.items
    }
    output = build(REPO / "examples/shakhty", tmp_path / "out", dt.date.fromisoformat(as_of))
    words = _status_words(output / "roadmaps/shakhty-2022.html")
    final = {number: status for number, status in reported.items() if status == "выполнено"}
    assert final and all(words[number] == status for number, status in final.items())
    # Plans the report gave turn neutral once their deadline is gone: the report never said they failed.
    for number, status in reported.items():
        if status == "запланировано":
            assert words[number] in ("запланировано", UNREPORTED.word)
    summary = text(soup(output / "roadmaps/shakhty-2022.html"), "#progress-overall")
    assert summary == "Выполнено 21 из 23 мероприятий (91\u00a0%) по данным отчёта «Второй этап»"


def test_a_dated_report_is_named_by_its_date(tmp_path: Path) -> None:
    report = read_fixture("reports/demo-2022-1.yaml").replace(
        "year: 2022\n", "year: 2022\ndate: 2022-11-30\n"
    )
    content = make_site(tmp_path, {"reports/demo-2022-1.yaml": report})
    output = build(content, tmp_path / "out", dt.date(2022, 12, 1))
    page = soup(output / "index.html")
    assert {t.get_text(" ", strip=True) for t in page.select(".cards .progress-summary")} == {
        "Выполнено 1 из 3 мероприятий (33\u00a0%) по данным отчёта от 30.11.2022",
        "Выполнено 1 из 1 мероприятия (100\u00a0%) по данным отчёта от 30.11.2022",
    }


# ---------------------------------------------------------------- closed years


def test_a_closed_year_without_a_report_reads_as_its_results(tmp_path: Path) -> None:
    output = build(REPO / "content", tmp_path / "out", dt.date(2026, 12, 1))
    page = soup(output / "roadmaps/balakhta-2022.html")
    assert text(page, "#progress-heading") == "Итоги 2022 года"
    assert "Ход выполнения" not in page.get_text()
    assert text(page, "#progress-overall").startswith("Отчёт не опубликован")
    assert page.select_one(".progress-due") is None  # «срок наступил у …» says nothing about a closed year


def test_a_closed_year_with_a_report_gives_the_state_of_its_last_report(tmp_path: Path) -> None:
    output = build(REPO / "examples/shakhty", tmp_path / "out", dt.date(2023, 3, 1))
    page = soup(output / "roadmaps/shakhty-2022.html")
    assert text(page, "#progress-heading") == "Итоги 2022 года"
    assert text(page, "#progress-overall").endswith("по данным отчёта «Второй этап»")
    # Within its year the same roadmap is still running.
    running = build(REPO / "examples/shakhty", tmp_path / "running", dt.date(2022, 12, 1))
    heading = text(soup(running / "roadmaps/shakhty-2022.html"), "#progress-heading")
    assert heading == "Ход выполнения на 1 декабря 2022 г."


def _roadmap_of(year: int) -> str:
    return (
        read_fixture("roadmaps/demo-2022.yaml")
        .replace("title: Тестовая дорожная карта", f"title: Тестовая дорожная карта {year} (вымышленная)")
        .replace("year: 2022", f"year: {year}")
    )


def test_the_landing_page_puts_this_year_first_and_archives_earlier_years(tmp_path: Path) -> None:
    files: dict[str, str | None] = {
        f"roadmaps/demo-{year}.yaml": _roadmap_of(year) for year in (2024, 2026, 2025)
    }
    files |= {"roadmaps/demo-2022.yaml": None, "reports/demo-2022-1.yaml": None}
    content = make_site(tmp_path, files)
    output = build(content, tmp_path / "out", dt.date(2026, 6, 1))
    page = soup(output / "index.html")
    current = one(page, "section[aria-labelledby=roadmaps-heading]")
    assert [a.get_text(strip=True) for a in current.select(".cards a")] == [
        "Тестовая дорожная карта 2026 (вымышленная)"
    ]
    archive = one(page, "section[aria-labelledby=archive-heading]")
    assert text(archive, "h2") == "Архив дорожных карт"
    assert [h.get_text(strip=True) for h in archive.select("h3")] == ["2025 год", "2024 год"]
    listed = [(h.get_text(strip=True), [a.get_text(strip=True) for a in following(h, "ul").select("a")])
              for h in archive.select("h3")]  # fmt: skip
    assert listed == [
        ("2025 год", ["Тестовая дорожная карта 2025 (вымышленная)"]),
        ("2024 год", ["Тестовая дорожная карта 2024 (вымышленная)"]),
    ]
    assert "Итоги 2025 года" in archive.get_text(" ", strip=True)
    # Everything came before the archive in the page's order: the running year first.
    body = str(page)
    assert body.index("roadmaps-heading") < body.index("archive-heading")
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))


def test_with_no_roadmap_of_this_year_the_landing_page_says_so(tmp_path: Path) -> None:
    output = build(REPO / "content", tmp_path / "out", dt.date(2026, 12, 1))
    page = soup(output / "index.html")
    assert text(page, "section[aria-labelledby=roadmaps-heading] p") == (
        "Дорожных карт на 2026 год нет; дорожные карты прошлых лет — в архиве."
    )
    assert [h.get_text(strip=True) for h in page.select("section[aria-labelledby=archive-heading] h3")] == [
        "2022 год"
    ]
