"""Word files for the tests, built with python-docx the way Word lays such documents out.

A seed text export is turned back into a .docx: its paragraphs become paragraphs (line breaks kept), its tables
Word tables in which a section row is one cell merged across the table, the empty leading cells of an item's
further rows are merged down into the item's cells, `<p>` fragments are paragraphs of a cell, every URL is a real
hyperlink, and a table continued after a page break repeats the header row. No binary file is committed.
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

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
    """Paragraphs (blank-line separated) and tables (pipe or tab-separated lines) of a seed export, raw.

    A single tab-separated line is a paragraph laid out with tabs (a date, then the number at the margin).
    """
    blocks: list[SeedBlock] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith("|") for line in lines):
            rows = [_pipe_cells(line) for line in lines if not SEPARATOR.match(line.strip())]
            blocks.append(SeedTable([row for row in rows if any(row)]))
        elif len(lines) > 1 and all("\t" in line for line in lines):
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
    """Text with its URLs as hyperlinks, its line breaks and tabs as Word's; Markdown bold becomes bold."""
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


# Hostile Word files (made up, built byte by byte): a valid small document with one part replaced.

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT_XML = "word/document.xml"


def document_xml(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'.encode()


def table_xml(cells: str) -> str:
    return f"<w:tbl><w:tr>{cells}</w:tr></w:tbl>"


def cell_xml(text: str, properties: str = "") -> str:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def nested_tables(depth: int) -> str:
    body = "<w:p><w:r><w:t>дно</w:t></w:r></w:p>"
    for _ in range(depth):
        body = f"<w:tbl><w:tr><w:tc>{body}</w:tc></w:tr></w:tbl><w:p/>"
    return body


def billion_laughs() -> bytes:
    entities = "".join(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10))
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY lol0 "lol">{entities}]>\n'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
    ).encode()


def _base_docx() -> bytes:
    document = Document()
    document.add_paragraph("Выдуманный документ для проверки импорта")
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


@dataclass(frozen=True)
class Bomb:
    """A part written as `head`, `filler` repeated until the part is `size` bytes, then `tail`."""

    head: bytes
    filler: bytes
    size: int
    tail: bytes = b""

    def write(self, stream: IO[bytes]) -> None:
        stream.write(self.head)
        chunk = self.filler * (CHUNK // len(self.filler))
        left = self.size - len(self.head) - len(self.tail)
        while left > 0:
            stream.write(chunk[:left])
            left -= len(chunk)
        stream.write(self.tail)


CHUNK = 1 << 20


def text_bomb(size: int) -> Bomb:
    """One w:t whose text fills the part: what a 1 MB file unpacking to `size` bytes looks like."""
    head, tail = document_xml("<w:p><w:r><w:t>\x00").split(b"\x00")
    return Bomb(head, b"A", size, b"</w:t></w:r></w:p>" + tail)


def hostile_docx(path: Path, parts: dict[str, bytes | Bomb]) -> Path:
    """A small valid .docx with `parts` replaced (or added); a Bomb is streamed through deflate at level 1."""
    with (
        zipfile.ZipFile(io.BytesIO(_base_docx())) as base,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in base.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, base.read(info))
        for name, data in parts.items():
            if isinstance(data, Bomb):
                with target.open(name, "w") as stream:
                    data.write(stream)
            else:
                target.writestr(name, data)
    return path


def _patch_headers(path: Path, name: str, fmt: str, value: int, local: int, central: int) -> Path:
    """Write `value` at offset `local` of `name`'s local header and at `central` of its directory entry."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    data = bytearray(path.read_bytes())
    struct.pack_into(fmt, data, info.header_offset + local, value)
    end = data.rfind(b"PK\x05\x06")
    entry = struct.unpack_from("<I", data, end + 16)[0]  # where the directory starts
    while data[entry : entry + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, entry + 28)
        if data[entry + 46 : entry + 46 + name_length] == name.encode():
            struct.pack_into(fmt, data, entry + central, value)
        entry += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(data))
    return path


def understate_size(path: Path, name: str, size: int) -> Path:
    """Make the zip's local header and its directory both claim that `name` unpacks to `size` bytes."""
    return _patch_headers(path, name, "<I", size, local=22, central=24)


def mark_encrypted(path: Path, name: str) -> Path:
    """Set the «encrypted» flag of `name`, as a password-protected zip has it."""
    return _patch_headers(path, name, "<H", 0x1, local=6, central=8)


def element_flood(count: int) -> bytes:
    """`count` short empty elements in a random order, so deflate cannot pack them like a bomb."""
    choice = random.Random(0).choice
    tags = [f"<w:{name}/>".encode() for name in ("p", "r", "t", "b", "i", "u", "br", "tab")]
    head, tail = document_xml("\x00").split(b"\x00")
    return head + b"".join(choice(tags) for _ in range(count)) + tail


def many_parts(count: int) -> dict[str, bytes | Bomb]:
    return {f"customXml/item{number}.bin": b"" for number in range(count)}


def long_text(length: int) -> bytes:
    """One w:t of `length` random letters (random, so that it packs like text, not like a bomb)."""
    letters = random.Random(0).choices("абвгдежзиклмнопрстуф ", k=length)
    return document_xml(f"<w:p><w:r><w:t>{''.join(letters)}</w:t></w:r></w:p>")
