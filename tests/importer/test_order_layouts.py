"""The approving order is found in every layout orders print their date and number in (made-up orders).

Each layout is imported as a text export and as a Word file built from it, through the whole importer,
and the order's number and date must come out as written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from site_builder.importer import import_document
from tests.helpers.wordbuild import build_docx

ISSUER = "ОТДЕЛ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ПРИМЕРНОГО РАЙОНА"
TITLE = "Об утверждении дорожной карты по реализации проекта «500+» в школах Примерного района"
BODY = "Утвердить дорожную карту.\n\nНачальник отдела образования И.И. Примеров"
TABLE = (
    "Дорожная карта по поддержке школ на 2024 год\n\n"
    "№\tМероприятие\tСрок\tИсполнители\n1. Примерный раздел\t\t\t\n1.1\tПримерное мероприятие\tМай 2024\tОтдел\n"
)
DATE = dt.date(2024, 2, 1)


def document(head: str, title: str = f"\n\n{TITLE}") -> str:
    """An order with `head` (the kind and the lines of its date and number) above its title, then the table."""
    return f"{ISSUER}\n\n{head}{title}\n\n{BODY}\n\n{TABLE}"


ONE_PARAGRAPH = document("ПРИКАЗ\n01.02.2024 г\t№ 15/1", f"\n{TITLE}")


LAYOUTS = [
    pytest.param(document("ПРИКАЗ\n\nот 01.02.2024\n\n№ 15/1"), "15/1", id="date-and-number-apart"),
    pytest.param(document("П Р И К А З\n\n« 1 » февраля 2024 года\n\n№ 15/1"), "15/1", id="words-date-apart"),
    pytest.param(document("РАСПОРЯЖЕНИЕ\n\nот 01.02.2024 № 15-р"), "15-р", id="date-then-number"),
    pytest.param(document("ПРИКАЗ\n\n№ 15/1 от 01.02.2024"), "15/1", id="number-then-date"),
    pytest.param(document("ПРИКАЗ\n\n№15/1\n\nот «01» февраля 2024 г."), "15/1", id="number-above-date"),
    pytest.param(document("ПРИКАЗ\n\n01.02.2024 г\t№15/1"), "15/1", id="date-tab-number"),
    pytest.param(document("ПРИКАЗ\n\n01.02.2024 г.\t\t\t\t\t\t\t№ 15/1"), "15/1", id="date-tabs-number"),
    pytest.param(document("ПРИКАЗ\n\n01.02.2024\tг. Примерск\t№ 15/1"), "15/1", id="date-place-number"),
    pytest.param(document("ПРИКАЗ\n\nот 01.02.2024г.№15/1"), "15/1", id="glued"),
    pytest.param(document("ПРИКАЗ\n01.02.2024 г\t№ 15/1"), "15/1", id="kind-date-number-one-paragraph"),
    pytest.param(ONE_PARAGRAPH, "15/1", id="kind-date-number-title-one-paragraph"),
    pytest.param(document("ПРИКАЗ № 15/1 от 01.02.2024"), "15/1", id="kind-number-date-one-line"),
    pytest.param(document("ПРИКАЗ\n\nот 01.02.2024 N 15/1"), "15/1", id="latin-n"),
    pytest.param(
        f"Приложение к приказу отдела образования\nот 01.02.2024 г. № 15/1\n\n{TABLE}",
        "15/1",
        id="appendix-only",
    ),
]


def imported_approval(text: str, fmt: str, folder: Path) -> dict[str, Any]:
    source = folder / "order.txt"
    source.write_text(text, encoding="utf-8")
    path = build_docx(text, folder / "order.docx") if fmt == "docx" else source
    result = import_document(path, "roadmap")
    assert result.data is not None and not result.failed, result.messages()
    return result.data["approval"]


@pytest.mark.parametrize("fmt", ["text", "docx"])
@pytest.mark.parametrize(("text", "number"), LAYOUTS)
def test_the_order_number_and_date_are_captured(text: str, number: str, fmt: str, tmp_path: Path) -> None:
    approval = imported_approval(text, fmt, tmp_path)
    assert (approval["number"], approval["date"]) == (number, DATE)
    assert approval["kind"] in {"Приказ", "Распоряжение"}


@pytest.mark.parametrize("fmt", ["text", "docx"])
@pytest.mark.parametrize(
    "text", [document("ПРИКАЗ\n\n01.02.2024 г\t№ 15/1"), ONE_PARAGRAPH], ids=["apart", "together"]
)
def test_the_title_follows_the_date_and_number_lines(text: str, fmt: str, tmp_path: Path) -> None:
    approval = imported_approval(text, fmt, tmp_path)
    assert approval["title"] == TITLE
    assert approval["issuer"] == "Отдел образования администрации Примерного района"
    assert approval["signer"] == {"name": "И.И. Примеров", "position": "Начальник отдела образования"}
