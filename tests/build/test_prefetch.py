"""Reading roadmaps and reports in worker processes before the load: the same site, every problem, no work lost."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from bench.corpus import generate, write_site_builder
from site_builder.build.prefetch import Prefetched, prefetch
from site_builder.core.errors import ContentError
from site_builder.model import packed
from site_builder.model.site import ReportEntry, RoadmapEntry, Site, load_site
from tests.helpers.sites import check_cli

T = TypeVar("T")


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site_builder(generate(8), tmp_path_factory.mktemp("site") / "content")


def _models(site: Site) -> tuple[object, ...]:
    return (
        [
            (e.slug, e.roadmap, e.schedules, e.source.doc.where(("sections", 0, "items", 1)))
            for e in site.roadmaps
        ],
        [(e.slug, e.report, e.narrative_html, e.roadmap and e.roadmap.slug) for e in site.reports],
    )


class _Asked:
    """A memo that computes everything and remembers the kinds it was asked for."""

    def __init__(self) -> None:
        self.kinds: list[str] = []

    def __call__(self, path: Path, kind: str, compute: Callable[[], T]) -> T:
        self.kinds.append(kind)
        return compute()


def _prefetched(content: Path) -> Prefetched:
    memo = prefetch(content, None, workers=2)
    assert isinstance(memo, Prefetched)
    return memo


@pytest.mark.usefixtures("small_thresholds")
def test_the_load_takes_every_answer_from_the_workers(content: Path) -> None:
    memo = _prefetched(content)
    kinds = {kind for _, kind in memo.answers}
    assert kinds == {"Roadmap", "schedules", "Report", "narrative"}
    memo.inner = asked = _Asked()
    site = load_site(content, memo)
    assert _models(site) == _models(load_site(content))
    assert not set(asked.kinds) & kinds  # nothing of a roadmap or report was read again by the load


@pytest.mark.usefixtures("small_thresholds")
def test_entries_loaded_from_the_workers_answers_hold_only_their_pickles(content: Path) -> None:
    site = load_site(content, _prefetched(content))
    entries: list[RoadmapEntry | ReportEntry] = [*site.roadmaps, *site.reports]
    held = [entry for entry in entries if entry._live is not None]
    assert len(entries) > packed.KEPT >= len(held)
    again = _models(site)  # every entry's content made again, some more than once, while KEPT stay held
    assert again == _models(load_site(content))
    assert sum(entry._live is not None for entry in entries) == packed.KEPT


@pytest.mark.usefixtures("small_thresholds")
def test_problems_found_in_the_workers_are_reported_as_the_load_reports_them(
    content: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "content"
    write_site_builder(generate(8), broken)
    roadmap = broken / "roadmaps" / "synthetic-00002.yaml"
    roadmap.write_text(roadmap.read_text(encoding="utf-8").replace("year: ", "year: двадцатый ", 1), "utf-8")
    (broken / "reports" / "synthetic-00004-report.yaml").write_text("title: [незакрытая\n", encoding="utf-8")
    with pytest.raises(ContentError) as plain:
        load_site(broken)
    with pytest.raises(ContentError) as prefetched:
        load_site(broken, _prefetched(broken))
    assert len(plain.value.problems) >= 2
    assert prefetched.value.problems == plain.value.problems
    checked = check_cli(broken)  # `check` loads a large site this way too
    assert checked.exit_code == 1
    assert all(f"{problem.line}:{problem.col}" in checked.output for problem in plain.value.problems)


@pytest.mark.usefixtures("small_thresholds")
def test_a_chunk_that_fails_in_a_worker_is_read_by_the_load_itself(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import site_builder.build.prefetch as module

    real = module.read_entry_file
    failing = os.fspath(content / "roadmaps" / "synthetic-00003.yaml")

    def flaky(memo: object, folder: Path, path: Path, model: type) -> None:
        if os.fspath(path) == failing:
            raise MemoryError("нехватка памяти в процессе")
        real(memo, folder, path, model)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "read_entry_file", flaky)
    memo = _prefetched(content)
    assert (failing, "Roadmap") not in memo.answers
    assert _models(load_site(content, memo)) == _models(load_site(content))


def test_a_small_site_is_loaded_without_workers(content: Path) -> None:
    assert prefetch(content, None) is None
