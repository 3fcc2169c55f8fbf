"""Link-check reports: text, JSON, JUnit XML and Markdown, and the results file the site build reads.

JSON schema (`LinkReportDocument`, version 1), written by `--format json` and to `link_check.results_file`:

    {
      "schema_version": 1,
      "generated_at": "2026-11-22T16:45:27+00:00",      ISO 8601, UTC
      "tool": "site-builder 0.1.0",
      "shard": "1/4" | null,
      "summary": {"urls": 25, "links": 32, "from_cache": 3, "failed": true,
                  "fail_on": ["broken", "restricted", "invalid"], "by_status": {"ok": 18, "broken": 3, ...},
                  "warnings": 1,                         links that work but have a warning
                  "slow_hosts": [{"host": "school.example", "seconds": 42.5, "requests": 7}]},
                                                         hosts that cost at least link_check.slow_host_seconds
      "results": [                                       one entry per distinct URL, sorted by url
        {"url": "https://disk.yandex.ru/i/…",            normalised form that was requested
         "status": "ok|broken|restricted|unreachable|tls_error|invalid|skipped",
         "http_status": 200 | null,                      last HTTP status received
         "final_url": "https://…" | null,                after redirects, when there were any
         "reason": "…",                                  Russian, names the cause
         "attempts": 1,                                  HTTP requests sent (redirects, fallback, retries)
         "checked_at": "2026-11-22T16:45:27+00:00",
         "cached": false,                                true when reused from an earlier run
         "cause": "" | "name_not_found" | "read_timeout" | "bad_redirect" | "slow_body" | …   why (fetch.ErrorKind)
         "warning": "" | "…",                            Russian; a working link with something to fix
         "written_as": ["https://…"],                    every spelling of the URL found in the sources
         "sources": [{"path": "content/reports/x.yaml", "line": 12, "col": 18, "kind": "evidence",
                      "item": "1.2.", "owner": "Отчёт …", "page": "reports/x", "title": "Приказ …"}]}
      ],
      "problems": [{"path": "…", "line": 3, "col": 9, "message": "…", "warning": true}]
    }
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

from pydantic import BaseModel, ValidationError

from site_builder import __version__
from site_builder.atomic import write_atomically
from site_builder.linkcheck.classify import LinkResult
from site_builder.linkcheck.config import LinkStatus
from site_builder.linkcheck.run import RunReport
from site_builder.links import LinkRef

SCHEMA_VERSION = 1
LABELS = {
    LinkStatus.OK: "работает",
    LinkStatus.BROKEN: "сломана",
    LinkStatus.RESTRICTED: "закрыта",
    LinkStatus.UNREACHABLE: "недоступна",
    LinkStatus.TLS_ERROR: "ошибка сертификата",
    LinkStatus.INVALID: "неверная",
    LinkStatus.SKIPPED: "пропущена",
}
PLURAL_LABELS = {
    LinkStatus.OK: "работают",
    LinkStatus.BROKEN: "сломаны",
    LinkStatus.RESTRICTED: "закрыты",
    LinkStatus.UNREACHABLE: "недоступны",
    LinkStatus.TLS_ERROR: "ошибка сертификата",
    LinkStatus.INVALID: "неверные",
    LinkStatus.SKIPPED: "пропущены",
}


class SourceEntry(BaseModel):
    path: str
    line: int
    col: int
    kind: str
    item: str = ""
    owner: str = ""
    page: str = ""
    title: str = ""


class ResultEntry(BaseModel):
    url: str
    status: LinkStatus
    http_status: int | None
    final_url: str | None
    reason: str
    attempts: int
    checked_at: datetime
    cached: bool = False
    cause: str = ""
    warning: str = ""
    written_as: list[str] = []
    sources: list[SourceEntry] = []

    def result(self) -> LinkResult:
        return LinkResult(
            url=self.url,
            status=self.status,
            reason=self.reason,
            http_status=self.http_status,
            final_url=self.final_url,
            attempts=self.attempts,
            checked_at=self.checked_at,
            cached=self.cached,
            cause=self.cause,
            warning=self.warning,
        )


class ProblemEntry(BaseModel):
    path: str
    line: int
    col: int
    message: str
    warning: bool = True


class SlowHost(BaseModel):
    host: str
    seconds: float
    requests: int


class Summary(BaseModel):
    urls: int
    links: int
    from_cache: int
    failed: bool
    fail_on: list[LinkStatus]
    by_status: dict[LinkStatus, int]
    warnings: int = 0
    slow_hosts: list[SlowHost] = []


class LinkReportDocument(BaseModel):
    schema_version: int = SCHEMA_VERSION
    generated_at: datetime
    tool: str
    shard: str | None = None
    summary: Summary
    results: list[ResultEntry]
    problems: list[ProblemEntry] = []


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


def load_last_report(path: Path) -> LinkReportDocument | None:
    """The last written results, or None when there are none or the file is unreadable."""
    try:
        return LinkReportDocument.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return None


def load_last_results(path: Path) -> dict[str, LinkResult] | None:
    """Results of the last check by URL: the normalised form and every spelling found in the content."""
    document = load_last_report(path)
    if document is None:
        return None
    results: dict[str, LinkResult] = {}
    for entry in document.results:
        result = entry.result()
        for key in (entry.url, *entry.written_as):
            results[key] = result
    return results


def summary_line(report: RunReport) -> str:
    counts = report.counts()
    parts = [f"{PLURAL_LABELS[status]} — {counts[status]}" for status in LinkStatus if counts.get(status)]
    cached = sum(1 for r in report.results.values() if r.cached)
    links = sum(len(refs) for refs in report.sources.values())
    shard = f" (часть {report.shard})" if report.shard else ""
    warnings = sum(1 for r in report.results.values() if r.warning)
    if warnings:
        parts.append(f"с предупреждениями — {warnings}")
    return (
        f"Проверено адресов{shard}: {len(report.results)} (ссылок в источниках: {links}, из кэша: {cached}); "
        + ", ".join(parts)
        + "."
    )


def slow_hosts_line(report: RunReport) -> str:
    """Where the run's time went: the hosts that cost at least `slow_host_seconds`."""
    slow = report.slow_hosts()
    if not slow:
        return ""
    parts = [f"{host} — {cost.seconds:.0f} с ({cost.requests} запр.)" for host, cost in slow]
    return "Дольше всего проверялись сайты: " + "; ".join(parts) + "."


