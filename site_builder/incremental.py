"""Incremental rebuilds for the live preview: re-render only the pages a change touches.

Every page's dependencies are recorded explicitly and folded into a fingerprint:
- the content files it reads (`PageSpec.inputs`, decided by `render.plan`), by the hash of their bytes;
- the templates it uses: its own and, recursively, every template it extends, imports or includes;
- the shared values its templates read (`navigation`, `config`, `assets`, `as_of`…, see `render.shared_context`);
  `site` stands for the whole content, so a template that reads it depends on every content file;
- the plain values of its own context (lists of pages, flags).
A page is rendered again exactly when its fingerprint changes, and the result must be byte-identical to a full
build (tests/test_incremental.py checks it). Parsing and validating a file is reused while the file is unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, TypeVar

from jinja2 import TemplateError, TemplateSyntaxError, meta
from pydantic import BaseModel

from site_builder.build import SitePlan, plan_site, render_site
from site_builder.errors import ContentError, Problem, display_path
from site_builder.exports import DownloadSpec
from site_builder.model import Site, load_site
from site_builder.render import TEMPLATES_DIR, Assets, PageSpec, make_environment, shared_context, site_pages
from site_builder.status import StatusCache
from site_builder.write import write_part

T = TypeVar("T")
# A file whose modification time is this close to when it was read may change again without its time or size
# changing (coarse file-system clocks): its bytes are compared instead of trusting the stamp.
RACY_SECONDS = 2.0
# Shared values the template globals read from the context (url, asset, absolute) without naming them.
IMPLICIT_SHARED = frozenset({"config", "served_anywhere", "assets", "as_of"})
_PLAIN = (str, int, float, bool, type(None), dt.date)


def _sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@dataclass
class _Cached:
    stamp: tuple[int, int, int]
    digest: str
    read_at: float
    values: dict[str, Any] = field(default_factory=dict)


class FileCache:
    """What was computed from each content file, kept while the file's bytes stay the same (a model.FileMemo).

    The stamp (modification time, size, inode) is trusted unless the file changed around the time it was read;
    then the bytes are hashed again. Call `begin()` before a build and `sweep()` after it.
    """

    def __init__(self) -> None:
        # By the path's text: a national site's thousands of lookups a build then never compare Path objects.
        self._files: dict[str, _Cached] = {}
        self._checked: set[str] = set()
        self._changed: set[str] = set()  # since `settle()`: read anew, gone or missing

    def begin(self) -> None:
        self._checked.clear()

    def sweep(self) -> None:
        """Forget files the last build did not read (deleted or renamed)."""
        for path in set(self._files) - self._checked:
            del self._files[path]
            self._changed.add(path)

    def __call__(self, path: Path, kind: str, compute: Callable[[], T]) -> T:
        cached = self._current(path)
        if cached is None:
            return compute()
        if kind not in cached.values:
            cached.values[kind] = compute()
        return cached.values[kind]

    def token(self, path: Path) -> str:
        """The hash of a file's bytes as this build sees it; "missing" when it cannot be read."""
        cached = self._current(path)
        return cached.digest if cached else "missing"

    def unchanged(self, paths: Iterable[Path]) -> bool:
        """Whether each of `paths` still has the bytes it had when `settle()` was called last."""
        for path in paths:
            key = os.fspath(path)
            if key not in self._checked:
                self._current(path)
            if key in self._changed:
                return False
        return True

    def settle(self) -> None:
        """What `unchanged` compares with from now on: the files as this build sees them."""
        self._changed.clear()

    def snapshot(self) -> Snapshot:
        """The hashes of the files this build read, as it saw them, for fingerprints worked out after it."""
        return Snapshot(dict(self._files))  # a changed file gets a new _Cached: the copy keeps the old one

    def _current(self, path: Path) -> _Cached | None:
        key = os.fspath(path)
        cached = self._files.get(key)
        if key in self._checked:
            return cached
        self._checked.add(key)
        try:
            info = os.stat(key)
        except OSError:
            self._files.pop(key, None)
            self._changed.add(key)
            return None
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        racy = cached is not None and info.st_mtime_ns / 1e9 >= cached.read_at - RACY_SECONDS
        if cached is not None and cached.stamp == stamp and not racy:
            return cached
        now = time.time()
        try:
            digest = _sha(path.read_bytes())  # read before the caller parses: a later change shows next time
        except OSError:
            self._files.pop(key, None)
            self._changed.add(key)
            return None
        if cached is not None and cached.stamp == stamp and cached.digest == digest:
            cached.read_at = now
            return cached
        self._files[key] = _Cached(stamp, digest, now)
        self._changed.add(key)
        return self._files[key]


class Tokens(Protocol):
    def token(self, path: Path) -> str: ...


