"""Word files for the tests, built with python-docx the way Word lays such documents out.

A seed text export is turned back into a .docx: its paragraphs become paragraphs (line breaks kept), its tables
Word tables in which a section row is one cell merged across the table, the empty leading cells of an item's
further rows are merged down into the item's cells, `<p>` fragments are paragraphs of a cell, every URL is a real
hyperlink, and a table continued after a page break repeats the header row. No binary file is committed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

URL = re.compile(r"https?://\S+")
PARAGRAPH_TAG = re.compile(r"</?p>")
SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")


@dataclass
class SeedTable:
    rows: list[list[str]] = field(default_factory=list)


SeedBlock = str | SeedTable


def _pipe_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def seed_blocks(text: str) -> list[SeedBlock]:
    """Paragraphs (blank-line separated) and tables (pipe or tab-separated lines) of a seed export, raw."""
    blocks: list[SeedBlock] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith("|") for line in lines):
            rows = [_pipe_cells(line) for line in lines if not SEPARATOR.match(line.strip())]
            blocks.append(SeedTable([row for row in rows if any(row)]))
        elif all("\t" in line for line in lines):
            blocks.append(SeedTable([line.split("\t") for line in lines]))
        else:
            blocks.append("\n".join(lines))
    return blocks


def add_hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    """A w:hyperlink element pointing through an external relationship, as Word writes it."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = text
    run.append(text_element)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def fill_paragraph(paragraph: Paragraph, text: str) -> None:
    """Text with its URLs as hyperlinks and its line breaks as Word line breaks; Markdown bold becomes bold."""
    bold = text.startswith("**")
    lines = text.replace("**", "").split("\n")
    for number, line in enumerate(lines):
        position = 0
        for match in URL.finditer(line):
            if line[position : match.start()]:
                paragraph.add_run(line[position : match.start()]).bold = bold
            add_hyperlink(paragraph, match.group(), match.group())
            position = match.end()
        run = paragraph.add_run(line[position:])
        run.bold = bold
        if number < len(lines) - 1:
            run.add_break()


def fill_cell(cell: object, raw: str) -> None:
    fragments = [fragment.strip() for fragment in PARAGRAPH_TAG.split(raw) if fragment.strip()]
    paragraphs = cell.paragraphs  # type: ignore[attr-defined]
    for index, fragment in enumerate(fragments):
        paragraph = paragraphs[0] if index == 0 else cell.add_paragraph()  # type: ignore[attr-defined]
        fill_paragraph(paragraph, fragment)


def _is_section(row: list[str]) -> bool:
    return bool(row[0]) and not any(row[1:])


def add_table(document: object, rows: list[list[str]], header: list[str]) -> Table:
    width = len(header)
    table: Table = document.add_table(rows=len(rows), cols=width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for r_index, row in enumerate(rows):
        cells = (row + [""] * width)[:width]
        for c_index, text in enumerate(cells):
            if text:
                fill_cell(table.cell(r_index, c_index), text)
        if _is_section(cells):
            table.cell(r_index, 0).merge(table.cell(r_index, width - 1))
            continue
        above = rows[r_index - 1] if r_index > 0 else None
        if above is None or above == header or _is_section(above) or cells[0]:
            continue
        # The further rows of an item: its leading empty cells are the item's own cells merged down.
        for c_index, text in enumerate(cells):
            if text:
                break
            table.cell(r_index - 1, c_index).merge(table.cell(r_index, c_index))
    return table


def build_docx(text: str, path: Path) -> Path:
    document = Document()
    header: list[str] | None = None
    for block in seed_blocks(text):
        if isinstance(block, str):
            fill_paragraph(document.add_paragraph(), block)
            continue
        rows = block.rows
        if header is None:
            header = rows[0]
        elif rows[0] != header:
            rows = [header, *rows]
        add_table(document, rows, header)
    document.save(str(path))
    return path
