"""The schedule a deadline text stands for, the editor's explicit override, and how both are shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from site_builder.core.russian import russian_date

ScheduleKind = Literal["period", "deadline", "recurring", "continuous", "unknown"]
Interval = tuple[date, date]


@dataclass(frozen=True)
class Schedule:
    """How one deadline cell is understood.

    `period`, `recurring` and `continuous` always have at least one interval (sorted, start <= end, not
    overlapping); a `deadline` has only its date; `unknown` has neither and keeps the raw text.
    """

    text: str
    kind: ScheduleKind
    intervals: tuple[Interval, ...] = ()
    deadline: date | None = None
    recurrence: str | None = None
    done: bool = False
    note: str | None = None

    @property
    def start(self) -> date | None:
        return self.intervals[0][0] if self.intervals else None

    @property
    def end(self) -> date | None:
        if self.deadline is not None:
            return self.deadline
        return self.intervals[-1][1] if self.intervals else None


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def schedule_to_json(schedule: Schedule) -> dict[str, object]:
    return {
        "text": schedule.text,
        "kind": schedule.kind,
        "start": _iso(schedule.start),
        "end": _iso(schedule.end),
        "intervals": [[start.isoformat(), end.isoformat()] for start, end in schedule.intervals],
        "deadline": _iso(schedule.deadline),
        "recurrence": schedule.recurrence,
        "done": schedule.done,
        "note": schedule.note,
    }


def _interval_words(interval: Interval) -> str:
    start, end = interval
    if start == end:
        return russian_date(start)
    return f"с {russian_date(start)} по {russian_date(end)}"


def _intervals_words(intervals: tuple[Interval, ...]) -> str:
    if len(intervals) == 1:
        return ("дата " if intervals[0][0] == intervals[0][1] else "период ") + _interval_words(intervals[0])
    return f"{_count_periods(len(intervals))}: " + "; ".join(_interval_words(i) for i in intervals)


def _count_periods(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return f"{count} период"
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return f"{count} периода"
    return f"{count} периодов"


def _reading(schedule: Schedule) -> str:
    if schedule.kind == "deadline" and schedule.deadline is not None:
        return f"понят как крайний срок: не позднее {russian_date(schedule.deadline)}"
    if schedule.kind == "recurring":
        how = f" ({schedule.recurrence})" if schedule.recurrence else ""
        return f"понят как повторяющееся мероприятие{how}, {_intervals_words(schedule.intervals)}"
    if schedule.kind == "continuous":
        return f"понят как постоянная работа, {_intervals_words(schedule.intervals)}"
    if schedule.kind == "period":
        return f"понят как {_intervals_words(schedule.intervals)}"
    return "не распознан: задайте даты вручную в поле schedule (start — начало, end — окончание)"


def explain(schedule: Schedule) -> str:
    """One Russian sentence saying how the text was read, for the `deadline` command and error messages."""
    text = " ".join(schedule.text.split())
    sentence = f"Срок «{text}» {_reading(schedule)}" if text else f"Пустой срок {_reading(schedule)}"
    if schedule.done:
        sentence += "; мероприятие отмечено как исполненное"
    if schedule.note:
        sentence += f"; примечание: «{schedule.note}»"
    return sentence if sentence.endswith(".") else sentence + "."
