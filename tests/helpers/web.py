"""Local stand-in servers and the DNS stand-in for the tests: real sockets on 127.0.0.1, nothing beyond.

`WebServer` answers by (Host header, path) from a route table and counts every request; `RawServer` runs a
function on the raw socket for the hostile cases (garbage headers, resets, endless bodies).
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import socketserver
import ssl
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore
import pytest

from site_builder.checks.links.guard import StaticResolver
from site_builder.checks.links.network import AsyncioBackend


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


def page(title: str, text: str = "", status: int = 200) -> Reply:
    return Reply(
        status, f"<!doctype html><html><head><title>{title}</title></head><body>{text}</body></html>"
    )


def redirect(location: str, status: int = 302, cookie: str = "") -> Reply:
    return Reply(status, headers={"Location": location, **({"Set-Cookie": cookie} if cookie else {})})


Route = Reply | list[Reply]
# The random sibling address the checker asks for to learn a host's placeholder page (soft404.sibling_of).
PROBE_PATH = re.compile(r"/[0-9a-f]{16}(?:\.\w+)?/?$")


@dataclass
class Seen:
    method: str
    host: str
    path: str
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; Nagle would delay the second

    def log_message(self, format: str, *args: object) -> None:
        return

    def _serve(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        self.server.owner.record(Seen(self.command, host, self.path, dict(self.headers.items())))
        reply = self.server.owner.reply_for(host, self.path)
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.payload()
        self.send_response(reply.status)
        headers = {"Content-Type": reply.content_type, "Content-Length": str(len(body)), **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: WebServer

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up early (bounded reads do) is normal here, not worth a traceback."""


class WebServer:
    """Routes: `server.route("/path", Reply(...), host="disk.yandex.ru")`; a list of replies is served in turn."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self._routes: dict[tuple[str, str], list[Reply]] = {}
        self._fallback: dict[str, Reply] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def answer_everything(self, reply: Reply, host: str) -> None:
        """`host` answers every address without a route with `reply` (a CMS that never says 404)."""
        self._fallback[host.lower()] = reply

    def route(self, path: str, reply: Route, host: str = "*") -> None:
        self._routes[(host.lower(), path)] = list(reply) if isinstance(reply, list) else [reply]

    def reply_for(self, host: str, path: str) -> Reply:
        with self._lock:
            bare = path.split("?", 1)[0]
            keys = [(host, path), ("*", path), (host, bare), ("*", bare)]
            replies = next((self._routes[key] for key in keys if self._routes.get(key)), None)
            if not replies:
                return self._fallback.get(host) or page("Not Found", "no route", 404)
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def checked(self) -> list[Seen]:
        """Requests for the links themselves, without the placeholder probes."""
        return [s for s in self.seen if not PROBE_PATH.search(s.path)]

    def probes(self) -> list[Seen]:
        return [s for s in self.seen if PROBE_PATH.search(s.path)]

    def hits(self, path: str, method: str | None = None) -> int:
        return sum(1 for s in self.seen if s.path == path and (method is None or s.method == method))

    def counts(self) -> Counter[str]:
        return Counter(f"{s.method} {s.host}{s.path}" for s in self.seen)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _RawHandler(socketserver.BaseRequestHandler):
    server: _RawTCPServer

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # the client hanging up mid-way is part of the game
            self.server.behaviour(self.request)


class _RawTCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    behaviour: Callable[[socket.socket], None]


class RawServer:
    """Runs `behaviour(sock)` for every connection: whatever bytes (or silence) a hostile server sends."""

    def __init__(self, behaviour: Callable[[socket.socket], None]) -> None:
        self._server = _RawTCPServer(("127.0.0.1", 0), _RawHandler)
        self._server.behaviour = behaviour
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def read_request(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN: the client sees «connection reset by peer»."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def free_port() -> int:
    """A port nobody listens on (bound, then released), for «connection refused»."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LoopbackNetwork(httpcore.AsyncNetworkBackend):
    """The sockets under the address guard, for tests: addresses in `table` are connected to local servers.

    Lets a test give a host a public-looking address (so the guard lets it pass) while the bytes still only
    travel to 127.0.0.1; an address missing from the table fails as a refused connection.
    """

    def __init__(self, table: dict[str, str]) -> None:
        self._inner = AsyncioBackend()
        self._table = table
        self.connects: list[str] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connects.append(host)
        target = self._table.get(host)
        if target is None:
            raise httpcore.ConnectError(f"test network has no route to {host}") from ConnectionRefusedError(
                111, "Connection refused"
            )
        address, _, local_port = target.partition(":")
        return await self._inner.connect_tcp(address, int(local_port), timeout)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: object = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("no unix sockets in tests")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """A request with the path exactly as written: no client-side normalisation of «..» or escapes."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30.0)
    try:
        connection.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"127.0.0.1:{port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def refuse_real_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names no test maps do not exist: nothing may ask the real DNS or leave 127.0.0.1."""
    from site_builder.checks.links import fetch

    monkeypatch.setattr(fetch, "make_resolver", lambda table: StaticResolver(table))
