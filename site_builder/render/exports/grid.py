"""The table of a roadmap or report laid out as a grid of text cells: what both XLSX and CSV write.

A cell of `None` continues the cell above it (a rowspan in the page table): XLSX merges it, CSV repeats the value.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.content.models import Link
from site_builder.core.russian import short_date
from site_builder.model.site import ReportEntry, RoadmapEntry
from site_builder.render.status import ItemStatus, StatusTable
from site_builder.render.views import Cell, TableView

# Column widths in characters, as an official would set them by hand for an A4 landscape printout.
WIDTHS = {
    "number": 8,
    "activity": 45,
    "deadline": 18,
    "status": 16,
    "status_reason": 30,
    "executors": 28,
    "task": 40,
    "indicator": 40,
    "info": 30,
    "evidence": 50,
    "report": 60,
}
REASON_LABEL = "Основание статуса"


@dataclass(frozen=True)
class Column:
    key: str
    label: str

    @property
    def width(self) -> int:
        return WIDTHS.get(self.key, 30)


GridRow = list[str | None]


@dataclass(frozen=True)
class GridSection:
    title: str
    rows: list[GridRow]


@dataclass(frozen=True)
class Grid:
    title: str
    sheet_name: str
    notes: list[str]  # lines under the title: the as-of date and the progress
    columns: list[Column]
    sections: list[GridSection]


def links_text(links: list[Link]) -> str:
    """Evidence as lines «title: url»; a line without a URL says so, as the page does."""
    lines = []
    for link in links:
        if link.url:
            lines.append(f"{link.title}: {link.url}" if link.title else link.url)
        else:
            lines.append(f"{link.title} (ссылка не указана)")
    return "\n".join(lines)


def _section_title(number: str, title: str) -> str:
    return f"{number.rstrip('.')}. {title}" if number else title


def _notes(table: StatusTable) -> list[str]:
    notes = [f"Сведения на {short_date(table.as_of)}", table.overall.summary, table.overall.due_summary]
    notes += [f"{result.text} — {result.verdict}" for result in table.checkpoints]
    return notes


def _expand(rows: list[list[Cell]], width: int) -> list[list[Cell | None]]:
    """Place cells with rowspans on a full grid; covered positions become None."""
    covered = [0] * width
    grid: list[list[Cell | None]] = []
    for row in rows:
        cells = iter(row)
        line: list[Cell | None] = []
        for column in range(width):
            if covered[column]:
                covered[column] -= 1
                line.append(None)
            else:
                cell = next(cells)
                covered[column] = cell.rowspan - 1
                line.append(cell)
        grid.append(line)
    return grid


def roadmap_grid(entry: RoadmapEntry, table: StatusTable, view: TableView) -> Grid:
    """The grid of `view`, the table of `entry` with the statuses of `table` (render.views.table_view)."""
    columns: list[Column] = []
    for key, label in view.columns:
        columns.append(Column(key, label))
        if key == "status":
            columns.append(Column("status_reason", REASON_LABEL))
    status_at = [key for key, _ in view.columns].index("status")
    sections = []
    for section in view.sections:
        rows: list[GridRow] = []
        for item in section.items:
            for line in _expand(item.rows, len(view.columns)):
                texts: GridRow = [
                    None if cell is None else links_text(cell.links) if cell.key == "evidence" else cell.text
                    for cell in line
                ]
                status_cell = line[status_at]
                reason = status_cell.status.reason if status_cell and status_cell.status else None
                rows.append([*texts[: status_at + 1], reason, *texts[status_at + 1 :]])
        sections.append(GridSection(_section_title(section.number, section.title), rows))
    return Grid(entry.roadmap.title, "Дорожная карта", _notes(table), columns, sections)


def _report_cell(status: ItemStatus) -> str:
    report_item = status.report_item
    if report_item is None:
        return ""
    parts = [report_item.result] if report_item.result else []
    if report_item.evidence:
        parts.append(links_text(report_item.evidence))
    return "\n".join(parts)


def report_grid(entry: ReportEntry, table: StatusTable) -> Grid:
    labels = dict(entry.roadmap.roadmap.columns) if entry.roadmap else {}
    columns = [
        Column("number", labels.get("number", "№")),
        Column("activity", labels.get("activity", "Мероприятие")),
        Column("deadline", labels.get("deadline", "Срок реализации")),
        Column("status", "Статус"),
        Column("report", entry.report.column),
    ]
    sections = [
        GridSection(
            _section_title(section.number, section.title),
            [
                [status.number, status.activity, status.schedule.text, status.kind.word, _report_cell(status)]
                for status in section.items
            ],
        )
        for section in table.sections
    ]
    return Grid(entry.report.title, "Отчёт", _notes(table), columns, sections)