def _problem_rows(report: RunReport) -> list[tuple[LinkRef, LinkResult]]:
    rows: list[tuple[LinkRef, LinkResult]] = []
    for url, result in report.results.items():
        if result.status in (LinkStatus.OK, LinkStatus.SKIPPED) and not result.warning:
            continue
        rows.extend((ref, result) for ref in report.sources.get(url, []))
    return sorted(rows, key=lambda row: (row[0].path, row[0].line, row[0].col, row[1].url))


def format_text(report: RunReport) -> str:
    """Failures grouped by file and item, each line `path:line:col: …` so editors can jump to it."""
    lines: list[str] = []
    by_file: dict[str, list[tuple[LinkRef, LinkResult]]] = defaultdict(list)
    for ref, result in _problem_rows(report):
        by_file[ref.path].append((ref, result))
    for path, rows in by_file.items():
        lines.append(f"\n{path}")
        item = None
        for ref, result in rows:
            if ref.item != item:
                item = ref.item
                if item:
                    lines.append(f"  п. {item}")
            severity = "ошибка" if report.config.fails(result.status) else "предупреждение"
            lines.append(
                f"    {ref.path}:{ref.line}:{ref.col}: {severity}: {LABELS[result.status]} — {_reason(result)}"
            )
            lines.append(f"      {ref.url}")
    if report.problems:
        lines.append("\nЗамечания к содержимому:")
        lines.extend(f"  {problem.format()}" for problem in sorted(report.problems))
    lines.append("")
    lines.append(summary_line(report))
    if slow_hosts_line(report):
        lines.append(slow_hosts_line(report))
    lines.append(_verdict_line(report))
    return "\n".join(lines).lstrip("\n") + "\n"


