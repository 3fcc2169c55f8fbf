"""The preview's HTTP server under a browser's (and a hostile client's) habits: bursts, idle and closed sockets.

A real server on 127.0.0.1 and real sockets; every wait is bounded and polls, nothing asserts how long it took.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_builder.preview import server as server_module
from site_builder.preview.pages import WAIT
from site_builder.preview.server import MAX_THREADS, LiveState, PreviewServer, bind
from tests.helpers.web import raw_get

PAGE = "<!doctype html><title>Проба</title><p>made-up page for a test</p>"
BOUND = 30.0


class CountingState(LiveState):
    """LiveState that counts the long-polls waiting, so a test knows when every one of them is inside."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = 0
        self._count_lock = threading.Lock()

    def wait(self, build: str, timeout: float = server_module.WAIT_SECONDS) -> str:
        with self._count_lock:
            self.waiting += 1
        return super().wait(build, timeout)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    state = CountingState()
    state.publish([], good=True)
    running = bind("127.0.0.1", 0, tmp_path, state, lambda relative: False)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    state.close()
    running.shutdown()
    running.server_close()
    thread.join(timeout=10)


def until(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not done():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {BOUND} s")
        time.sleep(0.02)


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=BOUND)


def request(target: str) -> bytes:
    return f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_tab_closed_during_a_long_poll_prints_nothing(
    server: PreviewServer, capfd: pytest.CaptureFixture[str]
) -> None:
    state = server.state
    assert isinstance(state, CountingState)
    tabs = [connect(server.port) for _ in range(20)]
    for tab in tabs:
        tab.sendall(request(f"{WAIT}?build={state.build}"))
    until(lambda: state.waiting == len(tabs), "every long-poll waiting")
    for tab in tabs:  # the browser closes the tab: the connection is reset, not closed politely
        tab.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        tab.close()
    state.publish([], changed=True)  # a save: every waiting long-poll answers into a closed socket
    until(lambda: server.workers.busy == 0, "the answers written")
    assert raw_get(server.port, "/")[0] == 200
    printed = capfd.readouterr()
    assert "Traceback" not in printed.err and "Error" not in printed.err, printed.err


def test_200_parallel_requests_all_answer(server: PreviewServer) -> None:
    clients = [connect(server.port) for _ in range(200)]
    for client in clients:
        client.sendall(request("/"))
    answers = [read_all(client) for client in clients]
    for client in clients:
        client.close()
    assert all(answer.startswith(b"HTTP/1.0 200") and PAGE.encode() in answer for answer in answers)


def test_idle_sockets_hold_no_threads_and_a_real_request_answers(server: PreviewServer) -> None:
    before = threading.active_count()
    idle = [connect(server.port) for _ in range(300)]
    try:
        # Connections are accepted in order: once this one is answered, all 300 before it were accepted.
        status, body = raw_get(server.port, "/")
        assert status == 200 and PAGE.encode() in body
        assert threading.active_count() - before <= server.workers.started <= MAX_THREADS
        assert server.workers.started < 10  # the idle ones are not given a thread at all
    finally:
        for sock in idle:
            sock.close()


def test_idle_connection_is_closed(server: PreviewServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_module, "IDLE_SECONDS", 0.2)
    quiet = [connect(server.port) for _ in range(5)]
    try:
        for sock in quiet:
            assert sock.recv(1) == b""  # closed by the server (recv times out after BOUND if not)
    finally:
        for sock in quiet:
            sock.close()


def test_a_job_queued_behind_one_that_blocks_gets_a_thread_of_its_own() -> None:
    """Requests arriving together while one thread is idle: each runs at once, none waits for a long-poll."""
    release = threading.Event()
    running: list[int] = []

    def job(sock: socket.socket, address: server_module.Address) -> None:
        running.append(1)
        release.wait(BOUND)

    workers = server_module._Workers(8, job)
    try:
        for _ in range(50):
            workers.submit(None, ("", 0))  # type: ignore[arg-type]  # the job ignores its socket
            until(lambda: len(running) == 1, "the first job running")
            release.set()
            until(lambda: workers.busy == 0, "the first job done")
            release.clear()
            running.clear()
            workers.submit(None, ("", 0))  # type: ignore[arg-type]
            workers.submit(None, ("", 0))  # type: ignore[arg-type]
            deadline = time.monotonic() + 5
            while len(running) < 2 and time.monotonic() < deadline:
                time.sleep(0.001)
            assert len(running) == 2, "the second job waited for the first to end"
            release.set()
            until(lambda: workers.busy == 0, "both jobs done")
            release.clear()
            running.clear()
    finally:
        release.set()
        workers.close()
