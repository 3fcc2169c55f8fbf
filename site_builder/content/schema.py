"""JSON Schema of every content file kind, generated from the content model, for editors' completion and checks.

VS Code's YAML extension (yaml-language-server) reads these files and completes and validates as the editor types.
It reads YAML 1.2: `2022` is a number there and `2022-01-14` a string, while our loader keeps every scalar as text
and pydantic converts it. The generator therefore widens text fields to accept any scalar and describes dates as
strings, so the editor never sees a complaint that `site-builder check` would not make.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from site_builder.content.models import Report, Roadmap, Schools, SiteConfig
from site_builder.core.atomic import write_atomically

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_SUFFIX = ".schema.json"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
INTEGER_TEXT_PATTERN = r"^\s*[+-]?\d+\s*$"


@dataclass(frozen=True)
class SchemaKind:
    """One kind of content file: its schema file name, model and where such files live in a content folder."""

    name: str
    model: type[BaseModel]
    globs: tuple[str, ...]  # relative to the content folder
    title: str
    description: str

    @property
    def filename(self) -> str:
        return f"{self.name}{SCHEMA_SUFFIX}"


# Adding a kind (the monitoring config, say) is one more line here; the files, VS Code settings and tests follow.
KINDS: tuple[SchemaKind, ...] = (
    SchemaKind("site", SiteConfig, ("site.yaml",), "Настройки раздела (site.yaml)",
               "Название раздела, организация, координатор и текст главной страницы."),
    SchemaKind("roadmap", Roadmap, ("roadmaps/*.yaml", "roadmaps/*.yml"), "Дорожная карта",
               "Одна дорожная карта: утверждающий документ, столбцы таблицы, разделы и мероприятия."),
    SchemaKind("report", Report, ("reports/*.yaml", "reports/*.yml"), "Отчёт о выполнении дорожной карты",
               "Один отчёт: этап, текст, пункты со статусами и ссылками на подтверждающие документы."),
    SchemaKind("schools", Schools, ("schools.yaml",), "Школы — участницы проекта (schools.yaml)",
               "Список школ с кодом, названием, сайтом и куратором."),
)  # fmt: skip

# Titles of the nested models: yaml-language-server names them in hovers and in «expected …» messages.
MODEL_TITLES = {
    "Approval": "Утверждающий документ",
    "Checkpoint": "Контрольная точка",
    "DocumentRule": "Требуемый документ раздела «500+»",
    "HostSettings": "Настройки для одного сайта",
    "ExtraItem": "Дополнительный атрибут itemprop раздела «Сведения»",
    "Downloads": "Файлы для скачивания",
    "Item": "Мероприятие",
    "LinkCheckConfig": "Проверка ссылок",
    "LinkStatus": "Класс ссылки",
    "PhraseKind": "Вид страницы без документа",
    "Link": "Ссылка",
    "MonitoringConfig": "Мониторинг сайтов школ",
    "ParentSite": "Основной сайт",
    "Person": "Человек",
    "ReportItem": "Пункт отчёта",
    "ReportSection": "Раздел отчёта",
    "ScheduleOverride": "Даты вручную",
    "School": "Школа",
    "Section": "Раздел",
    "TaskRow": "Строка задачи",
}


class EditorSchema(GenerateJsonSchema):
    """Pydantic's schema, loosened to what our YAML loader accepts and stripped of developer docstrings."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        # Our loader reads `number: 2.10` as the text "2.10"; the editor's YAML reader sees a number there.
        return {**super().str_schema(schema), "type": ["string", "number"]}

    def int_schema(self, schema: core_schema.IntSchema) -> JsonSchemaValue:
        return {"anyOf": [super().int_schema(schema), {"type": "string", "pattern": INTEGER_TEXT_PATTERN}]}

    def date_schema(self, schema: core_schema.DateSchema) -> JsonSchemaValue:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        result = super().generate(schema, mode)
        for name, definition in result.get("$defs", {}).items():
            definition.pop("description", None)
            definition["title"] = MODEL_TITLES.get(name, name)  # tests insist every title is Russian
        return result


def json_schema(kind: SchemaKind) -> dict[str, Any]:
    generated = kind.model.model_json_schema(schema_generator=EditorSchema)
    generated.pop("description", None)
    return {"$schema": SCHEMA_DIALECT, **generated, "title": kind.title, "description": kind.description}


def render(kind: SchemaKind) -> str:
    """The schema file's text: stable key order and a final newline, so regenerating changes nothing."""
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"


def write_schemas(output: Path) -> list[Path]:
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = output / kind.filename
        write_atomically(path, render(kind))
        written.append(path)
    return written


def kind_named(name: str) -> SchemaKind:
    return next(kind for kind in KINDS if kind.name == name)


def vscode_mapping(schema_dir: str, content_roots: list[str]) -> dict[str, list[str]]:
    """The `yaml.schemas` setting of VS Code: schema file → globs of the files it describes, per content folder."""
    return {
        f"./{schema_dir}/{kind.filename}": [f"{root}/{glob}" for root in content_roots for glob in kind.globs]
        for kind in KINDS
    }


def modeline(kind: SchemaKind, target: Path) -> str | None:
    """The `# yaml-language-server: $schema=…` line for a new file, pointing at the nearest shipped schema.

    The schema is looked for in a `schemas/` folder beside the file or above it (the repository's own, or one a
    content repository made with `site-builder schema`); the path is relative so the line works on every machine.
    """
    folder = target.resolve().parent
    for base in (folder, *folder.parents):
        candidate = base / "schemas" / kind.filename
        if candidate.is_file():
            relative = Path(*[".."] * len(folder.relative_to(base).parts), "schemas", kind.filename)
            return f"# yaml-language-server: $schema={relative.as_posix()}"
    return None
