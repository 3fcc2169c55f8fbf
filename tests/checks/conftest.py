"""Fixtures for the link checker and the monitor: no real DNS anywhere, and a local web server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.web import WebServer, refuse_real_dns


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    refuse_real_dns(monkeypatch)


@pytest.fixture
def web() -> Iterator[WebServer]:
    server = WebServer()
    yield server
    server.close()
