"""The PDF documents, opened with pypdf: tagged (PDF/UA-1), titled, in Russian, with the table's text in order.

These checks stand in for veraPDF's PDF/UA profile, which the package registries do not offer (see README).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from site_builder.model.site import Site, load_site
from site_builder.render.status import SiteStatus
from tests.helpers.builds import AS_OF
from tests.helpers.pdfs import (
    assert_in_order,
    check_tagged,
    collapse,
    document_text,
    embedded_fonts,
    link_uris,
    reader_of,
    resolved,
    shown_sizes,
    text_off_the_page,
)
from tests.helpers.sites import REPO, build_cli, make_site, read_fixture

ROADMAPS = {
    "content": "balakhta-2022",
    "examples/kaliningrad": "kaliningrad-2023",
    "examples/shakhty": "shakhty-2022",
}


def loaded(name: str) -> tuple[Site, SiteStatus]:
    site = load_site(REPO / name)
    return site, SiteStatus(site, AS_OF[name])


@pytest.mark.parametrize("name", list(ROADMAPS))
def test_roadmap_pdf_is_tagged_and_holds_the_table(shipped: dict[str, Path], name: str) -> None:
    site, statuses = loaded(name)
    [entry] = [e for e in site.roadmaps if e.slug == ROADMAPS[name]]
    reader = reader_of(shipped[name] / "roadmaps" / f"{entry.slug}.pdf")
    check_tagged(reader, entry.roadmap.title)
    large = reader_of(shipped[name] / "roadmaps" / f"{entry.slug}.large.pdf")
    for page in [*reader.pages, *large.pages]:
        assert page.mediabox.width > page.mediabox.height  # A4 landscape
        assert round(float(page.mediabox.width)) == 842
        assert text_off_the_page(page) == []
    text = document_text(reader)
    items = [item for section in entry.roadmap.sections for item in section.items]
    assert_in_order(text, [part for item in items for part in (item.number, item.activity)])
    # The approving order and the date of the data on the first page.
    first = collapse(reader.pages[0].extract_text())
    assert f"Сведения на {AS_OF[name].day}" in first
    approval = entry.roadmap.approval
    if approval and approval.number:
        assert f"№ {approval.number}" in first
    # Bookmarks: the title, then one per section of the table.
    outline = [item for item in reader.outline if isinstance(item, list)]
    titles = [resolved(mark).title for group in outline for mark in group if not isinstance(mark, list)]
    sections = [
        resolved(mark).title for group in outline for sub in group if isinstance(sub, list) for mark in sub
    ]
    assert "Мероприятия" in titles
    assert sections == [f"{s.number}. {s.title}" if s.number else s.title for s in entry.roadmap.sections]
    evidence = {unquote(link.url) for item in items for link in item.evidence if link.url}
    assert evidence <= link_uris(reader)
    assert {font.removesuffix("-Bold") for font in embedded_fonts(reader)} == {"DejaVu-Sans"}


def test_table_header_is_repeated_on_every_page(shipped: dict[str, Path]) -> None:
    reader = reader_of(shipped["content"] / "roadmaps" / "balakhta-2022.pdf")
    header_rows = 0
    for page in reader.pages[1:]:  # the table starts on the second page
        text = collapse(page.extract_text())
        assert "Мероприятие Срок реализации Статус Исполнители Задачи" in text
        header_rows += 1
    assert header_rows > 3


def test_report_pdf_holds_every_item_and_evidence_link(shipped: dict[str, Path]) -> None:
    site, statuses = loaded("examples/shakhty")
    [entry] = site.reports
    reader = reader_of(shipped["examples/shakhty"] / "reports" / f"{entry.slug}.pdf")
    check_tagged(reader, entry.report.title)
    text = document_text(reader)
    items = statuses.report(entry).items
    assert_in_order(text, [part for item in items for part in (item.number, item.activity)])
    evidence = {
        unquote(link.url)
        for item in items
        if item.report_item
        for link in item.report_item.evidence
        if link.url
    }
    assert evidence and evidence <= link_uris(reader)


def test_large_print_pdf_has_nothing_under_16_points(shipped: dict[str, Path]) -> None:
    roadmaps = shipped["content"] / "roadmaps"
    large = reader_of(roadmaps / "balakhta-2022.large.pdf")
    check_tagged(large, "Муниципальная дорожная карта по реализации проекта «500+».")
    sizes = [size for page in large.pages for size in shown_sizes(page)]
    assert sizes and min(sizes) >= 16 - 0.01
    # The ordinary one has small text: the measure above can tell them apart.
    assert min(shown_sizes(reader_of(roadmaps / "balakhta-2022.pdf").pages[1])) < 12
    assert re.search(r"стр\. 1 из \d+", collapse(large.pages[0].extract_text()))


def test_missing_weasyprint_is_an_environment_error_in_russian(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what an import without Pango amounts to
    with_pdf = read_fixture("site.yaml").replace("pdf: false", "pdf: true")
    result = build_cli(make_site(tmp_path, {"site.yaml": with_pdf}), tmp_path / "output")
    assert result.exit_code == 2
    assert "документы PDF не сделать" in result.output and "downloads: {pdf: false}" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "output").exists()
