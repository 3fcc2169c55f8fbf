"""Template-ready views of the model: the tables laid out as rows and cells so templates only present them."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from urllib.parse import urlsplit

from site_builder.content.models import DEFAULT_COLUMNS, Item, Link, Roadmap, TaskRow, item_key
from site_builder.model.site import ReportEntry, RoadmapEntry, section_heading
from site_builder.render.status import ItemStatus, StatusTable

STATUS_COLUMN = ("status", "Статус")


@dataclass(slots=True)
class Cell:
    key: str  # column key, also the CSS hook
    label: str  # the column header, repeated on each cell for stacked (mobile) layout
    text: str = ""
    links: list[Link] = field(default_factory=list)
    rowspan: int = 1
    header: bool = False  # the item number labels its row
    status: ItemStatus | None = None  # set on the status cell only


@dataclass
class ItemRows:
    number: str
    anchor: str
    rows: list[list[Cell]]

    @property
    def key(self) -> str:
        return item_key(self.number)


@dataclass
class SectionView:
    number: str
    title: str
    anchor: str
    items: list[ItemRows]

    @property
    def heading(self) -> str:
        return section_heading(self.number, self.title)


@dataclass
class TableView:
    columns: list[tuple[str, str]]
    sections: list[SectionView]


@functools.lru_cache(
    maxsize=4096
)  # every roadmap numbers its items 1.1, 1.2 …: the same few numbers site-wide
def anchor(prefix: str, number: str) -> str:
    """A stable HTML id for a numbered thing: «1.1.» → «item-1-1»."""
    cleaned = "-".join(part for part in number.replace(",", ".").split(".") if part.strip())
    safe = "".join(ch if ch.isalnum() else "-" for ch in cleaned.strip()) or "x"
    return f"{prefix}-{safe}"


def _executor_spans(item: Item, task_rows: list[TaskRow], rows: int) -> list[tuple[str, int] | None]:
    """Executors per task row: a row with its own executors starts a cell; rows without continue the one above."""
    starts = [i for i in range(rows) if i == 0 or (i < len(task_rows) and task_rows[i].executors)]
    spans: list[tuple[str, int] | None] = [None] * rows
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else rows
        own = task_rows[start].executors if start < len(task_rows) else ""
        spans[start] = (own or (item.executors if start == 0 else ""), end - start)
    return spans


def item_rows(
    item: Item, columns: list[tuple[str, str]], status: ItemStatus | None = None
) -> list[list[Cell]]:
    task_rows = item.task_rows
    count = max(1, len(task_rows))
    executors = _executor_spans(item, task_rows, count)
    shared = {
        "number": item.number,
        "activity": item.activity,
        "deadline": item.deadline,
        "info": item.info,
        "status": status.kind.word if status else "",
    }
    rows: list[list[Cell]] = []
    for index in range(count):
        task = task_rows[index] if index < len(task_rows) else None
        cells: list[Cell] = []
        for key, label in columns:
            if key in shared or key == "evidence":
                if index == 0:
                    cells.append(
                        Cell(key, label, shared.get(key, ""), item.evidence if key == "evidence" else [], count,
                             header=key == "number", status=status if key == "status" else None)
                    )  # fmt: skip
            elif key == "executors":
                span = executors[index]
                if span is not None:
                    cells.append(Cell(key, label, span[0], rowspan=span[1]))
            else:
                cells.append(Cell(key, label, getattr(task, key) if task else ""))
        rows.append(cells)
    return rows


def _with_status_column(columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The status goes right after the deadline it is read from, or last when the table has no deadline."""
    keys = [key for key, _ in columns]
    at = keys.index("deadline") + 1 if "deadline" in keys else len(columns)
    return [*columns[:at], STATUS_COLUMN, *columns[at:]]


_EXTRA_COLUMNS = {"info": "Информационное сопровождение", "evidence": "Подтверждающие документы"}


def _undeclared_columns(roadmap: Roadmap) -> list[tuple[str, str]]:
    """Columns the document's header lacks but its items fill in: never hide what an editor wrote."""
    items = [item for section in roadmap.sections for item in section.items]
    return [
        (key, title)
        for key, title in _EXTRA_COLUMNS.items()
        if key not in roadmap.columns and any(getattr(item, key) for item in items)
    ]


