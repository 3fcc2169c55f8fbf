"""The table as CSV that a Russian Excel opens correctly by double click.

UTF-8 with a byte order mark (without it Excel reads Cyrillic as cp1251), semicolons between fields (Excel with
Russian regional settings expects them, a comma puts the whole line into one column), CRLF line ends. Each line is
self-contained: the section is a column, and a value shared by several task rows is repeated on each of them.
"""

from __future__ import annotations

import csv
import io

from site_builder.render.exports.grid import Grid

DELIMITER = ";"
SECTION_LABEL = "Раздел"
# Excel runs a cell starting with one of these as a formula; a leading apostrophe keeps it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_bytes(grid: Grid) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([SECTION_LABEL, *(column.label for column in grid.columns)])
    for section in grid.sections:
        above: list[str] = [""] * len(grid.columns)
        for row in section.rows:
            above = [previous if value is None else value for value, previous in zip(row, above, strict=True)]
            writer.writerow([_safe(section.title), *(_safe(value) for value in above)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
