"""The order the workers make files in: one entry's files together, a report's right after its roadmap's."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from pathlib import Path

import pytest

from bench.corpus import AS_OF, generate, write_site_builder
from site_builder.build import workers
from site_builder.build.pipeline import plan_site
from site_builder.model.site import load_site
from site_builder.render.environment import make_environment


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
    monkeypatch.setattr(workers, "_make", made.extend)
    workers.make_files(work, workers=1)
    outputs = [(work.pages if kind == "page" else work.downloads)[index][0].output for kind, index in made]
    owners = {f"roadmaps/{entry.slug}": entry.slug for entry in site.roadmaps}
    owners |= {f"reports/{report.slug}": report.slug for report in site.reports}
    # Files of no entry (the landing page, made with the first roadmap's) left out.
    of_entries = [owners[stem] for stem in (output.split(".")[0] for output in outputs) if stem in owners]
    runs = [owner for owner, _ in groupby(of_entries)]
    assert sorted(runs) == sorted(owners.values())  # each entry's files in one run
    for report in site.reports:
        if report.roadmap:
            before = runs[runs.index(report.slug) - 1]
            assert before == report.roadmap.slug or before in {
                r.slug for r in site.reports if r.roadmap is report.roadmap
            }
