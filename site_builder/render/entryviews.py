"""What the files of one roadmap or report show, worked out once for all of them.

A roadmap's page, its CMS fragment and its downloads show the same statuses and the same table; the page adds
the timeline. Each view is made on first use and shared by the files made after it. SiteStatus keeps the views
of the last few entries only (SiteStatus.recent), so the files of one entry made one after the other share
them, while a build of thousands of roadmaps does not hold the views of all of them.
"""

from __future__ import annotations

from functools import cached_property

from site_builder.model.site import ReportEntry, RoadmapEntry
from site_builder.render.status import SiteStatus, StatusTable
from site_builder.render.timeline import TimelineView, timeline_view
from site_builder.render.views import ReportColumns, TableView, report_columns, table_view


class RoadmapViews:
    def __init__(self, entry: RoadmapEntry, statuses: SiteStatus) -> None:
        self.entry = entry
        self.statuses = statuses

    @cached_property
    def status(self) -> StatusTable:
        return self.statuses.roadmap(self.entry)

    @cached_property
    def table(self) -> TableView:
        return table_view(self.entry.roadmap, self.status)

    @cached_property
    def timeline(self) -> TimelineView:
        return timeline_view(self.entry.roadmap, self.entry.schedules, self.statuses.as_of, self.status.marks)


class ReportViews:
    def __init__(self, entry: ReportEntry, statuses: SiteStatus) -> None:
        self.entry = entry
        self.statuses = statuses

    @cached_property
    def status(self) -> StatusTable:
        return self.statuses.report(self.entry)

    @cached_property
    def columns(self) -> ReportColumns:
        return report_columns(self.entry)


def roadmap_views(entry: RoadmapEntry, statuses: SiteStatus) -> RoadmapViews:
    return statuses.recent(entry, lambda: RoadmapViews(entry, statuses))


def report_views(entry: ReportEntry, statuses: SiteStatus) -> ReportViews:
    return statuses.recent(entry, lambda: ReportViews(entry, statuses))
