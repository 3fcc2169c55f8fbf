"""The whole site as one validated model: every content file loaded, checked and cross-referenced.

`load_site` reads and validates everything before anything is rendered, and reports every problem of the run at once.
"""

from __future__ import annotations

import datetime as dt
import operator
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from site_builder.content.links import LinkRef
from site_builder.content.loader import Document, Loc, MarkdownSource, load_markdown, load_yaml, read_text
from site_builder.content.models import (
    Item,
    PageMeta,
    Report,
    ReportItem,
    ReportSection,
    Roadmap,
    School,
    Schools,
    Section,
    SiteConfig,
    item_key,
)
from site_builder.content.records.monitoring import RESULTS_FOLDER, MonitoringResults, order_key
from site_builder.content.validate import validate
from site_builder.core.errors import ContentError, Folders, Problem, display_path
from site_builder.core.markup import html_links, render_markdown
from site_builder.core.packing import UNREADABLE
from site_builder.core.safefiles import list_folder
from site_builder.core.sequences import replaced
from site_builder.model.deadlines import Schedule, explicit_schedule, parse_deadline
from site_builder.model.file_warnings import report_warnings, roadmap_warnings
from site_builder.model.packed import Packable

if TYPE_CHECKING:  # read by the pipeline only when a build is given the file: `check` never needs its schema
    from site_builder.content.records.link_report import LinkRecord

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
V = TypeVar("V")
SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


def section_heading(number: str, title: str) -> str:
    """«1. Организационное обеспечение»: the number as item_key reads it, whether or not the document put a dot."""
    return f"{item_key(number)}. {title}" if number else title


class Source:
    """Where a piece of content came from: the file as shown to the editor and its positions (`doc`), held, or
    made again when asked for (a packed entry's content holds them)."""

    __slots__ = ("path", "shown", "_doc")

    def __init__(self, path: Path, shown: str, doc: Document | Callable[[], Document]) -> None:
        self.path = path
        self.shown = shown
        self._doc = doc

    @classmethod
    def of(cls, path: Path, doc: Document) -> Source:
        return cls(path, doc.path, doc)

    @property
    def doc(self) -> Document:
        doc = self._doc
        return doc if isinstance(doc, Document) else doc()


def item_schedule(item: Item, year: int) -> Schedule:
    """How an item's deadline is understood: the editor's explicit dates win over the parsed text."""
    if item.schedule:
        return explicit_schedule(item.deadline, item.schedule.start, item.schedule.end)
    return parse_deadline(item.deadline, year)


def roadmap_schedules(roadmap: Roadmap) -> dict[str, Schedule]:
    return {
        item_key(item.number): item_schedule(item, roadmap.year)
        for section in roadmap.sections
        for item in section.items
    }


# The roadmap, its schedules by item_key(number) and its file's positions.
RoadmapContent = tuple[Roadmap, dict[str, Schedule], Document]


@dataclass(frozen=True)
class RoadmapSummary:
    """What lists of roadmaps show (the landing page's cards and shelves) and what the load checks the reports
    on it against, held beside the packed content."""

    title: str
    level: str
    year: int
    territory: str
    period_end: dt.date  # the end of its year, or of its latest item if that runs longer
    numbers: frozenset[str]  # its items' numbers, as item_key gives them

    @classmethod
    def of(cls, roadmap: Roadmap, schedules: dict[str, Schedule]) -> RoadmapSummary:
        ends = [schedule.end for schedule in schedules.values() if schedule.end is not None]
        end = max([dt.date(roadmap.year, 12, 31), *ends])
        # Interned: a national site's roadmaps number their items alike.
        numbers = frozenset(
            sys.intern(item_key(item.number)) for section in roadmap.sections for item in section.items
        )
        return cls(roadmap.title, roadmap.level, roadmap.year, roadmap.territory, end, numbers)


@dataclass(frozen=True)
class ReportSummary:
    """What lists of reports show, held beside the packed content."""

    title: str
    stage: str


@dataclass(frozen=True)
class RoadmapFacts:
    """What the load takes of a valid roadmap file besides its content, made from it by whoever reads the file
    (a worker, build/prefetch.py) and kept with it: an entry is made from these without its content."""

    slug: str
    summary: RoadmapSummary
    problems: tuple[Problem, ...]  # of the file alone: a file name that is no slug, repeated item numbers
    warnings: bytes  # what the site's warnings take of the file, packed (model/file_warnings.py FileWarnings)


@dataclass(frozen=True)
class ReportFacts:
    """RoadmapFacts for a report: with what the load checks against its roadmap."""

    slug: str
    summary: ReportSummary
    roadmap: str  # the slug it names, or ""
    numbers: tuple[tuple[Loc, str, str], ...]  # each item's number: where, as item_key gives it, as written
    narrative_html: str
    problems: tuple[Problem, ...]  # of the file alone
    warnings: bytes  # as RoadmapFacts.warnings


