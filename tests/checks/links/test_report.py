"""Report formats and the results file the site build reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

from site_builder.checks.links.classify import LinkResult
from site_builder.checks.links.report import format_json, load_last_results, write_results
from site_builder.checks.links.run import RunReport
from site_builder.cli.link_formats import format_junit, format_markdown, format_text
from site_builder.content.links import LinkRef
from site_builder.content.records.link_report import LinkReportDocument, load_last_report
from site_builder.content.settings.link_check import LinkStatus
from site_builder.core.errors import Problem
from tests.helpers.links import fast_config

WHEN = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
REPORT = "content/reports/r.yaml"
CYRILLIC = "https://example.org/upload/Итоги%20конкурса.pdf"
CYRILLIC_KEY = "https://example.org/upload/%D0%98%D1%82%D0%BE%D0%B3%D0%B8%20%D0%BA%D0%BE%D0%BD%D0%BA%D1%83%D1%80%D1%81%D0%B0.pdf"


def _ref(url: str, line: int, item: str, path: str = REPORT) -> LinkRef:
    return LinkRef(url, path, line, 18, "evidence", "Протокол | итоги", "Отчёт", "reports/r", item)


def _report() -> RunReport:
    results = {
        CYRILLIC_KEY: LinkResult(CYRILLIC_KEY, LinkStatus.OK, "HTTP 200", 200, None, 1, WHEN),
        "https://example.org/gone": LinkResult(
            "https://example.org/gone",
            LinkStatus.BROKEN,
            "страница не найдена (HTTP 404)",
            404,
            None,
            1,
            WHEN,
        ),
        "https://example.org/slow": LinkResult(
            "https://example.org/slow",
            LinkStatus.UNREACHABLE,
            "тайм-аут ответа",
            None,
            None,
            3,
            WHEN,
            cause="read_timeout",
        ),
        "mailto:a@example.org": LinkResult(
            "mailto:a@example.org", LinkStatus.SKIPPED, "почта", checked_at=WHEN
        ),
    }
    sources = {
        CYRILLIC_KEY: [_ref(CYRILLIC, 10, "3.8"), _ref(CYRILLIC_KEY, 30, "3.14")],
        "https://example.org/gone": [
            _ref("https://example.org/gone", 12, "3.8"),
            _ref("https://example.org/gone", 4, "1.1.", "content/roadmaps/a.yaml"),
        ],
        "https://example.org/slow": [_ref("https://example.org/slow", 20, "3.9")],
        "mailto:a@example.org": [_ref("mailto:a@example.org", 40, "4.1")],
    }
    problems = [Problem(REPORT, 22, 18, "п. 1.2. подтверждение указано без ссылки", warning=True)]
    return RunReport(results, sources, problems, fast_config(), WHEN, WHEN)


def test_json_follows_the_documented_schema() -> None:
    data = json.loads(format_json(_report()))
    document = LinkReportDocument.model_validate(data)
    assert document.schema_version == 1 and document.summary.failed
    assert document.summary.by_status == {
        LinkStatus.OK: 1,
        LinkStatus.BROKEN: 1,
        LinkStatus.UNREACHABLE: 1,
        LinkStatus.SKIPPED: 1,
    }
    entry = next(e for e in data["results"] if e["url"] == "https://example.org/gone")
    required = {"url", "status", "http_status", "final_url", "reason", "attempts", "checked_at", "sources"}
    assert required <= set(entry)
    assert entry["status"] == "broken" and entry["http_status"] == 404
    assert entry["sources"][0] == {
        "path": "content/reports/r.yaml", "line": 12, "col": 18, "kind": "evidence", "item": "3.8",
        "owner": "Отчёт", "page": "reports/r", "title": "Протокол | итоги",
    }  # fmt: skip
    assert data["problems"][0]["line"] == 22


def test_results_file_round_trip_finds_every_spelling(tmp_path: Path) -> None:
    path = tmp_path / ".cache" / "link-report.json"
    write_results(_report(), path)
    results = load_last_results(path)
    assert results is not None
    assert results[CYRILLIC] is results[CYRILLIC_KEY]
    assert results[CYRILLIC].status is LinkStatus.OK and results[CYRILLIC].checked_at == WHEN
    assert results["https://example.org/slow"].cause == "read_timeout"
    assert load_last_report(path) is not None


def test_missing_or_damaged_results_file_gives_none(tmp_path: Path) -> None:
    assert load_last_results(tmp_path / "absent.json") is None
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert load_last_results(tmp_path / "bad.json") is None


def test_text_groups_failures_by_file_and_item() -> None:
    text = format_text(_report())
    lines = text.splitlines()
    assert lines[0] == "content/reports/r.yaml"
    assert lines[1] == "  п. 3.8"
    assert lines[2].strip() == (
        "content/reports/r.yaml:12:18: ошибка: сломана — страница не найдена (HTTP 404)"
    )
    assert "content/reports/r.yaml:20:18: предупреждение: недоступна — тайм-аут ответа" in text
    assert "content/roadmaps/a.yaml" in text and "content/roadmaps/a.yaml:4:18:" in text
    assert "Итоги%20конкурса" not in text, "working links are not listed"
    assert "content/reports/r.yaml:22:18: предупреждение: п. 1.2." in text
    assert "Проверка не пройдена" in lines[-1]


def test_junit_has_one_case_per_url() -> None:
    root = ElementTree.fromstring(format_junit(_report()))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == 4 and suite.get("failures") == "1" and suite.get("skipped") == "1"
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["https://example.org/gone"]
    failure = failed[0].find("failure")
    assert (
        failure is not None
        and failure.get("type") == "broken"
        and "HTTP 404" in (failure.get("message") or "")
    )


def test_markdown_escapes_table_cells() -> None:
    markdown = format_markdown(_report())
    assert markdown.startswith("## Проверка ссылок")
    assert (
        "| `content/reports/r.yaml:12` | 3.8 | сломана | страница не найдена (HTTP 404) | <https://example.org/gone> |"
        in markdown
    )
    assert "| недоступны | 1 |" in markdown


def test_passing_run_says_so() -> None:
    report = _report()
    report.results = {k: v for k, v in report.results.items() if v.status is not LinkStatus.BROKEN}
    assert not report.failed
    assert format_text(report).splitlines()[-1] == "Проверка пройдена."
