"""A roadmap's deadlines as an iCalendar file a coordinator subscribes to in any calendar application.

One all-day event per deadline: the date of a «до …» deadline, or the last day of each period. Continuous and
recurring work has no deadline to remind of, and an unreadable deadline has no date, so neither gets an event.
Monitoring checkpoints are events too. UIDs depend only on the roadmap and the item number, so a calendar that
re-reads the file updates events instead of duplicating them; DTSTAMP is the as-of date, so the bytes are stable.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from site_builder.deadlines import Schedule
from site_builder.model import RoadmapEntry
from site_builder.russian import percent, short_date
from site_builder.status import CANCELLED, ItemStatus, StatusTable

PRODID = "-//site-builder//Федеральный проект 500+//RU"
_ONE_DAY = dt.timedelta(days=1)


def deadline_days(schedule: Schedule) -> list[dt.date]:
    if schedule.kind == "deadline" and schedule.deadline is not None:
        return [schedule.deadline]
    if schedule.kind == "period":
        return [end for _, end in schedule.intervals]
    return []


def _event(uid: str, day: dt.date, summary: str, description: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + _ONE_DAY)
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a deadline does not make the coordinator busy
    return event


def _item_events(slug: str, status: ItemStatus, stamp: dt.datetime, as_of: dt.date) -> list[Event]:
    days = deadline_days(status.schedule)
    events = []
    for index, day in enumerate(days, 1):
        part = f" (этап {index} из {len(days)})" if len(days) > 1 else ""
        suffix = f"-{index}" if len(days) > 1 else ""
        description = (
            f"Срок в дорожной карте: «{' '.join(status.schedule.text.split())}».\n"
            f"Статус на {short_date(as_of)}: {status.kind.word} ({status.reason})."
        )
        event = _event(
            f"{slug}-{status.key}{suffix}@site-builder",
            day,
            f"Срок{part}: {status.number} {status.activity}",
            description,
            stamp,
        )
        if status.kind == CANCELLED:
            event.add("status", "CANCELLED")
        events.append(event)
    return events


def calendar_bytes(entry: RoadmapEntry, table: StatusTable) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Сроки: {entry.roadmap.title}")
    stamp = dt.datetime.combine(table.as_of, dt.time(), tzinfo=dt.UTC)
    for status in table.items:
        for event in _item_events(entry.slug, status, stamp, table.as_of):
            calendar.add_component(event)
    for result in table.checkpoints:
        point = result.checkpoint
        calendar.add_component(
            _event(
                f"{entry.slug}-checkpoint-{point.date:%Y%m%d}@site-builder",
                point.date,
                f"Контрольная точка: не менее {percent(point.target)} мероприятий выполнено",
                f"{point.label or result.text}.\n{result.text} — {result.verdict}.",
                stamp,
            )
        )
    return calendar.to_ical()
