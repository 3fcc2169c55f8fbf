"""The benchmark's synthetic corpus: deterministic, marked as synthetic, valid content, and an equivalent Hugo site."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bench.corpus import AS_OF, ITEMS_PER_SECTION, MARK, SECTIONS, generate, write_site_builder
from bench.hugo import write_hugo
from site_builder.cli import main
from site_builder.model.site import load_site
from site_builder.render.pages import Assets, shared_context
from tests.helpers.builds import digest

N = 6


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site_builder(generate(N), tmp_path_factory.mktemp("corpus") / "content")


def test_same_seed_gives_the_same_bytes(content: Path, tmp_path: Path) -> None:
    again = write_site_builder(generate(N), tmp_path / "again")
    assert digest(again) == digest(content)


def test_a_smaller_corpus_is_the_start_of_a_larger_one(tmp_path: Path) -> None:
    small, large = generate(2), generate(N)
    assert small.roadmaps == large.roadmaps[:2]
    assert small.reports == large.reports[:1]


def test_another_seed_gives_other_texts() -> None:
    assert generate(2, seed=1).roadmaps != generate(2).roadmaps


def test_corpus_passes_check(content: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--content", str(content), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert not re.search(r":\d+:\d+: ", result.output), "the corpus should not even raise warnings"


def test_corpus_has_the_promised_shape(content: Path) -> None:
    site = load_site(content)
    assert len(site.roadmaps) == N
    assert len(site.reports) == N // 2
    assert len(site.schools) == N
    for entry in site.roadmaps:
        assert [len(section.items) for section in entry.roadmap.sections] == [ITEMS_PER_SECTION] * SECTIONS
        assert all(schedule.kind != "unknown" for schedule in entry.schedules.values())
    assert all(report.roadmap is not None for report in site.reports)


def test_every_file_and_address_is_marked_synthetic(content: Path) -> None:
    for path in content.rglob("*.y*ml"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# SYNTHETIC"), path
    site = load_site(content)
    assert MARK in site.config.organisation
    assert all(MARK in entry.roadmap.title for entry in site.roadmaps)
    hosts = {re.match(r"https://([^/]+)/", ref.url).group(1) for ref in site.links() if ref.url}  # type: ignore[union-attr]
    assert hosts and all(host == "example.org" or host.endswith(".example.org") for host in hosts)


def test_hugo_site_carries_the_same_texts(tmp_path: Path) -> None:
    corpus = generate(2)
    folder = write_hugo(corpus, tmp_path / "hugo")
    slug, roadmap = corpus.roadmaps[1]
    page = (folder / "content" / "roadmaps" / f"{slug}.md").read_text(encoding="utf-8")
    front = yaml.safe_load(page.split("---\n")[1])
    assert front["title"] == roadmap["title"]
    body_rows = [line for line in page.splitlines() if line.startswith("| ") and "---|" not in line]
    items = [item for section in roadmap["sections"] for item in section["items"]]
    for item in items:
        assert any(
            f"| {item['number']} | {item['activity']} | {item['deadline']} |" in row for row in body_rows
        )
    headers = [row for row in body_rows if row.startswith(f"| {roadmap['columns']['number']} |")]
    extra_rows = sum(len(item["rows"]) - 1 for item in items if "rows" in item)
    assert len(body_rows) - len(headers) == len(items) + extra_rows
    report_slug, report = corpus.reports[0]
    report_page = (folder / "content" / "reports" / f"{report_slug}.md").read_text(encoding="utf-8")
    for section in report["sections"]:
        for item in section["items"]:
            for link in item.get("evidence", []):
                assert f"]({link['url']})" in report_page


@pytest.mark.parametrize(("n", "listed"), [(12, True), (14, False)])
def test_a_large_site_links_the_lists_instead_of_every_roadmap(tmp_path: Path, n: int, listed: bool) -> None:
    """12 roadmaps and 6 reports are listed one by one; 14 and 7 (over render.NAVIGATION_LIMIT) are not."""
    site = load_site(write_site_builder(generate(n), tmp_path / "content"))
    navigation = dict(shared_context(site, dt.date.fromisoformat(AS_OF), Assets.scan())["navigation"])
    pages = [entry.url for entry in site.roadmaps] + [entry.url for entry in site.reports]
    assert all((url in navigation) is listed for url in pages)
    if not listed:
        assert navigation["index.html#roadmaps-heading"] == f"Дорожные карты ({n})"
        assert navigation["index.html#reports-heading"] == f"Отчёты ({n // 2})"
    assert navigation["schools.html"] == "Школы проекта"
