"""The monitor configured for the tests: a fixed day, one-second time-outs, no retries and no pauses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from site_builder.content.settings.monitoring import MonitoringConfig

AS_OF = dt.date(2026, 3, 1)


def fast_config(**overrides: Any) -> MonitoringConfig:
    """One-second time-outs, no retries and no pauses: failure paths take a second, not minutes."""
    settings: dict[str, Any] = {"timeout": 1.0, "retries": 0, "request_interval": 0.0, "max_pages": 12}
    settings.update(overrides)
    return MonitoringConfig(**settings)
