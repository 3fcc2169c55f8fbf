"""URL comparisons shared by `check` warnings and the link checker: addresses that are almost the same.

Two evidence links that differ in one or two characters of one long identifier (the Шахты report's Google Drive
files for 3.8 and 3.14 differ in a single letter) are usually a typo copied from a neighbouring cell, so both
readers and the link checker want them pointed out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_DISTANCE = 2
MIN_ID_LENGTH = 6  # shorter path parts are words, not file ids
_TOKEN = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")
_SEGMENT = re.compile(r"[^/?&=#]+")


@dataclass(frozen=True)
class NearDuplicate:
    """`second` differs from `first` (seen earlier) in `distance` characters of the same host's path."""

    first: str
    second: str
    distance: int


def _split(url: str) -> tuple[str, str] | None:
    """(host, path with query) of an absolute URL; the scheme and the fragment do not make a different document."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.netloc:
        return None
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    return parts.netloc.lower(), rest


def edit_distance(a: str, b: str, limit: int = MAX_DISTANCE) -> int:
    """Levenshtein distance with adjacent transpositions, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _deletions(text: str) -> set[str]:
    """The text itself and every text one deletion away: two texts within one edit of each other share one."""
    return {text} | {text[:i] + text[i + 1 :] for i in range(len(text))}


def _enclosing(text: str, start: int, stop: int, pattern: re.Pattern[str]) -> str | None:
    """The run of `pattern` in `text` that holds the whole span [start, stop), if one does."""
    return next((m.group() for m in pattern.finditer(text) if m.start() <= start and m.end() >= stop), None)


def _looks_like_typo(a: str, b: str) -> bool:
    """The change sits inside one identifier-like part: not a short word («new» / «news») and not a number
    (prikaz-12.pdf / prikaz-13.pdf, 2021 / 2022), which are real neighbours rather than typos."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    for text in (a, b):
        stop = len(text) - end
        segment = _enclosing(text, start, stop, _SEGMENT)
        token = _enclosing(text, start, stop, _TOKEN)
        if segment is None or len(segment) < MIN_ID_LENGTH or token is None or token.isdigit():
            return False
    return True


def near_duplicates(urls: Iterable[str]) -> list[NearDuplicate]:
    """Pairs of distinct URLs on one host whose paths differ by one or two typed characters in one identifier,
    in first-seen order.

    A typo sits inside one path part, so the two URLs are equal outside it: URLs are grouped by host and by
    the path with one long part left out. Within a group, candidates share a one-deletion variant of that
    part (one wrong, missing, extra or swapped character covers the usual typos); the exact distance is then
    measured. Only the long parts of one group are ever expanded, so time and memory stay linear in the
    number of URLs even for a national site's tens of thousands.
    """
    order: dict[str, int] = {}
    for url in urls:
        order.setdefault(url, len(order))
    split: dict[str, tuple[str, str]] = {}
    groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for url in order:
        parts = _split(url)
        if parts is None:
            continue
        split[url] = parts
        host, rest = parts
        for part in _SEGMENT.finditer(rest):
            if part.end() - part.start() >= MIN_ID_LENGTH:
                groups[(host, f"{rest[: part.start()]}\0{rest[part.end() :]}")].append((part.group(), url))
    pairs: dict[tuple[str, str], NearDuplicate] = {}
    for members in groups.values():
        if len(members) > 1:
            for a, b in _sharing_a_variant(members):
                first, second = sorted((a, b), key=order.__getitem__)
                if (first, second) in pairs or split[first][1] == split[second][1]:
                    continue
                distance = edit_distance(split[first][1], split[second][1])
                if distance <= MAX_DISTANCE and _looks_like_typo(split[first][1], split[second][1]):
                    pairs[(first, second)] = NearDuplicate(first, second, distance)
    return sorted(pairs.values(), key=lambda pair: (order[pair.second], order[pair.first]))


def _sharing_a_variant(members: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """Pairs of URLs whose parts (part, url) share a one-deletion variant, the earlier member first.

    Nearly every variant belongs to one part only, so the pairs are found as variants repeat, without a
    list per variant to go through afterwards. Variants are kept by their hash, not their text, and a member by
    its index until a second one shares the variant: a national site's largest group has over a million
    variants. Two variants with the same hash only make an extra candidate, which the caller measures anyway.
    """
    by_variant: dict[int, int | list[int]] = {}
    for index, (part, _) in enumerate(members):
        for variant in _deletions(part):
            key = hash(variant)
            found = by_variant.get(key)
            if found is None:
                by_variant[key] = index
                continue
            if isinstance(found, int):
                found = by_variant[key] = [found]
            for other in found:
                if other != index:
                    yield members[other][1], members[index][1]
            found.append(index)
