"""Word (.docx) documents: body paragraphs and tables in order, merged cells resolved, hyperlinks kept.

A cell merged across columns gives its text once and empty cells after it; a cell merged down gives its text
to the first row only, so a row under it reads as a continuation row, as it looks on paper.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph as DocxParagraph

from site_builder.importer.cells import collapse, hyperlink_text
from site_builder.importer.tables import Block, Paragraph, Row, SourceRefused, Table
from site_builder.importer.wordzip import MAX_COLUMNS, checked_package, damaged


def paragraph_text(paragraph: DocxParagraph) -> str:
    """The paragraph's text with each hyperlink's address written after its words."""
    parts = []
    for content in paragraph.iter_inner_content():
        if isinstance(content, Hyperlink):
            parts.append(f" {hyperlink_text(content.text, _url(content))} ")
        else:
            parts.append(content.text)
    return "".join(parts)


def _url(hyperlink: Hyperlink) -> str:
    """The link's address; a link to a relationship the package lacks has none, as Word shows it."""
    try:
        return hyperlink.url
    except KeyError:
        return ""


def cell_text(cell: _Cell) -> str:
    """All paragraphs of a cell (and of tables nested in it) on one line."""
    texts = [paragraph_text(paragraph) for paragraph in cell.paragraphs]
    texts.extend(
        cell_text(_Cell(tc, table)) for table in cell.tables for tr in table._tbl.tr_lst for tc in tr.tc_lst
    )
    return collapse(" ".join(texts))


def _row_cells(table: DocxTable, tr: object, where: str) -> tuple[str, ...]:
    cells: list[str] = [""] * getattr(tr, "grid_before", 0)
    for tc in tr.tc_lst:  # type: ignore[attr-defined]
        text = "" if tc.vMerge == "continue" else cell_text(_Cell(tc, table))
        cells.append(text)
        cells.extend([""] * (tc.grid_span - 1))
        # Each span is checked in the XML; their sum is checked here, before a row of spans grows.
        if len(cells) > MAX_COLUMNS:
            raise SourceRefused(
                f"{where}: в строке таблицы больше {MAX_COLUMNS} столбцов — больше в таблице Word не бывает; "
                "документ не читается"
            )
    return tuple(cells)


def read_docx(path: Path, shown: str) -> list[Block]:
    package = checked_package(path, shown)
    # What passed the checks is well-formed XML, but its parts may still not fit together (a relationship with
    # no target, a main part of the wrong type): python-docx then fails with whatever error it meets first.
    try:
        document = Document(package)
    except (OpcError, PythonDocxError, KeyError, ValueError, TypeError, AttributeError, IndexError) as error:
        raise damaged(shown) from error
    del package  # python-docx holds the parts now; the copy's bytes can go
    # Word has no line numbers: paragraphs and table rows are counted together, in document order.
    blocks: list[Block] = []
    position = 0
    for content in document.iter_inner_content():
        if isinstance(content, DocxParagraph):
            position += 1
            text = "\n".join(" ".join(line.split()) for line in paragraph_text(content).split("\n"))
            if text.strip():
                blocks.append(Paragraph(text.strip("\n"), position))
            continue
        rows = []
        for tr in content._tbl.tr_lst:
            position += 1
            rows.append(Row(_row_cells(content, tr, f"{shown}:{position}"), position))
        if rows:
            blocks.append(Table(tuple(rows), rows[0].line))
    return blocks
