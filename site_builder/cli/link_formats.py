"""The link checker's reports as the command prints them: text, Markdown (a CI job summary) and JUnit XML."""

from __future__ import annotations

from collections import Counter, defaultdict
from xml.etree import ElementTree

from site_builder.checks.links.classify import LinkResult
from site_builder.checks.links.report import format_json
from site_builder.checks.links.run import RunReport
from site_builder.content.links import LinkRef
from site_builder.content.records.link_report import LABELS, PLURAL_LABELS
from site_builder.content.settings.link_check import LinkStatus


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
