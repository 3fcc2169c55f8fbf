"""The deadline parser against every deadline cell of the three seed documents, the general forms they stand
for, properties that hold for any input, and the `deadline` command."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from site_builder.cli import main
from site_builder.core.russian import MONTHS_GENITIVE as MONTH_GENITIVE
from site_builder.model.deadlines import (
    Schedule,
    ScheduleKind,
    explain,
    explicit_schedule,
    parse_deadline,
    russian_date,
)
from site_builder.model.deadlines.scanner import normalize
from tests.helpers.deadlines import FRAGMENTS, check_well_formed


def expect(
    text: str,
    kind: ScheduleKind,
    spans: str = "",
    *,
    deadline: str | None = None,
    recurrence: str | None = None,
    done: bool = False,
    note: str | None = None,
) -> Schedule:
    """The schedule a test expects; `spans` is «2022-08-01..2022-11-30 …», one interval per word."""
    intervals = tuple(
        (date.fromisoformat(span.split("..")[0]), date.fromisoformat(span.split("..")[1]))
        for span in spans.split()
    )
    return Schedule(
        text=text,
        kind=kind,
        intervals=intervals,
        deadline=None if deadline is None else date.fromisoformat(deadline),
        recurrence=recurrence,
        done=done,
        note=note,
    )


YEAR_2022 = "2022-01-01..2022-12-31"
# (item number, text, kind, intervals, other fields)
Row = tuple[str, str, ScheduleKind, str, dict[str, Any]]

# Балахта municipal roadmap 2022, column «Срок реализации», every row in document order.
BALAKHTA: list[Row] = [
    ("1.1", "Январь 2022 г.", "period", "2022-01-01..2022-01-31", {}),
    ("1.2", "17.01.2022 – 04.02.2022 (исполнено)", "period", "2022-01-17..2022-02-04", {"done": True}),
    ("1.3", "14.02.2022 - 01.03.2022", "period", "2022-02-14..2022-03-01", {}),
    (
        "1.4",
        "14.02.2022 - до конца года (в соответствии с графиком посещения)",
        "period",
        "2022-02-14..2022-12-31",
        {"note": "в соответствии с графиком посещения"},
    ),
    ("1.5", "Январь 2022", "period", "2022-01-01..2022-01-31", {}),
    ("1.6", "Еженедельно", "recurring", YEAR_2022, {"recurrence": "еженедельно"}),
    ("2.1", "14.01.2022", "period", "2022-01-14..2022-01-14", {}),
    # a typo in the source: neither 18.01 nor 18.02 can be told from it, so the editor must say
    ("2.2", "18.01.02.2022", "unknown", "", {}),
    ("2.3", "10.02.2022", "period", "2022-02-10..2022-02-10", {}),
    ("2.4", "11.03.2022", "period", "2022-03-11..2022-03-11", {}),
    ("2.5", "Март 2022", "period", "2022-03-01..2022-03-31", {}),
    (
        "2.6",
        "С февраля 2022года (ежемесячно)",
        "recurring",
        "2022-02-01..2022-12-31",
        {"recurrence": "ежемесячно"},
    ),
    ("2.7", "Май 2022", "period", "2022-05-01..2022-05-31", {}),
    ("2.8.", "5.12.2022", "period", "2022-12-05..2022-12-05", {}),
    ("2.9", "В течение года", "continuous", YEAR_2022, {}),
    ("2.10", "В течение года", "continuous", YEAR_2022, {}),
    ("2.14", "Еженедельно", "recurring", YEAR_2022, {"recurrence": "еженедельно"}),
    (
        "3.1",
        "Еженедельно по четвергам с 10.02.2022 по 23.06.2022, с 15.09.2022 по 22.12.2022",
        "recurring",
        "2022-02-10..2022-06-23 2022-09-15..2022-12-22",
        {"recurrence": "еженедельно по четвергам"},
    ),
    ("3.2", "Еженедельно", "recurring", YEAR_2022, {"recurrence": "еженедельно"}),
    (
        "3.3",
        "08.02.2022 – 24.02.2022 14.03.2022 – 30.03.2022 11.04.2022 – 30.04.2022",
        "period",
        "2022-02-08..2022-02-24 2022-03-14..2022-03-30 2022-04-11..2022-04-30",
        {},
    ),
    ("4.1", "14.02.2022 – 01.03.2022", "period", "2022-02-14..2022-03-01", {}),
    ("4.2", "14.02.2022 30.03.2022", "period", "2022-02-14..2022-03-30", {}),
    ("4.3", "25.04.2022 01.06.2022", "period", "2022-04-25..2022-06-01", {}),
    ("4.3, second row", "-", "unknown", "", {}),
    ("4.4", "15.09.2022 01.11.2022", "period", "2022-09-15..2022-11-01", {}),
    ("5.1", "До 25.03.2022", "deadline", "", {"deadline": "2022-03-25"}),
    ("5.2", "До 24.05.2022", "deadline", "", {"deadline": "2022-05-24"}),
    ("5.3", "До 24.10.2022", "deadline", "", {"deadline": "2022-10-24"}),
    ("5.4", "Постоянно", "continuous", YEAR_2022, {}),
    ("6.1", "Постоянно", "continuous", YEAR_2022, {}),
    ("6.2", "Постоянно", "continuous", YEAR_2022, {}),
]

# Калининград regional roadmap 2023, column «Сроки реализации».
KALININGRAD: list[Row] = [
    ("1", "До 15.02.2023", "deadline", "", {"deadline": "2023-02-15"}),
    ("2", "01.02-15.05.2023", "period", "2023-02-01..2023-05-15", {}),
    ("3", "01.02-20.02.2023", "period", "2023-02-01..2023-02-20", {}),
    ("4", "28.03-18.04.2023", "period", "2023-03-28..2023-04-18", {}),
    ("5", "15.04-15.05.2023", "period", "2023-04-15..2023-05-15", {}),
    ("6", "01.02-15.05.2023", "period", "2023-02-01..2023-05-15", {}),
    ("7", "15.02-20.12.2023", "period", "2023-02-15..2023-12-20", {}),
    ("8", "15.02-20.12.2023", "period", "2023-02-15..2023-12-20", {}),
    ("9", "01.09-31.12.2023", "period", "2023-09-01..2023-12-31", {}),
    ("10", "30.06.2023", "period", "2023-06-30..2023-06-30", {}),
    ("11", "До 01.08.2023", "deadline", "", {"deadline": "2023-08-01"}),
    ("12", "30.11.2023", "period", "2023-11-30..2023-11-30", {}),
    ("13", "До 25.12.2023", "deadline", "", {"deadline": "2023-12-25"}),
    ("14", "До 01.08.2023", "deadline", "", {"deadline": "2023-08-01"}),
    ("15", "До 01.08.2023", "deadline", "", {"deadline": "2023-08-01"}),
    ("16", "До 01.08.2023", "deadline", "", {"deadline": "2023-08-01"}),
    ("17", "До 01.12.2023", "deadline", "", {"deadline": "2023-12-01"}),
    ("18", "01.03-01.12.2023", "period", "2023-03-01..2023-12-01", {}),
    # Events run through the whole year by a schedule made per half-year; the halves are not two separate
    # periods of the roadmap (together they are the year), so the item is one period, the whole of 2023,
    # and the words after the year are kept as a note for the reader.
    (
        "19",
        "2023 в соответствии с графиком на первое, второе полугодие",
        "period",
        "2023-01-01..2023-12-31",
        {"note": "в соответствии с графиком на первое, второе полугодие"},
    ),
    ("20", "01.03-01.12.2023", "period", "2023-03-01..2023-12-01", {}),
    ("21", "01.03-01.12.2023", "period", "2023-03-01..2023-12-01", {}),
    ("22", "01.03-01.12.2023", "period", "2023-03-01..2023-12-01", {}),
    ("23", "Август", "period", "2023-08-01..2023-08-31", {}),
    ("24", "15.03-01.12.2023", "period", "2023-03-15..2023-12-01", {}),
    ("25", "15.05-01.12.2023", "period", "2023-05-15..2023-12-01", {}),
    ("26", "15.02-01.12.2023", "period", "2023-02-15..2023-12-01", {}),
    ("27", "01.03.-20.05.2023", "period", "2023-03-01..2023-05-20", {}),
    ("28", "24.05.-30.06.2023", "period", "2023-05-24..2023-06-30", {}),
    ("29", "26.05.-30.06.2023", "period", "2023-05-26..2023-06-30", {}),
    # the 2023 document says 2022 here; the text wins over the document year
    ("30", "01.03-30.12.2022", "period", "2022-03-01..2022-12-30", {}),
    ("31", "01.03-30.12.2022", "period", "2022-03-01..2022-12-30", {}),
    ("32", "01.03-30.12.2022", "period", "2022-03-01..2022-12-30", {}),
]

# Шахты report 2022 (stage 2), column «Дата реализации».
SHAKHTY: list[Row] = [
    ("1.1.", "Август-ноябрь 2022", "period", "2022-08-01..2022-11-30", {}),
    ("1.2.", "Ноябрь 2022", "period", "2022-11-01..2022-11-30", {}),
    ("1.3", "Ноябрь 2022", "period", "2022-11-01..2022-11-30", {}),
    ("1.4.", "Декабрь 2022", "period", "2022-12-01..2022-12-31", {}),
    ("2.1", "Август-декабрь 2022", "period", "2022-08-01..2022-12-31", {}),
    ("2.2", "Декабрь 2022", "period", "2022-12-01..2022-12-31", {}),
    ("3.1.", "Август-ноябрь 2022", "period", "2022-08-01..2022-11-30", {}),
    ("3.2", "Июнь- Август 2022", "period", "2022-06-01..2022-08-31", {}),
    ("3.3", "Август-ноябрь 2022", "period", "2022-08-01..2022-11-30", {}),
    ("3.4", "Март-декабрь 2022 г.", "period", "2022-03-01..2022-12-31", {}),
    ("3.5", "Март-декабрь 2022 г.", "period", "2022-03-01..2022-12-31", {}),
    ("3.6", "Сентябрь 2022", "period", "2022-09-01..2022-09-30", {}),
    ("3.7", "Октябрь-декабрь 2022", "period", "2022-10-01..2022-12-31", {}),
    ("3.8", "Май-сентябрь 2022", "period", "2022-05-01..2022-09-30", {}),
    ("3.9", "Ноябрь-декабрь 2022", "period", "2022-11-01..2022-12-31", {}),
    ("3.10", "Июнь- Август 2022", "period", "2022-06-01..2022-08-31", {}),
    # split over a page break in the source
    ("3.11", "Август-ноябрь\n2022", "period", "2022-08-01..2022-11-30", {}),
    ("3.12", "Март-декабрь 2022 г.", "period", "2022-03-01..2022-12-31", {}),
    ("3.13", "Март-декабрь 2022 г.", "period", "2022-03-01..2022-12-31", {}),
    ("3.14", "Май-сентябрь 2022", "period", "2022-05-01..2022-09-30", {}),
    ("4.1", "Июнь-июль 2022", "period", "2022-06-01..2022-07-31", {}),
    ("4.2", "Ноябрь 2022", "period", "2022-11-01..2022-11-30", {}),
    ("4.3", "Ноябрь-декабрь 2022", "period", "2022-11-01..2022-12-31", {}),
]

SEED_CASES = [
    pytest.param(year, text, kind, spans, extra, id=f"{name} {number}")
    for name, year, rows in (
        ("Балахта", 2022, BALAKHTA),
        ("Калининград", 2023, KALININGRAD),
        ("Шахты", 2022, SHAKHTY),
    )
    for number, text, kind, spans, extra in rows
]


@pytest.mark.parametrize(("year", "text", "kind", "spans", "extra"), SEED_CASES)
def test_every_seed_deadline(
    year: int, text: str, kind: ScheduleKind, spans: str, extra: dict[str, Any]
) -> None:
    assert parse_deadline(text, year) == expect(text, kind, spans, **extra)


def test_seed_texts_do_not_depend_on_the_document_year_when_they_carry_one() -> None:
    for _, text, kind, spans, extra in SHAKHTY:
        assert parse_deadline(text, None) == expect(text, kind, spans, **extra)


# General forms: (text, document year, kind, intervals, other fields).
GENERAL_FORMS: list[tuple[str, int | None, ScheduleKind, str, dict[str, Any]]] = [
    # month names in any case, any capitalisation, abbreviated, year glued on or given as «г.», «года», «гг.»
    ("ЯНВАРЬ 2022", None, "period", "2022-01-01..2022-01-31", {}),
    ("в январе 2023 года", None, "period", "2023-01-01..2023-01-31", {}),
    ("Февраля 2023 г.", None, "period", "2023-02-01..2023-02-28", {}),
    ("в феврале 2024 г.", None, "period", "2024-02-01..2024-02-29", {}),
    ("Декабрь2021", None, "period", "2021-12-01..2021-12-31", {}),
    ("янв. 2023", None, "period", "2023-01-01..2023-01-31", {}),
    ("сент.", 2022, "period", "2022-09-01..2022-09-30", {}),
    ("нояб. 2022 г.", None, "period", "2022-11-01..2022-11-30", {}),
    ("мае 2022", None, "period", "2022-05-01..2022-05-31", {}),
    ("Август", 2023, "period", "2023-08-01..2023-08-31", {}),
    ("Январь 2022 г.", 2023, "period", "2022-01-01..2022-01-31", {}),  # an explicit year wins
    ("в январе текущего года", 2023, "period", "2023-01-01..2023-01-31", {}),
    ("03.2023", None, "period", "2023-03-01..2023-03-31", {}),
    # ranges of months and of dates, with any dash or «по»
    ("Ноябрь-декабрь 2022", None, "period", "2022-11-01..2022-12-31", {}),
    ("январь — март 2023 года", None, "period", "2023-01-01..2023-03-31", {}),
    ("с января по март 2023 года", None, "period", "2023-01-01..2023-03-31", {}),
    ("в марте-апреле", 2023, "period", "2023-03-01..2023-04-30", {}),
    ("Декабрь 2021 – январь 2022", None, "period", "2021-12-01..2022-01-31", {}),
    ("ноябрь-февраль 2023", None, "period", "2022-11-01..2023-02-28", {}),  # the start rolls back a year
    ("Сентябрь - май", 2022, "period", "2022-09-01..2023-05-31", {}),  # the end rolls forward
    ("с 1 по 15 апреля", 2023, "period", "2023-04-01..2023-04-15", {}),
    ("1-15 апреля 2023 г.", None, "period", "2023-04-01..2023-04-15", {}),
    ("с 10 марта по 5 апреля 2023 года", None, "period", "2023-03-10..2023-04-05", {}),
    ("с 01.03.2022 по 31.05.2022", None, "period", "2022-03-01..2022-05-31", {}),
    ("01.03.2022 — 31.05.2022", None, "period", "2022-03-01..2022-05-31", {}),
    ("01.03.2022−31.05.2022", None, "period", "2022-03-01..2022-05-31", {}),
    ("01.09.2022 - 31.05.2023", None, "period", "2022-09-01..2023-05-31", {}),
    ("15.12-15.01.2023", None, "period", "2022-12-15..2023-01-15", {}),
    ("20.05-30.06", 2023, "period", "2023-05-20..2023-06-30", {}),
    ("01.03.22 - 15.03.22", None, "period", "2022-03-01..2022-03-15", {}),
    ("2023-03-01", None, "period", "2023-03-01..2023-03-01", {}),
    ("2022-2023 гг.", None, "period", "2022-01-01..2023-12-31", {}),
    ("2023 год", None, "period", "2023-01-01..2023-12-31", {}),
    ("в течение 2023 года", None, "period", "2023-01-01..2023-12-31", {}),
    ("14.02.2022 - до конца года", None, "period", "2022-02-14..2022-12-31", {}),
    ("с 01.03.2023 до конца года", None, "period", "2023-03-01..2023-12-31", {}),
    ("с мая", 2022, "period", "2022-05-01..2022-12-31", {}),
    ("с 14.02.2022г. по 01.03.2022г.", None, "period", "2022-02-14..2022-03-01", {}),
    ("01-15.09.2022", None, "period", "2022-09-01..2022-09-15", {}),
    # several intervals in one cell; the year written once at the end of a list holds for all of it
    (
        "14.02.2022–01.03.2022, 10.03.2022",
        None,
        "period",
        "2022-02-14..2022-03-01 2022-03-10..2022-03-10",
        {},
    ),
    ("март, апрель 2023 г.", 2022, "period", "2023-03-01..2023-03-31 2023-04-01..2023-04-30", {}),
    ("Март 2022 и май", 2021, "period", "2022-03-01..2022-03-31 2022-05-01..2022-05-31", {}),
    ("март 2022, март 2022", None, "period", "2022-03-01..2022-03-31", {}),
    (
        "январь-февраль, сентябрь-октябрь 2022",
        None,
        "period",
        "2022-01-01..2022-02-28 2022-09-01..2022-10-31",
        {},
    ),
    (
        "10.02.2022, 17.02.2022; 24.02.2022",
        None,
        "period",
        "2022-02-10..2022-02-10 2022-02-17..2022-02-17 2022-02-24..2022-02-24",
        {},
    ),
    # quarters and half-years, Roman or Arabic or in words
    ("I квартал 2023", None, "period", "2023-01-01..2023-03-31", {}),
    ("3 кв.", 2022, "period", "2022-07-01..2022-09-30", {}),
    ("IV кв. 2022 г.", None, "period", "2022-10-01..2022-12-31", {}),
    ("во 2-м квартале 2023 года", None, "period", "2023-04-01..2023-06-30", {}),
    ("в третьем квартале", 2023, "period", "2023-07-01..2023-09-30", {}),
    ("I–II кв. 2023 г.", None, "period", "2023-01-01..2023-06-30", {}),
    ("1 и 3 квартал 2023", None, "period", "2023-01-01..2023-03-31 2023-07-01..2023-09-30", {}),
    ("2 полугодие", 2022, "period", "2022-07-01..2022-12-31", {}),
    ("первое полугодие", 2023, "period", "2023-01-01..2023-06-30", {}),
    ("1-е полугодие 2023 г.", None, "period", "2023-01-01..2023-06-30", {}),
    ("первое, второе полугодие 2023", None, "period", "2023-01-01..2023-06-30 2023-07-01..2023-12-31", {}),
    # school years: 1 September – 31 August; the second half-year is the term that ends on 31 May
    ("2022/2023 учебный год", None, "period", "2022-09-01..2023-08-31", {}),
    ("2022-2023 уч. год", None, "period", "2022-09-01..2023-08-31", {}),
    ("в течение 2022/23 учебного года", None, "period", "2022-09-01..2023-08-31", {}),
    ("2 полугодие 2022/2023 учебного года", None, "period", "2023-01-01..2023-05-31", {}),
    ("1 полугодие 2022/2023 учебного года", None, "period", "2022-09-01..2022-12-31", {}),
    ("январь 2022/2023 учебного года", None, "period", "2023-01-01..2023-01-31", {}),
    # «до …» with a date, a day and month, a month, the end of a year or quarter
    ("до 15 апреля", 2023, "deadline", "", {"deadline": "2023-04-15"}),
    ("до 01.03", 2023, "deadline", "", {"deadline": "2023-03-01"}),
    ("до 1 сентября 2022 г.", None, "deadline", "", {"deadline": "2022-09-01"}),
    ("До марта 2023", None, "deadline", "", {"deadline": "2023-03-31"}),  # inclusive, as «до 25.03» is
    ("до конца года", 2022, "deadline", "", {"deadline": "2022-12-31"}),
    ("до конца 2023 года", None, "deadline", "", {"deadline": "2023-12-31"}),
    ("до конца I квартала 2023", None, "deadline", "", {"deadline": "2023-03-31"}),
    ("не позднее 01.03.2022", None, "deadline", "", {"deadline": "2022-03-01"}),
    ("к 01.03.2022", None, "deadline", "", {"deadline": "2022-03-01"}),
    ("по 30.06.2023", None, "deadline", "", {"deadline": "2023-06-30"}),
    # recurrences and continuous work
    ("Ежемесячно", 2023, "recurring", "2023-01-01..2023-12-31", {"recurrence": "ежемесячно"}),
    (
        "не реже 1 раза в месяц",
        2023,
        "recurring",
        "2023-01-01..2023-12-31",
        {"recurrence": "не реже 1 раза в месяц"},
    ),
    ("каждую неделю", 2023, "recurring", "2023-01-01..2023-12-31", {"recurrence": "каждую неделю"}),
    (
        "по понедельникам и средам с 01.03.2022 по 31.05.2022",
        None,
        "recurring",
        "2022-03-01..2022-05-31",
        {"recurrence": "по понедельникам и средам"},
    ),
    (
        "ежеквартально в 2023 году",
        None,
        "recurring",
        "2023-01-01..2023-12-31",
        {"recurrence": "ежеквартально"},
    ),
    ("ежемесячно до 25.12.2023", None, "recurring", "2023-01-01..2023-12-25", {"recurrence": "ежемесячно"}),
    (
        "Март-декабрь 2022 (ежемесячно)",
        None,
        "recurring",
        "2022-03-01..2022-12-31",
        {"recurrence": "ежемесячно"},
    ),
    (
        "Ежемесячно до 5 числа",
        2023,
        "recurring",
        "2023-01-01..2023-12-31",
        {"recurrence": "ежемесячно до 5 числа"},
    ),
    ("В течение учебного года", 2023, "continuous", "2023-01-01..2023-12-31", {}),
    ("В течение года по графику", 2023, "continuous", "2023-01-01..2023-12-31", {"note": "по графику"}),
    ("постоянно", 2023, "continuous", "2023-01-01..2023-12-31", {}),
    ("Постоянно (исполнено)", 2022, "continuous", YEAR_2022, {"done": True}),
    # notes in brackets and after a date
    ("Март 2022 (выполнено)", None, "period", "2022-03-01..2022-03-31", {"done": True}),
    ("Март 2022 исполнено", None, "period", "2022-03-01..2022-03-31", {"done": True}),
    ("Март 2022 (по согласованию)", None, "period", "2022-03-01..2022-03-31", {"note": "по согласованию"}),
    (
        "Март 2022 (исполнено частично)",
        None,
        "period",
        "2022-03-01..2022-03-31",
        {"note": "исполнено частично"},
    ),
    ("по графику: 10.02.2022", None, "period", "2022-02-10..2022-02-10", {"note": "по графику"}),
    (
        "по графику, ежемесячно",
        2022,
        "recurring",
        YEAR_2022,
        {"recurrence": "ежемесячно", "note": "по графику"},
    ),
    # what cannot be read stays unknown, with the raw text and what was understood around it
    ("", 2022, "unknown", "", {}),
    ("   ", 2022, "unknown", "", {}),
    ("—", 2022, "unknown", "", {}),
    ("31.02.2022", None, "unknown", "", {}),
    ("13.2022", None, "unknown", "", {}),
    ("5 квартал 2023", None, "unknown", "", {}),
    ("после 15.03.2022", 2022, "unknown", "", {}),  # an unknown word may change the meaning
    ("январь, до 01.03.2022", 2022, "unknown", "", {}),  # a period and a deadline at once
    ("Август", None, "unknown", "", {}),  # no year anywhere
    ("Постоянно", None, "unknown", "", {}),
    ("(исполнено)", 2022, "unknown", "", {"done": True}),
    ("в соответствии с графиком", 2022, "unknown", "", {"note": "в соответствии с графиком"}),
    ("По мере необходимости", 2022, "unknown", "", {"note": "По мере необходимости"}),
    ("конец 2022 года", None, "unknown", "", {}),  # the end of a year is no date to plan by
    ("01.03.2022 - 15.02.2022", None, "unknown", "", {}),  # the end before the start
    ("(Март 2022", None, "unknown", "", {}),
    ("I четверть 2022/2023 учебного года", None, "unknown", "", {}),
]


@pytest.mark.parametrize(
    ("text", "year", "kind", "spans", "extra"), GENERAL_FORMS, ids=[c[0] for c in GENERAL_FORMS]
)
def test_general_forms(
    text: str, year: int | None, kind: ScheduleKind, spans: str, extra: dict[str, Any]
) -> None:
    assert parse_deadline(text, year) == expect(text, kind, spans, **extra)


def test_the_raw_text_is_kept_verbatim() -> None:
    text = "  Август-ноябрь\n2022 "
    assert parse_deadline(text, None).text == text


def test_a_bare_yaml_number_or_date_is_read_as_its_text() -> None:
    assert parse_deadline(2023, None).intervals == ((date(2023, 1, 1), date(2023, 12, 31)),)  # type: ignore[arg-type]
    assert parse_deadline(date(2023, 3, 1), None).start == date(2023, 3, 1)  # type: ignore[arg-type]


def test_start_and_end_properties() -> None:
    deadline = parse_deadline("До 25.03.2022", 2022)
    assert (deadline.start, deadline.end) == (None, date(2022, 3, 25))
    several = parse_deadline("08.02.2022 – 24.02.2022 14.03.2022 – 30.03.2022", 2022)
    assert (several.start, several.end) == (date(2022, 2, 8), date(2022, 3, 30))
    unknown = parse_deadline("18.01.02.2022", 2022)
    assert (unknown.start, unknown.end) == (None, None)


# Properties: whatever the text, the parser returns a well-formed schedule.


@given(st.text(), st.one_of(st.none(), st.integers()))
def test_any_text_gives_a_well_formed_schedule(text: str, year: int | None) -> None:
    schedule = parse_deadline(text, year)
    assert schedule.text == text
    check_well_formed(schedule)


@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=8),
    st.sampled_from(["", " "]),
    st.sampled_from([None, 2022]),
)
def test_deadline_like_text_gives_a_well_formed_schedule(
    parts: list[str], joiner: str, year: int | None
) -> None:
    check_well_formed(parse_deadline(joiner.join(parts), year))


@given(st.text())
def test_normalisation_keeps_every_character_in_place(text: str) -> None:
    assert len(normalize(text)) == len(text)


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2098, 12, 31))


@given(days, st.integers(0, 400))
def test_any_written_range_of_dates_is_that_period(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    text = f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"
    assert parse_deadline(text, None).intervals == ((start, end),)


@given(days)
def test_any_written_date_after_do_is_that_deadline(day: date) -> None:
    schedule = parse_deadline(f"До {day.day} {MONTH_GENITIVE[day.month - 1]} {day.year} г.", None)
    assert (schedule.kind, schedule.deadline) == ("deadline", day)


@given(st.integers(1, 12), st.integers(1990, 2098), st.sampled_from([str.lower, str.upper, str.capitalize]))
def test_any_month_in_any_case_is_that_month(month: int, year: int, case: object) -> None:
    word = case(MONTH_GENITIVE[month - 1])  # type: ignore[operator]
    schedule = parse_deadline(f"{word} {year}", None)
    assert schedule.start == date(year, month, 1)
    assert schedule.end is not None and (schedule.end + timedelta(days=1)).day == 1


# The editor's override from YAML.


def test_explicit_dates_replace_the_reading_but_keep_what_the_words_say() -> None:
    schedule = explicit_schedule("18.01.02.2022 (исполнено)", date(2022, 1, 18), date(2022, 2, 18))
    assert schedule == Schedule(
        "18.01.02.2022 (исполнено)", "period", ((date(2022, 1, 18), date(2022, 2, 18)),), done=True
    )


def test_explicit_dates_for_a_recurring_text_stay_recurring() -> None:
    schedule = explicit_schedule("Еженедельно", date(2022, 2, 1), date(2022, 5, 31))
    assert (schedule.kind, schedule.recurrence) == ("recurring", "еженедельно")
    assert explicit_schedule("Еженедельно", date(2022, 2, 1), date(2022, 5, 31), "period").recurrence is None


def test_explicit_end_without_start_is_a_deadline() -> None:
    schedule = explicit_schedule("-", None, date(2022, 6, 1))
    assert (schedule.kind, schedule.deadline, schedule.intervals) == ("deadline", date(2022, 6, 1), ())


@pytest.mark.parametrize(
    ("start", "kind", "message"),
    [
        (date(2022, 7, 1), None, "начала позже"),
        (None, "period", "нужна дата начала"),
        (date(2022, 1, 1), "deadline", "не сочетается"),
        (date(2022, 1, 1), "unknown", "не сочетается"),
    ],
)
def test_explicit_dates_that_do_not_fit_are_refused(
    start: date | None, kind: ScheduleKind | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        explicit_schedule("Март 2022", start, date(2022, 6, 1), kind)


# How a reading is shown.


def test_russian_dates_need_no_locale() -> None:
    assert russian_date(date(2022, 8, 1)) == "1 августа 2022 г."


@pytest.mark.parametrize(
    ("text", "year", "sentence"),
    [
        (
            "Август-ноябрь\n2022",
            None,
            "Срок «Август-ноябрь 2022» понят как период с 1 августа 2022 г. по 30 ноября 2022 г.",
        ),
        ("14.01.2022", None, "Срок «14.01.2022» понят как дата 14 января 2022 г."),
        ("До 25.03.2022", None, "Срок «До 25.03.2022» понят как крайний срок: не позднее 25 марта 2022 г."),
        (
            "Еженедельно по четвергам с 10.02.2022 по 23.06.2022, с 15.09.2022 по 22.12.2022",
            None,
            "Срок «Еженедельно по четвергам с 10.02.2022 по 23.06.2022, с 15.09.2022 по 22.12.2022» понят как "
            "повторяющееся мероприятие (еженедельно по четвергам), 2 периода: с 10 февраля 2022 г. по 23 июня 2022 г.; "
            "с 15 сентября 2022 г. по 22 декабря 2022 г.",
        ),
        (
            "Постоянно",
            2022,
            "Срок «Постоянно» понят как постоянная работа, период с 1 января 2022 г. по 31 декабря 2022 г.",
        ),
        (
            "17.01.2022 – 04.02.2022 (исполнено)",
            None,
            "Срок «17.01.2022 – 04.02.2022 (исполнено)» понят как период с 17 января 2022 г. по 4 февраля 2022 г.; "
            "мероприятие отмечено как исполненное.",
        ),
        (
            "2023 в соответствии с графиком на первое, второе полугодие",
            None,
            "Срок «2023 в соответствии с графиком на первое, второе полугодие» понят как период с 1 января 2023 г. по "
            "31 декабря 2023 г.; примечание: «в соответствии с графиком на первое, второе полугодие».",
        ),
        (
            "18.01.02.2022",
            2022,
            "Срок «18.01.02.2022» не распознан: задайте даты вручную в поле schedule (start — начало, "
            "end — окончание).",
        ),
        (
            "",
            2022,
            "Пустой срок не распознан: задайте даты вручную в поле schedule (start — начало, end — окончание).",
        ),
    ],
)
def test_explanations(text: str, year: int | None, sentence: str) -> None:
    assert explain(parse_deadline(text, year)) == sentence


@pytest.mark.parametrize(
    ("count", "words"), [(2, "2 периода"), (5, "5 периодов"), (11, "11 периодов"), (21, "21 период")]
)
def test_explanations_count_periods_in_russian(count: int, words: str) -> None:
    text = ", ".join(f"{date(2022, 3, 1) + timedelta(days=2 * i):%d.%m.%Y}" for i in range(count))
    assert f"как {words}: 1 марта 2022 г.; 3 марта" in explain(parse_deadline(text, None))


# The `deadline` command.


def test_command_prints_the_json_object() -> None:
    result = CliRunner().invoke(main, ["deadline", "Август-ноябрь 2022", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "text": "Август-ноябрь 2022",
        "kind": "period",
        "start": "2022-08-01",
        "end": "2022-11-30",
        "intervals": [["2022-08-01", "2022-11-30"]],
        "deadline": None,
        "recurrence": None,
        "done": False,
        "note": None,
    }
    assert "Август" in result.output  # not \u-escaped


def test_command_json_for_a_deadline_and_a_recurrence() -> None:
    deadline = json.loads(CliRunner().invoke(main, ["deadline", "До 25.03.2022", "--json"]).output)
    assert (deadline["kind"], deadline["start"], deadline["end"], deadline["intervals"]) == (
        "deadline",
        None,
        "2022-03-25",
        [],
    )
    weekly = json.loads(
        CliRunner().invoke(main, ["deadline", "Еженедельно", "--year", "2022", "--json"]).output
    )
    assert (weekly["kind"], weekly["recurrence"], weekly["start"], weekly["end"]) == (
        "recurring",
        "еженедельно",
        "2022-01-01",
        "2022-12-31",
    )


def test_command_explains_in_one_sentence() -> None:
    result = CliRunner().invoke(main, ["deadline", "Август", "--year", "2023"])
    assert result.exit_code == 0
    assert result.output == "Срок «Август» понят как период с 1 августа 2023 г. по 31 августа 2023 г.\n"


def test_command_says_when_only_the_year_is_missing() -> None:
    result = CliRunner().invoke(main, ["deadline", "Август"])
    assert result.exit_code == 0
    assert "не распознан" in result.stdout
    assert "--year" in result.stderr


def test_command_rejects_an_impossible_year_as_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["deadline", "Август", "--year", "20230"])
    assert result.exit_code == 2
