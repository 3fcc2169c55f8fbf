"""The `monitor` command: every school site explored at once (each politely), results written, exit code for CI."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

import click
import httpcore

from site_builder.checks.links.classify import now_utc
from site_builder.checks.links.fetch import Fetcher
from site_builder.checks.links.guard import Resolver
from site_builder.checks.monitor.crawl import check_links, explore
from site_builder.checks.monitor.criteria import (
    NO_SITE,
    criteria_infos,
    describe_method,
    document_urls,
    evaluate,
    failure,
    find_documents,
    with_links,
)
from site_builder.content.models import School
from site_builder.content.records.monitoring import MonitoringResults, Outcome, SchoolResult, write_results
from site_builder.content.settings.link_check import LinkCheckConfig
from site_builder.content.settings.monitoring import MonitoringConfig
from site_builder.core.errors import display_path

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def fetch_config(
    config: MonitoringConfig, base: LinkCheckConfig | None, allow_private: bool
) -> LinkCheckConfig:
    """The link checker's settings (CA bundles, exclusions, address table) with the monitoring's own limits."""
    settings = (base or LinkCheckConfig()).model_dump()
    settings.update(
        connect_timeout=config.timeout,
        read_timeout=config.timeout,
        retries=config.retries,
        per_host_interval=config.request_interval,
        per_host_concurrency=1,
        max_body_bytes=config.max_page_bytes,
        max_run_seconds=config.max_run_seconds,
        allow_private=allow_private or settings["allow_private"],
    )
    return LinkCheckConfig.model_validate(settings)


async def monitor_school(
    school: School, fetcher: Fetcher, config: MonitoringConfig, as_of: dt.date
) -> SchoolResult:
    if not school.site.strip():
        return evaluate(school, None, [], config, as_of)
    found = await explore(school.site, school.section_url, fetcher, config)
    documents = find_documents(found.section, config) if found.section else []
    links = await check_links(document_urls(documents), fetcher)
    return evaluate(school, found, with_links(documents, links), config, as_of)


async def monitor_schools(
    schools: list[School],
    config: MonitoringConfig,
    as_of: dt.date,
    settings: LinkCheckConfig,
    *,
    resolver: Resolver | None = None,
    network: httpcore.AsyncNetworkBackend | None = None,
) -> list[SchoolResult]:
    """Every school's result, in the order of schools.yaml."""
    deadline = time.monotonic() + config.max_run_seconds
    async with Fetcher(settings, resolver=resolver, deadline=deadline, network=network) as fetcher:
        outcomes = await asyncio.gather(
            *(monitor_school(school, fetcher, config, as_of) for school in schools), return_exceptions=True
        )
    return [
        failure(school, config, f"внутренняя ошибка мониторинга: {type(outcome).__name__}: {outcome}")
        if isinstance(outcome, BaseException)
        else outcome
        for school, outcome in zip(schools, outcomes, strict=True)
    ]


def make_results(schools: list[SchoolResult], config: MonitoringConfig, as_of: dt.date) -> MonitoringResults:
    return MonitoringResults(
        date=as_of,
        checked_at=now_utc(),
        method=describe_method(config),
        fresh_days=config.fresh_days,
        criteria=criteria_infos(config),
        schools=schools,
    )


def failed_required(results: MonitoringResults) -> list[tuple[SchoolResult, list[str]]]:
    """Schools that did not meet a required criterion, with those criteria's titles."""
    failed = []
    for school in results.schools:
        titles = [
            info.title
            for info in results.criteria
            if info.required and school.outcome(info.id) is Outcome.NOT_MET
        ]
        if titles:
            failed.append((school, titles))
    return failed


def school_lines(school: SchoolResult, results: MonitoringResults) -> list[str]:
    if not school.site.strip():
        return [f"{school.short_name}: {NO_SITE} — сайт не проверялся"]
    lines = [f"{school.short_name} ({school.site})"]
    for info in results.criteria:
        verdict = school.criteria[info.id]
        lines.append(f"  {verdict.outcome.icon} {info.title}: {verdict.text}")
    lines += [f"  ! {note}" for note in school.notes]
    return lines


@dataclass(frozen=True)
class MonitorOptions:
    content_dir: Path
    as_of: dt.date
    allow_private: bool


def monitor_command(options: MonitorOptions, *, resolver: Resolver | None = None) -> int:
    """The `monitor` command; returns the exit code. ContentError propagates to the CLI's handler."""
    from site_builder.model.site import load_site

    site = load_site(options.content_dir)
    config = site.config.monitoring
    if not site.schools:
        click.echo("В schools.yaml нет школ: мониторить нечего, файл результатов не записан.")
        return EXIT_OK
    try:
        settings = fetch_config(config, site.config.link_check.relative_to(options.content_dir), options.allow_private)
    except ValueError as error:
        click.echo(f"Ошибка: настройки мониторинга: {error}", err=True)
        return EXIT_USAGE
    schools = asyncio.run(monitor_schools(site.schools, config, options.as_of, settings, resolver=resolver))
    results = make_results(schools, config, options.as_of)
    for school in results.schools:
        click.echo("\n".join(school_lines(school, results)))
    try:
        path = write_results(options.content_dir, results)
    except OSError as error:
        click.echo(f"Ошибка: не удалось записать результаты мониторинга: {error}", err=True)
        return EXIT_USAGE
    click.echo(
        f"Результаты записаны в {display_path(path)}: соберите сайт, чтобы обновить аналитическую справку."
    )
    failed = failed_required(results)
    for school, titles in failed:
        click.echo(f"{school.short_name}: не выполнены обязательные критерии — {'; '.join(titles)}", err=True)
    if failed:
        click.echo(
            f"Обязательные критерии не выполнили ОО: {len(failed)} из {len(results.schools)}.", err=True
        )
    return EXIT_FAILURE if failed else EXIT_OK
