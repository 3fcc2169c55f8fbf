"""`site-builder monitor --format json|junit|markdown` over the «Сведения» stand-ins: reports read back with the
standard library's parsers, the exit code for CI, resuming a stopped run, and refusing a bad results folder early."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TypedDict
from xml.etree import ElementTree

import pytest

from site_builder.checks.links.guard import StaticResolver
from site_builder.checks.monitor.progress import RunState, fingerprint, state_path
from site_builder.checks.monitor.run import fetch_config, monitor_schools
from site_builder.model.site import load_site
from tests.helpers.html import one, soup
from tests.helpers.sites import make_site, read_fixture, run_cli
from tests.helpers.standins import Standins
from tests.helpers.sveden_sites import serve_sveden_sites

SCHOOLS = """\
# Synthetic schools on stand-in sites (127.0.0.1), for the monitor tests only.
schools:
- id: compliant
  short_name: Тест-сведения
  site: http://compliant.example.org/
- id: items
  short_name: Тест-разметка
  site: http://items.example.org/
"""
FAST = """
monitoring:
  timeout: 1
  retries: 0
  request_interval: 0
  max_pages: 5
  sveden_max_pages: 80
  required: [site]
"""


@pytest.fixture(scope="module")
def sites() -> Iterator[Standins]:
    standins = serve_sveden_sites()
    yield standins
    standins.close()


@pytest.fixture(autouse=True)
def standin_dns(sites: Standins, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.checks.links import fetch

    monkeypatch.setattr(fetch, "make_resolver", lambda table: StaticResolver(sites.table))


def content_with(tmp_path: Path, settings: str = "", schools: str = SCHOOLS) -> Path:
    site_yaml = read_fixture("site.yaml") + FAST + settings
    return make_site(tmp_path, {"schools.yaml": schools, "site.yaml": site_yaml})


def monitor(content: Path, *extra: str) -> tuple[int, str, str]:
    result = run_cli("monitor", "--content", str(content), "--as-of", "2026-03-01", "--allow-private", *extra)
    return result.exit_code, result.stdout, result.stderr


class SchoolChecks(TypedDict):
    """A school's checks as the JSON report and the results file give them back, to compare the two."""

    school: str
    checks: list[dict[str, str]]


def test_json_report_has_the_shape_of_the_issue_and_a_failure_exits_1(tmp_path: Path) -> None:
    content = content_with(tmp_path)
    report = tmp_path / "report.json"
    code, _, err = monitor(content, "--format", "json", "--output", str(report))
    assert code == 1
    assert "Тест-разметка: не выполнено проверок раздела «Сведения» и доступности — 3" in err
    assert "Тест-сведения:" not in err
    document = json.loads(report.read_text(encoding="utf-8"))
    assert list(document) == ["schools"]
    assert [school["school"] for school in document["schools"]] == ["compliant", "items"]
    checks = {c["id"]: c for c in document["schools"][1]["checks"]}
    assert set(checks["sveden.managers.rucovodstvo.fio"]) == {"id", "status", "reason", "basis", "fix"}
    assert checks["sveden.managers.rucovodstvo.fio"]["status"] == "fail"
    assert checks["sveden.common.regDate"]["status"] == "fail"
    assert checks["sveden.common.addressPlacePrac"]["status"] == "pass"
    assert checks["sveden.inter.internationalDog"]["status"] == "not_applicable"
    assert {c["status"] for c in document["schools"][0]["checks"] if c["id"].startswith("sveden.")} <= {
        "pass",
        "not_applicable",
    }
    # The dated results file keeps the same checks and reads back as version 2.
    results = (content / "monitoring" / "2026-03-01.yaml").read_text(encoding="utf-8")
    assert "version: 2" in results and "sveden.managers.rucovodstvo.fio" in results
    # Read back through the content loader, the compact file gives every check of the report again.
    [entry] = load_site(content).monitoring
    again: list[SchoolChecks] = [
        {
            "school": school.id,
            "checks": [
                c.model_dump(mode="json", include={"id", "status", "reason", "fix"}) for c in school.checks
            ],
        }
        for school in entry.results.schools
    ]
    reported: list[SchoolChecks] = [
        {
            "school": school["school"],
            "checks": [{k: c[k] for k in ("id", "status", "reason", "fix")} for c in school["checks"]],
        }
        for school in document["schools"]
    ]
    listed = [(s["school"], c["id"], c["status"]) for s in reported for c in s["checks"]]
    assert [(s["school"], c["id"], c["status"]) for s in again for c in s["checks"]] == listed
    for school, back in zip(reported, again, strict=True):
        for check, read in zip(school["checks"], back["checks"], strict=True):
            if check["status"] in ("fail", "not_checked"):
                assert read == check
    assert {c.basis for s in entry.results.schools for c in s.checks} >= {"ПП РФ № 1802, п. 17"}
    assert not state_path(content, dt.date(2026, 3, 1)).exists()


