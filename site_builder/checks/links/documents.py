"""Documents are what the link says: a .pdf link gives a PDF, not a page; a PDF has text, not only a scan.

Without `--documents` only what the answer's type tells is judged (an HTML page behind a document link). With
it the first bytes are read (magic numbers) and, for a PDF, whether it has a text layer; the download is
capped (`link_check.max_document_bytes`) and only held in memory while it is looked at.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from posixpath import splitext
from urllib.parse import unquote, urlsplit

from site_builder.checks.links.classify import Verdict, page_of, page_text
from site_builder.checks.links.fetch import FetchResult
from site_builder.content.settings.link_check import LinkStatus

PDF, ZIP, OLE, RTF = "PDF", "ZIP", "OLE", "RTF"
MAGIC = {PDF: (b"%PDF-",), ZIP: (b"PK\x03\x04", b"PK\x05\x06"), OLE: (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
         RTF: (b"{\\rtf",)}  # fmt: skip
# What a document link may deliver: an old .doc is often really RTF or a renamed .docx, and Word opens both.
EXPECTED = {
    ".pdf": {PDF}, ".docx": {ZIP}, ".xlsx": {ZIP}, ".pptx": {ZIP}, ".odt": {ZIP}, ".ods": {ZIP}, ".odp": {ZIP},
    ".doc": {OLE, ZIP, RTF}, ".xls": {OLE, ZIP}, ".ppt": {OLE, ZIP}, ".rtf": {RTF, OLE, ZIP},
}  # fmt: skip
DOCUMENT_TYPES = {
    "application/pdf": {PDF}, "application/msword": {OLE, ZIP, RTF}, "application/vnd.ms-excel": {OLE, ZIP},
    "application/rtf": {RTF}, "text/rtf": {RTF},
}  # fmt: skip
OPEN_FORMATS = ("application/vnd.openxmlformats-officedocument.", "application/vnd.oasis.opendocument.")
PDF_HEAD = 1024  # the PDF header may follow some junk; readers look this far
SCAN_WARNING = (
    "документ — скан без текстового слоя: ПП РФ № 102 и приказ № 1493 требуют документов, которые читаются"
)
STREAM = re.compile(rb"stream\r?\n")
END_STREAM = b"endstream"
TEXT_SHOWN = re.compile(rb"[)\]>]\s*(?:Tj|TJ|'|\")")
MAX_INFLATED = 4 * 1024 * 1024  # per stream: enough to see text operators, never a decompression bomb
MAX_INFLATED_TOTAL = 32 * 1024 * 1024


def suffix_of(url: str) -> str:
    return splitext(unquote(urlsplit(url).path).lower())[1]


def is_document_link(url: str) -> bool:
    return suffix_of(url) in EXPECTED


def expected_kinds(url: str, content_type: str) -> set[str]:
    """The formats the link promises, by its extension or else by the type the server declares."""
    if suffix_of(url) in EXPECTED:
        return EXPECTED[suffix_of(url)]
    if content_type.startswith(OPEN_FORMATS):
        return {ZIP}
    return DOCUMENT_TYPES.get(content_type, set())


def page_instead(fetch: FetchResult) -> Verdict | None:
    """An HTML page answering a document link: the document is not there (or hidden behind a page)."""
    status = fetch.status or 0
    if not 200 <= status < 300 or not fetch.is_html or not is_document_link(fetch.url):
        return None
    page = page_of(fetch)
    title = f" «{page.title}»" if page is not None and page.title else ""
    return Verdict(
        LinkStatus.BROKEN,
        f"вместо документа открывается страница{title}: ссылка на файл {suffix_of(fetch.url)} отвечает "
        f"HTML-страницей (HTTP {status})",
    )


@dataclass(frozen=True)
class Inspection:
    verdict: Verdict | None  # a broken document; None when it is what it claims
    warning: str = ""


def _kind_of(head: bytes) -> str | None:
    if b"%PDF-" in head[:PDF_HEAD]:
        return PDF
    return next((kind for kind, marks in MAGIC.items() if head.startswith(marks)), None)


def _looks_like_html(head: bytes) -> bool:
    text = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<!--"))


def inspect(fetch: FetchResult, limit: int) -> Inspection:
    """Judge a downloaded document (at most `limit` bytes of it) by its own bytes."""
    body, status = fetch.body, fetch.status
    expected = expected_kinds(fetch.url, fetch.content_type)
    if not body:
        return Inspection(Verdict(LinkStatus.BROKEN, f"файл пустой: сервер прислал 0 байт (HTTP {status})"))
    if _looks_like_html(body):
        page = page_text(body)
        title = f" «{page.title}»" if page is not None and page.title else ""
        return Inspection(
            Verdict(
                LinkStatus.BROKEN,
                f"вместо документа открывается страница{title}: сервер называет её "
                f"«{fetch.content_type or 'без типа'}», но присылает HTML (HTTP {status})",
            )
        )
    kind = _kind_of(body)
    if expected and kind not in expected:
        shown = " или ".join(sorted(expected))
        return Inspection(
            Verdict(
                LinkStatus.BROKEN,
                f"по ссылке приходит не тот файл: ожидался {shown}, а файл начинается с "
                f"{body[:8]!r} — программы для документов его не откроют (HTTP {status})",
            )
        )
    if kind == PDF and len(body) < limit and not pdf_has_text(body):
        return Inspection(None, SCAN_WARNING)
    return Inspection(None)


def _streams(data: bytes) -> list[tuple[bytes, bytes]]:
    """(dictionary before the stream, raw stream data) for every stream of a PDF."""
    found = []
    for match in STREAM.finditer(data):
        end = data.find(END_STREAM, match.end())
        if end < 0:
            break
        found.append((data[max(0, match.start() - 400) : match.start()], data[match.end() : end]))
    return found


def _inflate(raw: bytes, budget: int) -> bytes:
    try:
        return zlib.decompressobj().decompress(raw, min(MAX_INFLATED, budget))
    except zlib.error:
        return b""


def pdf_has_text(data: bytes) -> bool:
    """Whether a PDF has a text layer: a font resource and text shown by some content stream.

    Content streams and object streams are inflated (bounded); images are skipped. An encrypted PDF hides
    its streams, so it is taken as having text rather than called a scan.
    """
    if b"/Encrypt" in data:
        return True
    fonts, shown = b"/Font" in data, False
    budget = MAX_INFLATED_TOTAL
    for dictionary, raw in _streams(data):
        if fonts and shown:
            break
        header = dictionary[dictionary.rfind(b"obj") :]
        if b"/Image" in header or budget <= 0:
            continue  # image bytes may hold anything, «)Tj» included
        if b"/Filter" not in header:
            content = raw
        elif b"/FlateDecode" in header:
            content = _inflate(raw, budget)
            budget -= len(content)
        else:
            continue
        fonts = fonts or b"/Font" in content
        shown = shown or bool(TEXT_SHOWN.search(content))
    return fonts and shown
