"""A monitoring run: every school site explored at once (each politely), checked, and made into results."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable

import httpcore

from site_builder.checks.links.classify import now_utc
from site_builder.checks.links.fetch import Fetcher
from site_builder.checks.links.guard import Resolver
from site_builder.checks.monitor.compliance import a11y_checks, site500_checks, sveden_checks
from site_builder.checks.monitor.crawl import Exploration, SiteCrawl, check_links, explore
from site_builder.checks.monitor.criteria import (
    NO_SITE,
    OUT_OF_TIME,
    criteria_infos,
    describe_method,
    document_urls,
    evaluate,
    failure,
    find_documents,
    not_reached,
    with_links,
)
from site_builder.checks.monitor.sveden import PageFacts, SvedenFindings, inspect_page, inspect_sveden
from site_builder.content.models import School
from site_builder.content.records.monitoring import (
    RESULTS_VERSION,
    MonitoringResults,
    Outcome,
    SchoolResult,
    SubsectionInfo,
)
from site_builder.content.settings.link_check import LinkCheckConfig
from site_builder.content.settings.monitoring import MonitoringConfig
from site_builder.content.settings.rulebook import Rulebook, effective_rules, load_rules


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


def rules_for(config: MonitoringConfig) -> Rulebook:
    return effective_rules(
        load_rules(config.rules), config.disabled_checks, [i.as_rule() for i in config.extra_items]
    )


def _sveden_cause(found: Exploration) -> str:
    """Why the «Сведения» section cannot be looked at, or "" when it can."""
    if found.home_fetch is None:
        return "сайт не открывается"
    if found.robots_failure:
        return found.robots_failure
    if found.home_problem:
        return f"главная страница не читается: {found.home_problem}"
    return ""


async def monitor_school(
    school: School, fetcher: Fetcher, config: MonitoringConfig, as_of: dt.date, rules: Rulebook | None = None
) -> SchoolResult:
    rules = rules or rules_for(config)
    if not school.site.strip():
        result = evaluate(school, None, [], config, as_of)
        return with_checks(result, rules, config, None, [], f"{NO_SITE}: сайт не проверялся")
    crawl = SiteCrawl(fetcher, config)
    found = await explore(school.site, school.section_url, fetcher, config, crawl)
    documents = find_documents(found.section, config) if found.section else []
    links = await check_links(document_urls(documents), fetcher)
    result = evaluate(school, found, with_links(documents, links), config, as_of)
    if not config.sveden:
        return with_checks(result, rules, config, None, [], "")
    cause = _sveden_cause(found)
    home = inspect_page(found.home_fetch) if found.home_fetch is not None and not cause else None
    if home is None:
        return with_checks(result, rules, config, None, [], cause or "главная страница не читается")
    sveden = await inspect_sveden(crawl, found.site_url, home, rules)
    if fetcher.expired():
        sveden.not_checked = OUT_OF_TIME
    return with_checks(result, rules, config, sveden, sveden.pages, sveden.not_checked)


def with_checks(
    result: SchoolResult,
    rules: Rulebook,
    config: MonitoringConfig,
    sveden: SvedenFindings | None,
    pages: list[PageFacts],
    cause: str,
) -> SchoolResult:
    checks = site500_checks(result, rules, config)
    notes = list(result.notes)
    if config.sveden:
        checks += sveden_checks(rules, sveden, cause) + a11y_checks(rules, pages, cause)
        if sveden is not None and sveden.root is not None:
            notes.append(
                f"раздел «Сведения об образовательной организации»: {sveden.root.url} ({sveden.root_how})"
            )
        elif sveden is not None:
            notes.append(f"раздел «Сведения об образовательной организации» не найден: {sveden.root_failure}")
    return result.model_copy(update={"checks": checks, "notes": notes})


def out_of_time(school: School, config: MonitoringConfig) -> SchoolResult:
    result = not_reached(school, config)
    return with_checks(result, rules_for(config), config, None, [], OUT_OF_TIME)


async def monitor_schools(
    schools: list[School],
    config: MonitoringConfig,
    as_of: dt.date,
    settings: LinkCheckConfig,
    *,
    resolver: Resolver | None = None,
    network: httpcore.AsyncNetworkBackend | None = None,
    done: dict[str, SchoolResult] | None = None,
    on_result: Callable[[SchoolResult], None] | None = None,
) -> list[SchoolResult]:
    """Every school's result, in the order of schools.yaml; those in `done` (a resumed run) are not fetched again.

    At max_run_seconds whatever is still running is cancelled, so the limit holds whatever a site does: its
    schools are «не проверено», and a resumed run takes them up.
    """
    done = dict(done or {})
    rules = rules_for(config)
    deadline = time.monotonic() + config.max_run_seconds
    async with Fetcher(settings, resolver=resolver, deadline=deadline, network=network) as fetcher:

        async def one(school: School) -> SchoolResult:
            try:
                result = await monitor_school(school, fetcher, config, as_of, rules)
            except Exception as error:  # a bug of ours must not cost the other schools their results
                result = failure(
                    school, config, f"внутренняя ошибка мониторинга: {type(error).__name__}: {error}"
                )
                result = with_checks(result, rules, config, None, [], "внутренняя ошибка мониторинга")
            done[school.id] = result
            if on_result is not None and not _unfinished(result):
                on_result(result)
            return result

        tasks = [asyncio.ensure_future(one(school)) for school in schools if school.id not in done]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
    return [done.get(school.id) or out_of_time(school, config) for school in schools]


def _unfinished(result: SchoolResult) -> bool:
    """A result the time limit cut short: not kept in the run state, so a resumed run checks the school again."""
    return any(OUT_OF_TIME in check.reason for check in result.checks) or any(
        OUT_OF_TIME in verdict.text for verdict in result.criteria.values()
    )


def make_results(schools: list[SchoolResult], config: MonitoringConfig, as_of: dt.date) -> MonitoringResults:
    rules = rules_for(config)
    return MonitoringResults(
        version=RESULTS_VERSION,
        rules=rules.title if config.sveden else "",
        subsections=[SubsectionInfo(slug=s.slug, title=s.title) for s in rules.subsections]
        if config.sveden
        else [],
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
