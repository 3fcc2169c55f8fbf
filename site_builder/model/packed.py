"""Roadmaps and reports held pickled while nothing uses them: how a national site stays loaded in little memory.

A loaded roadmap is about 85 KB of pydantic models, and a build holds thousands. Its pickle, which a load
already has when worker processes read the files (build/prefetch.py), is a third of that in one object. So an
entry made from such an answer keeps only the way to unpickle it: the load makes it from what the workers
worked out of the file beside the content (model.site.RoadmapFacts), its content is unpickled only when asked
for and kept while it is among the last KEPT entries unpickled. A worker forked from the build's process then
shares the pickles untouched (one object each: no reference counts to write in the pages holding them) and
unpickles only the entries it renders, and the build's own process never holds the whole site at once.
An entry made any other way (a small site, the live preview) holds its content as it is.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
KEPT = 8  # one entry's page, fragment and downloads are made one after the other, with its roadmap's

_unpacked: deque[Packable[object]] = deque()


class Packable(Generic[T]):
    """Content held as it is, or packed: made again by a `restore` function whenever it is asked for after being
    let go."""

    __slots__ = ("_live", "_restore")

    def __init__(self, content: T | Callable[[], T]) -> None:
        """`content` itself, or the function that restores it: an entry is then packed from the start."""
        self._live: T | None
        self._restore: Callable[[], T] | None
        if callable(content):
            self._live, self._restore = None, content
        else:
            self._live, self._restore = content, None

    def _content(self) -> T:
        live = self._live
        if live is None:
            assert self._restore is not None  # only a packed entry lets its content go
            live = self._live = self._restore()
            _unpacked.append(self)  # type: ignore[arg-type]  # the queue only sets _live back to None
            if len(_unpacked) > KEPT:
                _unpacked.popleft()._live = None
        return live
