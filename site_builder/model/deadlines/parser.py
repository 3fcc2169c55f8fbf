"""`parse_deadline`: free Russian deadline text plus the document year → a `Schedule`; never raises."""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, date
from functools import lru_cache

from site_builder.model.deadlines.grammar import read
from site_builder.model.deadlines.scanner import Annotations, annotate, tokenize
from site_builder.model.deadlines.schedule import Interval, Schedule, ScheduleKind


def parse_deadline(text: str, year: int | None) -> Schedule:
    """Read a deadline cell; `year` is the document's year, used where the text gives none.

    Anything not understood gives an `unknown` schedule that keeps the raw text.
    """
    if not isinstance(text, str):  # YAML may hand over a bare number or date («2023», 2023-03-01)
        text = str(text)
    if year is not None and not MINYEAR <= year <= MAXYEAR:  # a year no date can have is no year at all
        year = None
    return _parse(text, year)


# Roadmaps repeat the same few dozen texts («Еженедельно», «Постоянно»), and a Schedule is immutable.
@lru_cache(maxsize=8192)
def _parse(text: str, year: int | None) -> Schedule:
    marks = annotate(text)
    tokens = tokenize(marks.rest)
    read_out = None if tokens is None else read(tokens, year)
    if read_out is None:
        return _unknown(text, marks)
    intervals, deadlines = read_out
    repeats = bool(marks.recurrence) or marks.continuous
    if deadlines:
        if intervals:  # «январь, до 01.03» mixes two kinds; the editor has to say what is meant
            return _unknown(text, marks)
        last = max(deadlines)
        if not repeats:
            return _build(text, "deadline", (), last, marks)
        intervals = ((date(last.year, 1, 1), last),)  # «ежемесячно до 25.12»: from the start of that year
    if not intervals:
        if not repeats or year is None:
            return _unknown(text, marks)
        intervals = ((date(year, 1, 1), date(year, 12, 31)),)
    kind: ScheduleKind = "recurring" if marks.recurrence else "continuous" if marks.continuous else "period"
    return _build(text, kind, intervals, None, marks)


def _build(
    text: str, kind: ScheduleKind, intervals: tuple[Interval, ...], deadline: date | None, marks: Annotations
) -> Schedule:
    recurrence = " ".join(marks.recurrence) or None
    return Schedule(text, kind, intervals, deadline, recurrence, marks.done, "; ".join(marks.notes) or None)


def _unknown(text: str, marks: Annotations) -> Schedule:
    return _build(text, "unknown", (), None, marks)


def explicit_schedule(text: str, start: date | None, end: date, kind: ScheduleKind | None = None) -> Schedule:
    """The editor's dates from YAML replace whatever the text says about dates.

    What the text says besides dates — «(исполнено)», a recurrence, a note — is kept. Without `start` the
    schedule is a deadline. Raises ValueError (message in Russian) for dates or a kind that do not fit.
    """
    parsed = parse_deadline(text, end.year)
    if start is None:
        if kind not in (None, "deadline"):
            raise ValueError(f"для вида срока «{kind}» нужна дата начала")
        return Schedule(text, "deadline", (), end, parsed.recurrence, parsed.done, parsed.note)
    if start > end:
        raise ValueError("дата начала позже даты окончания")
    if kind in ("deadline", "unknown"):
        raise ValueError(f"вид срока «{kind}» не сочетается с датой начала")
    chosen: ScheduleKind = kind or ("recurring" if parsed.recurrence else "period")
    recurrence = parsed.recurrence if chosen == "recurring" else None
    return Schedule(text, chosen, ((start, end),), None, recurrence, parsed.done, parsed.note)
