"""The link checker configured for the tests: short time-outs, private addresses allowed, the TLS names."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from site_builder.checks.links.classify import LinkResult
from site_builder.content.settings.link_check import LinkCheckConfig

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


CheckFn = Callable[..., Awaitable[dict[str, LinkResult]]]
