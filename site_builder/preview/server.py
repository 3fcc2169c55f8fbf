"""The preview's HTTP server: files of the preview folder only, pages with the reload script, a long-poll endpoint.

A small http.server is enough for one editor's browser tabs; each long-poll holds one thread for at most
WAIT_SECONDS, and closing the state releases them all at once so Ctrl+C stops the server without delay. Whatever
the browser does, the server stays small: a connection costs no thread until its request arrives (see _Gate), at
most MAX_THREADS threads answer, a connection quiet for IDLE_SECONDS is closed, and a tab closed in the middle of
an answer is nothing to report.
"""

from __future__ import annotations

import contextlib
import errno
import json
import mimetypes
import queue
import secrets
import selectors
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import site_builder.preview.pages as pages
from site_builder.core.errors import Problem

WAIT_SECONDS = 25.0
PORT_ATTEMPTS = 20
MAX_THREADS = 64  # a long-poll per open tab, and a browser's burst of six requests at a time per page
IDLE_SECONDS = 20.0  # a connection that sends nothing for this long is closed
MAX_WAITING = 400  # connections not yet sending; select() on Windows handles 512 at most
Address = tuple[str, int]
_IN_USE = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE), errno.EACCES}
_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml",
          ".xml": "application/xml", ".txt": "text/plain", ".json": "application/json",
          ".ics": "text/calendar"}  # fmt: skip
_TEXT = ("text/", "application/xml", "application/json", "image/svg+xml")


class PortsBusy(Exception):
    """No free port among the ones tried."""


class LiveState:
    """What the builder tells the request threads: the current build id, the problems, whether a build exists.

    The build id changes whenever what a page would show changes; an id from another server run never matches,
    so pages left open across a restart reload too.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._run = secrets.token_hex(4)
        self._count = 0
        self._problems: list[Problem] = []
        self._has_build = False
        self._closing = False

    @property
    def build(self) -> str:
        return f"{self._run}-{self._count}"

    def snapshot(self) -> tuple[str, list[Problem], bool]:
        with self._changed:
            return self.build, list(self._problems), self._has_build

    def publish(self, problems: list[Problem], *, changed: bool = False, good: bool = False) -> bool:
        """Record a build's outcome; True when open pages must reload."""
        with self._changed:
            reload = changed or problems != self._problems or (good and not self._has_build)
            self._problems = list(problems)
            self._has_build = self._has_build or good
            if reload:
                self._count += 1
                self._changed.notify_all()
            return reload

    def wait(self, build: str, timeout: float = WAIT_SECONDS) -> str:
        """Block until the build id differs from `build` (or the timeout, or closing); return the current id."""
        with self._changed:
            self._changed.wait_for(lambda: self.build != build or self._closing, timeout)
            return self.build

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()


def resolve_request(root: Path, raw: str) -> tuple[Path | None, bool]:
    """(file under `root` the request path names, or None; whether it names a folder without the final «/»).

    The path is percent-decoded once, and any part that could leave the folder or reach a hidden file («..»,
    «.name», a drive «C:», a backslash, a NUL) is refused whether it was written plainly or encoded.
    """
    path = unquote(urlsplit(raw).path, errors="replace")
    parts = [part for part in path.split("/") if part]
    if any(part.startswith(".") or ":" in part or "\\" in part or "\0" in part for part in parts):
        return None, False
    target = root.joinpath(*parts)
    folder = target.is_dir()
    if folder:
        target = target / "index.html"
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        return None, False
    if not resolved.is_relative_to(root.resolve()):
        return None, False
    return resolved, folder and not path.endswith("/")


def _content_type(path: Path) -> str:
    kind = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith(_TEXT) else kind


