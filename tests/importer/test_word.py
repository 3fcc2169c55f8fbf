"""Reading .docx files: merged cells, several paragraphs and hyperlinks in a cell, a table split by a page break."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from site_builder.importer import import_document
from site_builder.importer.documents import read_document
from site_builder.importer.tables import Paragraph, SourceRefused, Table
from tests.helpers.seeds import SEEDS
from tests.helpers.wordbuild import add_hyperlink, build_docx

HEADER = ["№ п/п", "Мероприятие", "Срок", "Показатель", "Подтверждающие документы"]


def synthetic(path: Path) -> Path:
    """A made-up report: a merged section row, an item merged down over two rows, links, a page-break split."""
    document = Document()
    document.add_paragraph("Отчет о реализации примерной дорожной карты в 2024 году")
    document.add_paragraph("Муниципальная примерная дорожная карта на 2024 год")
    first = document.add_table(rows=4, cols=5)
    for index, text in enumerate(HEADER):
        first.cell(0, index).text = text
    first.cell(1, 0).text = "1. Примерный раздел"
    first.cell(1, 0).merge(first.cell(1, 4))
    first.cell(2, 0).text = "1.1"
    first.cell(2, 1).text = "Примерное мероприятие"
    first.cell(2, 2).text = "Май 2024"
    first.cell(2, 3).text = "Показатель один"
    first.cell(3, 3).text = "Показатель два"
    for column in range(3):
        first.cell(2, column).merge(first.cell(3, column))
    evidence = first.cell(2, 4)
    evidence.paragraphs[0].add_run("Протокол ")
    add_hyperlink(evidence.paragraphs[0], "https://example.org/protocol.pdf", "заседания")
    add_hyperlink(evidence.add_paragraph(), "https://example.org/фото", "https://example.org/фото")
    first.cell(2, 4).merge(first.cell(3, 4))
    second = document.add_table(rows=2, cols=5)
    for index, text in enumerate(HEADER):
        second.cell(0, index).text = text
    second.cell(1, 1).text = "в трёх школах"
    second.cell(1, 4).paragraphs[0].add_run("Справка без ссылки")
    path = path / "synthetic.docx"
    document.save(str(path))
    return path


def test_merged_cells_give_their_text_once(tmp_path: Path) -> None:
    tables = [
        block for block in read_document(synthetic(tmp_path), "synthetic.docx") if isinstance(block, Table)
    ]
    rows = [row.cells for row in tables[0].rows]
    assert rows[1] == ("1. Примерный раздел", "", "", "", "")
    assert rows[3] == ("", "", "", "Показатель два", "")
    assert rows[2][4] == "Протокол заседания https://example.org/protocol.pdf https://example.org/фото"


def test_a_synthetic_report_imports_with_its_links_and_page_break_join(tmp_path: Path) -> None:
    result = import_document(synthetic(tmp_path), "report")
    assert result.data is not None
    [item] = result.data["sections"][0]["items"]
    assert item["activity"] == "Примерное мероприятие в трёх школах"
    assert item["indicator"] == "Показатель один; Показатель два"
    assert item["evidence"] == [
        {"title": "Протокол заседания", "url": "https://example.org/protocol.pdf"},
        {"title": "Протокол заседания", "url": "https://example.org/фото"},
        {"title": "Справка без ссылки", "url": ""},
    ]
    # Word has no lines: the position counts paragraphs and table rows, the continuation row being the 8th.
    [message] = result.messages()
    assert message.endswith(
        "synthetic.docx:8: предупреждение: строка разорвана переносом страницы: её текст присоединён к мероприятию 1.1"
    )


def test_line_breaks_in_a_paragraph_are_kept_for_the_header(tmp_path: Path) -> None:
    document = Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Руководитель").add_break()
    paragraph.add_run("управления образования")
    document.save(str(tmp_path / "p.docx"))
    [block] = read_document(tmp_path / "p.docx", "p.docx")
    assert block == Paragraph("Руководитель\nуправления образования", 1)


def test_the_seed_documents_built_for_the_tests_use_real_word_structures(tmp_path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip("the seed documents are not available")
    balakhta = build_docx(
        (SEEDS / "balakhta-roadmap-2022.txt").read_text(encoding="utf-8"), tmp_path / "b.docx"
    )
    shakhty = build_docx(
        (SEEDS / "shakhty-report-2022-stage2.txt").read_text(encoding="utf-8"), tmp_path / "s.docx"
    )
    xml_b = zipfile.ZipFile(balakhta).read("word/document.xml").decode()
    xml_s = zipfile.ZipFile(shakhty).read("word/document.xml").decode()
    assert "<w:vMerge" in xml_b and "<w:gridSpan" in xml_b
    assert len(re.findall("<w:hyperlink ", xml_s)) == 23  # every URL of the report
    # 3.8's cell holds its three evidence lines as three paragraphs.
    assert re.search(r"(<w:p>(?:(?!</w:p>).)*?<w:hyperlink .*?</w:p>.*?){3}", xml_s)


@pytest.mark.parametrize("name", ["old.doc", "scan.pdf"])
def test_formats_that_cannot_be_read_are_refused_with_advice(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(SourceRefused, match="сохраните документ в Word как .docx"):
        read_document(tmp_path / name, name)


def test_a_damaged_docx_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken.docx").write_text("не документ", encoding="utf-8")
    with pytest.raises(SourceRefused, match="не открывается как документ Word"):
        read_document(tmp_path / "broken.docx", "broken.docx")
