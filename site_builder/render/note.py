"""The analytical note: the latest results file seen as the document a coordinator signs, plus its PDF and XLSX.

Shares, the Russian summary and the changes since the previous results file are computed here; the template
monitoring.html only lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from site_builder.content.records.monitoring import (
    CheckResult,
    CheckStatus,
    CriterionInfo,
    MonitoringResults,
    Outcome,
    SchoolResult,
    SubsectionInfo,
)
from site_builder.content.settings.monitoring import CriterionId
from site_builder.core.russian import percent, plural, short_date
from site_builder.model.site import MonitoringEntry, Site
from site_builder.render.exports import PDF, XLSX, Download, DownloadSpec, downloads, print_template
from site_builder.render.exports.grid import Column, Grid, GridRow, GridSection
from site_builder.render.exports.pdf import pdf_bytes
from site_builder.render.exports.xlsx import workbook_bytes

NOTE_PAGE = "monitoring.html"
NOTE_PRINT = "pdf/note.html"
NOTE_TITLE = (
    "Аналитическая справка по итогам мониторинга официальных сайтов общеобразовательных организаций "
    "проекта «500+»"
)
ALL_TITLE = "Все критерии"
COMPLIANCE_TITLE = (
    "Соответствие раздела «Сведения об образовательной организации» требованиям приказа Рособрнадзора № 1493"
)
WORST_SHOWN = 10
CSS = {Outcome.MET: "met", Outcome.NOT_MET: "not-met", Outcome.UNKNOWN: "unknown"}


@dataclass(frozen=True)
class Share:
    met: int
    total: int

    @property
    def percent(self) -> int:
        """Rounded half up, as people round: 1 of 8 is 13 %, not the 12 % of banker's rounding."""
        return (200 * self.met + self.total) // (2 * self.total) if self.total else 0

    def __str__(self) -> str:
        return f"{self.met} из {self.total} ОО ({percent(self.percent)})"


@dataclass(frozen=True)
class Mark:
    outcome: Outcome
    text: str
    title: str  # the criterion's, repeated on each cell for the stacked (mobile) layout and the findings list

    @property
    def icon(self) -> str:
        return self.outcome.icon

    @property
    def css(self) -> str:
        return CSS[self.outcome]

    def cell(self) -> str:
        return f"{self.icon} {self.outcome.value}" + (f": {self.text}" if self.text else "")


@dataclass(frozen=True)
class CriterionColumn:
    info: CriterionInfo
    share: Share
    missed: list[str]  # short names of the schools that did not meet it
    unknown: list[str]  # … and of those where it could not be checked


@dataclass(frozen=True)
class SchoolRow:
    school: SchoolResult
    marks: list[Mark]  # one per criterion, in the columns' order
    all_met: bool


@dataclass(frozen=True)
class SubsectionMark:
    """One school × one subsection: found and without failed items, or what is wrong."""

    status: CheckStatus
    text: str
    title: str  # the subsection's, repeated on each cell for the stacked (mobile) layout

    @property
    def icon(self) -> str:
        return self.status.icon

    @property
    def css(self) -> str:
        return {CheckStatus.PASS: "met", CheckStatus.FAIL: "not-met"}.get(self.status, "unknown")

    def cell(self) -> str:
        return f"{self.icon} {self.text}"


@dataclass(frozen=True)
class SubsectionColumn:
    info: SubsectionInfo
    share: Share


@dataclass(frozen=True)
class ComplianceRow:
    school: SchoolResult
    marks: list[SubsectionMark]
    compliant: bool
    findings: list[CheckResult]  # what failed, each with its basis and fix


@dataclass(frozen=True)
class WorstItem:
    id: str
    title: str
    failed: Share  # schools with the subsection found that fail the item, of all schools
    basis: str
    fix: str


@dataclass(frozen=True)
class CompliancePart:
    title: str
    rules: str
    columns: list[SubsectionColumn]
    rows: list[ComplianceRow]
    all_share: Share
    worst: list[WorstItem]
    summary: list[str]


