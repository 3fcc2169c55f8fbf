"""bench/__main__.py: earlier builds' folders are moved aside while the benchmark times, deleted at its end, and
the measured code runs from its bytecode."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import bench.__main__ as bench_main
from bench import measure


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


def test_the_measured_code_has_its_bytecode_written_even_where_python_would_not(tmp_path: Path) -> None:
    package = tmp_path / "site_builder" / "inner"
    package.mkdir(parents=True)
    (package / "module.py").write_text("VALUE = 1\n", encoding="utf-8")
    measure.compile_code(tmp_path)
    assert [path.name for path in (package / "__pycache__").iterdir()] == [
        f"module.{sys.implementation.cache_tag}.pyc"
    ]
