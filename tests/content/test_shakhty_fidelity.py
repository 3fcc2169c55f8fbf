"""examples/shakhty/ must be a word-for-word transcription of the real Шахты report (shared/seeds/).

The seed is a tab-separated export of a Word table: a row whose first cell is empty continues the row above
after a page break, and `<p>` fragments only separate paragraphs. Every table text is compared with its seed
cell, so a single changed letter, dropped word or "fixed" URL fails.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from site_builder.content.models import (
    Item,
    Link,
    Person,
    Report,
    ReportItem,
    ReportSection,
    Roadmap,
    Schools,
    Section,
    SiteConfig,
)
from tests.helpers.sites import REPO

SEED_PATH = REPO.parent / "shared" / "seeds" / "shakhty-report-2022-stage2.txt"
EXAMPLE = REPO / "examples" / "shakhty"
ROADMAP_FILE = EXAMPLE / "roadmaps" / "shakhty-2022.yaml"
REPORT_FILE = EXAMPLE / "reports" / "shakhty-2022-2.yaml"

URL = re.compile(r"https?://\S+")
PARAGRAPH_TAG = re.compile(r"</?p>")
SECTION_ROW = re.compile(r"^(\d+\.) (\S.*)$")
HEADER_ROW_START = "№ п/п\t"
ROADMAP_TITLE_START = "Муниципальная дорожная карта проекта"

NUMBERS = [
    ["1.1.", "1.2.", "1.3", "1.4."],
    ["2.1", "2.2"],
    ["3.1.", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"],
    ["4.1", "4.2", "4.3"],
]
PLANNED = {"1.4.", "2.2"}

SeedSection = tuple[str, list[list[str]]]


def _flat(text: str) -> str:
    return " ".join(PARAGRAPH_TAG.sub(" ", text).split())


def _seed_rows(seed: str) -> list[list[str]]:
    """Table rows with page-broken cells joined back with one space; repeated header rows dropped."""
    rows: list[list[str]] = []
    for line in seed.split("\n"):
        if "\t" not in line or line.startswith(HEADER_ROW_START):
            continue
        cells = [_flat(cell) for cell in line.split("\t")]
        if cells[0]:
            rows.append(cells)
            continue
        previous = rows[-1]
        for index, cell in enumerate(cells):
            if cell:
                previous[index] = f"{previous[index]} {cell}".strip()
    return rows


def _seed_sections(seed: str) -> list[SeedSection]:
    sections: list[SeedSection] = []
    for row in _seed_rows(seed):
        if SECTION_ROW.match(row[0]) and not any(row[1:]):
            sections.append((row[0], []))
        else:
            sections[-1][1].append(row)
    return sections


def _seed_narrative(seed: str) -> str:
    lines = seed.split("\n")
    title_at = next(i for i, line in enumerate(lines) if line.startswith("Отчет муниципального координатора"))
    table_at = next(i for i, line in enumerate(lines) if line.startswith(ROADMAP_TITLE_START))
    return _flat("\n".join(lines[title_at + 1 : table_at]))


def _rebuilt_cell(item: ReportItem) -> str:
    """The «Отчетная информация» cell that the report file's rule implies.

    A title repeated from the previous entry stood nowhere in the cell, so it is not written twice.
    """
    parts = [item.result] if item.result else []
    previous_title = ""
    for link in item.evidence:
        if link.title and link.title != previous_title:
            parts.append(link.title)
        if link.url:
            parts.append(link.url)
        previous_title = link.title
    return " ".join(parts)


def _rule_problems(item: ReportItem) -> Iterator[str]:
    if item.result and item.evidence:
        yield f"{item.number}: result и evidence вместе — правило разбора допускает что-то одно"
    if any(not link.url for link in item.evidence[:-1]):
        yield f"{item.number}: строка без ссылки может быть только последней"
    if any(not link.title for link in item.evidence[1:]):
        yield f"{item.number}: пустое название только у первой ссылки, дальше повторяется предыдущее"


def _roadmap_item_problems(item: Item, row: list[str]) -> Iterator[str]:
    for field, cell in zip(("activity", "deadline", "indicator"), row[1:4], strict=True):
        if getattr(item, field) != cell:
            yield f"дорожная карта {item.number}.{field}: {getattr(item, field)!r} != {cell!r}"


def _report_item_problems(item: ReportItem, row: list[str]) -> Iterator[str]:
    yield from _rule_problems(item)
    if _rebuilt_cell(item) != row[4]:
        yield f"отчёт {item.number}: {_rebuilt_cell(item)!r} != {row[4]!r}"


def _table_problems(
    kind: str,
    sections: Sequence[Section | ReportSection],
    seed: str,
    item_problems: Callable[[Any, list[str]], Iterator[str]],
) -> Iterator[str]:
    seed_sections = _seed_sections(seed)
    if len(sections) != len(seed_sections):
        yield f"{kind}: {len(sections)} разделов, в документе {len(seed_sections)}"
    for section, (heading, rows) in zip(sections, seed_sections, strict=False):
        # Section numbers are stored without the document's trailing dot, as in every content file.
        if f"{section.number}. {section.title}" != heading:
            yield f"{kind}: раздел {section.number!r} {section.title!r} != {heading!r}"
        if [item.number for item in section.items] != [row[0] for row in rows]:
            yield f"{kind}: номера в разделе {section.number} не совпадают с документом"
        for item, row in zip(section.items, rows, strict=False):
            yield from item_problems(item, row)


def fidelity_problems(roadmap: Roadmap, report: Report, seed: str) -> list[str]:
    problems = [
        *_table_problems("дорожная карта", roadmap.sections, seed, _roadmap_item_problems),
        *_table_problems("отчёт", report.sections, seed, _report_item_problems),
    ]
    if _flat(report.narrative) != _seed_narrative(seed):
        problems.append("отчёт: текст отчёта (narrative) расходится с документом")
    return problems


def _header(seed: str) -> list[str]:
    return next(line for line in seed.split("\n") if line.startswith(HEADER_ROW_START)).split("\t")


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _evidence(report: Report) -> list[Link]:
    return [link for section in report.sections for item in section.items for link in item.evidence]


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED_PATH.exists():
        pytest.skip(f"нет исходного документа {SEED_PATH}: он лежит вне репозитория, в shared/seeds/")
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def roadmap_data() -> Any:
    return _load(ROADMAP_FILE)


@pytest.fixture(scope="module")
def report_data() -> Any:
    return _load(REPORT_FILE)


@pytest.fixture(scope="module")
def roadmap(roadmap_data: Any) -> Roadmap:
    return Roadmap.model_validate(roadmap_data)


@pytest.fixture(scope="module")
def report(report_data: Any) -> Report:
    return Report.model_validate(report_data)


def test_roadmap_and_report_have_the_documents_23_numbers_in_4_sections(
    roadmap: Roadmap, report: Report
) -> None:
    assert [[item.number for item in section.items] for section in roadmap.sections] == NUMBERS
    assert [[item.number for item in section.items] for section in report.sections] == NUMBERS
    assert sum(len(numbers) for numbers in NUMBERS) == 23


def test_roadmap_and_report_match_the_seed_cell_for_cell(roadmap: Roadmap, report: Report, seed: str) -> None:
    assert fidelity_problems(roadmap, report, seed) == []


def test_roadmap_header_is_the_documents(roadmap: Roadmap, seed: str) -> None:
    assert roadmap.title in seed.split("\n")
    assert (roadmap.level, roadmap.year, roadmap.territory, roadmap.approval) == (
        "municipal",
        2022,
        "г. Шахты",
        None,
    )
    assert list(roadmap.columns.items()) == list(
        zip(("number", "activity", "deadline", "indicator"), _header(seed)[:4], strict=True)
    )


def test_report_header_is_the_documents(report: Report, seed: str) -> None:
    assert report.title in seed.split("\n")
    assert (report.roadmap, report.stage, report.year, report.date) == (
        "shakhty-2022",
        "Второй этап",
        2022,
        None,
    )
    assert report.column == _header(seed)[4]
    assert report.approved_by is not None
    assert report.approved_by == Person(
        name="В.А. Ткаченко", position="И.о. директора Департамента образования г. Шахты"
    )
    # The position stands on two lines of the letterhead.
    assert report.approved_by.position in _flat(seed)


def test_evidence_urls_are_exactly_the_17_urls_of_the_seed(report: Report, seed: str) -> None:
    seed_urls = set(URL.findall(PARAGRAPH_TAG.sub(" ", seed)))
    report_urls = {link.url for link in _evidence(report) if link.url}
    assert report_urls == seed_urls
    assert len(report_urls) == 17
    # The two Drive links a proofreader would "fix" into one: both must stay.
    assert {url for url in report_urls if "1ECCjC-e3QbNL" in url} == {
        "https://drive.google.com/file/d/1ECCjC-e3QbNLJePKfXZgP5CXgkuH7aWq/view?usp=sharing",
        "https://drive.google.com/file/d/1ECCjC-e3QbNLiePKfXZgP5CXgkuH7aWq/view?usp=sharing",
    }


def test_the_evidence_line_without_url_is_kept(report: Report) -> None:
    assert [link.title for link in _evidence(report) if not link.url] == [
        "Отчет куратора МБОУ СОШ №7 г.Шахты Немировой Е.Ю."
    ]


def test_statuses_follow_the_narrative_except_the_planned_seminar(report: Report) -> None:
    statuses = {item.number: item.status for section in report.sections for item in section.items}
    assert statuses == {
        number: "запланировано" if number in PLANNED else "выполнено"
        for numbers in NUMBERS
        for number in numbers
    }


def test_narrative_keeps_the_paragraphs_and_the_list_of_corrections(report: Report) -> None:
    html = markdown.markdown(report.narrative)
    assert html.count("<p>") == 8
    assert html.count("<li>") == 2


def test_site_names_the_department_and_its_coordinator(seed: str) -> None:
    site = SiteConfig.model_validate(_load(EXAMPLE / "site.yaml"))
    flat_seed = _flat(seed)
    assert site.organisation == "Департамент образования г. Шахты"
    assert site.coordinator == Person(name="Стаценко Н.В.", position="муниципальный координатор проекта")
    assert site.coordinator is not None
    for text in (site.organisation, site.territory, site.coordinator.name, site.coordinator.position):
        assert text in flat_seed
    assert (site.base_url, site.parent_site) == ("", None)
    for line in filter(None, (line.strip("* ") for line in site.intro.splitlines())):
        assert line in flat_seed


def test_schools_are_the_two_participants_without_invented_sites(seed: str) -> None:
    schools = Schools.model_validate(_load(EXAMPLE / "schools.yaml")).schools
    assert [(school.short_name, school.curator) for school in schools] == [
        ("МБОУ СОШ №7 г.Шахты", "Немирова Е.Ю."),
        ("МБОУ СОШ №8 г.Шахты", "Попова Н.А."),
    ]
    assert all(school.short_name in seed and not (school.site or school.section_url) for school in schools)


def _replace_once(data: Any, path: tuple[str | int, ...], old: str, new: str) -> Any:
    changed = copy.deepcopy(data)
    holder = changed
    for key in path[:-1]:
        holder = holder[key]
    assert holder[path[-1]].count(old) == 1
    holder[path[-1]] = holder[path[-1]].replace(old, new)
    return changed


@pytest.mark.parametrize(
    ("file", "path", "old", "new"),
    [
        ("report", ("sections", 2, "items", 7, "evidence", 0, "url"), "NLJeP", "NLjeP"),
        ("report", ("sections", 2, "items", 13, "evidence", 0, "url"), "NLieP", "NLJeP"),
        ("report", ("sections", 0, "items", 0, "evidence", 0, "url"), "этап.xlsx", "этaп.xlsx"),
        ("report", ("sections", 0, "items", 1, "evidence", 1, "title"), "Е.Ю.", "Е.Я."),
        ("report", ("sections", 3, "items", 1, "result"), "сроки.", "сроки"),
        (
            "report",
            ("sections", 2, "items", 2, "evidence", 1, "title"),
            "План работы городских методических сообществ на 2022-2023 учебный год",
            "",
        ),
        ("report", ("narrative",), "№672", "№673"),
        ("roadmap", ("sections", 2, "items", 13, "activity"), "заочного", "заочном"),
        ("roadmap", ("sections", 2, "items", 1, "deadline"), "Июнь- Август", "Июнь-Август"),
        ("roadmap", ("sections", 0, "items", 2, "indicator"), "г.Шахты.", "г. Шахты."),
    ],
)
def test_a_one_letter_change_is_caught(
    roadmap_data: Any,
    report_data: Any,
    seed: str,
    file: str,
    path: tuple[str | int, ...],
    old: str,
    new: str,
) -> None:
    if file == "report":
        report_data = _replace_once(report_data, path, old, new)
    else:
        roadmap_data = _replace_once(roadmap_data, path, old, new)
    problems = fidelity_problems(
        Roadmap.model_validate(roadmap_data), Report.model_validate(report_data), seed
    )
    assert problems
