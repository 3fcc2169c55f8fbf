"""Everything a build keeps to do less next time, in one place.

- FileCache: what was computed from each content file while its bytes stay the same (the preview's memo);
  ParsedFiles: the same kept on disk between full builds (one SQLite file in .cache/build/), keyed by a hash of
  the bytes.
- TemplateIndex and Fingerprints: the explicit record of what each page and download is made from — the content
  files it reads (its `inputs`, declared once in model.Site's `*_inputs`), its templates, the shared values its
  templates read and its own plain context. A file is made again exactly when its fingerprint changes; the result
  must be byte-identical to a full build (tests/build/test_incremental.py checks it).
- TemplateStore: the templates compiled by Jinja and TemplateIndex's reading of them, kept for the next build.
- code_version (keys.py): what the code and templates are, so no cache outlives a change of site-builder itself.
The values kept per roadmap or report (statuses) use model.EntryCache, owned by the stage they belong to.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import pickle
import shutil
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from jinja2 import FileSystemBytecodeCache, meta
from jinja2.bccache import Bucket
from pydantic import BaseModel

from site_builder.build.keys import code_version, racy, sha
from site_builder.build.write import write_reason
from site_builder.core.atomic import write_atomically
from site_builder.core.errors import ContentError
from site_builder.core.packing import UNREADABLE, packed, unpacked
from site_builder.core.safefiles import read_file
from site_builder.model.site import MADE_FROM_MODEL, EntryCache, ReportEntry, RoadmapEntry, Site
from site_builder.render.environment import make_environment
from site_builder.render.exports import DownloadSpec
from site_builder.render.pages import Assets, EntryPlanner, PageSpec

# Shared values the template globals read from the context (url, asset, absolute) without naming them.
IMPLICIT_SHARED = frozenset({"config", "served_anywhere", "assets", "as_of"})
_PLAIN = (str, int, float, bool, type(None), dt.date)
PARSED_FROM = 50  # roadmap and report files: a smaller site loads in a moment anyway
PARSED_DB = "parsed.sqlite3"
TEMPLATES = "templates"  # compiled templates and what they read, a folder per code version
# How long a write waits for another process's transaction before it is dropped: a cache only saves work, and a
# build that waited SQLite's minutes on each of its processes' writes would lose far more than the values.
BUSY_SECONDS = 2.0
# The errors that make a database file unusable for good (extended codes reduced to their primary code). Any
# other (locked, a full disk, no room for the journal) leaves the file for the next build, which may use it.
_DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


T = TypeVar("T")


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

    def begin(self, changed: Iterable[Path] | None = None) -> None:
        """Start a build; with `changed` (a file watcher's list) the files it does not name are trusted unchanged.

        Trusted files are not even looked at: `stale` is how a change the watcher missed is found later.
        """
        if changed is None:
            self._checked.clear()
        else:
            self._checked = set(self._files).difference(map(os.fspath, changed))

    def stale(self) -> set[Path]:
        """The files whose bytes are no longer those kept (or that are gone), all of them looked at now."""
        found: set[Path] = set()
        for key, cached in list(self._files.items()):
            try:
                info = os.stat(key)
            except OSError:
                found.add(Path(key))
                continue
            changed = (info.st_mtime_ns, info.st_size, info.st_ino) != cached.stamp
            if changed or racy(info.st_mtime_ns, cached.read_at):
                try:
                    same = sha(read_file(Path(key), key)) == cached.digest
                except ContentError:
                    same = False
                if not same:
                    found.add(Path(key))
        return found

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

    def unchanged_keys(self, keys: frozenset[str]) -> bool:
        """`unchanged` for paths given by their text: a set operation for a page whose files were all checked."""
        if not self._changed.isdisjoint(keys):
            return False
        return keys <= self._checked or self.unchanged(map(Path, keys - self._checked))

    def in_doubt(self, keys: AbstractSet[str]) -> set[str]:
        """Of the files `keys` names, those read anew, gone or missing since `settle()`, and those this build
        has not looked at yet (a file the watcher named, or one no build has read)."""
        return self._changed.intersection(keys) | (keys - self._checked)

    def changes(self) -> set[str]:
        """The files read anew, gone or missing since `settle()`, by their text."""
        return set(self._changed)

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
        if cached is not None and cached.stamp == stamp and not racy(info.st_mtime_ns, cached.read_at):
            return cached
        now = time.time()
        try:
            digest = sha(
                read_file(path, key)
            )  # read before the caller parses: a later change shows next time
        except ContentError:
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
class LoadedTokens:
    """FileCache.token that takes the hash of the bytes a value was loaded from first (`loaded`, by path): a
    file changed since the load is fingerprinted as the site was made from it. The hashes are the same either
    way while it is unchanged."""

    loaded: Mapping[str, str]
    files: FileCache

    def token(self, path: Path) -> str:
        return self.loaded.get(os.fspath(path)) or self.files.token(path)


@dataclass(frozen=True)
class Snapshot:
    """FileCache.token frozen at the end of a build: later changes to the files do not show."""

    files: dict[str, _Cached]

    def token(self, path: Path) -> str:
        cached = self.files.get(os.fspath(path))
        return cached.digest if cached else "missing"


Reading = tuple[frozenset[str] | None, frozenset[str]]  # what TemplateIndex._parse makes of one template
Analysis = dict[str, tuple[str | None, Reading]]  # template name → (its hash, its reading)


class TemplateIndex:
    """Which templates each template uses (extends, imports, includes, recursively) and which names it reads.

    Reading a template means compiling it (find_undeclared_variables runs Jinja's code generator): 0.1 s for
    all of them, in every build that fingerprints its pages. With a `store` what was read is kept by the
    template's hash (`keep`), for the next build to take.
    """

    def __init__(self, folder: Path, digests: dict[str, str], store: TemplateStore | None = None) -> None:
        self.env = make_environment(folder)  # a new environment: no compiled template outlives its file
        self.folder = folder
        self.digests = digests
        self.store = store
        self._kept = store.analysis() if store else {}
        self._direct: dict[str, Reading] = {}
        self._closures: dict[str, frozenset[str]] = {}

    @staticmethod
    def scan(folder: Path) -> dict[str, str]:
        """The hash of every template file (static files are assets, tracked by their hashed names)."""
        return {
            path.relative_to(folder).as_posix(): sha(path.read_bytes())
            for path in sorted(folder.rglob("*"))
            if path.is_file() and "static" not in path.relative_to(folder).parts
        }

    def _parse(self, name: str) -> Reading:
        """(templates named directly, None when a name is computed at render time; names read)."""
        if name not in self._direct:
            kept = self._kept.get(name)
            if kept is not None and kept[0] == self.digests.get(name):
                self._direct[name] = kept[1]
                return kept[1]
            assert self.env.loader is not None
            source, _, _ = self.env.loader.get_source(self.env, name)
            tree = self.env.parse(source, name, str(self.folder / name))
            names = list(meta.find_referenced_templates(tree))
            used = frozenset(meta.find_undeclared_variables(tree))
            self._direct[name] = (None if None in names else frozenset(n for n in names if n), used)
        return self._direct[name]

    def keep(self) -> None:
        """Hand what was read to the store, when it read a template the store did not hold."""
        read = {name: (self.digests.get(name), parsed) for name, parsed in self._direct.items()}
        if self.store and any(self._kept.get(name) != value for name, value in read.items()):
            self.store.keep_analysis({**self._kept, **read})

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


class TemplateStore:
    """The templates of one code version, compiled and read, in a build cache folder's `templates/<version>/`.

    Compiling the templates a process renders takes up to 0.13 s, in the build's process and in each worker,
    and reading them for the fingerprints 0.1 s more: a fixed cost of every build that is not restored whole,
    a warm one after an edit included. The folder is named after the code version (which covers Jinja and the
    templates), so compiled code never outlives the code that generated it; the folders of other versions are
    removed. Nothing here is an error: a store that cannot be written is only not filled, and `refused` says
    why, each reason once with the first place, for the build to say so.
    """

    def __init__(self, cache: Path) -> None:
        self.folder = cache / TEMPLATES / code_version()[:16]
        self.refused: list[tuple[str, str]] = []  # (why, where) a write failed in this process

    @classmethod
    def opened(cls, cache: Path) -> TemplateStore:
        store = cls(cache)
        for other in store.folder.parent.glob("*"):
            if other != store.folder:
                shutil.rmtree(other, ignore_errors=True)
        try:
            store.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            store.refuse(error, store.folder)
        return store

    def refuse(self, error: OSError, path: Path) -> None:
        reason = write_reason(error)
        if all(reason != known for known, _ in self.refused):
            self.refused.append((reason, str(path)))

    def compiled(self) -> FileSystemBytecodeCache:
        """Jinja's bytecode cache on the folder (Jinja checks each template's source against its code)."""
        return _Compiled(self)

    def analysis(self) -> Analysis:
        try:
            kept = pickle.loads((self.folder / "analysis.pickle").read_bytes())
        except (OSError, *UNREADABLE):
            return {}
        return kept if isinstance(kept, dict) else {}

    def keep_analysis(self, analysis: Analysis) -> None:
        path = self.folder / "analysis.pickle"
        try:
            write_atomically(path, pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as error:
            self.refuse(error, path)


class _Compiled(FileSystemBytecodeCache):
    """Jinja's own, but a compiled template that cannot be read or written (a full disk, a file where the folder
    should be) is no error of the build: the template is compiled as without the store, which says why."""

    def __init__(self, store: TemplateStore) -> None:
        super().__init__(str(store.folder))
        self.store = store

    def load_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as error:
            self.store.refuse(error, self.store.folder)


def _plain(value: Any) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    return False


class Fingerprints:
    """The fingerprint of each page of one build (see the module docstring).

    What many files share is worked out once a build: a template's part (its templates and the shared values
    they read) and the part of an inputs tuple (a roadmap's page and downloads read the same files).
    """

    def __init__(
        self,
        site: Site,
        shared: dict[str, Any],
        templates: TemplateIndex,
        files: Tokens,
        lines: dict[Path, str] | None = None,
    ) -> None:
        """`lines`, a file's line by its path, may be kept from an earlier build without the files changed since."""
        self.site, self.shared, self.templates, self.files = site, shared, templates, files
        self._shared_digests: dict[str, str] = {}
        self._template_parts: dict[str, str] = {}
        self._input_parts: dict[tuple[Path, ...], str] = {}
        self.lines = {} if lines is None else lines  # the index reads every file, each roadmap page three

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
            self._shared_digests[name] = sha(text)
        return self._shared_digests[name]

    def _template(self, template: str) -> str:
        if template not in self._template_parts:
            parts = [
                f"template {name} {self.templates.digests.get(name)}"
                for name in sorted(self.templates.closure(template))
            ]
            names = (self.templates.reads(template) | IMPLICIT_SHARED) & self.shared.keys()
            parts += [f"shared {name} {self._shared(name)}" for name in sorted(names)]
            # A digest: the text is kilobytes, and thousands of pages share it.
            self._template_parts[template] = sha("\n".join(parts))
        return self._template_parts[template]

    def _inputs(self, inputs: tuple[Path, ...]) -> str:
        part = self._input_parts.get(inputs)
        if part is None:
            part = self._input_parts[inputs] = "\n".join(map(self._input_line, inputs))
        return part

    def _input_line(self, path: Path) -> str:
        line = self.lines.get(path)
        if line is None:
            line = self.lines[path] = f"input {path} {self.files.token(path)}"
        return line

    def download(self, spec: DownloadSpec, as_of: dt.date) -> str:
        """A download reads its inputs and the date its statuses are computed for; a PDF its print template."""
        template = self._template(spec.template) if spec.template else ""
        return sha(f"{spec.output}\nas_of {as_of}\n{self._inputs(spec.inputs)}\n{template}")

    def page(self, spec: PageSpec) -> str:
        return self.page_from(spec, self.page_parts(spec))

    def template_part(self, template: str) -> str:
        """What a page's fingerprint takes from its template: the templates it reaches, the shared values they read."""
        return self._template(template)

    def page_parts(self, spec: PageSpec) -> tuple[str, str, str]:
        """What a page's fingerprint is made of besides its output and its inputs' bytes."""
        context = [f"context {key} {value!r}" for key, value in sorted(spec.context.items()) if _plain(value)]
        return spec.template, self._template(spec.template), "\n".join(context)

    def page_from(self, spec: PageSpec, parts: tuple[str, str, str]) -> str:
        template, template_part, context = parts
        return sha("\n".join([spec.output, template, template_part, self._inputs(spec.inputs), context]))


class EntryPlans(EntryCache[list[PageSpec]]):
    """The pages of each roadmap and report (render.pages.EntryPlanner) kept from one build of the live preview to
    the next while the entry, the reports on it (or its roadmap) and the settings they read are the same objects.

    A kept page's views were bound to an earlier build's statuses; for the very same entries on the same date those
    give the same tables (render.status.StatusCache keeps them by the same objects).
    """

    def planner(self, site: Site, as_of: dt.date) -> EntryPlanner:
        when = (site.site_yaml, site.config.downloads.pdf, site.config.statuses, as_of)

        def planned(entry: RoadmapEntry | ReportEntry, make: Callable[[], list[PageSpec]]) -> list[PageSpec]:
            if isinstance(entry, RoadmapEntry):
                inputs: tuple[object, ...] = (entry, *site.reports_of.get(id(entry), ()))
            else:
                inputs = (entry, entry.roadmap)
            return self.get(entry.source.path, when, inputs, make)

        return planned


class ParsedFiles:
    """A model.FileMemo kept on disk: what was read and validated from a content file, by a hash of its bytes.

    The key also holds the code version, the kind of file, its path and the working directory (messages name
    files relative to it). A file that changes while it is being read is not stored. A folder stands for every
    file read so far: what is computed from the whole site (its warnings) is kept by the hashes of them all;
    what is computed from given bytes alone (the near-duplicate search, from the URLs), by them (`derived`).

    The values are packed (core.packing) into one SQLite database (stdlib sqlite3), not a file each: creating a
    file costs more than pickling what it holds (0.3 ms of system time a file here, and a national site has 6,000
    values). Each is stored with its CRC-32, since readers pass stored values on without unpacking them.
    Forked workers each open their own connection (never one made before the fork). Values are written when
    `flush` is called, in one short transaction: SQLite lets one process write at a time, and a transaction
    held open while values are computed kept the other workers waiting (the cold load took twice as long with
    the cache). A damaged cache is started afresh. One that cannot be used now (locked by another process past
    BUSY_SECONDS, a full disk) is left as it is and not used or not written by this process: it only ever saves
    work, and must never make a build wait.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.version = code_version()
        self.used: set[str] = set()
        self.read: dict[str, str] = {}  # path → hash of the bytes this build read
        # Path → hash of the bytes the value this build took of it was made from: the pages are fingerprinted
        # by these (build/workers.py).
        self.models: dict[str, str] = {}
        self._db: tuple[int, sqlite3.Connection | None] | None = None  # (process id, connection)
        self._unwritable: int | None = None  # the process whose write failed: it writes nothing more
        # Why a process of this build could not use the database, each reason once: the build says so.
        self.refused: list[str] = []
        self._pending: list[tuple[str, bytes]] = []  # (key, value) to write at the next flush
        # The file the last model was read from, with the digest of its bytes (None: it changed while being read).
        self._model_source: tuple[str, str | None] | None = None
        self._cwd = os.getcwd()  # in every key: messages name files relative to it

    @classmethod
    def for_site(cls, content: Path, cache: Path) -> ParsedFiles | None:
        """The memo of a large site's cache folder; None for a small site, which loads in a moment anyway."""
        count = sum(1 for sub in ("roadmaps", "reports") for _ in (content / sub).glob("*.y*ml"))
        if count < PARSED_FROM:
            return None
        memo = cls(cache / PARSED_DB)
        # Made here, before the workers start: a process that opens the database while another turns on its
        # write-ahead log is told "locked" at once, with no wait, and would then store nothing.
        memo._connection()
        return memo

    def _key(self, path: Path, kind: str) -> tuple[str, str] | None:
        """(the key, the digest of what the value is made from): a file's bytes, or for a folder the digests of
        every file read so far."""
        if path.is_dir():
            digest = sha("\n".join(f"{name} {digest}" for name, digest in sorted(self.read.items())))
        else:
            try:
                data = read_file(path, str(path))
            except ContentError:  # the loader reports it: not stored
                return None
            digest = self.read[str(path)] = hashlib.sha256(data).hexdigest()
        return self._keyed(path, kind, digest), digest

    def _keyed(self, path: Path, kind: str, digest: str) -> str:
        """Keyed by the digest, not the bytes: a file's several answers hash its bytes once."""
        return sha(f"{self.version}\0{kind}\0{path}\0{self._cwd}\0{digest}")

    def __call__(self, path: Path, kind: str, compute: Callable[[], T]) -> T:
        return self.kept(path, kind, compute)[0]

    def kept(self, path: Path, kind: str, compute: Callable[[], T]) -> tuple[T, bytes]:
        """What the memo hands back for `path`, and the same packed as it is stored (for a worker to pass on).

        A value made from the model read just before it (model.site.MADE_FROM_MODEL) is keyed by the bytes that
        model was read from, without reading the file again: a file saved in between would otherwise have the
        old model's schedules stored under its new bytes.
        """
        source = self._model_source
        if kind in MADE_FROM_MODEL and source is not None and source[0] == os.fspath(path):
            made_from = None if source[1] is None else (self._keyed(path, kind, source[1]), source[1])
            value, data, _ = self._value(path, kind, compute, made_from, read=False)
            return value, data
        before = self._key(path, kind)
        name = os.fspath(path)
        digest = self.read.get(name) if before else None
        value, data, kept = self._value(path, kind, compute, before, read=True)
        self._model_source = name, before[1] if before and kept else None
        if digest and kept:
            self.models[name] = digest
        else:  # changed while it was read: nothing made from this value is kept either
            self.models.pop(name, None)
        return value, data

    def stored(self, path: Path, kinds: tuple[str, ...]) -> list[bytes] | None:
        """What is kept for `path` as it is now for each of `kinds` (its model, then values made from it), packed
        and never unpacked here; None unless all of them are kept."""
        first = self._key(path, kinds[0])
        if first is None:
            return None
        keys = [first[0], *(self._keyed(path, kind, first[1]) for kind in kinds[1:])]
        found = [self._get(key) for key in keys]
        if None in found:
            return None
        self.used.update(keys)
        name = os.fspath(path)
        self.models[name] = self.read[name]
        return found  # type: ignore[return-value]  # no None in it

    def derived(self, kind: str, data: bytes, compute: Callable[[], T]) -> T:
        """A value that depends on `data` alone (the URLs a near-duplicate search compares), kept under it."""
        digest = hashlib.sha256(data).hexdigest()
        return self._value(Path(), kind, compute, (self._keyed(Path(), kind, digest), digest), read=False)[0]

    def _value(
        self, path: Path, kind: str, compute: Callable[[], T], key: tuple[str, str] | None, *, read: bool
    ) -> tuple[T, bytes, bool]:
        """(value, packed, whether it is kept under `key`); `read`: computing reads the file again, which must
        not change meanwhile for the value to be kept."""
        stored = self._get(key[0]) if key else None
        if key and stored is not None:
            try:
                value: T = unpacked(stored)
                self.used.add(key[0])
                return value, stored, True
            except UNREADABLE:  # stored by another version of a library: made again
                pass
        value = compute()
        data = packed(value)
        kept = key is not None and (not read or self._key(path, kind) == key)
        if key and kept:
            self._put(key[0], data)
            self.used.add(key[0])
        return value, data, kept

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is None or self._db[0] != os.getpid():
            try:
                db = _open_store(self.path)
            except _Unusable as error:
                db = None
                self._refuse(str(error))
            self._db = os.getpid(), db
        return self._db[1]

    def _refuse(self, reason: str) -> None:
        if reason not in self.refused:
            self.refused.append(reason)

    def _get(self, key: str) -> bytes | None:
        """The value stored under `key`; None also for one whose check does not match (damaged, or written by
        another program): readers pass stored values on without unpacking them (`stored`)."""
        db = self._connection()
        try:
            row = db.execute("SELECT value FROM parsed WHERE key = ?", (key,)).fetchone() if db else None
        except sqlite3.Error as error:
            self._forget_damaged(error)
            return None
        if row is None:
            return None
        stored = bytes(row[0])
        value, check = stored[:-4], stored[-4:]
        return value if _check(value) == check else None

    def _put(self, key: str, value: bytes) -> None:
        self._pending.append((key, value + _check(value)))

    def flush(self) -> None:
        """Write what was stored since the last flush, visible to other processes and to the next build."""
        pending, self._pending = self._pending, []
        if pending:
            self._write(
                lambda db: db.executemany("INSERT OR REPLACE INTO parsed (key, value) VALUES (?, ?)", pending)
            )

    def _write(self, change: Callable[[sqlite3.Connection], object]) -> None:
        """One transaction; when it fails (locked past BUSY_SECONDS, a full disk) it is rolled back, so that
        no lock stays held for the other processes to wait on, and this process writes nothing more."""
        db = self._connection() if self._unwritable != os.getpid() else None
        if db is None:
            return
        try:
            change(db)
            db.commit()
        except sqlite3.Error as error:
            self._unwritable = os.getpid()
            with suppress(sqlite3.Error):
                db.rollback()
            self._refuse(f"{_store_reason(error)} ({self.path})")
            self._forget_damaged(error)

    def _forget_damaged(self, error: sqlite3.Error) -> None:
        """A database found damaged while in use is removed, for the next build to start afresh."""
        if _damaged(error):
            _remove_store(self.path)

    def absorb(self, other: ParsedFiles) -> None:
        """Take over what `other`, used for the same build in another process, read and used."""
        self.read.update(other.read)
        self.models.update(other.models)
        self.used |= other.used
        for reason in other.refused:
            self._refuse(reason)

    def prune(self) -> None:
        """Write what is pending and drop what this build did not use, so the cache holds one build's values."""
        self.flush()
        self._write(self._drop_unused)
        if self._db and self._db[0] == os.getpid() and self._db[1]:
            self._db[1].close()
        self._db = None
        # Versions before the database kept a file per value in parsed/; CI caches carry a folder on for ever.
        shutil.rmtree(self.path.with_name("parsed"), ignore_errors=True)

    def _drop_unused(self, db: sqlite3.Connection) -> None:
        db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
        db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((key,) for key in self.used))
        db.execute("DELETE FROM parsed WHERE key NOT IN (SELECT key FROM used)")

    def __getstate__(
        self,
    ) -> dict[str, object]:  # sent back from a worker (flushed): the connection stays there
        return {**self.__dict__, "_db": None, "_pending": []}


