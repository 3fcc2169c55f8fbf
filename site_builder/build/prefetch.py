"""Reading a large site's roadmaps and reports in worker processes, before the load asks for them.

Loading is the first half of a cold build and, left to itself, runs on one core: each file is read, parsed and
validated on its own (model.site.read_entry_file), which is the bulk of it. So the build has forked workers do
exactly that for every roadmap and report file, each through a memo that records what it was asked and
answered, and meanwhile loads the site in its own process through a memo that hands those answers back as they
come (Prefetched); what the workers could not answer is computed there as before. The answers are the same values
either way, so the loaded site does not depend on who read a file. Given the build's on-disk cache
(caches.ParsedFiles), each worker uses it as the load would, and what it read and used is merged back.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from site_builder.build.pipeline import Sources, load
from site_builder.core.errors import Folders
from site_builder.core.packing import UNREADABLE, packed, unpacked
from site_builder.model.site import (
    ENTRY_ANSWERS,
    FileMemo,
    Report,
    Roadmap,
    Site,
    entry_files,
    read_entry_file,
)

if TYPE_CHECKING:  # `check` loads without the build cache, whose module brings the renderers
    from concurrent.futures import Future

    from site_builder.build.caches import ParsedFiles

PREFETCH_FROM = 100  # roadmap and report files: below, forking costs more than it saves
CHUNKS_PER_WORKER = 8

T = TypeVar("T")
Answers = dict[tuple[str, str], memoryview]  # (path, kind) → what the memo answered, packed (core.packing)
_job: tuple[Path, list[tuple[Path, type[Roadmap] | type[Report]]], Path | None] | None = None


class _Recorder:
    """A memo that remembers every answer packed, computed or as the on-disk cache holds it."""

    def __init__(self, parsed: ParsedFiles | None) -> None:
        self.parsed = parsed
        self.answers: dict[tuple[str, str], bytes] = {}

    def __call__(self, path: Path, kind: str, compute: Callable[[], T]) -> T:
        if self.parsed:
            value, data = self.parsed.kept(path, kind, compute)
        else:
            value = compute()
            data = packed(value)
        self.answers[os.fspath(path), kind] = data
        return value

    def recorded(self, path: Path, model: type[Roadmap] | type[Report]) -> bool:
        """Whether the on-disk cache holds every answer for `path` (model.site.ENTRY_ANSWERS): then they are
        recorded as it holds them, none unpacked (a reader would otherwise unpickle every model it passes on)."""
        kinds = ENTRY_ANSWERS[model]
        found = self.parsed.stored(path, kinds) if self.parsed else None
        if found is None:
            return False
        self.answers.update(((os.fspath(path), kind), data) for kind, data in zip(kinds, found, strict=True))
        return True


class Prefetched:
    """The load's memo: the workers' answers first, then `inner` or plain computing.

    The load runs while the workers read: a file's answers are waited for when the load first asks for them
    (the load asks in the order the workers read). It holds the answers packed (core.packing), as the workers
    sent them. The load takes a roadmap's or report's facts (model.site.RoadmapFacts), not its content: that is
    unpacked whenever a packed entry asks for it (`recall`, model.site.RecallingMemo), and these bytes are what
    the loaded site keeps of its roadmaps and reports. What else the load asks for is unpacked when asked.
    """

    def __init__(self, inner: ParsedFiles | None, chunks: list[tuple[list[str], Future[_Answered]]]) -> None:
        self.answers: Answers = {}
        self.inner = inner
        self._chunks: list[Future[_Answered] | None] = [future for _, future in chunks]
        self._due = {path: index for index, (paths, _) in enumerate(chunks) for path in paths}

    def __call__(self, path: Path, kind: str, compute: Callable[[], T]) -> T:
        key = self._answered(path, kind)
        pickled = self.answers.get(key)
        if pickled is not None:
            try:
                value: T = unpacked(pickled)
                return value
            except UNREADABLE:  # stored by another version of a library: made again, and not recalled
                del self.answers[key]
        return self.inner(path, kind, compute) if self.inner else compute()

    def recall(self, path: Path, kind: str) -> Callable[[], Any] | None:
        pickled = self.answers.get(self._answered(path, kind))
        return None if pickled is None else partial(unpacked, pickled)

    def _answered(self, path: Path, kind: str) -> tuple[str, str]:
        """The key of (path, kind) once the workers' answers for `path` are in, if they were to come."""
        key = os.fspath(path), kind
        due = self._due.pop(key[0], None)
        if due is not None:
            self._take(due)
        return key

    def settle(self) -> None:
        """Wait for every chunk: what the workers read and used goes into the build's cache either way."""
        for index in range(len(self._chunks)):
            self._take(index)
        self._due.clear()

    def _take(self, index: int) -> None:
        future, self._chunks[index] = self._chunks[index], None  # and let go: a chunk is a few megabytes
        if future is None or future.exception() is not None:  # a chunk that failed is read by the load itself
            return
        found, used = future.result()
        self.answers.update(found.pickles())
        if self.inner and used:
            self.inner.absorb(used)


