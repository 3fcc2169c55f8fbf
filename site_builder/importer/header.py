"""The text above the table: the approving document, the table's own title, the appendix line and the year.

Orders print their parts in a fixed order — issuer, kind («ПРИКАЗ», «П Р И К А З»), date and number, title,
body, signature, then «Приложение … от …» and the table title — and reports open with «УТВЕРЖДАЮ» and a title
starting with «Отчет». What is not found is left out rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from site_builder.importer.tables import Paragraph

KINDS = {
    "ПРИКАЗ": "Приказ",
    "РАСПОРЯЖЕНИЕ": "Распоряжение",
    "ПОСТАНОВЛЕНИЕ": "Постановление",
    "РЕШЕНИЕ": "Решение",
}
MONTHS = {
    name: number
    for number, name in enumerate(
        ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
         "декабря"),
        start=1,
    )
}  # fmt: skip
# Digits, not word boundaries, end a date: «14.01.2022г.» glues the year to its letter.
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
_WORDS_DATE = re.compile(r"(\d{1,2})\s*»?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
# «№ 6а», «№28/1», and the Latin «N 15» of legal databases' exports.
_DOC_NUMBER = re.compile(r"(?:№|(?<![A-Za-z])N(?=\s*\d))\s*([^\s,;]+)")
_NOT_LETTER = r"(?<![А-Яа-яЁё])"
# What a line under the kind may hold besides the date and the number: «от», «г.», «года», the place, quotes.
_HEAD_WORDS = re.compile(
    rf"{_NOT_LETTER}(?:г|с|п|пгт|рп|ст)\.\s*[А-ЯЁ][^\s№]*|{_NOT_LETTER}город\s+[А-ЯЁ]\S*"
    rf"|{_NOT_LETTER}(?:от|года|год|г)(?![А-Яа-яЁё])\.?|[«»\"“”.,\s]"
)
_SPACED_CAPITALS = re.compile(r"^(?:[А-ЯЁ] ){2,}[А-ЯЁ]$")
_INITIALS = r"[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?"
_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_NAME = re.compile(rf"^(?:{_INITIALS}{_SURNAME}|{_SURNAME}\s[А-ЯЁ]\.\s?[А-ЯЁ]\.)$")
_NAME_AT_END = re.compile(rf"^(.+?)\s+({_INITIALS}{_SURNAME})$")
_PLACE = re.compile(r"^(?:г|с|п|пгт|рп|ст)\.\s*\S+$|^город\s+\S+$", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:на|в)\s+(20\d\d)\s*(?:год|г\.)", re.IGNORECASE)
_STAGE = re.compile(r"\(([^()]*этап[^()]*)\)", re.IGNORECASE)
_SHORT = 60
_LEVEL_WORDS = (
    ("муниципальн", "municipal"),
    ("регионал", "regional"),
    ("федерал", "federal"),
    ("школьн", "school"),
)
_ISSUER_WORDS = (
    ("министерств", "regional"),
    ("правительств", "regional"),
    ("управлени", "municipal"),
    ("администрац", "municipal"),
    ("департамент", "municipal"),
    ("комитет", "municipal"),
    ("отдел", "municipal"),
)


@dataclass(frozen=True)
class Signature:
    name: str
    position: str
    line: int


@dataclass(frozen=True)
class Order:
    """The approving document as the text above the table gives it."""

    kind: str
    issuer: str
    number: str
    date: dt.date | None
    title: str
    signer: Signature | None
    line: int


@dataclass(frozen=True)
class Preamble:
    table_title: str
    intro: str
    order: Order | None
    year: int | None
    level: str | None
    report_title: str
    stage: str
    approved_by: Signature | None
    narrative: str


def find_date(text: str) -> dt.date | None:
    """The first date written as 14.01.2022 or «13» января 2023 года; None when none is a real date."""
    for pattern, month_of in ((_NUMERIC_DATE, int), (_WORDS_DATE, lambda name: MONTHS[name.lower()])):
        match = pattern.search(text)
        if match:
            try:
                return dt.date(int(match.group(3)), month_of(match.group(2)), int(match.group(1)))
            except ValueError:
                continue
    return None


def _despaced(text: str) -> str:
    return text.replace(" ", "") if _SPACED_CAPITALS.match(text) else text


def _kind(paragraph: Paragraph) -> str | None:
    """The kind of document, when the paragraph's first line names it; what follows on other lines may vary."""
    first = " ".join(paragraph.text.strip().split("\n")[0].split())
    words = _despaced(first).split(" ")
    return KINDS.get(words[0].upper()) if len(first) <= _SHORT and words[0].isupper() else None


