"""The SQLite cache: per-class expiry, failures never trusted, settings that change verdicts respected."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from site_builder.checks.links.cache import CacheError, LinkCache
from site_builder.checks.links.classify import LinkResult, now_utc
from site_builder.checks.links.collect import collect_refs
from site_builder.checks.links.guard import StaticResolver
from site_builder.checks.links.run import run_check
from site_builder.content.links import LinkRef
from site_builder.content.settings.link_check import LinkStatus
from tests.helpers.links import fast_config
from tests.helpers.web import WebServer, page


def _result(url: str, status: LinkStatus, hours_ago: float = 0) -> LinkResult:
    return LinkResult(url, status, "причина", 200, None, 1, now_utc() - timedelta(hours=hours_ago))


def test_ok_is_trusted_until_it_expires_and_failures_never(tmp_path: Path) -> None:
    config = fast_config(cache_ttl_hours={LinkStatus.OK: 10, LinkStatus.RESTRICTED: 1})
    with LinkCache(tmp_path / "c.sqlite", config) as cache:
        cache.store(
            [
                _result("https://a.example.org/", LinkStatus.OK),
                _result("https://b.example.org/", LinkStatus.BROKEN),
                _result("https://c.example.org/", LinkStatus.RESTRICTED),
                _result("https://old.example.org/", LinkStatus.OK, hours_ago=11),
            ]
        )
    urls = [
        "https://a.example.org/",
        "https://b.example.org/",
        "https://c.example.org/",
        "https://old.example.org/",
    ]
    with LinkCache(tmp_path / "c.sqlite", config) as cache:
        now = cache.fresh(urls, now_utc())
        later = cache.fresh(urls, now_utc() + timedelta(hours=1.5))
    assert set(now) == {"https://a.example.org/", "https://c.example.org/"}
    assert all(result.cached for result in now.values())
    assert set(later) == {"https://a.example.org/"}


def test_expiry_is_spread_but_never_longer_than_the_ttl(tmp_path: Path) -> None:
    config = fast_config(cache_ttl_hours={LinkStatus.OK: 100})
    urls = [f"https://example.org/doc/{n}" for n in range(50)]
    with LinkCache(tmp_path / "c.sqlite", config) as cache:
        cache.store(_result(url, LinkStatus.OK) for url in urls)
        at_90 = cache.fresh(urls, now_utc() + timedelta(hours=90))
        at_100 = cache.fresh(urls, now_utc() + timedelta(hours=100, minutes=1))
    assert 0 < len(at_90) < len(urls) and at_100 == {}


def test_a_later_failure_replaces_an_ok(tmp_path: Path) -> None:
    config = fast_config()
    with LinkCache(tmp_path / "c.sqlite", config) as cache:
        cache.store([_result("https://a.example.org/", LinkStatus.OK)])
        cache.store([_result("https://a.example.org/", LinkStatus.BROKEN)])
        assert cache.fresh(["https://a.example.org/"], now_utc()) == {}


def test_changed_verdict_settings_do_not_reuse_answers(tmp_path: Path, ca_file: Path) -> None:
    with LinkCache(tmp_path / "c.sqlite", fast_config()) as cache:
        cache.store([_result("https://a.example.org/", LinkStatus.OK)])
    with LinkCache(tmp_path / "c.sqlite", fast_config(ca_bundles=[ca_file])) as cache:
        assert cache.fresh(["https://a.example.org/"], now_utc()) == {}


def test_unusable_cache_file_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "c.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CacheError, match="--no-cache"):
        LinkCache(broken, fast_config())


def _refs(urls: list[str]) -> list[LinkRef]:
    return [
        LinkRef(url, "content/reports/r.yaml", n + 1, 5, "evidence", item=f"1.{n}.")
        for n, url in enumerate(urls)
    ]


def test_second_run_uses_the_cache_for_ok_and_rechecks_failures(web: WebServer, tmp_path: Path) -> None:
    web.route("/ok", page("Документ"))
    urls = ["http://example.org/ok", "http://example.org/missing"]
    resolver = StaticResolver({"example.org": web.address})
    config = fast_config()
    with LinkCache(tmp_path / "c.sqlite", config) as cache:
        first = run_check(collect_refs(_refs(urls)), config, cache=cache, resolver=resolver)
    with LinkCache(tmp_path / "c.sqlite", config) as cache:
        second = run_check(collect_refs(_refs(urls)), config, cache=cache, resolver=resolver)
    assert [first.results[u].status for u in urls] == [LinkStatus.OK, LinkStatus.BROKEN]
    assert second.results["http://example.org/ok"].cached
    assert not second.results["http://example.org/missing"].cached
    assert web.hits("/ok") == 1 and web.hits("/missing") == 2
