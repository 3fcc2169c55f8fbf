"""Turning a run of the link checker into its results document, and writing the results file."""

from __future__ import annotations

from pathlib import Path

from site_builder import __version__
from site_builder.checks.links.classify import LinkResult
from site_builder.checks.links.run import RunReport
from site_builder.content.links import LinkRef
from site_builder.content.records.link_report import (
    LinkReportDocument,
    ProblemEntry,
    ResultEntry,
    SlowHost,
    SourceEntry,
    Summary,
    load_last_report,
)
from site_builder.core.atomic import write_atomically


def _source(ref: LinkRef) -> SourceEntry:
    return SourceEntry(
        path=ref.path,
        line=ref.line,
        col=ref.col,
        kind=ref.kind,
        item=ref.item,
        owner=ref.owner,
        page=ref.owner_slug,
        title=ref.title,
    )


def build_document(report: RunReport) -> LinkReportDocument:
    entries = []
    for url in sorted(report.results):
        result = report.results[url]
        refs = sorted(report.sources.get(url, []))
        entries.append(
            ResultEntry(
                url=result.url,
                status=result.status,
                http_status=result.http_status,
                final_url=result.final_url,
                reason=result.reason,
                attempts=result.attempts,
                checked_at=result.checked_at,
                cached=result.cached,
                cause=result.cause,
                warning=result.warning,
                written_as=sorted({ref.url for ref in refs}),
                sources=[_source(ref) for ref in refs],
            )
        )
    return LinkReportDocument(
        generated_at=report.finished_at,
        tool=f"site-builder {__version__}",
        shard=report.shard,
        summary=Summary(
            urls=len(report.results),
            links=sum(len(refs) for refs in report.sources.values()),
            from_cache=sum(1 for r in report.results.values() if r.cached),
            failed=report.failed,
            fail_on=list(report.config.fail_on),
            by_status=dict(sorted(report.counts().items())),
            warnings=sum(1 for r in report.results.values() if r.warning),
            slow_hosts=[
                SlowHost(host=host, seconds=round(cost.seconds, 1), requests=cost.requests)
                for host, cost in report.slow_hosts()
            ],
        ),
        results=entries,
        problems=[ProblemEntry(**vars(p)) for p in sorted(report.problems)],
    )


def format_json(report: RunReport) -> str:
    return build_document(report).model_dump_json(indent=2) + "\n"


def write_results(report: RunReport, path: Path) -> None:
    """The results file the site build reads for «Проверка ссылок» and the marks on report pages."""
    write_atomically(path, format_json(report))


def load_last_results(path: Path) -> dict[str, LinkResult] | None:
    """Results of the last check by URL: the normalised form and every spelling found in the content."""
    document = load_last_report(path)
    if document is None:
        return None
    results: dict[str, LinkResult] = {}
    for entry in document.results:
        result = result_of(entry)
        for key in (entry.url, *entry.written_as):
            results[key] = result
    return results


def result_of(entry: ResultEntry) -> LinkResult:
    """The checker's own result again, from its entry in a results file."""
    return LinkResult(
        url=entry.url,
        status=entry.status,
        reason=entry.reason,
        http_status=entry.http_status,
        final_url=entry.final_url,
        attempts=entry.attempts,
        checked_at=entry.checked_at,
        cached=entry.cached,
        cause=entry.cause,
        warning=entry.warning,
    )
