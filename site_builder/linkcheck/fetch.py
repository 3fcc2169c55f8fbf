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
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from types import TracebackType
from urllib.parse import urlsplit

import certifi
import httpcore
import httpx

from site_builder import __version__
from site_builder.linkcheck.config import LinkCheckConfig
from site_builder.linkcheck.guard import (
    AddressRefused,
    GuardedBackend,
    NameLookupFailed,
    NameNotFound,
    Resolver,
    make_resolver,
)
from site_builder.linkcheck.urls import UrlProblem, parse_web_url

USER_AGENT = f"Mozilla/5.0 (compatible; site-builder/{__version__}; link checker)"
REQUEST_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "ru,en;q=0.5",
    "Accept-Encoding": "gzip, deflate",
}
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
RETRY_CODES = frozenset({408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
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
    DEADLINE = "deadline"
    INTERNAL = "internal"


RETRYABLE_ERRORS = frozenset(
    {
        ErrorKind.NAME_LOOKUP,
        ErrorKind.CONNECT_TIMEOUT,
        ErrorKind.READ_TIMEOUT,
        ErrorKind.REFUSED,
        ErrorKind.RESET,
        ErrorKind.NETWORK,
    }
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
    requests: int = 0  # HTTP requests sent, redirects and retries included
    tries: int = 1

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


def is_text(response: httpx.Response) -> bool:
    content_type = response.headers.get("content-type", "").lower()
    return not content_type or content_type.startswith(TEXT_TYPES)


class _NoCookies(httpx.Cookies):
    def extract_cookies(self, response: httpx.Response) -> None:
        return


class _Client(httpx.AsyncClient):
    """A client that keeps no cookies of its own: they live only within one redirect chain (see `_Chain`),
    so nothing one site sets ever reaches another, and no response pays for the cookie parser."""

    @property
    def cookies(self) -> httpx.Cookies:
        return _NoCookies()

    @cookies.setter
    def cookies(self, value: object) -> None:
        return


class _GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, ssl_context: ssl.SSLContext, backend: GuardedBackend, limits: httpx.Limits) -> None:
        super().__init__(verify=ssl_context, limits=limits, trust_env=False)
        # httpx (pinned <0.29) builds its pool without a way to pass a network backend; the guard must sit
        # there to see every resolved address, so the pool is rebuilt with the same settings plus the backend.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


def make_ssl_context(config: LinkCheckConfig) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=certifi.where())
    for bundle in config.ca_bundles:
        context.load_verify_locations(cafile=str(bundle))
    return context


class HostGate:
    """One host's share of the run: at most N requests at once, starts at least `interval` seconds apart,
    and its own small connection pool (httpcore scans its whole pool on every request, so one pool per host
    keeps that cost flat however many hosts a run visits)."""

    def __init__(
        self, concurrency: int, interval: float, client: httpx.AsyncClient, headers: dict[str, str]
    ) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._interval = interval
        self._next_start = 0.0
        self.client = client
        self.headers = {**REQUEST_HEADERS, **headers}

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self._interval
            if start > now:
                await asyncio.sleep(start - now)
            yield

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
        self._gates: dict[str, HostGate] = {}
        self._global = asyncio.Semaphore(config.concurrency)
        self._rng = random.Random()
        timeout = httpx.Timeout(
            connect=config.connect_timeout, read=config.read_timeout, write=config.read_timeout, pool=None
        )
        self._extensions = {"timeout": timeout.as_dict()}

    async def __aenter__(self) -> Fetcher:
        self._ssl_context = make_ssl_context(self.config)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        gates, self._gates = self._gates, {}
        for gate in gates.values():
            await gate.client.aclose()

    def _new_client(self, size: int) -> httpx.AsyncClient:
        assert self._ssl_context is not None, "Fetcher is used outside `async with`"
        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size, keepalive_expiry=5.0)
        return _Client(
            transport=_GuardedTransport(self._ssl_context, self._backend, limits),
            follow_redirects=False,
            trust_env=False,
        )

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        read_body: Callable[[httpx.Response], bool] = is_text,
        stop_at: Callable[[str], bool] | None = None,
        retries: int | None = None,
    ) -> FetchResult:
        """Fetch `url` (already normalised) following redirects, retrying what may pass; never raises."""
        allowed = self.config.retries if retries is None else retries
        requests, attempt = 0, 0
        while True:
            attempt += 1
            result = await self._chain(url, method, read_body, stop_at)
            requests += result.requests
            result.requests, result.tries = requests, attempt
            delay = self._retry_delay(result, attempt)
            if attempt > allowed or delay is None or self._past_deadline_after(delay):
                return result
            await asyncio.sleep(delay)

    def _past_deadline_after(self, delay: float) -> bool:
        return self.deadline is not None and time.monotonic() + delay >= self.deadline

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
            self._gate(result.final_url).pause(wait)
            return max(wait, backoff)
        return backoff

    def _gate(self, url: str) -> HostGate:
        parts = urlsplit(url)
        gate = self._gates.get(parts.netloc)
        if gate is None:
            concurrency, interval, headers = self.config.for_host(parts.hostname or "")
            gate = self._gates[parts.netloc] = HostGate(
                concurrency, interval, self._new_client(concurrency), headers
            )
        return gate

    async def _chain(
        self,
        url: str,
        method: str,
        read_body: Callable[[httpx.Response], bool],
        stop_at: Callable[[str], bool] | None,
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
                response, body = await self._send(current, method, chain, read_body)
            except Exception as error:  # any failure of one request is a result, never a crash
                result.error = describe_error(error, self.config)
                result.requests += result.error.kind not in NOT_SENT
                return result
            result.requests += 1
            result.hops.append(Hop(current, response.status_code))
            result.headers, result.body = response.headers, body
            location = response.headers.get("location")
            if response.status_code not in REDIRECT_CODES or location is None:
                return result
            try:
                target = parse_web_url(str(httpx.URL(current).join(location))).url
            except (UrlProblem, httpx.InvalidURL, ValueError) as error:
                result.error = FetchError(ErrorKind.BAD_REDIRECT, f"{location} ({error})")
                return result
            if stop_at is not None and stop_at(target):
                result.stopped_at = target
                return result
            current = target
        result.error = FetchError(ErrorKind.TOO_MANY_REDIRECTS, str(self.config.max_redirects))
        return result

    async def _send(
        self, url: str, method: str, chain: _Chain, read_body: Callable[[httpx.Response], bool]
    ) -> tuple[httpx.Response, bytes]:
        cap = self.config.connect_timeout + 2 * self.config.read_timeout
        gate = self._gate(url)
        async with gate.slot(), self._global:
            request = httpx.Request(method, url, headers=gate.headers, extensions=self._extensions)
            if chain.cookies.jar:  # the cookie machinery of the standard library is costly; skip it when idle
                chain.cookies.set_cookie_header(request)
            async with asyncio.timeout(cap):
                response = await gate.client.send(request, stream=True)
                try:
                    if "set-cookie" in response.headers:
                        chain.cookies.extract_cookies(response)
                    body = b""
                    if method == "HEAD":
                        # Nothing to read, but reading reaches the end of the message: without it httpcore
                        # would close the connection instead of reusing it.
                        await response.aread()
                    elif read_body(response):
                        body = await read_bounded(response, self.config.max_body_bytes)
                finally:
                    await response.aclose()
        return response, body


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

    def visit(self, url: str) -> bool:
        key = (url, tuple(sorted(f"{c.domain}{c.path}{c.name}={c.value}" for c in self.cookies.jar)))
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


async def read_bounded(response: httpx.Response, limit: int) -> bytes:
    """At most `limit` decoded bytes of the body, however long or compressed the server makes it."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    decoder = zlib.decompressobj(wbits=47 if encoding in ("gzip", "x-gzip") else 15) if encoding else None
    if encoding and encoding not in ("gzip", "x-gzip", "deflate"):
        return b""  # an encoding we did not ask for: better to see nothing than garbage
    parts: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        if decoder is not None:
            try:
                chunk = decoder.decompress(chunk, limit - size)
            except zlib.error:
                break
        parts.append(chunk[: limit - size])
        size += len(parts[-1])
        if size >= limit:
            break
    return b"".join(parts)


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
    if isinstance(error, httpx.ConnectTimeout):
        return FetchError(ErrorKind.CONNECT_TIMEOUT, f"{config.connect_timeout:g} с")
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        return FetchError(ErrorKind.READ_TIMEOUT, f"{config.read_timeout:g} с")
    for cause in _causes(error):
        if isinstance(cause, ConnectionRefusedError):
            return FetchError(ErrorKind.REFUSED, cause.strerror or "connection refused")
        if isinstance(cause, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
            return FetchError(ErrorKind.RESET, cause.strerror or type(cause).__name__)
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return FetchError(ErrorKind.NETWORK, cause.strerror or str(cause))
    if isinstance(error, httpx.RemoteProtocolError):
        text = str(error)
        if "location header" in text.lower():  # httpx parses Location itself, before we see the response
            return FetchError(ErrorKind.BAD_REDIRECT, text)
        kind = ErrorKind.RESET if "disconnected" in text or "closed" in text else ErrorKind.PROTOCOL
        return FetchError(kind, text)
    if isinstance(error, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return FetchError(ErrorKind.RESET, str(error) or type(error).__name__)
    if isinstance(error, httpx.ConnectError | httpx.NetworkError):
        return FetchError(ErrorKind.NETWORK, str(error) or type(error).__name__)
    if isinstance(error, httpx.ProtocolError | httpx.DecodingError):
        return FetchError(ErrorKind.PROTOCOL, str(error) or type(error).__name__)
    return FetchError(ErrorKind.INTERNAL, f"{type(error).__name__}: {error}")
