"""The roadmap timeline: schedules laid out as SVG geometry (rows, bars, milestones, month axis, as-of marker).

Geometry is computed here so the template only draws it. Kinds are told apart by shape and pattern — a solid bar for
a period, a diamond for a deadline, a hatched bar with ticks for recurring work, a dashed faint bar for continuous
work — never by colour alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from site_builder.content.models import Roadmap, item_key
from site_builder.core.russian import short_date
from site_builder.model.deadlines import Schedule
from site_builder.model.site import section_heading
from site_builder.render.views import anchor

LABEL_WIDTH = 64
MONTH_WIDTH = 72
ROW_HEIGHT = 26
SECTION_HEIGHT = 28
AXIS_HEIGHT = 40
STATUS_WIDTH = 28
MAX_MONTHS = 48
# Inside the axis band: the year and as-of labels on top, the month labels and the grid below them.
TOP_BASELINE = 14
GRID_TOP = AXIS_HEIGHT - 22
MONTH_BASELINE = AXIS_HEIGHT - 8
AS_OF_TOP = AXIS_HEIGHT - 6
# Inside a section band (a gap of 2 below it) and a row, from its top.
BAND_HEIGHT = SECTION_HEIGHT - 2
BAND_BASELINE = 18
TEXT_BASELINE = 17
STATUS_BASELINE = 18
BAR_TOP, BAR_HEIGHT = 6, 14
TICK_TOP, TICK_BOTTOM = 3, 23
DIAMOND_TOP, DIAMOND_MIDDLE, DIAMOND_BOTTOM, DIAMOND_HALF = 4, 13, 22, 8
# How far text stands off what it labels: the left edge, a grid line, the chart's end, the as-of line.
TEXT_INSET = 6
MONTH_INSET = 4
AS_OF_INSET = 3
_MONTHS_SHORT = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
_MONTHS_FULL = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
KIND_WORDS = {
    "period": "период",
    "deadline": "срок «до»",
    "recurring": "регулярно",
    "continuous": "постоянно",
    "unknown": "срок не распознан",
}


@dataclass
class Shape:
    kind: str  # bar, milestone, recurring, continuous
    x: float
    width: float = 0.0
    points: str = ""  # a milestone's diamond, as SVG polygon points
    ticks: str = ""  # a recurring bar's occurrences, a vertical stroke each, as SVG path data


def _diamond(x: float, y: float) -> str:
    middle = y + DIAMOND_MIDDLE
    return f"{x},{y + DIAMOND_TOP} {x + DIAMOND_HALF},{middle} {x},{y + DIAMOND_BOTTOM} {x - DIAMOND_HALF},{middle}"


@dataclass
class Row:
    y: float
    number: str
    anchor: str
    label: str  # the accessible name: number, deadline text and how it was read
    kind: str
    shapes: list[Shape]
    unknown_text: str = ""
    status_icon: str = ""
    status_word: str = ""

    @property
    def text_y(self) -> float:
        return self.y + TEXT_BASELINE

    @property
    def status_y(self) -> float:
        return self.y + STATUS_BASELINE

    @property
    def bar_y(self) -> float:
        return self.y + BAR_TOP


@dataclass
class SectionBand:
    y: float
    title: str

    @property
    def title_y(self) -> float:
        return self.y + BAND_BASELINE


@dataclass
class Month:
    x: float
    label: str
    title: str
    year_start: bool
    year: str  # shown above the first month of each year

    @property
    def label_x(self) -> float:
        return self.x + MONTH_INSET


@dataclass
class TimelineView:
    width: float
    height: float
    chart_x: float
    chart_width: float
    months: list[Month]
    sections: list[SectionBand]
    rows: list[Row]
    as_of_x: float | None
    as_of_label: str
    unknown: list[Row]
    # Fixed positions, here so that every number the chart is drawn with comes from this module.
    top_y: float = TOP_BASELINE
    grid_top: float = GRID_TOP
    month_y: float = MONTH_BASELINE
    as_of_top: float = AS_OF_TOP
    band_height: float = BAND_HEIGHT
    bar_height: float = BAR_HEIGHT
    text_x: float = TEXT_INSET

    @property
    def unknown_x(self) -> float:
        return self.chart_x + MONTH_INSET

    @property
    def status_x(self) -> float:
        return self.chart_x + self.chart_width + TEXT_INSET

    @property
    def as_of_label_x(self) -> float | None:
        return None if self.as_of_x is None else self.as_of_x + AS_OF_INSET


def _month_index(day: dt.date, first: dt.date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


def _span(roadmap: Roadmap, schedules: Mapping[str, Schedule]) -> tuple[dt.date, int]:
    """First month and month count: the roadmap's year, widened to every dated item, capped for sanity."""
    days = [dt.date(roadmap.year, 1, 1), dt.date(roadmap.year, 12, 31)]
    for schedule in schedules.values():
        days.extend(d for interval in schedule.intervals for d in interval)
        if schedule.deadline:
            days.append(schedule.deadline)
    first, last = min(days), max(days)
    first = dt.date(first.year, first.month, 1)
    count = min(_month_index(last, first) + 1, MAX_MONTHS)
    return first, count


