"""The results file: block-style YAML that the content loader reads back, a new file per run, never overwritten."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from site_builder.content.loader import load_yaml
from site_builder.content.records.monitoring import MonitoringResults, order_key, results_yaml, write_results
from site_builder.content.validate import validate
from site_builder.core.errors import ContentError
from site_builder.model.site import load_site
from tests.helpers.samples import results
from tests.helpers.sites import check_cli, make_site

DAY = dt.date(2026, 3, 1)
SAMPLE = {"a": "+++++", "b": "+-???", "c": "-????"}


def test_yaml_reads_back_through_the_content_loader_unchanged(tmp_path: Path) -> None:
    original = results(DAY, SAMPLE)
    path = write_results(tmp_path, original)
    value, problems = validate(load_yaml(path, path.name), MonitoringResults)
    assert problems == []
    assert value == original


def test_yaml_is_block_style_unicode_without_aliases() -> None:
    text = results_yaml(results(DAY, SAMPLE))
    assert text.startswith("# Результаты мониторинга")
    assert "Дорожная карта «500+»: план" in text  # not \\u escapes
    assert "{" not in text and "&" not in text.replace("&amp;", "")
    assert "\nschools:\n- id: a\n" in text


def test_a_second_run_the_same_day_gets_a_new_file(tmp_path: Path) -> None:
    first = write_results(tmp_path, results(DAY, SAMPLE))
    before = first.read_bytes()
    second = write_results(tmp_path, results(DAY, {"a": "-????"}))
    third = write_results(tmp_path, results(DAY, {"a": "+????"}))
    assert [p.name for p in (first, second, third)] == [
        "2026-03-01.yaml",
        "2026-03-01-2.yaml",
        "2026-03-01-3.yaml",
    ]
    assert first.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "monitoring").iterdir()) == [
        "2026-03-01-2.yaml",
        "2026-03-01-3.yaml",
        "2026-03-01.yaml",
    ]  # no temporary files left behind


def test_runs_at_the_same_moment_never_share_a_file(tmp_path: Path) -> None:
    written: list[Path] = []
    workers = [
        threading.Thread(target=lambda: written.append(write_results(tmp_path, results(DAY, SAMPLE))))
        for _ in range(8)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len({path.name for path in written}) == 8


def test_results_are_ordered_by_date_then_run_number() -> None:
    stems = ["2026-03-01-10", "2026-03-01", "2026-02-28", "2026-03-01-2", "2026-03-01-9"]
    ordered = sorted(stems, key=lambda stem: order_key(stem, dt.date.fromisoformat(stem[:10])))
    assert ordered == ["2026-02-28", "2026-03-01", "2026-03-01-2", "2026-03-01-9", "2026-03-01-10"]


def test_site_loads_results_oldest_first_and_check_passes(tmp_path: Path) -> None:
    content = make_site(tmp_path)
    for day, rows in ((DAY, SAMPLE), (dt.date(2026, 2, 1), {"a": "+-???"}), (DAY, {"a": "-????"})):
        write_results(content, results(day, rows))
    site = load_site(content)
    assert [entry.source.path.name for entry in site.monitoring] == [
        "2026-02-01.yaml",
        "2026-03-01.yaml",
        "2026-03-01-2.yaml",
    ]
    assert check_cli(content).exit_code == 0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("schools:", "reviewer: Тестова\nschools:"), "reviewer"),
        (("outcome: выполнен", "outcome: почти"), "outcome"),
        (("url: https://a.example.org/files/roadmap.pdf", "url: javascript:alert(1)"), "javascript"),
    ],
)
def test_a_broken_results_file_is_a_content_error_with_its_place(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    content = make_site(tmp_path)
    path = write_results(content, results(DAY, SAMPLE))
    path.write_text(path.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_site(content)
    [problem] = caught.value.problems
    assert problem.path.endswith("monitoring/2026-03-01.yaml")
    assert problem.line > 3
    assert message in problem.message
    result = check_cli(content)
    assert result.exit_code == 1
    assert "monitoring/2026-03-01.yaml:" in result.stderr


def test_school_criteria_must_match_the_criteria_list(tmp_path: Path) -> None:
    content = make_site(tmp_path)
    path = write_results(content, results(DAY, {"a": "+++++"}))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- id: fresh\n", "- id: fresh_removed\n"), encoding="utf-8")
    with pytest.raises(ContentError):
        load_site(content)
