"""The shipped content is a faithful transcription of the seed documents.

Inspectors compare the published roadmap with the signed document, so every text the site shows as the
document's must occur in the source word for word: typos included, nothing "corrected", nothing invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from pydantic import BaseModel

from site_builder.content.models import Item, PageMeta, Person, Roadmap, Schools, SiteConfig
from tests.helpers.sites import REPO

SEEDS = REPO.parent / "shared" / "seeds"


@dataclass(frozen=True)
class Transcription:
    site: Path
    roadmap: str
    seed: str
    numbers: tuple[str, ...]
    sections: int


BALAKHTA = Transcription(
    site=REPO / "content",
    roadmap="balakhta-2022.yaml",
    seed="balakhta-roadmap-2022.txt",
    numbers=(
        *("1.1", "1.2", "1.3", "1.4", "1.5", "1.6"),
        *("2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8.", "2.9", "2.10", "2.14"),
        *("3.1", "3.2", "3.3"),
        *("4.1", "4.2", "4.3", "4.4"),
        *("5.1", "5.2", "5.3", "5.4"),
        *("6.1", "6.2"),
    ),
    sections=6,
)
KALININGRAD = Transcription(
    site=REPO / "examples" / "kaliningrad",
    roadmap="kaliningrad-2023.yaml",
    seed="kaliningrad-roadmap-2023.txt",
    numbers=tuple(f"{n}." for n in range(1, 33)),
    sections=5,
)
M = TypeVar("M", bound=BaseModel)
TRANSCRIPTIONS = [pytest.param(BALAKHTA, id="balakhta"), pytest.param(KALININGRAD, id="kaliningrad")]


def collapse(text: str) -> str:
    return " ".join(text.split())


def load_model(model: type[M], path: Path) -> M:
    return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def split_page(path: Path) -> tuple[dict[str, Any], str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def load_roadmap(transcription: Transcription) -> Roadmap:
    return load_model(Roadmap, transcription.site / "roadmaps" / transcription.roadmap)


def items_of(roadmap: Roadmap) -> dict[str, Item]:
    return {item.number: item for section in roadmap.sections for item in section.items}


def seed_text(name: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not available: {SEEDS} does not exist")
    return (SEEDS / name).read_text(encoding="utf-8")


def transcribed_texts(roadmap: Roadmap) -> Iterator[tuple[str, str]]:
    """Every text the roadmap claims to take from its document, with where it stands."""
    yield "title", roadmap.title
    if roadmap.approval:
        yield "approval.title", roadmap.approval.title
        yield "approval.signer", roadmap.approval.signer.name
    for key, header in roadmap.columns.items():
        yield f"columns.{key}", header
    for checkpoint in roadmap.checkpoints:
        yield f"checkpoint {checkpoint.item}", checkpoint.label
    for section in roadmap.sections:
        yield f"section {section.number}", section.title
        for item in section.items:
            yield f"{item.number} number", item.number
            for field in ("activity", "deadline", "executors", "task", "indicator", "info"):
                yield f"{item.number} {field}", getattr(item, field)
            for index, row in enumerate(item.rows, start=1):
                for field in ("executors", "task", "indicator"):
                    yield f"{item.number} rows[{index}].{field}", getattr(row, field)


def missing_from(source: str, texts: Iterator[tuple[str, str]]) -> list[str]:
    haystack = collapse(source)
    return [f"{where}: {text!r}" for where, text in texts if text and collapse(text) not in haystack]


def page_paragraphs(body: str) -> Iterator[tuple[str, str]]:
    """Paragraphs of a page without the Markdown that only keeps them as written (escaped numbers, bold)."""
    for index, paragraph in enumerate(body.split("\n\n"), start=1):
        yield f"paragraph {index}", paragraph.replace("\\.", ".").replace("**", "")


@pytest.mark.parametrize("transcription", TRANSCRIPTIONS)
def test_every_content_file_matches_the_schema(transcription: Transcription) -> None:
    load_model(SiteConfig, transcription.site / "site.yaml")
    load_model(Schools, transcription.site / "schools.yaml")
    roadmaps = sorted((transcription.site / "roadmaps").glob("*.yaml"))
    assert transcription.site / "roadmaps" / transcription.roadmap in roadmaps
    for path in roadmaps:
        load_model(Roadmap, path)
    pages = sorted((transcription.site / "pages").glob("*.md"))
    assert pages
    for path in pages:
        PageMeta.model_validate(split_page(path)[0])


@pytest.mark.parametrize("transcription", TRANSCRIPTIONS)
def test_all_items_are_there_in_the_documents_order(transcription: Transcription) -> None:
    roadmap = load_roadmap(transcription)
    assert len(roadmap.sections) == transcription.sections
    # A list, not items_of(): a number given twice (the page-break repeats of 5.2, 5.3) must show up here.
    numbers = [item.number for section in roadmap.sections for item in section.items]
    assert tuple(numbers) == transcription.numbers


@pytest.mark.parametrize("transcription", TRANSCRIPTIONS)
def test_every_roadmap_text_occurs_in_the_document_verbatim(transcription: Transcription) -> None:
    source = seed_text(transcription.seed)
    assert missing_from(source, transcribed_texts(load_roadmap(transcription))) == []


@pytest.mark.parametrize("transcription", TRANSCRIPTIONS)
def test_the_orders_text_occurs_in_the_document_verbatim(transcription: Transcription) -> None:
    source = seed_text(transcription.seed)
    for path in sorted((transcription.site / "pages").glob("*.md")):
        assert missing_from(source, page_paragraphs(split_page(path)[1])) == [], path.name


def test_a_one_letter_correction_is_caught() -> None:
    source = seed_text(BALAKHTA.seed)
    faithful = ("1.1 indicator", "100% ОО информировании об участии в проекте «500+»")
    corrected = ("1.1 indicator", "100% ОО информированы об участии в проекте «500+»")
    assert missing_from(source, iter([faithful])) == []
    assert missing_from(source, iter([corrected])) == [f"1.1 indicator: {corrected[1]!r}"]


def test_a_one_letter_change_anywhere_in_the_roadmap_is_caught() -> None:
    source = seed_text(BALAKHTA.seed)
    texts = [(where, text) for where, text in transcribed_texts(load_roadmap(BALAKHTA)) if len(text) > 20]
    changed = [(where, text[:10] + ("а" if text[10] != "а" else "о") + text[11:]) for where, text in texts]
    assert len(missing_from(source, iter(changed))) == len(changed)


def test_balakhta_keeps_the_documents_oddities() -> None:
    items = items_of(load_roadmap(BALAKHTA))
    assert "информировании" in items["1.1"].indicator
    assert "в региональному координатору" in items["1.5"].indicator
    assert items["2.10"].executors.startswith("Методисты УО»,")
    assert items["2.2"].deadline == "18.01.02.2022"
    assert items["2.8."].deadline == "5.12.2022"
    # The first copy of 5.3 breaks off after «даны»; the repeated, complete copy is the one kept.
    assert items["5.3"].indicator.endswith("даны рекомендации по результатам экспертизы")


def test_balakhta_multi_row_items_keep_their_rows_and_executors() -> None:
    items = items_of(load_roadmap(BALAKHTA))
    curators = "Кураторы, закрепленные за общеобразовательными организациями проекта «500+»"
    assert [len(items[number].rows) for number in ("4.1", "4.2", "4.3", "4.4")] == [3, 2, 2, 2]
    assert all(not row.executors for row in items["4.1"].rows)
    for number in ("4.2", "4.3", "4.4"):
        assert [row.executors for row in items[number].rows] == ["", curators]


def test_balakhta_roadmap_header_and_approval() -> None:
    roadmap = load_roadmap(BALAKHTA)
    assert (roadmap.level, roadmap.year) == ("municipal", 2022)
    assert list(roadmap.columns.items()) == [
        ("number", "№№"),
        ("activity", "Мероприятие"),
        ("deadline", "Срок реализации"),
        ("executors", "Исполнители"),
        ("task", "Задачи"),
        ("indicator", "Муниципальный показатель реализации"),
    ]
    approval = roadmap.approval
    assert approval is not None
    assert (approval.kind, approval.number, approval.date and approval.date.isoformat()) == (
        "Приказ",
        "6а",
        "2022-01-14",
    )
    assert approval.signer.name == "К.А. Кузьмин"


def test_balakhta_schools_are_the_four_the_document_names_and_nothing_more() -> None:
    schools = load_model(Schools, BALAKHTA.site / "schools.yaml").schools
    assert [(school.id, school.short_name) for school in schools] == [
        ("bsh1", "БСШ1"),
        ("osh", "ОСШ"),
        ("bsh2", "БСШ2"),
        ("psh", "ПСШ"),
    ]
    assert all(not (school.name or school.site or school.section_url or school.curator) for school in schools)


def test_balakhta_site_invents_no_address() -> None:
    site = load_model(SiteConfig, BALAKHTA.site / "site.yaml")
    assert site.parent_site is None
    assert site.base_url == ""
    assert site.coordinator is not None
    assert site.coordinator == Person(name="Матвиенко А.С.", position="Муниципальный координатор")


def test_kaliningrad_roadmap_header_checkpoints_and_schools() -> None:
    roadmap = load_roadmap(KALININGRAD)
    assert (roadmap.level, roadmap.year) == ("regional", 2023)
    assert all(section.number == "" for section in roadmap.sections)
    assert list(roadmap.columns) == ["number", "activity", "deadline", "executors", "indicator", "info"]
    assert [(c.item, c.date.isoformat(), c.target) for c in roadmap.checkpoints] == [
        ("10.", "2023-06-30", 30),
        ("12.", "2023-11-30", 80),
    ]
    items = items_of(roadmap)
    assert all(items[c.item].info == c.label for c in roadmap.checkpoints)
    assert load_model(Schools, KALININGRAD.site / "schools.yaml").schools == []