@dataclass(frozen=True)
class Snapshot:
    """FileCache.token frozen at the end of a build: later changes to the files do not show."""

    files: dict[str, _Cached]

    def token(self, path: Path) -> str:
        cached = self.files.get(os.fspath(path))
        return cached.digest if cached else "missing"


class TemplateIndex:
    """Which templates each template uses (extends, imports, includes, recursively) and which names it reads."""

    def __init__(self, folder: Path, digests: dict[str, str]) -> None:
        self.env = make_environment(folder)  # a new environment: no compiled template outlives its file
        self.folder = folder
        self.digests = digests
        self._direct: dict[str, tuple[frozenset[str] | None, frozenset[str]]] = {}
        self._closures: dict[str, frozenset[str]] = {}

    @staticmethod
    def scan(folder: Path) -> dict[str, str]:
        """The hash of every template file (static files are assets, tracked by their hashed names)."""
        return {
            path.relative_to(folder).as_posix(): _sha(path.read_bytes())
            for path in sorted(folder.rglob("*"))
            if path.is_file() and "static" not in path.relative_to(folder).parts
        }

    def _parse(self, name: str) -> tuple[frozenset[str] | None, frozenset[str]]:
        """(templates named directly, None when a name is computed at render time; names read)."""
        if name not in self._direct:
            assert self.env.loader is not None
            source, _, _ = self.env.loader.get_source(self.env, name)
            tree = self.env.parse(source, name, str(self.folder / name))
            names = list(meta.find_referenced_templates(tree))
            used = frozenset(meta.find_undeclared_variables(tree))
            self._direct[name] = (None if None in names else frozenset(n for n in names if n), used)
        return self._direct[name]

    def closure(self, name: str) -> frozenset[str]:
        """`name` and every template it reaches; all templates when one of them picks a name at render time."""
        if name not in self._closures:
            seen: set[str] = set()
            pending = [name]
            while pending:
                current = pending.pop()
                if current in seen:
                    continue
                seen.add(current)
                direct, _ = self._parse(current)
                if direct is None:
                    seen |= set(self.digests)
                    break
                pending.extend(direct)
            self._closures[name] = frozenset(seen)
        return self._closures[name]

    def reads(self, name: str) -> frozenset[str]:
        """Every context name the templates of `name`'s closure read without defining it."""
        return frozenset().union(*(self._parse(t)[1] for t in self.closure(name) if t in self.digests))


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


def _plain(value: Any) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    return False