def _reason(result: LinkResult) -> str:
    return f"{result.reason}; {result.warning}" if result.warning else result.reason


def _verdict_line(report: RunReport) -> str:
    if not report.failed:
        return "Проверка пройдена."
    failing = ", ".join(PLURAL_LABELS[s] for s in report.config.fail_on)
    return f"Проверка не пройдена: есть ссылки из классов, которые считаются ошибкой ({failing})."


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def format_markdown(report: RunReport) -> str:
    """For a CI job summary: the counts, then a table of every problem link with its place."""
    counts = report.counts()
    lines = ["## Проверка ссылок", "", summary_line(report), ""]
    if slow_hosts_line(report):
        lines += [_md(slow_hosts_line(report)), ""]
    lines += [_verdict_line(report), ""]
    lines += ["| Класс | Адресов |", "| --- | ---: |"]
    lines += [f"| {PLURAL_LABELS[s]} | {counts[s]} |" for s in LinkStatus if counts.get(s)]
    rows = _problem_rows(report)
    if rows:
        lines += ["", "### Ссылки с проблемами", "", "| Где | Пункт | Класс | Причина | Адрес |"]
        lines.append("| --- | --- | --- | --- | --- |")
        for ref, result in rows:
            lines.append(
                f"| `{_md(ref.path)}:{ref.line}` | {_md(ref.item)} | {LABELS[result.status]} | "
                f"{_md(_reason(result))} | <{_md(ref.url)}> |"
            )
    if report.problems:
        lines += ["", "### Замечания к содержимому", ""]
        lines += [f"- `{_md(p.path)}:{p.line}` — {_md(p.message)}" for p in sorted(report.problems)]
    return "\n".join(lines) + "\n"


def format_junit(report: RunReport) -> str:
    """One test case per distinct URL; failing classes are failures, skipped ones are skipped."""
    counts = Counter(
        "failure"
        if report.config.fails(r.status)
        else "skipped"
        if r.status is LinkStatus.SKIPPED
        else "pass"
        for r in report.results.values()
    )
    attributes = {
        "name": "check-links",
        "tests": str(len(report.results)),
        "failures": str(counts["failure"]),
        "errors": "0",
        "skipped": str(counts["skipped"]),
        "timestamp": report.finished_at.isoformat(),
    }
    suites = ElementTree.Element(
        "testsuites", {k: attributes[k] for k in ("name", "tests", "failures", "errors")}
    )
    suite = ElementTree.SubElement(suites, "testsuite", attributes)
    for url in sorted(report.results):
        result = report.results[url]
        refs = sorted(report.sources.get(url, []))
        classname = refs[0].path if refs else "check-links"
        case = ElementTree.SubElement(suite, "testcase", {"classname": classname, "name": url})
        places = "\n".join(f"{ref.path}:{ref.line}:{ref.col} {ref.item}".rstrip() for ref in refs)
        if report.config.fails(result.status):
            failure = ElementTree.SubElement(
                case,
                "failure",
                {"type": result.status.value, "message": f"{LABELS[result.status]}: {result.reason}"},
            )
            failure.text = places
        elif result.status is LinkStatus.SKIPPED:
            ElementTree.SubElement(case, "skipped", {"message": result.reason})
        else:
            ElementTree.SubElement(
                case, "system-out"
            ).text = f"{result.status.value}: {_reason(result)}\n{places}"
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
    )


FORMATTERS = {"text": format_text, "json": format_json, "junit": format_junit, "markdown": format_markdown}
