"""Helpful warnings about valid content: things that build fine but that a reader or an inspector will miss.

Warnings never stop a build; `check --strict` makes them fail CI. Every warning points at the file and line to
edit and ends with a hint saying what to do. What one file warns about on its own comes with its facts
(model/file_warnings.py); this module adds what spans files, from the facts alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import chain
from typing import Protocol, TypeVar

from site_builder.content.links import LinkRef, near_duplicate, with_hint
from site_builder.core.errors import Problem
from site_builder.core.urls import NearDuplicate, near_duplicates
from site_builder.model.deadlines import russian_date
from site_builder.model.file_warnings import Deadline, FileWarnings, LinkParts, position
from site_builder.model.site import FileMemo, ReportEntry, RoadmapEntry, Site, entry_links

T = TypeVar("T")


class WarningStore(FileMemo, Protocol):
    """Where a build keeps warnings from one run to the next (the build's cache, caches.ParsedFiles)."""

    def derived(self, kind: str, data: bytes, compute: Callable[[], T]) -> T:
        """What `compute` makes from `data` alone, kept while it is the same."""


def attach_warnings(site: Site, as_of: dt.date, store: WarningStore | None = None) -> Site:
    """The site with the warnings of this module attached (the one place they are); `check` and `build` show them.

    `store` keeps them while no content file changed (the content folder stands for all of them), and the
    search for near-duplicate URLs while the URLs are the same.
    """
    found = (
        store(site.content_dir, f"warnings {as_of}", lambda: warnings(site, as_of, WarningCache(store)))
        if store
        else warnings(site, as_of)
    )
    site.warnings.extend(found)
    return site


class WarningCache:
    """The search for near-duplicate URLs, seconds on a national site, kept from one check to the next (the live
    preview's): it depends only on the URLs in the order they are first seen, and is kept while they stay the
    same, as they do unless a save changes an address. A build's `store` keeps it from one run to the next.
    """

    def __init__(self, store: WarningStore | None = None) -> None:
        self._pairs: tuple[tuple[str, ...], list[NearDuplicate]] = ((), [])
        self.store = store

    def near_duplicates(self, urls: tuple[str, ...]) -> list[NearDuplicate]:
        if urls != self._pairs[0]:
            search = partial(near_duplicates, urls)
            found = (
                self.store.derived("near duplicates", repr(urls).encode(), search) if self.store else search()
            )
            self._pairs = (urls, found)
        return self._pairs[1]


def warnings(site: Site, as_of: dt.date, cache: WarningCache | None = None) -> list[Problem]:
    """Every warning about a loaded site; `as_of` decides which deadlines have passed.

    `cache` keeps what a later check of the same folder can reuse (see WarningCache).
    """
    cache = cache or WarningCache()
    found: list[Problem] = []
    parts: list[_Links | None] = []
    for entry, reports in site.groups():
        on_it = [(report, FileWarnings.unpacked(report.file_warnings)) for report in reports]
        if entry is not None:
            own = FileWarnings.unpacked(entry.file_warnings)
            found += own.own
            if reports:
                found += _uncovered(entry, own.deadlines, on_it, as_of)
            parts.append(_Links.of(own.links, partial(_links_in_order, entry)))
        for report, told in on_it:
            found += told.own
            parts.append(_Links.of(told.links, partial(_links_in_order, report)))
    parts += [_Links.of(LinkParts.of([ref]), partial(list, (ref,))) for ref in site.other_links()]
    in_order = sorted((part for part in parts if part), key=lambda part: part.parts.first)
    found += [problem for part in in_order for problem in part.parts.missing]
    found += [*_school_warnings(site), *_near_duplicate_warnings(in_order, cache)]
    return sorted(found)


def _uncovered(
    entry: RoadmapEntry,
    deadlines: tuple[Deadline, ...],
    reports: list[tuple[ReportEntry, FileWarnings]],
    as_of: dt.date,
) -> list[Problem]:
    """A warning for each item whose deadline has passed and that no report on the roadmap mentions, placed
    in the latest report."""
    covered = set().union(*(told.covered for _, told in reports))
    latest, told = max(reports, key=lambda pair: (pair[1].date or dt.date.min, pair[0].slug))
    line, col = told.roadmap_at
    today = as_of.toordinal()
    return [
        Problem(
            latest.source.shown,
            line,
            col,
            with_hint(
                f"ни один отчёт по дорожной карте «{entry.slug}» не упоминает мероприятие {number} "
                f"({entry.source.shown}:{number_line}), а его срок прошёл {russian_date(dt.date.fromordinal(end))}",
                f"добавьте в отчёт пункт с number: '{number}' и его статусом "
                "(выполнено, в работе, не выполнено, отменено)",
            ),
            warning=True,
        )
        for key, number, end, number_line in deadlines
        if end < today and key not in covered
    ]


def _links_in_order(entry: RoadmapEntry | ReportEntry) -> list[LinkRef]:
    return sorted(entry_links(entry), key=position)


@dataclass(frozen=True)
class _Links:
    """One file's link parts, with how its references are made again: only for the few URLs a near-duplicate
    warning names (a national site has a hundred thousand)."""

    parts: LinkParts
    refs: Callable[[], list[LinkRef]]

    @classmethod
    def of(cls, parts: LinkParts | None, refs: Callable[[], list[LinkRef]]) -> _Links | None:
        return cls(parts, refs) if parts else None

    def ref(self, url: str) -> LinkRef:
        return next(ref for ref in self.refs() if ref.url == url)


def _school_warnings(site: Site) -> Iterator[Problem]:
    if site.schools_source is None:
        return
    for index, school in enumerate(site.schools):
        if not school.site.strip():
            yield site.schools_source.doc.problem(
                ("schools", index, "id"),
                with_hint(
                    f"школа {school.short_name}: не указан официальный сайт (site)",
                    "добавьте адрес сайта школы, например site: https://…; без него мониторинг сайтов школ "
                    "пропустит эту школу",
                ),
                warning=True,
            )


def _near_duplicate_warnings(parts: list[_Links], cache: WarningCache) -> Iterator[Problem]:
    pairs = cache.near_duplicates(
        tuple(dict.fromkeys(chain.from_iterable(part.parts.urls for part in parts)))
    )
    if not pairs:
        return
    first_seen: dict[str, _Links] = {}  # which file each URL is first in: only for the few pairs found
    for part in parts:
        for url in part.parts.urls:
            first_seen.setdefault(url, part)
    for pair in pairs:
        first, second = first_seen[pair.first].ref(pair.first), first_seen[pair.second].ref(pair.second)
        yield near_duplicate(first, second, pair.distance)
