"""The table as an Excel workbook an official can print or fill in: title, frozen header, section rows, wrapped text.

The bytes depend only on the content and the as-of date: openpyxl stamps the save time into the document
properties and into every zip entry, so the archive is rewritten with both fixed to the as-of date.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile

from openpyxl import Workbook
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from site_builder.exports.grid import Grid, GridRow

_WRAP = Alignment(wrap_text=True, vertical="top")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_SECTION_FILL = PatternFill("solid", fgColor="EDEDED")
_LINE_HEIGHT = 15.0  # points per line of 11-point text
_MAX_HEIGHT = 409.0  # Excel's limit for one row
_CORE = "docProps/core.xml"


def _put(sheet: Worksheet, row: int, column: int, value: str) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    # Text that starts with «=» is still text: nothing an editor wrote may become a formula.
    cell.data_type = "s"
    cell.alignment = _WRAP
    cell.border = _BORDER


def _wide_row(
    sheet: Worksheet, row: int, width: int, text: str, font: Font, fill: PatternFill | None
) -> None:
    """A row whose one cell spans the whole table: the title, a note, a section header."""
    _put(sheet, row, 1, text)
    cell = sheet.cell(row=row, column=1)
    cell.font = font
    if fill is not None:
        for column in range(1, width + 1):
            sheet.cell(row=row, column=column).fill = fill
            sheet.cell(row=row, column=column).border = _BORDER
    else:
        cell.border = Border()
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    total = sum(sheet.column_dimensions[get_column_letter(c)].width or 10 for c in range(1, width + 1))
    sheet.row_dimensions[row].height = _height([text], [int(total)])


def _height(texts: list[str], widths: list[int]) -> float:
    """Excel does not size rows of wrapped or merged text itself, so estimate the number of lines."""
    lines = 1
    for text, width in zip(texts, widths, strict=True):
        count = sum(max(1, math.ceil(len(part) / max(width - 1, 1))) for part in text.split("\n"))
        lines = max(lines, count)
    return min(_MAX_HEIGHT, lines * _LINE_HEIGHT)


def _merges(rows: list[GridRow], first: int) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of every run of a cell and the None cells under it."""
    width = len(rows[0]) if rows else 0
    closing: GridRow = [""] * width
    runs = []
    for column in range(width):
        start = 0
        for offset, row in enumerate([*rows, closing]):
            if row[column] is None:
                continue
            if offset - 1 > start:
                runs.append((column + 1, first + start, first + offset - 1))
            start = offset
    return runs


def _sheet_title(name: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip()
    return cleaned[:31] or "Лист1"


def workbook_bytes(grid: Grid, as_of: dt.date, *more: Grid) -> bytes:
    """The grid on the first sheet; each of `more` on a sheet of its own after it."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    for extra in more:
        _fill_sheet(book.create_sheet(), extra)
    _fill_sheet(sheet, grid)
    moment = dt.datetime.combine(as_of, dt.time())
    book.properties = DocumentProperties(
        title=grid.title, creator="site-builder", language="ru-RU", created=moment, modified=moment
    )
    buffer = io.BytesIO()
    book.save(buffer)
    book.properties.modified = moment  # save() overwrote it with the wall clock
    return _fixed_zip(buffer.getvalue(), moment, {_CORE: tostring(book.properties.to_tree())})


def _fill_sheet(sheet: Worksheet, grid: Grid) -> None:
    sheet.title = _sheet_title(grid.sheet_name)
    width = len(grid.columns)
    widths = [column.width for column in grid.columns]
    for index, column_width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width
    row = 1
    _wide_row(sheet, row, width, grid.title, Font(bold=True, size=14), None)
    for note in grid.notes:
        row += 1
        _wide_row(sheet, row, width, note, Font(), None)
    row += 2
    header = row
    for index, column in enumerate(grid.columns, 1):
        _put(sheet, row, index, column.label)
        sheet.cell(row=row, column=index).font = Font(bold=True)
        sheet.cell(row=row, column=index).fill = _HEADER_FILL
    sheet.row_dimensions[row].height = _height([c.label for c in grid.columns], widths)
    for section in grid.sections:
        row += 1
        _wide_row(sheet, row, width, section.title, Font(bold=True), _SECTION_FILL)
        first = row + 1
        for line in section.rows:
            row += 1
            for index, value in enumerate(line, 1):
                _put(sheet, row, index, value or "")
            sheet.row_dimensions[row].height = _height([value or "" for value in line], widths)
        for at, top, bottom in _merges(section.rows, first):
            sheet.merge_cells(start_row=top, start_column=at, end_row=bottom, end_column=at)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _fixed_zip(data: bytes, moment: dt.datetime, replace: dict[str, bytes]) -> bytes:
    """The same archive with every entry dated `moment` and the given entries replaced."""
    out = io.BytesIO()
    stamp = (moment.year, moment.month, moment.day, 0, 0, 0)
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, replace.get(info.filename, source.read(info.filename)))
    return out.getvalue()
