"""How files are named in messages: relative to the working directory or the content folder, folders' links
resolved but not the file's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.core.errors import Folders, display_path


def test_a_pass_over_many_files_names_each_as_display_path_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "site" / "content"
    (content / "roadmaps").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (content / "reports").symlink_to(tmp_path / "elsewhere")
    (content / "roadmaps" / "own.yaml").symlink_to(tmp_path / "elsewhere" / "missing.yaml")
    monkeypatch.chdir(tmp_path / "site")
    paths = [
        content / "roadmaps" / "a.yaml",
        content / "roadmaps" / "own.yaml",  # a link: keeps its own name
        content / "reports" / "b.yaml",  # in a linked folder: named where the folder points
        Path("content/roadmaps/c.yaml"),
        Path("content/roadmaps/../reports/d.yaml"),
        tmp_path / "outside.yaml",
        Path("/"),
    ]
    folders = Folders()
    for root in (content, None):
        shown = [display_path(path, root) for path in paths]
        assert [display_path(path, root, folders) for path in paths] == shown
        assert [display_path(path, root, folders) for path in reversed(paths)] == shown[::-1]
    assert display_path(content / "roadmaps" / "own.yaml", content, folders) == "content/roadmaps/own.yaml"
    linked = content / "reports" / "b.yaml"  # resolved outside both: named as given
    assert display_path(linked, content, folders) == linked.as_posix()
