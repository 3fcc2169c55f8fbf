"""Checking URLs: each distinct URL requested once, HEAD where it suffices, GET where the page must be read.

`check_urls` is the library entry point; it returns results and leaves formats, the disk cache and exit codes
to the caller.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from urllib.parse import urlsplit

import httpcore

from site_builder.linkcheck.classify import LinkResult, Verdict, classify, is_login_url, now_utc
from site_builder.linkcheck.config import LinkCheckConfig, LinkStatus
from site_builder.linkcheck.fetch import (
    RETRYABLE_ERRORS,
    ErrorKind,
    Fetcher,
    FetchError,
    FetchResult,
    is_text,
)
from site_builder.linkcheck.guard import Resolver, non_public_kind
from site_builder.linkcheck.hosts import HostRule, rule_for
from site_builder.linkcheck.urls import (
    SKIPPED_SCHEMES,
    UrlProblem,
    WebUrl,
    ip_literal,
    normalize,
    parse_web_url,
    scheme_of,
)

# Files whose body tells nothing: a HEAD answers for them, and a GET would only download bytes.
DOCUMENT_SUFFIXES = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf", ".zip", ".rar",
    ".7z", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".mp4", ".mp3", ".avi", ".mov", ".djvu",
)  # fmt: skip
ProgressCallback = Callable[[LinkResult], None]
NO_DNS_MIN_HOSTS = 3


def offline_verdict(raw: str, config: LinkCheckConfig, excluded: list[re.Pattern[str]]) -> Verdict | None:
    """What can be said without a request: excluded, mailto:, malformed, private addresses, host rules."""
    text = raw.strip()
    scheme = scheme_of(text)
    if scheme in SKIPPED_SCHEMES:
        return Verdict(LinkStatus.SKIPPED, f"{SKIPPED_SCHEMES[scheme]} ({scheme}:) не проверяется")
    if any(pattern.search(text) for pattern in excluded):
        return Verdict(LinkStatus.SKIPPED, "адрес исключён из проверки настройкой link_check.exclude")
    try:
        url = parse_web_url(text)
    except UrlProblem as problem:
        return Verdict(LinkStatus.INVALID, str(problem))
    address = ip_literal(url.host)
    kind = non_public_kind(address) if address is not None else None
    if kind is not None and not config.allow_private:
        return Verdict(LinkStatus.INVALID, f"ссылка на {kind} {url.host}: посетители сайта его не откроют")
    rule = rule_for(url.host)
    return rule.before(url) if rule else None


def _wants_head(url: WebUrl, rule: HostRule | None) -> bool:
    return rule is None and urlsplit(url.url).path.lower().endswith(DOCUMENT_SUFFIXES)


def _head_is_enough(fetch: FetchResult) -> bool:
    """A HEAD settles it when it gave a document, a login redirect or a failure that a GET would repeat.

    A HEAD is sent once; what may pass (time-outs, refused or reset connections) is left to the GET, which
    has the retries.
    """
    if fetch.error is not None:
        return fetch.error.kind not in RETRYABLE_ERRORS and fetch.error.kind is not ErrorKind.PROTOCOL
    if fetch.stopped_at is not None:
        return True
    status = fetch.status or 0
    return 200 <= status < 300 and not fetch.is_html


async def _probe(url: WebUrl, rule: HostRule | None, fetcher: Fetcher) -> FetchResult:
    if _wants_head(url, rule):
        head = await fetcher.fetch(url.url, method="HEAD", stop_at=is_login_url, retries=0)
        if _head_is_enough(head):
            return head
        get = await fetcher.fetch(url.url, read_body=is_text, stop_at=is_login_url)
        get.requests += head.requests
        return get
    return await fetcher.fetch(url.url, read_body=is_text, stop_at=is_login_url)


async def check_one(raw: str, fetcher: Fetcher, excluded: list[re.Pattern[str]]) -> LinkResult:
    """Check one URL as written; never raises for anything the URL or its server does."""
    key = normalize(raw)
    verdict = offline_verdict(raw, fetcher.config, excluded)
    if verdict is not None:
        return LinkResult(key, verdict.status, verdict.reason, checked_at=now_utc())
    url = parse_web_url(raw)
    rule = rule_for(url.host)
    fetch = await _probe(url, rule, fetcher)
    verdict = (rule.judge(fetch) if rule else None) or classify(fetch)
    return LinkResult(
        url=key,
        status=verdict.status,
        reason=verdict.reason,
        http_status=fetch.status,
        final_url=fetch.final_url if fetch.hops else None,
        attempts=fetch.requests,
        checked_at=now_utc(),
        cause=fetch.error.kind.value if fetch.error else "",
    )


def _failed(key: str, kind: ErrorKind, detail: str) -> LinkResult:
    verdict = classify(FetchResult(key, "GET", error=FetchError(kind, detail)))
    return LinkResult(key, verdict.status, verdict.reason, checked_at=now_utc(), cause=kind.value)


def _no_dns_at_all(results: dict[str, LinkResult]) -> dict[str, LinkResult]:
    """Every name «not found» across several sites means the checker has no DNS, not that all sites are gone."""
    not_found = [url for url, r in results.items() if r.cause == ErrorKind.NAME_NOT_FOUND.value]
    if not not_found:
        return results
    hosts = {urlsplit(url).hostname for url, r in results.items() if r.attempts or r.cause}
    if len(hosts) < NO_DNS_MIN_HOSTS or len({urlsplit(url).hostname for url in not_found}) < len(hosts):
        return results
    reason = (
        f"ни одно из {len(hosts)} имён сайтов не нашлось в DNS: похоже, у проверки нет доступа к сети или DNS, "
        "ссылки не проверены"
    )
    changed = {url: replace(results[url], status=LinkStatus.UNREACHABLE, reason=reason) for url in not_found}
    return {**results, **changed}


async def check_urls(
    urls: Iterable[str],
    config: LinkCheckConfig,
    *,
    resolver: Resolver | None = None,
    on_result: ProgressCallback | None = None,
    network: httpcore.AsyncNetworkBackend | None = None,
) -> dict[str, LinkResult]:
    """Check every URL once per distinct normalised form; the answer maps each given string to its result."""
    given = list(dict.fromkeys(urls))
    if not given:
        return {}
    by_key: dict[str, str] = {}
    for raw in given:
        by_key.setdefault(normalize(raw), raw)
    excluded = [re.compile(pattern) for pattern in config.exclude]
    deadline = time.monotonic() + config.max_run_seconds
    results: dict[str, LinkResult] = {}

    def finished(key: str, result: LinkResult) -> None:
        results[key] = result
        if on_result is not None:
            on_result(result)

    def task_done(key: str, task: asyncio.Task[LinkResult]) -> None:
        if not task.cancelled():
            finished(key, _outcome(task, key))

    async with Fetcher(config, resolver=resolver, deadline=deadline, network=network) as fetcher:
        tasks: list[asyncio.Task[LinkResult]] = []
        for key, raw in by_key.items():
            task = asyncio.create_task(check_one(raw, fetcher, excluded))
            # Each result is taken as its task ends (progress bar); one wait for them all keeps this linear.
            task.add_done_callback(functools.partial(task_done, key))
            tasks.append(task)
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for key in by_key:
            if key not in results:
                finished(key, _failed(key, ErrorKind.DEADLINE, ""))
    results = _no_dns_at_all(results)
    return {raw: results[normalize(raw)] for raw in given}


def _outcome(task: asyncio.Future[LinkResult], key: str) -> LinkResult:
    error = task.exception()
    if error is None:
        return task.result()
    return _failed(key, ErrorKind.INTERNAL, f"{type(error).__name__}: {error}")
