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
from itertools import chain, islice
from operator import eq
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
    number of URLs even for a national site's tens of thousands. A group is kept by the hash of what it shares
    and holds (part, index of its URL): two groups with one hash only make extra candidates, measured anyway.
    """
    order = list(dict.fromkeys(urls))
    groups: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for index, url in enumerate(order):
        parts = _split(url)
        if parts is None:
            continue
        host, rest = parts
        for part in _SEGMENT.finditer(rest):
            if part.end() - part.start() >= MIN_ID_LENGTH:
                groups[hash((host, rest[: part.start()], rest[part.end() :]))].append((part.group(), index))
    pairs: dict[tuple[int, int], NearDuplicate] = {}
    for members in groups.values():
        if len(members) > 1:
            for a, b in _sharing_a_variant(members):
                first, second = min(a, b), max(a, b)
                if (first, second) not in pairs:
                    pair = _near_pair(order[first], order[second])
                    if pair is not None:
                        pairs[(first, second)] = pair
    return [pairs[key] for key in sorted(pairs, key=lambda key: (key[1], key[0]))]


def _near_pair(first: str, second: str) -> NearDuplicate | None:
    """The pair, when `second` is a typo of `first` on the same host; None otherwise."""
    a, b = _split(first), _split(second)
    if a is None or b is None or a[0] != b[0] or a[1] == b[1]:
        return None
    distance = edit_distance(a[1], b[1])
    return (
        NearDuplicate(first, second, distance)
        if distance <= MAX_DISTANCE and _looks_like_typo(a[1], b[1])
        else None
    )


# Members of one group: 16 million (a national site's largest has 23,000); the rest of a 64-bit key is the hash.
_INDEX_BITS = 24


def _sharing_a_variant(members: list[tuple[str, int]]) -> Iterator[tuple[int, int]]:
    """Pairs of members' URL indices whose parts share a one-deletion variant.

    A national site's largest group has over a million variants: each is kept as one integer, the low bits of
    its hash above the member's position, and sorted, so the members sharing a variant stand side by side.
    Two variants whose hashes agree in those bits only make an extra candidate, which the caller measures.
    """
    if not _may_share_a_variant(members):
        return
    mask = (1 << (64 - _INDEX_BITS)) - 1
    keys = sorted(
        (hash(variant) & mask) << _INDEX_BITS | position
        for position, (part, _) in enumerate(islice(members, 1 << _INDEX_BITS))
        for variant in _deletions(part)
    )
    low = (1 << _INDEX_BITS) - 1
    start = 0
    for end in range(1, len(keys) + 1):
        if end < len(keys) and keys[end] >> _INDEX_BITS == keys[start] >> _INDEX_BITS:
            continue
        if end - start > 1:
            run = sorted({key & low for key in keys[start:end]})
            for i, one in enumerate(run):
                for other in run[i + 1 :]:
                    yield members[one][1], members[other][1]
        start = end


def _may_share_a_variant(members: list[tuple[str, int]]) -> bool:
    """Whether two of the members' one-deletion variants have one hash: False means no pair shares a variant.

    A large site's big groups are random file ids of one host (a Google Drive folder's), which share none:
    this pass runs in C (hash, sort, compare neighbours), where `_sharing_a_variant`'s walk over the sorted
    keys takes a Python step for each of a national site's million variants. A group that may share one pays
    this pass on top of the walk, which it needs anyway to tell which members do.
    """
    hashes = list(map(hash, chain.from_iterable(_deletions(part) for part, _ in members)))
    hashes.sort()
    return any(map(eq, hashes, islice(hashes, 1, None)))
