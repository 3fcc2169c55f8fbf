"""Text exports of Word tables: Markdown pipe tables and tab-separated rows, with the text around them.

A blank line or a paragraph ends a table, so a table continued after a page break arrives as a new table —
exactly what layout.py needs to know to join a row split by the break.
"""

from __future__ import annotations

import re
from pathlib import Path

from site_builder.content.loader import read_text
from site_builder.core.errors import ContentError
from site_builder.importer.cells import plain_text
from site_builder.importer.tables import Block, Paragraph, Row, SourceRefused, Table

_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((\S+?)\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_EMPHASIS = re.compile(r"\*\*|__")
# A tab-separated group this small is a line laid out with tabs (a signature, a date and a number), not a table.
_MIN_TABLE_CELLS = 3


def _kind(line: str) -> str:
    stripped = line.strip()
    if not stripped:
        return "blank"
    if stripped.startswith("|"):
        return "pipe"
    return "tab" if "\t" in line else "text"


def _pipe_cells(line: str) -> list[str] | None:
    """Cells of a Markdown row; None for the `|---|---|` line under a header."""
    inner = line.strip().removeprefix("|")
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    cells = [cell.strip().replace("\\|", "|") for cell in _PIPE_SPLIT.split(inner)]
    if all(_SEPARATOR_CELL.match(cell) for cell in cells):
        return None
    return [plain_text(_AUTOLINK.sub(r"\1", _MD_LINK.sub(r"\1 \2", cell))) for cell in cells]


def _group_blocks(kind: str, group: list[tuple[int, str]]) -> list[Block]:
    if kind == "text":
        text = "\n".join(" ".join(_EMPHASIS.sub("", line).split()) for _, line in group)
        return [Paragraph(text, group[0][0])]
    if kind == "pipe":
        parsed = [(number, _pipe_cells(line)) for number, line in group]
        rows = tuple(Row(tuple(cells), number) for number, cells in parsed if cells is not None)
        return [Table(rows, group[0][0])] if rows else []
    rows = tuple(Row(tuple(plain_text(cell) for cell in line.split("\t")), number) for number, line in group)
    if len(rows) < 2 and max(len(row.cells) for row in rows) < _MIN_TABLE_CELLS:
        return [Paragraph(" ".join(cell for cell in rows[0].cells if cell), group[0][0])]
    return [Table(rows, group[0][0])]


def parse_text_export(text: str) -> list[Block]:
    blocks: list[Block] = []
    group: list[tuple[int, str]] = []
    group_kind = "blank"
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        kind = _kind(line)
        if kind != group_kind and group:
            blocks.extend(_group_blocks(group_kind, group))
            group = []
        group_kind = kind
        if kind != "blank":
            group.append((number, line))
    return blocks


def read_text_export(path: Path, shown: str) -> list[Block]:
    try:
        text = read_text(path, shown)
    except ContentError as error:
        raise SourceRefused("\n".join(problem.format() for problem in error.problems)) from error
    return parse_text_export(text)
