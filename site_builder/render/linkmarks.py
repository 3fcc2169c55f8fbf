"""The last link check, shown on the site: a mark beside each evidence link and the «Проверка ссылок» page.

The checker writes its results file (see linkcheck.report); the build reads it as one more input, so pages say what
the public will find behind each link and when that was last seen.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from site_builder.content.records.link_report import (
    LABELS,
    PLURAL_LABELS,
    LinkRecord,
    LinkReportDocument,
)
from site_builder.content.settings.link_check import LinkStatus
from site_builder.core.russian import short_date

ICONS = {
    LinkStatus.OK: "✓",
    LinkStatus.BROKEN: "✕",
    LinkStatus.RESTRICTED: "⊘",
    LinkStatus.UNREACHABLE: "⌛",
    LinkStatus.TLS_ERROR: "⚠",
    LinkStatus.INVALID: "✕",
    LinkStatus.SKIPPED: "–",
}
PAGE = "links.html"


@dataclass(frozen=True)
class LinkMark:
    code: str
    icon: str
    word: str
    reason: str
    checked: str  # «01.12.2022»
    ok: bool


@dataclass(frozen=True)
class LinkRow:
    line: int
    item: str
    owner: str
    page: str  # output path of the page that shows the link, "" when none
    title: str
    url: str
    mark: LinkMark


@dataclass(frozen=True)
class LinkGroup:
    path: str
    rows: list[LinkRow]


@dataclass(frozen=True)
class LinkReportView:
    checked: str
    counts: list[tuple[str, str, int]]  # (icon, plural label, count)
    total: int
    problems: list[LinkGroup]  # links that do not open for the public, grouped by file
    working: int


def _mark(status: LinkStatus, reason: str, checked: str) -> LinkMark:
    return LinkMark(status.value, ICONS[status], LABELS[status], reason, checked, status == LinkStatus.OK)


def _page_of(slug: str) -> str:
    return f"{slug}.html" if slug else ""


@dataclass
class LinkResults:
    """Marks by every spelling of each URL, and the report page's view, from one results document."""

    marks: dict[str, LinkMark]
    view: LinkReportView
    sources: tuple[Path, ...] = ()  # the results file, an input of the pages that show it

    @classmethod
    def of(cls, document: LinkReportDocument, sources: tuple[Path, ...] = ()) -> LinkResults:
        marks: dict[str, LinkMark] = {}
        groups: dict[str, list[LinkRow]] = {}
        for entry in document.results:
            mark = _mark(entry.status, entry.reason, f"{short_date(entry.checked_at)}")
            for spelling in (entry.url, *entry.written_as):
                marks[spelling] = mark
            if mark.ok or entry.status == LinkStatus.SKIPPED:
                continue
            for source in entry.sources:
                groups.setdefault(source.path, []).append(
                    LinkRow(source.line, source.item, source.owner, _page_of(source.page), source.title,
                            entry.written_as[0] if entry.written_as else entry.url, mark)
                )  # fmt: skip
        counts = [
            (ICONS[status], PLURAL_LABELS[status], document.summary.by_status.get(status, 0))
            for status in LinkStatus
            if document.summary.by_status.get(status)
        ]
        view = LinkReportView(
            checked=f"{short_date(document.generated_at)}",
            counts=counts,
            total=document.summary.urls,
            problems=[
                LinkGroup(path, sorted(rows, key=lambda r: (r.line, r.url)))
                for path, rows in sorted(groups.items())
            ],
            working=document.summary.by_status.get(LinkStatus.OK, 0),
        )
        return cls(marks, view, sources)


@functools.lru_cache(maxsize=4)  # by the record's identity: one build's pages share one set of marks
def link_results(record: LinkRecord) -> LinkResults:
    return LinkResults.of(record.document, (record.path,))
