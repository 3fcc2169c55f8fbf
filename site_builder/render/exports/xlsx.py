"""The table as an Excel workbook an official can print or fill in: title, frozen header, section rows, wrapped text.

The SpreadsheetML parts are written directly: one sheet of inline strings, five cell styles fixed once in
styles.xml, so a workbook costs a string join and a deflate instead of a spreadsheet library's bookkeeping per
cell. The bytes depend only on the content and the as-of date, which dates the document properties and every
zip entry.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Iterator, Sequence

from site_builder.render.exports.grid import Grid, GridRow
from site_builder.render.exports.zipparts import Deflated, archive

# zlib's default (6) took a third of a workbook's time; 3 deflates the sheet XML five times faster, 16 % larger.
_DEFLATE_LEVEL = 3
_LINE_HEIGHT = 15.0  # points per line of 11-point text
_MAX_HEIGHT = 409.0  # Excel's limit for one row

# Cell styles: indexes into cellXfs below.
_TITLE, _NOTE, _HEADER, _SECTION, _CELL = 1, 2, 3, 4, 5
_THIN = '<color rgb="FF808080"/>'
_BORDER = "".join(f'<{side} style="thin">{_THIN}</{side}>' for side in ("left", "right", "top", "bottom"))
_TOP_WRAP = '<alignment vertical="top" wrapText="1"/>'
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>{_BORDER}<diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    f'<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">{_TOP_WRAP}</xf>'
    f'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">{_TOP_WRAP}</xf>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"'
    f' applyAlignment="1">{_TOP_WRAP}</xf>'
    '<xf numFmtId="0" fontId="2" fillId="3" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"'
    f' applyAlignment="1">{_TOP_WRAP}</xf>'
    f'<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">{_TOP_WRAP}</xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument"


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}.spreadsheetml.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}"
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{_TYPE}.extended-properties+xml"/>'
        "</Types>"
    )


_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PACKAGE_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


def _workbook_rels(sheets: int) -> str:
    """Sheets are rId1…rIdN, styles the next one (for one sheet: rId1 and rId2, as before)."""
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        _HEAD + f'<Relationships xmlns="{_PACKAGE_REL}">{links}'
        f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )


_APP = (
    _HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>site-builder</Application></Properties>"
)
# Characters XML 1.0 cannot carry, and text that Excel would read as such an escape, written as Excel's _xHHHH_.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _excel_escape(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


# What either escape() or _UNSAFE would change: most cells have none of it and are taken as they are.
_SPECIAL = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _text(value: str) -> str:
    if _SPECIAL.search(value) is None:
        return value
    text = html.escape(value, quote=False)
    return _UNSAFE.sub(_excel_escape, text) if _UNSAFE.search(text) else text


def _letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _height(texts: list[str], widths: list[int]) -> float:
    """Excel does not size rows of wrapped or merged text itself, so estimate the number of lines."""
    lines = 1
    for text, width in zip(texts, widths, strict=True):
        per_line = max(width - 1, 1)
        if "\n" in text:
            count = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
        else:  # most cells: one paragraph, and a short one fits on the row's one line
            count = -(-len(text) // per_line)
        if count > lines:
            lines = count
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


class _Sheet:
    """The rows of one sheet's XML as they are laid out, with the merged ranges they make."""

    def __init__(self, widths: list[int]) -> None:
        self.widths = widths
        self.letters = [_letter(column) for column in range(1, len(widths) + 1)]
        self.rows: list[str] = []
        self.merged: list[str] = []
        self.row = 0

    def line(self, values: Sequence[str | None], style: int, height: float, covered: int = _CELL) -> None:
        """The next row; an empty cell keeps its style (borders), a None cell is covered by a merge above."""
        self.row += 1
        cells = []
        for letter, value in zip(self.letters, values, strict=False):
            if value:
                space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                cells.append(
                    f'<c r="{letter}{self.row}" s="{style}" t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
                )
            else:
                cells.append(f'<c r="{letter}{self.row}" s="{covered if value is None else style}"/>')
        self.rows.append(f'<row r="{self.row}" ht="{height:g}" customHeight="1">{"".join(cells)}</row>')

    def wide(self, text: str, style: int, bordered: bool) -> None:
        """A row whose one cell spans the whole table: the title, a note, a section header."""
        width = len(self.widths)
        rest: list[str | None] = [None] * (width - 1) if bordered else []
        self.line([text, *rest], style, _height([text], [sum(self.widths)]))
        if width > 1:
            self.merged.append(f"A{self.row}:{self.letters[-1]}{self.row}")

    def skip(self) -> None:
        self.row += 1

    def merge_down(self, runs: list[tuple[int, int, int]]) -> None:
        letters = self.letters
        self.merged += [f"{letters[at - 1]}{top}:{letters[at - 1]}{bottom}" for at, top, bottom in runs]


