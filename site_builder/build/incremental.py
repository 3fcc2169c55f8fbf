"""Incremental rebuilds for the live preview: the pipeline of pipeline.py, rendering only what a change touches.

What each page is made from is recorded in its fingerprint (caches.Fingerprints): the content files it reads,
its templates, the shared values they read and its own plain context. A page is rendered again exactly when its
fingerprint changes, and the result must be byte-identical to a full build (tests/build/test_incremental.py checks
it). Parsing and validating a file is reused while the file is unchanged (caches.FileCache, the preview's memo).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError

from site_builder.build.caches import EntryPlans, FileCache, Fingerprints, TemplateIndex
from site_builder.build.pageprints import PagePrints
from site_builder.build.pipeline import SitePlan, Sources, load, plan_site, render_site
from site_builder.build.write import write_part
from site_builder.core.errors import ContentError, Problem, display_path
from site_builder.core.resources import TEMPLATES_DIR
from site_builder.core.safefiles import list_folder
from site_builder.model.site import Site
from site_builder.render.exports import DownloadSpec
from site_builder.render.pages import Assets, shared_context, site_pages
from site_builder.render.status import StatusCache


@dataclass
class BuildReport:
    """What one (incremental) build did; paths are relative to the output folder."""

    site: Site
    as_of: dt.date
    rendered: list[str]  # pages whose dependencies changed
    written: list[str]  # files whose bytes changed
    removed: list[str]
    pages: int  # HTML pages in the site
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def template_problem(error: TemplateError, folder: Path, tb: TracebackType | None) -> Problem:
    """A template error as `templates/x.html:line:1: …`, at the template line the traceback points to."""
    name, line = getattr(error, "name", None), getattr(error, "lineno", None)
    if not isinstance(error, TemplateSyntaxError):
        for frame, frame_line in _frames(tb):
            filename = frame.f_code.co_filename
            if filename.startswith(str(folder)):
                name, line = Path(filename).relative_to(folder).as_posix(), frame_line
    shown = display_path(folder / name) if name else display_path(folder)
    return Problem(shown, line or 1, 1, f"ошибка в шаблоне: {error.message or type(error).__name__}")


def _frames(tb: TracebackType | None) -> Iterator[tuple[Any, int]]:
    while tb is not None:
        yield tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next


class IncrementalBuilder:
    """Builds `content` into `output` again and again, rendering only pages whose fingerprint changed.

    The output folder always holds a complete build: pages are rendered to temporary files first and renamed
    into place only when every page of the build rendered, so a failed build leaves the last good one.
    """

    def __init__(
        self,
        sources: Sources | Path,
        output: Path,
        as_of: dt.date | None = None,
        templates: Path = TEMPLATES_DIR,
    ) -> None:
        self.sources = sources if isinstance(sources, Sources) else Sources(sources)
        self.content, self.output, self.fixed_as_of, self.templates_dir = (
            self.sources.content,
            output,
            as_of,
            templates,
        )
        self.files = FileCache()
        self.statuses = StatusCache()
        self.plans = EntryPlans()
        self.site: Site | None = None  # the last site loaded, lending its entries to unchanged files
        self.fingerprints: dict[str, str] = {}  # pages
        self._prints = PagePrints()  # worked out again only where a save may have changed them
        self._lines: dict[
            Path, str
        ] = {}  # each file's line in fingerprints, kept while the file is unchanged
        # Downloads in the output folder, with the fingerprints they were made by.
        self.made: dict[str, str] = {}
        self.assets: set[str] = set()
        self._templates: TemplateIndex | None = None
        self._last: tuple[SitePlan, Fingerprints] | None = None  # the last good build, for its downloads
        # Its downloads not made yet, with their fingerprints; None until worked out (see _settle).
        self._due: dict[str, tuple[DownloadSpec, str]] | None = None
        self._lock = threading.RLock()  # a build and a download asked for by the preview server take turns
        # What may have changed since the last good build, as the callers of `build` said; None: anything.
        self._unsettled: set[Path] | None = set()

    def _template_index(self, changed: set[Path] | None) -> TemplateIndex:
        if self._templates and changed is not None and not any(self._is_template(path) for path in changed):
            return self._templates
        digests = TemplateIndex.scan(self.templates_dir)
        if self._templates is None or self._templates.digests != digests:
            self._templates = TemplateIndex(self.templates_dir, digests)
        return self._templates

    def _is_template(self, path: Path) -> bool:
        return path.is_relative_to(self.templates_dir)

    def build(
        self,
        on_pages: Callable[[BuildReport], None] | None = None,
        *,
        downloads: bool = True,
        changed: Iterable[Path] | None = None,
    ) -> BuildReport:
        """One build; raises ContentError (content or template problems) and then writes nothing.

        Pages come first and are published together (then `on_pages` is told); downloads (spreadsheets,
        calendars) follow. With downloads=False they wait until `produce` asks for one, and not even their list
        is worked out before: a preview shows a save at once instead of after a whole region's spreadsheets.
        `changed` is every file that changed since the last build (a file watcher's list, paths as the content
        and templates folders were given): other files are trusted unchanged, so a save costs what it touched;
        `missed` finds what such a list left out. Without it every file is looked at.
        """
        with self._lock:
            if changed is None or self._unsettled is None:
                self._unsettled = None
            else:
                self._unsettled |= set(changed)
            report = self._build_pages(self._unsettled)
            self._unsettled = set()
            if downloads:
                self._settle(report)
            else:
                self._shelve()
            if on_pages:
                on_pages(report)
            for relative in list(self._due or ()) if downloads else []:
                self._produce(relative, report)
            return report

    def produce(self, relative: str) -> bool:
        """Write the download at `relative` if the last good build left it for later; whether it did."""
        with self._lock:
            self._settle(None)
            return self._produce(relative, None)

    def _produce(self, relative: str, report: BuildReport | None) -> bool:
        due = self._due.pop(relative, None) if self._due else None
        if due is None:
            return False
        spec, fingerprint = due
        if self._write(relative, spec.produce()) and report:
            report.written.append(relative)
        if report:
            report.rendered.append(relative)
        self.made[relative] = fingerprint
        return True

    def _settle(self, report: BuildReport | None) -> None:
        """Work out which downloads of the last good build are not made yet; remove those it no longer has."""
        if self._due is not None or self._last is None:
            return
        planned, prints = self._last
        current = {spec.output: (spec, prints.download(spec, planned.as_of)) for spec in planned.downloads}
        gone = sorted(set(self.made) - set(current))
        for relative in gone:
            self._remove(relative)
            del self.made[relative]
        self._due = {output: due for output, due in current.items() if self.made.get(output) != due[1]}
        if report:
            report.removed = sorted({*report.removed, *gone})

    def _shelve(self) -> None:
        """Take out the downloads made so far, to be made again when asked for.

        The server hands out any file that exists, and one may be out of date after this build; working out
        which would take every download's fingerprint, while these are only the few asked for since the last save.
        """
        for relative in self.made:
            self._remove(relative)
        self.made.clear()

    def missed(self) -> set[Path]:
        """What changed without being named to `build`: files whose bytes differ from those the last builds
        read, content folders whose files are others, the templates or static folder if anything in it changed.

        Every file is looked at (a few milliseconds per thousand): the preview calls it when saves stop.
        """
        with self._lock:
            found = self.files.stale()
            if self.site is not None:
                for folder, listing in self.site.listings.items():
                    try:
                        if list_folder(folder, os.fspath(folder)) != listing.names:
                            found.add(folder)
                    except ContentError:
                        found.add(folder)
                if self._templates and TemplateIndex.scan(self.templates_dir) != self._templates.digests:
                    found.add(self.templates_dir)
                static = self.templates_dir / "static"
                if set(Assets.scan(static).sources) != self.assets:
                    found.add(static)
            return found

    def _build_pages(self, changed: set[Path] | None) -> BuildReport:
        started = time.perf_counter()
        self.files.begin(changed)
        site = self.site = load(self.sources, self.files, self.site, changed)
        self.files.sweep()
        self.statuses.retain(site.sources)
        self.plans.retain(site.sources)
        as_of = self.fixed_as_of or dt.date.today()
        entries = self.plans.planner(site, as_of)
        planned = plan_site(site, as_of, self.templates_dir / "static", self.statuses, entries)
        try:
            templates = self._template_index(changed)
            for key in self.files.changes():
                self._lines.pop(Path(key), None)
            shared = shared_context(site, as_of, planned.assets)
            prints = Fingerprints(site, shared, templates, self.files, self._lines)
            fingerprints, due = self._prints.update(prints, planned.pages, self.files)
            prints.lines = dict(self._lines)  # for the downloads: the next build changes self._lines
            chosen = (planned.pages[i] for i in due)
            pages = [s for s in chosen if self.fingerprints.get(s.output) != fingerprints[s.output]]
            written = self._publish(render_site(templates.env, planned, pages, []), planned.assets)
            assets = set(planned.assets.sources)
            removed = sorted((set(self.fingerprints) - set(fingerprints)) | (self.assets - assets))
            for relative in removed:
                self._remove(relative)
        except BaseException as error:
            self._prints.forget()
            if isinstance(error, TemplateError):
                raise ContentError(
                    [template_problem(error, self.templates_dir, error.__traceback__)]
                ) from None
            raise
        self.fingerprints = fingerprints
        self.assets = assets
        prints.files = self.files.snapshot()  # downloads fingerprinted later must agree with this build
        self._last, self._due = (planned, prints), None
        count = len(site_pages(planned.pages))
        rendered = [spec.output for spec in pages]
        return BuildReport(site, as_of, rendered, written, removed, count, time.perf_counter() - started)

    def _write(self, relative: str, data: bytes) -> bool:
        """Write one file if its bytes changed; whether it did."""
        if self._unchanged(relative, data):
            return False
        os.replace(*write_part(self.output, relative, data))
        return True

    def _publish(self, rendered: Iterable[tuple[str, str | bytes]], assets: Assets) -> list[str]:
        """Write every changed file beside its place, then rename them all in; on any error drop them all."""
        parts: list[tuple[str, Path, Path]] = []
        try:
            for relative, text in rendered:
                if self._unchanged(relative, text.encode() if isinstance(text, str) else text):
                    continue
                parts.append((relative, *write_part(self.output, relative, text)))
            for relative, source in assets.sources.items():
                if relative not in self.assets or not (self.output / relative).is_file():
                    parts.append((relative, *write_part(self.output, relative, source)))
        except BaseException:
            for _, temporary, _ in parts:
                temporary.unlink(missing_ok=True)
            raise
        for _, temporary, target in parts:
            os.replace(temporary, target)
        return [relative for relative, _, _ in parts]

    def _unchanged(self, relative: str, data: bytes) -> bool:
        try:
            return (self.output / relative).read_bytes() == data
        except OSError:
            return False

    def _remove(self, relative: str) -> None:
        target = self.output / relative
        target.unlink(missing_ok=True)
        for parent in target.parents:
            if parent == self.output or not parent.is_relative_to(self.output) or any(parent.iterdir()):
                break
            parent.rmdir()
