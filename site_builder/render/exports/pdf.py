"""Tagged PDF (PDF/UA-1) of a roadmap, a report or the analytical note, for sites that take only documents.

The document is laid out from a print template of its own (templates/pdf/) by WeasyPrint, which tags it: the
language, the title shown instead of the file name, headings, the table with its header cells, link annotations
and bookmarks. The font is DejaVu Sans (Debian's fonts-dejavu-core), found by fontconfig and embedded.

The bytes depend only on what the template shows and on `stamp`, the date of the data: it is the document's
creation and modification date, and the date fontTools writes into the embedded font (SOURCE_DATE_EPOCH, the
only way to set it), so two builds of the same content give the same file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from functools import cache
from typing import Any

from jinja2 import Environment

from site_builder.core.errors import SiteBuilderError
from site_builder.render.environment import make_environment

_EPOCH = "SOURCE_DATE_EPOCH"
_EPOCH_LOCK = threading.Lock()  # the preview server makes a download in its own thread


class PdfUnavailable(SiteBuilderError):
    """WeasyPrint or the system libraries it needs (Pango) are missing: exit code 2, a fix in Russian."""


@cache  # compiled once; forked build workers inherit it
def _environment() -> Environment:
    return make_environment()


def print_html(template: str, context: dict[str, Any]) -> str:
    """The print HTML a PDF is laid out from (tests read it to compare with the PDF's text)."""
    return _environment().get_template(template).render(context)


def pdf_bytes(template: str, context: dict[str, Any], stamp: dt.date) -> bytes:
    """Lay out `template` (under templates/) with `context` as a tagged PDF dated `stamp`."""
    # Imported here: WeasyPrint loads Pango and its fonts, which a build with PDFs turned off never needs.
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            f"документы PDF не сделать: нет библиотеки WeasyPrint или нужной ей Pango ({error}). "
            "Установите их (Debian и Ubuntu: apt install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; "
            "Windows и macOS: раздел «Installation» документации WeasyPrint) "
            "или отключите PDF в site.yaml: downloads: {pdf: false}"
        ) from None

    html = print_html(template, {**context, "stamp": stamp})
    identifier = hashlib.md5(html.encode(), usedforsecurity=False).hexdigest().encode()
    epoch = str(int(dt.datetime.combine(stamp, dt.time(), tzinfo=dt.UTC).timestamp()))
    with _EPOCH_LOCK:
        before = os.environ.get(_EPOCH)
        os.environ[_EPOCH] = epoch
        try:
            data: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier)
        finally:
            if before is None:
                del os.environ[_EPOCH]
            else:
                os.environ[_EPOCH] = before
    return data
