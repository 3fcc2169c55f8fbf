"""Fixtures: local web servers (plain and TLS), a test CA, and a checker configured for 127.0.0.1."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from site_builder.checks.links.classify import LinkResult
from site_builder.checks.links.client import check_urls
from site_builder.checks.links.guard import StaticResolver
from site_builder.content.settings.link_check import LinkCheckConfig
from tests.linkcheck.servers import WebServer

# Host names the TLS stand-in answers for: the hosts of the rules plus obviously synthetic ones.
TLS_NAMES = (
    "disk.yandex.ru", "yadi.sk", "docs.yandex.ru", "passport.yandex.ru", "drive.google.com", "docs.google.com",
    "accounts.google.com", "ripkro.ru", "secure.example.org", "localhost",
)  # fmt: skip


def fast_config(**overrides: Any) -> LinkCheckConfig:
    """Short time-outs and back-offs so failure paths take milliseconds; private addresses allowed."""
    settings: dict[str, Any] = {
        "allow_private": True,
        "retries": 1,
        "backoff_base": 0.01,
        "retry_after_cap": 0.3,
        "connect_timeout": 1.0,
        "read_timeout": 1.0,
        "per_host_interval": 0.0,
        "per_host_concurrency": 4,
    }
    settings.update(overrides)
    return LinkCheckConfig(**settings)


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names no test maps do not exist: nothing in these tests may ask the real DNS or leave 127.0.0.1."""
    from site_builder.checks.links import fetch

    monkeypatch.setattr(fetch, "make_resolver", lambda table: StaticResolver(table))


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "test-root.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def web() -> Iterator[WebServer]:
    server = WebServer()
    yield server
    server.close()


@pytest.fixture
def tls_web(ca: trustme.CA) -> Iterator[WebServer]:
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*TLS_NAMES).configure_cert(context)
    server = WebServer(tls=context)
    yield server
    server.close()


CheckFn = Callable[..., Awaitable[dict[str, LinkResult]]]


@pytest.fixture
def check(web: WebServer) -> CheckFn:
    """`await check(urls, hosts=[...], **config)`: hosts listed are served by `web`; others do not exist."""

    async def run(
        urls: list[str],
        hosts: tuple[str, ...] = ("example.org",),
        table: dict[str, str] | None = None,
        **config: Any,
    ) -> dict[str, LinkResult]:
        mapping = {host: web.address for host in hosts}
        mapping.update(table or {})
        return await check_urls(urls, fast_config(**config), resolver=StaticResolver(mapping))

    return run
