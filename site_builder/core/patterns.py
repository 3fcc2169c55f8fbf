"""Regular expressions that editors write in settings (link-check exclusions, monitoring patterns)."""

from __future__ import annotations

import re


def check_patterns(patterns: list[str]) -> list[str]:
    """Refuse a pattern that does not compile, at load time, quoting the editor's own pattern."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"неверное регулярное выражение «{pattern}»: {error}") from error
    return patterns
