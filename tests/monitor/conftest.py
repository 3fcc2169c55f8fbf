"""Fixtures: the stand-in school sites, a fast monitoring configuration, and no real DNS anywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from site_builder.checks.links.guard import StaticResolver
from site_builder.content.settings.monitoring import MonitoringConfig
from tests.linkcheck.servers import WebServer

AS_OF = dt.date(2026, 3, 1)


def fast_config(**overrides: Any) -> MonitoringConfig:
    """One-second time-outs, no retries and no pauses: failure paths take a second, not minutes."""
    settings: dict[str, Any] = {"timeout": 1.0, "retries": 0, "request_interval": 0.0, "max_pages": 12}
    settings.update(overrides)
    return MonitoringConfig(**settings)


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names no test maps do not exist: nothing here may ask the real DNS or leave 127.0.0.1."""
    from site_builder.checks.links import fetch

    monkeypatch.setattr(fetch, "make_resolver", lambda table: StaticResolver(table))


@pytest.fixture
def web() -> Iterator[WebServer]:
    server = WebServer()
    yield server
    server.close()
