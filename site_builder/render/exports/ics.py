"""A roadmap's deadlines as an iCalendar file a coordinator subscribes to in any calendar application.

One all-day event per deadline: the date of a «до …» deadline, or the last day of each period. Continuous and
recurring work has no deadline to remind of, and an unreadable deadline has no date, so neither gets an event.
Monitoring checkpoints are events too. UIDs depend only on the roadmap and the item number, so a calendar that
re-reads the file updates events instead of duplicating them; DTSTAMP is the as-of date, so the bytes are stable.
The lines are written here (escaping and folding are a few lines of RFC 5545), not through a calendar library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from site_builder.core.russian import percent, short_date
from site_builder.model.deadlines import Schedule
from site_builder.model.site import RoadmapEntry
from site_builder.render.status import CANCELLED, ItemStatus, StatusTable

PRODID = "-//site-builder//Федеральный проект 500+//RU"
_ONE_DAY = dt.timedelta(days=1)
_LINE_OCTETS = 75  # RFC 5545 3.1: content lines are folded after 75 octets, CRLF excluded


def deadline_days(schedule: Schedule) -> list[dt.date]:
    if schedule.kind == "deadline" and schedule.deadline is not None:
        return [schedule.deadline]
    if schedule.kind == "period":
        return [end for _, end in schedule.intervals]
    return []


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    # Backslashes first, so that those added for the others are not doubled. (str.translate with a table walks
    # Cyrillic text five times slower than these replacements, which skip what is absent at C speed.)
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """One content line, folded into lines of at most 75 octets without splitting a UTF-8 sequence."""
    data = line.encode("utf-8")
    if len(data) <= _LINE_OCTETS:
        return line + "\r\n"
    parts = []
    start, limit = 0, _LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: cut before the character it belongs to
            end -= 1
        parts.append(data[start:end])
        start, limit = end, _LINE_OCTETS - 1  # a continuation line starts with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8") + "\r\n"


def _event(
    uid: str, day: dt.date, summary: str, description: str, stamp: str, cancelled: bool = False
) -> str:
    # Only the three text lines can reach the folding length: the others are a few fixed words and dates.
    return (
        f"BEGIN:VEVENT\r\n{_fold(f'UID:{_text(uid)}')}DTSTAMP:{stamp}\r\n"
        f"DTSTART;VALUE=DATE:{_day(day)}\r\nDTEND;VALUE=DATE:{_day(day + _ONE_DAY)}\r\n"
        f"{_fold(f'SUMMARY:{_text(summary)}')}{_fold(f'DESCRIPTION:{_text(description)}')}"
        + ("STATUS:CANCELLED\r\n" if cancelled else "")
        + "TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"  # a deadline does not make the coordinator busy
    )


def _day(day: dt.date) -> str:
    """A DATE value, «20230301» (what strftime("%Y%m%d") writes, without its cost for each of thousands)."""
    return f"{day.year:04}{day.month:02}{day.day:02}"


def _item_events(slug: str, status: ItemStatus, stamp: str, as_of: dt.date) -> Iterator[str]:
    days = deadline_days(status.schedule)
    for index, day in enumerate(days, 1):
        part = f" (этап {index} из {len(days)})" if len(days) > 1 else ""
        suffix = f"-{index}" if len(days) > 1 else ""
        description = (
            f"Срок в дорожной карте: «{' '.join(status.schedule.text.split())}».\n"
            f"Статус на {short_date(as_of)}: {status.kind.word} ({status.reason})."
        )
        yield _event(
            f"{slug}-{status.key}{suffix}@site-builder",
            day,
            f"Срок{part}: {status.number} {status.activity}",
            description,
            stamp,
            cancelled=status.kind == CANCELLED,
        )


def calendar_bytes(entry: RoadmapEntry, table: StatusTable) -> bytes:
    stamp = f"{table.as_of:%Y%m%d}T000000Z"
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(f'Сроки: {entry.roadmap.title}')}",
    ]
    parts = [_fold(line) for line in head]
    for status in table.items:
        parts += _item_events(entry.slug, status, stamp, table.as_of)
    for result in table.checkpoints:
        point = result.checkpoint
        parts.append(
            _event(
                f"{entry.slug}-checkpoint-{point.date:%Y%m%d}@site-builder",
                point.date,
                f"Контрольная точка: не менее {percent(point.target)} мероприятий выполнено",
                f"{point.label or result.text}.\n{result.text} — {result.verdict}.",
                stamp,
            )
        )
    parts.append("END:VCALENDAR\r\n")
    return "".join(parts).encode("utf-8")
