"""The text above the table: the approving document, signatures, the table title, the year (synthetic texts)."""

from __future__ import annotations

import datetime as dt

import pytest

from site_builder.importer.header import (
    find_date,
    is_date_or_number,
    level_of,
    read_preamble,
    restore_case,
    year_of,
)
from site_builder.importer.tables import Paragraph
from site_builder.importer.textfile import parse_text_export

ORDER = """ОТДЕЛ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ПРИМЕРНОГО РАЙОНА

Р А С П О Р Я Ж Е Н И Е

от 01.02.2024 № 15-р

О дорожной карте проекта «500+»

Утвердить дорожную карту.

Начальник отдела образования администрации Примерного района И.И. Примеров

Приложение к распоряжению
от 01.02.2024 № 15-р

Дорожная карта

по поддержке школ на 2024 год
"""


def paragraphs(text: str) -> list[Paragraph]:
    blocks = parse_text_export(text)
    assert all(isinstance(block, Paragraph) for block in blocks)
    return blocks  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("от 14.01.2022", dt.date(2022, 1, 14)),
        ("« 13 » января 2023 года", dt.date(2023, 1, 13)),
        ("«5» Марта 2024 г.", dt.date(2024, 3, 5)),
        ("от 31.02.2022", None),
        ("№ 6а", None),
    ],
)
def test_dates_are_read_in_both_written_forms(text: str, date: dt.date | None) -> None:
    assert find_date(text) == date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("от 14.01.2022", True),
        ("13.01.2023 г № 28/1", True),
        ("№28/1 от «13» января 2023 года", True),
        ("14.01.2022 г. Балахта № 6а", True),
        ("г. Калининград", True),
        ("О проекте № 5", False),
        ("Об утверждении плана на 14.01.2022", False),
        ("Дорожная карта", False),
    ],
)
def test_a_date_and_number_line_holds_nothing_else(text: str, expected: bool) -> None:
    assert is_date_or_number(text) is expected


def test_an_order_with_spaced_kind_combined_date_and_number_and_a_one_line_signature() -> None:
    preamble = read_preamble(paragraphs(ORDER))
    order = preamble.order
    assert order is not None
    assert (order.kind, order.number, order.date) == ("Распоряжение", "15-р", dt.date(2024, 2, 1))
    # The capitals are restored from the words as the rest of the text writes them.
    assert order.issuer == "Отдел образования администрации Примерного района"
    assert order.title == "О дорожной карте проекта «500+»"
    assert order.signer is not None
    assert (order.signer.name, order.signer.position) == (
        "И.И. Примеров",
        "Начальник отдела образования администрации Примерного района",
    )
    assert preamble.intro == "Приложение к распоряжению от 01.02.2024 № 15-р"
    assert preamble.table_title == "Дорожная карта по поддержке школ на 2024 год"
    assert preamble.year == 2024


def test_without_an_order_there_is_no_approval_and_the_last_paragraph_is_the_title() -> None:
    preamble = read_preamble(paragraphs("Пояснения к карте.\n\nШкольная дорожная карта\nна 2025 год\n"))
    assert preamble.order is None
    assert preamble.table_title == "Школьная дорожная карта на 2025 год"
    assert (preamble.year, preamble.level) == (2025, "school")


def test_a_report_gives_its_title_stage_approver_and_narrative() -> None:
    text = (
        "УТВЕРЖДАЮ\nДиректор\nПримерной школы\n\nА.Б. Примерова\n\n"
        "Отчет о реализации дорожной карты в 2023 году (первый этап)\n\n"
        "Все мероприятия выполнены в срок, и\n\nпродолжены после переноса.\n\nСделано:\n\n- одно;\n\n- другое.\n\n"
        "Дорожная карта школы\n"
    )
    preamble = read_preamble(paragraphs(text))
    assert preamble.report_title == "Отчет о реализации дорожной карты в 2023 году (первый этап)"
    assert preamble.stage == "Первый этап"
    assert preamble.approved_by is not None
    assert (preamble.approved_by.name, preamble.approved_by.position) == (
        "А.Б. Примерова",
        "Директор Примерной школы",
    )
    assert preamble.narrative == (
        "Все мероприятия выполнены в срок, и продолжены после переноса.\n\nСделано:\n\n- одно;\n- другое.\n"
    )
    assert preamble.table_title == "Дорожная карта школы"


def test_restore_case_keeps_text_that_is_not_all_capitals() -> None:
    assert restore_case("Управление образования", "") == "Управление образования"
    assert restore_case("МИНИСТЕРСТВО ОБРАЗОВАНИЯ", "") == "Министерство образования"


def test_level_comes_from_the_title_then_from_the_issuer() -> None:
    assert level_of("Муниципальная дорожная карта", "Министерство") == "municipal"
    assert level_of("План-график", "Министерство образования области") == "regional"
    assert level_of("План-график", "") is None


def test_year_of_reads_na_and_v_forms() -> None:
    assert year_of("карта (на 2022 год)") == 2022
    assert year_of("в 2023 году") == 2023
    assert year_of("2023") is None
