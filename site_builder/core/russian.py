"""Russian wording helpers shared by every module that builds text for readers."""

from __future__ import annotations

import datetime as dt

MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun that agrees with `n`: 1 мероприятие, 2 мероприятия, 5 мероприятий, 11 мероприятий.

    Only the last two digits matter: 11–14 take the «many» form although they end in 1–4.
    """
    tail = abs(n) % 100
    if 11 <= tail <= 14:
        return many
    if tail % 10 == 1:
        return one
    if 2 <= tail % 10 <= 4:
        return few
    return many


def percent(value: int) -> str:
    """«40 %»: Russian typesetting puts a non-breaking space before the percent sign."""
    return f"{value}\u00a0%"


def russian_date(day: dt.date | None) -> str:
    """«1 августа 2022 г.», built by hand so output never depends on the machine's locale; "" for no date."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def short_date(day: dt.date) -> str:
    """«01.08.2022»: the numeric form documents use, the one place it is written."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"  # what strftime's %d.%m.%Y writes here, at a fraction of its cost
