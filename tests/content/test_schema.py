"""The JSON Schemas editors get: shipped equal to generated, Russian texts for every field, and they accept every
real content file (read as VS Code's YAML extension reads it) while rejecting what `check` rejects."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from site_builder.cli import main
from site_builder.content.loader import parse_yaml
from site_builder.content.schema import (
    KINDS,
    SchemaKind,
    json_schema,
    kind_named,
    modeline,
    render,
    vscode_mapping,
)
from site_builder.content.validate import validate
from tests.helpers.schema import schema_errors
from tests.helpers.sites import REPO
from tests.helpers.yaml12 import load_file12, load_yaml12

CONTENT_ROOTS = ["content", "examples/*", "tests/fixtures/sites/*"]
# Real content, plus the known-good synthetic fixture; other fixture folders may be broken on purpose.
CHECKED_ROOTS = ["content", "examples/*", "tests/fixtures/sites/minimal"]
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def test_shipped_schemas_are_the_generated_ones() -> None:
    shipped = sorted(path.name for path in (REPO / "schemas").glob("*.json"))
    assert shipped == sorted(kind.filename for kind in KINDS)
    for kind in KINDS:
        assert (REPO / "schemas" / kind.filename).read_text(encoding="utf-8") == render(kind), (
            f"schemas/{kind.filename} is stale: run `site-builder schema`"
        )


def test_schema_command_writes_every_kind(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for kind in KINDS:
        assert (tmp_path / "out" / kind.filename).read_text(encoding="utf-8") == render(kind)
        Draft202012Validator.check_schema(json.loads(render(kind)))


def test_vscode_settings_map_every_kind_to_its_files() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == vscode_mapping("schemas", CONTENT_ROOTS)
    for schema_path in settings["yaml.schemas"]:
        assert (REPO / schema_path).is_file()


def _properties(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            yield f"{where}.{name}", prop
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{where}[{index}]")


def _is_free_scalar(prop: dict[str, Any]) -> bool:
    """A text, number or date field the editor types freely (not a choice from a list, not a nested object)."""
    options = prop.get("anyOf", [prop])
    return not any(
        "$ref" in o or "enum" in o or "const" in o or o.get("type") in ("object", "array") for o in options
    )


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_field_has_a_russian_title_description_and_examples(kind: SchemaKind) -> None:
    schema = json_schema(kind)
    assert CYRILLIC.search(schema["title"]) and CYRILLIC.search(schema["description"])
    for name, definition in schema.get("$defs", {}).items():
        assert CYRILLIC.search(definition["title"]), name
        assert "description" not in definition or CYRILLIC.search(definition["description"]), name
    properties = list(_properties(schema, kind.name))
    assert properties
    for where, prop in properties:
        assert CYRILLIC.search(prop.get("title", "")), f"{where}: no Russian title"
        assert CYRILLIC.search(prop.get("description", "")), f"{where}: no Russian description"
        if _is_free_scalar(prop):
            assert prop.get("examples"), f"{where}: no examples"


def _content_files() -> Iterator[tuple[SchemaKind, Path]]:
    for kind in KINDS:
        for root in CHECKED_ROOTS:
            for glob in kind.globs:
                for path in sorted(REPO.glob(f"{root}/{glob}")):
                    yield kind, path


CONTENT_FILES = list(_content_files())


def test_every_kind_has_real_files_to_check() -> None:
    assert {kind.name for kind, _ in CONTENT_FILES} == {kind.name for kind in KINDS}


@pytest.mark.parametrize(
    ("kind", "path"), CONTENT_FILES, ids=[path.relative_to(REPO).as_posix() for _, path in CONTENT_FILES]
)
def test_shipped_content_satisfies_its_schema(kind: SchemaKind, path: Path) -> None:
    assert schema_errors(kind, load_file12(path)) == []


ROADMAP = """\
title: Карта
level: municipal
year: 2022
sections:
- title: Раздел
  items:
  - number: {number}
    activity: Мероприятие
    deadline: {deadline}
"""


@pytest.mark.parametrize(
    ("number", "deadline", "year"),
    [("2.10", "2022-03-01", "2022"), ("1", "Январь 2022", "'2022'"), ("'1.1.'", "'2022'", "2022")],
)
def test_what_editors_write_unquoted_is_accepted_by_both(number: str, deadline: str, year: str) -> None:
    text = ROADMAP.format(number=number, deadline=deadline).replace("year: 2022", f"year: {year}")
    assert schema_errors(kind_named("roadmap"), load_yaml12(text)) == []
    assert validate(parse_yaml(text, "x.yaml"), kind_named("roadmap").model)[1] == []


@pytest.mark.parametrize(
    ("kind_name", "text"),
    [
        ("roadmap", ROADMAP.format(number="1", deadline="Май") + "    executor: Опечатка в имени поля\n"),
        (
            "roadmap",
            ROADMAP.format(number="1", deadline="Май").replace("level: municipal", "level: городской"),
        ),
        ("roadmap", ROADMAP.format(number="1", deadline="Май").replace("title: Карта\n", "")),
        ("roadmap", ROADMAP.format(number="1", deadline="Май") + "slug: Карта-2022\n"),
        (
            "roadmap",
            ROADMAP.format(number="1", deadline="Май") + "approval: {kind: Приказ, date: 14.01.2022}\n",
        ),
        ("roadmap", ROADMAP.format(number="1", deadline="Май").replace("year: 2022", "year: две тысячи")),
        ("report", "title: Отчёт\nsections:\n- title: Р\n  items:\n  - number: '1'\n    status: сделано\n"),
        ("schools", "schools:\n- id: a\n"),
        ("site", "title: Раздел\n"),
    ],
)
def test_what_check_rejects_the_schema_rejects(kind_name: str, text: str) -> None:
    kind = kind_named(kind_name)
    assert validate(parse_yaml(text, "x.yaml"), kind.model)[1]
    assert schema_errors(kind, load_yaml12(text))


def test_modeline_points_at_the_nearest_schemas_folder(tmp_path: Path) -> None:
    target = tmp_path / "repo" / "content" / "roadmaps" / "new.yaml"
    target.parent.mkdir(parents=True)
    assert modeline(kind_named("roadmap"), target) is None
    (tmp_path / "repo" / "schemas").mkdir()
    (tmp_path / "repo" / "schemas" / "roadmap.schema.json").write_text("{}", encoding="utf-8")
    assert modeline(kind_named("roadmap"), target) == (
        "# yaml-language-server: $schema=../../schemas/roadmap.schema.json"
    )
