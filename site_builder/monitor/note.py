"""The analytical note: the latest results file seen as the document a coordinator signs, plus its PDF and XLSX.

Shares, the Russian summary and the changes since the previous results file are computed here; the template
monitoring.html only lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from site_builder.exports import PDF, XLSX, Download, DownloadSpec, downloads, print_template
from site_builder.exports.grid import Column, Grid, GridRow, GridSection
from site_builder.exports.pdf import pdf_bytes
from site_builder.exports.xlsx import workbook_bytes
from site_builder.model import MonitoringEntry, Site
from site_builder.monitor.config import CriterionId
from site_builder.monitor.results import CriterionInfo, MonitoringResults, Outcome, SchoolResult
from site_builder.russian import percent, plural

NOTE_PAGE = "monitoring.html"
NOTE_PRINT = "pdf/note.html"
NOTE_TITLE = (
    "Аналитическая справка по итогам мониторинга официальных сайтов общеобразовательных организаций "
    "проекта «500+»"
)
ALL_TITLE = "Все критерии"
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
class NoteView:
    title: str
    results: MonitoringResults
    previous: MonitoringResults | None
    columns: list[CriterionColumn]
    rows: list[SchoolRow]
    all_share: Share
    summary: list[str]
    changes: list[str]

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
    return found or [f"Изменений по сравнению с мониторингом {previous.date:%d.%m.%Y} нет."]


def note_view(entries: list[MonitoringEntry]) -> NoteView:
    """The note of the latest results file, compared with the one before it (entries are oldest first)."""
    results = entries[-1].results
    previous = entries[-2].results if len(entries) > 1 else None
    rows = [
        SchoolRow(
            school,
            [Mark(school.outcome(info.id), school.criteria[info.id].text) for info in results.criteria],
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
    previous = f"Изменения с мониторинга {view.previous.date:%d.%m.%Y}:" if view.previous else "Изменения:"
    notes = [f"Дата мониторинга: {view.date:%d.%m.%Y}", *view.summary, previous, *view.changes]
    sections = [GridSection("Результаты по ОО", rows), GridSection("Итого", [shares])]
    return Grid(view.title, "Мониторинг", notes, columns, sections)


def note_download_specs(site: Site) -> list[DownloadSpec]:
    """The note's PDF and XLSX, when there are results to make them from."""
    if not site.monitoring:
        return []
    inputs: tuple[Path, ...] = (site.content_dir / "site.yaml", *(e.source.path for e in site.monitoring))
    entries, config = site.monitoring, site.config
    date = entries[-1].results.date
    producers = {
        "pdf": lambda: pdf_bytes(
            NOTE_PRINT, {"config": config, "note": note_view(entries), "large": False}, date
        ),
        "xlsx": lambda: workbook_bytes(note_grid(note_view(entries)), date),
    }
    return [
        DownloadSpec(
            download.output, inputs, producers[download.format.suffix], print_template(download, NOTE_PRINT)
        )
        for download in note_downloads(config.downloads.pdf)
    ]
