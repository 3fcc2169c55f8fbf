"""The iCalendar download read back with icalendar: one event per deadline, stable UIDs, DTSTAMP = as-of date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar, Event

from tests.helpers.builds import LONG_TEXT, build_shipped


def _events(path: Path) -> dict[str, Event]:
    calendar = Calendar.from_ical(path.read_bytes())
    events = [component for component in calendar.walk("VEVENT") if isinstance(component, Event)]
    uids = [str(event["UID"]) for event in events]
    assert len(uids) == len(set(uids))
    return dict(zip(uids, events, strict=True))


def test_deadlines_become_all_day_events(shipped: dict[str, Path]) -> None:
    events = _events(shipped["content"] / "roadmaps/balakhta-2022.ics")
    deadline = events["balakhta-2022-5.1@site-builder"]  # «До 25.03.2022»
    assert deadline.decoded("DTSTART") == dt.date(2022, 3, 25)
    assert deadline.decoded("DTEND") == dt.date(2022, 3, 26)
    assert str(deadline["SUMMARY"]).startswith("Срок: 5.1 ")
    # The page's status: nothing reported, so the calendar calls nothing overdue either.
    assert "Статус на 01.06.2022: срок прошёл; сведений о выполнении нет" in str(deadline["DESCRIPTION"])
    assert "просроч" not in str(deadline["DESCRIPTION"])
    assert events["balakhta-2022-1.1@site-builder"].decoded("DTSTART") == dt.date(
        2022, 1, 31
    )  # «Январь 2022»
    # «08.02.2022 – 24.02.2022 14.03.2022 – 30.03.2022 11.04.2022 – …»: one event per period end.
    assert sorted(uid for uid in events if uid.startswith("balakhta-2022-3.3-")) == [
        f"balakhta-2022-3.3-{n}@site-builder" for n in (1, 2, 3)
    ]
    for event in events.values():
        assert event.decoded("DTSTAMP") == dt.datetime(2022, 6, 1, tzinfo=dt.UTC)


def test_work_without_a_deadline_gets_no_event(shipped: dict[str, Path]) -> None:
    events = _events(shipped["content"] / "roadmaps/balakhta-2022.ics")
    for number in ("1.6", "2.2", "2.9", "5.4"):  # weekly, unreadable, all year, «Постоянно»
        assert not any(uid.startswith(f"balakhta-2022-{number}") for uid in events)


def test_checkpoints_are_events(shipped: dict[str, Path]) -> None:
    events = _events(shipped["examples/kaliningrad"] / "roadmaps/kaliningrad-2023.ics")
    point = events["kaliningrad-2023-checkpoint-20230630@site-builder"]
    assert point.decoded("DTSTART") == dt.date(2023, 6, 30)
    assert "сведений о выполнении нет" in str(point["DESCRIPTION"])  # no report on that date: no verdict
    assert "не достигнута" not in str(point["DESCRIPTION"])


def test_calendar_bytes_are_stable(shipped: dict[str, Path], tmp_path: Path) -> None:
    again = build_shipped(tmp_path, "examples/shakhty")
    name = "roadmaps/shakhty-2022.ics"
    assert (shipped["examples/shakhty"] / name).read_bytes() == (again / name).read_bytes()


def test_long_lines_fold_at_75_octets_between_characters(synthetic: Path) -> None:
    data = (synthetic / "roadmaps/demo-2022.ics").read_bytes()
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) == 75
    for line in lines:
        line.decode("utf-8")  # a fold never splits a two-octet Cyrillic letter
    summary = next(i for i, line in enumerate(lines) if line.startswith("SUMMARY:Срок: 1.1 ".encode()))
    assert lines[summary + 1].startswith(b" ")
    event = _events(synthetic / "roadmaps/demo-2022.ics")["demo-2022-1.1@site-builder"]
    assert str(event["SUMMARY"]) == f"Срок: 1.1 {LONG_TEXT}"


def test_cancelled_work_is_a_cancelled_event(synthetic: Path) -> None:
    events = _events(synthetic / "roadmaps/demo-2022.ics")
    assert str(events["demo-2022-2.1@site-builder"]["STATUS"]) == "CANCELLED"
    assert "STATUS" not in events["demo-2022-1.1@site-builder"]
