"""A polite HTTP fetcher: per-host limits, the address guard, redirects by hand, retries and bounded bodies.

The link checker and the site monitor share it. `Fetcher.fetch` never raises for network trouble: whatever
happens ends up in a `FetchResult` with either a final HTTP status or a `FetchError` naming the cause.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import http.cookiejar
import random
import ssl
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from types import TracebackType
from typing import Any

import certifi
import httpcore
import httpx

from site_builder import __version__
from site_builder.checks.links.connections import HostConnections, Response, Timeouts
from site_builder.checks.links.guard import (
    AddressRefused,
    GuardedBackend,
    NameLookupFailed,
    NameNotFound,
    Resolver,
    make_resolver,
)
from site_builder.checks.links.urls import (
    SCHEME_HINTS,
    WEB_SCHEMES,
    RequestTarget,
    UrlProblem,
    parse_web_url,
    request_target,
    scheme_of,
)
from site_builder.content.settings.link_check import LinkCheckConfig

USER_AGENT = f"Mozilla/5.0 (compatible; site-builder/{__version__}; link checker)"
REQUEST_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "ru,en;q=0.5",
    "Accept-Encoding": "gzip, deflate",
}
KEEPALIVE_SECONDS = 5.0  # an idle connection is used again within this time (httpx's default)
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# As lychee does: a server that is down for a moment, overloaded or slow to take the request may answer later.
RETRY_CODES = frozenset({408, 429, *range(500, 600)})
TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/json")


class ErrorKind(StrEnum):
    NAME_NOT_FOUND = "name_not_found"
    NAME_LOOKUP = "name_lookup"
    ADDRESS_REFUSED = "address_refused"
    CONNECT_TIMEOUT = "connect_timeout"
    READ_TIMEOUT = "read_timeout"
    REFUSED = "refused"
    RESET = "reset"
    NETWORK = "network"
    TLS = "tls"
    PROTOCOL = "protocol"
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BAD_REDIRECT = "bad_redirect"
    BAD_ENCODING = "bad_encoding"
    SLOW_BODY = "slow_body"
    URL_TIME_CAP = "url_time_cap"
    DEADLINE = "deadline"
    INTERNAL = "internal"


# Like lychee: a closed port or a name DNS cannot give is not retried (it will not change in seconds);
# a time-out, a dropped connection or an unreachable network may.
RETRYABLE_ERRORS = frozenset(
    {ErrorKind.CONNECT_TIMEOUT, ErrorKind.READ_TIMEOUT, ErrorKind.RESET, ErrorKind.NETWORK}
)

# Failures that happen before anything is sent: they do not count as requests.
NOT_SENT = frozenset({ErrorKind.NAME_NOT_FOUND, ErrorKind.NAME_LOOKUP, ErrorKind.ADDRESS_REFUSED})


@dataclass(frozen=True)
class FetchError:
    kind: ErrorKind
    detail: str  # the technical cause (OS or library text, an address), shown after the Russian explanation


@dataclass(frozen=True)
class Hop:
    url: str
    status: int


@dataclass
class FetchResult:
    """What one fetch of a URL produced, redirects and retries included."""

    url: str
    method: str
    hops: list[Hop] = field(default_factory=list)
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes = b""
    error: FetchError | None = None
    stopped_at: str | None = None  # a redirect target deliberately not followed (a login page)
    failed_at: str | None = None  # the redirect target whose request ended in `error`
    requests: int = 0  # HTTP requests sent, redirects and retries included
    tries: int = 1
    # What readers of the body work out from it, once per fetch however many rules ask (classify.page_of).
    memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def status(self) -> int | None:
        return self.hops[-1].status if self.hops else None

    @property
    def final_url(self) -> str:
        return self.hops[-1].url if self.hops else self.url

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")


def is_text(response: Response) -> bool:
    content_type = response.headers.get("content-type", "").lower()
    return not content_type or content_type.startswith(TEXT_TYPES)


class SlowBody(Exception):
    """The server sent headers and then the body so slowly that the time for it ran out."""

    def __init__(self, received: int, seconds: float) -> None:
        super().__init__(f"{received} bytes in {seconds:g} s")
        self.received = received
        self.seconds = seconds


class UrlTimeCap(Exception):
    """The time allowed for one URL, retries and redirects included, ran out."""


class _UrlClock:
    """The time allowed for one URL; it starts with the first request sent, not while the URL waits its turn."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._deadline: float | None = None

    def start(self) -> float:
        if self._deadline is None:
            self._deadline = time.monotonic() + self._seconds
        return self._deadline

    def deadline(self) -> float:
        return self._deadline if self._deadline is not None else time.monotonic() + self._seconds


