"""`site-builder serve`: build into a private folder, serve it on 127.0.0.1, rebuild on save, reload open pages.

Three threads: the HTTP server, the file watcher and the builder. The watcher only marks what changed; the
builder waits until saves stop for a moment, rebuilds incrementally and tells the pages through LiveState. A
failed build changes nothing in the preview folder: pages keep the last good build under an error panel.
A save's build trusts the watcher's list of changed files, so it costs what the save touched; once saves stop
for a second every file is looked at (IncrementalBuilder.missed), and what the watcher missed is built then.
"""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import signal
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from site_builder.build.incremental import BuildReport, IncrementalBuilder
from site_builder.build.pipeline import Sources
from site_builder.core.errors import ContentError, Problem, display_path
from site_builder.core.safefiles import os_reason
from site_builder.model.warnings import WarningCache, warnings
from site_builder.preview.server import LiveState, PortsBusy, PreviewServer, bind
from site_builder.preview.watch import Watcher
from site_builder.render.pages import TEMPLATES_DIR

__all__ = ["Preview", "PortsBusy", "run"]

# An editor that truncates a file before writing it may leave it empty for a moment; an error caused by an
# empty file is shown only if nothing else is saved within this time.
EMPTY_GRACE = 0.4
QUIET = 0.2  # seconds without a save before what the last build left behind is collected
IDLE = 1.0  # seconds without a save before every file is looked at and the warnings are worked out
TRANSIENT_RETRIES = 3  # a file renamed or deleted between listing and reading: read the folder again