@contextmanager
def whole_site(sources: Sources, parsed: ParsedFiles | None = None) -> Iterator[Site]:
    """pipeline.load for a load of everything at once (`build`, `check`), for as long as the site is used.

    A load makes millions of objects that live as long as the command, and next to no garbage cycles: the
    collector would walk all that is loaded again and again as it grows (a quarter of the load's time at
    N = 2,000), and again at its first run after the load (0.7 s). So it is off while loading, and what exists
    then is kept out of its sight (gc.freeze) until the site is let go.
    """
    gc.disable()
    try:
        with prefetch(sources.content, parsed) as memo:
            site = load(sources, memo)
    finally:
        gc.freeze()
        gc.enable()
    try:
        yield site
    finally:
        gc.unfreeze()


@dataclass(frozen=True)
class _Chunk:
    """A chunk's answers as they go back to the build's process: packed side by side in one block of bytes,
    so that they come and go as one allocation (thousands of separate ones left holes in the heap that the
    loaded site then grew around: +100 MB at N = 2,000)."""

    keys: list[tuple[str, str]]
    ends: list[int]
    block: bytes

    @classmethod
    def of(cls, answers: dict[tuple[str, str], bytes]) -> _Chunk:
        """The answers as they are: packed once, when each was made or stored in the parsed-file cache."""
        return cls(list(answers), list(accumulate(map(len, answers.values()))), b"".join(answers.values()))

    def pickles(self) -> Iterator[tuple[tuple[str, str], memoryview]]:
        """Each answer, packed, as a view into the block: the block stays as long as
        any of them is kept."""
        view = memoryview(self.block)
        return zip(
            self.keys,
            (view[start:end] for start, end in zip([0, *self.ends], self.ends, strict=False)),
            strict=True,
        )


_Answered = tuple[_Chunk, "ParsedFiles | None"]  # a chunk's answers, and what it read and used of the cache


def _read(indices: range) -> _Answered:
    assert _job is not None
    content, files, parsed_path = _job
    parsed = None
    if parsed_path:
        from site_builder.build.caches import ParsedFiles

        parsed = ParsedFiles(parsed_path)  # one per chunk: what it read and used goes back with the answers
    recorder, folders = _Recorder(parsed), Folders()
    for index in indices:
        path, model = files[index]
        if not recorder.recorded(path, model):
            read_entry_file(recorder, content, path, model, folders)
    if parsed:
        parsed.flush()
    return _Chunk.of(recorder.answers), parsed


@contextmanager
def prefetch(
    content: Path, parsed: ParsedFiles | None, workers: int | None = None
) -> Iterator[FileMemo | None]:
    """The memo to load `content` with while the workers read: `parsed` itself for a small site or one core,
    else a Prefetched memo of every roadmap's and report's answers, read in worker processes. When the block
    ends, every worker has finished."""
    global _job
    files = entry_files(content)
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(files) < PREFETCH_FROM:
        yield parsed
        return
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    size = -(-len(files) // (workers * CHUNKS_PER_WORKER))
    chunks = [range(start, min(start + size, len(files))) for start in range(0, len(files), size)]
    _job = content, files, parsed.path if parsed else None
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
            memo = Prefetched(
                parsed,
                [([os.fspath(files[i][0]) for i in chunk], pool.submit(_read, chunk)) for chunk in chunks],
            )
            try:
                yield memo
            finally:
                memo.settle()
    finally:
        _job = None
