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

from site_builder.checks.links.client import check_urls
from site_builder.checks.links.guard import NameLookupFailed, StaticResolver, non_public_kind
from site_builder.content.settings.link_check import LinkStatus
from tests.helpers.links import CheckFn, fast_config
from tests.helpers.web import (
    LoopbackNetwork,
    RawServer,
    Reply,
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


@pytest.mark.parametrize(
    ("address", "embedded"),
    [
        ("2002:a00:1::", "10.0.0.1"),  # 6to4
        ("2002:7f00:1::1", "127.0.0.1"),
        ("64:ff9b::a9fe:a9fe", "169.254.169.254"),  # NAT64, well-known prefix
        ("64:ff9b::c0a8:101", "192.168.1.1"),
        ("::ffff:172.16.0.9", "172.16.0.9"),  # IPv4-mapped
        ("::10.0.0.1", "10.0.0.1"),  # IPv4-compatible (deprecated)
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "10.0.0.1"),  # Teredo: the client is stored inverted
    ],
)
def test_ipv6_forms_that_embed_a_private_ipv4_are_refused_naming_it(address: str, embedded: str) -> None:
    kind = non_public_kind(ipaddress.ip_address(address))
    assert kind is not None and embedded in kind


@pytest.mark.parametrize(
    "address",
    ["192.0.0.9", "192.0.2.10", "192.31.196.1", "192.52.193.1", "192.88.99.1", "192.175.48.1", "198.18.0.1",
     "198.51.100.7", "203.0.113.7", "255.255.255.255", "64:ff9b:1::a00:1", "100::1", "2001:db8::1",
     "2001:2::1", "2001:20::1", "2620:4f:8000::1", "3fff::1", "5f00::1", "ff02::1", "::93.184.215.14"],
)  # fmt: skip
def test_every_special_use_range_is_refused(address: str) -> None:
    assert non_public_kind(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize(
    "address",
    [PUBLIC, "2001:4860:4860::8888", "::ffff:93.184.215.14", "64:ff9b::5db8:d70e", "2002:5db8:d70e::"],
)
def test_public_addresses_pass(address: str) -> None:
    assert non_public_kind(ipaddress.ip_address(address)) is None


async def test_a_name_resolving_to_6to4_of_a_private_address_is_refused(web: WebServer) -> None:
    network = LoopbackNetwork({"2002:a00:1::": web.address})
    results = await check_urls(
        ["http://sixtofour.example.org/"],
        fast_config(allow_private=False),
        resolver=StaticResolver({"sixtofour.example.org": "[2002:a00:1::]:80"}),
        network=network,
    )
    result = results["http://sixtofour.example.org/"]
    assert result.status is LinkStatus.INVALID and "10.0.0.1" in result.reason
    assert network.connects == []


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
    assert f"перенаправляет на {location}" in result.reason, "the private target is named, not the link"
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


async def test_temporary_dns_failure_is_unreachable_and_not_retried(web: WebServer) -> None:
    class Flaky(StaticResolver):
        calls = 0

        async def resolve(self, host: str, port: int) -> list[tuple[str, int]]:
            Flaky.calls += 1
            raise NameLookupFailed(host, "Temporary failure in name resolution")

    results = await check_urls(["http://example.org/"], fast_config(retries=2), resolver=Flaky({}))
    result = results["http://example.org/"]
    assert result.status is LinkStatus.UNREACHABLE and "DNS" in result.reason
    assert Flaky.calls == 1, "like lychee, a DNS failure is not retried"


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


def _trickle(sock: socket.socket) -> None:
    read_request(sock)
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<title>")
    for _ in range(100):
        sock.sendall(b"x")
        time.sleep(0.1)


def _bad_gzip(sock: socket.socket) -> None:
    read_request(sock)
    body = b"\x1f\x8b\x08\x00 this is not deflate data at all"
    sock.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


def _cut_gzip(sock: socket.socket) -> None:
    read_request(sock)
    import gzip

    body = gzip.compress(b"<title>Report</title>" + b"<p>text</p>" * 500)[:-40]
    sock.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


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
        (_trickle, LinkStatus.UNREACHABLE, "сайт отвечает слишком медленно"),
        (_bad_gzip, LinkStatus.BROKEN, "повреждённые сжатые данные"),
        (_cut_gzip, LinkStatus.BROKEN, "сжатые данные (gzip) оборваны"),
    ],
)
async def test_hostile_servers_give_a_result_not_a_crash(
    raw: Callable[[Callable[[socket.socket], None]], RawServer],
    behaviour: Callable[[socket.socket], None],
    status: LinkStatus,
    phrase: str,
) -> None:
    server = raw(behaviour)
    config = fast_config(read_timeout=0.3, body_timeout=0.5, retries=1, max_body_bytes=8192)
    results = await check_urls(
        ["http://hostile.example.org/"],
        config,
        resolver=StaticResolver({"hostile.example.org": server.address}),
    )
    result = results["http://hostile.example.org/"]
    assert result.status is status and phrase in result.reason


