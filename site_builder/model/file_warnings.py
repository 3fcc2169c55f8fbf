"""What one roadmap or report file warns about on its own, made with the file's facts (model.site) by whoever
reads it, a build's reader processes for one.

The warnings of a whole site (model/warnings.py) are then put together from the facts alone: a build's process
never unpacks a roadmap or a report for them, and a file that did not change brings its warnings from the cache
with its facts.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from site_builder.content.links import LinkRef, missing_url, with_hint
from site_builder.content.loader import Document, Loc
from site_builder.content.models import Item, Report, Roadmap, item_key
from site_builder.core.errors import Problem
from site_builder.model.deadlines import Schedule, parse_deadline

Position = tuple[str, int, int]  # path as shown, line, column


def position(ref: LinkRef) -> Position:
    return ref.path, ref.line, ref.col


@dataclass(frozen=True)
class LinkParts:
    """What the warnings use of one file's links, in order of place: the URLs and the warnings about blank ones.

    All links of one roadmap or report are in its file, so ordering the files' parts by their first link orders
    every link by file and place. The references themselves are made again only for the few URLs a near-duplicate
    warning names.
    """

    first: Position  # the place of the first link
    urls: tuple[str, ...]  # the URLs that are not blank
    missing: tuple[Problem, ...]

    @classmethod
    def of(cls, refs: list[LinkRef]) -> LinkParts | None:
        """The parts of `refs`, a file's links in order of place; None when it has none."""
        if not refs:
            return None
        missing = tuple(missing_url(ref) for ref in refs if ref.kind == "evidence" and not ref.url.strip())
        return cls(position(refs[0]), tuple(ref.url for ref in refs if ref.url.strip()), missing)


# A roadmap item whose schedule ends on a known day, what its coverage by reports is checked with: its number as
# item_key gives it and as written, the end's date.toordinal(), the line of its number. A tuple of plain values:
# a national site has 80,000, unpickled on every build (a date costs a call each).
Deadline = tuple[str, str, int, int]


@dataclass(frozen=True)
class FileWarnings:
    """What the warnings of a site take from one roadmap or report file.

    Held pickled in the file's facts (`packed`): the build's process holds the facts from the load to the end,
    with its workers forked in between, and reads these once. As objects they made a third of what the facts
    of a national site hold (10 KB a roadmap), and the peak of the whole build grew with them.
    """

    own: tuple[Problem, ...]  # its items without a deadline or executors, its deadlines not understood
    links: LinkParts | None
    deadlines: tuple[Deadline, ...] = ()  # a roadmap's items that end on a known day
    # A report's, for its roadmap's coverage: its item numbers as item_key gives them, its date, and where its
    # roadmap field is (or would be), which a warning about the coverage points at.
    covered: frozenset[str] = frozenset()
    date: dt.date | None = None
    roadmap_at: tuple[int, int] = (1, 1)

    def packed(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def unpacked(data: bytes) -> FileWarnings:
        found: FileWarnings = pickle.loads(data)
        return found


def roadmap_warnings(
    roadmap: Roadmap, schedules: dict[str, Schedule], doc: Document, links: Iterable[LinkRef]
) -> bytes:
    """The packed FileWarnings of a roadmap with `links`."""
    own = tuple(_items_without_dates_or_executors(roadmap, schedules, doc))
    return FileWarnings(own, _link_parts(links), _deadlines(roadmap, schedules, doc)).packed()


def report_warnings(report: Report, doc: Document, links: Iterable[LinkRef]) -> bytes:
    """The packed FileWarnings of a report with `links`: a report on no roadmap carries its own deadlines, and
    those must be readable too."""
    own = tuple(_unreadable_report_deadlines(report, doc)) if not report.roadmap else ()
    covered = frozenset(item_key(item.number) for section in report.sections for item in section.items)
    return FileWarnings(own, _link_parts(links), (), covered, report.date, doc.where(("roadmap",))).packed()


def _link_parts(links: Iterable[LinkRef]) -> LinkParts | None:
    return LinkParts.of(sorted(links, key=position))


def _deadlines(roadmap: Roadmap, schedules: dict[str, Schedule], doc: Document) -> tuple[Deadline, ...]:
    found: list[Deadline] = []
    for loc, item in _items(roadmap):
        key = item_key(item.number)
        end = schedules[key].end
        if end is not None:
            found.append((key, item.number, end.toordinal(), doc.where((*loc, "number"))[0]))
    return tuple(found)


def _items(roadmap: Roadmap) -> Iterator[tuple[Loc, Item]]:
    for s_index, section in enumerate(roadmap.sections):
        for i_index, item in enumerate(section.items):
            yield ("sections", s_index, "items", i_index), item


def _items_without_dates_or_executors(
    roadmap: Roadmap, schedules: dict[str, Schedule], doc: Document
) -> Iterator[Problem]:
    for loc, item in _items(roadmap):
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
        elif schedules[item_key(item.number)].kind == "unknown":
            yield _unreadable_deadline(doc, loc, item)
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


def _unreadable_deadline(doc: Document, loc: Loc, item: Item) -> Problem:
    return doc.problem(
        (*loc, "deadline"),
        with_hint(
            f"мероприятие {item.number}: срок «{item.deadline}» не распознан",
            f'проверьте запись срока (команда site-builder deadline "{item.deadline}" покажет, как он читается) '
            "или добавьте schedule: {start: ГГГГ-ММ-ДД, end: ГГГГ-ММ-ДД}; пока срок не понят, статус не считается",
        ),
        warning=True,
    )


def _unreadable_report_deadlines(report: Report, doc: Document) -> Iterator[Problem]:
    for s_index, section in enumerate(report.sections):
        for i_index, item in enumerate(section.items):
            if not item.deadline.strip():
                continue
            schedule = parse_deadline(item.deadline, report.year)
            if schedule.kind == "unknown":
                yield doc.problem(
                    ("sections", s_index, "items", i_index, "deadline"),
                    with_hint(
                        f"пункт {item.number}: срок «{item.deadline}» не распознан",
                        "запишите срок датой или месяцем с годом, например «До 25.03.2022» или «Ноябрь 2022»",
                    ),
                    warning=True,
                )
