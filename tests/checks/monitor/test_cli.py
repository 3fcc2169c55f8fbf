"""`site-builder monitor` end to end: stand-in sites, a dated results file, a second run beside the first, exit
codes for CI, and the note the build makes from both runs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.checks.links.guard import StaticResolver
from tests.helpers.html import soup
from tests.helpers.sites import REPO, build_cli, check_cli, make_site, read_fixture, run_cli
from tests.helpers.standins import PDF, Standins, serve_standins

SCHOOLS_YAML = """\
# Synthetic schools on stand-in sites (127.0.0.1), for the monitor tests only.
schools:
- id: complete
  short_name: Тест-полная
  site: http://complete.example.org/
  section_url: http://complete.example.org/500plus/
- id: broken
  short_name: Тест-ссылки
  site: http://broken.example.org/
- id: nosite
  short_name: Тест-без-сайта
"""
FAST = """
monitoring:
  timeout: 1
  retries: 0
  request_interval: 0
  max_pages: 12
  fail_on: none  # these stand-ins have no «Сведения» section: the exit code follows the 500+ criteria
"""


@pytest.fixture
def sites(monkeypatch: pytest.MonkeyPatch) -> Iterator[Standins]:
    standins = serve_standins()
    from site_builder.checks.links import fetch

    monkeypatch.setattr(fetch, "make_resolver", lambda table: StaticResolver(standins.table))
    yield standins
    standins.close()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return make_site(tmp_path, {"schools.yaml": SCHOOLS_YAML, "site.yaml": read_fixture("site.yaml") + FAST})


def monitor(content: Path, *extra: str) -> tuple[int, str, str]:
    result = run_cli("monitor", "--content", str(content), "--as-of", "2026-03-01", *extra)
    return result.exit_code, result.stdout, result.stderr


def test_two_runs_keep_both_results_and_the_note_shows_the_change(
    sites: Standins, content: Path, tmp_path: Path
) -> None:
    code, out, err = monitor(content, "--allow-private")
    assert code == 1
    assert "Тест-ссылки: не выполнены обязательные критерии — Ссылки на документы работают" in err
    assert "Тест-без-сайта: сайт не указан в schools.yaml — сайт не проверялся" in out
    assert "  ✓ Раздел «500+» есть: раздел есть: http://complete.example.org/500plus/" in out
    first = content / "monitoring" / "2026-03-01.yaml"
    assert f"Результаты записаны в {first}" in out or "monitoring/2026-03-01.yaml" in out
    kept = first.read_bytes()
    assert check_cli(content).exit_code == 0

    # The school fixes its links; the next run the same day is a new file beside the first.
    sites.servers["broken.example.org"].route("/files/dorozhnaya-karta.pdf", PDF)
    sites.servers["broken.example.org"].route("/files/koncepciya.pdf", PDF)
    code, out, err = monitor(content, "--allow-private")
    assert code == 0, err
    assert sorted(p.name for p in (content / "monitoring").iterdir()) == [
        "2026-03-01-2.yaml",
        "2026-03-01.yaml",
    ]
    assert first.read_bytes() == kept

    output = tmp_path / "output"
    assert build_cli(content, output, "2026-03-01").exit_code == 0
    page = soup(output / "monitoring.html")
    shares = [td.get_text(strip=True) for td in page.select("table.note-table tfoot td")]
    assert shares[3] == "2 из 3 ОО (67\u00a0%)"  # links: both sites now, of three schools
    changes = [li.get_text(strip=True) for li in page.select("#note-changes + ul li")]
    assert "Тест-ссылки, «Ссылки на документы работают»: было «не выполнен», стало «выполнен»." in changes
    assert (
        "«Ссылки на документы работают»: было 1 из 3 ОО (33\u00a0%), стало 2 из 3 ОО (67\u00a0%)." in changes
    )
    summary = [p.get_text(strip=True) for p in page.select("#note-summary ~ p")]
    assert "Информацию о реализации проекта разместили 2 из 3 ОО (67\u00a0%)." in summary
    assert "Адрес официального сайта не указан в schools.yaml у 1 ОО: Тест-без-сайта." in summary


def test_internal_addresses_are_refused_without_allow_private(sites: Standins, content: Path) -> None:
    code, out, _ = monitor(content)
    assert code == 1
    assert "ведёт на внутренний адрес 127.0.0.1" in out
    assert all(not server.seen for server in sites.servers.values())


def test_required_criteria_decide_the_exit_code(sites: Standins, tmp_path: Path) -> None:
    site_yaml = read_fixture("site.yaml") + FAST + "  required: [site]\n"
    content = make_site(tmp_path, {"schools.yaml": SCHOOLS_YAML, "site.yaml": site_yaml})
    code, _, err = monitor(content, "--allow-private")
    assert code == 0, err


def test_schools_without_sites_are_named_and_nothing_is_invented(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    code, out, _ = monitor(content)
    assert code == 0
    for name in ("БСШ1", "ОСШ", "БСШ2", "ПСШ"):
        assert f"{name}: сайт не указан в schools.yaml — сайт не проверялся" in out
    assert (content / "schools.yaml").read_bytes() == (REPO / "content" / "schools.yaml").read_bytes()
    assert (content / "monitoring" / "2026-03-01.yaml").is_file()
    assert check_cli(content).exit_code == 0


def test_no_schools_nothing_to_monitor(tmp_path: Path) -> None:
    content = make_site(tmp_path, {"schools.yaml": None})
    code, out, _ = monitor(content)
    assert code == 0
    assert "мониторить нечего" in out
    assert not (content / "monitoring").exists()


def test_broken_content_is_reported_not_crawled(tmp_path: Path) -> None:
    content = make_site(tmp_path, {"schools.yaml": "schools:\n- id: Плохой код\n  short_name: X\n"})
    code, _, err = monitor(content)
    assert code == 1
    assert "schools.yaml:2:" in err
    assert "Traceback" not in err
