"""Validation of loaded documents against the content schema, with every error in plain Russian at its position."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from site_builder.errors import Problem
from site_builder.loader import Document, Loc

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "str": "текст",
    "int": "целое число",
    "float": "число",
    "bool": "да/нет (true/false)",
    "date": "дата",
    "list": "список",
    "dict": "набор полей «ключ: значение»",
    "NoneType": "пустое значение",
}

_EXPECTED = {
    "string_type": "ожидается текст",
    "int_parsing": "ожидается целое число, например 2022",
    "int_type": "ожидается целое число, например 2022",
    "int_from_float": "ожидается целое число",
    "bool_parsing": "ожидается да или нет: true или false",
    "bool_type": "ожидается да или нет: true или false",
    "date_parsing": "ожидается дата в виде ГГГГ-ММ-ДД, например 2022-01-14",
    "date_from_datetime_parsing": "ожидается дата в виде ГГГГ-ММ-ДД, например 2022-01-14",
    "date_from_datetime_inexact": "ожидается дата без времени, в виде ГГГГ-ММ-ДД",
    "date_type": "ожидается дата в виде ГГГГ-ММ-ДД, например 2022-01-14",
    "list_type": "ожидается список: строки, начинающиеся с «- »",
    "model_type": "ожидается набор полей «ключ: значение»",
    "model_attributes_type": "ожидается набор полей «ключ: значение»",
    "dict_type": "ожидается набор полей «ключ: значение»",
    "string_too_short": "поле не может быть пустым",
    "too_short": "список не может быть пустым",
    "string_pattern_mismatch": "допустимы только строчные латинские буквы, цифры и дефис, например balakhta-2022",
}


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation may hold (through Optional, list, dict, Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is None:
        return [annotation] if isinstance(annotation, type) and issubclass(annotation, BaseModel) else []
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, dict, tuple):
        return [model for arg in typing.get_args(annotation) for model in _unwrap(arg)]
    return []


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that owns the mapping at `loc`."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        candidates = _unwrap(field.annotation)
        current = candidates[0] if candidates else None
    return current


def _field_title(model: type[BaseModel], loc: Loc) -> str:
    names = [part for part in loc if isinstance(part, str)]
    if not names:
        return ""
    owner = _model_at(model, loc[: max(i for i, part in enumerate(loc) if isinstance(part, str))])
    field = owner.model_fields.get(names[-1]) if owner else None
    return field.title if field and field.title else ""


def _context(data: Any, loc: Loc) -> str:
    """A reader's pointer such as «раздел 2, мероприятие 2.14» for errors inside numbered things."""
    labels = {"sections": "раздел", "items": "мероприятие", "schools": "школа"}
    parts: list[str] = []
    node = data
    for index, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        label = labels.get(str(loc[index - 1])) if index else None
        if label and isinstance(node, dict):
            name = node.get("number") or node.get("short_name") or node.get("title")
            position = part + 1 if isinstance(part, int) else part
            parts.append(f"{label} {name}" if isinstance(name, str) else f"{label} № {position}")
    return ", ".join(parts)


def _describe(error: ErrorDetails, model: type[BaseModel]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind == "missing":
        return "не заполнено обязательное поле"
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        known = list(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f" — может быть, имелось в виду «{close[0]}»?" if close else ""
        allowed = f" Допустимые поля: {', '.join(known)}." if known and not close else ""
        return f"неизвестное поле{hint}{allowed}"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "«", 1)
        options = ", ".join(f"«{value}»" for value in typing.get_args(_annotation_at(model, loc)) or ())
        return f"недопустимое значение; допустимые: {options or expected}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        word = "не меньше" if kind == "greater_than_equal" else "не больше"
        return f"значение должно быть {word} {bound}"
    if kind in _EXPECTED:
        expected = _EXPECTED[kind]
        actual = type(error.get("input")).__name__
        if kind.endswith("_type") and actual in _TYPE_NAMES:
            return f"{expected}, а указано: {_TYPE_NAMES[actual]}"
        return expected
    return error["msg"]


def _annotation_at(model: type[BaseModel], loc: Loc) -> Any:
    owner = _model_at(model, loc[:-1])
    field = owner.model_fields.get(str(loc[-1])) if owner else None
    return field.annotation if field else None


def problems_from(error: ValidationError, doc: Document, model: type[BaseModel]) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        loc: Loc = tuple(detail["loc"])
        names = [part for part in loc if isinstance(part, str)]
        title = _field_title(model, loc)
        field_name = f"поле «{names[-1]}»" + (f" ({title})" if title else "") if names else "файл"
        if detail["type"] == "missing":
            where: Loc = loc[:-1]
        else:
            where = loc
        context = _context(doc.data, loc)
        prefix = f"{context}, {field_name}" if context else field_name
        problems.append(
            doc.problem(where, f"{prefix}: {_describe(detail, model)}", key=detail["type"] == "extra_forbidden")
        )
    return problems


def validate(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """The typed content of a document, or None and the problems found."""
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "ожидается набор полей «ключ: значение», а не одиночное значение или список")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as error:
        return None, problems_from(error, doc, model)