class Preview:
    """The live preview as a context manager: `with Preview(content) as preview: preview.base_url …`."""

    def __init__(
        self,
        content: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        as_of: dt.date | None = None,
        templates: Path = TEMPLATES_DIR,
        echo: Callable[[str], None] | None = None,
        quiet: bool = False,
        base_url: str | None = None,
        link_results: Path | None = None,
    ) -> None:
        """`base_url` and `link_results` as for `build` (pipeline.Sources): the preview shows what it publishes."""
        self.content, self.host, self.requested_port = content, host, port
        self.as_of, self.templates = as_of, templates
        self.echo = echo or print
        self.quiet = quiet
        self.state = LiveState()
        self.folder = Path(tempfile.mkdtemp(prefix="site-builder-serve-"))
        self.builder = IncrementalBuilder(
            Sources(content, base_url, link_results), self.folder, as_of, templates
        )
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._server: PreviewServer | None = None
        self._threads: list[threading.Thread] = []
        self.watcher = Watcher([content, templates], [link_results] if link_results else [])
        self.last_report: BuildReport | None = None
        self._warned: set[Problem] = set()
        self._warning_cache = WarningCache()  # a national site's check takes seconds; a save changes little
        self._warnings_due = False
        self._collecting = gc.isenabled()  # as it was before the preview took the collector over
        self._frozen = False
        self._garbage = False  # builds since the last collection
        self._unchecked = False  # builds that trusted the watcher since every file was last looked at
        # The watched folders as the watcher names them (resolved) and as the builder was given them.
        watched = (content, templates, *([link_results] if link_results else []))
        self._roots = [(root.resolve(), root) for root in watched]

    def _say(self, text: str) -> None:
        if not self.quiet:
            self.echo(text)

    @property
    def port(self) -> int:
        assert self._server is not None, "the preview is not started"
        return self._server.port

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def build_id(self) -> str:
        return self.state.build

    def __enter__(self) -> Preview:
        try:
            server = bind(self.host, self.requested_port, self.folder, self.state, self.builder.produce)
            self._server = server
            self.watcher.start()
        except BaseException:
            self.close()
            raise
        self._start(server.serve_forever, "site-builder-http")
        self._start(self._build_loop, "site-builder-build")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _start(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        """Stop the threads, release waiting pages, close the port, delete the preview folder."""
        self._stop.set()
        self.watcher.stop()
        self.state.close()
        if self._server is not None:
            if self._threads:  # shutdown() waits for serve_forever(), which must have been started
                self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        if self._frozen:
            gc.unfreeze()
            if self._collecting:
                gc.enable()
        shutil.rmtree(self.folder, ignore_errors=True)

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until the first build has published its pages or failed."""
        return self._ready.wait(timeout)

    def _build_loop(self) -> None:
        self._rebuild(None)
        self._ready.set()
        while not self._stop.is_set():
            if self._garbage and not self.watcher.wait_for_more(QUIET, self._stop):
                gc.collect()  # only what came after the first build: a few tens of milliseconds
                self._garbage = False
            if self._unchecked and not self.watcher.wait_for_more(IDLE, self._stop):
                self._unchecked = False
                missed = self.builder.missed()
                if missed:  # a change the watcher did not report (a network drive, an overflowed queue)
                    self._rebuild(missed)
            if self._warnings_due and self.last_report and not self.watcher.wait_for_more(IDLE, self._stop):
                self._warn(self.last_report)
            changed = self.watcher.take(self._stop)
            if changed:
                self._rebuild(self._as_given(changed))
                self._garbage = self._frozen
                self._unchecked = True

    def _as_given(self, paths: set[Path]) -> set[Path]:
        """The watcher's paths spelled as the builder's folders were given (relative, through a link)."""
        given = set()
        for path in paths:
            for resolved, root in self._roots:
                if path == resolved or path.is_relative_to(resolved):
                    given.add(root / path.relative_to(resolved))
                    break
        return given

    def _rebuild(self, changed: set[Path] | None) -> None:
        """Build after `changed`, spelled as the builder's folders are (None: every file is looked at)."""
        problems = self._attempt(changed)
        while (
            problems
            and changed
            and _has_empty_file(changed)
            and self.watcher.wait_for_more(EMPTY_GRACE, self._stop)
        ):
            changed = self._as_given(
                self.watcher.take(self._stop)
            )  # the rest of the save arrived: build that
            problems = self._attempt(changed)
        if problems is None or self._stop.is_set():  # a build cut short by Ctrl+C has nothing to say
            return
        if self.state.publish(problems):
            for problem in problems:
                self._say(problem.format())
            errors = sum(1 for problem in problems if not problem.warning)
            self._say(f"Ошибок: {errors}. Открытые страницы показывают их; исправьте файлы и сохраните.")

    def _attempt(self, changed: set[Path] | None) -> list[Problem] | None:
        """Build once; the problems found, or None when the build succeeded (and was published)."""
        for attempt in range(TRANSIENT_RETRIES + 1):
            try:
                # Downloads are made when a page's link asks for one.
                self.builder.build(self._published, downloads=False, changed=changed)
            except ContentError as error:
                return error.problems
            except OSError as error:  # a file vanished between listing and reading: an editor's rename
                if attempt < TRANSIENT_RETRIES:
                    time.sleep(0.05)
                    continue
                return [Problem(display_path(Path(error.filename or self.content)), 1, 1, _os_message(error))]
            except Exception as error:  # noqa: BLE001 - the preview must survive a bug and say what it was
                return [
                    Problem(display_path(self.content), 1, 1, f"внутренняя ошибка site-builder: {error!r}")
                ]
            return None
        return None

    def _published(self, report: BuildReport) -> None:
        had_problems = bool(self.state.snapshot()[1])
        first = self.last_report is None
        if first and not self._frozen:
            # A national site is a million objects that live as long as the preview; a full collection would
            # walk them all (a second) every few saves. They are put out of the collector's sight, and what a
            # save leaves behind is collected once no save came for a moment (_build_loop), not during one.
            gc.collect()
            gc.freeze()
            gc.disable()
            self._frozen = True
        self.last_report = report
        self.state.publish([], changed=report.changed, good=True)
        self._ready.set()
        milliseconds = report.seconds * 1000
        if first:
            self._say(f"Сайт собран за {milliseconds:.0f} мс: страниц — {report.pages}.")
        elif report.changed:
            self._say(f"Обновлено за {milliseconds:.0f} мс: {_listing(report.written + report.removed)}")
        if had_problems:
            self._say("Ошибки исправлены, сайт снова собирается.")
        self._warnings_due = True

    def _warn(self, report: BuildReport) -> None:
        """The warnings `check` gives, once each (they take a while on a large site, hence only when idle)."""
        self._warnings_due = False
        found = set(warnings(report.site, report.as_of, self._warning_cache))
        for problem in sorted(found - self._warned):
            self._say(problem.format())
        self._warned = found


def _stop_on_terminate() -> None:
    """A service manager's or a terminal's «terminate» stops the preview as cleanly as Ctrl+C does."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def _has_empty_file(paths: set[Path]) -> bool:
    return any(path.is_file() and path.stat().st_size == 0 for path in paths)


def _listing(paths: list[str], shown: int = 4) -> str:
    more = f" и ещё {len(paths) - shown}" if len(paths) > shown else ""
    return ", ".join(paths[:shown]) + more


def _os_message(error: OSError) -> str:
    reason = os_reason(error, Path(error.filename or "."))
    return f"не удалось прочитать файл ({reason}): возможно, он ещё сохраняется — сохраните его снова"


def run(
    sources: Sources,
    host: str,
    port: int,
    open_browser: bool,
    as_of: dt.date | None,
    echo: Callable[[str], None],
) -> None:
    """The `serve` command: run until Ctrl+C. Raises PortsBusy, or OSError when the address cannot be used."""
    content = sources.content
    with Preview(
        content, host=host, port=port, as_of=as_of, echo=echo,
        base_url=sources.base_url, link_results=sources.link_results,
    ) as preview:  # fmt: skip
        if port and preview.port != port:
            echo(f"Порт {port} занят — использую порт {preview.port}.")
        echo(f"Предпросмотр: {preview.base_url}  (остановить — Ctrl+C)")
        if host not in ("127.0.0.1", "localhost", "::1"):
            echo(
                f"Внимание: сайт доступен с других компьютеров по адресу {host}. Показывайте так только черновики."
            )
        echo(f"Слежу за изменениями в папках {display_path(content)} и {display_path(preview.templates)}.")
        if open_browser:
            webbrowser.open(preview.base_url)
        _stop_on_terminate()
        try:
            while True:
                time.sleep(0.5)
        except KeyboardInterrupt:
            echo("Останавливаю предпросмотр…")
    echo("Предпросмотр остановлен.")