class RoadmapEntry(Packable[RoadmapContent]):
    __slots__ = ("file_warnings", "slug", "url", "source", "summary")

    def __init__(
        self, facts: RoadmapFacts, source: Source, content: RoadmapContent | Callable[[], RoadmapContent]
    ):
        super().__init__(content)
        self.file_warnings = facts.warnings
        self.slug = facts.slug
        # Made once: the landing page and the preview's memos look entries up by it thousands of times.
        self.url = f"roadmaps/{facts.slug}.html"
        self.source = source
        self.summary = facts.summary

    @property
    def roadmap(self) -> Roadmap:
        return self._content()[0]

    @property
    def schedules(self) -> dict[str, Schedule]:
        return self._content()[1]

    def item_locs(self) -> Iterator[tuple[Loc, int, int]]:
        """(loc, section index, item index) of every item."""
        for s_index, section in enumerate(self.roadmap.sections):
            for i_index in range(len(section.items)):
                yield ("sections", s_index, "items", i_index), s_index, i_index


class ReportEntry(Packable[tuple[Report, Document]]):
    __slots__ = ("file_warnings", "slug", "url", "source", "narrative_html", "roadmap", "summary")

    def __init__(
        self,
        facts: ReportFacts,
        source: Source,
        roadmap: RoadmapEntry | None,
        content: tuple[Report, Document] | Callable[[], tuple[Report, Document]],
    ):
        super().__init__(content)
        self.file_warnings = facts.warnings
        self.summary = facts.summary
        self.slug = facts.slug
        self.url = f"reports/{facts.slug}.html"
        self.source = source
        self.narrative_html = facts.narrative_html
        self.roadmap = roadmap

    @property
    def report(self) -> Report:
        return self._content()[0]


@dataclass
class PageEntry:
    meta: PageMeta
    slug: str
    source: Source
    html: str
    body_line: int

    @property
    def url(self) -> str:
        return f"pages/{self.slug}.html"


@dataclass
class MonitoringEntry:
    """One results file of content/monitoring/."""

    results: MonitoringResults
    source: Source


Group = tuple[RoadmapEntry | None, list[ReportEntry]]  # a roadmap with its reports (Site.groups)


@dataclass(frozen=True)
class Listing:
    """A content folder's names as listed and the content files taken from them: the next load reuses it while
    the names are the same."""

    names: list[str]
    paths: list[Path]

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each file's position by its path's text, worked out once for as long as the listing is reused."""
        return {os.fspath(path): index for index, path in enumerate(self.paths)}


@dataclass
class Site:
    content_dir: Path
    config: SiteConfig
    intro_html: str
    roadmaps: list[RoadmapEntry]
    reports: list[ReportEntry]
    schools: list[School]
    schools_source: Source | None
    pages: list[PageEntry]
    sources: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    monitoring: list[MonitoringEntry] = field(default_factory=list)  # oldest first
    link_results: LinkRecord | None = None  # the last `check-links` run, when the build was given one
    # Each content folder's names as listed and the files taken from them: the next load reuses the list.
    listings: dict[Path, Listing] = field(default_factory=dict, repr=False, compare=False)

    @property
    def site_yaml(self) -> Path:
        return self.content_dir / "site.yaml"

    @cached_property
    def reports_of(self) -> dict[int, list[ReportEntry]]:
        """The reports on each roadmap, by id() of its entry, in file order: one pass for the whole site."""
        found: dict[int, list[ReportEntry]] = {}
        for report in self.reports:
            if report.roadmap is not None:
                found.setdefault(id(report.roadmap), []).append(report)
        return found

    def groups(self) -> Iterator[Group]:
        """Each roadmap with the reports on it, then (None, the reports on no roadmap): the order of a pass over
        every entry, in which a packed entry's content is made again once for all it is read by (model/packed.py)."""
        for entry in self.roadmaps:
            yield entry, self.reports_of.get(id(entry), [])
        yield None, [report for report in self.reports if report.roadmap is None]

    # What each page and download is made from, declared once: the plan of pages, the downloads and the
    # fingerprints of the preview and the build cache all read these.
    def roadmap_inputs(self, entry: RoadmapEntry) -> tuple[Path, ...]:
        reports = self.reports_of.get(id(entry), [])
        return (self.site_yaml, entry.source.path, *(report.source.path for report in reports))

    def report_inputs(self, report: ReportEntry) -> tuple[Path, ...]:
        roadmap = (report.roadmap.source.path,) if report.roadmap else ()
        return (self.site_yaml, report.source.path, *roadmap)

    def note_inputs(self) -> tuple[Path, ...]:
        return (self.site_yaml, *(entry.source.path for entry in self.monitoring))

    def links(self) -> list[LinkRef]:
        """Every URL the content holds, with the place it stands; evidence lines without a URL included."""
        entries: list[RoadmapEntry | ReportEntry] = [*self.roadmaps, *self.reports]
        refs = [ref for entry in entries for ref in entry_links(entry)]
        return refs + self.other_links()

    def other_links(self) -> list[LinkRef]:
        """The links of schools.yaml and of the pages: what `links` adds to those of roadmaps and reports."""
        refs: list[LinkRef] = []
        if self.schools_source:
            doc = self.schools_source.doc
            for index, school in enumerate(self.schools):
                for name in ("site", "section_url"):
                    url = getattr(school, name)
                    if url:
                        line, col = doc.where(("schools", index, name))
                        refs.append(
                            LinkRef(url, doc.path, line, col, "school", school.short_name, school.short_name,
                                    "schools")
                        )  # fmt: skip
        for page in self.pages:
            refs.extend(_page_links(page))
        return refs


