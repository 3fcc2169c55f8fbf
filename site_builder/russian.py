"""Russian wording helpers shared by every module that builds text for readers."""

from __future__ import annotations


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
