"""Understanding a roadmap table: which column is which, section rows, items with their continuation rows, repeats.

Documents differ in their headers («Мероприятие» / «Описание действия»), number sections in a row of their own
or in a paragraph between tables, continue an item in rows with an empty number cell, cut rows at page breaks
and sometimes print a row twice. Everything found here is kept; whatever cannot be placed is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from site_builder.content.models import ColumnKey, item_key
from site_builder.importer.cells import collapse
from site_builder.importer.findings import Findings
from site_builder.importer.tables import Block, Paragraph, Row, Table

ENTRY_KEYS: tuple[ColumnKey, ...] = ("activity", "deadline", "executors", "info", "evidence")
LINE_KEYS: tuple[ColumnKey, ...] = ("task", "indicator")
# First match wins: «Отчетная информация» is evidence before «информационн» could make it info.
_COLUMN_WORDS: tuple[tuple[ColumnKey, tuple[str, ...]], ...] = (
    ("indicator", ("показател", "ожидаем")),
    ("evidence", ("отчетн", "отчётн", "подтвержд", "ссылк")),
    ("info", ("информационн",)),
    ("executors", ("исполнител", "ответственн")),
    ("deadline", ("срок", "дата", "период")),
    ("task", ("задач",)),
    ("activity", ("мероприят", "описани", "действи", "наименовани", "содержани")),
)
_NUMBER_HEADERS = ("п/п", "пп", "номер")
_MIN_KNOWN_COLUMNS = 3
_SECTION = re.compile(r"^(\d+(?:\.\d+)*\.?|[IVXLC]+\.)\s+(\S.*)$")
_BARE_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?$")
_PAGE_ARTIFACT = re.compile(r"^(?:\d+|продолжение.*|окончание.*)$", re.IGNORECASE)
DEFAULT_SECTION = "Мероприятия"


@dataclass
class TaskLine:
    """A task with its indicator; `executors` only when the row names its own (Балахта 4.2, curators)."""

    task: str = ""
    indicator: str = ""
    executors: str = ""

    def texts(self) -> list[str]:
        return [self.task, self.indicator, self.executors]


@dataclass
class Entry:
    """One numbered activity with everything its rows hold."""

    number: str
    line: int
    fields: dict[ColumnKey, str]
    lines: list[TaskLine] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [self.fields.get(key, "") for key in ENTRY_KEYS] + [
            t for line in self.lines for t in line.texts()
        ]


@dataclass
class Group:
    """A section of the table: a row holding only its title, or a paragraph between tables."""

    number: str
    title: str
    line: int
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Layout:
    columns: dict[ColumnKey, str]
    groups: list[Group]
    header_line: int

    def entries(self) -> Iterator[Entry]:
        for group in self.groups:
            yield from group.entries


def _is_number_header(text: str) -> bool:
    lowered = text.lower().strip(" .")
    return "№" in text or lowered in _NUMBER_HEADERS


def _column_key(text: str) -> ColumnKey | None:
    if _is_number_header(text):
        return "number"
    lowered = text.lower()
    return next((key for key, words in _COLUMN_WORDS if any(word in lowered for word in words)), None)


def guess_columns(cells: tuple[str, ...]) -> list[ColumnKey | None]:
    """The model key of each column, or None; a key found twice stays with its first column."""
    keys: list[ColumnKey | None] = []
    for text in cells:
        key = _column_key(text) if text else None
        keys.append(key if key not in keys else None)
    if "activity" not in keys and "number" in keys:
        # «Задачи» or an unnamed header right after the number is the activity in some documents.
        after = keys.index("number") + 1
        if after < len(keys) and keys[after] in (None, "task") and cells[after]:
            keys[after] = "activity"
    return keys


def _is_header(row: Row) -> bool:
    keys = guess_columns(row.cells)
    return "number" in keys and sum(key is not None for key in keys) >= _MIN_KNOWN_COLUMNS


def _first_row(table: Table) -> Row | None:
    return next((row for row in table.rows if not row.empty), None)


def _is_column_numbering(cells: list[str]) -> bool:
    """A row «1 | 2 | 3 | …» that numbers the columns under the header."""
    filled = [cell for cell in cells if cell]
    return len(filled) >= _MIN_KNOWN_COLUMNS and filled == [str(n) for n in range(1, len(filled) + 1)]


def section_of(text: str, line: int) -> Group:
    match = _SECTION.match(text)
    if match:
        return Group(match.group(1).rstrip("."), match.group(2), line)
    return Group("", text, line)


def quoted(text: str, limit: int = 80) -> str:
    return f"«{text if len(text) <= limit else text[: limit - 1] + '…'}»"


class _TableReader:
    """Walks the rows of the table (and its continuations after page breaks) building sections and items."""

    def __init__(self, header: Row, findings: Findings) -> None:
        self.findings = findings
        self.header = [collapse(cell) for cell in header.cells]
        self.keys = guess_columns(header.cells)
        self.columns: dict[ColumnKey, str] = {
            key: text for key, text in zip(self.keys, header.cells, strict=True) if key is not None
        }
        self.groups: list[Group] = []
        self.last: Entry | None = None
        self.after_break = False
        for index, (key, text) in enumerate(zip(self.keys, header.cells, strict=True), start=1):
            if key is None and text:
                findings.warn(
                    header.line,
                    f"столбец {index} {quoted(text)} не соответствует ни одному полю дорожной карты: "
                    "его текст не переносится, каждая непустая ячейка будет указана отдельно",
                )

    def name(self, index: int) -> str:
        return (
            quoted(self.header[index])
            if index < len(self.header) and self.header[index]
            else f"№ {index + 1}"
        )

    def start_table(self) -> None:
        self.after_break = True

    def add_section(self, group: Group) -> None:
        self.groups.append(group)
        self.last = None

    def add_row(self, row: Row) -> None:
        cells = list(row.cells) + [""] * (len(self.keys) - len(row.cells))
        if row.empty or [collapse(cell) for cell in cells[: len(self.header)]] == self.header:
            return
        if _is_column_numbering(cells):
            self.findings.warn(row.line, "строка с номерами столбцов пропущена")
            return
        self._place(row, cells)
        self.after_break = False

    def _place(self, row: Row, cells: list[str]) -> None:
        filled = [cell for cell in cells if cell]
        texts: dict[ColumnKey, str] = {}
        for index, (key, cell) in enumerate(zip(self.keys, cells, strict=False)):
            if cell and key is not None:
                texts[key] = cell
            elif cell:
                self.unplaced(row, index, cell, "столбец не распознан")
        for index in range(len(self.keys), len(cells)):
            if cells[index]:
                self.unplaced(row, index, cells[index], "лишняя ячейка за последним столбцом")
        if len(set(filled)) == 1 and cells[0] == filled[0] and not _BARE_NUMBER.match(filled[0]):
            self.add_section(section_of(filled[0], row.line))
        elif texts.get("number"):
            self._start_entry(row, texts)
        elif texts:
            self._continue_entry(row, texts)

    def unplaced(self, row: Row, index: int, text: str, why: str) -> None:
        self.findings.warn(row.line, f"текст {quoted(text)} в столбце {self.name(index)} не перенесён: {why}")

    def _start_entry(self, row: Row, texts: dict[ColumnKey, str]) -> None:
        if not self.groups:
            self.findings.warn(
                row.line,
                f"таблица начинается без строки раздела: мероприятия собраны в раздел «{DEFAULT_SECTION}»",
            )
            self.groups.append(Group("", DEFAULT_SECTION, row.line))
        fields = {key: texts[key] for key in ENTRY_KEYS if key in texts}
        lines = [TaskLine(texts.get("task", ""), texts.get("indicator", ""))] if _has_line(texts) else []
        self.last = Entry(texts["number"], row.line, fields, lines)
        self.groups[-1].entries.append(self.last)

    def _continue_entry(self, row: Row, texts: dict[ColumnKey, str]) -> None:
        entry = self.last
        if entry is None:
            for key, text in texts.items():
                self.unplaced(row, self.keys.index(key), text, "выше нет мероприятия, к которому его отнести")
            return
        if self.after_break and _continues(entry, texts):
            for key, text in texts.items():
                _append(entry, key, text)
            self.findings.warn(
                row.line,
                f"строка разорвана переносом страницы: её текст присоединён к мероприятию {entry.number}",
            )
            return
        if _has_line(texts):
            entry.lines.append(
                TaskLine(texts.get("task", ""), texts.get("indicator", ""), texts.get("executors", ""))
            )
            texts = {key: text for key, text in texts.items() if key not in (*LINE_KEYS, "executors")}
        for key, text in texts.items():
            if key in ("info", "evidence"):
                _append(entry, key, text)
            else:
                why = f"строка без номера после мероприятия {entry.number} — его не к чему отнести"
                self.unplaced(row, self.keys.index(key), text, why)


def _has_line(texts: dict[ColumnKey, str]) -> bool:
    return any(key in texts for key in LINE_KEYS)


def _current(entry: Entry, key: ColumnKey) -> str:
    if key in LINE_KEYS:
        return getattr(entry.lines[-1], key) if entry.lines else ""
    if key == "executors" and len(entry.lines) > 1 and entry.lines[-1].executors:
        return entry.lines[-1].executors
    return entry.fields.get(key, "")


def _continues(entry: Entry, texts: dict[ColumnKey, str]) -> bool:
    """Whether a row after a page break is the rest of the row above: every text carries on an unfinished one.

    A report or information cell simply runs on; any other text must continue a text of the item and start
    with a small letter, a digit or a sign — a capital letter starts a new row of its own (Балахта 4.3, 4.4).
    """
    for key, text in texts.items():
        if key in ("info", "evidence"):
            continue
        if text[0].isupper() or not _current(entry, key):
            return False
    return True


def _append(entry: Entry, key: ColumnKey, text: str) -> None:
    if key in LINE_KEYS:
        if not entry.lines:
            entry.lines.append(TaskLine())
        line = entry.lines[-1]
        setattr(line, key, f"{getattr(line, key)} {text}".strip())
    elif key == "executors" and len(entry.lines) > 1 and entry.lines[-1].executors:
        entry.lines[-1].executors = f"{entry.lines[-1].executors} {text}"
    else:
        entry.fields[key] = f"{entry.fields.get(key, '')} {text}".strip()


def _longer(first: str, second: str) -> str | None:
    """The complete one of two copies of a text, when one is the other cut short; None when they disagree."""
    a, b = collapse(first), collapse(second)
    if a.startswith(b):
        return first
    return second if b.startswith(a) else None


def _merged(kept: Entry, repeat: Entry) -> Entry | None:
    if len(kept.lines) != len(repeat.lines):
        return None
    fields: dict[ColumnKey, str] = {}
    for key in ENTRY_KEYS:
        text = _longer(kept.fields.get(key, ""), repeat.fields.get(key, ""))
        if text is None:
            return None
        if text:
            fields[key] = text
    lines = []
    for ours, theirs in zip(kept.lines, repeat.lines, strict=True):
        parts = [_longer(a, b) for a, b in zip(ours.texts(), theirs.texts(), strict=True)]
        if None in parts:
            return None
        lines.append(TaskLine(*(part or "" for part in parts)))
    return Entry(kept.number, kept.line, fields, lines)


def merge_repeats(groups: list[Group], findings: Findings) -> None:
    """Rows printed twice (a page break repeating them) become one item, the complete copy winning.

    Copies that disagree are both kept and reported: only the editor can tell which number is wrong.
    """
    first: dict[str, tuple[Group, int]] = {}
    for group in groups:
        kept_entries: list[Entry] = []
        for entry in group.entries:
            key = item_key(entry.number)
            if key not in first:
                first[key] = (group, len(kept_entries))
                kept_entries.append(entry)
                continue
            home, index = first[key]
            original = (kept_entries if home is group else home.entries)[index]
            merged = _merged(original, entry)
            if merged is None:
                kept_entries.append(entry)
                findings.error(
                    entry.line,
                    f"номер {entry.number} уже был в строке {original.line}, но текст другой: оставлены обе "
                    "строки — исправьте номер или удалите лишнюю, иначе check сообщит о повторе номера",
                )
                continue
            (kept_entries if home is group else home.entries)[index] = merged
            how = "копии совпадают" if collapse_all(merged) == collapse_all(entry) == collapse_all(original) else (
                "одна копия оборвана, оставлен полный текст")  # fmt: skip
            findings.warn(
                entry.line,
                f"мероприятие {entry.number} повторено (впервые — строка {original.line}), вероятно, при переносе "
                f"страницы: повтор объединён, {how}",
            )
        group.entries = kept_entries


def collapse_all(entry: Entry) -> list[str]:
    return [collapse(text) for text in entry.texts()]


def find_table(blocks: list[Block]) -> int | None:
    """Index of the first table whose first row is a header with a number column and at least two more known ones."""
    for index, block in enumerate(blocks):
        if isinstance(block, Table) and (row := _first_row(block)) is not None and _is_header(row):
            return index
    return None


def read_layout(blocks: list[Block], start: int, findings: Findings) -> Layout:
    """Sections and items of the table starting at blocks[start] and of the tables continuing it."""
    main = blocks[start]
    assert isinstance(main, Table)
    header = _first_row(main)
    assert header is not None
    reader = _TableReader(header, findings)
    last_table = max(index for index, block in enumerate(blocks) if isinstance(block, Table))
    for index in range(start, len(blocks)):
        block = blocks[index]
        if isinstance(block, Table):
            if index != start:
                reader.start_table()
            rows = block.rows[block.rows.index(header) + 1 :] if index == start else block.rows
            for row in rows:
                reader.add_row(row)
        elif index > last_table:
            findings.warn(block.line, f"текст после таблицы не перенесён: {quoted(block.flat)}")
        elif _PAGE_ARTIFACT.match(block.flat):
            findings.warn(block.line, f"текст между частями таблицы пропущен: {quoted(block.flat)}")
        else:
            reader.add_section(section_of(block.flat, block.line))
    merge_repeats(reader.groups, findings)
    return Layout(reader.columns, reader.groups, header.line)


def preamble_of(blocks: list[Block], start: int) -> list[Paragraph]:
    """The text above the table; a table there (a letterhead laid out in cells) is read as its cells' lines."""
    paragraphs: list[Paragraph] = []
    for block in blocks[:start]:
        if isinstance(block, Paragraph):
            paragraphs.append(block)
        else:
            paragraphs.extend(
                Paragraph(" ".join(c for c in row.cells if c), row.line)
                for row in block.rows
                if not row.empty
            )
    return paragraphs
