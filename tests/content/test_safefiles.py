"""Hostile things in a content folder: each is refused with a located Russian error, and output/ stays as it was.

Links to themselves, named pipes, devices, folders named like files, links to nothing, unreadable files and folders,
a folder that is a file. The cases that used to block or eat memory run in a real process with a timeout, so a
regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.content.loader import read_text
from site_builder.core.errors import ContentError
from site_builder.core.safefiles import MAX_FILE_BYTES, read_file
from tests.helpers.sites import (
    AS_OF,
    build_cli,
    check_cli,
    first_build,
    make_site,
    read_fixture,
    run_process,
    snapshot,
)

# What a setup returns (write_bytes' count of bytes) is not used.
Setup = Callable[[Path], object]


def _replace_with_link_to_itself(path: Path) -> None:
    shutil.rmtree(path)
    path.symlink_to(path.name)


def _replace_with_file(path: Path) -> None:
    shutil.rmtree(path)
    path.write_text("это файл, а не папка\n", encoding="utf-8")


# name: how the content folder is spoilt, then the file shown in the error and words of its message.
CASES: list[tuple[str, Setup, str, str]] = [
    ("roadmap-link-to-itself", lambda c: (c / "roadmaps/loop.yaml").symlink_to("loop.yaml"),
     "roadmaps/loop.yaml", "ссылка (symlink) указывает сама на себя"),
    ("page-link-to-itself", lambda c: (c / "pages/loop.md").symlink_to("loop.md"),
     "pages/loop.md", "ссылка (symlink) указывает сама на себя"),
    ("reports-folder-link-to-itself", lambda c: _replace_with_link_to_itself(c / "reports"),
     "reports", "не удалось прочитать папку: ссылка (symlink) указывает сама на себя"),
    ("roadmaps-is-a-file", lambda c: _replace_with_file(c / "roadmaps"),
     "roadmaps", "это файл, а должна быть папка"),
    ("pages-is-a-file", lambda c: _replace_with_file(c / "pages"), "pages", "это файл, а должна быть папка"),
    ("dangling-link", lambda c: (c / "roadmaps/gone.yaml").symlink_to("nowhere.yaml"),
     "roadmaps/gone.yaml", "ведёт на «nowhere.yaml», а там ничего нет"),
    ("folder-named-like-a-file", lambda c: (c / "roadmaps/x.yaml").mkdir(), "roadmaps/x.yaml", "это папка, а не файл"),
    ("utf16-without-bom", lambda c: (c / "site.yaml").write_bytes(read_fixture("site.yaml").encode("utf-16-le")),
     "site.yaml", "UTF-16 без метки BOM"),
]  # fmt: skip


@pytest.fixture
def previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return first_build(tmp_path)


@pytest.mark.parametrize(("setup", "shown", "words"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_special_entry_is_a_located_error_and_output_is_kept(
    previous_output: Path, setup: Setup, shown: str, words: str
) -> None:
    before = snapshot(previous_output)
    setup(Path("content"))
    for result in (check_cli(Path("content")), build_cli(Path("content"), Path("output"))):
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"content/{shown}:1:1: ") and words in first, result.stderr
        assert result.stderr.splitlines()[1] == "Найдено ошибок: 1. Исправьте их и запустите команду снова."
    assert snapshot(previous_output) == before


def run_build(cwd: Path, *, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    """The real command in its own process, bounded: a FIFO or /dev/zero must not hang the suite if it regresses.

    `unprivileged`: as root, the process drops the capabilities that let root read any file, so a file with no
    read rights really cannot be read (setpriv, from util-linux).
    """
    prefix: tuple[str, ...] = ()
    if unprivileged and os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("as root without setpriv a file without rights can still be read")
        caps = "-dac_override,-dac_read_search"
        prefix = ("setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}")
    return run_process("build", "--as-of", AS_OF, cwd=cwd, prefix=prefix)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _replace_with_fifo(path: Path) -> None:
    path.unlink()
    _fifo(path)


BLOCKING: list[tuple[str, Setup, str, str]] = [
    ("fifo-in-pages", lambda c: _fifo(c / "pages/pipe.md"), "pages/pipe.md", "именованный канал (FIFO)"),
    ("fifo-in-roadmaps", lambda c: _fifo(c / "roadmaps/pipe.yaml"), "roadmaps/pipe.yaml", "именованный канал (FIFO)"),
    ("fifo-as-site-yaml", lambda c: _replace_with_fifo(c / "site.yaml"), "site.yaml", "(FIFO)"),
    ("link-to-dev-zero", lambda c: (c / "roadmaps/zero.yaml").symlink_to("/dev/zero"), "roadmaps/zero.yaml",
     "это устройство"),
    ("link-to-dev-urandom", lambda c: (c / "pages/random.md").symlink_to("/dev/urandom"), "pages/random.md",
     "это устройство"),
]  # fmt: skip


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev are POSIX")
@pytest.mark.parametrize(
    ("setup", "shown", "words"), [case[1:] for case in BLOCKING], ids=[c[0] for c in BLOCKING]
)
def test_pipe_or_device_neither_blocks_nor_eats_memory(
    previous_output: Path, setup: Setup, shown: str, words: str
) -> None:
    before = snapshot(previous_output)
    setup(Path("content"))
    completed = run_build(Path.cwd())
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stderr.startswith(f"content/{shown}:1:1: ") and words in completed.stderr, (
        completed.stderr
    )
    assert snapshot(previous_output) == before


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX file rights")
@pytest.mark.parametrize(
    ("target", "shown", "words"),
    [
        (
            "roadmaps/demo-2022.yaml",
            "roadmaps/demo-2022.yaml",
            "не удалось прочитать файл: нет прав на чтение",
        ),
        ("roadmaps", "roadmaps", "не удалось прочитать папку: нет прав на чтение"),
    ],
    ids=["unreadable-file", "unreadable-folder"],
)
def test_unreadable_file_or_folder_is_an_error_never_an_empty_site(
    previous_output: Path, target: str, shown: str, words: str
) -> None:
    before = snapshot(previous_output)
    (Path("content") / target).chmod(0)
    try:
        completed = run_build(Path.cwd(), unprivileged=True)
    finally:
        (Path("content") / target).chmod(0o755)
    assert completed.returncode == 1, completed.stderr
    assert "Permission denied" not in completed.stderr and "Traceback" not in completed.stderr
    assert completed.stderr.splitlines()[0].startswith(f"content/{shown}:1:1: {words}"), completed.stderr
    assert snapshot(previous_output) == before


def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(ContentError) as caught:
        read_file(path, "big.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (1, 1) and "файл слишком велик" in problem.message


def test_utf16_hint_is_not_windows_1251(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_bytes("title: «Проект»\norganisation: Управление\n".encode("utf-16-be"))
    with pytest.raises(ContentError) as caught:
        read_text(path, "site.yaml")
    [problem] = caught.value.problems
    assert "UTF-16" in problem.message and "1251" not in problem.message


def test_zero_width_character_in_a_key_is_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = read_fixture("site.yaml").replace("title:", "ti\u200btle:", 1)
    assert text != read_fixture("site.yaml")
    make_site(tmp_path, {"site.yaml": text})
    result = check_cli(Path("content"))
    assert result.exit_code == 1
    assert "поле «ti[U+200B]tle»" in result.stderr and "«title»" in result.stderr, result.stderr


def test_editor_lock_link_is_not_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Emacs marks a file being edited with a link to nowhere named «.#name»; the file itself is fine.
    monkeypatch.chdir(tmp_path)
    make_site(tmp_path)
    (Path("content") / "roadmaps/.#demo-2022.yaml").symlink_to("editor@host.1234:1700000000")
    assert check_cli(Path("content")).exit_code == 0


def test_file_whose_size_the_system_does_not_know_is_read_whole() -> None:
    # Files under /proc say they hold 0 bytes; the read takes what the file has, not what its size says.
    path = Path("/proc/self/mountinfo")
    data = read_file(path, "mountinfo")
    assert len(data) > 1 and data.endswith(b"\n")


def test_file_that_grows_past_the_cap_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "grown.yaml"
    path.write_bytes(b"title: x\n")
    real = os.fstat

    def fstat_then_grow(fd: int) -> os.stat_result:
        info = real(fd)
        with path.open("r+b") as file:
            file.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
        return info

    monkeypatch.setattr("site_builder.core.safefiles.os.fstat", fstat_then_grow)
    with pytest.raises(ContentError) as caught:
        read_file(path, "grown.yaml")
    [problem] = caught.value.problems
    assert "файл слишком велик" in problem.message
