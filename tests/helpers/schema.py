"""The generated JSON Schemas as a third-party validator sees them."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from site_builder.content.schema import SchemaKind, json_schema


def validator(kind: SchemaKind) -> Draft202012Validator:
    return Draft202012Validator(json_schema(kind), format_checker=FormatChecker())


def schema_errors(kind: SchemaKind, data: Any) -> list[str]:
    return [error.message for error in validator(kind).iter_errors(data)]