@dataclass(frozen=True)
class _BodyPlan:
    read: Callable[[Response], bool]  # whether to read the body of this response at all
    limit: int  # decoded bytes at most
    timeout: float  # seconds for the whole body once the headers are in


@dataclass
class HostCost:
    """Time a run spent on one host: its requests and the waits before their retries."""

    seconds: float = 0.0
    requests: int = 0


def make_ssl_context(config: LinkCheckConfig) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=certifi.where())
    _load_bundles(context, config)
    context.set_alpn_protocols(["http/1.1"])  # as httpcore offers it without HTTP/2
    return context


def _load_bundles(context: ssl.SSLContext, config: LinkCheckConfig) -> None:
    """The site's own root certificates (link_check.ca_bundles); OSError or ssl.SSLError for a bad file."""
    for bundle in config.ca_bundles:
        context.load_verify_locations(cafile=str(bundle))


class HostGate:
    """One host's share of the run: at most N requests at once, starts at least `interval` seconds apart,
    its own few connections, and its request headers encoded once.

    Redirects and cookies are handled by hand (`Fetcher._chain`, `_Chain`).
    """

    def __init__(
        self,
        concurrency: int,
        interval: float,
        connections: HostConnections,
        headers: dict[str, str],
        cost: HostCost,
    ) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._interval = interval
        self._next_start = 0.0
        self.connections = connections
        # The site's own headers replace the defaults of the same name, whatever their case.
        given = {name.lower() for name in headers}
        merged = [(name, value) for name, value in REQUEST_HEADERS.items() if name.lower() not in given]
        self.headers = [
            (name.encode("ascii"), value.encode("ascii")) for name, value in [*merged, *headers.items()]
        ]
        self.names_host = "host" in given
        self.cost = cost

    async def __aenter__(self) -> None:
        """One request's turn (`async with gate:`); a class, not a generator: this runs for every request."""
        await self._slots.acquire()
        try:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self._interval
            if start > now:
                await asyncio.sleep(start - now)
        except BaseException:
            self._slots.release()
            raise

    async def __aexit__(self, *exc_info: object) -> None:
        self._slots.release()

    def pause(self, seconds: float) -> None:
        """A 429 or 503 with Retry-After holds back every request to the host, not only the one retried."""
        self._next_start = max(self._next_start, time.monotonic() + seconds)


