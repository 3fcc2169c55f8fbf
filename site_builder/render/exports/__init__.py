"""Downloads beside each roadmap and report page: XLSX, CSV, JSON, and an iCalendar file of a roadmap's deadlines.

grid: the table as text cells (shared by xlsx and csv); xlsx, csv, json, ics: one format each. Downloads sit beside
their page: roadmaps/<slug>.xlsx next to roadmaps/<slug>.html.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from site_builder.model.site import ReportEntry, RoadmapEntry, Site
from site_builder.render.exports.csv import csv_bytes
from site_builder.render.exports.grid import report_grid, roadmap_grid
from site_builder.render.exports.ics import calendar_bytes
from site_builder.render.exports.json import report_json, roadmap_json
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
ROADMAP_FORMATS = (XLSX, CSV, JSON, ICS)
REPORT_FORMATS = (XLSX, CSV, JSON)


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


@cache  # the live preview plans every page of a national site on each save; a page keeps its links
def downloads(page_url: str, formats: tuple[Format, ...]) -> tuple[Download, ...]:
    stem = page_url.removesuffix(".html")
    return tuple(Download(f"{stem}.{fmt.suffix}", fmt) for fmt in formats)


def roadmap_downloads(entry: RoadmapEntry) -> tuple[Download, ...]:
    return downloads(entry.url, ROADMAP_FORMATS)


def report_downloads(entry: ReportEntry) -> tuple[Download, ...]:
    return downloads(entry.url, REPORT_FORMATS)


def _roadmap_producers(
    site: Site, entry: RoadmapEntry, statuses: SiteStatus
) -> dict[str, Callable[[], bytes]]:
    return {
        "xlsx": lambda: workbook_bytes(roadmap_grid(entry, statuses.roadmap(entry)), statuses.as_of),
        "csv": lambda: csv_bytes(roadmap_grid(entry, statuses.roadmap(entry))),
        "json": lambda: roadmap_json(site, entry, statuses.roadmap(entry)),
        "ics": lambda: calendar_bytes(entry, statuses.roadmap(entry)),
    }


def _report_producers(site: Site, entry: ReportEntry, statuses: SiteStatus) -> dict[str, Callable[[], bytes]]:
    return {
        "xlsx": lambda: workbook_bytes(report_grid(entry, statuses.report(entry)), statuses.as_of),
        "csv": lambda: csv_bytes(report_grid(entry, statuses.report(entry))),
        "json": lambda: report_json(site, entry, statuses.report(entry)),
    }


def plan_downloads(statuses: SiteStatus) -> list[DownloadSpec]:
    """Every download of the site in a fixed order; bytes are made only when `produce` is called."""
    site = statuses.site
    specs: list[DownloadSpec] = []
    for entry in site.roadmaps:
        inputs = site.roadmap_inputs(entry)
        producers = _roadmap_producers(site, entry, statuses)
        specs += [
            DownloadSpec(d.output, inputs, producers[d.format.suffix]) for d in roadmap_downloads(entry)
        ]
    for report in site.reports:
        inputs = site.report_inputs(report)
        producers = _report_producers(site, report, statuses)
        specs += [
            DownloadSpec(d.output, inputs, producers[d.format.suffix]) for d in report_downloads(report)
        ]
    return specs
