"""`monitor --format json|junit|markdown`: the per-school checks for CI, beside the dated results file.

JSON is `{"schools": [{"school": ID, "checks": [{"id", "status", "reason", "basis", "fix"}…]}…]}`; JUnit has one
test case per school × check (fail → failure, not applicable and not checked → skipped); Markdown is a job summary.
"""

from __future__ import annotations

import json
from collections import Counter
from xml.etree import ElementTree

from site_builder.checks.monitor.compliance import failing
from site_builder.content.records.monitoring import CheckResult, CheckStatus, MonitoringResults

FIELDS = ("id", "status", "reason", "basis", "fix")
WORST_SHOWN = 10


def format_json(results: MonitoringResults) -> str:
    document = {
        "schools": [
            {
                "school": school.id,
                "checks": [check.model_dump(mode="json", include=set(FIELDS)) for check in school.checks],
            }
            for school in results.schools
        ]
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def fails_ci(check: CheckResult, fail_on: str) -> bool:
    """Whether this check fails the run: a required 500+ criterion, or a check `fail_on` counts."""
    if check.status is not CheckStatus.FAIL:
        return False
    if check.id.startswith("site500."):
        return check.required
    return bool(failing([check], fail_on))


def format_junit(results: MonitoringResults, fail_on: str = "required") -> str:
    cases = [(school, check) for school in results.schools for check in school.checks]
    skipped = (CheckStatus.NOT_APPLICABLE, CheckStatus.NOT_CHECKED)
    counts = Counter(
        "failure" if fails_ci(check, fail_on) else "skipped" if check.status in skipped else "pass"
        for _, check in cases
    )
    attributes = {
        "name": "monitor",
        "tests": str(len(cases)),
        "failures": str(counts["failure"]),
        "errors": "0",
        "skipped": str(counts["skipped"]),
        "timestamp": results.checked_at.isoformat() if results.checked_at else results.date.isoformat(),
    }
    suites = ElementTree.Element(
        "testsuites", {k: attributes[k] for k in ("name", "tests", "failures", "errors")}
    )
    suite = ElementTree.SubElement(suites, "testsuite", attributes)
    for school, check in cases:
        case = ElementTree.SubElement(suite, "testcase", {"classname": school.id, "name": check.id})
        text = f"{check.title}\n{check.reason}\nОснование: {check.basis}"
        text += f"\nКак исправить: {check.fix}" if check.fix else ""
        if fails_ci(check, fail_on):
            ElementTree.SubElement(
                case, "failure", {"type": check.status.value, "message": check.reason}
            ).text = text
        elif check.status in skipped:
            ElementTree.SubElement(case, "skipped", {"message": f"{check.status.word}: {check.reason}"})
        else:
            ElementTree.SubElement(case, "system-out").text = text
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
    )


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def format_markdown(results: MonitoringResults) -> str:
    """For a CI job summary: per school the counts, then the most frequent failures with their fix."""
    lines = [f"## Мониторинг сайтов ОО на {results.date:%d.%m.%Y}", ""]
    lines += ["| ОО | Да | Нет | Не применимо | Не проверено |", "| --- | ---: | ---: | ---: | ---: |"]
    for school in results.schools:
        counts = Counter(check.status for check in school.checks)
        lines.append(
            f"| {_md(school.short_name)} | {counts[CheckStatus.PASS]} | {counts[CheckStatus.FAIL]} | "
            f"{counts[CheckStatus.NOT_APPLICABLE]} | {counts[CheckStatus.NOT_CHECKED]} |"
        )
    worst = Counter(
        check.id for school in results.schools for check in school.checks if check.status is CheckStatus.FAIL
    )
    if worst:
        titles = {check.id: check for school in results.schools for check in school.checks}
        lines += ["", "### Чаще всего не выполнено", "", "| Проверка | ОО | Основание | Как исправить |"]
        lines.append("| --- | ---: | --- | --- |")
        for check_id, count in worst.most_common(WORST_SHOWN):
            check = titles[check_id]
            lines.append(
                f"| `{check_id}` {_md(check.title)} | {count} | {_md(check.basis)} | {_md(check.fix)} |"
            )
    return "\n".join(lines) + "\n"


def format_report(results: MonitoringResults, fmt: str, fail_on: str) -> str:
    if fmt == "json":
        return format_json(results)
    if fmt == "junit":
        return format_junit(results, fail_on)
    return format_markdown(results)