class Fetcher:
    """Use as `async with Fetcher(config) as fetcher: result = await fetcher.fetch(url)`."""

    def __init__(
        self,
        config: LinkCheckConfig,
        *,
        resolver: Resolver | None = None,
        deadline: float | None = None,
        network: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.config = config
        self.deadline = deadline  # time.monotonic() after which nothing new is sent
        self._backend = GuardedBackend(
            resolver or make_resolver(config.resolve), config.allow_private, network
        )
        self._ssl_context: ssl.SSLContext | None = None
        self._gates: dict[bytes, HostGate] = {}
        self._global = asyncio.Semaphore(config.concurrency)
        self._rng = random.Random()
        self._timeouts = Timeouts(config.connect_timeout, config.read_timeout, config.read_timeout)
        self.host_costs: dict[str, HostCost] = {}

    async def __aenter__(self) -> Fetcher:
        # The site's own certificate files are read now, so that a missing or broken one stops the run before
        # any request; the standard bundle (20 ms to load) waits for the first https connection (`_tls`).
        _load_bundles(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), self.config)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        gates, self._gates = self._gates, {}
        for gate in gates.values():
            await gate.connections.aclose()

    def _tls(self) -> ssl.SSLContext:
        """The TLS settings, made at the first https connection (loading the certificates takes 20 ms)."""
        if self._ssl_context is None:
            self._ssl_context = make_ssl_context(self.config)
        return self._ssl_context

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        read_body: Callable[[Response], bool] = is_text,
        stop_at: Callable[[str], bool] | None = None,
        retries: int | None = None,
        body_limit: int | None = None,
        body_timeout: float | None = None,
    ) -> FetchResult:
        """Fetch `url` (already normalised) following redirects, retrying what may pass; never raises."""
        allowed = self.config.retries if retries is None else retries
        clock = _UrlClock(self.config.max_url_seconds)
        plan = _BodyPlan(
            read_body, body_limit or self.config.max_body_bytes, body_timeout or self.config.body_timeout
        )
        requests, attempt = 0, 0
        while True:
            attempt += 1
            result = await self._chain(url, method, plan, stop_at, clock)
            requests += result.requests
            result.requests, result.tries = requests, attempt
            delay = self._retry_delay(result, attempt)
            if attempt > allowed or delay is None or self._past_deadline_after(delay, clock):
                return result
            self._host_cost(request_target(url).host).seconds += delay
            await asyncio.sleep(delay)

    def _past_deadline_after(self, delay: float, clock: _UrlClock) -> bool:
        later = time.monotonic() + delay
        return later >= clock.deadline() or (self.deadline is not None and later >= self.deadline)

    def _host_cost(self, host: str) -> HostCost:
        cost = self.host_costs.get(host)
        if cost is None:
            cost = self.host_costs[host] = HostCost()
        return cost

    def _retry_delay(self, result: FetchResult, attempt: int) -> float | None:
        """Seconds to wait before trying again, or None when the outcome is final."""
        if result.error is not None:
            if result.error.kind not in RETRYABLE_ERRORS:
                return None
        elif result.status not in RETRY_CODES:
            return None
        backoff = self.config.backoff_base * 2 ** (attempt - 1) * self._rng.uniform(0.5, 1.5)
        wait = retry_after(result.headers) if result.error is None else None
        if wait is not None:
            wait = min(wait, self.config.retry_after_cap)
            self._gate(request_target(result.final_url)).pause(wait)
            return max(wait, backoff)
        return backoff

    def _gate(self, target: RequestTarget) -> HostGate:
        """The gate of a host and port (http and https share it: the same server's limits)."""
        gate = self._gates.get(target.authority)
        if gate is None:
            concurrency, interval, headers = self.config.for_host(target.host)
            connections = HostConnections(self._backend, self._tls, concurrency, KEEPALIVE_SECONDS)
            gate = self._gates[target.authority] = HostGate(
                concurrency, interval, connections, headers, self._host_cost(target.host)
            )
        return gate

    async def _chain(
        self,
        url: str,
        method: str,
        plan: _BodyPlan,
        stop_at: Callable[[str], bool] | None,
        clock: _UrlClock,
    ) -> FetchResult:
        result = FetchResult(url, method)
        chain = _Chain()
        current = url
        for _ in range(self.config.max_redirects + 1):
            if self.expired():
                result.error = FetchError(ErrorKind.DEADLINE, "")
                return result
            if not chain.visit(current):
                result.error = FetchError(ErrorKind.REDIRECT_LOOP, current)
                return result
            try:
                response, body = await self._send(current, method, chain, plan, clock)
            except Exception as error:  # any failure of one request is a result, never a crash
                result.error = describe_error(error, self.config)
                result.requests += result.error.kind not in NOT_SENT
                result.failed_at = current if result.hops else None
                return result
            result.requests += 1
            result.hops.append(Hop(current, response.status))
            result.headers, result.body = response.headers, body
            location = response.headers.get("location")
            if response.status not in REDIRECT_CODES or location is None:
                return result
            try:
                target = redirect_target(current, location)
            except UrlProblem as problem:
                result.error = FetchError(ErrorKind.BAD_REDIRECT, f"{location.strip()} — {problem}")
                return result
            if stop_at is not None and stop_at(target):
                result.stopped_at = target
                return result
            current = target
        result.error = FetchError(ErrorKind.TOO_MANY_REDIRECTS, str(self.config.max_redirects))
        return result

    async def _send(
        self,
        url: str,
        method: str,
        chain: _Chain,
        plan: _BodyPlan,
        clock: _UrlClock,
    ) -> tuple[Response, bytes]:
        config = self.config
        target = request_target(url)
        gate = self._gate(target)
        async with gate, self._global:
            headers = gate.headers if gate.names_host else [(b"Host", target.authority), *gate.headers]
            if chain.cookies.jar:  # the cookie machinery of the standard library is costly; skip it when idle
                headers = [*headers, *chain.cookie_headers(url)]
            started = time.monotonic()
            url_deadline = clock.start()
            try:
                async with _TimeCap(config.connect_timeout + config.read_timeout, url_deadline):
                    response = await gate.connections.request(
                        method.encode("ascii"), target, headers, self._timeouts
                    )
                try:
                    if "set-cookie" in response.headers:
                        chain.take_cookies(url, method, response)
                    body = b""
                    if method == "HEAD":
                        # Nothing to read, but reading reaches the end of the message: without it the
                        # connection would be closed instead of reused.
                        async with _TimeCap(config.read_timeout, url_deadline):
                            async for _ in response.aiter_raw():
                                pass
                    elif plan.read(response):
                        body = await self._read_body(response, plan, url_deadline)
                finally:
                    await response.aclose()
            finally:
                gate.cost.seconds += time.monotonic() - started
                gate.cost.requests += 1
        # The request that takes the freed slot is written before this answer is judged: the loop runs the
        # task woken by the release first, then comes back here.
        await asyncio.sleep(0)
        return response, body

    async def _read_body(self, response: Response, plan: _BodyPlan, url_deadline: float) -> bytes:
        """The bounded body within `body_timeout`: a server trickling bytes is caught, not waited for."""
        progress = BodyProgress()
        started = time.monotonic()
        try:
            async with _TimeCap(plan.timeout, url_deadline):
                return await read_bounded(response, plan.limit, progress)
        except TimeoutError as error:
            raise SlowBody(progress.received, time.monotonic() - started) from error


