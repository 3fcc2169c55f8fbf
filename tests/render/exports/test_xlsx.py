"""The XLSX download read back with openpyxl: the table as an official expects it, byte-stable across builds."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from site_builder.model.site import load_site
from tests.helpers.builds import AS_OF, FORMULA_TEXT, LONG_TEXT, ODD_TEXT, build_shipped
from tests.helpers.sites import REPO


def _sheet(path: Path) -> Worksheet:
    sheet = load_workbook(path).active
    assert isinstance(sheet, Worksheet)
    return sheet


def _header_row(sheet: Worksheet) -> int:
    row = int(sheet.freeze_panes[1:]) - 1
    assert sheet.print_title_rows == f"${row}:${row}"
    return row


def test_roadmap_workbook_has_title_frozen_header_sections_and_widths(shipped: dict[str, Path]) -> None:
    sheet = _sheet(shipped["examples/shakhty"] / "roadmaps/shakhty-2022.xlsx")
    assert (
        sheet.cell(1, 1).value
        == "Муниципальная дорожная карта проекта Адресной методической помощи 500+ (на 2022 год)"
    )
    assert sheet.cell(2, 1).value == "Сведения на 01.12.2022"
    header = _header_row(sheet)
    labels = [cell.value for cell in sheet[header]]
    assert labels == ["№ п/п", "Описание действий", "Дата реализации", "Статус", "Основание статуса",
                      "Муниципальный показатель реализации"]  # fmt: skip
    assert all(cell.font.bold for cell in sheet[header])
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEF"]
    assert widths == [8, 45, 18, 16, 30, 40]
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    section = header + 1
    assert sheet.cell(section, 1).value == "1. Организационное сопровождение Проекта 500+"
    assert sheet.cell(section, 1).font.bold and f"A{section}:F{section}" in merged
    first = section + 1
    assert [sheet.cell(first, c).value for c in (1, 3, 4, 5)] == [
        "1.1.", "Август-ноябрь 2022", "выполнено", "по отчёту «Второй этап»"
    ]  # fmt: skip
    assert sheet.cell(first, 2).alignment.wrap_text
    numbers = [row[0] for row in sheet.iter_rows(min_row=header + 1, values_only=True) if row[1]]
    site = load_site(REPO / "examples/shakhty")
    assert numbers == [item.number for section in site.roadmaps[0].roadmap.sections for item in section.items]


def test_task_rows_are_merged_under_their_item(shipped: dict[str, Path]) -> None:
    sheet = _sheet(shipped["content"] / "roadmaps/balakhta-2022.xlsx")
    header = _header_row(sheet)
    rows = list(sheet.iter_rows(min_row=header + 1, values_only=True))
    start = header + 1 + next(i for i, row in enumerate(rows) if row[0] == "4.1")
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    # 4.1 has three task rows: number, activity, deadline, status and reason span all three.
    for letter in "ABCDE":
        assert f"{letter}{start}:{letter}{start + 2}" in merged
    tasks = [sheet.cell(start + i, 7).value for i in range(3)]
    assert all(tasks) and len(set(tasks)) == 3


def test_report_workbook_has_the_report_column_with_links(shipped: dict[str, Path]) -> None:
    sheet = _sheet(shipped["examples/shakhty"] / "reports/shakhty-2022-2.xlsx")
    header = _header_row(sheet)
    assert [c.value for c in sheet[header]] == ["№ п/п", "Описание действий", "Дата реализации", "Статус",
                                                "Отчетная информация Второй этап"]  # fmt: skip
    rows = {row[0]: row for row in sheet.iter_rows(min_row=header + 1, values_only=True) if row[1]}
    assert len(rows) == 23
    assert rows["1.2."][4] == (
        "Отчет куратора МБОУ СОШ №8 г.Шахты Поповой Н.А.: https://disk.yandex.ru/i/ICY6Z8YXcPbt-g\n"
        "Отчет куратора МБОУ СОШ №7 г.Шахты Немировой Е.Ю. (ссылка не указана)"
    )
    assert rows["1.4."][3:] == ("запланировано", "Проведение семинара запланировано на 16.12.2022")


def test_text_that_looks_like_a_formula_stays_text(synthetic: Path) -> None:
    sheet = _sheet(synthetic / "roadmaps/demo-2022.xlsx")
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA_TEXT]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_text_is_kept_as_written(synthetic: Path) -> None:
    sheet = _sheet(synthetic / "roadmaps/demo-2022.xlsx")
    values = {cell.value for row in sheet.iter_rows() for cell in row}
    assert LONG_TEXT in values  # the line break and the backslash stay
    # Excel reads _xHHHH_ as an escape, so the literal text is stored with its underscore escaped (_x005F_);
    # openpyxl does not undo that escape, Excel and LibreOffice do.
    assert ODD_TEXT.replace("_x0041_", "_x005F_x0041_") in values


def test_workbook_is_titled_in_russian_and_prints_on_landscape_a4(shipped: dict[str, Path]) -> None:
    book = load_workbook(shipped["examples/shakhty"] / "reports/shakhty-2022-2.xlsx")
    assert (book.properties.title, book.properties.language, book.properties.creator) == (
        "Отчет муниципального координатора о реализации Муниципальной дорожной карты проекта Адресной "
        "методической помощи 500+ в 2022 году (второй этап)", "ru-RU", "site-builder"
    )  # fmt: skip
    sheet = book.active
    assert isinstance(sheet, Worksheet) and sheet.title == "Отчёт"
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    header = sheet[_header_row(sheet)]
    assert {(c.fill.fgColor.rgb[-6:], c.border.left.style, c.border.bottom.style) for c in header} == {
        ("D9D9D9", "thin", "thin")
    }


def test_workbook_bytes_are_fixed_by_content_and_date(shipped: dict[str, Path], tmp_path: Path) -> None:
    again = build_shipped(tmp_path, "examples/shakhty")
    for name in ("roadmaps/shakhty-2022.xlsx", "reports/shakhty-2022-2.xlsx"):
        data = (shipped["examples/shakhty"] / name).read_bytes()
        assert data == (again / name).read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert {info.date_time for info in archive.infolist()} == {(2022, 12, 1, 0, 0, 0)}
        properties = load_workbook(io.BytesIO(data)).properties
        moment = dt.datetime.combine(AS_OF["examples/shakhty"], dt.time())
        assert (properties.created, properties.modified) == (moment, moment)