def test_junit_and_markdown_reports(tmp_path: Path) -> None:
    content = content_with(tmp_path, "  fail_on: none\n")
    junit, markdown = tmp_path / "monitor.xml", tmp_path / "summary.md"
    code, _, _ = monitor(content, "--format", "junit", "--output", str(junit))
    assert code == 0  # fail_on: none — the «Сведения» checks inform, they do not fail CI
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests", "0")) > 400
    names = {(case.get("classname"), case.get("name")) for case in cases}
    assert ("items", "sveden.managers.rucovodstvo.fio") in names
    assert suite.get("failures") == "0"
    assert any(case.find("skipped") is not None for case in cases)
    code, _, _ = monitor(content, "--format", "markdown", "--output", str(markdown))
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("## Мониторинг сайтов ОО на 01.03.2026")
    assert "| `sveden.common.regDate` " in text


def test_junit_counts_the_failing_checks_under_required(tmp_path: Path) -> None:
    content = content_with(tmp_path)
    junit = tmp_path / "monitor.xml"
    code, _, _ = monitor(content, "--format", "junit", "--output", str(junit))
    assert code == 1
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert suite is not None
    failed = sorted(
        case.get("name", "") for case in suite.findall("testcase") if case.find("failure") is not None
    )
    # The stand-in has its only «fio» outside both «rucovodstvo» and «rucovodstvoZam».
    assert failed == [
        "sveden.common.regDate",
        "sveden.managers.rucovodstvo.fio",
        "sveden.managers.rucovodstvoZam.fio",
    ]


def test_a_file_named_monitoring_is_refused_before_any_site_is_fetched(
    tmp_path: Path, sites: Standins
) -> None:
    content = content_with(tmp_path)
    (content / "monitoring").write_text("не папка", encoding="utf-8")
    before = sum(len(server.seen) for server in sites.servers.values())
    code, _, err = monitor(content)
    # Loading the content refuses it (a content error, exit 1) with its place, before anything is crawled.
    assert code == 1
    assert "monitoring:1:1:" in err and "это файл" in err and "Traceback" not in err and "Errno" not in err
    assert sum(len(server.seen) for server in sites.servers.values()) == before


