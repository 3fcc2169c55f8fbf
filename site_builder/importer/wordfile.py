"""Word (.docx) documents: body paragraphs and tables in order, merged cells resolved, hyperlinks kept.

A cell merged across columns gives its text once and empty cells after it; a cell merged down gives its text
to the first row only, so a row under it reads as a continuation row, as it looks on paper.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph as DocxParagraph

from site_builder.importer.cells import collapse, hyperlink_text
from site_builder.importer.tables import Block, Paragraph, Row, SourceRefused, Table


def paragraph_text(paragraph: DocxParagraph) -> str:
    """The paragraph's text with each hyperlink's address written after its words."""
    parts = []
    for content in paragraph.iter_inner_content():
        if isinstance(content, Hyperlink):
            parts.append(f" {hyperlink_text(content.text, content.url)} ")
        else:
            parts.append(content.text)
    return "".join(parts)


def cell_text(cell: _Cell) -> str:
    """All paragraphs of a cell (and of tables nested in it) on one line."""
    texts = [paragraph_text(paragraph) for paragraph in cell.paragraphs]
    texts.extend(cell_text(inner) for table in cell.tables for row in table.rows for inner in row.cells)
    return collapse(" ".join(texts))


def _row_cells(table: DocxTable, tr: object) -> tuple[str, ...]:
    cells: list[str] = [""] * getattr(tr, "grid_before", 0)
    for tc in tr.tc_lst:  # type: ignore[attr-defined]
        text = "" if tc.vMerge == "continue" else cell_text(_Cell(tc, table))
        cells.append(text)
        cells.extend([""] * (tc.grid_span - 1))
    return tuple(cells)


def read_docx(path: Path, shown: str) -> list[Block]:
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise SourceRefused(f"{shown}: файл не открывается как документ Word (.docx): {error}") from error
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
            rows.append(Row(_row_cells(content, tr), position))
        if rows:
            blocks.append(Table(tuple(rows), rows[0].line))
    return blocks
