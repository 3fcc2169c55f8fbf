"""Statuses of roadmap items as of a date, and progress per section, per roadmap and against checkpoints.

The rules, each pinned by tests/render/test_status.py (the fair rule on built sites by tests/render/test_fair_statuses.py):

- A report's status wins for the items it names. With several reports on one roadmap the latest wins: by date,
  undated reports counting as older than dated ones, the later file winning among equals. A report dated after the
  as-of date did not exist yet and is ignored; an undated one counts at any date.
- Only a report may say that something failed («не выполнено»), unless the site opts in with `statuses: strict`.
  Fair (the default): a passed deadline with no report of completion is «срок прошёл; сведений о выполнении нет»,
  a neutral state — the absence of a report is no evidence of failure. Strict: it is «просрочено», as before.
- «выполнено», «не выполнено» and «отменено» in a report are final. «в работе» and «запланировано» describe the day
  the report was written: once the item's schedule ended before the as-of date they become the passed-deadline
  state above, because nobody reported completion.
- Without a report the status comes from the schedule: «(исполнено)» in the deadline → выполнено; a deadline that
  could not be read → «срок не распознан»; schedule ended before the as-of date → the passed-deadline state; the
  as-of date between start and end → в работе (continuous and recurring work included); otherwise → запланировано.
  A bare deadline («До 25.03.2022») has no start, so it stays запланировано until it passes.
- Progress states a share done only when it rests on a report (and then names it: «по данным отчёта от …») or in
  strict mode; a checkpoint is «не достигнута» on the same terms. A roadmap whose period has ended is a closed
  year: its page gives «Итоги YYYY года», the state its last report left.
- An item is due when its schedule ends on or before the as-of date: on its last day it is due but not yet overdue.
  Unreadable deadlines are never due. Cancelled items count neither in totals nor as due.
- Percentages are rounded down, so a page never shows a target as met when it is not.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal, TypeVar

from site_builder.content.models import Checkpoint, Item, ReportItem, item_key
from site_builder.core.russian import percent, plural, russian_date, short_date
from site_builder.core.sequences import replaced
from site_builder.model.deadlines import Schedule, parse_deadline
from site_builder.model.site import (
    EntryCache,
    ReportEntry,
    RoadmapEntry,
    Site,
    section_heading,
)

StatusCode = Literal[
    "done", "in_progress", "planned", "unreported", "overdue", "not_done", "cancelled", "unrecognised"
]
StatusWord = Literal[
    "выполнено",
    "в работе",
    "запланировано",
    "срок прошёл; сведений о выполнении нет",
    "просрочено",
    "не выполнено",
    "отменено",
    "срок не распознан",
]


@dataclass(frozen=True)
class StatusKind:
    code: StatusCode  # stable machine name: CSS hook, JSON value
    word: StatusWord  # what readers see; the report vocabulary where the two overlap
    icon: str  # decoration only: pages mark it aria-hidden, the word carries the meaning


DONE = StatusKind("done", "выполнено", "✓")
IN_PROGRESS = StatusKind("in_progress", "в работе", "◐")
PLANNED = StatusKind("planned", "запланировано", "○")
# Neutral: a deadline passed and nobody reported on it. Never a failure word (see the module docstring).
UNREPORTED = StatusKind("unreported", "срок прошёл; сведений о выполнении нет", "◷")
OVERDUE = StatusKind("overdue", "просрочено", "⚠")
NOT_DONE = StatusKind("not_done", "не выполнено", "✕")
CANCELLED = StatusKind("cancelled", "отменено", "—")
UNRECOGNISED = StatusKind("unrecognised", "срок не распознан", "?")
STATUS_KINDS = (DONE, IN_PROGRESS, PLANNED, UNREPORTED, OVERDUE, NOT_DONE, CANCELLED, UNRECOGNISED)
_BY_WORD = {kind.word: kind for kind in STATUS_KINDS}
_FINAL = (DONE, NOT_DONE, CANCELLED)


@dataclass(frozen=True)
class ItemStatus:
    number: str
    activity: str
    schedule: Schedule
    kind: StatusKind
    reason: str
    due: bool
    item: Item | None = None  # the roadmap item, when there is a roadmap
    report: ReportEntry | None = None  # the report the status comes from
    report_item: ReportItem | None = None

    @property
    def key(self) -> str:
        return item_key(self.number)

    @property
    def done(self) -> bool:
        return self.kind == DONE


def _share(part: int, whole: int) -> int | None:
    return part * 100 // whole if whole else None


def _items_word(count: int) -> str:
    # Genitive after «из N» / «у N»: 1 мероприятия, 2 мероприятий, 5 мероприятий.
    return plural(count, "мероприятия", "мероприятий", "мероприятий")


def report_basis(entry: ReportEntry) -> str:
    """«по данным отчёта от 01.12.2022»; an undated report is named by its stage or title instead."""
    report = entry.report
    return (
        f"по данным отчёта от {short_date(report.date)}"
        if report.date
        else f"по данным отчёта «{report.stage or report.title}»"
    )


def _latest_report(items: Sequence[ItemStatus]) -> ReportEntry | None:
    """The newest report the statuses rest on: by date, undated ones older, the later one among equals."""
    reports = [status.report for status in items if status.report is not None]
    ordered = sorted(reports, key=lambda entry: entry.report.date or dt.date.min)
    return ordered[-1] if ordered else None


@dataclass(frozen=True)
class Progress:
    as_of: dt.date
    total: int
    done: int
    due: int
    due_done: int
    basis: str = ""  # «по данным отчёта от …» when a report gives the statuses counted; "" when none does
    has_report: bool = False  # a report on the roadmap exists, though it may name none of these items
    strict: bool = False  # `statuses: strict`: the schedule alone may state shares and failures

    @classmethod
    def of(
        cls, items: Iterable[ItemStatus], as_of: dt.date, strict: bool = False, has_report: bool = False
    ) -> Progress:
        counted = [status for status in items if status.kind != CANCELLED]
        latest = _latest_report(counted)
        return cls(
            as_of,
            total=len(counted),
            done=sum(status.done for status in counted),
            due=sum(status.due for status in counted),
            due_done=sum(status.due and status.done for status in counted),
            basis=report_basis(latest) if latest else "",
            has_report=has_report or latest is not None,
            strict=strict,
        )

    @property
    def measured(self) -> bool:
        """A share done may be shown: it rests on a report, or the site asked for strict statuses."""
        return bool(self.basis) or self.strict

    @property
    def shows_bar(self) -> bool:
        return self.measured and self.total > 0

    @property
    def done_percent(self) -> int | None:
        return _share(self.done, self.total)

    @property
    def due_percent(self) -> int | None:
        return _share(self.due_done, self.due)

    def _with_basis(self, text: str) -> str:
        return f"{text} {self.basis}" if self.basis else text

    @property
    def summary(self) -> str:
        """«Выполнено 12 из 30 мероприятий (40 %) по данным отчёта от 01.12.2022»; without a report, no share."""
        if not self.total:
            return "Мероприятий для подсчёта нет"
        share = f"{self.done} из {self.total} {_items_word(self.total)}"
        if self.measured:
            return self._with_basis(f"Выполнено {share} ({percent(self.done_percent or 0)})")
        missing = "В отчётах сведений о выполнении нет" if self.has_report else "Отчёт не опубликован"
        return f"{missing}; в дорожной карте отмечено исполненным {share}" if self.done else missing

    @property
    def due_summary(self) -> str:
        """The share of items whose time has come that are done; without a report, only how many came due."""
        if not self.due:
            return f"К {short_date(self.as_of)} срок не наступил ни у одного мероприятия"
        came = f"К {short_date(self.as_of)} срок наступил у {self.due} {_items_word(self.due)}"
        if self.measured:
            return self._with_basis(
                f"{came}, из них выполнено {self.due_done} ({percent(self.due_percent or 0)})"
            )
        if self.due_done:
            return f"{came}; исполненным отмечено {self.due_done}, о других сведений о выполнении нет"
        return f"{came}; сведений о выполнении нет"


CheckpointState = Literal["reached", "missed", "unreported", "upcoming"]
_VERDICTS: dict[CheckpointState, tuple[str, str]] = {
    "reached": ("✓", "цель достигнута"),
    "missed": ("✕", "цель не достигнута"),
    "unreported": ("◷", "сведений о выполнении нет"),
    "upcoming": ("○", "срок ещё не наступил"),
}


@dataclass(frozen=True)
class CheckpointResult:
    """A checkpoint compared with the share done on its date, or on the as-of date while it is still ahead."""

    checkpoint: Checkpoint
    progress: Progress
    state: CheckpointState

    @property
    def percent(self) -> int:
        return self.progress.done_percent or 0

    @property
    def text(self) -> str:
        """«Контрольная точка 30.06.2023: цель не менее 30 %, выполнено 12 %»; no share that no report gives."""
        point = f"Контрольная точка {short_date(self.checkpoint.date)}: цель не менее {percent(self.checkpoint.target)}"
        if not (self.progress.measured or self.state == "reached"):
            return point
        when = f" на {short_date(self.progress.as_of)}" if self.state == "upcoming" else ""
        return f"{point}, выполнено{when} {percent(self.percent)}"

    @property
    def icon(self) -> str:
        return _VERDICTS[self.state][0]

    @property
    def verdict(self) -> str:
        return _VERDICTS[self.state][1]


@dataclass(frozen=True)
class SectionStatus:
    number: str
    title: str
    items: list[ItemStatus]
    progress: Progress

    @property
    def heading(self) -> str:
        return section_heading(self.number, self.title)


@dataclass(frozen=True)
class StatusTable:
    """Statuses of one roadmap or report, section by section, with its progress and checkpoints."""

    as_of: dt.date
    sections: list[SectionStatus]
    overall: Progress
    checkpoints: list[CheckpointResult]
    heading: str  # «Ход выполнения на 1 июня 2022 г.», «Итоги 2022 года», «Ход выполнения по данным отчёта …»
    closed: bool = False  # the roadmap's period has ended: a closed year, read as its results

    @property
    def items(self) -> list[ItemStatus]:
        return [status for section in self.sections for status in section.items]

    def by_key(self) -> dict[str, ItemStatus]:
        return {status.key: status for status in self.items}

    @property
    def schedules(self) -> dict[str, Schedule]:
        return {status.key: status.schedule for status in self.items}

    @property
    def marks(self) -> dict[str, tuple[str, str]]:
        """(icon, word) per item key, the shape the timeline takes."""
        return {status.key: (status.kind.icon, status.kind.word) for status in self.items}


def is_due(schedule: Schedule, as_of: dt.date) -> bool:
    return schedule.end is not None and schedule.end <= as_of


def is_closed(entry: RoadmapEntry, as_of: dt.date) -> bool:
    return entry.summary.period_end < as_of


def _passed(end: dt.date, strict: bool, reported: str = "") -> tuple[StatusKind, str]:
    """A deadline that passed with no report of completion: neutral unless the site asked for strict statuses."""
    told = f"; в отчёте — «{reported}»" if reported else ""
    if strict:
        return OVERDUE, f"срок истёк {short_date(end)}" + (told or ", о выполнении не сообщено")
    return UNREPORTED, f"срок окончился {short_date(end)}{told}"


def derive_status(schedule: Schedule, as_of: dt.date, strict: bool = False) -> tuple[StatusKind, str]:
    """The status the schedule alone gives on `as_of`, with the reason shown beside it."""
    if schedule.done:
        return DONE, "в сроке отмечено «исполнено»"
    end, start = schedule.end, schedule.start
    if schedule.kind == "unknown" or end is None:
        return (
            UNRECOGNISED,
            "даты не определены по тексту срока" if schedule.text.strip() else "срок не указан",
        )
    if end < as_of:
        return _passed(end, strict)
    if start is not None and start <= as_of:
        return IN_PROGRESS, f"идёт срок {short_date(start)} – {short_date(end)}"
    if start is None:
        return PLANNED, f"срок — до {short_date(end)}"
    return PLANNED, f"начало {short_date(start)}"


def _report_reason(entry: ReportEntry) -> str:
    report = entry.report
    when = f" от {short_date(report.date)}" if report.date else ""
    return f"по отчёту «{report.stage or report.title}»{when}"


def _latest_reported(
    reports: Sequence[ReportEntry], as_of: dt.date
) -> dict[str, tuple[ReportEntry, ReportItem]]:
    known = [entry for entry in reports if entry.report.date is None or entry.report.date <= as_of]
    # sorted() is stable, so among reports of one date (or undated ones) the later file stays later and wins.
    ordered = sorted(known, key=lambda entry: entry.report.date or dt.date.min)
    latest: dict[str, tuple[ReportEntry, ReportItem]] = {}
    for entry in ordered:
        for section in entry.report.sections:
            for report_item in section.items:
                latest[item_key(report_item.number)] = (entry, report_item)
    return latest


def _roadmap_item_status(
    item: Item,
    schedule: Schedule,
    reported: tuple[ReportEntry, ReportItem] | None,
    as_of: dt.date,
    strict: bool,
) -> ItemStatus:
    if reported is None:
        kind, reason = derive_status(schedule, as_of, strict)
        return ItemStatus(item.number, item.activity, schedule, kind, reason, is_due(schedule, as_of), item)
    report, report_item = reported
    kind, reason = _BY_WORD[report_item.status], _report_reason(report)
    if kind not in _FINAL and schedule.end is not None and schedule.end < as_of:
        kind, reason = _passed(schedule.end, strict, report_item.status)
    return ItemStatus(
        item.number, item.activity, schedule, kind, reason, is_due(schedule, as_of), item, report, report_item
    )


def _roadmap_sections(
    entry: RoadmapEntry, reports: Sequence[ReportEntry], as_of: dt.date, strict: bool
) -> list[SectionStatus]:
    latest = _latest_reported(reports, as_of)
    progress = partial(Progress.of, as_of=as_of, strict=strict, has_report=bool(latest))
    sections = []
    for section in entry.roadmap.sections:
        items = []
        for item in section.items:
            key = item_key(item.number)
            items.append(_roadmap_item_status(item, entry.schedules[key], latest.get(key), as_of, strict))
        sections.append(SectionStatus(section.number, section.title, items, progress(items)))
    return sections


def _overall(sections: list[SectionStatus], as_of: dt.date, strict: bool = False) -> Progress:
    has_report = any(section.progress.has_report for section in sections)
    return Progress.of((s for section in sections for s in section.items), as_of, strict, has_report)


def _checkpoint(
    checkpoint: Checkpoint, entry: RoadmapEntry, reports: Sequence[ReportEntry], current: Progress
) -> CheckpointResult:
    if checkpoint.date > current.as_of:
        return CheckpointResult(checkpoint, current, "upcoming")
    then = _overall(
        _roadmap_sections(entry, reports, checkpoint.date, current.strict), checkpoint.date, current.strict
    )
    # Compared exactly, not through the rounded percentage.
    if then.total > 0 and then.done * 100 >= checkpoint.target * then.total:
        return CheckpointResult(checkpoint, then, "reached")
    return CheckpointResult(checkpoint, then, "missed" if then.measured else "unreported")


def roadmap_status(
    entry: RoadmapEntry, reports: Sequence[ReportEntry], as_of: dt.date, strict: bool = False
) -> StatusTable:
    """Statuses of a roadmap's items on `as_of`; `reports` are the reports on this roadmap, in file order.

    `strict` is the site's `statuses: strict`: a passed deadline alone then reads as «просрочено».
    """
    sections = _roadmap_sections(entry, reports, as_of, strict)
    overall = _overall(sections, as_of, strict)
    checkpoints = [
        _checkpoint(checkpoint, entry, reports, overall) for checkpoint in entry.roadmap.checkpoints
    ]
    closed = is_closed(entry, as_of)
    heading = f"Итоги {entry.roadmap.year} года" if closed else f"Ход выполнения на {russian_date(as_of)}"
    return StatusTable(as_of, sections, overall, checkpoints, heading, closed)


def report_status(entry: ReportEntry, as_of: dt.date) -> StatusTable:
    """A report's items with the statuses the report gives, read against the roadmap's schedule for «due»."""
    roadmap = entry.roadmap
    items_by_key = (
        {item_key(item.number): item for section in roadmap.roadmap.sections for item in section.items}
        if roadmap
        else {}
    )
    reason = _report_reason(entry)
    sections = []
    for section in entry.report.sections:
        items = []
        for report_item in section.items:
            key = item_key(report_item.number)
            item = items_by_key.get(key)
            schedule = (
                roadmap.schedules[key]
                if roadmap and item
                else parse_deadline(report_item.deadline, entry.report.year)
            )
            activity = item.activity if item else report_item.activity
            items.append(
                ItemStatus(report_item.number, activity, schedule, _BY_WORD[report_item.status], reason,
                           is_due(schedule, as_of), item, entry, report_item)
            )  # fmt: skip
        sections.append(SectionStatus(section.number, section.title, items, Progress.of(items, as_of)))
    # A report tells the state on its own day, not on the day the site is built.
    heading = f"Ход выполнения {report_basis(entry)}"
    return StatusTable(as_of, sections, _overall(sections, as_of), [], heading)


V = TypeVar("V")
# Entries whose views SiteStatus.recent keeps: a build makes the files of one entry one after the other, and a
# report's files may come between its roadmap's.
RECENT = 4


@dataclass(frozen=True)
class _LastProgress:
    """What SiteStatus.progress answered on one date, with the lists of entries it was worked out from."""

    when: tuple[dt.date, bool]
    roadmaps: list[RoadmapEntry]
    reports: list[ReportEntry]
    progress: dict[str, Progress]


class StatusCache(EntryCache["StatusTable"]):
    """Status tables kept from one build of the live preview to the next: a save recomputes the statuses of the
    roadmap or report it touched and nothing else."""

    def __init__(self, limit: int | None = None) -> None:
        super().__init__(limit)
        self.last_progress: _LastProgress | None = None


class SiteStatus:
    """Statuses of every roadmap and report of a site on one date, each computed on first use and then kept.

    Pages and downloads of one build share it, so a roadmap's statuses are computed once however many files
    show them (a build's files of one entry come one after the other), and a preview rebuild that renders one
    page computes only what that page needs. The live preview passes its `cache` to keep them all across
    builds too.
    """

    def __init__(self, site: Site, as_of: dt.date, cache: StatusCache | None = None) -> None:
        self.site = site
        self.as_of = as_of
        # A build makes one entry's files after the other: it keeps only the last few entries' tables, so that
        # a process making thousands of pages never holds them all (nor the entries they come from).
        self.cache = cache or StatusCache(RECENT)
        self.strict = site.config.statuses == "strict"
        self._recent: OrderedDict[int, tuple[object, object]] = OrderedDict()
        # The overall progress of every table worked out here or learned (by URL): the landing page lists it,
        # and a build's workers send theirs back so that it is not worked out twice (build/workers.py).
        self._overall: dict[str, Progress] = {}

    def recent(self, entry: object, make: Callable[[], V]) -> V:
        """What `make` gives for `entry`, kept for the last RECENT entries asked about (see render.entryviews)."""
        kept = self._recent.get(id(entry))
        if kept is not None and kept[0] is entry:
            self._recent.move_to_end(id(entry))
            return kept[1]  # type: ignore[return-value]  # each entry's value comes from one maker
        value = make()
        self._recent[id(entry)] = (entry, value)
        if len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return value

    def reports_on(self, entry: RoadmapEntry) -> list[ReportEntry]:
        """The reports on a roadmap, in file order."""
        return self.site.reports_of.get(id(entry), [])

    def roadmap(self, entry: RoadmapEntry) -> StatusTable:
        return self._roadmap(entry, self.reports_on(entry))

    def _roadmap(self, entry: RoadmapEntry, reports: list[ReportEntry]) -> StatusTable:
        compute = partial(roadmap_status, entry, reports, self.as_of, self.strict)
        table = self.cache.get(entry.source.path, (self.as_of, self.strict), (entry, *reports), compute)
        self._overall[entry.url] = table.overall
        return table

    def report(self, entry: ReportEntry) -> StatusTable:
        compute = partial(report_status, entry, self.as_of)
        table = self.cache.get(entry.source.path, self.as_of, (entry,), compute)
        self._overall[entry.url] = table.overall
        return table

    def learned(self) -> dict[str, Progress]:
        """The overall progress of the tables worked out or learned since the last call, by URL, let go here."""
        found, self._overall = self._overall, {}
        return found

    def learn(self, progress: dict[str, Progress]) -> None:
        """Take the overall progress another process worked out for this site on this date (see `learned`)."""
        self._overall.update(progress)

    def progress(self) -> dict[str, Progress]:
        """Overall progress of every roadmap and report, by page URL: what the landing page lists.

        The landing page is made again after every save of the live preview, and even looking up 3,000 kept
        tables was a tenth of a save's build: the last answer is taken again but for the entries that are not
        the very same objects and the roadmaps whose reports are not (see `_patched`).
        """
        site, when, last = self.site, (self.as_of, self.strict), self.cache.last_progress
        patched = self._patched(last) if last is not None and last.when == when else None
        if patched is None:
            patched = {}
            for group in site.groups():
                patched.update(self._group_progress(*group))
        self.cache.last_progress = _LastProgress(when, site.roadmaps, site.reports, patched)
        return patched

    def _patched(self, last: _LastProgress) -> dict[str, Progress] | None:
        """`last`'s answer with the replaced entries' progress worked out again; None when entries were added
        or removed (their positions no longer match)."""
        site = self.site
        moved_roadmaps = replaced(site.roadmaps, last.roadmaps)
        moved_reports = replaced(site.reports, last.reports)
        if moved_roadmaps is None or moved_reports is None:
            return None
        replaced_roadmaps = {id(last.roadmaps[i]) for i in moved_roadmaps}
        old_reports = [last.reports[i] for i in moved_reports]
        new_reports = [site.reports[i] for i in moved_reports]
        roadmaps = {id(site.roadmaps[i]): site.roadmaps[i] for i in moved_roadmaps}
        # A roadmap still in the site that lost a report, or gained one, shows another progress.
        for report in old_reports:
            if report.roadmap is not None and id(report.roadmap) not in replaced_roadmaps:
                roadmaps[id(report.roadmap)] = report.roadmap
        roadmaps.update((id(report.roadmap), report.roadmap) for report in new_reports if report.roadmap)
        progress = dict(last.progress)
        gone: list[RoadmapEntry | ReportEntry] = [*(last.roadmaps[i] for i in moved_roadmaps), *old_reports]
        for entry in gone:
            progress.pop(entry.url, None)
        progress.update((entry.url, self.roadmap(entry).overall) for entry in roadmaps.values())
        progress.update((report.url, self.report(report).overall) for report in new_reports)
        return progress

    def _group_progress(self, entry: RoadmapEntry | None, reports: list[ReportEntry]) -> dict[str, Progress]:
        # One table at a time: together they would hold every entry's content at once.
        known = self._overall
        progress: dict[str, Progress] = {}
        if entry is not None:
            progress[entry.url] = known.get(entry.url) or self._roadmap(entry, reports).overall
        for report in reports:
            progress[report.url] = known.get(report.url) or self.report(report).overall
        return progress
