"""`site-builder check-links`: options, settings from site.yaml, a progress bar, the report and the exit code."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import click

from site_builder.checks.links.cache import CacheError, LinkCache
from site_builder.checks.links.classify import LinkResult
from site_builder.checks.links.collect import Collection, collect_refs, collect_site
from site_builder.checks.links.guard import Resolver
from site_builder.checks.links.run import Shard, run_check
from site_builder.content.settings.link_check import LinkCheckConfig
from site_builder.core.atomic import write_atomically
from site_builder.core.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE


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
        from site_builder.model.site import load_site

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
    from site_builder.checks.links.report import write_results
    from site_builder.cli.link_formats import FORMATTERS

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