def restore_case(text: str, context: str) -> str:
    """An issuer printed in capitals, in the letters the rest of the document writes its words with."""
    if not text.isupper():
        return text
    spellings = Counter(word for word in re.findall(r"[А-Яа-яЁё-]+", context) if not word.isupper())
    by_lower: dict[str, str] = {}
    for word, _ in spellings.most_common():
        by_lower.setdefault(word.lower(), word)
    words = [by_lower.get(word.lower(), word.lower()) for word in text.split()]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def _title_text(text: str) -> str:
    """A title without the quotes and emphasis it is printed in: **«Об утверждении …»** → Об утверждении …"""
    cleaned = text.strip().strip("*_").strip()
    if cleaned.startswith(("«", '"', "“")) and cleaned.endswith(("»", '"', "”")):
        cleaned = cleaned[1:-1].strip()
    return cleaned


def _signature(paragraphs: Sequence[Paragraph], start: int, end: int) -> Signature | None:
    """The last «position / И.О. Фамилия» between start and end: a name-only paragraph or a name ending one."""
    for index in range(end - 1, start - 1, -1):
        text = paragraphs[index].flat
        if _NAME.match(text) and index > start:
            return Signature(text, paragraphs[index - 1].flat, paragraphs[index].line)
        match = _NAME_AT_END.match(text)
        if match and len(match.group(1)) <= 2 * _SHORT:
            return Signature(match.group(2), match.group(1), paragraphs[index].line)
    return None


def is_date_or_number(text: str) -> bool:
    """A line of an order's date, number and place in any order: «от 14.01.2022», «13.01.2023 г № 28/1»…"""
    if len(text) > _SHORT or not (find_date(text) or _DOC_NUMBER.search(text) or _PLACE.match(text)):
        return False
    rest = _HEAD_WORDS.sub("", _DOC_NUMBER.sub("", _WORDS_DATE.sub("", _NUMERIC_DATE.sub("", text))))
    return not rest


def _head_and_title(paragraphs: Sequence[Paragraph], kind_at: int, end: int) -> tuple[str, str, int]:
    """The kind's line with the date and number lines after it (in its paragraph or in their own), the title,
    and the paragraph after the title."""
    head = [paragraphs[kind_at].text.strip().split("\n")[0]]
    for index in range(kind_at, end):
        lines = [" ".join(line.split()) for line in paragraphs[index].text.strip().split("\n")]
        for number in range(1 if index == kind_at else 0, len(lines)):
            if lines[number] and not is_date_or_number(lines[number]):
                return " ".join(head), _title_text(" ".join(lines[number:])), index + 1
            head.append(lines[number])
    return " ".join(head), "", end


def read_order(paragraphs: Sequence[Paragraph], end: int) -> Order | None:
    kind_at = next((i for i, p in enumerate(paragraphs[:end]) if _kind(p)), None)
    if kind_at is None:
        return None
    kind = _kind(paragraphs[kind_at]) or ""
    context = " ".join(p.flat for p in paragraphs)
    issuer = restore_case(paragraphs[kind_at - 1].flat, context) if kind_at else ""
    head, title, after = _head_and_title(paragraphs, kind_at, end)
    number = _DOC_NUMBER.search(head)
    return Order(
        kind=kind,
        issuer=issuer,
        number=number.group(1) if number else "",
        date=find_date(head),
        title=title,
        signer=_signature(paragraphs, after, end),
        line=paragraphs[kind_at].line,
    )


_APPENDIX_KINDS = {"приказу": "Приказ", "распоряжению": "Распоряжение", "постановлению": "Постановление",
                   "решению": "Решение"}  # fmt: skip
_APPENDIX_KIND = re.compile(r"\bк\s+(" + "|".join(_APPENDIX_KINDS) + r")\b", re.IGNORECASE)


