"""Reading the file an editor imports: a Word .docx or a text export, as paragraphs and tables (tables.py)."""

from __future__ import annotations

from pathlib import Path

from site_builder.importer.tables import Block, SourceRefused
from site_builder.importer.textfile import read_text_export
from site_builder.importer.wordfile import read_docx

OLD_FORMATS = (".doc", ".rtf", ".odt", ".pdf")


def read_document(path: Path, shown: str) -> list[Block]:
    """Paragraphs and tables of a .docx file or of a text export, chosen by the file's extension."""
    if not path.is_file():
        raise SourceRefused(f"файл {shown} не найден")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path, shown)
    if suffix in OLD_FORMATS:
        raise SourceRefused(
            f"{shown}: формат «{suffix}» не читается — сохраните документ в Word как .docx "
            "или выгрузите таблицу в текст (Markdown или с разделителями-табуляциями)"
        )
    return read_text_export(path, shown)
