"""Helpful warnings about valid content: things that build fine but that a reader or an inspector will miss.

Warnings never stop a build; `check --strict` makes them fail CI. Every warning points at the file and line to
edit and ends with a hint saying what to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

from site_builder.content.links import LinkRef, missing_url, near_duplicate, with_hint
from site_builder.content.loader import Loc
from site_builder.content.models import Item
from site_builder.core.errors import Problem
from site_builder.core.urls import NearDuplicate, near_duplicates
from site_builder.model.deadlines import parse_deadline, russian_date
from site_builder.model.site import (
    EntryCache,
    FileMemo,
    ReportEntry,
    RoadmapEntry,
    Site,
    entry_links,
    item_key,
)

T = TypeVar("T")


class WarningStore(FileMemo, Protocol):
    """Where a build keeps warnings from one run to the next (the build's cache, caches.ParsedFiles)."""

    def loaded(self, paths: tuple[Path, ...], kind: str, compute: Callable[[], T]) -> T:
        """What `compute` makes from the loaded content of `paths`, kept while those files are unchanged."""

    def derived(self, kind: str, data: bytes, compute: Callable[[], T]) -> T:
        """What `compute` makes from `data` alone, kept while it is the same."""


def attach_warnings(site: Site, as_of: dt.date, store: WarningStore | None = None) -> Site:
    """The site with the warnings of this module attached (the one place they are); `check` and `build` show them.

    `store` keeps them while no content file changed (the content folder stands for all of them), and each
    file's own part while that file is unchanged: a build after one file is edited works out that file's.
    """
    found = (
        store(site.content_dir, f"warnings {as_of}", lambda: warnings(site, as_of, WarningCache(store)))
        if store
        else warnings(site, as_of)
    )
    site.warnings.extend(found)
    return site


class WarningCache:
    """What the warnings of a site are worked out from, kept from one check to the next (the live preview's).

    A roadmap's own warnings, its coverage by reports and a file's links are kept while the entries they come
    from are the same objects (load_site lends the entries of unchanged files to the next load). The search
    for near-duplicate URLs, seconds on a national site, depends only on the URLs in the order they are first
    seen: its result is kept while they stay the same, as they do unless a save changes an address.

    A build's `store` keeps the same values from one run to the next, by the files they are worked out from.
    """

    def __init__(self, store: WarningStore | None = None) -> None:
        self.own: EntryCache[list[Problem]] = EntryCache()
        self.coverage: EntryCache[list[Problem]] = EntryCache()
        self.links: EntryCache[_Links | None] = EntryCache()
        self._pairs: tuple[tuple[str, ...], list[NearDuplicate]] = ((), [])
        self.store = store

    def stored(self, paths: tuple[Path, ...], kind: str, compute: Callable[[], T]) -> T:
        return self.store.loaded(paths, kind, compute) if self.store else compute()

    def retain(self, site: Site) -> None:
        for cache in (self.own, self.coverage, self.links):
            cache.retain(site.sources)

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

    `cache` keeps what a later check of the same folder's next load can reuse (see WarningCache).
    """
    cache = cache or WarningCache()
    cache.retain(site)
    found: list[Problem] = []
    parts: list[_Links | None] = []
    for entry, reports in site.groups():
        if entry is None:  # reports on no roadmap carry their own deadlines
            for report in reports:
                deadlines = partial(_report_deadline_warnings, report)
                found += cache.stored((report.source.path,), "report deadline warnings", deadlines)
        else:
            path = entry.source.path
            own = partial(cache.stored, (path,), "roadmap warnings", partial(_own_warnings, entry))
            found += cache.own.get(path, None, (entry,), own)
            if reports:
                paths = (path, *(report.source.path for report in reports))
                compute = partial(
                    cache.stored, paths, f"coverage {as_of}", partial(_uncovered, entry, reports, as_of)
                )
                found += cache.coverage.get(path, as_of, (entry, *reports), compute)
            parts.append(_links_in_order(cache, entry))
        parts += [_links_in_order(cache, report) for report in reports]
    parts += [_Links.of([ref], partial(list, (ref,))) for ref in site.other_links()]
    in_order = sorted((part for part in parts if part), key=lambda part: part.first)
    found += [problem for part in in_order for problem in part.missing]
    found += [*_school_warnings(site), *_near_duplicate_warnings(in_order, cache)]
    return sorted(found)


def _own_warnings(entry: RoadmapEntry) -> list[Problem]:
    return list(_items_without_dates_or_executors(entry))


def _items_without_dates_or_executors(entry: RoadmapEntry) -> Iterator[Problem]:
    doc, roadmap = entry.source.doc, entry.roadmap
    for loc, s_index, i_index in entry.item_locs():
        item = roadmap.sections[s_index].items[i_index]
        where = (*loc, "number")
        if "deadline" in roadmap.columns and not item.deadline.strip() and item.schedule is None:
            yield doc.problem(
                where,
                with_hint(
                    f"мероприятие {item.number}: не указан срок реализации (deadline)",
                    "впишите срок, как в документе, например «Январь 2022» или «До 25.03.2022»",
                ),
                warning=True,
            )
        elif entry.schedules[item_key(item.number)].kind == "unknown":
            yield _unreadable_deadline(entry, loc, item)
        if "executors" in roadmap.columns and not _has_executors(item):
            yield doc.problem(
                where,
                with_hint(
                    f"мероприятие {item.number}: не указаны исполнители (executors)",
                    "впишите, кто выполняет мероприятие, например «Муниципальный координатор»",
                ),
                warning=True,
            )


def _has_executors(item: Item) -> bool:
    return bool(item.executors.strip()) or (
        bool(item.rows) and all(row.executors.strip() for row in item.rows)
    )


def _unreadable_deadline(entry: RoadmapEntry, loc: Loc, item: Item) -> Problem:
    return entry.source.doc.problem(
        (*loc, "deadline"),
        with_hint(
            f"мероприятие {item.number}: срок «{item.deadline}» не распознан",
            f'проверьте запись срока (команда site-builder deadline "{item.deadline}" покажет, как он читается) '
            "или добавьте schedule: {start: ГГГГ-ММ-ДД, end: ГГГГ-ММ-ДД}; пока срок не понят, статус не считается",
        ),
        warning=True,
    )


def _report_deadline_warnings(entry: ReportEntry) -> list[Problem]:
    """A report without a roadmap carries its own deadlines; those must be readable too."""
    return list(_unreadable_report_deadlines(entry))


def _unreadable_report_deadlines(entry: ReportEntry) -> Iterator[Problem]:
    for s_index, section in enumerate(entry.report.sections):
        for i_index, item in enumerate(section.items):
            if not item.deadline.strip():
                continue
            schedule = parse_deadline(item.deadline, entry.report.year)
            if schedule.kind == "unknown":
                yield entry.source.doc.problem(
                    ("sections", s_index, "items", i_index, "deadline"),
                    with_hint(
                        f"пункт {item.number}: срок «{item.deadline}» не распознан",
                        "запишите срок датой или месяцем с годом, например «До 25.03.2022» или «Ноябрь 2022»",
                    ),
                    warning=True,
                )


def _uncovered(entry: RoadmapEntry, reports: list[ReportEntry], as_of: dt.date) -> list[Problem]:
    covered = {
        item_key(item.number)
        for report in reports
        for section in report.report.sections
        for item in section.items
    }
    latest = max(reports, key=lambda r: (r.report.date or dt.date.min, r.slug))
    found = []
    for loc, s_index, i_index in entry.item_locs():
        item = entry.roadmap.sections[s_index].items[i_index]
        end = entry.schedules[item_key(item.number)].end
        if end is None or end >= as_of or item_key(item.number) in covered:
            continue
        line, _ = entry.source.doc.where((*loc, "number"))
        found.append(
            latest.source.doc.problem(
                ("roadmap",),
                with_hint(
                    f"ни один отчёт по дорожной карте «{entry.slug}» не упоминает мероприятие {item.number} "
                    f"({entry.source.shown}:{line}), а его срок прошёл {russian_date(end)}",
                    f"добавьте в отчёт пункт с number: '{item.number}' и его статусом "
                    "(выполнено, в работе, не выполнено, отменено)",
                ),
                warning=True,
            )
        )
    return found


def _position(ref: LinkRef) -> tuple[str, int, int]:
    return ref.path, ref.line, ref.col


@dataclass(frozen=True)
class _Links:
    """What the warnings use of one file's links, in order of place: the URLs and the warnings about blank ones.

    The references themselves, a national site's hundred thousand, are made again (`refs`) only for the few
    URLs a near-duplicate warning names. All links of one roadmap or report are in its file, so ordering the
    files' parts by their first link orders every link by file and place.
    """

    first: tuple[str, int, int]  # the place of the first link
    urls: tuple[str, ...]  # the URLs that are not blank
    missing: tuple[Problem, ...]
    refs: Callable[[], list[LinkRef]]

    @classmethod
    def of(cls, refs: list[LinkRef], again: Callable[[], list[LinkRef]]) -> _Links | None:
        found = _link_parts(refs)
        return cls(*found, again) if found else None

    def ref(self, url: str) -> LinkRef:
        return next(ref for ref in self.refs() if ref.url == url)


_LinkParts = tuple[tuple[str, int, int], tuple[str, ...], tuple[Problem, ...]]  # _Links without its refs


def _link_parts(refs: list[LinkRef]) -> _LinkParts | None:
    if not refs:
        return None
    missing = tuple(missing_url(ref) for ref in refs if ref.kind == "evidence" and not ref.url.strip())
    return _position(refs[0]), tuple(ref.url for ref in refs if ref.url.strip()), missing


def _links_in_order(cache: WarningCache, entry: RoadmapEntry | ReportEntry) -> _Links | None:
    """A roadmap's or report's links, kept while the entry is unchanged (and in the store while its file is)."""
    again = partial(_entry_links_in_order, entry)

    def links() -> _Links | None:
        found = cache.stored((entry.source.path,), "links", lambda: _link_parts(again()))
        return _Links(*found, again) if found else None

    return cache.links.get(entry.source.path, None, (entry,), links)


def _entry_links_in_order(entry: RoadmapEntry | ReportEntry) -> list[LinkRef]:
    return sorted(entry_links(entry), key=_position)


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
    first_seen: dict[str, _Links] = {}
    for part in parts:
        for url in part.urls:
            first_seen.setdefault(url, part)
    for pair in cache.near_duplicates(tuple(first_seen)):
        first, second = first_seen[pair.first].ref(pair.first), first_seen[pair.second].ref(pair.second)
        yield near_duplicate(first, second, pair.distance)