def entry_links(entry: RoadmapEntry | ReportEntry) -> list[LinkRef]:
    """The links of one roadmap or report, in the order Site.links gives them."""
    page = entry.url.removesuffix(".html")
    if isinstance(entry, RoadmapEntry):
        return list(_roadmap_links(entry.roadmap, entry.source.doc, page))
    return list(_report_links(entry.report, entry.source.doc, page))


def _link_ref(
    doc: Document, loc: Loc, url: str, kind: str, title: str, owner: str, slug: str, item: str
) -> LinkRef:
    line, col = doc.where((*loc, "url") if url or (*loc, "url") in doc else loc)
    return LinkRef(url, doc.path, line, col, kind, title, owner, slug, item)  # type: ignore[arg-type]


def _roadmap_links(roadmap: Roadmap, doc: Document, page: str) -> Iterator[LinkRef]:
    """`page`: the page that shows them, «roadmaps/<slug>»."""
    yield from _evidence_links(roadmap.sections, roadmap.title, doc, page)
    approval = roadmap.approval
    if approval and approval.file and approval.file.url:
        file = approval.file
        yield _link_ref(doc, ("approval", "file"), file.url, "info", file.title, roadmap.title, page, "")


def _report_links(report: Report, doc: Document, page: str) -> Iterator[LinkRef]:
    return _evidence_links(report.sections, report.title, doc, page)


def _evidence_links(
    sections: Sequence[Section | ReportSection], title: str, doc: Document, page: str
) -> Iterator[LinkRef]:
    for s_index, section in enumerate(sections):
        items: Sequence[Item | ReportItem] = section.items
        for i_index, item in enumerate(items):
            for e_index, link in enumerate(item.evidence):
                loc = ("sections", s_index, "items", i_index, "evidence", e_index)
                yield _link_ref(doc, loc, link.url, "evidence", link.title, title, page, item.number)


def _page_links(page: PageEntry) -> Iterator[LinkRef]:
    lines = read_text(page.source.path, page.source.shown).splitlines()
    for url, text in html_links(page.html):
        line_no = next((n for n, line in enumerate(lines, 1) if url in line), page.body_line)
        col = lines[line_no - 1].find(url) + 1 if line_no <= len(lines) else 1
        yield LinkRef(url, page.source.shown, line_no, max(col, 1), "page", text, page.meta.title,
                      page.url.removesuffix(".html"))  # fmt: skip


class EntryCache(Generic[V]):
    """Values worked out from roadmap and report entries, kept from one load to the next by their file.

    A value is handed back while the objects it was worked out from are the very same and `when` (a date) is
    equal. load_site lends the entries of unchanged files to the next load (`previous`), so a live preview
    works out again only what a save touched.
    """

    def __init__(self, limit: int | None = None) -> None:
        self._kept: dict[Path, tuple[object, tuple[object, ...], V]] = {}
        self.limit = limit  # values kept at most, the oldest let go first; None: all

    def get(self, path: Path, when: object, inputs: tuple[object, ...], compute: Callable[[], V]) -> V:
        kept = self._kept.get(path)
        same = kept is not None and kept[0] == when and len(kept[1]) == len(inputs)
        if kept is not None and same and all(map(operator.is_, kept[1], inputs)):
            return kept[2]
        value = compute()
        self._kept.pop(path, None)
        self._kept[path] = (when, inputs, value)
        if self.limit is not None and len(self._kept) > self.limit:
            del self._kept[next(iter(self._kept))]
        return value

    def retain(self, paths: Iterable[Path]) -> None:
        """Forget what was worked out for files that are gone (deleted or renamed)."""
        kept = set(paths)
        for path in [path for path in self._kept if path not in kept]:
            del self._kept[path]


class FileMemo(Protocol):
    """Reuses what was computed from one file while the file is unchanged (the live preview keeps one)."""

    def __call__(self, path: Path, kind: str, compute: Callable[[], T]) -> T: ...


# What a memo is asked for besides the models of files: values made from the model read just before them, not
# from the file. A memo keyed by the file's bytes keys them by the bytes that model was read from.
SCHEDULES, ROADMAP_FACTS, REPORT_FACTS, INTRO = "schedules", "roadmap facts", "report facts", "intro"
MADE_FROM_MODEL = frozenset({SCHEDULES, ROADMAP_FACTS, REPORT_FACTS, INTRO})