def table_view(roadmap: Roadmap, status: StatusTable | None = None) -> TableView:
    """The roadmap's table; with `status`, a «Статус» column is added."""
    columns: list[tuple[str, str]] = list(roadmap.columns.items()) + _undeclared_columns(roadmap)
    statuses = status.by_key() if status else {}
    if status:
        columns = _with_status_column(columns)
    sections = []
    for index, section in enumerate(roadmap.sections, 1):
        items = [
            ItemRows(item.number, anchor("item", item.number),
                     item_rows(item, columns, statuses.get(item_key(item.number))))
            for item in section.items
        ]  # fmt: skip
        sections.append(SectionView(section.number, section.title, f"section-{index}", items))
    return TableView(columns, sections)


@dataclass(frozen=True)
class ReportColumns:
    """The report table's headers: the roadmap's words for its columns (the defaults when it has none, or no
    roadmap), the status, and the report's own name for its evidence column."""

    number: str
    activity: str
    deadline: str
    status: str
    evidence: str

    @property
    def headers(self) -> list[str]:
        return [self.number, self.activity, self.deadline, self.status, self.evidence]


def report_columns(entry: ReportEntry) -> ReportColumns:
    words = {**DEFAULT_COLUMNS, **(entry.roadmap.roadmap.columns if entry.roadmap else {})}
    return ReportColumns(
        words["number"], words["activity"], words["deadline"], STATUS_COLUMN[1], entry.report.column
    )


@dataclass(frozen=True)
class EvidenceLink:
    """An evidence link as a reader meets it: its words, and a note telling apart links that read the same."""

    url: str
    text: str
    note: str  # «disk.yandex.ru, документ 2»: the host, and the position among links with the same title


# The host of an http(s) URL as urlsplit finds it, when nothing urlsplit would strip or refuse is in the way
# of it (tabs and line breaks, brackets, an upper-case scheme): urlsplit takes 5 µs a new URL, a page has
# hundreds. A tab or line break after the host (in the path) changes nothing urlsplit finds.
_PLAIN_NETLOC = re.compile(r"https?://([^/?#\[\]\t\r\n]*)(?=[/?#]|$)")


def _host(url: str) -> str:
    if plain := _PLAIN_NETLOC.match(url):
        netloc = plain.group(1)
    else:
        netloc = urlsplit(url).netloc if "://" in url else ""
    return netloc.rpartition("@")[2].split(":")[0].removeprefix("www.")


def evidence_links(items: list[Link]) -> list[EvidenceLink]:
    """Link texts that make sense out of context: a screen reader lists links without their surroundings."""
    titles = [link.title for link in items]
    repeated = Counter(titles) if len(set(titles)) < len(titles) else {}
    seen: Counter[str] = Counter()
    views = []
    for link in items:
        ordinal = ""
        if repeated.get(link.title, 0) > 1:
            seen[link.title] += 1
            ordinal = f"документ {seen[link.title]}"
        note = ", ".join(part for part in (_host(link.url), ordinal) if part)
        views.append(
            EvidenceLink(link.url, link.title or ("Подтверждающий документ" if link.url else ""), note)
        )
    return views


@dataclass(frozen=True)
class RoadmapShelves:
    """The landing page's roadmaps: those still running first, closed years in an archive, newest year first."""

    current: list[RoadmapEntry]
    archive: list[tuple[int, list[RoadmapEntry]]]


def roadmap_shelves(
    roadmaps: list[RoadmapEntry], is_closed: Callable[[RoadmapEntry], bool]
) -> RoadmapShelves:
    """`is_closed` as the roadmaps' status tables say (StatusTable.closed): kept per roadmap by the live preview."""
    closed = [entry for entry in roadmaps if is_closed(entry)]
    shut = {id(entry) for entry in closed}
    # sorted() is stable: within a year the roadmaps keep the order of their files.
    by_year = sorted(closed, key=lambda entry: entry.summary.year, reverse=True)
    return RoadmapShelves(
        [entry for entry in roadmaps if id(entry) not in shut],
        [(year, list(group)) for year, group in groupby(by_year, key=lambda entry: entry.summary.year)],
    )