def order_of_appendix(intro: str, line: int) -> Order | None:
    """The order an «Приложение к приказу … от … № …» line names, when the order's own text is not there."""
    kind = _APPENDIX_KIND.search(intro)
    number = _DOC_NUMBER.search(intro)
    date = find_date(intro)
    if kind is None or not (number or date):
        return None
    return Order(
        kind=_APPENDIX_KINDS[kind.group(1).lower()],
        issuer="",
        number=number.group(1) if number else "",
        date=date,
        title="",
        signer=None,
        line=line,
    )


def _joined_back(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """Paragraphs with those a page break cut in two joined again: a paragraph starting with a small letter."""
    joined: list[Paragraph] = []
    for paragraph in paragraphs:
        if joined and paragraph.flat[:1].islower():
            joined[-1] = Paragraph(f"{joined[-1].flat} {paragraph.flat}", joined[-1].line)
        else:
            joined.append(paragraph)
    return joined


def narrative_markdown(paragraphs: Sequence[Paragraph]) -> str:
    """Paragraphs as Markdown text: a blank line between paragraphs, list lines («- …») kept together."""
    text = ""
    in_list = False
    for paragraph in _joined_back(paragraphs):
        item = paragraph.flat.startswith(("- ", "– ", "• "))
        if text:
            text += "\n" if item and in_list else "\n\n"
        text += paragraph.flat
        in_list = item
    return f"{text}\n" if text else ""


def _title_start(paragraphs: Sequence[Paragraph]) -> int:
    """Where the table's title starts: the last paragraph, with those before it that it continues."""
    index = len(paragraphs) - 1
    while index > 0 and paragraphs[index].flat[:1].islower():
        index -= 1
    return max(index, 0)


def _appendix(paragraphs: Sequence[Paragraph]) -> tuple[int, int] | None:
    """(first, last) paragraphs of «Приложение к приказу … от <дата>»."""
    first = next((i for i, p in enumerate(paragraphs) if p.flat.lower().startswith("приложение")), None)
    if first is None:
        return None
    last = next((i for i in range(first, len(paragraphs)) if find_date(paragraphs[i].flat)), first)
    return first, last


def _approval(paragraphs: Sequence[Paragraph]) -> Signature | None:
    for index, paragraph in enumerate(paragraphs):
        lines = paragraph.text.split("\n")
        if lines[0].strip().upper() != "УТВЕРЖДАЮ":
            continue
        rest = Paragraph("\n".join(lines[1:]), paragraph.line)
        following = (
            [rest, *paragraphs[index + 1 : index + 2]]
            if rest.flat
            else list(paragraphs[index + 1 : index + 3])
        )
        return _signature(following, 0, len(following))
    return None


def level_of(title: str, issuer: str) -> str | None:
    for text, words in ((title, _LEVEL_WORDS), (issuer, _ISSUER_WORDS)):
        lowered = text.lower()
        level = next((level for word, level in words if word in lowered), None)
        if level:
            return level
    return None


def year_of(*texts: str) -> int | None:
    for text in texts:
        match = _YEAR.search(text)
        if match:
            return int(match.group(1))
    return None


def read_preamble(paragraphs: Sequence[Paragraph]) -> Preamble:
    appendix = _appendix(paragraphs)
    if appendix:
        first, last = appendix
        intro = " ".join(p.flat for p in paragraphs[first : last + 1])
        title = " ".join(p.flat for p in paragraphs[last + 1 :])
        order_end = first
        table_at = last + 1
        named = order_of_appendix(intro, paragraphs[first].line)
    else:
        table_at = _title_start(paragraphs)
        title = " ".join(p.flat for p in paragraphs[table_at:])
        intro = ""
        order_end = table_at
        named = None
    order = read_order(paragraphs, order_end) or named
    report_at = next(
        (i for i, p in enumerate(paragraphs) if re.match(r"^отч[её]т\b", p.flat, re.IGNORECASE)), None
    )
    report_title = paragraphs[report_at].flat if report_at is not None else ""
    narrative = narrative_markdown(paragraphs[report_at + 1 : table_at]) if report_at is not None else ""
    stage = _STAGE.search(report_title)
    return Preamble(
        table_title=title,
        intro=intro,
        order=order,
        year=year_of(title) or (order.date.year if order and order.date else None) or year_of(report_title),
        level=level_of(title, order.issuer if order else ""),
        report_title=report_title,
        stage=stage.group(1)[:1].upper() + stage.group(1)[1:] if stage else "",
        approved_by=_approval(paragraphs),
        narrative=narrative,
    )
