"""bench/__main__.py: earlier builds' folders are moved aside while the benchmark times, deleted at its end."""

from __future__ import annotations

from pathlib import Path

import pytest

import bench.__main__ as bench_main


def test_a_discarded_folder_keeps_its_files_until_the_trash_is_emptied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench_main, "TRASH", tmp_path / "trash")
    first, second = tmp_path / "out" / "site-builder", tmp_path / "out" / "hugo"
    for folder in (first, second):
        (folder / "roadmaps").mkdir(parents=True)
        (folder / "roadmaps" / "a.html").write_text(folder.name)
    bench_main.discard(first)
    bench_main.discard(second)
    bench_main.discard(tmp_path / "never-built")  # nothing to move: no error
    assert not first.exists() and not second.exists()
    kept = sorted(path.read_text() for path in (tmp_path / "trash").rglob("a.html"))
    assert kept == ["hugo", "site-builder"]  # nothing deleted, two names that do not collide
    bench_main.empty_trash()
    assert not (tmp_path / "trash").exists()
