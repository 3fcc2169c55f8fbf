"""Print: A4 landscape by the page's own CSS, the table header on every page, no navigation, evidence addresses
after their link texts, the page title and the date of the data on top, page numbers at the foot."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest

from tests.helpers.browser import PAGE_TYPES, Tab, artifact

A4_LANDSCAPE = (842, 595)  # points, rounded
PRINTED = """() => {
    const display = selector => getComputedStyle(document.querySelector(selector)).display;
    const link = document.querySelector('main a[href^="http"]');
    return {
        nav: display('.site-nav'),
        skip: display('.skip-link'),
        lvSwitch: display('.lv-switch'),
        table: display('main table'),
        thead: display('main thead'),
        stamp: document.querySelector('.print-stamp').innerText,
        stampShown: display('.print-stamp'),
        link: link && {href: link.getAttribute('href'), after: getComputedStyle(link, '::after').content},
        headers: [...document.querySelectorAll('main thead th')].map(th => th.textContent),
    };
}"""


def squeeze(text: str) -> str:
    """Text without white space, so a header broken over lines in the PDF still matches the page's."""
    return re.sub(r"\s+", "", text)


def pdf_pages(path: Path) -> list[tuple[tuple[float, float], str]]:
    reader = pypdf.PdfReader(path)
    return [
        ((round(page.mediabox.width), round(page.mediabox.height)), page.extract_text())
        for page in reader.pages
    ]


@pytest.mark.parametrize("name", ["roadmap", "report"])
def test_print_view(open_page: Callable[..., Tab], name: str) -> None:
    printed: dict[str, Any] = open_page(PAGE_TYPES[name], media="print").page.evaluate(PRINTED)
    assert (printed["nav"], printed["skip"], printed["lvSwitch"]) == ("none", "none", "none")
    assert (printed["table"], printed["thead"]) == ("table", "table-header-group")
    assert printed["stampShown"] == "block"
    assert printed["stamp"].endswith("— сведения на 1 декабря 2022 г.")
    if name == "report":
        assert printed["link"]["after"] == f'" ({printed["link"]["href"]})"'


@pytest.mark.parametrize("name", ["roadmap", "report"])
def test_pdf_is_a4_landscape_with_the_header_row_on_every_page(
    open_page: Callable[..., Tab], name: str
) -> None:
    page = open_page(PAGE_TYPES[name], media="print").page
    headers = [squeeze(text) for text in page.evaluate(PRINTED)["headers"]]
    title = squeeze(page.locator("h1").inner_text())
    path = artifact("print", f"{name}.pdf")
    # No format given: the size and orientation must come from the stylesheet's @page rule.
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)

    pages = pdf_pages(path)
    assert {size for size, _ in pages} == {A4_LANDSCAPE}
    texts = [squeeze(text) for _, text in pages]
    assert title[:40] in texts[0] and "сведенияна1декабря2022г." in texts[0]
    with_table = [index for index, text in enumerate(texts) if all(header in text for header in headers)]
    assert len(with_table) >= 2
    assert with_table == list(range(with_table[0], len(texts))), (
        "строка заголовков таблицы не на каждой странице"
    )
    for number, text in enumerate(texts, start=1):
        assert f"Страница{number}из{len(texts)}" in text
