"""What a page says when the document behind a link is gone: a lexicon of wordings, used for every host.

The wordings are data (regular expressions, matched case-insensitively in the title, the h1 headings and the
text of a short page); editors add their own in `link_check.phrases`. Host rules (hosts.py) stay for what only
one host knows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from site_builder.content.settings.link_check import PhraseKind

_WHAT_RU = (
    r"(?:страниц\w*|файл\w*|документ\w*|ресурс\w*|материал\w*|запис[ьи]|раздел\w*|публикаци\w*|ссылк\w*)"
)
_WHAT_EN = r"\b(?:page|file|document|resource|item|post|folder)s?\b"

# In the order they are tried: a page that says the file was deleted «or access closed» is about a dead file.
PHRASES: dict[PhraseKind, tuple[str, ...]] = {
    PhraseKind.FILE_DELETED: (
        rf"{_WHAT_RU}(?:\s+\S+){{0,3}}?\s+(?:был[аои]?\s+)?(?:удален\w*|удалён\w*|перемещ\w*\s+в\s+корзину)",
        r"(?:владел\w*|автор\w*)(?:\s+\S+){0,2}?\s+удалил\w*",
        r"удален\w*\s+(?:владельц\w*|автор\w*)",
        rf"{_WHAT_EN}.{{0,40}}?(?:(?:was|has\s+been|have\s+been|been)\s+(?:deleted|removed|trashed)"
        r"|no\s+longer\s+(?:exists|available))",
        r"\bowner\s+(?:has\s+)?(?:deleted|removed)\b",
    ),
    PhraseKind.LINK_INVALID: (
        r"ссылк\w*(?:\s+\S+){0,2}?\s+(?:недействительн\w*|не\s+действительн\w*|устарел\w*|неверн\w*"
        r"|некорректн\w*|больше\s+не\s+(?:работает|действует|активна|доступна)"
        r"|(?:была\s+)?(?:отключен\w*|отозван\w*))",
        r"недействительн\w*\s+ссылк\w*|срок\s+действия\s+ссылки\s+(?:истек|закончил)\w*",
        r"\b(?:link|url)s?\b(?:\s+\S+){0,2}?\s+(?:is\s+)?(?:invalid|expired|has\s+expired|no\s+longer\s+"
        r"(?:valid|active|works|available)|(?:has\s+been\s+)?(?:disabled|revoked))",
        r"\binvalid\s+(?:share\s+|sharing\s+|public\s+)?link\b",
    ),
    PhraseKind.ACCESS_CLOSED: (
        r"доступ\w*\s+(?:к\s+\S+\s+)?(?:запрещ\w*|ограничен\w*|закрыт\w*)|нет\s+доступа|недостаточно\s+прав",
        r"закрыл\w*\s+(?:к\s+\S+\s+)?(?:общий\s+)?доступ",
        r"(?:требуется|необходима|нужна)\s+авторизаци\w*|войдите(?:\s+в\s+\S+)?,?\s+чтобы",
        r"^\s*(?:вход|войти|авторизация)\b",
        r"access\s+denied|permission\s+denied|you\s+need\s+permission|request\s+access"
        r"|you\s+(?:do\s+not|don't)\s+have\s+(?:access|permission)",
        r"^\s*(?:sign\s*in|log\s*in|login)\b|\bplease\s+(?:sign|log)\s*in\b",
    ),
    PhraseKind.PAGE_NOT_FOUND: (
        rf"{_WHAT_RU}(?:\s+\S+){{0,3}}?\s+не\s+(?:найден\w*|существует|обнаружен\w*)",
        r"ничего не найдено|не удалось найти|такой страницы (?:нет|не существует)",
        rf"{_WHAT_EN}.{{0,40}}?(?:\bnot\s+(?:be\s+)?found|does\s*n[o']t\s+exist)",
        r"\bnot\s+found\b|^\W*404\W*$|(?:ошибка|error)\W*404|404\W*(?:ошибка|error|страниц)",
    ),
}


@dataclass(frozen=True)
class Lexicon:
    """One compiled expression per kind, in the order the kinds are tried."""

    patterns: tuple[tuple[PhraseKind, re.Pattern[str]], ...]


def _compiled(wordings: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{w})" for w in wordings), re.IGNORECASE | re.MULTILINE)


@functools.lru_cache(maxsize=8)
def _lexicon(extra: tuple[tuple[PhraseKind, tuple[str, ...]], ...]) -> Lexicon:
    added = dict(extra)
    return Lexicon(tuple((kind, _compiled(PHRASES[kind] + added.get(kind, ()))) for kind in PHRASES))


def lexicon_for(extra: Mapping[PhraseKind, list[str]] | None = None) -> Lexicon:
    """The built-in wordings plus an editor's own (`link_check.phrases`)."""
    return _lexicon(tuple(sorted((kind, tuple(words)) for kind, words in (extra or {}).items())))