# Strict: a cookie set without Domain= goes back to that exact host only (the lax default would also send
# example.org's cookie to other.example.org).
_STRICT_COOKIES = http.cookiejar.DefaultCookiePolicy(
    strict_ns_domain=http.cookiejar.DefaultCookiePolicy.DomainStrictNonDomain
)


class _Chain:
    """State of one redirect chain: its own cookie jar (per domain, dropped afterwards) and the places seen.

    A URL seen again with the same cookies is a loop; seen again after a new cookie is the usual
    «set a cookie and come back» dance, which browsers follow.
    """

    def __init__(self) -> None:
        self.cookies = httpx.Cookies(http.cookiejar.CookieJar(policy=_STRICT_COOKIES))
        self._seen: set[tuple[str, tuple[str, ...]]] = set()

    def cookie_headers(self, url: str) -> list[tuple[bytes, bytes]]:
        """The Cookie header the jar has for `url` (none when it has nothing for that address)."""
        request = httpx.Request("GET", url)
        self.cookies.set_cookie_header(request)
        return [(name, value) for name, value in request.headers.raw if name.lower() == b"cookie"]

    def take_cookies(self, url: str, method: str, response: Response) -> None:
        """Keep the cookies an answer sets (the jar reads them from an httpx response to an httpx request)."""
        request = httpx.Request(method, url)
        self.cookies.extract_cookies(
            httpx.Response(response.status, headers=response.headers, request=request)
        )

    def visit(self, url: str) -> bool:
        key = (url, tuple(sorted(f"{c.domain}{c.path}{c.name}={c.value}" for c in self.cookies.jar)))
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


class _TimeCap:
    """A time-out of `seconds`, or less when the URL's own time runs out first (then UrlTimeCap).

    A class rather than a generator-based context manager: three of them wrap every request.
    """

    def __init__(self, seconds: float, url_deadline: float) -> None:
        self._seconds = seconds
        self._left = url_deadline - time.monotonic()
        self._timeout: asyncio.Timeout | None = None

    async def __aenter__(self) -> None:
        if self._left <= 0:
            raise UrlTimeCap()
        self._timeout = asyncio.timeout(min(self._seconds, self._left))
        await self._timeout.__aenter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._timeout is not None
        try:
            await self._timeout.__aexit__(exc_type, exc, tb)
        except TimeoutError as error:
            self._raise_cap(error)
            raise
        if isinstance(exc, TimeoutError):
            self._raise_cap(exc)

    def _raise_cap(self, error: TimeoutError) -> None:
        if self._left < self._seconds:
            raise UrlTimeCap() from error


# Where a server, not an editor, wrote the address: «the author's computer» would point at the wrong person.
REDIRECT_HINTS = {
    "file": "адрес файла на диске сервера или чьего-то компьютера (file://): браузер посетителя его не откроет",
}


def redirect_target(current: str, location: str) -> str:
    """The normalised address a Location leads to; UrlProblem, in Russian, when it cannot be followed."""
    text = location.strip()
    scheme = scheme_of(text)
    if scheme and scheme not in WEB_SCHEMES:
        # httpx.URL.join turns «file:///etc/passwd» into «file:/etc/passwd»: judge what the server sent.
        hint = REDIRECT_HINTS.get(scheme) or SCHEME_HINTS.get(scheme)
        raise UrlProblem(hint or f"протокол {scheme}: не открывается браузером как страница")
    try:
        joined = str(httpx.URL(current).join(text))
    except (httpx.InvalidURL, ValueError) as error:
        raise UrlProblem(f"адрес записан с ошибкой: {error}") from error
    return parse_web_url(joined).url


@dataclass
class BodyProgress:
    received: int = 0  # decoded bytes so far


