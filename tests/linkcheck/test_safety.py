"""The address guard, hostile servers and TLS: nothing reaches a private address, nothing crashes the run."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme

from site_builder.linkcheck.client import check_urls
from site_builder.linkcheck.config import LinkStatus
from site_builder.linkcheck.guard import NameLookupFailed, StaticResolver, non_public_kind
from tests.linkcheck.conftest import CheckFn, fast_config
from tests.linkcheck.servers import (
    LoopbackNetwork,
    RawServer,
    WebServer,
    page,
    read_request,
    redirect,
    reset,
)

# A public address standing for «some site on the internet»; LoopbackNetwork routes it to a local server.
PUBLIC = "93.184.215.14"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
     "224.0.0.251", "240.0.0.1", "::1", "fe80::1", "fc00::5", "::ffff:127.0.0.1", "::ffff:10.0.0.1"],
)  # fmt: skip
def test_non_public_addresses_are_named(address: str) -> None:
    assert non_public_kind(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", [PUBLIC, "2001:4860:4860::8888"])
def test_public_addresses_pass(address: str) -> None:
    assert non_public_kind(ipaddress.ip_address(address)) is None


async def test_private_address_refused_without_request(web: WebServer) -> None:
    web.route("/admin", page("Панель"))
    resolver = StaticResolver({"intranet.example.org": web.address})
    urls = [f"http://{web.address}/admin", "http://intranet.example.org/admin"]
    results = await check_urls(urls, fast_config(allow_private=False), resolver=resolver)
    assert {r.status for r in results.values()} == {LinkStatus.INVALID}
    assert "127.0.0.1" in results["http://intranet.example.org/admin"].reason
    assert web.seen == []


def _guarded(web: WebServer, extra: dict[str, str]) -> tuple[StaticResolver, LoopbackNetwork]:
    resolver = StaticResolver({"public.example.org": PUBLIC, **extra})
    return resolver, LoopbackNetwork({PUBLIC: web.address})


@pytest.mark.parametrize(
    ("location", "address"),
    [
        ("http://intranet.example.org/admin", "10.20.30.40"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
    ],
)
async def test_guard_applies_to_redirect_targets(web: WebServer, location: str, address: str) -> None:
    web.route("/jump", redirect(location))
    resolver, network = _guarded(web, {"intranet.example.org": "10.20.30.40"})
    results = await check_urls(
        ["http://public.example.org/jump"],
        fast_config(allow_private=False),
        resolver=resolver,
        network=network,
    )
    result = results["http://public.example.org/jump"]
    assert result.status is LinkStatus.INVALID and address in result.reason
    assert result.http_status == 302 and web.hits("/jump") == 1
    assert set(network.connects) == {PUBLIC}, "nothing was sent to the private address"


async def test_name_with_one_private_address_among_public_ones_is_refused(web: WebServer) -> None:
    class TwoAddresses(StaticResolver):
        async def resolve(self, host: str, port: int) -> list[tuple[str, int]]:
            return [(PUBLIC, port), ("192.168.0.10", port)]

    network = LoopbackNetwork({PUBLIC: web.address})
    results = await check_urls(
        ["http://mixed.example.org/"],
        fast_config(allow_private=False),
        resolver=TwoAddresses({}),
        network=network,
    )
    assert results["http://mixed.example.org/"].status is LinkStatus.INVALID
    assert network.connects == []


async def test_temporary_dns_failure_is_unreachable_and_retried(web: WebServer) -> None:
    class Flaky(StaticResolver):
        calls = 0

        async def resolve(self, host: str, port: int) -> list[tuple[str, int]]:
            Flaky.calls += 1
            raise NameLookupFailed(host, "Temporary failure in name resolution")

    results = await check_urls(["http://example.org/"], fast_config(retries=2), resolver=Flaky({}))
    result = results["http://example.org/"]
    assert result.status is LinkStatus.UNREACHABLE and "DNS" in result.reason
    assert Flaky.calls == 3


@pytest.fixture
def raw() -> Iterator[Callable[[Callable[[socket.socket], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(behaviour: Callable[[socket.socket], None]) -> RawServer:
        servers.append(RawServer(behaviour))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _garbage(sock: socket.socket) -> None:
    read_request(sock)
    sock.sendall(b"HTTP/1.1 200 OK\r\nthis is not a header line\r\n\r\n")


def _binary(sock: socket.socket) -> None:
    read_request(sock)
    sock.sendall(bytes(range(256)) * 4)


def _huge_header(sock: socket.socket) -> None:
    read_request(sock)
    sock.sendall(b"HTTP/1.1 200 OK\r\nX-Junk: " + b"a" * 200_000 + b"\r\n\r\n")


def _reset(sock: socket.socket) -> None:
    read_request(sock)
    reset(sock)


def _endless(sock: socket.socket) -> None:
    read_request(sock)
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<title>Endless</title>")
    while True:
        sock.sendall(b"<p>more</p>" * 1000)


def _silent(sock: socket.socket) -> None:
    read_request(sock)
    time.sleep(1.5)


@pytest.mark.parametrize(
    ("behaviour", "status", "phrase"),
    [
        (_garbage, LinkStatus.BROKEN, "не по правилам HTTP"),
        (_binary, LinkStatus.BROKEN, "не по правилам HTTP"),
        (_huge_header, LinkStatus.BROKEN, "не по правилам HTTP"),
        (_reset, LinkStatus.UNREACHABLE, "оборвал соединение"),
        (_endless, LinkStatus.OK, "HTTP 200"),
        (_silent, LinkStatus.UNREACHABLE, "тайм-аут ответа"),
    ],
)
async def test_hostile_servers_give_a_result_not_a_crash(
    raw: Callable[[Callable[[socket.socket], None]], RawServer],
    behaviour: Callable[[socket.socket], None],
    status: LinkStatus,
    phrase: str,
) -> None:
    server = raw(behaviour)
    config = fast_config(read_timeout=0.3, retries=1, max_body_bytes=8192)
    results = await check_urls(
        ["http://hostile.example.org/"],
        config,
        resolver=StaticResolver({"hostile.example.org": server.address}),
    )
    result = results["http://hostile.example.org/"]
    assert result.status is status and phrase in result.reason


async def test_bad_redirect_locations(web: WebServer, check: CheckFn) -> None:
    web.route("/broken-location", redirect("http://[::1"))
    web.route("/to-ftp", redirect("ftp://files.example.org/plan.doc"))
    results = await check(["http://example.org/broken-location", "http://example.org/to-ftp"])
    assert {r.status for r in results.values()} == {LinkStatus.BROKEN}
    assert all("неверный адрес" in r.reason for r in results.values())


@pytest.fixture
def expired_web(ca: trustme.CA) -> Iterator[WebServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    ca.issue_cert(
        "secure.example.org", not_before=past, not_after=past + dt.timedelta(days=30)
    ).configure_cert(context)
    server = WebServer(tls=context)
    yield server
    server.close()


async def test_tls_verified_with_the_configured_ca_bundle(tls_web: WebServer, ca_file: Path) -> None:
    tls_web.route("/", page("Защищённый сайт"))
    resolver = StaticResolver(
        {"secure.example.org": tls_web.address, "other-name.example.org": tls_web.address}
    )
    urls = ["https://secure.example.org/", "https://other-name.example.org/"]
    trusted = await check_urls(urls, fast_config(ca_bundles=[ca_file]), resolver=resolver)
    untrusted = await check_urls(urls[:1], fast_config(), resolver=resolver)
    assert trusted[urls[0]].status is LinkStatus.OK
    mismatch = trusted[urls[1]]
    assert mismatch.status is LinkStatus.TLS_ERROR and "для другого имени" in mismatch.reason
    unknown = untrusted[urls[0]]
    assert unknown.status is LinkStatus.TLS_ERROR and "Russian Trusted Root CA" in unknown.reason


async def test_expired_certificate(expired_web: WebServer, ca_file: Path) -> None:
    resolver = StaticResolver({"secure.example.org": expired_web.address})
    results = await check_urls(
        ["https://secure.example.org/"], fast_config(ca_bundles=[ca_file]), resolver=resolver
    )
    result = results["https://secure.example.org/"]
    assert result.status is LinkStatus.TLS_ERROR and "истёк" in result.reason


async def test_unexpected_error_in_one_check_does_not_stop_the_run(
    web: WebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from site_builder.linkcheck import client

    web.route("/fine", page("Хорошо"))
    real_rule_for = client.rule_for

    def exploding(host: str) -> object:
        if host == "bad.example.org":
            raise RuntimeError("rule crashed")
        return real_rule_for(host)

    monkeypatch.setattr(client, "rule_for", exploding)
    resolver = StaticResolver({"example.org": web.address, "bad.example.org": web.address})
    results = await check_urls(
        ["http://example.org/fine", "http://bad.example.org/x"], fast_config(), resolver=resolver
    )
    assert results["http://example.org/fine"].status is LinkStatus.OK
    crashed = results["http://bad.example.org/x"]
    assert crashed.status is LinkStatus.UNREACHABLE and "RuntimeError" in crashed.reason
