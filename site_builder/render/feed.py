"""The Atom feed of updates: roadmaps, reports, the monitoring note and news pages, newest first.

Every date comes from the content, never from the clock or the `--as-of` date, so the same content always gives
the same feed. Content without a day of its own is dated by what it does give: a roadmap by the date of its
approving order, else 1 January of its year; a report by its date, else 1 January of its (or its roadmap's) year;
the monitoring note by its results files. A report with no date and no year anywhere stays out of the feed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from site_builder.core.russian import russian_date
from site_builder.model.site import ReportEntry, RoadmapEntry, Site
from site_builder.render.note import NOTE_PAGE, NOTE_TITLE
from site_builder.render.publish import news_pages


@dataclass(frozen=True)
class FeedEntry:
    output: str  # the page it announces, e.g. roadmaps/balakhta-2022.html
    title: str
    published: dt.date
    updated: dt.date
    summary: str
    html: str  # the entry's content: a news page's own text, otherwise its summary as a paragraph


def _plain(
    output: str, title: str, published: dt.date, summary: str, updated: dt.date | None = None
) -> FeedEntry:
    html = str(Markup("<p>{}</p>").format(escape(summary)))
    return FeedEntry(output, title, published, updated or published, summary, html)


def _roadmap(entry: RoadmapEntry, levels: Mapping[str, str]) -> FeedEntry:
    roadmap = entry.roadmap
    approved = roadmap.approval.date if roadmap.approval else None
    where = f", {roadmap.territory}" if roadmap.territory else ""
    summary = f"{levels[roadmap.level]} дорожная карта, {roadmap.year} год{where}."
    return _plain(entry.url, roadmap.title, approved or dt.date(roadmap.year, 1, 1), summary)


def _report(entry: ReportEntry) -> FeedEntry | None:
    report = entry.report
    year = report.year or (entry.roadmap.roadmap.year if entry.roadmap else None)
    day = report.date or (dt.date(year, 1, 1) if year else None)
    if day is None:
        return None
    stage = f", {report.stage}" if report.stage else ""
    on = f", по дорожной карте «{entry.roadmap.roadmap.title}»" if entry.roadmap else ""
    return _plain(entry.url, report.title, day, f"Отчёт{stage}{on}.")


def _entries(site: Site, levels: Mapping[str, str]) -> Iterator[FeedEntry]:
    for page in news_pages(site):
        # Validation requires a date of news; the guard only tells the type checker so.
        if page.meta.date is not None:
            yield FeedEntry(
                page.url, page.meta.title, page.meta.date, page.meta.date, page.meta.summary, page.html
            )
    if site.monitoring:
        first, last = site.monitoring[0].results.date, site.monitoring[-1].results.date
        summary = f"Итоги мониторинга сайтов школ по состоянию на {russian_date(last)}"
        yield _plain(NOTE_PAGE, NOTE_TITLE, first, summary, last)
    for report in site.reports:
        found = _report(report)
        if found is not None:
            yield found
    for roadmap in site.roadmaps:
        yield _roadmap(roadmap, levels)


def has_entries(site: Site, levels: Mapping[str, str]) -> bool:
    """Whether the feed has an entry at all, known from the first one found."""
    return next(_entries(site, levels), None) is not None


def feed_entries(site: Site, levels: Mapping[str, str]) -> list[FeedEntry]:
    """Every entry, the newest change first; entries of one day keep a fixed order by address."""
    by_address = sorted(_entries(site, levels), key=lambda entry: entry.output)
    return sorted(by_address, key=lambda entry: entry.updated, reverse=True)
