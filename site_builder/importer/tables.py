"""The neutral form every source is read into: paragraphs and tables of plain-text cells, in document order.

Readers for Word files and for text exports (Markdown pipe tables, tab-separated tables) produce the same
blocks, so understanding a table (layout.py) never depends on where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass


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
