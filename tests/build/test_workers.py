"""The order the workers make files in: one entry's files together, a report's right after its roadmap's, the
landing page last, with the statuses the others worked out."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from collections.abc import Callable
from itertools import groupby
from pathlib import Path
from typing import TypeVar

import pytest

from bench.corpus import AS_OF, generate, write_site_builder
from site_builder.build import workers
from site_builder.build.pipeline import plan_site
from site_builder.build.site import build_site
from site_builder.model.site import load_site
from site_builder.render.environment import make_environment

T = TypeVar("T")


def test_a_reports_files_are_made_right_after_its_roadmaps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = write_site_builder(generate(6), tmp_path / "content")
    site = load_site(content)
    assert any(report.roadmap for report in site.reports)
    work = workers.plan_work(
        make_environment(), plan_site(site, dt.date.fromisoformat(AS_OF)), tmp_path, None
    )
    made: list[workers.Job] = []

    def make(jobs: list[workers.Job]) -> workers.Made:
        made.extend(jobs)
        return workers.Made({})

    monkeypatch.setattr(workers, "_make", make)
    workers.make_files(work, workers=1)
    outputs = [(work.pages if kind == "page" else work.downloads)[index][0].output for kind, index in made]
    assert outputs[-1] == "index.html"  # after the entries, whose statuses it lists
    owners = {f"roadmaps/{entry.slug}": entry.slug for entry in site.roadmaps}
    owners |= {f"reports/{report.slug}": report.slug for report in site.reports}
    # Files of no entry (404.html, robots.txt, the landing page) left out.
    of_entries = [owners[stem] for stem in (output.split(".")[0] for output in outputs) if stem in owners]
    runs = [owner for owner, _ in groupby(of_entries)]
    assert sorted(runs) == sorted(owners.values())  # each entry's files in one run
    for report in site.reports:
        if report.roadmap:
            before = runs[runs.index(report.slug) - 1]
            assert before == report.roadmap.slug or before in {
                r.slug for r in site.reports if r.roadmap is report.roadmap
            }


def _log_statuses(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Every roadmap status table worked out, and the landing page's views, written to `log` by the process
    (a file: the workers are other processes)."""
    from site_builder.render import pages, status

    def logged(name: str, work: Callable[..., T]) -> Callable[..., T]:
        def call(*args: object) -> T:
            with log.open("a", encoding="utf-8") as file:
                file.write(f"{os.getpid()} {name}\n")
            return work(*args)

        return call

    monkeypatch.setattr(status, "roadmap_status", logged("status", status.roadmap_status))
    monkeypatch.setattr(pages, "_index_views", logged("index", pages._index_views))


def _built_with_statuses_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: Path | None
) -> tuple[Path, list[tuple[int, str]]]:
    """A six-roadmap site built into tmp_path/output: its content folder, and (process, what) for every roadmap
    status table worked out and for the landing page's views, in order."""
    content = write_site_builder(generate(6), tmp_path / "content")
    log = tmp_path / "log"
    _log_statuses(monkeypatch, log)
    build_site(content, tmp_path / "output", dt.date.fromisoformat(AS_OF), cache=cache)
    lines = (line.split() for line in log.read_text(encoding="utf-8").splitlines())
    return content, [(int(pid), name) for pid, name in lines]


@pytest.mark.usefixtures("small_thresholds")
def test_the_landing_page_takes_the_statuses_the_workers_worked_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, logged = _built_with_statuses_logged(tmp_path, monkeypatch, tmp_path / "cache")
    (landing,) = [pid for pid, name in logged if name == "index"]
    assert landing == os.getpid()  # made here, after the workers
    assert (landing, "status") not in logged
    assert any(name == "status" for pid, name in logged if pid != landing)
    assert "synthetic-00001" in (tmp_path / "output" / "index.html").read_text(encoding="utf-8")


def test_one_process_works_out_each_roadmaps_status_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_FROM", 10**6)
    content, logged = _built_with_statuses_logged(tmp_path, monkeypatch, None)
    assert [name for _, name in logged].count("status") == len(load_site(content).roadmaps)
    assert logged[-1][1] == "index"


@pytest.mark.usefixtures("small_thresholds")
def test_a_rebuild_works_out_only_the_status_of_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages that come from the cache bring the progress the landing page lists (kept by their fingerprint):
    it shows the new progress of the roadmap whose report was edited, worked out where its files were made, and
    no other."""
    content = write_site_builder(generate(6), tmp_path / "content")
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "first", dt.date.fromisoformat(AS_OF), cache=cache)
    report = content / "reports" / "synthetic-00002-report.yaml"  # one more item done: a new progress
    report.write_text(report.read_text(encoding="utf-8").replace("status: в работе", "status: выполнено", 1))
    log = tmp_path / "log"
    _log_statuses(monkeypatch, log)
    build_site(content, tmp_path / "output", dt.date.fromisoformat(AS_OF), cache=cache)
    logged = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    worked_out = [
        pid for pid, name in logged if name == "status"
    ]  # the edited roadmap's, by its files' makers
    assert worked_out and str(os.getpid()) not in worked_out  # the landing page's process took the others'
    assert [str(os.getpid()), "index"] in logged
    build_site(content, tmp_path / "uncached", dt.date.fromisoformat(AS_OF), cache=None)
    landing = (tmp_path / "output" / "index.html").read_text(encoding="utf-8")
    assert landing != (tmp_path / "first" / "index.html").read_text(encoding="utf-8")  # the new progress
    assert landing == (tmp_path / "uncached" / "index.html").read_text(encoding="utf-8")


@pytest.mark.usefixtures("small_thresholds")
def test_progress_the_cache_holds_that_is_not_progress_is_worked_out_again(tmp_path: Path) -> None:
    content = write_site_builder(generate(6), tmp_path / "content")
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "first", dt.date.fromisoformat(AS_OF), cache=cache)
    (kept,) = cache.rglob(workers.PROGRESS)
    fingerprints = pickle.loads(kept.read_bytes())
    kept.write_bytes(pickle.dumps(dict.fromkeys(fingerprints, "выполнено 100 %")))  # what anyone could write
    report = content / "reports" / "synthetic-00002-report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("status: в работе", "status: выполнено", 1))
    build_site(content, tmp_path / "output", dt.date.fromisoformat(AS_OF), cache=cache)
    build_site(content, tmp_path / "uncached", dt.date.fromisoformat(AS_OF), cache=None)
    landing = (tmp_path / "output" / "index.html").read_text(encoding="utf-8")
    assert landing == (tmp_path / "uncached" / "index.html").read_text(encoding="utf-8")
