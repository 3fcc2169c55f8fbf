"""Reading content files: bytes → text → YAML data with the source position of every value.

The C parser yields events and we build the data ourselves, with an explicit stack rather than recursion (libyaml's
composer overflows the C stack on a few hundred kilobytes of «[[[[…»). That way every scalar stays the text the
editor wrote (`2.10` stays "2.10", not the float 2.1), and anchors, aliases, duplicate keys and foreign tags are
caught with their positions instead of being silently accepted or expanded (no «billion laughs»).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from site_builder.core.errors import ContentError, Problem, visible
from site_builder.core.safefiles import read_file

try:  # The C loader is several times faster; fall back quietly where libyaml is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]
_NULL_TAG = "tag:yaml.org,2002:null"
# Core schema tags only: «!!python/object:…» also starts with the standard prefix.
_ALLOWED_TAGS = {
    None,  # untagged
    "!",  # quoted scalars in the pure-Python parser
    *(
        f"tag:yaml.org,2002:{name}"
        for name in ("str", "null", "bool", "int", "float", "timestamp", "seq", "map")
    ),
}
_NULL_WORDS = {"", "~", "null", "Null", "NULL"}
MAX_NODES = 200_000
MAX_DEPTH = 50  # content files nest about eight levels deep

_TAB = "отступ сделан табуляцией — замените её пробелами"
_YAML_PROBLEMS = {
    "mapping values are not allowed": (
        "здесь не может стоять «:» — возможно, текст с двоеточием нужно взять в кавычки или неверен отступ"
    ),
    "could not find expected ':'": "после ключа не найдено двоеточие «:» — проверьте отступы и кавычки",
    "did not find expected key": "ожидался ключ «имя: значение» — проверьте отступы",
    "did not find expected '-' indicator": "ожидался элемент списка «- …» — проверьте отступы",
    "did not find expected node content": "ожидалось значение — проверьте отступы, кавычки и скобки",
    "did not find expected ',' or ']'": "список в скобках «[…]», начатый здесь, не закрыт или в нём пропущена запятая",
    "did not find expected ',' or '}'": "набор в скобках «{…}», начатый здесь, не закрыт или в нём пропущена запятая",
    "did not find expected <document start>": "лишний текст после конца данных — проверьте отступы и строки «...»",
    "block sequence entries are not allowed": "элемент списка «- » стоит не на своём месте — проверьте отступы",
    "mapping keys are not allowed": "ключ стоит не на своём месте — проверьте отступы",
    "found unexpected end of stream": "кавычка, открытая здесь, не закрыта до конца файла",
    "found unexpected document indicator": "кавычка, открытая здесь, не закрыта до строки «---» или «...»",
    "found a tab character": _TAB,
    "found character '\\t' that cannot start any token": _TAB,
    "found unexpected ':'": "лишнее двоеточие «:» — возьмите текст в кавычки",
    "found unknown escape character": (
        "в тексте в двойных кавычках неизвестное сочетание с «\\» — возьмите текст в одинарные кавычки "
        "или удвойте «\\»"
    ),
    "did not find expected alphabetic or numeric character": (
        "после «&», «*» или «!» ожидалось имя — если это обычный текст, возьмите его в кавычки"
    ),
}
# Errors about something left open are clearer at the place it was opened than where the file ran out.
_AT_OPENING = (
    "found unexpected end of stream",
    "found unexpected document indicator",
    "did not find expected ','",
)


@dataclass
class Document:
    """Data read from one file, with the position of every value and of every mapping key.

    The positions are packed, a few bytes a value instead of a dict of tuples (a loaded national site holds
    thousands of files): node i is the i-th value in file order (the root is node 0), and each of `starts`,
    `key_starts`, `ends` and `names` holds one entry per node. A position is `line << 32 | column`; a key
    position is 0 for a value that is no mapping's; `ends[i]` is one past the last node inside node i; `names[i]`
    is the key of node i, None for list elements and the root. `data` is None once the file is validated: the
    model holds the content, the document only where it came from.
    """

    path: str
    data: Any
    starts: array[int] = field(default_factory=lambda: array("Q"))
    key_starts: array[int] = field(default_factory=lambda: array("Q"))
    ends: array[int] = field(default_factory=lambda: array("I"))
    names: tuple[str | None, ...] = ()
    # The element nodes of the lists asked about by index: schools.yaml lists thousands of schools.
    _elements: dict[int, list[int]] = field(default_factory=dict, repr=False, compare=False)

    def _reach(self, loc: Loc) -> tuple[int, int]:
        """(the deepest node on the path of `loc`, how many parts of `loc` lead to it); (-1, 0) without nodes."""
        ends, names = self.ends, self.names
        if not ends:
            return -1, 0
        node = 0
        for depth, part in enumerate(loc):
            child, end = node + 1, ends[node]
            if isinstance(part, str):
                while child < end and names[child] != part:
                    child = ends[child]
            elif child < end and names[child] is None and part >= 0:  # the elements of a list
                elements = self._list(node)
                child = elements[part] if part < len(elements) else end
            else:
                child = end
            if child >= end:
                return node, depth
            node = child
        return node, len(loc)

    def _list(self, node: int) -> list[int]:
        elements = self._elements.get(node)
        if elements is None:
            ends, child, end = self.ends, node + 1, self.ends[node]
            elements = self._elements[node] = []
            while child < end:
                elements.append(child)
                child = ends[child]
        return elements

    def __contains__(self, loc: Loc) -> bool:
        """Whether the file holds a value at `loc`."""
        return self._reach(loc)[1] == len(loc)

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The closest known position of `loc`: its key, its value, or the nearest enclosing value."""
        node, depth = self._reach(loc)
        if node < 0:
            return (1, 1)
        packed = self.key_starts[node] if key and depth == len(loc) else 0
        packed = packed or self.starts[node]
        return packed >> 32, packed & 0xFFFFFFFF

    def problem(self, loc: Loc, message: str, *, key: bool = False, warning: bool = False) -> Problem:
        line, col = self.where(loc, key=key)
        return Problem(self.path, line, col, message, warning)


