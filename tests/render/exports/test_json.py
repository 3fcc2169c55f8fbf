"""The JSON download: valid against the committed schema, the schema in step with the code and the documentation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from site_builder.model.deadlines import parse_deadline, schedule_to_json
from site_builder.render.exports.json import ExportOut, ScheduleOut, schema_text
from site_builder.render.status import STATUS_KINDS
from tests.helpers.sites import REPO

SCHEMA = REPO / "docs/json-export.schema.json"
DOC = REPO / "docs/json-export.md"


def _load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_committed_schema_is_the_one_the_code_writes() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), (
        "схема изменилась: обновите docs/json-export.schema.json командой\n"
        ".venv/bin/python -c \"from site_builder.render.exports.json import schema_text; print(schema_text(), end='')\" "
        "> docs/json-export.schema.json\nи опишите изменение в docs/json-export.md"
    )


def test_every_schema_field_is_documented() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    doc = DOC.read_text(encoding="utf-8")
    names = set(schema["properties"])
    for definition in schema["$defs"].values():
        names |= set(definition.get("properties", {}))
    assert sorted(name for name in names if f"`{name}`" not in doc) == []
    for kind in STATUS_KINDS:
        assert f"| {kind.word} | `{kind.code}` |" in doc


def test_schedule_json_has_exactly_the_documented_fields() -> None:
    assert set(schedule_to_json(parse_deadline("Март 2022", 2022))) == set(ScheduleOut.model_fields)


@pytest.mark.parametrize(
    ("name", "path"),
    [("content", "roadmaps/balakhta-2022.json"), ("examples/kaliningrad", "roadmaps/kaliningrad-2023.json"),
     ("examples/shakhty", "roadmaps/shakhty-2022.json"), ("examples/shakhty", "reports/shakhty-2022-2.json")],
)  # fmt: skip
def test_downloads_validate_against_the_schema(shipped: dict[str, Path], name: str, path: str) -> None:
    jsonschema.validate(_load(shipped[name] / path), json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("name", "path"),
    [("content", "roadmaps/balakhta-2022.json"), ("examples/shakhty", "roadmaps/shakhty-2022.json"),
     ("examples/shakhty", "reports/shakhty-2022-2.json")],
)  # fmt: skip
def test_downloads_are_what_the_schema_models_write(shipped: dict[str, Path], name: str, path: str) -> None:
    """The export is written from dicts: read back through the models, it must come out byte for byte the same,
    every field in the models' order and none missing or extra."""
    written = (shipped[name] / path).read_bytes()
    model = ExportOut.model_validate_json(written, strict=False)
    assert (model.model_dump_json(indent=2) + "\n").encode("utf-8") == written


def test_roadmap_json_carries_statuses_progress_and_report(shipped: dict[str, Path]) -> None:
    data = _load(shipped["examples/shakhty"] / "roadmaps/shakhty-2022.json")
    assert (data["version"], data["kind"], data["as_of"]) == (1, "roadmap", "2022-12-01")
    assert data["roadmap"]["slug"] == "shakhty-2022" and data["report"] is None
    progress = data["progress"]
    assert (progress["total"], progress["done"], progress["due"], progress["due_done"]) == (23, 21, 13, 13)
    assert (progress["done_percent"], progress["due_percent"]) == (91, 100)
    items = [item for section in data["sections"] for item in section["items"]]
    assert len(items) == 23
    first = items[0]
    assert first["number"] == "1.1." and first["deadline"] == "Август-ноябрь 2022"
    assert first["schedule"]["kind"] == "period" and first["schedule"]["end"] == "2022-11-30"
    assert (first["status"], first["status_code"], first["due"]) == ("выполнено", "done", True)
    assert first["report"]["report"] == "shakhty-2022-2"
    assert first["report"]["evidence"][1] == {"title": "Графики посещения школ кураторами",
                                              "url": "https://disk.yandex.ru/i/Blmt1s8clBuahg"}  # fmt: skip


def test_report_json_has_all_evidence_urls(shipped: dict[str, Path]) -> None:
    data = _load(shipped["examples/shakhty"] / "reports/shakhty-2022-2.json")
    assert data["kind"] == "report" and data["report"]["slug"] == "shakhty-2022-2"
    links = [
        link
        for section in data["sections"]
        for item in section["items"]
        for link in item["report"]["evidence"]
    ]
    assert len({link["url"] for link in links if link["url"]}) == 17
    assert {"title": "Отчет куратора МБОУ СОШ №7 г.Шахты Немировой Е.Ю.", "url": ""} in links


def test_checkpoints_are_exported(shipped: dict[str, Path]) -> None:
    data = _load(shipped["examples/kaliningrad"] / "roadmaps/kaliningrad-2023.json")
    assert [
        (c["date"], c["target"], c["state"], c["percent"], c["measured_on"]) for c in data["checkpoints"]
    ] == [
        ("2023-06-30", 30, "unreported", 0, "2023-06-30"),  # the site has no report: no verdict
        ("2023-11-30", 80, "upcoming", 0, "2023-07-01"),
    ]