@runtime_checkable
class RecallingMemo(FileMemo, Protocol):
    """A memo that holds its answers packed (build/prefetch.Prefetched, the workers' pickles): the roadmaps and
    reports loaded through it are made from their facts and packed (model/packed.py), their content never
    unpickled by the load."""

    def recall(self, path: Path, kind: str) -> Callable[[], Any] | None:
        """What the memo answers for (path, kind), made anew on each call; None when it holds no answer."""


def _compute(path: Path, kind: str, compute: Callable[[], T]) -> T:
    return compute()


def read_valid(
    memo: FileMemo, path: Path, shown: str, model: type[M]
) -> tuple[Document | None, M | None, list[Problem]]:
    """One file read and validated, through `memo`."""
    return memo(path, model.__name__, lambda: _read_valid(path, shown, model))


def _schedules(memo: FileMemo, path: Path, roadmap: Roadmap) -> dict[str, Schedule]:
    return memo(path, SCHEDULES, partial(roadmap_schedules, roadmap))


def _roadmap_facts(
    memo: FileMemo, path: Path, roadmap: Roadmap, schedules: dict[str, Schedule], doc: Document
) -> RoadmapFacts:
    return memo(path, ROADMAP_FACTS, partial(_roadmap_facts_of, path, roadmap, schedules, doc))


def _report_facts(memo: FileMemo, path: Path, report: Report, doc: Document) -> ReportFacts:
    return memo(path, REPORT_FACTS, partial(_report_facts_of, path, report, doc))


def _roadmap_facts_of(
    path: Path, roadmap: Roadmap, schedules: dict[str, Schedule], doc: Document
) -> RoadmapFacts:
    slug, problems = _slug(roadmap.slug, path, doc)
    source = Source.of(path, doc)
    numbers = (
        (item_key(item.number), source, ("sections", s_index, "items", i_index, "number"))
        for s_index, section in enumerate(roadmap.sections)
        for i_index, item in enumerate(section.items)
    )
    problems += _repeats(numbers, lambda key: f"номер мероприятия «{key}» повторяется в дорожной карте")
    return RoadmapFacts(
        slug,
        RoadmapSummary.of(roadmap, schedules),
        tuple(problems),
        roadmap_warnings(roadmap, schedules, doc, _roadmap_links(roadmap, doc, f"roadmaps/{slug}")),
    )


def _report_facts_of(path: Path, report: Report, doc: Document) -> ReportFacts:
    items: list[tuple[Loc, ReportItem]] = [
        (("sections", s_index, "items", i_index), item)
        for s_index, section in enumerate(report.sections)
        for i_index, item in enumerate(section.items)
    ]
    numbers = tuple(((*loc, "number"), item_key(item.number), item.number) for loc, item in items)
    problems = [
        doc.problem(
            loc,
            f"мероприятие {item.number}: у отчёта без дорожной карты (поле roadmap) "
            "нужно заполнить activity — текст мероприятия",
        )
        for loc, item in items
        if not report.roadmap and not item.activity
    ]
    source = Source.of(path, doc)
    numbered = ((key, source, loc) for loc, key, _ in numbers)
    problems += _repeats(numbered, lambda key: f"номер «{key}» повторяется в отчёте")
    slug, slug_problems = _slug(report.slug, path, doc)
    summary = ReportSummary(report.title, report.stage)
    return ReportFacts(
        slug,
        summary,
        report.roadmap,
        numbers,
        render_markdown(report.narrative),
        (*problems, *slug_problems),
        report_warnings(report, doc, _report_links(report, doc, f"reports/{slug}")),
    )


ENTRY_FOLDERS: dict[str, type[Roadmap] | type[Report]] = {"roadmaps": Roadmap, "reports": Report}
# What a memo is asked for a valid roadmap or report file (read_entry_file), the model first.
ENTRY_ANSWERS: dict[type[Roadmap] | type[Report], tuple[str, ...]] = {
    Roadmap: (Roadmap.__name__, SCHEDULES, ROADMAP_FACTS),
    Report: (Report.__name__, REPORT_FACTS),
}


def read_entry_file(
    memo: FileMemo,
    content_dir: Path,
    path: Path,
    model: type[Roadmap] | type[Report],
    folders: Folders | None = None,
) -> None:
    """Ask `memo` for everything load_site asks it for one roadmap or report file (of ENTRY_FOLDERS), in the same
    way: the bulk of a load, and the same for every file, so that other processes can do it beforehand and hand
    the answers to the load (build/prefetch.py). `folders` resolves the files' folders for a pass over many."""
    doc, value, _ = read_valid(memo, path, display_path(path, content_dir, folders), model)
    if doc is None:
        return
    if isinstance(value, Roadmap):
        _roadmap_facts(memo, path, value, _schedules(memo, path, value), doc)
    elif isinstance(value, Report):
        _report_facts(memo, path, value, doc)