def _check(value: bytes) -> bytes:
    """The CRC-32 a stored value ends with."""
    return zlib.crc32(value).to_bytes(4, "big")


class _Unusable(Exception):
    """The parsed cache's database cannot be used now; the message says why, in words."""


def _open_store(path: Path) -> sqlite3.Connection:
    """The database of ParsedFiles, made when missing; a damaged one is replaced. _Unusable when it cannot be
    used now (locked past BUSY_SECONDS, no room on the disk): the file is then left for the next build."""
    try:
        return _connect(path)
    except OSError as error:
        raise _Unusable(f"{write_reason(error)} ({error.filename or path})") from error
    except sqlite3.Error as error:
        if not _damaged(error):
            raise _Unusable(f"{_store_reason(error)} ({path})") from error
    _remove_store(path)
    try:
        return _connect(path)
    except (OSError, sqlite3.Error) as error:
        raise _Unusable(f"база повреждена, и новую сделать не удалось ({path})") from error


# SQLite's result codes for what the system refused: said in the words of any other write (write_reason).
_AS_OS_ERROR = {
    sqlite3.SQLITE_FULL: errno.ENOSPC,
    sqlite3.SQLITE_READONLY: errno.EACCES,
    sqlite3.SQLITE_PERM: errno.EACCES,
}
# The rest that a CI maintainer can act on, in words of their own.
_STORE_REASONS = {
    sqlite3.SQLITE_CANTOPEN: "файл базы не открывается",
    sqlite3.SQLITE_IOERR: "ошибка записи на диск",
    sqlite3.SQLITE_CORRUPT: "база повреждена (следующая сборка сделает её заново)",
    sqlite3.SQLITE_NOTADB: "база повреждена (следующая сборка сделает её заново)",
}


