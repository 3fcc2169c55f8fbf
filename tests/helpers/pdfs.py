"""Reading the PDF documents with pypdf, a library we did not write: their structure tree, text, links and fonts."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    PdfObject,
    StreamObject,
)

P = TypeVar("P", bound=PdfObject)


def collapse(text: str) -> str:
    return " ".join(text.split())


def joined(text: str) -> str:
    """Collapsed, and a word broken after its hyphen at a line end joined again (on both sides of a comparison)."""
    return re.sub(r"(?<=\w-) ", "", collapse(text))


def resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def resolved_as(value: object, kind: type[P]) -> P:
    """`value` resolved and checked to be a `kind`: pypdf types every dictionary entry as any PDF object."""
    value = resolved(value)
    assert isinstance(value, kind), f"в PDF ожидался {kind.__name__}, а там {value!r}"
    return value


def structure(node: Any) -> Iterator[DictionaryObject]:
    """Every structure element under `node`, depth first (marked-content ids and references left out)."""
    node = resolved(node)
    if isinstance(node, ArrayObject):
        for child in node:
            yield from structure(child)
    elif isinstance(node, DictionaryObject):
        if "/S" in node:
            yield node
        yield from structure(node.get("/K", []))


def document_text(reader: PdfReader) -> str:
    return collapse(" ".join(page.extract_text() for page in reader.pages))


def assert_in_order(text: str, parts: list[str]) -> None:
    text, at = joined(text), 0
    for part in map(joined, parts):
        found = text.find(part, at)
        assert found >= 0, f"нет в тексте PDF (или не по порядку): {part!r}"
        at = found + len(part)


def is_true(value: Any) -> bool:
    return isinstance(value, BooleanObject) and value.value is True


def check_tagged(reader: PdfReader, title: str) -> list[str]:
    """The PDF/UA basics every document meets; the structure types it holds."""
    root = resolved_as(reader.trailer["/Root"], DictionaryObject)
    assert is_true(resolved_as(root["/MarkInfo"], DictionaryObject)["/Marked"])
    assert root["/Lang"] == "ru"
    assert is_true(resolved_as(root["/ViewerPreferences"], DictionaryObject)["/DisplayDocTitle"])
    assert reader.metadata is not None and reader.metadata.title == title
    assert b"pdfuaid:part" in resolved_as(root["/Metadata"], StreamObject).get_data()
    elements = list(structure(root["/StructTreeRoot"]))
    kinds = [str(element["/S"]) for element in elements]
    assert {"/Table", "/TR", "/TH", "/TD", "/H1", "/H2"} <= set(kinds)
    # Data cells name their header cells, which is what PDF/UA asks of a table without TH scopes.
    assert all(
        "/Headers" in resolved_as(element["/A"], DictionaryObject)
        for element in elements
        if element["/S"] == "/TD"
    )
    # A link is its annotation and its words: an object reference and marked content in one element.
    for link in (element for element in elements if element["/S"] == "/Link"):
        kids = [resolved(kid) for kid in resolved_as(link["/K"], ArrayObject)]
        assert any(isinstance(kid, DictionaryObject) and kid.get("/Type") == "/OBJR" for kid in kids)
        assert any(
            isinstance(kid, int) or (isinstance(kid, DictionaryObject) and "/MCID" in kid) for kid in kids
        )
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        assert f"стр. {number} из {pages}" in collapse(page.extract_text())
    return kinds


def embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in resolved(page["/Resources"]).get("/Font", {}).values():
            font = resolved(font)
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = resolved(resolved(descendant)["/FontDescriptor"])
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, "шрифт не встроен"
                names.add(str(descriptor["/FontName"]).split("+")[-1])
    return names


def link_uris(reader: PdfReader) -> set[str]:
    """Every link annotation's address, unquoted: a PDF keeps Cyrillic in addresses percent-encoded."""
    uris = set()
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            annotation = resolved(annotation)
            if annotation["/Subtype"] == "/Link" and "/URI" in annotation.get("/A", {}):
                uris.add(unquote(str(annotation["/A"]["/URI"])))
    return uris


def shown_sizes(page: Any) -> list[float]:
    """The size each piece of text is shown at: the font size scaled by the text and page matrices."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0])
            sizes.append(size * scale)

    page.extract_text(visitor_text=visit)
    return sizes


def text_off_the_page(page: Any) -> list[str]:
    """Text that starts outside the page: a table wider than the paper is cut off there, not wrapped."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    outside: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and not (0 <= x < width and 0 <= y <= height):
            outside.append(text)

    page.extract_text(visitor_text=visit)
    return outside


def reader_of(path: Path) -> PdfReader:
    return PdfReader(io.BytesIO(path.read_bytes()))
