"""From raw cell text to annotations (done, recurrence, notes, «постоянно») and a list of date tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import site_builder.model.deadlines.lexicon as lexicon

# Normalisation keeps every character at its index, so a span found in the normalised text cuts the same
# words out of the original (notes are shown as the editor wrote them).
_ODD_CHARACTERS = {
    "ё": "е",
    "і": "i",
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\t\n\r\v\f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000", " "),
    **dict.fromkeys([chr(code) for code in range(0x2000, 0x200B)], " "),
}
_ODD = re.compile("[" + "".join(_ODD_CHARACTERS) + "]")
_NOTE_TRIM = " ,;:.-"

Token = tuple[str, int, int, int]


def normalize(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (such as «İ») lower to two; keep those as they are
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return _ODD.sub(lambda match: _ODD_CHARACTERS[match.group()], lowered)


@dataclass
class Annotations:
    """What the words around the dates say; the dates themselves are left in `rest`."""

    rest: str
    done: bool = False
    continuous: bool = False
    recurrence: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _only_recurrence(content: str) -> list[str] | None:
    phrases = [_collapse(m.group()) for m in lexicon.RECURRENCE.finditer(content)]
    leftover = lexicon.RECURRENCE.sub(" ", content).replace(",", " ").split()
    return phrases if phrases and all(word == "и" for word in leftover) else None


def annotate(text: str) -> Annotations:
    """Take out of the text everything that is not a date: brackets, «исполнено», recurrences, notes."""
    result = Annotations(rest="")

    def take(match: re.Match[str]) -> str:
        kind = match.lastgroup
        if kind == "bracket":
            _bracket(text[match.start("inside") : match.end("inside")], match.group("inside"), result)
        elif kind == "done":
            result.done = True
        elif kind == "recurrence":
            result.recurrence.append(_collapse(match.group()))
        else:
            result.continuous = True
        return " " * (match.end() - match.start())

    def note(match: re.Match[str]) -> str:
        start, end = match.span()
        # the note may run over words already taken out (a recurrence); show only what is left of it
        kept = "".join(o if w != " " else " " for o, w in zip(text[start:end], match.group(), strict=True))
        if phrase := _collapse(kept).strip(_NOTE_TRIM):
            result.notes.append(phrase)
        return " " * (end - start)

    work = normalize(text)
    if lexicon.ANNOTATION_HINT.search(work):
        work = lexicon.ANNOTATION.sub(take, work)
    if lexicon.NOTE_HINT.search(work):
        work = lexicon.NOTE_LEAD.sub(note, work)
    result.rest = work
    return result


def _bracket(original: str, normalized: str, result: Annotations) -> None:
    if lexicon.DONE.fullmatch(normalized.strip()):
        result.done = True
    elif (phrases := _only_recurrence(normalized)) is not None:
        result.recurrence.extend(phrases)
    elif note := _collapse(original).strip(_NOTE_TRIM):
        result.notes.append(note)


def _word_token(word: str) -> Token | None:
    if (month := lexicon.MONTH_WORDS.get(word)) is not None:
        return ("month", month, 0, 0)
    if (keyword := lexicon.KEYWORDS.get(word)) is not None:
        return (keyword, 0, 0, 0)
    if word in lexicon.QUARTER_WORDS or word.startswith(lexicon.QUARTER_PREFIXES):
        return ("quarter", 0, 0, 0)
    if word.startswith(lexicon.HALF_PREFIX):
        return ("half", 0, 0, 0)
    for stem, number in lexicon.ORDINAL_STEMS:
        if word.startswith(stem):
            return ("ord", number, 0, 0)
    return None


def _school_year(match: re.Match[str]) -> int | None:
    first = int(match.group("sy1"))
    second = match.group("sy2a") or match.group("sy2b")
    following = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    return first if following == first + 1 else None


def _two_digit_year(value: str) -> int:
    return int(value) if len(value) == 4 else 2000 + int(value)


def _number_token(kind: str, match: re.Match[str]) -> Token | None:
    """Tokens made of digits; None for a number that cannot be a date (a school year «2022/2024»)."""
    group = match.group
    if kind == "date":
        return ("day", _two_digit_year(group("dy")), int(group("dmo")), int(group("dd")))
    if kind == "iso":
        iso = group("iso")
        return ("day", int(iso[:4]), int(iso[5:7]), int(iso[8:10]))
    if kind == "dm":
        return ("day", 0, int(group("dmm")), int(group("dmd")))
    if kind == "my":
        return ("month", int(group("mym")), int(group("myy")), 0)
    if kind == "year":
        return ("year", int(group("yv")), 0, 0)
    if kind == "school":
        first = _school_year(match)
        return None if first is None else ("school", first, 0, 0)
    if kind == "ord":
        return ("ord", int(group("ordn")), 0, 0)
    if kind == "num":
        return ("num", int(group("num")), 0, 0)
    return ("ord", {"i": 1, "ii": 2, "iii": 3, "iv": 4}[group("roman")], 0, 0)


def tokenize(rest: str) -> list[Token] | None:
    """The date tokens of the text left after `annotate`; None when something in it is not understood.

    A `day` token is (y, m, d) with y = 0 when the year is not written; a `month` token is (m, y, 0).
    """
    tokens: list[Token] = []
    position, length = 0, len(rest)
    match_at = lexicon.TOKEN.match
    while position < length:
        match = match_at(rest, position)
        if match is None:
            return None
        position = match.end()
        kind = match.lastgroup
        if kind is None or kind == "punct":  # spaces, stray dots and colons
            continue
        if kind in ("dash", "sep", "until"):
            tokens.append((kind, 0, 0, 0))
            continue
        token = _word_token(match.group("word")) if kind == "word" else _number_token(kind, match)
        if token is None:
            return None
        if token[0] != "filler":
            tokens.append(token)
    return tokens