def entry_files(content_dir: Path) -> list[tuple[Path, type[Roadmap] | type[Report]]]:
    """The roadmap and report files load_site will read, named as it names them; a folder that cannot be listed
    has none here (the load reports it)."""
    found: list[tuple[Path, type[Roadmap] | type[Report]]] = []
    for name, model in ENTRY_FOLDERS.items():
        folder = content_dir / name
        try:
            names = list_folder(folder, str(folder))
        except ContentError:
            continue
        found += [(folder / file, model) for file in names if _content_name(file, (".yaml", ".yml"))]
    return found


def _read_valid(path: Path, shown: str, model: type[M]) -> tuple[Document | None, M | None, list[Problem]]:
    """One file read and validated on its own, so the result depends on that file alone."""
    try:
        doc = load_yaml(path, shown)
    except ContentError as error:
        return None, None, error.problems
    value, problems = validate(doc, model)
    return _valid_only(doc, value), value, problems


def _valid_only(doc: Document, value: BaseModel | None) -> Document:
    """A validated document keeps only where things are: its content is in the model from now on."""
    if value is not None:
        doc.data = None
    return doc


def _read_page(path: Path, shown: str) -> tuple[MarkdownSource | None, PageMeta | None, str, list[Problem]]:
    try:
        page = load_markdown(path, shown)
    except ContentError as error:
        return None, None, "", error.problems
    meta, problems = validate(page.meta, PageMeta)
    _valid_only(page.meta, meta)
    return page, meta, render_markdown(page.body) if meta else "", problems


class _Collector:
    """Gathers problems across every file so one run reports them all."""

    def __init__(
        self,
        content_dir: Path,
        memo: FileMemo | None = None,
        previous: Site | None = None,
        changed: Iterable[Path] | None = None,
    ) -> None:
        self.content_dir = content_dir
        self.folders = Folders()  # one load: each folder of content files is resolved once
        self.memo: FileMemo = memo or _compute
        self.recall = memo.recall if isinstance(memo, RecallingMemo) else None
        self.previous_site = previous
        self.changed = {os.fspath(path) for path in changed} if previous and changed is not None else None
        self.listings: dict[Path, Listing] = {}
        self.problems: list[Problem] = []
        self.sources: list[Path] = []
        # Slugs a broken roadmap file may have had: references to them are not reported as unknown, since
        # the real problem is already reported in that file.
        self.broken_slugs: set[str] = set()
        # Folders that exist but could not be listed: which files they hold is unknown.
        self.unlisted: set[Path] = set()

    @cached_property
    def previous(self) -> dict[str, RoadmapEntry | ReportEntry]:
        """The previous load's entries by their path's text, as `changed` names files: made only when a folder
        is looked at file by file (see `replaced_in`)."""
        previous = self.previous_site
        if previous is None:
            return {}
        found: dict[str, RoadmapEntry | ReportEntry] = {}
        found.update((os.fspath(entry.source.path), entry) for entry in previous.roadmaps)
        found.update((os.fspath(entry.source.path), entry) for entry in previous.reports)
        return found

    def replaced_in(self, folder: Path, previous: Sequence[object]) -> list[int] | None:
        """The positions of the files `changed` names among `folder`'s, when this load lists the very files the
        previous one did and `previous` (its entries of the folder) holds one entry per file, in their order;
        None: every file is to be looked at.

        The previous load found no problem, so it made an entry of every file: a save then reads the files it
        named, and the other entries stay where they are.
        """
        listing = self.listings.get(folder)
        site = self.previous_site
        if (
            self.changed is None
            or site is None
            or listing is None
            or site.listings.get(folder) is not listing
        ):
            return None
        if len(previous) != len(listing.paths):
            return None
        positions = listing.positions
        return sorted(positions[key] for key in self.changed if key in positions)

    @cached_property
    def paths(self) -> dict[str, Path]:
        """The previous load's Path objects by their text: hashed and compared once, not on every load."""
        previous = self.previous_site
        return {os.fspath(path): path for path in previous.sources} if previous else {}

    def shown(self, path: Path) -> str:
        return display_path(path, self.content_dir, self.folders)

    def kept(self, path: Path) -> RoadmapEntry | ReportEntry | None:
        """The previous load's entry of a file that `changed` does not name: trusted unchanged, not even looked at.

        Its checks were made by the previous load, which found no problem; what it shares with other files
        (its slug, its roadmap) the caller checks.
        """
        if self.changed is None:
            return None
        key = os.fspath(path)
        return None if key in self.changed else self.previous.get(key)

    def load(self, path: Path, model: type[M]) -> tuple[M, Source] | None:
        self.sources.append(path)
        return self.read(path, model)

    def read(self, path: Path, model: type[M]) -> tuple[M, Source] | None:
        """`load` for a file already among the sources."""
        doc, value, problems = read_valid(self.memo, path, self.shown(path), model)
        self.problems.extend(problems)
        if doc is None:
            return None
        if value is None and isinstance(doc.data, dict) and isinstance(doc.data.get("slug"), str):
            self.broken_slugs.add(doc.data["slug"])
        return (value, Source.of(path, doc)) if value is not None else None

    def load_page(self, path: Path) -> PageEntry | None:
        self.sources.append(path)
        page, meta, html, problems = self.memo(path, "page", lambda: _read_page(path, self.shown(path)))
        self.problems.extend(problems)
        if page is None or meta is None:
            return None
        slug, problems = _slug(meta.slug, path, page.meta)
        self.problems += problems
        return PageEntry(meta, slug, Source.of(path, page.meta), html, page.body_line)

    def reused(
        self, path: Path, content: Roadmap | Report, old: RoadmapEntry | ReportEntry | None = None
    ) -> RoadmapEntry | ReportEntry | None:
        """The previous load's entry of `path` (`old` when the caller has it) when `content` is the very object
        it was made from.

        The memo hands back the same object only while the file's bytes are the same, and a previous load
        exists only if it found no problem at all: such an entry needs no checks of its own again.
        """
        old = old if old is not None else self.previous.get(os.fspath(path))
        found = old.roadmap if isinstance(old, RoadmapEntry) else old.report if old else None
        return old if found is content else None

    def recalled(
        self, path: Path, model: type[Roadmap] | type[Report]
    ) -> tuple[Any, list[Callable[[], Any]]] | None:
        """The facts the memo holds for `path` (the last of ENTRY_ANSWERS), with how it makes each of its other
        answers again (see RecallingMemo); None when it holds not all of them or the facts cannot be unpacked
        (not packed by this code): the file is read as if the memo held nothing."""
        if self.recall is None:
            return None
        kinds = ENTRY_ANSWERS[model]
        found = [again for kind in kinds if (again := self.recall(path, kind)) is not None]
        if len(found) < len(kinds):
            return None
        *answers, facts = found
        try:
            return facts(), answers
        except UNREADABLE:
            return None


