"""Validation of loaded documents against the content schema, with every error in plain Russian at its position."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from site_builder.content.loader import Document, Loc
from site_builder.core.errors import Problem, visible

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


_LABELS = {"sections": "раздел", "items": "мероприятие", "schools": "школа"}


def _node_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _context(data: Any, loc: Loc) -> str:
    """A reader's pointer such as «раздел 2, мероприятие 2.14» for errors inside numbered things."""
    parts: list[str] = []
    node = data
    for index, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        label = _LABELS.get(str(loc[index - 1])) if index else None
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
        if close:
            return f"неизвестное поле — может быть, имелось в виду «{close[0]}»?"
        return f"неизвестное поле. Допустимые поля: {', '.join(known)}." if known else "неизвестное поле"
    if kind in ("literal_error", "enum"):
        # pydantic lists the choices as "'a', 'b' or 'c'".
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"недопустимое значение; допустимые: {', '.join(f'«{value}»' for value in options)}"
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


def _field_label(model: type[BaseModel], loc: Loc, data: Any) -> str:
    """«поле «x» (title)» for the value at `loc`; list elements by position, unless the context names them."""
    if not loc:
        return ""
    if isinstance(loc[-1], int):
        label = _LABELS.get(str(loc[-2])) if len(loc) > 1 else None
        if label is None:
            return f"{_field_label(model, loc[:-1], data)}, элемент № {loc[-1] + 1}"
        return "" if isinstance(_node_at(data, loc), dict) else f"{label} № {loc[-1] + 1}"
    title = _field_title(model, loc)
    return f"поле «{visible(str(loc[-1]))}»" + (f" ({title})" if title else "")


def problems_from(error: ValidationError, doc: Document, model: type[BaseModel]) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        loc: Loc = tuple(detail["loc"])
        # A bad key of a dict field (an unknown column name) comes as (..., field, key, "[key]").
        bad_key = bool(loc) and loc[-1] == "[key]"
        if bad_key:
            loc = loc[:-1]
            label = f"{_field_label(model, loc[:-1], doc.data)}, ключ «{visible(str(loc[-1]))}»"
        else:
            label = _field_label(model, loc, doc.data)
        where = loc[:-1] if detail["type"] == "missing" else loc
        prefix = ", ".join(part for part in (_context(doc.data, loc), label) if part) or "файл"
        at_key = bad_key or detail["type"] == "extra_forbidden"
        problems.append(doc.problem(where, f"{prefix}: {_describe(detail, model)}", key=at_key))
    return problems


def validate(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """The typed content of a document, or None and the problems found."""
    if not isinstance(doc.data, dict):
        return None, [
            doc.problem((), "ожидается набор полей «ключ: значение», а не одиночное значение или список")
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as error:
        return None, problems_from(error, doc, model)