def placed(path: str, data: Any, positions: dict[Loc, tuple[int, int]]) -> Document:
    """A document of data a program made (the importer), at `positions`: a value not among them is placed where
    its nearest enclosing one is, as `Document.where` would place it."""
    starts: list[int] = []
    ends: list[int] = []
    names: list[str | None] = []

    def visit(value: Any, loc: Loc, name: str | None, enclosing: int) -> None:  # program-made data is shallow
        node, at = len(starts), positions.get(loc)
        packed = at[0] << 32 | at[1] if at else enclosing
        starts.append(packed)
        names.append(name)
        ends.append(node + 1)
        if isinstance(value, dict):
            for key, child in value.items():
                visit(child, (*loc, key), key, packed)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                visit(child, (*loc, index), None, packed)
        ends[node] = len(starts)

    visit(data, (), None, 1 << 32 | 1)
    return Document(
        path, data, array("Q", starts), array("Q", [0]) * len(starts), array("I", ends), tuple(names)
    )


_RESAVE = (
    "Откройте его в редакторе и сохраните как UTF-8: "
    "в Блокноте — «Файл → Сохранить как…», поле «Кодировка: UTF-8»"
)


def _utf16_without_bom(raw: bytes) -> bool:
    """Text files never hold NUL bytes; UTF-16 has one in every other byte of Latin text, which YAML keys are."""
    if b"\0" not in raw or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if all(char.isprintable() or char in "\r\n\t" for char in text):
            return True
    return False


def read_text(path: Path, shown: str) -> str:
    """UTF-8 text of a file (a BOM is allowed); any other encoding is an error that says how to fix it."""
    raw = read_file(path, shown)
    if _utf16_without_bom(raw):
        raise ContentError(
            [Problem(shown, 1, 1, f"файл сохранён в кодировке UTF-16 без метки BOM. {_RESAVE}")]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        hint = ""
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = " (похоже на UTF-16 — в Блокноте она называется «Юникод»)"
        else:
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
                    f"файл сохранён не в кодировке UTF-8{hint}. {_RESAVE}",
                )
            ]
        ) from None


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n")
    return lines[line][col] if line < len(lines) and col < len(lines[line]) else ""