def _slug(given: str, path: Path, doc: Document) -> tuple[str, list[Problem]]:
    """The slug given, or the one the file name gives: a name that cannot be a safe URL is an error asking for
    `slug:`."""
    if given:
        return given, []
    slug = path.stem
    if not slug or set(slug) - SLUG_CHARS or slug.startswith("-"):
        message = (
            f"имя файла «{path.name}» не годится для адреса страницы: переименуйте файл латиницей "
            "(строчные буквы, цифры, дефис) или укажите поле slug"
        )
        return slug, [doc.problem((), message)]
    return slug, []


# How a packed entry's content is made again from the memo's answers (see _Collector.recalled and read_valid).
def _roadmap_content(read: Callable[[], Any], schedules: Callable[[], dict[str, Schedule]]) -> RoadmapContent:
    doc, roadmap, _ = read()
    return roadmap, schedules(), doc


def _report_content(read: Callable[[], Any]) -> tuple[Report, Document]:
    doc, report, _ = read()
    return report, doc


def _files(collector: _Collector, folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Every entry of `folder` named like a content file, whatever it is: the reader refuses what is not a file.

    A missing folder has none; one that cannot be listed is a problem (see safefiles.list_folder).
    """
    try:
        names = list_folder(folder, collector.shown(folder))
    except ContentError as error:
        collector.problems.extend(error.problems)
        collector.unlisted.add(folder)
        return []
    listing = collector.previous_site.listings.get(folder) if collector.previous_site else None
    if listing is None or listing.names != names:
        base = os.fspath(folder)
        paths = [
            collector.paths.get(os.path.join(base, name)) or folder / name
            for name in names
            if _content_name(name, suffixes)
        ]
        listing = Listing(names, paths)
    collector.listings[folder] = listing
    return listing.paths


def _yaml_files(collector: _Collector, folder: Path) -> list[Path]:
    return _files(collector, folder, (".yaml", ".yml"))


def _content_name(name: str, suffixes: tuple[str, ...]) -> bool:
    # A name that is all suffix («.yaml») has none, as Path.suffix sees it; «.#name» is an editor's lock link.
    return name.endswith(suffixes) and name not in suffixes and not name.startswith(".#")


def _repeats(entries: Iterable[tuple[str, Source, Loc]], message: Callable[[str], str]) -> list[Problem]:
    """A problem for each key met before, with where it was first met."""
    first: dict[str, tuple[Source, Loc]] = {}
    problems = []
    for key, source, loc in entries:
        if key not in first:
            first[key] = (source, loc)
            continue
        earlier, earlier_loc = first[key]
        line, _ = earlier.doc.where(earlier_loc)  # looked up only for a repeat: most keys never need it
        problems.append(source.doc.problem(loc, f"{message(key)} (впервые — {earlier.shown}:{line})"))
    return problems


def _load_roadmaps(collector: _Collector, folder: Path) -> list[RoadmapEntry]:
    paths = _yaml_files(collector, folder)
    previous = collector.previous_site.roadmaps if collector.previous_site else []
    saved = collector.replaced_in(folder, previous)
    found: list[RoadmapEntry | None]
    if saved is None:
        found = [_roadmap(collector, path) for path in paths]
    else:  # the previous entries in place, the saved files read again
        collector.sources.extend(paths)
        found = list(previous)
        for index in saved:
            found[index] = _read_roadmap(collector, paths[index], previous[index])
    entries = [entry for entry in found if entry is not None]
    collector.problems += _repeats(
        [(e.slug, e.source, ("slug",)) for e in entries],
        lambda key: f"адрес страницы «{key}» уже занят другой дорожной картой",
    )
    return entries


def _roadmap(collector: _Collector, path: Path) -> RoadmapEntry | None:
    collector.sources.append(path)
    kept = collector.kept(path)
    if isinstance(kept, RoadmapEntry):
        return kept
    recalled = collector.recalled(path, Roadmap)
    if recalled is None:
        return _read_roadmap(collector, path, None)
    facts: RoadmapFacts = recalled[0]
    read, schedules = recalled[1]
    collector.problems += facts.problems
    # The positions come with the content, once the entry holds it.
    source = Source(path, collector.shown(path), lambda: entry._content()[-1])
    entry = RoadmapEntry(facts, source, partial(_roadmap_content, read, schedules))
    return entry


def _read_roadmap(collector: _Collector, path: Path, old: RoadmapEntry | None) -> RoadmapEntry | None:
    """The entry of a roadmap file already among the sources; None when the file is broken."""
    loaded = collector.read(path, Roadmap)
    if loaded is None:
        collector.broken_slugs.add(path.stem)
        return None
    roadmap, source = loaded
    reused = collector.reused(path, roadmap, old)
    if isinstance(reused, RoadmapEntry):
        return reused
    schedules = _schedules(collector.memo, path, roadmap)
    facts = _roadmap_facts(collector.memo, path, roadmap, schedules, source.doc)
    collector.problems += facts.problems
    return RoadmapEntry(facts, source, (roadmap, schedules, source.doc))


def _load_reports(collector: _Collector, folder: Path, roadmaps: list[RoadmapEntry]) -> list[ReportEntry]:
    by_slug = {entry.slug: entry for entry in roadmaps}
    paths = _yaml_files(collector, folder)
    previous = collector.previous_site.reports if collector.previous_site else []
    saved = collector.replaced_in(folder, previous)
    gone = _replaced_roadmaps(collector, roadmaps) if saved is not None else None
    found: list[ReportEntry | None]
    if saved is None or gone is None:
        found = [_report(collector, path, by_slug) for path in paths]
    else:  # the previous entries in place; the saved files, and the reports on a replaced roadmap, read again
        collector.sources.extend(paths)
        found = list(previous)
        on_gone = [i for i, entry in enumerate(previous) if id(entry.roadmap) in gone] if gone else []
        for index in sorted({*saved, *on_gone}):
            found[index] = _read_report(collector, paths[index], by_slug, previous[index])
    entries = [entry for entry in found if entry is not None]
    collector.problems += _repeats(
        [(e.slug, e.source, ("slug",)) for e in entries],
        lambda key: f"адрес страницы «{key}» уже занят другим отчётом",
    )
    return entries


def _replaced_roadmaps(collector: _Collector, roadmaps: list[RoadmapEntry]) -> set[int] | None:
    """id() of the previous load's roadmaps that this load replaced; None when roadmaps were added or removed."""
    previous = collector.previous_site.roadmaps if collector.previous_site else []
    positions = replaced(roadmaps, previous)
    return None if positions is None else {id(previous[index]) for index in positions}


def _report(collector: _Collector, path: Path, by_slug: dict[str, RoadmapEntry]) -> ReportEntry | None:
    collector.sources.append(path)
    kept = collector.kept(path)
    if isinstance(kept, ReportEntry) and kept.roadmap is _roadmap_of(kept.report.roadmap, by_slug):
        return kept
    recalled = collector.recalled(path, Report)
    if recalled is None:
        return _read_report(collector, path, by_slug, None)
    facts: ReportFacts = recalled[0]
    (read,) = recalled[1]
    # The positions come with the content, once the entry holds it.
    source = Source(path, collector.shown(path), lambda: entry._content()[-1])
    entry = ReportEntry(facts, source, None, partial(_report_content, read))
    entry.roadmap = _checked_roadmap(collector, facts, source, by_slug)
    collector.problems += facts.problems
    return entry


def _read_report(
    collector: _Collector, path: Path, by_slug: dict[str, RoadmapEntry], old: ReportEntry | None
) -> ReportEntry | None:
    """The entry of a report file already among the sources; None when the file is broken."""
    loaded = collector.read(path, Report)
    if loaded is None:
        return None
    report, source = loaded
    facts = _report_facts(collector.memo, path, report, source.doc)
    roadmap = _checked_roadmap(collector, facts, source, by_slug)
    reused = collector.reused(path, report, old)
    if isinstance(reused, ReportEntry) and reused.roadmap is roadmap:
        return reused
    collector.problems += facts.problems
    return ReportEntry(facts, source, roadmap, (report, source.doc))


def _roadmap_of(slug: str, by_slug: dict[str, RoadmapEntry]) -> RoadmapEntry | None:
    return by_slug.get(slug) if slug else None


def _checked_roadmap(
    collector: _Collector, facts: ReportFacts, source: Source, by_slug: dict[str, RoadmapEntry]
) -> RoadmapEntry | None:
    """The roadmap a report is on, with a problem for a roadmap or an item number it names and there is not."""
    roadmap = _roadmap_of(facts.roadmap, by_slug)
    if roadmap is None:
        roadmaps_folder = collector.content_dir / "roadmaps"
        unknown = facts.roadmap not in collector.broken_slugs and roadmaps_folder not in collector.unlisted
        if facts.roadmap and unknown:
            known = ", ".join(sorted(by_slug)) or "дорожных карт нет"
            message = f"поле «roadmap»: нет дорожной карты «{facts.roadmap}» (есть: {known})"
            collector.problems.append(source.doc.problem(("roadmap",), message))
        return None
    known_numbers = roadmap.summary.numbers
    collector.problems += [
        source.doc.problem(loc, f"в дорожной карте «{roadmap.slug}» нет мероприятия с номером «{number}»")
        for loc, key, number in facts.numbers
        if key not in known_numbers
    ]
    return roadmap


def _load_monitoring(collector: _Collector, folder: Path) -> list[MonitoringEntry]:
    entries = [
        MonitoringEntry(*loaded)
        for path in _yaml_files(collector, folder)
        if (loaded := collector.load(path, MonitoringResults))
    ]
    return sorted(entries, key=lambda e: order_key(e.source.path.stem, e.results.date))


def load_site(
    content_dir: Path,
    memo: FileMemo | None = None,
    previous: Site | None = None,
    changed: Iterable[Path] | None = None,
) -> Site:
    """Load and validate the whole content folder; raises ContentError listing every problem found.

    `previous`, what the last load of the same folder with the same `memo` gave, lends its roadmap and report
    entries to files that did not change (with the same roadmap, for a report): the live preview keeps what it
    computed from an entry while the entry object is the same. `changed`, with `previous`, names every file that
    may have changed since (a file watcher's list): the roadmaps and reports it does not name are taken from
    `previous` without being looked at. Folders are listed all the same, so an added or removed file is seen.
    """
    collector = _Collector(content_dir, memo, previous, changed)
    if not content_dir.is_dir():
        raise ContentError([Problem(collector.shown(content_dir), 1, 1, "папка с содержимым не найдена")])
    site_path = content_dir / "site.yaml"
    config_loaded = None
    if os.path.lexists(site_path):  # whatever stands there: the reader says what is wrong with it
        config_loaded = collector.load(site_path, SiteConfig)
    else:
        collector.problems.append(
            Problem(collector.shown(site_path), 1, 1, "нет файла site.yaml с названием раздела и организации")
        )
    roadmaps = _load_roadmaps(collector, content_dir / "roadmaps")
    reports = _load_reports(collector, content_dir / "reports", roadmaps)
    schools: list[School] = []
    schools_source = None
    if os.path.lexists(content_dir / "schools.yaml"):
        loaded = collector.load(content_dir / "schools.yaml", Schools)
        if loaded:
            schools, schools_source = loaded[0].schools, loaded[1]
            collector.problems += _repeats(
                [(s.id, schools_source, ("schools", i, "id")) for i, s in enumerate(schools)],
                lambda key: f"код школы «{key}» повторяется",
            )
    pages = [
        page
        for path in _files(collector, content_dir / "pages", (".md",))
        if (page := collector.load_page(path))
    ]
    collector.problems += _repeats(
        [(p.slug, p.source, ("slug",)) for p in pages],
        lambda key: f"адрес страницы «{key}» уже занят другой страницей",
    )
    monitoring = _load_monitoring(collector, content_dir / RESULTS_FOLDER)
    if collector.problems or config_loaded is None:
        raise ContentError(collector.problems)
    config = config_loaded[0]
    return Site(
        content_dir=content_dir,
        config=config,
        intro_html=collector.memo(site_path, INTRO, partial(render_markdown, config.intro)),
        roadmaps=roadmaps,
        reports=reports,
        schools=schools,
        schools_source=schools_source,
        pages=pages,
        sources=collector.sources,
        monitoring=monitoring,
        listings=collector.listings,
    )
