"""Hostile Word files (all made up): the real `site-builder import` ends each with exit 2 and one Russian line.

The import runs as a child of a small measuring process, which prints the child's peak memory
(getrusage of its only child), so a parser that unpacks or builds a bomb whole fails the memory bound here
instead of being noticed by a timer. An address-space cap keeps such a parser from exhausting the machine.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.importer.documents import read_document
from site_builder.importer.tables import Table
from site_builder.importer.wordzip import (
    MAX_COLUMNS,
    MAX_DEPTH,
    MAX_MEMBERS,
    MAX_NODES,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_TEXT,
    MAX_XML_BYTES,
    MB,
)
from tests.helpers.wordbuild import (
    DOCUMENT_XML,
    Bomb,
    billion_laughs,
    cell_xml,
    document_xml,
    element_flood,
    hostile_docx,
    long_text,
    many_parts,
    mark_encrypted,
    nested_tables,
    table_xml,
    text_bomb,
    understate_size,
)

PEAK_LIMIT_KB = 300 * 1024
ADDRESS_SPACE = 3 << 30
BOMB = 512 << 20  # unpacked, from a file of about 2 MB
MEASURE = (
    "import resource, subprocess, sys; child = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(child.returncode)"
)
RELATIONSHIP_WITHOUT_TARGET = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/></Relationships>'
)
CYRILLIC = re.compile(r"[а-яё]{3}", re.IGNORECASE)


def _cap_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def import_in_child(path: Path, cwd: Path) -> tuple[int, list[str], int]:
    """Exit code, stderr lines and peak resident memory (KB) of `python -m site_builder import path`."""
    completed = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "site_builder", "import", str(path), "--kind", "roadmap"],
        capture_output=True, text=True, cwd=cwd, preexec_fn=_cap_address_space, timeout=300,
    )  # fmt: skip
    return completed.returncode, completed.stderr.splitlines(), int(completed.stdout.split()[-1])


def lying_directory(path: Path) -> Path:
    hostile_docx(path, {DOCUMENT_XML: text_bomb(BOMB)})
    return understate_size(path, DOCUMENT_XML, 1000)


def encrypted(path: Path) -> Path:
    return mark_encrypted(hostile_docx(path, {}), DOCUMENT_XML)


def compound_file(path: Path) -> Path:
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    return path


def _docx(parts: Callable[[], dict[str, bytes | Bomb]]) -> Callable[[Path], Path]:
    return lambda path: hostile_docx(path, parts())


HOSTILE = [
    pytest.param(_docx(lambda: {DOCUMENT_XML: text_bomb(BOMB)}), "word/document.xml распаковывается", id="bomb"),
    pytest.param(_docx(lambda: {"word/styles.xml": text_bomb(BOMB)}), "word/styles.xml распаковывается", id="styles-bomb"),
    pytest.param(lying_directory, "повреждён", id="directory-lies"),
    pytest.param(_docx(lambda: {DOCUMENT_XML: element_flood(3_000_000)}), f"больше {MAX_NODES:,} элементов".replace(",", "\u00a0"),
                 id="element-flood"),
    pytest.param(_docx(lambda: {DOCUMENT_XML: billion_laughs()}), "word/document.xml:3: объявление DOCTYPE",
                 id="billion-laughs"),
    pytest.param(_docx(lambda: {DOCUMENT_XML: document_xml("<w:p><w:r>")}), "word/document.xml:2:", id="malformed"),
    pytest.param(_docx(lambda: {"word/styles.xml": b"<w:styles"}), "word/styles.xml:1:", id="malformed-styles"),
    pytest.param(_docx(lambda: {DOCUMENT_XML: document_xml(nested_tables(100))}), "вложенность элементов глубже",
                 id="100-nested-tables"),
    pytest.param(_docx(lambda: {DOCUMENT_XML: document_xml(table_xml(cell_xml("x", '<w:gridSpan w:val="garbage"/>')))}),
                 "w:gridSpan = «garbage»", id="gridspan-garbage"),
    pytest.param(_docx(lambda: {DOCUMENT_XML: document_xml(table_xml(cell_xml("x", '<w:gridSpan w:val="100000000"/>')))}),
                 "w:gridSpan = «100000000»", id="gridspan-huge"),
    pytest.param(_docx(lambda: {DOCUMENT_XML: document_xml(table_xml(cell_xml("x", '<w:gridSpan w:val="63"/>') * 3))}),
                 "больше 63 столбцов", id="row-too-wide"),
    pytest.param(_docx(lambda: {DOCUMENT_XML: document_xml(table_xml(cell_xml("x", '<w:vMerge w:val="bogus"/>')))}),
                 "w:vMerge = «bogus»", id="vmerge-bogus"),
    pytest.param(_docx(lambda: many_parts(6000)), "больше 5000 частей", id="too-many-parts"),
    pytest.param(_docx(lambda: {DOCUMENT_XML: long_text(MAX_TEXT + 1)}), "текст одного элемента длиннее", id="long-text"),
    pytest.param(encrypted, "защищён паролем", id="encrypted-part"),
    pytest.param(_docx(lambda: {"word/_rels/document.xml.rels": RELATIONSHIP_WITHOUT_TARGET}), "повреждён",
                 id="relationship-without-target"),
    pytest.param(compound_file, "старого формата (.doc) или защищённый паролем", id="password-protected-word"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "message"), HOSTILE)
def test_a_hostile_docx_ends_with_one_russian_line_and_bounded_memory(
    build: Callable[[Path], Path], message: str, tmp_path: Path
) -> None:
    path = build(tmp_path / "hostile.docx")
    code, stderr, peak = import_in_child(path, tmp_path)
    assert code == 2, stderr
    [line] = stderr
    assert line.startswith("Ошибка: hostile.docx:") and message in line and CYRILLIC.search(line)
    assert peak <= PEAK_LIMIT_KB, f"peak {peak // 1024} MB"
    assert sorted(item.name for item in tmp_path.iterdir()) == ["hostile.docx"]


def test_tables_nested_a_few_deep_are_read_into_their_cell(tmp_path: Path) -> None:
    path = hostile_docx(tmp_path / "nested.docx", {DOCUMENT_XML: document_xml(nested_tables(5))})
    [table] = [block for block in read_document(path, "nested.docx") if isinstance(block, Table)]
    assert table.rows[0].cells == ("дно",)


def test_a_link_to_a_missing_relationship_keeps_its_text(tmp_path: Path) -> None:
    link = '<w:p><w:hyperlink r:id="rId999"><w:r><w:t>Протокол</w:t></w:r></w:hyperlink></w:p>'
    xml = document_xml(link).replace(
        b"<w:document ",
        b'<w:document xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
    )
    path = hostile_docx(tmp_path / "link.docx", {DOCUMENT_XML: xml})
    assert [block.text for block in read_document(path, "link.docx")] == ["Протокол"]  # type: ignore[union-attr]


def test_the_guide_states_the_limits_the_importer_applies() -> None:
    guide = " ".join(
        (Path(__file__).resolve().parents[2] / "docs" / "guide.md").read_text(encoding="utf-8").split()
    )
    section = guide[guide.index("### Перенос из Word") :]
    stated = [f"{MAX_PART_BYTES // MB} МБ", f"{MAX_XML_BYTES // MB} МБ", f"{MAX_RATIO} раз", f"{MAX_MEMBERS} частей",
              f"глубже {MAX_DEPTH}", f"{MAX_NODES:,}".replace(",", " "), f"{MAX_TEXT:,}".replace(",", " "), f"от 1 до {MAX_COLUMNS}"]  # fmt: skip
    assert [text for text in stated if text not in section] == []