def test_a_stopped_run_resumes_without_fetching_what_it_had(tmp_path: Path, sites: Standins) -> None:
    """The state file of a run cut short holds the first school; the next run fetches only the second."""
    content = content_with(tmp_path)
    site = load_site(content)
    config = site.config.monitoring
    state = RunState.open(state_path(content, dt.date(2026, 3, 1)), fingerprint(config, site.schools))
    first = site.schools[:1]
    settings = fetch_config(config, None, allow_private=True)
    asyncio.run(
        monitor_schools(
            first,
            config,
            dt.date(2026, 3, 1),
            settings,
            resolver=StaticResolver(sites.table),
            on_result=state.record,
        )
    )
    compliant = sites.servers["compliant.example.org"]
    fetched_before = len(compliant.seen)
    items_before = len(sites.servers["items.example.org"].seen)
    report = tmp_path / "report.json"
    code, out, _ = monitor(content, "--format", "json", "--output", str(report))
    assert "Продолжаю прерванный мониторинг: 1 из 2 ОО уже проверены" in out
    # The resumed school reports as fully as one checked in this run: its reasons came back from the state.
    first_school = json.loads(report.read_text(encoding="utf-8"))["schools"][0]
    reasons = {c["id"]: c["reason"] for c in first_school["checks"]}
    assert reasons["sveden.common"].startswith(
        "подраздел открыт: http://compliant.example.org/sveden/common/"
    )
    assert len(compliant.seen) == fetched_before  # nothing of the finished school fetched again
    assert len(sites.servers["items.example.org"].seen) > items_before
    assert code == 1
    results = (content / "monitoring" / "2026-03-01.yaml").read_text(encoding="utf-8")
    assert "id: compliant" in results and "id: items" in results
    assert not state.path.exists()


def test_other_settings_start_afresh(tmp_path: Path, sites: Standins) -> None:
    content = content_with(tmp_path)
    path = state_path(content, dt.date(2026, 3, 1))
    path.parent.mkdir(parents=True)
    path.write_text('{"fingerprint": "of another run"}\n{"id": "compliant"}\n', encoding="utf-8")
    _, out, _ = monitor(content)
    assert "Продолжаю" not in out


def test_the_note_shows_the_compliance_part_with_its_shares(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.helpers.sites import build_cli

    schools = (
        SCHOOLS + "- id: missing\n  short_name: Тест-без-подразделов\n  site: http://missing.example.org/\n"
    )
    content = content_with(tmp_path, "  fail_on: none\n", schools)
    assert monitor(content)[0] == 0
    output = tmp_path / "output"
    assert build_cli(content, output, "2026-03-01").exit_code == 0
    page = soup(output / "monitoring.html")
    table = page.select_one("table.note-compliance-table")
    assert table is not None
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers[1] == "Основные сведения" and headers[-1] == "Весь раздел" and len(headers) == 16
    rows = {
        one(tr, "th").get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in table.select("tbody tr")
    }
    assert rows["Тест-сведения"][-1] == "✓ да"
    assert rows["Тест-разметка"][headers.index("Руководство") - 1] == "✗ 2 замечания"
    assert (
        rows["Тест-без-подразделов"][headers.index("Международное сотрудничество") - 1] == "✗ нет подраздела"
    )
    shares = [td.get_text(strip=True) for td in table.select("tfoot td")]
    assert shares[0] == "2 из 3 ОО (67\u00a0%)"  # «Основные сведения»: «regDate» missing at Тест-разметка
    assert shares[headers.index("Международное сотрудничество") - 1] == "2 из 3 ОО (67\u00a0%)"
    assert shares[-1] == "1 из 3 ОО (33\u00a0%)"
    worst = [li.get_text(" ", strip=True) for li in page.select("ol.note-worst li")]
    assert any("sveden.managers.rucovodstvo.fio" in line and "приказ № 1493, п. 11" in line for line in worst)
    findings = page.select_one("#compliance-items")
    assert findings is not None and "Как исправить:" in findings.get_text()
    xlsx = output / "monitoring.xlsx"
    book = load_workbook(xlsx)
    assert book.sheetnames[1] == "Сведения об ОО"
    cells = [str(cell.value) for row in book["Сведения об ОО"].iter_rows() for cell in row if cell.value]
    assert "✓ соответствует" in cells and "✗ нет подраздела" in cells and "1 из 3 ОО (33\u00a0%)" in cells


def test_a_report_without_output_is_alone_on_stdout(tmp_path: Path) -> None:
    content = content_with(tmp_path, "  fail_on: none\n")
    code, out, err = monitor(content, "--format", "json")
    assert code == 0
    assert [school["school"] for school in json.loads(out)["schools"]] == ["compliant", "items"]
    assert "Результаты записаны в" in err
