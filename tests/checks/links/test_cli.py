"""`site-builder check-links`: formats, exit codes, the cache and the results file, through click."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from site_builder.checks.links.report import load_last_results
from site_builder.cli import main
from tests.helpers.sites import REPO
from tests.helpers.synthetic_pdfs import scan_pdf
from tests.helpers.web import Reply, WebServer, page, redirect

FIXTURE = REPO / "tests" / "fixtures" / "linkcheck" / "content"


@pytest.fixture
def content(web: WebServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The synthetic content with its URLs pointed at `web`; the working directory is tmp_path."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    report = target / "reports" / "check.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("{PORT}", str(web.port)), encoding="utf-8")
    web.route("/ok", page("Документ"))
    monkeypatch.chdir(tmp_path)
    return target


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check-links", *args])


def test_broken_link_fails_with_places_and_writes_results(content: Path, web: WebServer) -> None:
    result = run("--content", "content", "--allow-private")
    assert result.exit_code == 1, result.output
    assert (
        "content/reports/check.yaml:14:18: ошибка: сломана — страница не найдена (HTTP 404)" in result.stdout
    )
    assert "п. 1.1." in result.stdout
    assert "content/reports/check.yaml:22:18: предупреждение: п. 1.2." in result.stdout
    results = load_last_results(Path(".cache/link-report.json"))
    assert results is not None and results[f"http://127.0.0.1:{web.port}/ok"].status == "ok"
    assert Path(".cache/link-check.sqlite").is_file()
    assert web.hits("/ok") == 1, "the URL used twice in the content is requested once"


def test_all_links_working_exits_zero(content: Path, web: WebServer) -> None:
    web.route("/missing", page("Теперь есть"))
    result = run("--content", "content", "--allow-private", "--no-cache")
    assert result.exit_code == 0, result.output
    assert "Проверка пройдена." in result.stdout
    assert not Path(".cache/link-check.sqlite").exists()


def test_private_addresses_are_invalid_without_allow_private(content: Path, web: WebServer) -> None:
    result = run("--content", "content", "--format", "json", "--no-cache")
    assert result.exit_code == 1
    assert {entry["status"] for entry in json.loads(result.stdout)["results"]} == {"invalid"}
    assert web.seen == []


def test_documents_option_reads_the_files_and_warns_about_scans(content: Path, web: WebServer) -> None:
    web.route("/missing", Reply(200, scan_pdf(), content_type="application/pdf"))
    plain = run("--content", "content", "--allow-private", "--no-cache")
    assert plain.exit_code == 0 and "скан" not in plain.stdout
    result = run("--content", "content", "--allow-private", "--no-cache", "--documents")
    assert result.exit_code == 0, "a warning does not fail the run"
    assert (
        "content/reports/check.yaml:14:18: предупреждение: работает — HTTP 200; документ — скан"
        in result.stdout
    )
    entry = load_last_results(Path(".cache/link-report.json"))
    assert (
        entry is not None and "без текстового слоя" in entry[f"http://127.0.0.1:{web.port}/missing"].warning
    )


def test_a_redirect_to_a_script_fails_the_run(content: Path, web: WebServer) -> None:
    web.route("/missing", redirect("javascript:alert(1)"))
    result = run("--content", "content", "--allow-private", "--no-cache")
    assert result.exit_code == 1
    assert "перенаправляет на адрес, который нельзя открыть: javascript:alert(1)" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "junit", "markdown"])
def test_formats_to_output_file(content: Path, fmt: str) -> None:
    result = run("--content", "content", "--allow-private", "--format", fmt, "--output", f"out/report.{fmt}")
    assert result.exit_code == 1 and result.stdout == ""
    text = Path(f"out/report.{fmt}").read_text(encoding="utf-8")
    assert {"json": '"schema_version": 1', "junit": "<testsuites", "markdown": "## Проверка ссылок"}[
        fmt
    ] in text


def test_second_run_reads_the_cache(content: Path, web: WebServer) -> None:
    run("--content", "content", "--allow-private", "--cache", "my-cache.sqlite")
    result = run("--content", "content", "--allow-private", "--cache", "my-cache.sqlite", "--format", "json")
    cached = {
        entry["url"].rsplit("/", 1)[1]: entry["cached"] for entry in json.loads(result.stdout)["results"]
    }
    assert cached == {"ok": True, "missing": False}
    assert web.hits("/ok") == 1 and web.hits("/missing") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shard", "5/4"], "--shard 5/4"),
        (["--shard", "x"], "ожидается K/N"),
        (["--site", "no-such-site"], "папка собранного сайта не найдена"),
    ],
)
def test_usage_errors_exit_two(content: Path, args: list[str], message: str) -> None:
    result = run("--content", "content", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_damaged_cache_is_a_usage_error(content: Path) -> None:
    Path("bad.sqlite").write_bytes(b"not a database" * 200)
    result = run("--content", "content", "--allow-private", "--cache", "bad.sqlite")
    assert result.exit_code == 2 and "--no-cache" in result.stderr


def test_content_errors_are_reported_with_places(content: Path) -> None:
    (content / "site.yaml").write_text("organisation: [не закрыта\n", encoding="utf-8")
    result = run("--content", "content")
    assert (
        result.exit_code == 1 and "content/site.yaml:1:" in result.stderr and "Traceback" not in result.output
    )


def test_built_site_check(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE.parent / "site", site)
    result = run(
        "--site", "site", "--base-url", "https://example.org/obr/500/", "--format", "json", "--no-cache"
    )
    data = json.loads(result.stdout)
    by_status: dict[str, int] = data["summary"]["by_status"]
    assert result.exit_code == 1
    assert by_status["broken"] == 5 and by_status["skipped"] == 1
    disk = next(e for e in data["results"] if e["url"].startswith("https://disk.yandex.ru/"))
    assert "не существует" in disk["reason"], "the test resolver knows no names: nothing leaves 127.0.0.1"
    assert not Path(".cache/link-report.json").exists(), (
        "a site-only check does not replace the content results"
    )
