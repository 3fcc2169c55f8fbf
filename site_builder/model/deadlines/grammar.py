"""From date tokens to dates: points («март», «I квартал 2023»), items (ranges, «до …», «с …») and intervals.

A point may be written without its year («01.02-15.05.2023», «Июнь- Август 2022») or even without its month
(«с 1 по 15 апреля»); a range lends the missing parts from its other end, and the document year fills the
rest. An explicit year always wins over the document year.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from site_builder.model.deadlines.scanner import Token

Interval = tuple[date, date]

# Granularities of a point; `school_half` is a half of a school year (first: September–December).
DAY, MONTH, QUARTER, HALF, YEAR, SCHOOL, SCHOOL_HALF = (
    "day",
    "month",
    "quarter",
    "half",
    "year",
    "school",
    "shalf",
)
# The school year is the formal one, 1 September – 31 August; its second half-year is the teaching
# term that ends on 31 May.
SCHOOL_YEAR_START_MONTH = 9
_SECOND_TERM_END = (5, 31)
_MONTH_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(slots=True)
class Point:
    gran: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    number: int = 0  # of the quarter or half-year


@dataclass(slots=True)
class Item:
    kind: str  # "single", "range", "open" (from a point on) or "deadline"
    first: Point
    last: Point | None = None


class _Unreadable(Exception):
    """The tokens do not form a deadline; caught at the top of `read`."""


def _last_day(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month}")
    if month == 2 and calendar.isleap(year):
        return date(year, 2, 29)
    return date(year, month, _MONTH_LENGTHS[month - 1])


def bounds(point: Point) -> Interval:
    """First and last day of a fully resolved point; ValueError for impossible dates."""
    year = point.year
    if year is None:
        raise ValueError("point without a year")
    gran = point.gran
    if gran == DAY:
        if point.month is None or point.day is None:
            raise ValueError("day without a month")
        day = date(year, point.month, point.day)
        return day, day
    if gran == MONTH and point.month is not None:
        return date(year, point.month, 1), _last_day(year, point.month)
    if gran == QUARTER and 1 <= point.number <= 4:
        return date(year, 3 * point.number - 2, 1), _last_day(year, 3 * point.number)
    if gran == HALF and 1 <= point.number <= 2:
        return date(year, 6 * point.number - 5, 1), _last_day(year, 6 * point.number)
    if gran == SCHOOL:
        return date(year, SCHOOL_YEAR_START_MONTH, 1), date(year + 1, 8, 31)
    if gran == SCHOOL_HALF and point.number == 1:
        return date(year, SCHOOL_YEAR_START_MONTH, 1), date(year, 12, 31)
    if gran == SCHOOL_HALF and point.number == 2:
        return date(year + 1, 1, 1), date(year + 1, *_SECOND_TERM_END)
    if gran == YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    raise ValueError(f"no such {gran}: {point.number or point.month}")


class _Reader:
    """Recursive descent over the token list; every method raises `_Unreadable` on a shape it does not know."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.tokens[index][0] if index < len(self.tokens) else ""

    def take(self) -> Token:
        if self.pos >= len(self.tokens):
            raise _Unreadable
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def items(self) -> list[Item]:
        found: list[Item] = []
        while self.pos < len(self.tokens):
            if self.peek() in ("sep", "yearword"):
                self.pos += 1
            else:
                found.extend(self.item())
        return found

    def item(self) -> list[Item]:
        head = self.peek()
        if head in ("until", "to"):  # «до 25.03.2022», «не позднее …», «по 30.06.2023»
            self.pos += 1
            return [Item("deadline", self.point(end=True))]
        if head == "from":
            self.pos += 1
            first = self.point()
            if self.connector():
                return [Item("range", first, self.point(end=True))]
            return [Item("open", first)]
        listed = self.unit_list()
        if listed is not None:
            return listed
        first = self.point()
        if self.connector():
            return [Item("range", first, self.point(end=True))]
        if first.gran == DAY and first.month is not None and self.peek() == "day":
            # «14.02.2022 30.03.2022»: two dates side by side are the two ends of one period
            return [Item("range", first, self.point())]
        return [Item("single", first)]

    def connector(self) -> bool:
        """Consume «-», «по», «до», «- до», «- по» between the two ends of a range."""
        if self.peek() == "dash":
            self.pos += 1
            if self.peek() in ("until", "to"):
                self.pos += 1
            return True
        if self.peek() in ("until", "to"):
            self.pos += 1
            return True
        return False

    def point(self, end: bool = False) -> Point:
        """One date-like thing; `end` where only its last day counts, so «конца …» may stand there."""
        kind, a, b, c = self.take()
        if kind == "end_of":  # «до конца года», «до конца марта»; a bare «конец года» says no date
            if not end:
                raise _Unreadable
            if self.peek() == "yearword":
                self.pos += 1
                return Point(YEAR)
            return self.point()
        if kind == "day":
            return Point(DAY, a or None, b, c)
        if kind == "month":
            return Point(MONTH, b, a) if b else self.with_year(Point(MONTH, None, a))
        if kind == "year":
            return Point(YEAR, a)
        if kind == "school":
            return Point(SCHOOL, a)
        if kind in ("num", "ord") and self.peek() in ("quarter", "half"):
            return self.unit(a)
        if kind == "num" and self.peek() == "month":
            _, month, _, _ = self.take()
            return self.with_year(Point(DAY, None, month, a))
        if kind == "num":  # a bare day, lent its month by the other end of a range
            return Point(DAY, None, None, a)
        raise _Unreadable

    def unit(self, number: int) -> Point:
        gran = QUARTER if self.take()[0] == "quarter" else HALF
        return self.with_year(Point(gran, None, None, None, number))

    def with_year(self, point: Point) -> Point:
        """An optional year after a month, a day or a unit: «2022 г.», «2022/2023 учебного года», «года»."""
        kind = self.peek()
        if kind == "year":
            point.year = self.take()[1]
        elif kind == "yearword":  # «в январе текущего года»: the document year
            self.pos += 1
        elif kind == "school":
            if point.gran == QUARTER:  # school quarters («четверти») are not calendar quarters
                raise _Unreadable
            first = self.take()[1]
            if point.gran == HALF:
                point.gran, point.year = SCHOOL_HALF, first
            else:
                point.year = first if (point.month or 0) >= SCHOOL_YEAR_START_MONTH else first + 1
        return point

    def unit_list(self) -> list[Item] | None:
        """«1 и 2 квартал», «I-II квартал 2023», «первое, второе полугодие»: ordinals sharing one unit."""
        if self.peek() not in ("num", "ord") or self.peek(1) not in ("sep", "dash"):
            return None
        start = self.pos
        groups: list[list[int]] = [[self.take()[1]]]
        while self.peek() in ("sep", "dash") and self.peek(1) in ("num", "ord"):
            joiner = self.take()[0]
            number = self.take()[1]
            if joiner == "dash":
                groups[-1].append(number)
            else:
                groups.append([number])
        if self.peek() not in ("quarter", "half"):
            self.pos = start
            return None
        template = self.unit(0)
        items: list[Item] = []
        for group in groups:
            ends = [Point(template.gran, template.year, None, None, number) for number in group]
            items.append(Item("range", ends[0], ends[-1]) if len(ends) > 1 else Item("single", ends[0]))
        return items


