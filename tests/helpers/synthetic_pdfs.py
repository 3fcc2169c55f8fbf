"""Made-up PDFs for the document checks: with a text layer, and only a scanned image.

`text_pdf` and `scan_pdf` are written by hand so the bytes are known (the tests open them with pypdf to confirm
they are what they claim); `fpdf_text_pdf` and `fpdf_scan_pdf` come from fpdf2, a PDF writer we did not write,
the way an office program's export would.
"""

from __future__ import annotations

import zlib


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, dictionary: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data)
        dictionary += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), dictionary) + data + b"\nendstream"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def text_pdf(text: str = "Synthetic order, made up for a test") -> bytes:
    content = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode("latin-1")
    return _pdf([
        CATALOG,
        PAGES,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content),
    ])  # fmt: skip


def scan_pdf() -> bytes:
    """A page that only paints an image; the image bytes happen to spell «(a) Tj /Font», which is not text."""
    pixels = b"(a) Tj /Font xyz"  # 4 x 4 grey pixels
    image = _stream(
        pixels,
        b" /Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8",
        compress=False,
    )
    return _pdf([
        CATALOG,
        PAGES,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        image,
        _stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q"),
    ])  # fmt: skip


def fpdf_text_pdf() -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.multi_cell(w=0, text="Synthetic order No. 15, made up for a test.\n" * 20)
    return bytes(document.output())


def fpdf_scan_pdf() -> bytes:
    """A page with one grey photo of noise, compressed as scanners' PDFs are: random bytes, no text."""
    from fpdf import FPDF
    from PIL import Image

    document = FPDF()
    document.add_page()
    document.image(Image.effect_noise((300, 400), 64).convert("L"), x=10, y=10, w=190)
    return bytes(document.output())
