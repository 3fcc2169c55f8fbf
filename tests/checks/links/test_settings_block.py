"""The `link_check:` block of site.yaml: validated like every block, and used by check-links and monitor."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from site_builder.checks.monitor.run import fetch_config
from site_builder.cli import main
from site_builder.content.settings.link_check import LinkCheckConfig
from site_builder.content.settings.monitoring import MonitoringConfig
from tests.helpers.web import WebServer, page

# Synthetic content: the evidence points at a local TLS stand-in signed by a test CA (trustme).
SITE = """\
organisation: Синтетическая организация для тестов настроек проверки ссылок
link_check:
  resolve: {{secure.example.org: "127.0.0.1"}}
  exclude: ['/skip-me$']
  hosts:
    Secure.Example.org:
      headers: {{X-Test: from-site-yaml}}
{extra}"""
REPORT = """\
title: Синтетический отчёт
sections:
  - number: "1."
    title: Раздел
    items:
      - number: "1.1."
        status: выполнено
        activity: Синтетическое мероприятие
        evidence:
          - title: Документ
            url: https://secure.example.org:{port}/ok
          - title: Исключённый документ
            url: https://secure.example.org:{port}/skip-me
"""


@pytest.fixture
def content(tmp_path: Path, tls_web: WebServer, ca_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "content"
    (folder / "reports").mkdir(parents=True)
    (folder / "certs").mkdir()
    shutil.copy(ca_file, folder / "certs" / "root.pem")
    (folder / "reports" / "check.yaml").write_text(REPORT.format(port=tls_web.port), encoding="utf-8")
    tls_web.route("/ok", page("Документ"))
    monkeypatch.chdir(tmp_path)
    return folder


def check(content: Path, extra: str) -> Result:
    (content / "site.yaml").write_text(SITE.format(extra=extra), encoding="utf-8")
    return CliRunner().invoke(
        main, ["check-links", "--content", "content", "--allow-private", "--no-cache", "--format", "json"]
    )


def statuses(result: Result) -> dict[str, str]:
    return {entry["url"].rsplit("/", 1)[1]: entry["status"] for entry in json.loads(result.stdout)["results"]}


def test_extra_root_certificate_exclusions_and_host_headers_are_used(
    content: Path, tls_web: WebServer
) -> None:
    result = check(content, "  ca_bundles: [certs/root.pem]\n")
    assert result.exit_code == 0, result.output
    assert statuses(result) == {"ok": "ok", "skip-me": "skipped"}
    assert tls_web.hits("/skip-me") == 0
    assert {seen.headers.get("X-Test") for seen in tls_web.seen} == {"from-site-yaml"}


def test_without_the_root_certificate_the_link_is_a_certificate_error(content: Path) -> None:
    assert statuses(check(content, ""))["ok"] == "tls_error"


def test_command_line_overrides_the_block(content: Path, tls_web: WebServer) -> None:
    (content / "site.yaml").write_text(
        SITE.format(extra="  ca_bundles: [certs/root.pem]\n  allow_private: false\n"), encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["check-links", "--content", "content", "--allow-private", "--no-cache"]
    )
    assert result.exit_code == 0, result.output


def test_typos_in_the_block_are_located_errors(content: Path) -> None:
    (content / "site.yaml").write_text(
        SITE.format(extra="  concurency: 3\n  retries: много\n"), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["check", "--content", "content"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("content/site.yaml:8:3:") and "concurrency" in line for line in lines), lines
    assert any(line.startswith("content/site.yaml:9:12:") for line in lines), lines
    assert "Traceback" not in result.output


def test_monitor_takes_certificates_addresses_and_hosts_from_the_block(tmp_path: Path) -> None:
    block = LinkCheckConfig(
        ca_bundles=[Path("certs/root.pem")], resolve={"school.example": "127.0.0.1"}, hosts={"a.example": {}}
    ).relative_to(tmp_path)
    settings = fetch_config(MonitoringConfig(), block, allow_private=False)
    assert settings.ca_bundles == [tmp_path / "certs" / "root.pem"]
    assert settings.resolve == {"school.example": "127.0.0.1"} and "a.example" in settings.hosts
    assert settings.per_host_concurrency == 1, "the monitor keeps its own politeness"