def _yaml_problem(text: str, shown: str, error: yaml.YAMLError) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position)
        col = error.position - (text.rfind("\n", 0, error.position) + 1)
        code = error.character if isinstance(error.character, int) else ord(error.character)
        return Problem(
            shown, line + 1, col + 1, f"недопустимый управляющий символ (код U+{code:04X}) — удалите его"
        )
    problem = (getattr(error, "problem", None) or str(error)).strip()
    opened = problem.startswith(_AT_OPENING) and getattr(error, "context_mark", None) is not None
    mark = getattr(error, "context_mark" if opened else "problem_mark", None)
    line, col = (mark.line, mark.column) if mark is not None else (0, 0)
    known = next((text for key, text in _YAML_PROBLEMS.items() if problem.startswith(key)), None)
    if problem == "found character that cannot start any token":
        char = _char_at(text, line, col)
        known = _TAB if char == "\t" else f"значение не может начинаться с «{char}» — возьмите его в кавычки"
    message = known or f"проверьте отступы, кавычки и двоеточия (парсер YAML сообщает: {problem})"
    return Problem(shown, line + 1, col + 1, f"ошибка синтаксиса YAML: {message}")


class _Stop(Exception):
    """Building cannot sensibly go on; the reason is already among the problems."""


class _Frame:
    """An open collection: `value` is None while a refused subtree is being skipped."""

    __slots__ = ("value", "node", "keyed", "key", "key_at", "expect_value")

    def __init__(self, value: dict[str, Any] | list[Any] | None, node: int) -> None:
        self.value: Any = value
        self.node = node  # its index among the document's nodes; -1 when it is not recorded
        self.keyed = isinstance(value, dict)
        self.key: str | None = (
            None  # the key whose value comes next; None with expect_value: the value is dropped
        )
        self.key_at = 0
        self.expect_value = False


_EMPTY = object()
_SCALAR, _MAPPING, _SEQUENCE, _ALIAS = (
    yaml.ScalarEvent,
    yaml.MappingStartEvent,
    yaml.SequenceStartEvent,
    yaml.AliasEvent,
)
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Builder:
    """Turns the event stream into plain data, recording positions and refusing what content files must not hold.

    One loop handles every event, with no call per event beyond the parser's own: a roadmap is some thousand
    events and a national site some million.
    """

    def __init__(self, path: str, line_offset: int) -> None:
        self.path = path
        self.offset = line_offset
        self.reset()

    def reset(self) -> None:
        """Forget everything built so far, to build the same document again from another parser."""
        self.problems: list[Problem] = []
        self.root: Any = _EMPTY
        self.starts: list[int] = []
        self.key_starts: list[int] = []
        self.ends: list[int] = []
        self.names: list[str | None] = []
        self.nodes = 0
        self.documents = 0
        self.anchors_reported = False

    def document(self, path: str) -> Document:
        return Document(
            path,
            None if self.root is _EMPTY else self.root,
            array("Q", self.starts),
            array("Q", self.key_starts),
            array("I", self.ends),
            tuple(self.names),
        )

    def _fail(self, event: yaml.Event, message: str) -> None:
        mark = event.start_mark
        line, col = (mark.line + 1 + self.offset, mark.column + 1) if mark else (1 + self.offset, 1)
        self.problems.append(Problem(self.path, line, col, message))

    def run(self, parser: Any) -> None:
        """Build from `parser` (a PyYAML loader object) to the end of its stream or the first fatal problem."""
        try:
            self._loop(parser.get_event)
        except _Stop:
            pass
        finally:
            parser.dispose()

    def _loop(self, next_event: Callable[[], Any]) -> None:
        stack: list[_Frame] = []
        starts, key_starts, ends, names = self.starts, self.key_starts, self.ends, self.names
        offset = self.offset + 1
        while True:
            event = next_event()
            kind = type(event)
            if kind is _SCALAR or kind is _MAPPING or kind is _SEQUENCE or kind is _ALIAS:
                parent = stack[-1] if stack else None
                if parent is not None and parent.keyed and not parent.expect_value:
                    self._key(parent, event, stack)
                    continue
                self.nodes += 1
                if self.nodes > MAX_NODES:
                    self._fail(event, f"файл слишком велик: больше {MAX_NODES} значений")
                    raise _Stop
                # Where the value goes: the root, a list element, a mapping's value, or nowhere (refused).
                node = len(starts)
                if parent is None or parent.value is None:
                    recorded, name, key_at = parent is None, None, 0
                elif parent.keyed:
                    recorded, name, key_at = parent.key is not None, parent.key, parent.key_at
                else:
                    recorded, name, key_at = True, None, 0
                refusal = (
                    None if event.anchor is None and event.tag in _ALLOWED_TAGS else self._refusal(event)
                )
                if refusal:
                    self._fail(event, refusal)
                value: Any = None
                if recorded:
                    mark = event.start_mark
                    starts.append((mark.line + offset) << 32 | (mark.column + 1))
                    key_starts.append(key_at)
                    names.append(name)
                    ends.append(node + 1)
                    if refusal is None:
                        if kind is _SCALAR:
                            tag = event.tag
                            plain_null = tag is None and event.implicit[0] and event.value in _NULL_WORDS
                            value = None if plain_null or tag == _NULL_TAG else event.value
                        else:
                            value = {} if kind is _MAPPING else []
                if parent is None:
                    self.root = value
                elif parent.keyed:
                    if parent.key is not None:
                        parent.value[parent.key] = value
                    parent.expect_value, parent.key = False, None
                elif parent.value is not None:
                    parent.value.append(value)
                if kind is _MAPPING or kind is _SEQUENCE:
                    if len(stack) >= MAX_DEPTH:
                        self._fail(
                            event,
                            f"слишком глубокая вложенность (больше {MAX_DEPTH} уровней) — проверьте отступы",
                        )
                        raise _Stop
                    stack.append(_Frame(value, node if recorded else -1))
            elif kind in _COLLECTION_END:
                frame = stack.pop()
                if frame.node >= 0:
                    ends[frame.node] = len(starts)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    self._fail(event, "в файле несколько YAML-документов (разделитель «---»), нужен один")
                    raise _Stop
            elif kind is yaml.StreamEndEvent:
                return

    def _key(self, frame: _Frame, event: Any, stack: list[_Frame]) -> None:
        frame.expect_value, frame.key = True, None
        if type(event) is not _SCALAR:
            self._fail(event, "ключ должен быть простым словом")
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append(_Frame(None, -1))
            return
        assert isinstance(frame.value, dict)
        if event.value in frame.value:
            self._fail(event, f"ключ «{visible(event.value)}» повторяется: оставьте одно значение")
            return
        mark: Any = event.start_mark  # both parsers mark every event
        # Interned: the same few dozen keys repeat in every item of every file, and `names` keeps them.
        frame.key = sys.intern(event.value)
        frame.key_at = (mark.line + 1 + self.offset) << 32 | (mark.column + 1)

    def _refusal(self, event: yaml.NodeEvent) -> str | None:
        if event.anchor is not None or isinstance(event, yaml.AliasEvent):
            if self.anchors_reported:
                return ""
            self.anchors_reported = True
            return "якоря и ссылки YAML («&имя», «*имя») не поддерживаются: запишите значение полностью"
        tag: str | None = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
            return (
                f"тег YAML «{shown}» не поддерживается: уберите его, значения записываются как обычный текст"
            )
        return None