def _store_reason(error: sqlite3.Error) -> str:
    """Why SQLite could not use the database, by its primary result code."""
    code = _primary(error)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return f"база занята другим процессом дольше {BUSY_SECONDS:g} с (идёт другая сборка?)"
    if code in _AS_OS_ERROR:
        return write_reason(OSError(_AS_OS_ERROR[code], ""))
    return _STORE_REASONS.get(code) or f"ошибка SQLite {getattr(error, 'sqlite_errorname', code)}"


def _primary(error: sqlite3.Error) -> int:
    return int(getattr(error, "sqlite_errorcode", 0)) & 0xFF


def _damaged(error: sqlite3.Error) -> bool:
    return _primary(error) in _DAMAGED


def _remove_store(path: Path) -> None:
    for leftover in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
        leftover.unlink(missing_ok=True)


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level="DEFERRED")
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = OFF")  # a cache: a value lost in a crash is computed again
        db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        db.execute("SELECT count(*) FROM parsed WHERE key = ''").fetchone()
    except BaseException:
        db.close()
        raise
    return db


def held_files(folder: Path) -> Iterator[os.DirEntry[str]]:
    """The files of the per-file cache's `folder`, one level down in its sub-folders; none when it is missing.
    Directory entries, not Paths: a national site's cache holds 17,000 files, listed twice a build."""
    try:
        subs = sorted((entry for entry in os.scandir(folder) if entry.is_dir()), key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for sub in subs:
        with os.scandir(sub.path) as entries:
            yield from entries


def prune_folder(folder: Path, used: set[str]) -> None:
    """Drop entries a build did not use, so a cache holds one build's files, not every build's."""
    for entry in held_files(folder):
        if entry.name not in used:
            with suppress(FileNotFoundError):
                os.unlink(entry.path)
