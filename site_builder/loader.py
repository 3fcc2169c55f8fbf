"""Reading content files: bytes → text → YAML data with the source position of every value.

The C parser builds the node tree; we construct the data ourselves so that every scalar stays the text the editor
wrote (`2.10` stays "2.10", not the float 2.1) and so that aliases, duplicate keys and foreign tags are caught with
their positions instead of being silently accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from site_builder.errors import ContentError, Problem

try:  # The C loader is several times faster; fall back quietly where libyaml is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]
_STANDARD_TAG = "tag:yaml.org,2002:"
_NULL_TAG = "tag:yaml.org,2002:null"
MAX_NODES = 200_000

_YAML_PROBLEMS = {
    "mapping values are not allowed here": (
        "здесь не может стоять «:» — возможно, текст с двоеточием нужно взять в кавычки или неверен отступ"
    ),
    "could not find expected ':'": "после ключа не найдено двоеточие «:» — проверьте отступы и кавычки",
    "did not find expected key": "ожидался ключ «имя: значение» — проверьте отступы",
    "did not find expected '-' indicator": "ожидался элемент списка «- …» — проверьте отступы",
    "found unexpected end of stream": "файл закончился раньше времени — не закрыта кавычка или скобка",
    "found a tab character that violates indentation": "отступ сделан табуляцией — замените её пробелами",
    "found character '\\t' that cannot start any token": "отступ сделан табуляцией — замените её пробелами",
    "found unexpected ':'": "лишнее двоеточие «:» — возьмите текст в кавычки",
    "found undefined alias": "ссылка на неизвестный якорь YAML",
    "expected a single document in the stream": "в файле несколько YAML-документов (разделитель «---»), нужен один",
}


@dataclass
class Document:
    """Data read from one file, with positions: `positions[loc]` is where a value starts, `keys[loc]` its key."""

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The closest known position of `loc`: its key, its value, or the nearest enclosing value."""
        if key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.positions:
                return self.positions[loc[:end]]
        return (1, 1)

    def problem(self, loc: Loc, message: str, *, key: bool = False, warning: bool = False) -> Problem:
        line, col = self.where(loc, key=key)
        return Problem(self.path, line, col, message, warning)


def read_text(path: Path, shown: str) -> str:
    """UTF-8 text of a file (a BOM is allowed); any other encoding is an error that says how to fix it."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        hint = ""
        try:
            raw.decode("cp1251")
            hint = " (похоже на Windows-1251)"
        except UnicodeDecodeError:
            pass
        raise ContentError(
            [
                Problem(
                    shown,
                    line,
                    col,
                    f"файл сохранён не в кодировке UTF-8{hint}. Откройте его в редакторе и сохраните как UTF-8: "
                    "в Блокноте — «Файл → Сохранить как…», поле «Кодировка: UTF-8»",
                )
            ]
        ) from None


def _yaml_problem(shown: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = (getattr(error, "problem", None) or str(error)).strip()
    known = next((text for key, text in _YAML_PROBLEMS.items() if problem.startswith(key)), None)
    return Problem(shown, line, col, f"ошибка синтаксиса YAML: {known or problem}")


class _Builder:
    """Turns a node tree into plain data, recording positions and refusing what content files must not hold."""

    def __init__(self, doc: Document, line_offset: int) -> None:
        self.doc = doc
        self.offset = line_offset
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def _pos(self, node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def _fail(self, node: yaml.Node, message: str) -> None:
        line, col = self._pos(node)
        self.problems.append(Problem(self.doc.path, line, col, message))

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        if id(node) in self.seen:
            self._fail(node, "якоря и ссылки YAML («&имя», «*имя») не поддерживаются: запишите значение полностью")
            return None
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            self._fail(node, f"файл слишком велик: больше {MAX_NODES} значений")
            return None
        self.doc.positions[loc] = self._pos(node)
        if not node.tag.startswith(_STANDARD_TAG):
            self._fail(node, f"тег YAML «{node.tag}» не поддерживается")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*loc, index)) for index, child in enumerate(node.value)]
        if node.tag == _NULL_TAG:
            return None
        return node.value

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, "ключ должен быть простым словом")
                continue
            key = key_node.value
            if key in result:
                self._fail(key_node, f"ключ «{key}» повторяется: оставьте одно значение")
                continue
            self.doc.keys[(*loc, key)] = self._pos(key_node)
            result[key] = self.build(value_node, (*loc, key))
        return result


def parse_yaml(text: str, shown: str, *, line_offset: int = 0) -> Document:
    """Parse YAML text into a Document; raises ContentError with every problem found."""
    doc = Document(shown, None)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        problem = _yaml_problem(shown, error)
        raise ContentError([Problem(problem.path, problem.line + line_offset, problem.col, problem.message)]) from None
    if node is None:
        raise ContentError([Problem(shown, 1 + line_offset, 1, "файл пуст: в нём нет ни одного поля")])
    builder = _Builder(doc, line_offset)
    doc.data = builder.build(node, ())
    if builder.problems:
        raise ContentError(builder.problems)
    return doc


def load_yaml(path: Path, shown: str) -> Document:
    return parse_yaml(read_text(path, shown), shown)


@dataclass
class MarkdownSource:
    meta: Document
    body: str
    body_line: int  # line of the file where the body starts


def load_markdown(path: Path, shown: str) -> MarkdownSource:
    """A Markdown page: YAML front matter between `---` lines, then the body."""
    text = read_text(path, shown)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError(
            [Problem(shown, 1, 1, "страница должна начинаться с блока «---», в котором указан как минимум title")]
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            meta = parse_yaml("".join(lines[1:index]), shown, line_offset=1)
            return MarkdownSource(meta, "".join(lines[index + 1 :]), index + 2)
    raise ContentError([Problem(shown, 1, 1, "блок «---» в начале страницы не закрыт второй строкой «---»")])
