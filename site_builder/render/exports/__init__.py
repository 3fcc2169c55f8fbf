"""Downloads beside each roadmap and report page: tagged PDF, XLSX, CSV, JSON, and an iCalendar file of a
roadmap's deadlines (plus a large-print PDF of a roadmap).

grid: the table as text cells (shared by xlsx and csv); pdf, xlsx, csv, json, ics: one format each. Downloads sit
beside their page: roadmaps/<slug>.xlsx next to roadmaps/<slug>.html. site.yaml's `downloads: {pdf: false}`
leaves the PDFs out (they are the costly ones on a large site).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from site_builder.model.site import ReportEntry, RoadmapEntry, Site
from site_builder.render.entryviews import ReportViews, RoadmapViews, report_views, roadmap_views
from site_builder.render.exports.csv import csv_bytes
from site_builder.render.exports.grid import Grid, report_grid, roadmap_grid
from site_builder.render.exports.ics import calendar_bytes
from site_builder.render.exports.json import report_json, roadmap_json
from site_builder.render.exports.pdf import pdf_bytes
from site_builder.render.exports.xlsx import workbook_bytes
from site_builder.render.status import SiteStatus


@dataclass(frozen=True)
class Format:
    suffix: str
    label: str  # the link text
    hint: str  # format and what it is good for, beside the link


XLSX = Format("xlsx", "Таблица Excel", "XLSX: для печати и работы в Excel или LibreOffice")
CSV = Format("csv", "Таблица CSV", "CSV в кодировке UTF-8, разделитель — точка с запятой")
JSON = Format("json", "Данные JSON", "для программ: мероприятия, сроки, статусы и ссылки")
ICS = Format(
    "ics", "Календарь сроков", "iCalendar (.ics): добавьте адрес файла в календарь, чтобы видеть сроки"
)
PDF = Format("pdf", "Документ PDF", "PDF с разметкой для программ чтения с экрана: для печати и для сайта")
LARGE_PDF = Format("large.pdf", "Документ PDF крупным шрифтом", "PDF, шрифт не меньше 16 пт: для печати")
ROADMAP_FORMATS = (PDF, LARGE_PDF, XLSX, CSV, JSON, ICS)
REPORT_FORMATS = (PDF, XLSX, CSV, JSON)
# Levels of roadmaps as the documents name them (the pages and the PDFs).
LEVELS = {
    "federal": "Федеральная",
    "regional": "Региональная",
    "municipal": "Муниципальная",
    "school": "Школьная",
}


@dataclass(frozen=True)
class Download:
    """A download link as a page shows it."""

    output: str  # path in the built site, e.g. roadmaps/balakhta-2022.xlsx
    format: Format


@dataclass(frozen=True)
class DownloadSpec:
    """One download file: where it goes, which content files it reads, how its bytes are made."""

    output: str
    inputs: tuple[Path, ...]
    produce: Callable[[], bytes]
    template: str = ""  # the print template a PDF is laid out from: the preview remakes it when that changes


@cache  # the live preview plans every page of a national site on each save; a page keeps its links
def downloads(page_url: str, formats: tuple[Format, ...], pdf: bool = True) -> tuple[Download, ...]:
    """The downloads of the page at `page_url`; without the PDF formats when `pdf` is off."""
    stem = page_url.removesuffix(".html")
    return tuple(
        Download(f"{stem}.{fmt.suffix}", fmt) for fmt in formats if pdf or not fmt.suffix.endswith("pdf")
    )


def roadmap_downloads(entry: RoadmapEntry, pdf: bool = True) -> tuple[Download, ...]:
    return downloads(entry.url, ROADMAP_FORMATS, pdf)


def report_downloads(entry: ReportEntry, pdf: bool = True) -> tuple[Download, ...]:
    return downloads(entry.url, REPORT_FORMATS, pdf)


ROADMAP_PRINT, REPORT_PRINT = "pdf/roadmap.html", "pdf/report.html"


def print_template(download: Download, template: str) -> str:
    """`template` for a PDF download, "" for the others (they are made without templates)."""
    return template if download.format.suffix.endswith("pdf") else ""


def roadmap_pdf(site: Site, views: RoadmapViews, large: bool = False) -> bytes:
    """The roadmap as a tagged PDF dated by its data; `large` sets every text in 16 pt or more."""
    table = views.status
    context = {"config": site.config, "entry": views.entry, "status": table, "levels": LEVELS, "large": large}
    return pdf_bytes(ROADMAP_PRINT, {**context, "table": views.table}, table.as_of)


def report_pdf(site: Site, views: ReportViews) -> bytes:
    table = views.status
    context = {
        "config": site.config,
        "entry": views.entry,
        "status": table,
        "columns": views.columns,
        "large": False,
    }
    return pdf_bytes(REPORT_PRINT, context, table.as_of)


def _roadmap_grid(views: RoadmapViews) -> Grid:
    """The grid of the XLSX and the CSV, made once for both: SiteStatus.recent keeps it beside the views."""
    return views.statuses.recent(views, lambda: roadmap_grid(views.entry, views.status, views.table))


def _roadmap_producers(
    site: Site, entry: RoadmapEntry, statuses: SiteStatus
) -> dict[str, Callable[[], bytes]]:
    def views() -> RoadmapViews:
        return roadmap_views(entry, statuses)

    return {
        "pdf": lambda: roadmap_pdf(site, views()),
        "large.pdf": lambda: roadmap_pdf(site, views(), large=True),
        "xlsx": lambda: workbook_bytes(_roadmap_grid(views()), statuses.as_of),
        "csv": lambda: csv_bytes(_roadmap_grid(views())),
        "json": lambda: roadmap_json(site, entry, views().status),
        "ics": lambda: calendar_bytes(entry, views().status),
    }


def _report_producers(site: Site, entry: ReportEntry, statuses: SiteStatus) -> dict[str, Callable[[], bytes]]:
    def views() -> ReportViews:
        return report_views(entry, statuses)

    return {
        "pdf": lambda: report_pdf(site, views()),
        "xlsx": lambda: workbook_bytes(report_grid(entry, views().status), statuses.as_of),
        "csv": lambda: csv_bytes(report_grid(entry, views().status)),
        "json": lambda: report_json(site, entry, views().status),
    }


def plan_downloads(statuses: SiteStatus) -> list[DownloadSpec]:
    """Every download of the site in a fixed order; bytes are made only when `produce` is called."""
    site = statuses.site
    specs: list[DownloadSpec] = []
    pdf = site.config.downloads.pdf
    for entry in site.roadmaps:
        inputs = site.roadmap_inputs(entry)
        producers = _roadmap_producers(site, entry, statuses)
        specs += [
            DownloadSpec(d.output, inputs, producers[d.format.suffix], print_template(d, ROADMAP_PRINT))
            for d in roadmap_downloads(entry, pdf)
        ]
    for report in site.reports:
        inputs = site.report_inputs(report)
        producers = _report_producers(site, report, statuses)
        specs += [
            DownloadSpec(d.output, inputs, producers[d.format.suffix], print_template(d, REPORT_PRINT))
            for d in report_downloads(report, pdf)
        ]
    return specs
