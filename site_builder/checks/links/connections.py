"""HTTP/1.1 on kept-alive connections, a few per host: h11 speaks the protocol, this module keeps the sockets.

The fetcher went through httpx's transport and httpcore's pool before. Per request that was httpx's request
and response objects, a scan of the pool and three anyio locks and an event, each a cancel scope and a turn of
the event loop before the request was written: nearly a third of the link checker's CPU and two milliseconds
of every request's time in its slot (bench/linkcheck_bench.py). What httpcore did for this client (HTTP/1.1 only, no
proxy, one request at a time on a connection) is what is left here, with httpcore's messages and exceptions
(what `fetch.describe_error` reads) and its network backends (the address guard is one): h11 frames requests
and answers (lengths, chunks, HEAD, bodies that end with the connection) and says when a connection may carry
the next request.
"""

from __future__ import annotations

import contextlib
import ssl
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import h11
import httpcore
import httpx

from site_builder.checks.links.urls import RequestTarget

READ_BYTES = 64 * 1024  # at most this much per read, as httpcore reads
MAX_HEAD_BYTES = 100 * 1024  # a longer status line and headers are a protocol error (httpcore's limit)


@dataclass(frozen=True)
class Timeouts:
    connect: float  # the TCP connection and the TLS handshake, each
    read: float  # each wait for bytes of the answer
    write: float  # the request


class Connection:
    """One socket and the h11 state of the request and answer on it."""

    def __init__(self, origin: tuple[str, str, int], stream: httpcore.AsyncNetworkStream) -> None:
        self.origin = origin
        self.stream = stream
        self.protocol = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD_BYTES)
        self.idle_until = 0.0  # time.monotonic() after which an idle connection is not used again

    async def receive(self, timeout: float) -> h11.Event | type[h11.PAUSED]:
        """The next event of the answer, reading from the socket as h11 needs."""
        while True:
            try:
                event = self.protocol.next_event()
            except h11.RemoteProtocolError as error:
                raise httpcore.RemoteProtocolError(str(error)) from error
            if event is not h11.NEED_DATA:
                return event  # type: ignore[return-value]  # mypy does not narrow h11's sentinel classes
            data = await self.stream.read(READ_BYTES, timeout)
            if not data and self.protocol.their_state is h11.SEND_RESPONSE:
                # h11 would call it an event it cannot handle in this state; this is what happened.
                raise httpcore.RemoteProtocolError("Server disconnected without sending a response.")
            self.protocol.receive_data(data)


class Response:
    """An answer's status and headers; the body comes from `aiter_raw`. `aclose` must be called in every case:
    it gives the connection back for the next request when the answer was read to its end, closes it otherwise.
    """

    def __init__(
        self,
        status: int,
        headers: httpx.Headers,
        connection: Connection,
        pool: HostConnections,
        timeout: float,
    ) -> None:
        self.status = status
        self.headers = headers
        self._connection = connection
        self._pool = pool
        self._timeout = timeout
        self._closed = False

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        """The body as it arrives, still compressed if the server compressed it."""
        while True:
            event = await self._connection.receive(self._timeout)
            if not isinstance(event, h11.Data):
                return  # the end of the message, or of what h11 reads (after a switch of protocols)
            yield bytes(event.data)

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            await self._pool.release(self._connection)


class HostConnections:
    """The connections to one host: each reused while the server keeps it open, at most `size` kept idle, for
    `keepalive` seconds each. The caller sends at most `size` requests at once (`fetch.HostGate`).

    `tls` gives the TLS settings when the first https connection is made: a run without one never loads the
    certificate bundle.
    """

    def __init__(
        self,
        backend: httpcore.AsyncNetworkBackend,
        tls: Callable[[], ssl.SSLContext],
        size: int,
        keepalive: float,
    ) -> None:
        self._backend = backend
        self._tls = tls
        self._size = size
        self._keepalive = keepalive
        self._idle: list[Connection] = []

    async def request(
        self, method: bytes, target: RequestTarget, headers: list[tuple[bytes, bytes]], timeouts: Timeouts
    ) -> Response:
        """Send a request without a body and read the answer's head."""
        connection = await self._connection(target, timeouts.connect)
        try:
            try:
                data = connection.protocol.send(
                    h11.Request(method=method, target=target.path, headers=headers)
                )
                data += connection.protocol.send(h11.EndOfMessage())
            except h11.LocalProtocolError as error:
                raise httpcore.LocalProtocolError(str(error)) from error
            # A server may close its side early and still answer, with an error page: read what it said.
            with contextlib.suppress(httpcore.WriteError):
                await connection.stream.write(data, timeouts.write)
            event = await connection.receive(timeouts.read)
            # «100 Continue» and the like come before the answer; a switch of protocols (101) is the answer.
            while isinstance(event, h11.InformationalResponse) and event.status_code != 101:
                event = await connection.receive(timeouts.read)
        except BaseException:
            await connection.stream.aclose()
            raise
        # What h11 gives a client waiting for an answer: nothing else is possible here.
        assert isinstance(event, h11.Response | h11.InformationalResponse), event
        headers_in = httpx.Headers(event.headers.raw_items())
        return Response(event.status_code, headers_in, connection, self, timeouts.read)

    async def _connection(self, target: RequestTarget, timeout: float) -> Connection:
        origin = (target.scheme, target.host, target.port)
        now = time.monotonic()
        for index in range(len(self._idle) - 1, -1, -1):  # the most recently used first: the likeliest open
            connection = self._idle[index]
            if connection.origin != origin:
                continue
            del self._idle[index]
            # An idle connection with something to read has been closed by the server (or is out of step).
            if connection.idle_until >= now and not connection.stream.get_extra_info("is_readable"):
                return connection
            await connection.stream.aclose()
        stream = await self._backend.connect_tcp(target.host, target.port, timeout=timeout)
        if target.scheme == "https":
            try:
                stream = await stream.start_tls(self._tls(), server_hostname=target.host, timeout=timeout)
            except BaseException:  # a failed handshake, or the URL's time running out during it
                await stream.aclose()
                raise
        return Connection(origin, stream)

    async def release(self, connection: Connection) -> None:
        protocol = connection.protocol
        if (
            protocol.our_state is h11.DONE
            and protocol.their_state is h11.DONE
            and len(self._idle) < self._size
        ):
            protocol.start_next_cycle()
            connection.idle_until = time.monotonic() + self._keepalive
            self._idle.append(connection)
        else:
            await connection.stream.aclose()

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.stream.aclose()