@dataclass(frozen=True)
class NoteView:
    title: str
    results: MonitoringResults
    previous: MonitoringResults | None
    columns: list[CriterionColumn]
    rows: list[SchoolRow]
    all_share: Share
    summary: list[str]
    changes: list[str]
    compliance: CompliancePart | None = None  # results files before version 2 have no «Сведения» checks

    @property
    def date(self) -> dt.date:
        return self.results.date


def _met(results: MonitoringResults, criterion: CriterionId) -> Share:
    schools = results.schools
    return Share(sum(1 for s in schools if s.outcome(criterion) is Outcome.MET), len(schools))


def _all_met(results: MonitoringResults) -> Share:
    return Share(sum(1 for s in results.schools if results.all_met(s)), len(results.schools))


def _names(schools: list[SchoolResult]) -> list[str]:
    return [school.short_name for school in schools]


def _columns(results: MonitoringResults) -> list[CriterionColumn]:
    return [
        CriterionColumn(
            info,
            _met(results, info.id),
            _names([s for s in results.schools if s.outcome(info.id) is Outcome.NOT_MET]),
            # Schools without a site are named once in the summary, not again under every criterion.
            _names([s for s in results.schools if s.site.strip() and s.outcome(info.id) is Outcome.UNKNOWN]),
        )
        for info in results.criteria
    ]


def _days(count: int) -> str:
    return f"{plural(count, 'последний', 'последние', 'последние')} {count} {plural(count, 'день', 'дня', 'дней')}"


def _sentence(column: CriterionColumn, results: MonitoringResults) -> str:
    share = column.share
    placed = plural(share.met, "разместила", "разместили", "разместили")
    sentences: dict[CriterionId, str] = {
        "site": f"Официальный сайт открывается у {share}",
        "section": f"Информацию о реализации проекта {placed} {share}",
        "documents": f"Все требуемые документы {placed} в разделе {share}",
        "links": f"Ссылки на документы в разделе работают у {share}",
        "fresh": f"Раздел обновлялся за {_days(results.fresh_days)} у {share}",
    }
    text = sentences[column.info.id]
    rest = []
    if column.missed:
        rest.append(f"критерий не выполнен: {', '.join(column.missed)}")
    if column.unknown:
        rest.append(f"не проверен: {', '.join(column.unknown)}")
    return f"{text}; {'; '.join(rest)}." if rest else f"{text}."


def summary(results: MonitoringResults) -> list[str]:
    """The generated Russian summary: what was checked, each criterion's share, and all criteria at once."""
    total = len(results.schools)
    without = [s.short_name for s in results.schools if not s.site.strip()]
    checked = total - len(without)
    lines = [
        f"{plural(checked, 'Проверен', 'Проверено', 'Проверено')} {checked} "
        f"{plural(checked, 'официальный сайт', 'официальных сайта', 'официальных сайтов')} из {total} ОО проекта."
    ]
    if without:
        lines.append(
            f"Адрес официального сайта не указан в schools.yaml у {len(without)} ОО: {', '.join(without)}."
        )
    lines += [_sentence(column, results) for column in _columns(results)]
    everything = _all_met(results)
    agree = plural(everything.met, "соответствует", "соответствуют", "соответствуют")
    lines.append(f"Всем критериям мониторинга {agree} {everything}.")
    return lines


def changes(results: MonitoringResults, previous: MonitoringResults | None) -> list[str]:
    """What differs from the previous monitoring: shares, then each school's outcomes, then who came or went."""
    if previous is None:
        return ["Это первый мониторинг: сравнивать не с чем."]
    found: list[str] = []
    before = {info.id: info for info in previous.criteria}
    for info in results.criteria:
        if info.id in before and (was := _met(previous, info.id)) != (now := _met(results, info.id)):
            found.append(f"«{info.title}»: было {was}, стало {now}.")
    if _all_met(previous) != _all_met(results):
        found.append(f"«{ALL_TITLE}»: было {_all_met(previous)}, стало {_all_met(results)}.")
    earlier = {school.id: school for school in previous.schools}
    for school in results.schools:
        old = earlier.get(school.id)
        if old is None:
            continue
        for info in results.criteria:
            if info.id in old.criteria and old.outcome(info.id) is not school.outcome(info.id):
                found.append(
                    f"{school.short_name}, «{info.title}»: было «{old.outcome(info.id).value}», "
                    f"стало «{school.outcome(info.id).value}»."
                )
    current = {school.id for school in results.schools}
    added = [s.short_name for s in results.schools if s.id not in earlier]
    dropped = [s.short_name for s in previous.schools if s.id not in current]
    if added:
        found.append(f"Впервые в мониторинге: {', '.join(added)}.")
    if dropped:
        found.append(f"В прошлом мониторинге были, в этом нет: {', '.join(dropped)}.")
    return found or [f"Изменений по сравнению с мониторингом {short_date(previous.date)} нет."]


