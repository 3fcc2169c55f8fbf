"""One check-links run: collect, keep this shard, reuse the cache, check the rest, report.

`run_check` is the orchestration the command uses; `check_links_command` is the command itself (options,
progress bar, output file, results file, exit code).
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import click

from site_builder.atomic import write_atomically
from site_builder.errors import Problem
from site_builder.linkcheck.cache import CacheError, LinkCache
from site_builder.linkcheck.classify import LinkResult, now_utc
from site_builder.linkcheck.client import ProgressCallback, check_urls
from site_builder.linkcheck.collect import Collection, collect_refs, collect_site
from site_builder.linkcheck.config import LinkCheckConfig, LinkStatus
from site_builder.linkcheck.fetch import HostCost
from site_builder.linkcheck.guard import Resolver
from site_builder.linkcheck.urls import link_key, shard_of
from site_builder.links import LinkRef

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


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


@dataclass(frozen=True)
class CheckLinksOptions:
    content_dir: Path | None
    site_dir: Path | None
    base_url: str | None
    fmt: str
    output: Path | None
    timeout: float | None
    allow_private: bool
    cache_file: Path | None
    no_cache: bool
    shard: str | None
    documents: bool = False


def _configure(base: LinkCheckConfig, options: CheckLinksOptions) -> LinkCheckConfig:
    changes: dict[str, object] = {}
    if options.timeout is not None:
        changes["connect_timeout"] = options.timeout
        changes["read_timeout"] = options.timeout
    if options.allow_private:
        changes["allow_private"] = True
    if options.cache_file is not None:
        changes["cache_file"] = options.cache_file
    if options.documents:
        changes["documents"] = True
    return LinkCheckConfig.model_validate({**base.model_dump(), **changes}) if changes else base


def _collect(options: CheckLinksOptions) -> tuple[Collection, LinkCheckConfig]:
    """Raises ContentError when the content does not load, ValueError for a missing site folder."""
    collection = Collection()
    config = LinkCheckConfig()
    content_dir = options.content_dir
    if content_dir is None and options.site_dir is None:
        content_dir = Path("content")
    if content_dir is not None:
        from site_builder.model import load_site

        site = load_site(content_dir)
        config = site.config.link_check.relative_to(content_dir)
        collection.extend(collect_refs(site.links()))
    if options.site_dir is not None:
        if not options.site_dir.is_dir():
            raise ValueError(
                f"{options.site_dir}: папка собранного сайта не найдена (сначала site-builder build)"
            )
        collection.extend(collect_site(options.site_dir, options.base_url))
    return collection, config


class _Progress:
    """A progress bar on stderr while URLs are checked, only when a person is watching a terminal."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("Проверка ссылок"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._bar.add_task("check", total=None)

    def start(self, total: int) -> None:
        self._bar.update(self._task, total=total)
        self._bar.start()

    def advance(self, result: LinkResult) -> None:
        self._bar.advance(self._task)

    def stop(self) -> None:
        self._bar.stop()


def check_links_command(options: CheckLinksOptions, *, resolver: Resolver | None = None) -> int:
    """The `check-links` command; returns the exit code. ContentError propagates to the CLI's handler."""
    from site_builder.linkcheck.report import FORMATTERS, write_results

    try:
        shard = Shard.parse(options.shard) if options.shard else None
        collection, base_config = _collect(options)
        config = _configure(base_config, options)
    except ValueError as error:
        click.echo(f"Ошибка: {error}", err=True)
        return EXIT_USAGE
    progress = _Progress() if options.fmt == "text" and sys.stderr.isatty() else None
    try:
        with ExitStack() as stack:
            cache = None if options.no_cache else stack.enter_context(LinkCache(config.cache_file, config))
            if progress is not None:
                stack.callback(progress.stop)
            report = run_check(
                collection,
                config,
                cache=cache,
                shard=shard,
                resolver=resolver,
                on_start=progress.start if progress else None,
                on_result=progress.advance if progress else None,
            )
        if options.content_dir is not None or options.site_dir is None:
            write_results(report, config.results_file)
    except (CacheError, OSError) as error:
        click.echo(f"Ошибка: {error}", err=True)
        return EXIT_USAGE
    text = FORMATTERS[options.fmt](report)
    if options.output is not None:
        write_atomically(options.output, text)
    else:
        click.echo(text, nl=False)
    return EXIT_FAILURE if report.failed else EXIT_OK