def _sheet_xml(sheet: _Sheet, header: int, selected: bool) -> str:
    columns = "".join(
        f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
        for index, width in enumerate(sheet.widths, 1)
    )
    merged = "".join(f'<mergeCell ref="{ref}"/>' for ref in sheet.merged)
    return (
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{sheet.letters[-1]}{sheet.row}"/>'
        f'<sheetViews><sheetView tabSelected="{int(selected)}" workbookViewId="0">'
        f'<pane ySplit="{header}" topLeftCell="A{header + 1}" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{columns}</cols>'
        f"<sheetData>{''.join(sheet.rows)}</sheetData>"
        + (f'<mergeCells count="{len(sheet.merged)}">{merged}</mergeCells>' if merged else "")
        + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        '<pageSetup paperSize="9" fitToWidth="1" fitToHeight="0" orientation="landscape"/>'
        "</worksheet>"
    )


def _workbook_xml(sheets: list[tuple[str, int]]) -> str:
    """(title, header row) of each sheet; the header row is repeated on every printed page."""
    names = "".join(
        f'<sheet name="{html.escape(title)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, (title, _) in enumerate(sheets, 1)
    )
    titles = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">'
        f"{html.escape(_quoted(title), quote=False)}!${header}:${header}</definedName>"
        for n, (title, header) in enumerate(sheets)
    )
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{names}</sheets><definedNames>{titles}</definedNames>"
        "</workbook>"
    )


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _core_xml(title: str, moment: dt.datetime) -> str:
    stamp = f"{moment:%Y-%m-%dT%H:%M:%SZ}"
    return (
        f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>site-builder</dc:creator><dc:language>ru-RU</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _lay_out(grid: Grid) -> tuple[_Sheet, int]:
    """The sheet's rows and the number of its header row."""
    widths = [column.width for column in grid.columns]
    sheet = _Sheet(widths)
    sheet.wide(grid.title, _TITLE, bordered=False)
    for note in grid.notes:
        sheet.wide(note, _NOTE, bordered=False)
    sheet.skip()
    labels = [column.label for column in grid.columns]
    sheet.line(labels, _HEADER, _height(labels, widths))
    header = sheet.row
    for section in grid.sections:
        sheet.wide(section.title, _SECTION, bordered=True)
        first = sheet.row + 1
        for line in section.rows:
            sheet.line(line, _CELL, _height([value or "" for value in line], widths))
        sheet.merge_down(_merges(section.rows, first))
    return sheet, header


def _parts(grids: list[Grid], moment: dt.datetime) -> Iterator[Deflated]:
    laid = [_lay_out(grid) for grid in grids]
    titles = _unique_titles([_sheet_title(grid.sheet_name) for grid in grids])
    before, after = _fixed_parts(len(grids))
    yield from before
    yield _deflated("docProps/core.xml", _core_xml(grids[0].title, moment))
    yield _deflated(
        "xl/workbook.xml",
        _workbook_xml([(title, header) for title, (_, header) in zip(titles, laid, strict=True)]),
    )
    yield from after
    for n, (sheet, header) in enumerate(laid, 1):
        yield _deflated(f"xl/worksheets/sheet{n}.xml", _sheet_xml(sheet, header, selected=n == 1))


def _deflated(name: str, text: str) -> Deflated:
    return Deflated.of(name, text.encode("utf-8"), _DEFLATE_LEVEL)


@functools.cache
def _fixed_parts(sheets: int) -> tuple[tuple[Deflated, ...], tuple[Deflated, ...]]:
    """The parts that only depend on the number of sheets, deflated once: those before the document's
    properties and workbook, and those after."""
    before = (
        _deflated("[Content_Types].xml", _content_types(sheets)),
        _deflated("_rels/.rels", _ROOT_RELS),
        _deflated("docProps/app.xml", _APP),
    )
    after = (
        _deflated("xl/_rels/workbook.xml.rels", _workbook_rels(sheets)),
        _deflated("xl/styles.xml", _STYLES),
    )
    return before, after


def _unique_titles(titles: list[str]) -> list[str]:
    """Excel refuses two sheets of one name: a repeated one gets « (2)», within the 31-character limit."""
    seen: set[str] = set()
    unique = []
    for title in titles:
        candidate, n = title, 1
        while candidate.lower() in seen:
            n += 1
            candidate = f"{title[: 31 - len(f' ({n})')]} ({n})"
        seen.add(candidate.lower())
        unique.append(candidate)
    return unique


def workbook_bytes(grid: Grid, as_of: dt.date, *more: Grid) -> bytes:
    """The grid on the first sheet (its title is the document's); each of `more` on a sheet of its own after it."""
    moment = dt.datetime.combine(as_of, dt.time())
    return archive(_parts([grid, *more], moment), as_of.year, as_of.month, as_of.day)
