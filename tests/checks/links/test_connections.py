"""The fetcher's HTTP/1.1 connections: kept alive and reused only while that is safe, against raw local servers."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpcore
import pytest

from site_builder.checks.links.connections import HostConnections, Timeouts
from site_builder.checks.links.fetch import make_ssl_context
from site_builder.checks.links.network import AsyncioBackend
from site_builder.checks.links.urls import RequestTarget
from tests.helpers.links import fast_config
from tests.helpers.web import RawServer, WebServer, page, read_request

TIMEOUTS = Timeouts(connect=2.0, read=2.0, write=2.0)
Answer = Callable[[bytes], bytes]  # the request's head → the bytes sent back


def plain(body: bytes = b"hello", extra: bytes = b"") -> Answer:
    return lambda head: (
        b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n" % (len(body), extra)
        + (b"" if head.startswith(b"HEAD ") else body)
    )


class KeepAliveServer:
    """Answers each request on a connection in turn, `close_after` requests per connection at most."""

    def __init__(self, answer: Answer, close_after: int = 1000) -> None:
        self.answer = answer
        self.close_after = close_after
        self.connections = 0
        self.closed = threading.Semaphore(0)  # released each time the server has closed a connection
        self.heads: list[bytes] = []
        self._lock = threading.Lock()
        self.server = RawServer(self._serve)

    def _serve(self, sock: socket.socket) -> None:
        with self._lock:
            self.connections += 1
        for _ in range(self.close_after):
            head = read_request(sock)
            if not head:
                return
            self.heads.append(head)
            sock.sendall(self.answer(head))
        sock.close()
        self.closed.release()

    async def wait_closed(self) -> None:
        assert await asyncio.to_thread(self.closed.acquire, timeout=10)

    def target(self, path: bytes = b"/page") -> RequestTarget:
        port = self.server.port
        return RequestTarget("http", "127.0.0.1", port, b"example.org:%d" % port, path)


def headers(server: KeepAliveServer) -> list[tuple[bytes, bytes]]:
    return [(b"Host", server.target().authority)]


@pytest.fixture
def serve() -> Iterator[Callable[..., KeepAliveServer]]:
    servers: list[KeepAliveServer] = []

    def start(answer: Answer, close_after: int = 1000) -> KeepAliveServer:
        servers.append(KeepAliveServer(answer, close_after))
        return servers[-1]

    yield start
    for server in servers:
        server.server.close()


def pool(size: int = 2, keepalive: float = 5.0) -> HostConnections:
    def no_tls() -> ssl.SSLContext:
        raise AssertionError("no https here")

    return HostConnections(AsyncioBackend(), no_tls, size, keepalive)


async def get(
    connections: HostConnections, target: RequestTarget, method: bytes = b"GET"
) -> tuple[int, bytes]:
    response = await connections.request(
        method, target, [(b"Host", target.authority), (b"Accept", b"*/*")], TIMEOUTS
    )
    try:
        return response.status, b"".join([chunk async for chunk in response.aiter_raw()])
    finally:
        await response.aclose()


async def test_requests_one_after_another_share_one_connection(serve: Callable[..., KeepAliveServer]) -> None:
    server = serve(plain())
    connections = pool()
    for method in (b"GET", b"HEAD", b"GET"):
        status, body = await get(connections, server.target(), method)
        assert status == 200 and body == (b"" if method == b"HEAD" else b"hello")
    await connections.aclose()
    assert server.connections == 1
    first = server.heads[0].decode()
    assert first.startswith("GET /page HTTP/1.1\r\n")
    assert f"host: example.org:{server.server.port}" in first.lower() and "accept: */*" in first.lower()


async def test_a_connection_the_server_closed_is_not_used_again(
    serve: Callable[..., KeepAliveServer],
) -> None:
    server = serve(plain(), close_after=1)  # closes after each answer without saying so
    connections = pool()
    for _ in range(3):
        assert await get(connections, server.target()) == (200, b"hello")
        await server.wait_closed()
    await connections.aclose()
    assert server.connections == 3


async def test_connection_close_and_http_1_0_answers_are_not_kept(
    serve: Callable[..., KeepAliveServer],
) -> None:
    closing = serve(plain(extra=b"Connection: close\r\n"))
    old = serve(lambda head: b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
    connections = pool()
    for _ in range(2):
        assert await get(connections, closing.target()) == (200, b"hello")
        assert await get(connections, old.target()) == (200, b"ok")
    await connections.aclose()
    assert (closing.connections, old.connections) == (2, 2)


async def test_an_answer_not_read_to_its_end_closes_its_connection(
    serve: Callable[..., KeepAliveServer],
) -> None:
    server = serve(plain(b"x" * 200_000))
    connections = pool()
    response = await connections.request(b"GET", server.target(), headers(server), TIMEOUTS)
    async for _ in response.aiter_raw():
        break
    await response.aclose()
    assert await get(connections, server.target()) == (200, b"x" * 200_000)
    await connections.aclose()
    assert server.connections == 2


async def test_idle_connections_expire_and_at_most_size_are_kept(
    serve: Callable[..., KeepAliveServer],
) -> None:
    server = serve(plain())
    expiring = pool(keepalive=0.0)
    for _ in range(2):
        assert await get(expiring, server.target()) == (200, b"hello")
        await asyncio.sleep(0.01)  # past the (zero) time an idle connection is kept
    await expiring.aclose()
    assert server.connections == 2

    small = pool(size=1)
    first = await small.request(b"GET", server.target(), headers(server), TIMEOUTS)
    second = await small.request(
        b"GET", server.target(), headers(server), TIMEOUTS
    )  # the first is still busy
    for response in (first, second):
        assert b"".join([chunk async for chunk in response.aiter_raw()]) == b"hello"
        await response.aclose()
    assert await get(small, server.target()) == (200, b"hello")
    await small.aclose()
    assert server.connections == 4, "one of the two kept, the other closed"


async def test_chunked_bodies_and_interim_answers(serve: Callable[..., KeepAliveServer]) -> None:
    def answer(head: bytes) -> bytes:
        return (
            b"HTTP/1.1 100 Continue\r\n\r\n"
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
            b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        )

    server = serve(answer)
    connections = pool()
    response = await connections.request(b"GET", server.target(), headers(server), TIMEOUTS)
    assert response.status == 200 and response.headers["content-type"] == "text/html"
    assert b"".join([chunk async for chunk in response.aiter_raw()]) == b"hello world"
    await response.aclose()
    assert await get(connections, server.target()) == (200, b"hello world")
    await connections.aclose()
    assert server.connections == 1


async def test_a_server_that_hangs_up_without_answering(serve: Callable[..., KeepAliveServer]) -> None:
    server = serve(lambda head: b"", close_after=1)
    connections = pool()
    with pytest.raises(httpcore.RemoteProtocolError, match="disconnected without sending a response"):
        await connections.request(b"GET", server.target(), headers(server), TIMEOUTS)
    await connections.aclose()


class OneAddress(AsyncioBackend):
    """Every name connects to one local port; counts the connections made."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connects = 0

    async def connect_tcp(
        self, host: str, port: int, *args: object, **kwargs: object
    ) -> httpcore.AsyncNetworkStream:
        self.connects += 1
        return await super().connect_tcp("127.0.0.1", self.port, 2.0)


async def test_tls_is_set_up_once_per_connection_and_the_connection_reused(
    tls_web: WebServer, ca_file: Path
) -> None:
    tls_web.route("/page", page("Защищённый сайт"))
    backend = OneAddress(tls_web.port)
    made: list[ssl.SSLContext] = []

    def tls() -> ssl.SSLContext:
        made.append(make_ssl_context(fast_config(ca_bundles=[ca_file])))
        return made[-1]

    connections = HostConnections(backend, tls, 2, 5.0)
    target = RequestTarget("https", "secure.example.org", 443, b"secure.example.org", b"/page")
    for _ in range(3):
        status, body = await get(connections, target)
        assert status == 200 and "Защищённый сайт".encode() in body
    await connections.aclose()
    assert backend.connects == 1 and len(made) == 1
