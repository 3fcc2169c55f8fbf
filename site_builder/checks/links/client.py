"""Checking URLs: each distinct URL requested once, HEAD where it suffices, GET where the page must be read.

`check_urls` is the library entry point; it returns results and leaves formats, the disk cache and exit codes
to the caller.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlsplit

import httpcore

from site_builder.checks.links.classify import (
    LinkResult,
    Verdict,
    anchors_of,
    classify,
    is_login_url,
    now_utc,
)
from site_builder.checks.links.documents import expected_kinds, page_instead
from site_builder.checks.links.documents import inspect as inspect_document
from site_builder.checks.links.fetch import (
    RETRYABLE_ERRORS,
    ErrorKind,
    Fetcher,
    FetchError,
    FetchResult,
    HostCost,
    is_text,
)
from site_builder.checks.links.guard import Resolver, non_public_kind
from site_builder.checks.links.hosts import HostRule, rule_for
from site_builder.checks.links.phrases import lexicon_for
from site_builder.checks.links.soft404 import Placeholders
from site_builder.checks.links.urls import (
    SKIPPED_SCHEMES,
    UrlProblem,
    WebUrl,
    fragment_of,
    ip_literal,
    link_key,
    normalize,
    parse_web_url,
    scheme_of,
)
from site_builder.content.settings.link_check import LinkCheckConfig, LinkStatus

# Files whose body tells nothing: a HEAD answers for them, and a GET would only download bytes.
DOCUMENT_SUFFIXES = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf", ".zip", ".rar",
    ".7z", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".mp4", ".mp3", ".avi", ".mov", ".djvu",
)  # fmt: skip
ProgressCallback = Callable[[LinkResult], None]
START_BATCH = 64  # tasks started before the loop gets a turn
RUN_GC_THRESHOLD = 20_000  # allocations between young collections during a run (Python's default: 700)
NO_DNS_MIN_HOSTS = 3
FRAGMENT_BODY_BYTES = 2 * 1024 * 1024  # a page is read this far to find the place a #fragment names
DOWNLOADS_AT_ONCE = 2  # documents held in memory at a time (each up to max_document_bytes)


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


async def _probe(url: WebUrl, rule: HostRule | None, fetcher: Fetcher, body_limit: int | None) -> FetchResult:
    if _wants_head(url, rule):
        head = await fetcher.fetch(url.url, method="HEAD", stop_at=is_login_url, retries=0)
        if _head_is_enough(head):
            return head
        get = await fetcher.fetch(url.url, read_body=is_text, stop_at=is_login_url, body_limit=body_limit)
        get.requests += head.requests
        return get
    return await fetcher.fetch(url.url, read_body=is_text, stop_at=is_login_url, body_limit=body_limit)


@dataclass
class Evidence:
    """What a check-links run adds to a plain check: placeholder probes per host and document downloads."""

    placeholders: Placeholders
    downloads: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(DOWNLOADS_AT_ONCE))


async def _evidence_verdict(
    fetch: FetchResult, verdict: Verdict, fetcher: Fetcher, evidence: Evidence
) -> tuple[Verdict, str, int]:
    """A working link looked at closer: the host's placeholder, the document's own bytes.

    Returns the verdict, a warning and the requests this cost.
    """
    config = fetcher.config
    if fetch.is_html:
        return (await evidence.placeholders.verdict(fetch)) or verdict, "", 0
    if not config.documents or not expected_kinds(fetch.url, fetch.content_type):
        return verdict, "", 0
    async with evidence.downloads:
        download = await fetcher.fetch(
            fetch.url,
            read_body=lambda response: True,
            stop_at=is_login_url,
            body_limit=config.max_document_bytes,
            body_timeout=config.max_url_seconds,
        )
        if download.error is not None or download.status != fetch.status:
            return verdict, "", download.requests
        found = inspect_document(download, config.max_document_bytes)
    return found.verdict or verdict, found.warning, download.requests


async def check_link(
    raw: str,
    fetcher: Fetcher,
    excluded: list[re.Pattern[str]],
    evidence: Evidence | None = None,
    body_limit: int | None = None,
) -> tuple[LinkResult, FetchResult | None]:
    """Check one URL as written and keep what was fetched; never raises for anything the URL or its server does."""
    key = normalize(raw)
    verdict = offline_verdict(raw, fetcher.config, excluded)
    if verdict is not None:
        return LinkResult(key, verdict.status, verdict.reason, checked_at=now_utc()), None
    url = parse_web_url(raw)
    rule = rule_for(url.host)
    fetch = await _probe(url, rule, fetcher, body_limit)
    verdict = rule.judge(fetch) if rule else page_instead(fetch)
    verdict = verdict or classify(fetch, lexicon_for(fetcher.config.phrases))
    warning, extra = "", 0
    if rule is None and evidence is not None and verdict.status is LinkStatus.OK:
        verdict, warning, extra = await _evidence_verdict(fetch, verdict, fetcher, evidence)
    result = LinkResult(
        url=key,
        status=verdict.status,
        reason=verdict.reason,
        http_status=fetch.status,
        final_url=fetch.final_url if fetch.hops else None,
        attempts=fetch.requests + extra,
        checked_at=now_utc(),
        cause=fetch.error.kind.value if fetch.error else "",
        warning=warning,
    )
    return result, fetch


async def check_one(raw: str, fetcher: Fetcher, excluded: list[re.Pattern[str]]) -> LinkResult:
    """Check one URL as written (the monitor's way: no placeholder probes, no downloads)."""
    return (await check_link(raw, fetcher, excluded))[0]


def fragment_result(base: LinkResult, fetch: FetchResult | None, key: str, fragment: str) -> LinkResult:
    """The result for `page#fragment`: the page's own, unless the page is HTML without that place."""
    result = replace(base, url=key)
    if base.status is not LinkStatus.OK or fetch is None or not fetch.is_html:
        return result
    name = unquote(fragment)
    if name.lower() == "top" or name in anchors_of(fetch):  # browsers scroll to the top for «#top»
        return result
    if len(fetch.body) >= FRAGMENT_BODY_BYTES:
        return replace(
            result, warning=f"место #{name} не проверено: страница длиннее {FRAGMENT_BODY_BYTES // 1024} КБ"
        )
    return replace(
        result,
        status=LinkStatus.BROKEN,
        reason=f"страница открывается, но на ней нет места с id «{name}» (#{fragment}): ссылка ведёт не туда "
        f"(HTTP {fetch.status})",
    )


def _fragments_checked(raw: str) -> bool:
    """A host with a rule builds its pages with scripts (Диск, Документы): its places are not in the HTML."""
    try:
        return rule_for(parse_web_url(raw).host) is None
    except UrlProblem:
        return False


async def _check_group(
    raw: str, keys: dict[str, str], fetcher: Fetcher, excluded: list[re.Pattern[str]], evidence: Evidence
) -> dict[str, LinkResult]:
    """One page fetched once for every spelling of it; each `#fragment` judged on that page."""
    checked = _fragments_checked(raw)
    fragments = {key: fragment_of(spelling) if checked else "" for key, spelling in keys.items()}
    limit = FRAGMENT_BODY_BYTES if any(fragments.values()) else None
    base, fetch = await check_link(raw, fetcher, excluded, evidence, limit)
    return {
        key: fragment_result(base, fetch, key, fragment) if fragment else replace(base, url=key)
        for key, fragment in fragments.items()
    }


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
    host_costs: dict[str, HostCost] | None = None,
) -> dict[str, LinkResult]:
    """Check every URL once per distinct normalised form; the answer maps each given string to its result.

    Spellings that differ only by a `#fragment` share one request; each fragment is judged on its own.
    `host_costs`, when given, receives the time spent on each host.
    """
    key_of = {raw: link_key(raw) for raw in urls}  # each given string once, in order, with its key
    if not key_of:
        return {}
    groups: dict[str, dict[str, str]] = {}
    for raw, key in key_of.items():
        groups.setdefault(normalize(raw), {}).setdefault(key, raw)
    excluded = [re.compile(pattern) for pattern in config.exclude]
    deadline = time.monotonic() + config.max_run_seconds
    results: dict[str, LinkResult] = {}

    def finished(key: str, result: LinkResult) -> None:
        results[key] = result
        if on_result is not None:
            on_result(result)

    def task_done(keys: dict[str, str], task: asyncio.Task[dict[str, LinkResult]]) -> None:
        if task.cancelled():
            return
        for key, result in _outcome(task, keys).items():
            finished(key, result)

    with _collector_for_a_run():
        async with Fetcher(config, resolver=resolver, deadline=deadline, network=network) as fetcher:
            evidence = Evidence(Placeholders(fetcher))
            tasks: list[asyncio.Task[dict[str, LinkResult]]] = []
            for keys in groups.values():
                raw = next(iter(keys.values()))
                task = asyncio.create_task(_check_group(raw, keys, fetcher, excluded, evidence))
                # Each result is taken as its task ends (progress bar); one wait for them all keeps this linear.
                task.add_done_callback(functools.partial(task_done, keys))
                tasks.append(task)
                if len(tasks) % START_BATCH == 0:
                    # The first steps of thousands of tasks would hold the loop for a tenth of a second while the
                    # first answers wait unread: let the loop run between batches.
                    await asyncio.sleep(0)
            _, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            await evidence.placeholders.aclose()
            for keys in groups.values():
                for key in keys:
                    if key not in results:
                        finished(key, _failed(key, ErrorKind.DEADLINE, ""))
            if host_costs is not None:
                host_costs.update(fetcher.host_costs)
    results = _no_dns_at_all(results)
    return {raw: results[key] for raw, key in key_of.items()}


@contextmanager
def _collector_for_a_run() -> Iterator[None]:
    """The cyclic collector kept off what does not change during a run and run less often.

    Thousands of tasks alive at once made it walk them every 700 allocations, and a full collection walked
    every module too, holding the loop for tens of milliseconds while answers waited: a tenth of the run's
    CPU. What existed before is frozen (unless someone froze the heap already: theirs is left alone) and
    young objects are collected in larger batches; the little cyclic garbage httpx leaves per response is
    still collected.
    """
    threshold = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    gc.set_threshold(max(threshold[0], RUN_GC_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if freeze:
            gc.unfreeze()


def _outcome(task: asyncio.Future[dict[str, LinkResult]], keys: dict[str, str]) -> dict[str, LinkResult]:
    error = task.exception()
    if error is None:
        return task.result()
    return {key: _failed(key, ErrorKind.INTERNAL, f"{type(error).__name__}: {error}") for key in keys}
