"""Writing the site: everything goes into a staging folder that replaces output/ only when the build succeeded."""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from site_builder.core.errors import SiteBuilderError
from site_builder.core.safefiles import system_error

MARKER = ".site-builder-output"


class OutputRefused(SiteBuilderError):
    """The output folder holds something that is not a previous build, or cannot be written: exit code 2."""


_OS_REASONS = {
    errno.ENOENT: "нет такой папки",
    errno.EACCES: "нет прав на запись",
    errno.EPERM: "нет прав на запись",
    errno.EROFS: "диск доступен только для чтения",
    errno.ENOSPC: "на диске не осталось места",
    errno.EEXIST: "на этом месте уже есть файл",
    errno.ENOTDIR: "часть пути — файл, а не папка",
}


def write_reason(error: OSError) -> str:
    """Why a file or folder could not be written, in words (the system's own text would be English)."""
    return _OS_REASONS.get(error.errno or 0) or system_error(error)


def _cannot_write(output: Path, error: OSError) -> OutputRefused:
    where = f" ({error.filename})" if error.filename else ""
    return OutputRefused(
        f"не удалось собрать сайт в папку {output}: {write_reason(error)}{where}. Прежний результат не изменён"
    )


def _check_target(output: Path, content: Path) -> None:
    out, src = output.resolve(), content.resolve()
    if out == src or out in src.parents or src in out.parents:
        raise OutputRefused(
            f"папка результата {output} не может совпадать с папкой содержимого, лежать в ней или содержать её"
        )
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"{output} — это файл, а не папка")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputRefused(
            f"папка {output} не пуста и не похожа на результат сборки: выберите другую папку (--output) "
            "или удалите её содержимое сами — site-builder не удаляет чужие файлы"
        )


def safe_target(root: Path, relative: str) -> Path:
    """The path of an output file, refusing anything that would land outside the output folder.

    Judged by the text of the path: the folders written into are the build's own (a new staging folder, the
    preview's), holding no link of anyone else's, and a national site writes 17,000 files, each of which a
    resolve() would look up component by component.
    """
    return Path(safe_name(root, relative))


def safe_name(root: Path, relative: str) -> str:
    """safe_target as text, for the thousands of files a build links from its cache."""
    normal = os.path.normpath(relative)
    if (
        not relative
        or os.path.isabs(normal)
        or normal == os.curdir
        or normal.split(os.sep, 1)[0] == os.pardir
    ):
        raise ValueError(f"путь {relative!r} выходит за пределы папки результата")
    return os.path.join(_resolved(root, os.getcwd()), normal)


@lru_cache(maxsize=16)
def _resolved(root: Path, cwd: str) -> str:  # by the working directory too: `root` may be relative
    return os.fspath(root.resolve())


