"""Fixtures: a TLS web server, a test CA, and a checker configured for 127.0.0.1 (the plain server: ../conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from site_builder.checks.links.classify import LinkResult
from site_builder.checks.links.client import check_urls
from site_builder.checks.links.guard import StaticResolver
from tests.helpers.links import TLS_NAMES, CheckFn, fast_config
from tests.helpers.web import WebServer


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "test-root.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def tls_web(ca: trustme.CA) -> Iterator[WebServer]:
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*TLS_NAMES).configure_cert(context)
    server = WebServer(tls=context)
    yield server
    server.close()


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
