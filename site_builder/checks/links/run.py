"""One check-links run: collect, keep this shard, reuse the cache, check the rest, report.

`run_check` is the orchestration the command uses; `check_links_command` is the command itself (options,
progress bar, output file, results file, exit code).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from site_builder.checks.links.cache import LinkCache
from site_builder.checks.links.classify import LinkResult, now_utc
from site_builder.checks.links.client import ProgressCallback, check_urls
from site_builder.checks.links.collect import Collection
from site_builder.checks.links.fetch import HostCost
from site_builder.checks.links.guard import Resolver
from site_builder.checks.links.urls import link_key, shard_of
from site_builder.content.links import LinkRef
from site_builder.content.settings.link_check import LinkCheckConfig, LinkStatus
from site_builder.core.errors import Problem


@dataclass(frozen=True)
class Shard:
    """Part K of N (1-based), as given to --shard K/N."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        head, sep, tail = text.partition("/")
        if not (sep and head.strip().isdigit() and tail.strip().isdigit()):
            raise ValueError(f"--shard: ожидается K/N, например 1/4, а указано «{text}»")
        shard = cls(int(head), int(tail))
        if not 1 <= shard.index <= shard.count:
            raise ValueError(f"--shard {text}: номер части должен быть от 1 до {shard.count}")
        return shard

    def holds(self, url: str) -> bool:
        return shard_of(url, self.count) == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass
class RunReport:
    """Everything a report needs: results per distinct URL, where each URL stands, and the content lint."""

    results: dict[str, LinkResult]
    sources: dict[str, list[LinkRef]]
    problems: list[Problem]
    config: LinkCheckConfig
    started_at: datetime
    finished_at: datetime
    shard: str | None = None
    host_costs: dict[str, HostCost] = field(default_factory=dict)

    def slow_hosts(self) -> list[tuple[str, HostCost]]:
        """Hosts that cost the run at least `slow_host_seconds`, the costliest first."""
        slow = [
            (host, cost)
            for host, cost in self.host_costs.items()
            if cost.seconds >= self.config.slow_host_seconds
        ]
        return sorted(slow, key=lambda item: (-item[1].seconds, item[0]))

    def counts(self) -> Counter[LinkStatus]:
        return Counter(result.status for result in self.results.values())

    @property
    def failed(self) -> bool:
        return any(self.config.fails(result.status) for result in self.results.values())


def run_check(
    collection: Collection,
    config: LinkCheckConfig,
    *,
    cache: LinkCache | None = None,
    shard: Shard | None = None,
    resolver: Resolver | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: ProgressCallback | None = None,
) -> RunReport:
    started = now_utc()
    sources: dict[str, list[LinkRef]] = {}
    results: dict[str, LinkResult] = {}
    spelling: dict[str, str] = {}
    for ref, result in collection.decided:
        sources.setdefault(result.url, []).append(ref)
        results.setdefault(result.url, result)
    for ref in collection.refs:
        key = link_key(ref.url)
        sources.setdefault(key, []).append(ref)
        spelling.setdefault(key, ref.url)
    if shard is not None:
        sources = {key: refs for key, refs in sources.items() if shard.holds(key)}
        results = {key: result for key, result in results.items() if key in sources}
    to_check = [key for key in sources if key not in results]
    if cache is not None:
        results.update(cache.fresh(to_check, started))
    remaining = [spelling[key] for key in to_check if key not in results]
    if on_start is not None:
        on_start(len(remaining))
    costs: dict[str, HostCost] = {}
    checked = asyncio.run(
        check_urls(remaining, config, resolver=resolver, on_result=on_result, host_costs=costs)
    )
    for result in checked.values():
        results[result.url] = result
    if cache is not None:
        cache.store(checked.values())
    return RunReport(
        results=results,
        sources=sources,
        problems=collection.problems if shard is None or shard.index == 1 else [],
        config=config,
        started_at=started,
        finished_at=now_utc(),
        shard=str(shard) if shard else None,
        host_costs=costs,
    )