def _fill(point: Point, year: int | None) -> None:
    if point.year is None:
        if year is None:
            raise _Unreadable
        point.year = year


def _range(first: Point, last: Point, year: int | None) -> Interval:
    """Lend the missing year (and month) across the ends of a range, rolling over a year boundary."""
    bare_day = first.gran == DAY and first.month is None
    if bare_day:  # «с 1 по 15 апреля»
        if last.gran != DAY or last.month is None:
            raise _Unreadable
        first.month = last.month
    if last.year is None:
        _fill(last, first.year if first.year is not None else year)
        _fill(first, last.year)
        if not bare_day and bounds(last)[1] < bounds(first)[0]:
            last.year = (last.year or 0) + 1  # «ноябрь-февраль»: the end is in the next year
    elif first.year is None:
        first.year = last.year
        if not bare_day and bounds(first)[0] > bounds(last)[1]:
            first.year -= 1  # «15.12-15.01.2023»: the start is in the previous year
    start, end = bounds(first)[0], bounds(last)[1]
    if start > end:
        raise _Unreadable
    return start, end


def _resolve(item: Item, year: int | None) -> tuple[Interval | None, date | None]:
    if item.kind == "range" and item.last is not None:
        return _range(item.first, item.last, year), None
    _fill(item.first, year)
    first, last = bounds(item.first)
    if item.kind == "deadline":
        return None, last
    if item.kind == "open":  # «с февраля 2022 года»: until the end of that year
        return (first, date(first.year, 12, 31)), None
    return (first, last), None


def merge(intervals: list[Interval]) -> tuple[Interval, ...]:
    """Sorted, with overlapping intervals joined; touching ones stay apart, as the author wrote them."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _list_years(items: list[Item], year: int | None) -> list[int | None]:
    """In a list the year is written once: «Март, апрель 2023 г.», «Март 2022, май».

    An item without a year takes the next year written in the list, else the previous one, else the
    document year.
    """
    written = [
        item.first.year if item.last is None or item.last.year is None else item.last.year for item in items
    ]
    years: list[int | None] = []
    following: int | None = None
    for value in reversed(written):
        years.append(following)
        following = value if value is not None else following
    years.reverse()
    preceding: int | None = None
    for index, value in enumerate(written):
        if years[index] is None:
            years[index] = preceding if preceding is not None else year
        preceding = value if value is not None else preceding
    return years


def read(tokens: list[Token], year: int | None) -> tuple[tuple[Interval, ...], list[date]] | None:
    """The intervals and the «не позднее» dates the tokens describe; None when they make no sense."""
    try:
        items = _Reader(tokens).items()
        intervals: list[Interval] = []
        deadlines: list[date] = []
        for item, default_year in zip(items, _list_years(items, year), strict=True):
            interval, deadline = _resolve(item, default_year)
            if interval is not None:
                intervals.append(interval)
            if deadline is not None:
                deadlines.append(deadline)
    except (_Unreadable, ValueError, OverflowError):
        return None
    return merge(intervals), deadlines
