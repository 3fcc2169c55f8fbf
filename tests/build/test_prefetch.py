"""Reading roadmaps and reports in worker processes before the load: the same site, every problem, no work lost."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import generate, write_site_builder
from site_builder.build import caches
from site_builder.build.caches import ParsedFiles
from site_builder.build.prefetch import Prefetched, _Recorder, prefetch
from site_builder.core.errors import ContentError
from site_builder.model import packed
from site_builder.model.site import ReportEntry, Roadmap, RoadmapEntry, Site, load_site, read_entry_file
from tests.helpers.sites import check_cli


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


def _prefetched(content: Path) -> Prefetched:
    """The memo once every worker has finished."""
    with prefetch(content, None, workers=2) as memo:
        assert isinstance(memo, Prefetched)
        memo.settle()
    return memo


@pytest.mark.usefixtures("small_thresholds")
def test_the_load_takes_every_answer_from_the_workers_while_they_read(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import site_builder.model.site as model

    expected = _models(load_site(content))
    read: list[str] = []
    real = model._read_valid

    def recorded(path: Path, shown: str, kind: Any) -> Any:
        read.append(path.parent.name)
        return real(path, shown, kind)

    with prefetch(content, None, workers=2) as memo:
        assert isinstance(memo, Prefetched)
        monkeypatch.setattr(model, "_read_valid", recorded)  # the workers were forked before: only the load's
        site = load_site(content, memo)
    assert {kind for _, kind in memo.answers} == {
        "Roadmap",
        "schedules",
        "roadmap facts",
        "Report",
        "report facts",
    }
    assert _models(site) == expected
    assert read and not {"roadmaps", "reports"} & set(read)  # nothing of a roadmap or report read again


@pytest.mark.usefixtures("small_thresholds")
def test_entries_loaded_from_the_workers_answers_hold_only_their_pickles(content: Path) -> None:
    site = load_site(content, _prefetched(content))
    entries: list[RoadmapEntry | ReportEntry] = [*site.roadmaps, *site.reports]
    assert len(entries) > packed.KEPT
    assert all(entry._live is None for entry in entries)  # made from their facts: no content unpickled
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
    _edit(broken / "roadmaps" / "synthetic-00005.yaml", "number: '1.2.'", "number: '1.1'")
    _edit(broken / "reports" / "synthetic-00006-report.yaml", "number: '1.2'", "number: '9.9.'")
    _edit(broken / "reports" / "synthetic-00008-report.yaml", "roadmap: synthetic-00008", "roadmap: no-such")
    with pytest.raises(ContentError) as plain:
        load_site(broken)
    with pytest.raises(ContentError) as prefetched:
        load_site(broken, _prefetched(broken))
    messages = "\n".join(problem.message for problem in plain.value.problems)
    for found in (
        "повторяется в дорожной карте",
        "нет мероприятия с номером «9.9.»",
        "нет дорожной карты «no-such»",
    ):
        assert found in messages  # each file's own problems, and those across files
    assert prefetched.value.problems == plain.value.problems
    checked = check_cli(broken)  # `check` loads a large site this way too
    assert checked.exit_code == 1
    assert all(f"{problem.line}:{problem.col}" in checked.output for problem in plain.value.problems)


def test_a_reader_passes_on_what_the_parsed_cache_holds_without_unpacking_it(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "content"
    (folder / "roadmaps").mkdir(parents=True)
    kept, broken = folder / "roadmaps" / "kept.yaml", folder / "roadmaps" / "broken.yaml"
    kept.write_bytes((content / "roadmaps" / "synthetic-00001.yaml").read_bytes())
    broken.write_text("title: Дорожная карта без года\n", encoding="utf-8")
    store = tmp_path / "parsed.sqlite3"
    first = _Recorder(ParsedFiles(store))
    for path in (kept, broken):
        read_entry_file(first, folder, path, Roadmap)
    assert first.parsed is not None
    first.parsed.flush()

    def refused(data: bytes) -> object:
        raise AssertionError("распаковано")

    monkeypatch.setattr(caches, "unpacked", refused)
    again = _Recorder(ParsedFiles(store))
    assert again.recorded(kept, Roadmap)
    assert again.answers == {key: data for key, data in first.answers.items() if key[0] == str(kept)}
    assert again.parsed is not None and again.parsed.models == {str(kept): first.parsed.models[str(kept)]}
    assert not again.recorded(broken, Roadmap)  # no facts for a file with problems: read as before
    _edit(kept, "year: ", "year: 1")
    assert not again.recorded(kept, Roadmap)  # another file now
    assert len(again.answers) == 3


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


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
    with prefetch(content, None) as memo:
        assert memo is None
