"""Results of earlier runs in SQLite, trusted for a time that depends on the class; failures never trusted.

The key is the normalised URL plus a fingerprint of the settings that change a verdict (address guard, CA
bundles, rules version), so a changed setting re-checks instead of reusing an answer it would not give.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType

from site_builder.checks.links.classify import RULES_VERSION, LinkResult
from site_builder.checks.links.urls import unit_fraction
from site_builder.content.settings.link_check import LinkCheckConfig, LinkStatus

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    url TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    http_status INTEGER,
    final_url TEXT,
    attempts INTEGER NOT NULL,
    checked_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (url, fingerprint)
)
"""
EXPIRY_SPREAD = 0.2  # up to 20 % earlier, per URL, so a week's worth of checks does not fall on one night


class CacheError(Exception):
    """The cache file cannot be used; the message says what to do, in Russian."""


def fingerprint(config: LinkCheckConfig) -> str:
    parts = [RULES_VERSION, str(config.allow_private), str(config.max_redirects), str(config.documents)]
    parts += [
        f"{kind}={wording}" for kind, wordings in sorted(config.phrases.items()) for wording in wordings
    ]
    parts += sorted(str(bundle.resolve()) for bundle in config.ca_bundles)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


class LinkCache:
    """Use as a context manager; `fresh` answers from the cache, `store` remembers what may be trusted later."""

    def __init__(self, path: Path, config: LinkCheckConfig) -> None:
        self.path = path
        self.config = config
        self._fingerprint = fingerprint(config)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30)
            self._db.execute(SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise CacheError(
                f"{path}: не удалось открыть файл кэша ({error}); удалите его или запустите с --no-cache"
            ) from error

    def __enter__(self) -> LinkCache:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._db.close()

    def fresh(self, urls: Iterable[str], now: datetime) -> dict[str, LinkResult]:
        """Results still trusted at `now`, marked `cached`."""
        wanted = list(dict.fromkeys(urls))
        found: dict[str, LinkResult] = {}
        stamp = now.isoformat()
        query = (
            "SELECT url, status, reason, http_status, final_url, attempts, checked_at FROM results "
            "WHERE fingerprint = ? AND expires_at > ? AND url IN ({})"
        )
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self._db.execute(
                query.format(",".join("?" * len(chunk))), [self._fingerprint, stamp, *chunk]
            )
            for url, status, reason, http_status, final_url, attempts, checked_at in rows:
                if status not in LinkStatus.__members__.values():
                    continue
                found[url] = LinkResult(
                    url=url,
                    status=LinkStatus(status),
                    reason=reason,
                    http_status=http_status,
                    final_url=final_url,
                    attempts=attempts,
                    checked_at=datetime.fromisoformat(checked_at),
                    cached=True,
                )
        return found

    def store(self, results: Iterable[LinkResult]) -> None:
        """Remember fresh results; a class with no time to live (every failure, by default) is forgotten."""
        keep, drop = [], []
        for result in results:
            if result.cached:
                continue
            ttl = self.config.ttl_seconds(result.status) * (1 - EXPIRY_SPREAD * unit_fraction(result.url))
            if ttl <= 0 or result.warning:  # the table keeps no warnings: such a link is looked at again
                drop.append((result.url, self._fingerprint))
                continue
            expires = result.checked_at + timedelta(seconds=ttl)
            keep.append(
                (
                    result.url,
                    self._fingerprint,
                    result.status.value,
                    result.reason,
                    result.http_status,
                    result.final_url,
                    result.attempts,
                    result.checked_at.isoformat(),
                    expires.isoformat(),
                )
            )
        with self._db:
            self._db.executemany("DELETE FROM results WHERE url = ? AND fingerprint = ?", drop)
            self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", keep)