def write_part(root: Path, relative: str, content: str | bytes | Path) -> tuple[Path, Path]:
    """Write one output file's content beside its place: (temporary file, target) for a later os.replace.

    Text is written as UTF-8, bytes as they are, a Path is copied byte for byte. Renaming into place later means a reader (the
    preview server) never sees half a file, and a preview rebuild can drop all its parts when a page fails.
    """
    target = safe_target(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    if isinstance(content, Path):
        shutil.copyfile(content, temporary)
    elif isinstance(content, bytes):
        temporary.write_bytes(content)
    else:
        temporary.write_text(content, encoding="utf-8")
    return temporary, target


def write_output(root: Path, relative: str, content: str | bytes | Path) -> Path:
    """Write one file into a build's staging folder (text as UTF-8, a Path copied); its path.

    Straight to its name: the folder is new, no one reads it before it is swapped in whole, and a failed
    build throws it away (a rename per file, as write_part makes for the preview's folder, is 17,000 of them).
    A name written twice is an error, never a write into the first file, which may share its bytes with the
    cache (core.atomic.share_new).
    """
    target = safe_target(root, relative)
    data = content.read_bytes() if isinstance(content, Path) else content
    try:
        _write_new(target, data)
    except FileNotFoundError:
        # The first file of its folder: the folder made beforehand would cost every file a call.
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_new(target, data)
    return target


def _write_new(target: Path, data: str | bytes) -> None:
    with open(target, "xb") as file:
        file.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def output_lock(output: Path, content: Path) -> Iterator[None]:
    """Hold `output` for one build: a second build at the same time stops with OutputRefused (exit code 2).

    The lock is the file `.<output>.lock` beside the folder, locked with flock (msvcrt.locking on Windows): the
    system releases it when the process ends in any way, kill -9 included, so a stale lock cannot exist and the
    file is left in place (deleting it would let two builds lock two different files). Holding the lock, the
    build then puts back what a killed build left behind (see _recover).
    """
    _check_target(output, content)
    lock = output.parent / f".{output.name}.lock"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise _cannot_write(output, error) from None
    try:
        _take(fd, output)
        yield
    finally:
        os.close(fd)  # releases the lock


def _take(fd: int, output: Path) -> None:
    try:
        locked = _try_lock(fd)
        if locked:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            _recover(output)
    except OSError as error:
        raise _cannot_write(output, error) from None
    if not locked:
        raise OutputRefused(
            f"в папку {output} сейчас собирает сайт другой запуск site-builder{_holder(fd)}: "
            "дождитесь, пока он закончит, и запустите сборку снова. Прежний результат не изменён"
        )


def _try_lock(fd: int) -> bool:
    """Lock without waiting: False when another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:  # EACCES or EDEADLOCK, both meaning «locked by another process»
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    """« (процесс N)» from the lock file, when the other build could write its number there."""
    try:
        pid = os.pread(fd, 32, 0).decode("ascii").strip() if hasattr(os, "pread") else ""
    except (OSError, UnicodeDecodeError):
        pid = ""
    return f" (процесс {pid})" if pid.isdigit() else ""


def _recover(output: Path) -> None:
    """Put back output/ and remove the folders a killed build left; called only while holding the lock.

    A build killed while rendering leaves its `.<output>.staging-<pid>`; one killed between its two renames
    leaves no output/ at all, the last good site sitting in `.<output>.previous-<pid>`. Holding the lock, no
    other build is running, so every such folder belongs to a dead one.
    """
    pattern = re.compile(rf"\.{re.escape(output.name)}\.(staging|previous)-[0-9]+")
    left = sorted(path for path in output.parent.iterdir() if pattern.fullmatch(path.name) and path.is_dir())
    builds = [path for path in left if ".previous-" in path.name and (path / MARKER).is_file()]
    if builds and not output.exists() and not output.is_symlink():
        os.replace(max(builds, key=lambda path: (path / MARKER).stat().st_mtime), output)
    for path in left:
        shutil.rmtree(path, ignore_errors=True)


def _pause_for_tests() -> None:
    """Tests kill -9 a build at its most dangerous moment, between the two renames (tests/build/test_write.py).

    Only when the environment names a file in SITE_BUILDER_TEST_PAUSE_BETWEEN_RENAMES: the build creates it and
    waits there a minute.
    """
    signal_file = os.environ.get("SITE_BUILDER_TEST_PAUSE_BETWEEN_RENAMES")
    if signal_file:
        Path(signal_file).touch()
        time.sleep(60)


@contextmanager
def staged_output(output: Path, content: Path) -> Iterator[Path]:
    """Yield a staging folder; on success it atomically becomes `output`, on failure it is removed.

    A file system error (no space, no rights, a file in the way) becomes OutputRefused, so the user gets a
    sentence instead of a traceback; either way the previous output stays as it was.
    """
    _check_target(output, content)
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    previous = output.parent / f".{output.name}.previous-{os.getpid()}"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
    except OSError as error:
        raise _cannot_write(output, error) from None
    try:
        yield staging
        (staging / MARKER).write_text(
            "Эта папка создана site-builder и заменяется при каждой сборке.\n", "utf-8"
        )
        if output.exists():
            os.replace(output, previous)
            _pause_for_tests()
        os.replace(staging, output)
    except BaseException as error:
        if previous.exists() and not output.exists():
            os.replace(previous, output)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise _cannot_write(output, error) from None
        raise
    shutil.rmtree(previous, ignore_errors=True)
