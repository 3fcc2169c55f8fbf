"""Built sites shared by the status and export tests: each content folder is built once per test session."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from site_builder.build.site import build_site
from tests.helpers.sites import REPO

# The fixed dates the expected statuses and percentages are computed for.
AS_OF = {
    "content": dt.date(2022, 6, 1),
    "examples/kaliningrad": dt.date(2023, 7, 1),
    "examples/shakhty": dt.date(2022, 12, 1),
}


def build(content: Path, output: Path, as_of: dt.date) -> Path:
    build_site(content, output, as_of)
    return output


def digest(folder: Path) -> dict[str, str]:
    """Every file of a built folder by its path: what two builds are compared by."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build_shipped(root: Path, name: str) -> Path:
    """Build one of the shipped sites (content/, examples/…) into `root` at its fixed date."""
    return build(REPO / name, root / name.replace("/", "-"), AS_OF[name])


# Synthetic content that would become a formula in Excel if written carelessly.
FORMULA_TEXT = '=HYPERLINK("https://example.org/")'
# Made-up text that a calendar line must fold (Cyrillic is two octets a letter) and escape (; , \\ and a line break).
LONG_TEXT = "Совещание с руководителями школ; план, сроки и ответственные \\ итоги — " * 3 + "\nвторая строка"
# Made-up text that XML must escape and keep as it is: spaces at both ends, markup, and Excel's own escape form.
ODD_TEXT = '  Отступ & <тег> "кавычки" _x0041_ конец  '


def set_first_deadline(roadmap: Path, deadline: str) -> None:
    """Write `deadline` as the first item's deadline of a synthetic roadmap (bench/corpus.py): an edit no other
    entry's page shows."""
    text = roadmap.read_text(encoding="utf-8")
    start = text.index("\n        deadline: ") + len(
        "\n        deadline: "
    )  # an item's, not the column title
    roadmap.write_text(text[:start] + deadline + text[text.index("\n", start) :], encoding="utf-8")
