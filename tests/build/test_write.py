"""The output swap: all or nothing, never outside output/, never over somebody else's folder."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import site_builder.build.write as write
from site_builder.build.write import MARKER, OutputRefused, safe_target, staged_output, write_output
from site_builder.core.atomic import share_new
from tests.helpers.sites import AS_OF, REPO, build_cli, first_build, leftovers, snapshot


@pytest.mark.parametrize(
    "relative", ["../x.html", "../../etc/passwd", "/etc/passwd", "a/../../x.html", "", ".", "a/.."]
)
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


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.EACCES, "нет прав на запись"), (errno.EIO, "ошибка системы EIO")],  # EIO: no words of our own
)
def test_failed_swap_puts_the_previous_output_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    output = make_previous(tmp_path)
    before = snapshot(output)
    real_replace = os.replace

    def replace(source: Path, target: Path) -> None:
        if Path(source).name.startswith(".output.staging"):
            raise OSError(code, os.strerror(code), str(target))
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", replace)
    refused = pytest.raises(OutputRefused, match=words)
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


# --- the lock and what killed builds leave ----------------------------------------------------------------------


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A content folder and a first build of it in output/, in the working directory."""
    monkeypatch.chdir(tmp_path)
    return first_build(tmp_path)


def start_paused_build(cwd: Path, signal_file: Path) -> subprocess.Popen[str]:
    """A real build that stops between its two renames (write._pause_for_tests) until it is killed."""
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
           "SITE_BUILDER_TEST_PAUSE_BETWEEN_RENAMES": str(signal_file)}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "build", "--as-of", AS_OF],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not signal_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the build did not reach the pause: {process.communicate()}")
        time.sleep(0.05)
    return process


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is POSIX")
def test_kill_between_the_renames_is_recovered_by_the_next_build(built: Path, tmp_path: Path) -> None:
    before = snapshot(built)
    process = start_paused_build(tmp_path, tmp_path / "paused")
    try:
        # Paused, it holds the lock: a second build at the same time stops and says why.
        second = build_cli(Path("content"), Path("output"))
        assert second.exit_code == 2, second.output
        assert f"сейчас собирает сайт другой запуск site-builder (процесс {process.pid})" in second.stderr
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
    assert not built.exists()  # the kill fell between the renames: the last good site is only in .previous-
    assert leftovers(tmp_path) == [
        f".output.previous-{process.pid}",
        f".output.staging-{process.pid}",
        "paused",
    ]
    (tmp_path / "paused").unlink()
    # Even a build that fails on its content puts the last good site back first.
    (Path("content") / "site.yaml").write_text("title: [\n", encoding="utf-8")
    assert build_cli(Path("content"), Path("output")).exit_code == 1
    assert snapshot(built) == before
    assert leftovers(tmp_path) == []


def test_leftovers_of_killed_builds_are_removed_and_look_alikes_kept(built: Path, tmp_path: Path) -> None:
    for name in (".output.staging-999999991", ".output.previous-999999992"):
        (tmp_path / name).mkdir()
        (tmp_path / name / MARKER).write_text("", encoding="utf-8")
        (tmp_path / name / "index.html").write_text("half a page", encoding="utf-8")
    (tmp_path / ".output.staging-notes").mkdir()  # not a name a build gives: somebody's own folder
    (tmp_path / ".output.previous-1.txt").write_text("мои заметки", encoding="utf-8")
    result = build_cli(Path("content"), Path("output"))
    assert result.exit_code == 0, result.output
    assert leftovers(tmp_path) == [".output.previous-1.txt", ".output.staging-notes"]
    assert "half a page" not in (built / "index.html").read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX; Windows takes the msvcrt branch")
def test_second_build_stops_while_another_holds_the_lock(built: Path, tmp_path: Path) -> None:
    import fcntl

    before = snapshot(built)
    with (tmp_path / ".output.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = build_cli(Path("content"), Path("output"))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Ошибка: в папку output сейчас собирает сайт другой запуск site-builder")
    assert "Traceback" not in result.output
    assert snapshot(built) == before
    assert build_cli(Path("content"), Path("output")).exit_code == 0  # released: the next build goes on


def test_a_staging_name_written_twice_is_refused_and_the_shared_file_kept(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    made = write_output(staging, "roadmaps/a.html", "<p>первая</p>")
    share_new(made, tmp_path / "cache" / "abcd")
    with pytest.raises(FileExistsError):
        write_output(staging, "roadmaps/a.html", "<p>вторая</p>")
    assert (tmp_path / "cache" / "abcd").read_text(encoding="utf-8") == "<p>первая</p>"