class _Scale:
    def __init__(self, first: dt.date, months: int) -> None:
        self.first = first
        self.months = months
        self._origin = first.year * 12 + first.month  # months are counted from here

    def x(self, day: dt.date, *, end: bool = False) -> float:
        """Horizontal position of a day (its start, or its end with `end`), clamped to the axis."""
        index = day.year * 12 + day.month - self._origin
        if index < 0:
            return LABEL_WIDTH
        if index >= self.months:
            return LABEL_WIDTH + self.months * MONTH_WIDTH
        month_days = _days_in_month(day)
        fraction = (day.day - (0 if end else 1)) / month_days
        return round(LABEL_WIDTH + (index + fraction) * MONTH_WIDTH, 1)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(day: dt.date) -> int:
    if day.month == 2 and calendar.isleap(day.year):
        return 29
    return _MONTH_DAYS[day.month - 1]


def _shapes(schedule: Schedule, scale: _Scale, y: float) -> list[Shape]:
    if schedule.kind == "deadline" and schedule.deadline:
        x = scale.x(schedule.deadline, end=True)
        return [Shape("milestone", x, points=_diamond(x, y))]
    shapes = []
    for start, end in schedule.intervals:
        x0, x1 = scale.x(start), scale.x(end, end=True)
        shape = Shape({"period": "bar"}.get(schedule.kind, schedule.kind), x0, round(max(x1 - x0, 3.0), 1))
        if schedule.kind == "recurring":
            shape.ticks = _ticks(schedule, start, end, scale, y)
        shapes.append(shape)
    return shapes


def _ticks(schedule: Schedule, start: dt.date, end: dt.date, scale: _Scale, y: float) -> str:
    """A tick per occurrence, all in one path: weekly work has fifty a year, and an SVG line for each was a fifth
    of a roadmap page's bytes and of its rendering."""
    step = dt.timedelta(days=7 if "недел" in (schedule.recurrence or "") else 30)
    down = f" {y + TICK_TOP}V{y + TICK_BOTTOM}"  # from the tick's top to its bottom, the same for every tick
    strokes = []
    day = start
    while day <= end:
        strokes.append(f"M{scale.x(day)}{down}")
        day += step
    return "".join(strokes)


def _describe(number: str, schedule: Schedule) -> str:
    text = " ".join(schedule.text.split())
    if schedule.kind == "deadline" and schedule.deadline:
        return f"{number}: {text} — не позднее {short_date(schedule.deadline)}"
    if schedule.intervals:
        spans = ", ".join(f"{short_date(a)}–{short_date(b)}" for a, b in schedule.intervals)
        return f"{number}: {text} — {KIND_WORDS[schedule.kind]}, {spans}"
    return f"{number}: {text or 'срок не указан'} — {KIND_WORDS['unknown']}"


def timeline_view(
    roadmap: Roadmap,
    schedules: Mapping[str, Schedule],
    as_of: dt.date,
    statuses: Mapping[str, tuple[str, str]] | None = None,
) -> TimelineView:
    """Lay out one row per item, grouped by section. `schedules`/`statuses` are keyed by item_key(number)."""
    first, count = _span(roadmap, schedules)
    scale = _Scale(first, count)
    chart_width = count * MONTH_WIDTH
    y = float(AXIS_HEIGHT)
    sections, rows, unknown = [], [], []
    for section in roadmap.sections:
        sections.append(SectionBand(y, section_heading(section.number, section.title)))
        y += SECTION_HEIGHT
        for item in section.items:
            key = item_key(item.number)
            schedule = schedules[key]
            icon, word = (statuses or {}).get(key, ("", ""))
            row = Row(y, item.number, anchor("item", item.number), _describe(item.number, schedule),
                      schedule.kind, _shapes(schedule, scale, y), status_icon=icon, status_word=word)  # fmt: skip
            if schedule.kind == "unknown":
                row.unknown_text = " ".join(schedule.text.split()) or "срок не указан"
                unknown.append(row)
            rows.append(row)
            y += ROW_HEIGHT
    months = []
    for index in range(count):
        month = dt.date(first.year + (first.month - 1 + index) // 12, (first.month - 1 + index) % 12 + 1, 1)
        months.append(
            Month(LABEL_WIDTH + index * MONTH_WIDTH, _MONTHS_SHORT[month.month - 1],
                  f"{_MONTHS_FULL[month.month - 1]} {month.year}", month.month == 1 or index == 0, str(month.year))
        )  # fmt: skip
    last = dt.date(first.year + (first.month - 2 + count) // 12, (first.month - 2 + count) % 12 + 1, 1)
    inside = first <= as_of <= dt.date(last.year, last.month, _days_in_month(last))
    return TimelineView(
        width=LABEL_WIDTH + chart_width + STATUS_WIDTH,
        height=y + 8,
        chart_x=LABEL_WIDTH,
        chart_width=chart_width,
        months=months,
        sections=sections,
        rows=rows,
        as_of_x=scale.x(as_of) if inside else None,
        as_of_label=f"{short_date(as_of)}",
        unknown=unknown,
    )
