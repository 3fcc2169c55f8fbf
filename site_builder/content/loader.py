"""Reading content files: bytes → text → YAML data with the source position of every value.

The C parser yields events and we build the data ourselves, with an explicit stack rather than recursion (libyaml's
composer overflows the C stack on a few hundred kilobytes of «[[[[…»). That way every scalar stays the text the
editor wrote (`2.10` stays "2.10", not the float 2.1), and anchors, aliases, duplicate keys and foreign tags are
caught with their positions instead of being silently accepted or expanded (no «billion laughs»).
"""

from __future__ import annotations

from collections.abc import Iterable
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


@dataclass
class _Frame:
    """An open collection: `value` is None while a refused subtree is being skipped."""

    loc: Loc
    value: dict[str, Any] | list[Any] | None
    key: str | None = None  # the key whose value comes next; None with expect_value: the value is dropped
    expect_value: bool = False


_EMPTY = object()


class _Builder:
    """Turns the event stream into plain data, recording positions and refusing what content files must not hold."""

    def __init__(self, doc: Document, line_offset: int) -> None:
        self.doc = doc
        self.offset = line_offset
        self.reset()

    def reset(self) -> None:
        """Forget everything built so far, to build the same document again from another parser."""
        self.doc.positions.clear()
        self.doc.keys.clear()
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.root: Any = _EMPTY
        self.nodes = 0
        self.documents = 0
        self.anchors_reported = False

    def _pos(self, event: yaml.Event) -> tuple[int, int]:
        mark = event.start_mark
        return (mark.line + 1 + self.offset, mark.column + 1) if mark else (1 + self.offset, 1)

    def _fail(self, event: yaml.Event, message: str) -> None:
        line, col = self._pos(event)
        self.problems.append(Problem(self.doc.path, line, col, message))

    def run(self, events: Iterable[yaml.Event]) -> Any:
        try:
            for event in events:
                self._event(event)
        except _Stop:
            pass
        return None if self.root is _EMPTY else self.root

    def _event(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._fail(event, "в файле несколько YAML-документов (разделитель «---»), нужен один")
                raise _Stop
        elif isinstance(event, yaml.CollectionEndEvent):
            self.stack.pop()
        elif isinstance(event, yaml.NodeEvent):
            parent = self.stack[-1] if self.stack else None
            if parent is not None and isinstance(parent.value, dict) and not parent.expect_value:
                self._key(parent, event)
            else:
                self._value(parent, event)

    def _key(self, frame: _Frame, event: yaml.NodeEvent) -> None:
        frame.expect_value, frame.key = True, None
        if not isinstance(event, yaml.ScalarEvent):
            self._fail(event, "ключ должен быть простым словом")
            if isinstance(event, yaml.CollectionStartEvent):
                self.stack.append(_Frame(frame.loc, None))
            return
        assert isinstance(frame.value, dict)
        if event.value in frame.value:
            self._fail(event, f"ключ «{visible(event.value)}» повторяется: оставьте одно значение")
            return
        self.doc.keys[(*frame.loc, event.value)] = self._pos(event)
        frame.key = event.value

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

    def _value(self, parent: _Frame | None, event: yaml.NodeEvent) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._fail(event, f"файл слишком велик: больше {MAX_NODES} значений")
            raise _Stop
        loc = self._loc(parent)
        refusal = self._refusal(event)
        if refusal:
            self._fail(event, refusal)
        if loc is not None:
            self.doc.positions[loc] = self._pos(event)
        collection = isinstance(event, yaml.CollectionStartEvent)
        value: Any = None
        if loc is not None and refusal is None:
            if isinstance(event, yaml.MappingStartEvent):
                value = {}
            elif isinstance(event, yaml.SequenceStartEvent):
                value = []
            elif isinstance(event, yaml.ScalarEvent):
                value = self._scalar(event)
        self._attach(parent, value)
        if collection:
            if len(self.stack) >= MAX_DEPTH:
                self._fail(
                    event, f"слишком глубокая вложенность (больше {MAX_DEPTH} уровней) — проверьте отступы"
                )
                raise _Stop
            self.stack.append(_Frame(loc or (), value))

    def _loc(self, parent: _Frame | None) -> Loc | None:
        """Where the next value goes; None when it belongs to something already refused."""
        if parent is None:
            return ()
        if isinstance(parent.value, list):
            return (*parent.loc, len(parent.value))
        if isinstance(parent.value, dict) and parent.key is not None:
            return (*parent.loc, parent.key)
        return None

    @staticmethod
    def _scalar(event: yaml.ScalarEvent) -> str | None:
        plain_null = event.tag is None and event.implicit[0] and event.value in _NULL_WORDS
        return None if plain_null or event.tag == _NULL_TAG else event.value

    def _attach(self, parent: _Frame | None, value: Any) -> None:
        if parent is None:
            self.root = value
        elif isinstance(parent.value, list):
            parent.value.append(value)
        elif isinstance(parent.value, dict):
            if parent.key is not None:
                parent.value[parent.key] = value
            parent.expect_value, parent.key = False, None


def _build(text: str, doc: Document, builder: _Builder) -> None:
    """Build from the C parser. PyYAML ≥ 6.0.4's libyaml looks ahead and stops at its own nesting limit before
    ours is reached; then build again from the pure-Python parser, which emits events lazily, so our limit, with our
    message and position, applies whichever library version is installed."""
    try:
        doc.data = builder.run(yaml.parse(text, Loader=_Loader))
    except yaml.YAMLError as error:
        if "nesting depth" not in str(getattr(error, "problem", "")):
            raise
        builder.reset()
        doc.data = builder.run(yaml.parse(text, Loader=yaml.SafeLoader))


def parse_yaml(text: str, shown: str, *, line_offset: int = 0) -> Document:
    """Parse YAML text into a Document; raises ContentError with every problem found."""
    doc = Document(shown, None)
    builder = _Builder(doc, line_offset)
    try:
        _build(text, doc, builder)
    except yaml.YAMLError as error:
        problem = _yaml_problem(text, shown, error)
        shifted = Problem(problem.path, problem.line + line_offset, problem.col, problem.message)
        raise ContentError([*builder.problems, shifted]) from None
    if builder.root is _EMPTY:
        raise ContentError([Problem(shown, 1 + line_offset, 1, "файл пуст: в нём нет ни одного поля")])
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