def _build(text: str, builder: _Builder) -> None:
    """Build from the C parser. PyYAML ≥ 6.0.4's libyaml looks ahead and stops at its own nesting limit before
    ours is reached; then build again from the pure-Python parser, which emits events lazily, so our limit, with our
    message and position, applies whichever library version is installed."""
    try:
        builder.run(_Loader(text))
    except yaml.YAMLError as error:
        if "nesting depth" not in str(getattr(error, "problem", "")):
            raise
        builder.reset()
        builder.run(yaml.SafeLoader(text))


def parse_yaml(text: str, shown: str, *, line_offset: int = 0) -> Document:
    """Parse YAML text into a Document; raises ContentError with every problem found."""
    builder = _Builder(shown, line_offset)
    try:
        _build(text, builder)
    except yaml.YAMLError as error:
        problem = _yaml_problem(text, shown, error)
        shifted = Problem(problem.path, problem.line + line_offset, problem.col, problem.message)
        raise ContentError([*builder.problems, shifted]) from None
    if builder.root is _EMPTY:
        raise ContentError([Problem(shown, 1 + line_offset, 1, "файл пуст: в нём нет ни одного поля")])
    if builder.problems:
        raise ContentError(builder.problems)
    return builder.document(shown)


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
            [
                Problem(
                    shown,
                    1,
                    1,
                    "страница должна начинаться с блока «---», в котором указан как минимум title",
                )
            ]
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            meta = parse_yaml("".join(lines[1:index]), shown, line_offset=1)
            return MarkdownSource(meta, "".join(lines[index + 1 :]), index + 2)
    raise ContentError([Problem(shown, 1, 1, "блок «---» в начале страницы не закрыт второй строкой «---»")])
