"""Validation messages: each names the place, the field and what was expected, in Russian."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from site_builder.content.loader import parse_yaml
from site_builder.content.models import PageMeta, Report, Roadmap, Schools, SiteConfig
from site_builder.content.validate import validate
from site_builder.core.errors import Problem
from tests.helpers.sites import read_fixture

ROADMAP = read_fixture("roadmaps/demo-2022.yaml")
REPORT = read_fixture("reports/demo-2022-1.yaml")
SITE = read_fixture("site.yaml")
SCHOOLS = read_fixture("schools.yaml")


def changed(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def problems(model: type[BaseModel], text: str) -> list[Problem]:
    value, found = validate(parse_yaml(text, "f.yaml"), model)
    assert (value is None) == bool(found)
    return found


def only(model: type[BaseModel], text: str) -> Problem:
    found = problems(model, text)
    assert len(found) == 1, found
    return found[0]


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize(
    "model, text", [(Roadmap, ROADMAP), (Report, REPORT), (SiteConfig, SITE), (Schools, SCHOOLS)]
)
def test_fixture_files_are_valid(model: type[BaseModel], text: str) -> None:
    assert problems(model, text) == []


@pytest.mark.parametrize(
    ("old", "new", "fragment", "expected"),
    [
        pytest.param(
            "year: 2022",
            "year: двадцать",
            "year:",
            "поле «year» (Год): ожидается целое число, например 2022",
            id="text-for-number",
        ),
        pytest.param(
            "year: 2022",
            "year: 1900",
            "year:",
            "поле «year» (Год): значение должно быть не меньше 2000",
            id="range",
        ),
        pytest.param(
            "    deadline: Март 2022\n",
            "    deadline: [Март, 2022]\n",
            "deadline: [",
            "раздел 2, мероприятие 2.1, поле «deadline» (Срок реализации): ожидается текст, а указано: список",
            id="list-for-text",
        ),
        pytest.param(
            "approval:\n  kind: Приказ\n  issuer: Управление образования Условного района\n  number: 1т\n",
            "approval: Приказ\napproval_extra:\n  number: 1т\n",
            "approval:",
            "поле «approval» (Утверждающий документ): ожидается набор полей «ключ: значение», а указано: текст",
            id="text-for-mapping",
        ),
        pytest.param(
            "  date: 2022-01-10",
            "  date: 10.01.2022",
            "  date:",
            "поле «date» (Дата документа): ожидается дата в виде ГГГГ-ММ-ДД",
            id="date-format",
        ),
        pytest.param(
            "level: municipal",
            "level: city",
            "level:",
            "поле «level» (Уровень): недопустимое значение; допустимые: «federal», «regional», «municipal», «school»",
            id="choice",
        ),
        pytest.param(
            "title: Тестовая дорожная карта",
            "title: ''",
            "title:",
            "поле «title» (Название дорожной карты): поле не может быть пустым",
            id="empty-text",
        ),
        pytest.param(
            "    - title: Протокол\n",
            "    - Протокол\n    - title: Протокол\n",
            "    - Протокол",
            "раздел 1, мероприятие 1.1, поле «evidence» (Подтверждающие ссылки), элемент № 1: ожидается набор полей",
            id="list-element",
        ),
        pytest.param(
            "  - number: '2.1'\n",
            "  - '2.1'\n  - number: '2.1'\n",
            "  - '2.1'",
            "раздел 2, мероприятие № 1: ожидается набор полей",
            id="item-not-a-mapping",
        ),
        pytest.param(
            "    task: Первая задача\n",
            "    task: Первая задача\n    rows:\n    - task: x\n",
            "  - number: '1.1'",
            "раздел 1, мероприятие 1.1: укажите задачу и показатель либо в task/indicator, либо списком в rows",
            id="item-rule",
        ),
    ],
)
def test_wrong_values(old: str, new: str, fragment: str, expected: str) -> None:
    text = changed(ROADMAP, old, new)
    found = problems(Roadmap, text)
    assert any(expected in p.message for p in found), found
    problem = next(p for p in found if expected in p.message)
    assert problem.line == line_of(text, fragment)


def test_missing_required_field_points_at_its_owner() -> None:
    text = changed(ROADMAP, "    activity: Третье мероприятие\n", "")
    problem = only(Roadmap, text)
    assert (
        problem.message
        == "раздел 2, мероприятие 2.1, поле «activity» (Мероприятие): не заполнено обязательное поле"
    )
    assert (problem.line, problem.col) == (line_of(text, "  - number: '2.1'"), 5)


def test_missing_top_level_field() -> None:
    problem = only(Roadmap, changed(ROADMAP, "level: municipal\n", ""))
    assert problem.message == "поле «level» (Уровень): не заполнено обязательное поле"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    deadline: Март 2022", "    dedline: Март 2022", "поле «dedline»: неизвестное поле — может быть, имелось в виду «deadline»?"),
        ("sections:\n", "sectons:\n", "поле «sectons»: неизвестное поле — может быть, имелось в виду «sections»?"),
        ("    name: Т.Т. Тестова", "    nmae: Т.Т. Тестова", "может быть, имелось в виду «name»?"),
    ],
)  # fmt: skip
def test_unknown_key_with_a_hint(old: str, new: str, expected: str) -> None:
    text = changed(ROADMAP, old, new)
    found = problems(Roadmap, text)
    problem = next(p for p in found if "неизвестное поле" in p.message)
    assert expected in problem.message
    key = new.strip().split(":")[0]
    assert (problem.line, problem.col) == (line_of(text, new), new.index(key) + 1)


def test_unknown_key_without_a_close_name_lists_the_allowed_ones() -> None:
    problem = only(Roadmap, changed(ROADMAP, "      indicator: Показатель строки один\n",
                                    "      indicator: Показатель строки один\n      цвет: красный\n"))  # fmt: skip
    assert problem.message == (
        "раздел 1, мероприятие 1.2, поле «цвет»: неизвестное поле. Допустимые поля: task, indicator, executors."
    )


def test_unknown_column_key() -> None:
    text = changed(ROADMAP, "columns:\n", "columns:\n  foo: Столбец\n")
    problem = only(Roadmap, text)
    assert problem.message.startswith(
        "поле «columns» (Заголовки столбцов), ключ «foo»: недопустимое значение"
    )
    assert "«number», «activity»" in problem.message
    assert (problem.line, problem.col) == (line_of(text, "  foo:"), 3)


def test_every_problem_of_a_file_at_once() -> None:
    text = changed(
        changed(ROADMAP, "year: 2022", "year: x"), "    deadline: Март 2022", "    dedline: Март 2022"
    )
    text = changed(text, "level: municipal", "level: town")
    assert len(problems(Roadmap, text)) == 3


def test_report_status_choices() -> None:
    problem = only(Report, changed(REPORT, "status: выполнено", "status: сделано"))
    assert (
        "поле «status» (Статус): недопустимое значение; допустимые: «выполнено», «в работе»"
        in problem.message
    )


@pytest.mark.parametrize(("value", "expected"), [("maybe", "true или false"), ("2022-13-01", "ГГГГ-ММ-ДД")])
def test_page_front_matter_types(value: str, expected: str) -> None:
    key = "news" if value == "maybe" else "date"
    problem = only(PageMeta, f"title: Страница\n{key}: {value}\n")
    assert expected in problem.message and f"«{key}»" in problem.message


def test_a_list_or_scalar_instead_of_a_mapping() -> None:
    [problem] = validate(parse_yaml("- a\n- b\n", "f.yaml"), SiteConfig)[1]
    assert "ожидается набор полей" in problem.message and problem.line == 1


def test_school_list_element_named_by_position() -> None:
    problem = only(Schools, SCHOOLS + "- 5\n")
    assert problem.message.startswith("школа № 3: ожидается набор полей")


DANGEROUS_URLS = [
    "javascript:alert(1)",
    "  javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\tjavascript:alert(1)",
    "javascript\u200b:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
]


def quoted(value: str) -> str:
    """A YAML double-quoted scalar holding exactly `value`."""
    return (
        '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n") + '"'
    )


@pytest.mark.parametrize("url", DANGEROUS_URLS)
@pytest.mark.parametrize(
    ("model", "text", "old", "field"),
    [
        (Roadmap, ROADMAP, "https://example.org/protocol.pdf", "раздел 1, мероприятие 1.1, поле «url» (Адрес ссылки)"),
        (Report, REPORT, "https://example.org/order.pdf", "раздел 1, мероприятие 1.1, поле «url» (Адрес ссылки)"),
        (Schools, SCHOOLS, "https://a.example.org/", "школа ШколаА, поле «site» (Официальный сайт)"),
        (SiteConfig, SITE, "https://example.org/", "поле «url» (Адрес сайта)"),
    ],
    ids=["evidence", "report-evidence", "school-site", "parent-site"],
)  # fmt: skip
def test_code_running_urls_are_refused(
    model: type[BaseModel], text: str, old: str, field: str, url: str
) -> None:
    edited = changed(text, old, quoted(url))
    problem = only(model, edited)
    assert problem.message.startswith(f"{field}: адрес со схемой"), problem.message
    assert "запрещён" in problem.message
    assert problem.line == line_of(edited, quoted(url))


@pytest.mark.parametrize(
    ("model", "text", "addition"),
    [
        (Schools, SCHOOLS, "  section_url: javascript:alert(1)\n"),
        (SiteConfig, SITE, "base_url: javascript:alert(1)\n"),
        (Roadmap, ROADMAP.replace("columns:", "  file:\n    url: javascript:alert(1)\ncolumns:", 1), ""),
    ],
    ids=["school-section", "base-url", "approval-file"],
)
def test_other_url_fields_are_checked_too(model: type[BaseModel], text: str, addition: str) -> None:
    if addition.startswith("  section_url"):
        text = changed(
            text, "  site: https://a.example.org/\n", "  site: https://a.example.org/\n" + addition
        )
    else:
        text += addition
    assert "запрещён" in only(model, text).message


@pytest.mark.parametrize(
    "url",
    ["https://example.org/a b", "http://пример.рф/путь", "documents/prikaz.pdf", "mailto:a@example.org"],
)
def test_ordinary_urls_pass(url: str) -> None:
    assert problems(Roadmap, changed(ROADMAP, "https://example.org/protocol.pdf", quoted(url))) == []