def _subsection_mark(school: SchoolResult, info: SubsectionInfo) -> tuple[SubsectionMark, list[CheckResult]]:
    by_id = {check.id: check for check in school.checks}
    head = by_id.get(f"sveden.{info.slug}")
    if head is None or head.status is CheckStatus.NOT_CHECKED:
        return SubsectionMark(CheckStatus.NOT_CHECKED, "не проверено", info.title), []
    if head.status is CheckStatus.FAIL:
        return SubsectionMark(CheckStatus.FAIL, "нет подраздела", info.title), [head]
    prefix = f"sveden.{info.slug}."
    items = [check for check in school.checks if check.id.startswith(prefix)]
    failed = [check for check in items if check.status is CheckStatus.FAIL]
    if failed:
        word = plural(len(failed), "замечание", "замечания", "замечаний")
        return SubsectionMark(CheckStatus.FAIL, f"{len(failed)} {word}", info.title), failed
    return SubsectionMark(CheckStatus.PASS, "соответствует", info.title), []


def _worst(rows: list[ComplianceRow], total: int) -> list[WorstItem]:
    """The items failed by most schools that have the subsection: markup to fix, not a missing page."""
    failed: dict[str, list[CheckResult]] = {}
    for row in rows:
        for check in row.findings:
            if check.id.count(".") >= 2:
                failed.setdefault(check.id, []).append(check)
    ranked = sorted(failed.items(), key=lambda pair: (-len(pair[1]), pair[0]))[:WORST_SHOWN]
    return [
        WorstItem(key, found[0].title, Share(len(found), total), found[0].basis, found[0].fix)
        for key, found in ranked
    ]


def compliance_part(results: MonitoringResults) -> CompliancePart | None:
    if not results.subsections:
        return None
    rows = []
    for school in results.schools:
        marks, findings = [], []
        for info in results.subsections:
            mark, failed = _subsection_mark(school, info)
            marks.append(mark)
            findings += failed
        findings += [c for c in school.checks if c.id.startswith("a11y.") and c.status is CheckStatus.FAIL]
        compliant = all(mark.status is CheckStatus.PASS for mark in marks)
        rows.append(ComplianceRow(school, marks, compliant, findings))
    total = len(rows)
    columns = [
        SubsectionColumn(
            info, Share(sum(1 for row in rows if row.marks[index].status is CheckStatus.PASS), total)
        )
        for index, info in enumerate(results.subsections)
    ]
    everything = Share(sum(1 for row in rows if row.compliant), total)
    unchecked = [
        row.school.short_name for row in rows if any(m.status is CheckStatus.NOT_CHECKED for m in row.marks)
    ]
    agree = plural(everything.met, "соответствует", "соответствуют", "соответствуют")
    lines = [
        f"Раздел «Сведения об образовательной организации» полностью {agree} требованиям у {everything}."
    ]
    lines += [f"Подраздел «{c.info.title}» соответствует у {c.share}." for c in columns]
    if unchecked:
        lines.append(
            f"Раздел проверен не полностью (сайт не открылся, robots.txt или время): {', '.join(unchecked)}."
        )
    return CompliancePart(
        COMPLIANCE_TITLE, results.rules, columns, rows, everything, _worst(rows, total), lines
    )


def note_date(entries: list[MonitoringEntry]) -> dt.date:
    """The note's date: the latest results file's (entries are oldest first)."""
    return entries[-1].results.date


