"""The neutral form every source is read into: paragraphs and tables of plain-text cells, in document order.

Readers for Word files and for text exports (Markdown pipe tables, tab-separated tables) produce the same
blocks, so understanding a table (layout.py) never depends on where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paragraph:
    """Text outside tables; `text` keeps the document's line breaks, `line` is where it starts."""

    text: str
    line: int

    @property
    def flat(self) -> str:
        return " ".join(self.text.split())


@dataclass(frozen=True)
class Row:
    """One table row of single-line cell texts; `line` is its text line (in a Word file: paragraphs and rows counted)."""

    cells: tuple[str, ...]
    line: int

    @property
    def empty(self) -> bool:
        return not any(self.cells)


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    line: int


Block = Paragraph | Table


class SourceRefused(Exception):
    """The file cannot be read as a document at all (missing, wrong format, damaged)."""


OLD_FORMATS = (".doc", ".rtf", ".odt", ".pdf")


def read_document(path: Path, shown: str) -> list[Block]:
    """Paragraphs and tables of a .docx file or of a text export, chosen by the file's extension."""
    if not path.is_file():
        raise SourceRefused(f"файл {shown} не найден")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from site_builder.importer.wordfile import read_docx

        return read_docx(path, shown)
    if suffix in OLD_FORMATS:
        raise SourceRefused(
            f"{shown}: формат «{suffix}» не читается — сохраните документ в Word как .docx "
            "или выгрузите таблицу в текст (Markdown или с разделителями-табуляциями)"
        )
    from site_builder.importer.textfile import read_text_export

    return read_text_export(path, shown)
