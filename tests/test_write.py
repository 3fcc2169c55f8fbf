"""The output swap: all or nothing, never outside output/, never over somebody else's folder."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from site_builder import write
from site_builder.write import MARKER, OutputRefused, safe_target, staged_output
from tests.sitefactory import snapshot


@pytest.mark.parametrize("relative", ["../x.html", "../../etc/passwd", "/etc/passwd", "a/../../x.html", ""])
def test_safe_target_stays_inside(tmp_path: Path, relative: str) -> None:
    with pytest.raises(ValueError):
        safe_target(tmp_path / "out", relative)


def test_safe_target_inside(tmp_path: Path) -> None:
    assert safe_target(tmp_path, "roadmaps/a.html") == (tmp_path / "roadmaps" / "a.html").resolve()


def make_previous(tmp_path: Path) -> Path:
    output = tmp_path / "output"
    output.mkdir()
    (output / MARKER).write_text("", encoding="utf-8")
    (output / "index.html").write_text("старая", encoding="utf-8")
    return output


def test_success_replaces_everything(tmp_path: Path) -> None:
    output = make_previous(tmp_path)
    with staged_output(output, tmp_path / "content") as staging:
        (staging / "new.html").write_text("новая", encoding="utf-8")
    assert sorted(snapshot(output)) == [MARKER, "new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_failed_swap_puts_the_previous_output_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = make_previous(tmp_path)
    before = snapshot(output)
    real_replace = os.replace

    def replace(source: Path, target: Path) -> None:
        if Path(source).name.startswith(".output.staging"):
            raise OSError(errno.EACCES, "Permission denied", str(target))
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", replace)
    refused = pytest.raises(OutputRefused, match="нет прав на запись")
    with refused, staged_output(output, tmp_path / "content") as staging:
        (staging / "new.html").write_text("новая", encoding="utf-8")
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_interrupted_build_leaves_no_staging(tmp_path: Path) -> None:
    output = make_previous(tmp_path)
    before = snapshot(output)
    with pytest.raises(KeyboardInterrupt), staged_output(output, tmp_path / "content") as staging:
        (staging / "half.html").write_text("половина", encoding="utf-8")
        raise KeyboardInterrupt
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