RETRY_AFTER = {"Retry-After": "1"}  # seconds; the placeholder page also reloads itself when the build is done


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "site-builder-preview"
    timeout = IDLE_SECONDS  # a request that stops half-way does not hold its thread for ever

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Requests are not logged: the terminal is for build results and errors."""

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, *, head: bool) -> None:
        path = urlsplit(self.path).path
        if path.startswith(pages.PREFIX):
            self._own(path, head)
            return
        root, state = self.server.root, self.server.state
        build, problems, has_build = state.snapshot()
        target, needs_slash = resolve_request(root, self.path)
        if needs_slash:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if not has_build:
            # Not the site yet: 503 keeps scripts and link checkers from taking the placeholder for a page.
            page = pages.standalone(build, problems).encode()
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, page, "text/html; charset=utf-8", head, RETRY_AFTER)
            return
        status = HTTPStatus.OK
        if target is None or not (target.is_file() or self._produced(target)):
            status, target = HTTPStatus.NOT_FOUND, root / "404.html"
        try:
            data = target.read_bytes()
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, "Файл не найден.\n".encode(), "text/plain; charset=utf-8", head)
            return
        if target.suffix == ".html":
            data = pages.inject(data.decode("utf-8", errors="replace"), build, problems).encode()
        self._send(status, data, _content_type(target), head)

    def _produced(self, target: Path) -> bool:
        """Whether the file was one the builder leaves until asked (a download) and now exists."""
        relative = target.relative_to(self.server.root.resolve()).as_posix()
        try:
            return self.server.produce(relative) and target.is_file()
        except Exception:  # noqa: BLE001 - a failing download must not take the page server down
            return False

    def _own(self, path: str, head: bool) -> None:
        if path == pages.WAIT:
            seen = parse_qs(urlsplit(self.path).query).get("build", [""])[0]
            body = json.dumps({"build": self.server.state.wait(seen)}).encode()
            self._send(HTTPStatus.OK, body, "application/json", head)
        elif path == pages.SCRIPT:
            self._send(HTTPStatus.OK, pages.LIVE_JS.encode(), "text/javascript; charset=utf-8", head)
        elif path == pages.STYLES:
            self._send(HTTPStatus.OK, pages.PANEL_CSS.encode(), "text/css; charset=utf-8", head)
        else:
            self._send(
                HTTPStatus.NOT_FOUND, "Нет такого адреса.\n".encode(), "text/plain; charset=utf-8", head
            )

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        head: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _nothing(relative: str) -> bool:
    return False


class _Workers:
    """At most `size` daemon threads run the jobs; more jobs wait in the queue. Threads start as work comes."""

    def __init__(self, size: int, run: Callable[[socket.socket, Address], None]) -> None:
        self._size, self._run = size, run
        self._jobs: queue.SimpleQueue[tuple[socket.socket, Address] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self.started = 0
        self._idle = 0
        self._queued = 0  # jobs put in the queue and not yet taken

    @property
    def busy(self) -> int:
        """Threads answering a request right now."""
        with self._lock:
            return self.started - self._idle

    def submit(self, request: socket.socket, address: Address) -> None:
        with self._lock:
            # An idle thread is free only if the jobs queued before this one do not take it first: a long-poll
            # taken by the one idle thread would otherwise leave the next request queued for its 25 s.
            if self._idle <= self._queued and self.started < self._size:
                self.started += 1
                threading.Thread(target=self._work, name="site-builder-http-worker", daemon=True).start()
            self._queued += 1
        self._jobs.put((request, address))

    def close(self) -> None:
        """Let every thread end once the jobs before this call are done."""
        with self._lock:
            for _ in range(self.started):
                self._jobs.put(None)

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            job = self._jobs.get()
            with self._lock:
                self._idle -= 1
                self._queued -= job is not None
            if job is None:
                return
            self._run(*job)


class _Gate:
    """Holds accepted connections until their request starts to arrive, then hands them to the workers.

    A browser opens connections it may never use, and a half-open socket never sends: here each costs a file
    descriptor, not a thread. One quiet for IDLE_SECONDS, or the oldest beyond MAX_WAITING, is closed.
    """

    def __init__(
        self, ready: Callable[[socket.socket, Address], None], drop: Callable[[socket.socket], None]
    ) -> None:
        self._ready, self._drop = ready, drop
        self._selector = selectors.DefaultSelector()
        self._wake, self._waker = socket.socketpair()
        self._wake.setblocking(False)
        self._waker.setblocking(False)
        self._selector.register(self._wake, selectors.EVENT_READ)
        self._arrived: queue.SimpleQueue[tuple[socket.socket, Address]] = queue.SimpleQueue()
        self._waiting: dict[socket.socket, tuple[Address, float]] = {}  # oldest first
        self._closing = False
        threading.Thread(target=self._run, name="site-builder-http-gate", daemon=True).start()

    def add(self, request: socket.socket, address: Address) -> None:
        self._arrived.put((request, address))
        self._poke()

    def close(self) -> None:
        self._closing = True
        self._poke()

    def _poke(self) -> None:
        with contextlib.suppress(OSError):  # the buffer is full of pokes already, or the gate is closed
            self._waker.send(b"\0")

    def _run(self) -> None:
        while not self._closing:
            for key, _ in self._selector.select(timeout=1.0):
                if key.fileobj is self._wake:
                    self._drain()
                elif isinstance(key.fileobj, socket.socket):
                    self._selector.unregister(key.fileobj)
                    address, _ = self._waiting.pop(key.fileobj)
                    self._ready(key.fileobj, address)
            self._admit()
            self._expire()
        for request in list(self._waiting):
            self._close(request)
        self._selector.close()
        self._wake.close()
        self._waker.close()

    def _drain(self) -> None:
        with contextlib.suppress(OSError):  # nothing more to read
            while self._wake.recv(4096):
                pass

    def _admit(self) -> None:
        while True:
            try:
                request, address = self._arrived.get_nowait()
            except queue.Empty:
                return
            self._selector.register(request, selectors.EVENT_READ)
            self._waiting[request] = (address, time.monotonic())
            if len(self._waiting) > MAX_WAITING:
                self._close(next(iter(self._waiting)))

    def _expire(self) -> None:
        oldest = time.monotonic() - IDLE_SECONDS
        while self._waiting:
            request, (_, since) = next(iter(self._waiting.items()))
            if since > oldest:
                return
            self._close(request)

    def _close(self, request: socket.socket) -> None:
        self._selector.unregister(request)
        del self._waiting[request]
        self._drop(request)


class PreviewServer(HTTPServer):
    # On Windows SO_REUSEADDR lets a second server take a port that is in use: never set it there.
    allow_reuse_address = sys.platform != "win32"
    request_queue_size = 128  # the listen backlog: a page's burst of requests waits in it, not in SYN retries

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        state: LiveState,
        produce: Callable[[str], bool] = _nothing,
    ) -> None:
        self.root, self.state, self.produce = root, state, produce
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        # Made before binding: a failed bind calls server_close, which closes them.
        self.workers = _Workers(MAX_THREADS, self._answer)
        self._gate = _Gate(self.workers.submit, self.shutdown_request)
        super().__init__(address, PreviewHandler)

    def process_request(self, request: socket.socket, client_address: Address) -> None:  # type: ignore[override]
        self._gate.add(request, client_address)

    def _answer(self, request: socket.socket, client_address: Address) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - reported by handle_error, as socketserver does
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def handle_error(self, request: object, client_address: object) -> None:
        """A tab closed or gone quiet in the middle of an answer is how browsers work, not an error to print."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    def server_close(self) -> None:
        super().server_close()
        self._gate.close()
        self.workers.close()

    @property
    def port(self) -> int:
        return int(self.server_address[1])


def bind(host: str, port: int, root: Path, state: LiveState, produce: Callable[[str], bool]) -> PreviewServer:
    """A server on `port`, or on the next free one after it (port 0: any free port the system gives)."""
    candidates = [0] if port == 0 else range(port, min(port + PORT_ATTEMPTS, 65536))
    for candidate in candidates:
        try:
            return PreviewServer((host, candidate), root, state, produce)
        except OSError as error:
            if error.errno not in _IN_USE:
                raise
    raise PortsBusy(
        f"порты с {port} по {port + PORT_ATTEMPTS - 1} заняты: укажите другой, например --port 8100"
    )