def note_view(entries: list[MonitoringEntry]) -> NoteView:
    """The note of the latest results file, compared with the one before it (entries are oldest first)."""
    results = entries[-1].results
    previous = entries[-2].results if len(entries) > 1 else None
    rows = [
        SchoolRow(
            school,
            [
                Mark(school.outcome(info.id), school.criteria[info.id].text, info.title)
                for info in results.criteria
            ],
            results.all_met(school),
        )
        for school in results.schools
    ]
    return NoteView(
        NOTE_TITLE,
        results,
        previous,
        _columns(results),
        rows,
        _all_met(results),
        summary(results),
        changes(results, previous),
        compliance_part(results),
    )


def note_downloads(pdf: bool = True) -> tuple[Download, ...]:
    return downloads(NOTE_PAGE, (PDF, XLSX), pdf)


def note_grid(view: NoteView) -> Grid:
    columns = [
        Column("school", "ОО"),
        *(Column(column.info.id, column.info.title) for column in view.columns),
        Column("all", ALL_TITLE),
    ]
    rows: list[GridRow] = [
        [row.school.short_name, *(mark.cell() for mark in row.marks), "✓ да" if row.all_met else "✗ нет"]
        for row in view.rows
    ]
    shares: GridRow = ["Доля ОО", *(str(column.share) for column in view.columns), str(view.all_share)]
    previous = f"Изменения с мониторинга {short_date(view.previous.date)}:" if view.previous else "Изменения:"
    notes = [f"Дата мониторинга: {short_date(view.date)}", *view.summary, previous, *view.changes]
    sections = [GridSection("Результаты по ОО", rows), GridSection("Итого", [shares])]
    return Grid(view.title, "Мониторинг", notes, columns, sections)


def compliance_grid(view: NoteView) -> Grid | None:
    part = view.compliance
    if part is None:
        return None
    columns = [
        Column("school", "ОО"),
        *(Column(column.info.slug, column.info.title) for column in part.columns),
        Column("all", "Весь раздел"),
    ]
    rows: list[GridRow] = [
        [row.school.short_name, *(mark.cell() for mark in row.marks), "✓ да" if row.compliant else "✗ нет"]
        for row in part.rows
    ]
    shares: GridRow = ["Доля ОО", *(str(column.share) for column in part.columns), str(part.all_share)]
    blank: list[str | None] = [""] * (len(columns) - 4)
    worst: list[GridRow] = [
        [item.id, item.title, str(item.failed), item.basis + " " + item.fix, *blank] for item in part.worst
    ]
    findings: list[GridRow] = [
        [row.school.short_name, check.id, check.reason, f"{check.basis}. {check.fix}".strip(". "), *blank]
        for row in part.rows
        for check in row.findings
    ]
    sections = [
        GridSection("Подразделы по ОО", rows),
        GridSection("Итого", [shares]),
        GridSection("Чаще всего не выполнено (код, что, доля ОО, основание и исправление)", worst),
        GridSection("Замечания по ОО (ОО, код, причина, основание и исправление)", findings),
    ]
    notes = [f"Дата мониторинга: {short_date(view.date)}", f"Правила: {part.rules}", *part.summary]
    return Grid(part.title, "Сведения об ОО", notes, columns, sections)


def note_workbook(view: NoteView) -> bytes:
    extra = compliance_grid(view)
    return workbook_bytes(note_grid(view), view.date, *([extra] if extra else []))


def note_download_specs(site: Site) -> list[DownloadSpec]:
    """The note's PDF and XLSX, when there are results to make them from."""
    if not site.monitoring:
        return []
    inputs = site.note_inputs()
    entries, config = site.monitoring, site.config
    date = note_date(entries)
    producers = {
        "pdf": lambda: pdf_bytes(
            NOTE_PRINT, {"config": config, "note": note_view(entries), "large": False}, date
        ),
        "xlsx": lambda: note_workbook(note_view(entries)),
    }
    return [
        DownloadSpec(
            download.output, inputs, producers[download.format.suffix], print_template(download, NOTE_PRINT)
        )
        for download in note_downloads(config.downloads.pdf)
    ]