class _Fingerprints:
    """The fingerprint of each page of one build (see the module docstring).

    What many files share is worked out once a build: a template's part (its templates and the shared values
    they read) and the part of an inputs tuple (a roadmap's page and downloads read the same files).
    """

    def __init__(self, site: Site, shared: dict[str, Any], templates: TemplateIndex, files: Tokens) -> None:
        self.site, self.shared, self.templates, self.files = site, shared, templates, files
        self._shared_digests: dict[str, str] = {}
        self._template_parts: dict[str, str] = {}
        self._input_parts: dict[tuple[Path, ...], str] = {}
        self._input_lines: dict[Path, str] = {}  # the index reads every file, each roadmap page three

    def _shared(self, name: str) -> str:
        if name not in self._shared_digests:
            value = self.shared[name]
            if isinstance(value, Site):
                text = self._inputs(tuple(value.sources))
            elif isinstance(value, BaseModel):
                text = value.model_dump_json()
            elif isinstance(value, Assets):
                text = repr(sorted(value.names.items()))
            else:  # navigation, flags, dates: their repr is their value (an object's repr changes every build)
                text = repr(value)
            self._shared_digests[name] = _sha(text)
        return self._shared_digests[name]

    def _template(self, template: str) -> str:
        if template not in self._template_parts:
            parts = [
                f"template {name} {self.templates.digests.get(name)}"
                for name in sorted(self.templates.closure(template))
            ]
            names = (self.templates.reads(template) | IMPLICIT_SHARED) & self.shared.keys()
            parts += [f"shared {name} {self._shared(name)}" for name in sorted(names)]
            self._template_parts[template] = "\n".join(parts)
        return self._template_parts[template]

    def _inputs(self, inputs: tuple[Path, ...]) -> str:
        part = self._input_parts.get(inputs)
        if part is None:
            part = self._input_parts[inputs] = "\n".join(map(self._input_line, inputs))
        return part

    def _input_line(self, path: Path) -> str:
        line = self._input_lines.get(path)
        if line is None:
            line = self._input_lines[path] = f"input {path} {self.files.token(path)}"
        return line

    def download(self, spec: DownloadSpec, as_of: dt.date) -> str:
        """A download reads its inputs and the date its statuses are computed for; a PDF its print template."""
        template = self._template(spec.template) if spec.template else ""
        return _sha(f"{spec.output}\nas_of {as_of}\n{self._inputs(spec.inputs)}\n{template}")

    def page(self, spec: PageSpec) -> str:
        return self.page_from(spec, self.page_parts(spec))

    def page_parts(self, spec: PageSpec) -> tuple[str, str, str]:
        """What a page's fingerprint is made of besides its output and its inputs' bytes."""
        context = [f"context {key} {value!r}" for key, value in sorted(spec.context.items()) if _plain(value)]
        return spec.template, self._template(spec.template), "\n".join(context)

    def page_from(self, spec: PageSpec, parts: tuple[str, str, str]) -> str:
        template, template_part, context = parts
        return _sha("\n".join([spec.output, template, template_part, self._inputs(spec.inputs), context]))


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
        self, content: Path, output: Path, as_of: dt.date | None = None, templates: Path = TEMPLATES_DIR
    ) -> None:
        self.content, self.output, self.fixed_as_of, self.templates_dir = content, output, as_of, templates
        self.files = FileCache()
        self.statuses = StatusCache()
        self.site: Site | None = None  # the last site loaded, lending its entries to unchanged files
        self.fingerprints: dict[str, str] = {}  # pages
        # The last fingerprint worked out for each page, with what it was made of: a page whose parts and input
        # files are the same is not fingerprinted again (thousands of pages, one or two touched by a save).
        self._prints: dict[str, tuple[tuple[str, str, str], tuple[Path, ...], str]] = {}
        # Downloads in the output folder, with the fingerprints they were made by.
        self.made: dict[str, str] = {}
        self.assets: set[str] = set()
        self._templates: TemplateIndex | None = None
        self._last: tuple[SitePlan, _Fingerprints] | None = None  # the last good build, for its downloads
        # Its downloads not made yet, with their fingerprints; None until worked out (see _settle).
        self._due: dict[str, tuple[DownloadSpec, str]] | None = None
        self._lock = threading.RLock()  # a build and a download asked for by the preview server take turns

    def _template_index(self) -> TemplateIndex:
        digests = TemplateIndex.scan(self.templates_dir)
        if self._templates is None or self._templates.digests != digests:
            self._templates = TemplateIndex(self.templates_dir, digests)
        return self._templates

    def build(
        self, on_pages: Callable[[BuildReport], None] | None = None, *, downloads: bool = True
    ) -> BuildReport:
        """One build; raises ContentError (content or template problems) and then writes nothing.

        Pages come first and are published together (then `on_pages` is told); downloads (spreadsheets,
        calendars) follow. With downloads=False they wait until `produce` asks for one, and not even their list
        is worked out before: a preview shows a save at once instead of after a whole region's spreadsheets.
        """
        with self._lock:
            report = self._build_pages()
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

    def _build_pages(self) -> BuildReport:
        started = time.perf_counter()
        self.files.begin()
        site = self.site = load_site(self.content, self.files, self.site)
        self.files.sweep()
        self.statuses.retain(site.sources)
        as_of = self.fixed_as_of or dt.date.today()
        planned = plan_site(site, as_of, self.templates_dir / "static", self.statuses)
        try:
            templates = self._template_index()
            prints = _Fingerprints(site, shared_context(site, as_of, planned.assets), templates, self.files)
            fingerprints = self._page_prints(prints, planned.pages)
            pages = [s for s in planned.pages if self.fingerprints.get(s.output) != fingerprints[s.output]]
            written = self._publish(render_site(templates.env, planned, pages, []), planned.assets)
        except TemplateError as error:
            raise ContentError([template_problem(error, self.templates_dir, error.__traceback__)]) from None
        assets = set(planned.assets.sources)
        removed = sorted((set(self.fingerprints) - set(fingerprints)) | (self.assets - assets))
        for relative in removed:
            self._remove(relative)
        self.fingerprints = fingerprints
        self.assets = assets
        prints.files = self.files.snapshot()  # downloads fingerprinted later must agree with this build
        self._last, self._due = (planned, prints), None
        count = len(site_pages(planned.pages))
        rendered = [spec.output for spec in pages]
        return BuildReport(site, as_of, rendered, written, removed, count, time.perf_counter() - started)

    def _page_prints(self, prints: _Fingerprints, pages: list[PageSpec]) -> dict[str, str]:
        kept: dict[str, tuple[tuple[str, str, str], tuple[Path, ...], str]] = {}
        for spec in pages:
            parts = prints.page_parts(spec)
            old = self._prints.get(spec.output)
            if old and old[0] == parts and old[1] == spec.inputs and self.files.unchanged(spec.inputs):
                fingerprint = old[2]
            else:
                fingerprint = prints.page_from(spec, parts)
            kept[spec.output] = (parts, spec.inputs, fingerprint)
        self._prints = kept
        self.files.settle()
        return {output: fingerprint for output, (_, _, fingerprint) in kept.items()}

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