async def read_bounded(response: Response, limit: int, progress: BodyProgress | None = None) -> bytes:
    """At most `limit` decoded bytes of the body, however long or compressed the server makes it.

    Raises httpx.DecodingError when the compressed data is broken: a page nobody's browser can show.
    """
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding and encoding not in ("gzip", "x-gzip", "deflate"):
        return b""  # an encoding we did not ask for: better to see nothing than garbage
    decoder = zlib.decompressobj(wbits=47 if encoding in ("gzip", "x-gzip") else 15) if encoding else None
    parts: list[bytes] = []
    size, raw_bytes = 0, 0
    async for chunk in response.aiter_raw():
        raw_bytes += len(chunk)
        if decoder is not None:
            try:
                chunk = decoder.decompress(chunk, limit - size)
            except zlib.error as error:
                if encoding != "deflate" or raw_bytes != len(chunk):
                    raise httpx.DecodingError(f"повреждённые сжатые данные ({encoding}): {error}") from error
                # «deflate» without its zlib header, as some servers send it and browsers accept
                decoder = zlib.decompressobj(wbits=-15)
                chunk = _inflate_raw(decoder, chunk, limit - size, encoding)
        parts.append(chunk[: limit - size])
        size += len(parts[-1])
        if progress is not None:
            progress.received = size
        if size >= limit:
            break
    else:
        if decoder is not None and raw_bytes and not decoder.eof:
            raise httpx.DecodingError(f"сжатые данные ({encoding}) оборваны")
    return b"".join(parts)


def _inflate_raw(decoder: zlib._Decompress, chunk: bytes, limit: int, encoding: str) -> bytes:
    try:
        return decoder.decompress(chunk, limit)
    except zlib.error as error:
        raise httpx.DecodingError(f"повреждённые сжатые данные ({encoding}): {error}") from error


def retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - time.time())


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and everything it wraps: causes, contexts and members of exception groups."""
    stack, seen = [error], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        for inner in (current.__cause__, current.__context__):
            if inner is not None:
                stack.append(inner)


def describe_error(error: Exception, config: LinkCheckConfig) -> FetchError:
    """Turn any exception of one request into the cause it stands for."""
    for cause in _causes(error):
        if isinstance(cause, SlowBody):
            return FetchError(ErrorKind.SLOW_BODY, f"{cause.received} байт за {cause.seconds:.0f} с")
        if isinstance(cause, UrlTimeCap):
            return FetchError(ErrorKind.URL_TIME_CAP, f"{config.max_url_seconds:g} с")
        if isinstance(cause, httpx.DecodingError):
            return FetchError(ErrorKind.BAD_ENCODING, str(cause))
        if isinstance(cause, AddressRefused):
            return FetchError(ErrorKind.ADDRESS_REFUSED, f"{cause.address} — {cause.kind}")
        if isinstance(cause, NameNotFound):
            return FetchError(ErrorKind.NAME_NOT_FOUND, cause.detail)
        if isinstance(cause, NameLookupFailed):
            return FetchError(ErrorKind.NAME_LOOKUP, cause.detail)
        if isinstance(cause, ssl.SSLCertVerificationError):
            return FetchError(ErrorKind.TLS, cause.verify_message or cause.reason or str(cause))
        if isinstance(cause, ssl.SSLError):
            return FetchError(ErrorKind.TLS, cause.reason or str(cause))
    if isinstance(error, httpcore.ConnectTimeout):
        return FetchError(ErrorKind.CONNECT_TIMEOUT, f"{config.connect_timeout:g} с")
    if isinstance(error, httpcore.TimeoutException | TimeoutError):
        return FetchError(ErrorKind.READ_TIMEOUT, f"{config.read_timeout:g} с")
    for cause in _causes(error):
        if isinstance(cause, ConnectionRefusedError):
            return FetchError(ErrorKind.REFUSED, cause.strerror or "connection refused")
        if isinstance(cause, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
            return FetchError(ErrorKind.RESET, cause.strerror or type(cause).__name__)
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return FetchError(ErrorKind.NETWORK, cause.strerror or str(cause))
    if isinstance(error, httpcore.RemoteProtocolError):
        text = str(error)
        kind = ErrorKind.RESET if "disconnected" in text or "closed" in text else ErrorKind.PROTOCOL
        return FetchError(kind, text)
    if isinstance(error, httpcore.ReadError | httpcore.WriteError):
        return FetchError(ErrorKind.RESET, str(error) or type(error).__name__)
    if isinstance(error, httpcore.ConnectError | httpcore.NetworkError):
        return FetchError(ErrorKind.NETWORK, str(error) or type(error).__name__)
    if isinstance(error, httpcore.ProtocolError | httpx.DecodingError):
        return FetchError(ErrorKind.PROTOCOL, str(error) or type(error).__name__)
    return FetchError(ErrorKind.INTERNAL, f"{type(error).__name__}: {error}")
