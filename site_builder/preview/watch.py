"""Watching the content and template folders: which files changed since the builder last asked.

watchfiles groups a burst of events and yields it once no new event came for DEBOUNCE_MS, which covers an
editor's atomic save (temporary file, then rename: well under a millisecond apart) and a "save all". It looks
every DEBOUNCE_MS, so a save reaches the builder one to two DEBOUNCE_MS after it: part of what an editor waits
for. Editors' swap and backup files are ignored by its default filter. The builder re-reads the folders anyway, so a missed or extra event costs nothing but time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

from watchfiles import Change, DefaultFilter

# The Rust watcher itself rather than watchfiles.watch(): its constructor returns once the folders are watched,
# so a save made while the first build runs is never missed (watch() would register them later, in the thread).
from watchfiles._rust_notify import RustNotify

# 5 rather than 15: save to page at N = 2,000 went from 95-117 to 83-84 ms (median of 9, two runs each, in turn);
# looking every 5 ms costs an idle preview under 1 % of a core.
DEBOUNCE_MS = 5
_FOREVER = 0


class Watcher:
    """Collects changed paths in a background thread; `take` hands them to the builder."""

    def __init__(self, folders: Iterable[Path], files: Iterable[Path] = ()) -> None:
        """`folders` are watched whole; of a file's folder, only that file (the link checker's results)."""
        self.files = {str(file.resolve()) for file in files if file.parent.is_dir()}
        self.folders = [folder.resolve() for folder in folders if folder.is_dir()]
        self._whole = [str(folder) for folder in self.folders]
        self.folders += sorted({Path(file).parent for file in self.files} - set(self.folders))
        self._filter = DefaultFilter()
        self._pending: set[Path] = set()
        self._arrived = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="site-builder-watch", daemon=True)
        self._notify: RustNotify | None = None

    def start(self) -> None:
        self._notify = RustNotify([str(folder) for folder in self.folders], False, False, 300, True, True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._arrived:
            self._arrived.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if self._notify is not None:
            self._notify.close()

    def _watch(self) -> None:
        assert self._notify is not None
        while not self._stop.is_set():
            batch = self._notify.watch(1600, DEBOUNCE_MS, _FOREVER, self._stop)
            if isinstance(batch, str):  # "stop", or "signal": Ctrl+C belongs to the main thread
                return
            paths = {Path(path) for change, path in batch if self._wanted(Change(change), path)}
            if paths:
                with self._arrived:
                    self._pending |= paths
                    self._arrived.notify_all()

    def _wanted(self, change: Change, path: str) -> bool:
        inside = path in self.files or any(path.startswith(folder + os.sep) for folder in self._whole)
        return inside and self._filter(change, path)

    def wait_for_more(self, seconds: float, stop: threading.Event) -> bool:
        """Whether another change arrives within `seconds`."""
        with self._arrived:
            return (
                self._arrived.wait_for(lambda: bool(self._pending) or stop.is_set(), seconds)
                and not stop.is_set()
            )

    def take(self, stop: threading.Event) -> set[Path]:
        """Block until something changed (or `stop` is set) and return what changed; empty when stopping."""
        with self._arrived:
            while not self._pending and not stop.is_set() and not self._stop.is_set():
                self._arrived.wait(0.5)
            taken, self._pending = self._pending, set()
            return taken
