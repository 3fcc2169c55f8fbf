"""The analytical note: shares, the Russian summary with its plural forms, changes, the page and its XLSX."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from bs4 import Tag
from openpyxl import load_workbook

from site_builder.content.records.monitoring import write_results
from site_builder.render.note import NOTE_TITLE, Share, changes, summary
from tests.helpers.html import one, soup, text
from tests.helpers.pdfs import assert_in_order, check_tagged, collapse, document_text, reader_of
from tests.helpers.samples import results
from tests.helpers.sites import build_cli, make_site, read_fixture

FEB, MAR = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
# a: everything; b: section without all documents; c: all but freshness; d: site down
NOW = {"a": "+++++", "b": "++-+-", "c": "++++-", "d": "-????"}
BEFORE = {"a": "++-+-", "b": "++-+-", "d": "+-???", "e": "+-???"}


@pytest.mark.parametrize(
    ("met", "total", "shown"),
    [(3, 4, "3 из 4 ОО (75\u00a0%)"), (1, 8, "1 из 8 ОО (13\u00a0%)"), (2, 3, "2 из 3 ОО (67\u00a0%)"),
     (1, 3, "1 из 3 ОО (33\u00a0%)"), (0, 0, "0 из 0 ОО (0\u00a0%)")],
)  # fmt: skip
def test_share_is_rounded_half_up(met: int, total: int, shown: str) -> None:
    assert str(Share(met, total)) == shown


def test_summary_names_each_share_with_agreeing_words() -> None:
    lines = summary(results(MAR, NOW))
    assert lines == [
        "Проверено 4 официальных сайта из 4 ОО проекта.",
        "Официальный сайт открывается у 3 из 4 ОО (75\u00a0%); критерий не выполнен: Тест-d.",
        "Информацию о реализации проекта разместили 3 из 4 ОО (75\u00a0%); не проверен: Тест-d.",
        "Все требуемые документы разместили в разделе 2 из 4 ОО (50\u00a0%); критерий не выполнен: Тест-b; "
        "не проверен: Тест-d.",
        "Ссылки на документы в разделе работают у 3 из 4 ОО (75\u00a0%); не проверен: Тест-d.",
        "Раздел обновлялся за последние 90 дней у 1 из 4 ОО (25\u00a0%); критерий не выполнен: Тест-b, Тест-c; "
        "не проверен: Тест-d.",
        "Всем критериям мониторинга соответствует 1 из 4 ОО (25\u00a0%).",
    ]


def test_summary_of_one_site_and_schools_without_one() -> None:
    lines = summary(results(MAR, {"a": "+++++", "x": "?????", "y": "?????"}, without_site=("x", "y")))
    assert lines[0] == "Проверен 1 официальный сайт из 3 ОО проекта."
    assert lines[1] == "Адрес официального сайта не указан в schools.yaml у 2 ОО: Тест-x, Тест-y."
    # Schools without a site are named once, not again under every criterion.
    assert lines[3] == "Информацию о реализации проекта разместила 1 из 3 ОО (33\u00a0%)."


def test_changes_since_the_previous_monitoring() -> None:
    assert changes(results(MAR, NOW), results(FEB, BEFORE)) == [
        "«Сайт открывается»: было 4 из 4 ОО (100\u00a0%), стало 3 из 4 ОО (75\u00a0%).",
        "«Раздел «500+» есть»: было 2 из 4 ОО (50\u00a0%), стало 3 из 4 ОО (75\u00a0%).",
        "«Документы названы»: было 0 из 4 ОО (0\u00a0%), стало 2 из 4 ОО (50\u00a0%).",
        "«Ссылки на документы работают»: было 2 из 4 ОО (50\u00a0%), стало 3 из 4 ОО (75\u00a0%).",
        "«Раздел обновлялся»: было 0 из 4 ОО (0\u00a0%), стало 1 из 4 ОО (25\u00a0%).",
        "«Все критерии»: было 0 из 4 ОО (0\u00a0%), стало 1 из 4 ОО (25\u00a0%).",
        "Тест-a, «Документы названы»: было «не выполнен», стало «выполнен».",
        "Тест-a, «Раздел обновлялся»: было «не выполнен», стало «выполнен».",
        "Тест-d, «Сайт открывается»: было «выполнен», стало «не выполнен».",
        "Тест-d, «Раздел «500+» есть»: было «не выполнен», стало «не проверен».",
        "Впервые в мониторинге: Тест-c.",
        "В прошлом мониторинге были, в этом нет: Тест-e.",
    ]


def test_no_changes_and_first_monitoring() -> None:
    assert changes(results(MAR, NOW), results(FEB, NOW)) == [
        "Изменений по сравнению с мониторингом 01.02.2026 нет."
    ]
    assert changes(results(MAR, NOW), None) == ["Это первый мониторинг: сравнивать не с чем."]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("note")
    content = make_site(root, {"site.yaml": read_fixture("site.yaml").replace("pdf: false", "pdf: true")})
    write_results(content, results(FEB, BEFORE))
    write_results(content, results(MAR, NOW))
    output = root / "output"
    result = build_cli(content, output, "2026-03-02")
    assert result.exit_code == 0, result.output
    return output


def texts(node: Tag, selector: str) -> list[str]:
    return [element.get_text(strip=True) for element in node.select(selector)]


def test_note_page_heading_method_and_criteria(built: Path) -> None:
    page = soup(built / "monitoring.html")
    assert text(page, "h1") == NOTE_TITLE
    heading = one(page, ".note-heading").get_text(" ", strip=True)
    assert "Управление образования Условного района" in heading
    assert "по состоянию на 1 марта 2026 г." in heading
    main = one(page, "main").get_text(" ", strip=True)
    assert "Дата мониторинга: 1 марта 2026 г." in main
    assert "site-builder monitor" in main
    criteria = [" ".join(li.get_text().split()) for li in page.select("#note-criteria + ol li")]
    assert criteria[0].startswith("Сайт открывается (обязательный)")
    assert criteria[4].startswith("Раздел обновлялся: самая поздняя дата")


def test_note_table_has_icons_texts_and_shares(built: Path) -> None:
    table = one(soup(built / "monitoring.html"), "table.note-table")
    assert texts(table, "thead th") == ["ОО", "Сайт открывается", "Раздел «500+» есть", "Документы названы",
                                        "Ссылки на документы работают", "Раздел обновлялся", "Все критерии"]  # fmt: skip
    assert texts(table, "tbody th") == ["Тест-a", "Тест-b", "Тест-c", "Тест-d"]
    row_b = table.select("tbody tr")[1]
    assert [td.get_text(" ", strip=True) for td in row_b.select("td")] == [
        "✓ выполнен", "✓ выполнен", "✗ не выполнен", "✓ выполнен", "✗ не выполнен", "✗ нет",
    ]  # fmt: skip
    assert one(row_b, "td.mark-not-met span").get("aria-hidden") == "true"
    assert texts(table, "tfoot td") == ["3 из 4 ОО (75\u00a0%)", "3 из 4 ОО (75\u00a0%)", "2 из 4 ОО (50\u00a0%)",
                                        "3 из 4 ОО (75\u00a0%)", "1 из 4 ОО (25\u00a0%)", "1 из 4 ОО (25\u00a0%)"]  # fmt: skip


def test_note_summary_findings_and_changes(built: Path) -> None:
    page = soup(built / "monitoring.html")
    summary_text = texts(page, "#note-summary ~ p")
    assert (
        "Информацию о реализации проекта разместили 3 из 4 ОО (75\u00a0%); не проверен: Тест-d."
        in summary_text
    )
    school = one(page, "#school-a")
    assert text(school, "h3") == "Тест-a — Синтетическая школа «a»"
    links = [str(a.get("href")) for a in school.select("a")]
    assert links[:2] == ["https://a.example.org/", "https://a.example.org/500plus/"]
    assert "https://a.example.org/files/roadmap.pdf" in links
    assert "Концепция развития: не найден" in school.get_text(" ", strip=True)
    assert "перенаправляет на другой сайт" in school.get_text(" ", strip=True)
    assert text(page, "#note-changes") == "6. Изменения с предыдущего мониторинга (1 февраля 2026 г.)"
    assert "Впервые в мониторинге: Тест-c." in texts(page, "#note-changes + ul li")


def test_note_prints_as_a_document(built: Path) -> None:
    page = soup(built / "monitoring.html")
    sheets = [str(link.get("href")) for link in page.select("link[rel=stylesheet]")]
    [sheet] = page.select("link[rel=stylesheet][href*=note-print]")
    assert sheet.get("media") == "print"
    # After the site's print.css: the note's A4 portrait page wins over the landscape tables of other pages.
    assert sheets.index(str(sheet.get("href"))) > next(
        i for i, href in enumerate(sheets) if "/print." in href
    )
    css = (built / str(sheet.get("href"))).read_text(encoding="utf-8")
    assert "size: A4 portrait" in css
    assert ".site-nav" in css and "display: none" in css
    signature = one(page, ".note-signature").get_text(" ", strip=True)
    assert signature.startswith("Муниципальный координатор")
    assert "(подпись)" in signature and "Тестова Т.Т." in signature
    # Other pages do not carry the note's print rules.
    assert "note-print" not in (built / "index.html").read_text(encoding="utf-8")


def test_landing_page_links_the_note(built: Path) -> None:
    assert one(soup(built / "index.html"), "#monitoring-heading + p a").get("href") == "monitoring.html"


def test_note_xlsx_holds_the_table_shares_summary_and_changes(built: Path) -> None:
    book = load_workbook(io.BytesIO((built / "monitoring.xlsx").read_bytes()))
    sheet = book.active
    assert sheet is not None
    values = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    flat = [value for row in values for value in row]
    assert flat[0] == NOTE_TITLE
    assert "Дата мониторинга: 01.03.2026" in flat
    assert "Всем критериям мониторинга соответствует 1 из 4 ОО (25\u00a0%)." in flat
    assert "Впервые в мониторинге: Тест-c." in flat
    assert ["Доля ОО", "3 из 4 ОО (75\u00a0%)", "3 из 4 ОО (75\u00a0%)", "2 из 4 ОО (50\u00a0%)",
            "3 из 4 ОО (75\u00a0%)", "1 из 4 ОО (25\u00a0%)", "1 из 4 ОО (25\u00a0%)"] in values  # fmt: skip
    row_b = next(row for row in values if row and row[0] == "Тест-b")
    assert row_b[3] == "✗ не выполнен: Документы названы: -"


def test_note_pdf_is_a_tagged_document_with_the_table(built: Path) -> None:
    page = soup(built / "monitoring.html")
    assert [a.get_text(strip=True) for a in page.select(".downloads a")] == ["Документ PDF", "Таблица Excel"]
    reader = reader_of(built / "monitoring.pdf")
    check_tagged(reader, NOTE_TITLE)
    # A4 portrait, with the wide table of schools and criteria on a landscape page.
    shapes = [page.mediabox.width > page.mediabox.height for page in reader.pages]
    assert not shapes[0] and any(shapes)
    first = collapse(reader.pages[0].extract_text())
    assert "по состоянию на 1 марта 2026 г." in first
    assert_in_order(
        document_text(reader),
        ["1. Дата и метод мониторинга", "2. Критерии", "3. Выводы", "4. Выполнение критериев",
         "Тест-a", "Тест-b", "Тест-c", "Тест-d", "5. Результаты по каждой ОО", "6. Изменения", "(подпись)"],
    )  # fmt: skip


def test_note_is_deterministic(built: Path, tmp_path: Path) -> None:
    content = built.parent / "content"
    again = tmp_path / "again"
    assert build_cli(content, again, "2026-03-02").exit_code == 0
    for name in ("monitoring.html", "monitoring.pdf", "monitoring.xlsx"):
        assert (again / name).read_bytes() == (built / name).read_bytes()


def test_no_results_no_note(tmp_path: Path) -> None:
    output = tmp_path / "output"
    assert build_cli(make_site(tmp_path), output).exit_code == 0
    assert not (output / "monitoring.html").exists()
    assert "monitoring.html" not in (output / "index.html").read_text(encoding="utf-8")