@pytest.mark.parametrize(
    ("location", "named", "hint"),
    [
        ("javascript:alert(1)", "javascript:alert(1)", "ссылка-скрипт"),
        ("file:///etc/passwd", "file:///etc/passwd", "адрес файла на диске"),
        ("data:text/html,<b>x</b>", "data:text/html", "данные внутри ссылки"),
        ("ftp://files.example.org/plan.doc", "ftp://files.example.org/plan.doc", "ftp://"),
        ("http://[::1", "http://[::1", "с ошибкой"),
        ("gopher://files.example.org/1", "gopher://files.example.org/1", "протокол gopher"),
    ],
)
async def test_redirect_that_cannot_be_followed_fails_naming_the_target(
    web: WebServer, check: CheckFn, location: str, named: str, hint: str
) -> None:
    web.route("/jump", redirect(location))
    result = (await check(["http://example.org/jump"]))["http://example.org/jump"]
    assert result.status is LinkStatus.BROKEN and result.cause == "bad_redirect"
    assert named in result.reason and hint in result.reason and "без протокола" not in result.reason
    assert fast_config().fails(result.status), "a broken evidence link fails the run"
    assert [s.path for s in web.seen] == ["/jump"]


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
    from site_builder.checks.links import client

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


async def test_a_trickling_body_is_not_retried(
    raw: Callable[[Callable[[socket.socket], None]], RawServer],
) -> None:
    server = raw(_trickle)
    config = fast_config(read_timeout=0.5, body_timeout=0.3, retries=3)
    resolver = StaticResolver({"hostile.example.org": server.address})
    result = (await check_urls(["http://hostile.example.org/"], config, resolver=resolver))[
        "http://hostile.example.org/"
    ]
    assert result.cause == "slow_body" and result.attempts == 1
    assert "байт за" in result.reason and "тайм-аут ответа" not in result.reason


async def test_retries_stop_at_the_time_cap_of_one_url(web: WebServer, check: CheckFn) -> None:
    web.route("/down", Reply(503))
    web.route("/hang", Reply(200, "<title>x</title>", delay=1.0))
    results = await check(
        ["http://example.org/down", "http://example.org/hang"],
        retries=10,
        backoff_base=0.2,
        max_url_seconds=0.5,
        read_timeout=5,
    )
    down = results["http://example.org/down"]
    # Back-offs of at least 0.1, 0.2 and 0.4 s: a fourth retry would start after the cap.
    assert down.status is LinkStatus.BROKEN and "HTTP 503" in down.reason and down.attempts <= 4
    hang = results["http://example.org/hang"]
    assert hang.cause == "url_time_cap" and "max_url_seconds" in hang.reason


async def test_the_time_cap_of_a_url_starts_when_its_request_does(web: WebServer, check: CheckFn) -> None:
    for n in range(4):
        web.route(f"/queue/{n}", Reply(200, f"<title>Документ {n}</title>", delay=0.2))
    urls = [f"http://example.org/queue/{n}" for n in range(4)]
    # One request at a time to the host: the last URL waits about 0.6 s for its turn, longer than its cap.
    results = await check(urls, per_host_concurrency=1, max_url_seconds=0.5, read_timeout=2)
    assert {r.status for r in results.values()} == {LinkStatus.OK}


@pytest.mark.parametrize(
    ("content", "error"), [(None, FileNotFoundError), (b"not a certificate", ssl.SSLError)]
)
async def test_a_missing_or_broken_root_certificate_file_stops_the_run_before_any_request(
    web: WebServer, check: CheckFn, tmp_path: Path, content: bytes | None, error: type[Exception]
) -> None:
    bundle = tmp_path / "root.pem"
    if content is not None:
        bundle.write_bytes(content)
    with pytest.raises(error):
        await check(["http://example.org/page"], ca_bundles=[bundle])
    assert web.seen == []
