"""The editor's files and folders, opened only when they are what their names promise.

A content folder may hold anything a file system allows: a link to itself, a named pipe (FIFO) that blocks whoever
opens it, a link to /dev/zero that never ends, a folder called «x.yaml», a link to nothing. Each is refused with a
sentence saying what it is, decided by `stat` before anything is opened; a regular file is read up to
MAX_FILE_BYTES at most, so no file can take the memory of the machine.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from site_builder.core.errors import ContentError, Problem

MAX_FILE_BYTES = 8 * 1024 * 1024  # the largest real roadmap is a few hundred kilobytes

_NOT_A_FILE = {
    stat.S_IFDIR: "это папка, а не файл: переименуйте её, чтобы имя не кончалось на .yaml, .yml или .md",
    stat.S_IFIFO: "это именованный канал (FIFO), а не файл с текстом: удалите его и положите обычный файл",
    stat.S_IFCHR: "это устройство (например, /dev/zero), а не файл с текстом: удалите ссылку на него",
    stat.S_IFBLK: "это устройство (диск), а не файл с текстом: удалите ссылку на него",
    stat.S_IFSOCK: "это сокет, а не файл с текстом: удалите его",
}


def os_reason(error: OSError, path: Path) -> str:
    """Why a file or folder could not be read, in words an editor can act on."""
    if error.errno == errno.ELOOP:
        return "ссылка (symlink) указывает сама на себя или по кругу на другие ссылки — замените её настоящим файлом"
    if error.errno == errno.ENOENT and os.path.islink(path):
        return f"ссылка (symlink) ведёт на «{os.readlink(path)}», а там ничего нет — исправьте или удалите ссылку"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "нет прав на чтение — откройте доступ к нему для пользователя, который запускает site-builder"
    if error.errno == errno.ENOENT:
        return "его нет (удалён во время чтения?)"
    if error.errno == errno.ENOTDIR:
        return "часть пути — файл, а не папка"
    if error.errno == errno.EIO:
        return "ошибка чтения с диска"
    return system_error(error)


def system_error(error: OSError) -> str:
    """An error without words of its own, named by its code (the system's text would be English)."""
    return f"ошибка системы {errno.errorcode.get(error.errno or 0, error.errno)}"


def _refused(shown: str, message: str) -> ContentError:
    return ContentError([Problem(shown, 1, 1, message)])


def _too_big(shown: str, size: int) -> ContentError:
    megabytes = MAX_FILE_BYTES // (1024 * 1024)
    return _refused(
        shown,
        f"файл слишком велик ({size / 1024 / 1024:.1f} МБ, можно не больше {megabytes} МБ): "
        "разделите его на несколько файлов",
    )


def read_file(path: Path, shown: str) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; anything else is a ContentError at `shown`:1:1."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise _refused(shown, _NOT_A_FILE.get(stat.S_IFMT(info.st_mode), "это не обычный файл"))
        if info.st_size > MAX_FILE_BYTES:
            raise _too_big(shown, info.st_size)
        # Non-blocking: a FIFO put in the file's place after the stat above cannot block the open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as file:
            opened = os.fstat(file.fileno())
            if not stat.S_ISREG(opened.st_mode):
                raise _refused(shown, _NOT_A_FILE.get(stat.S_IFMT(opened.st_mode), "это не обычный файл"))
            # As many bytes as the file has, and one more to see it end: a read of the cap itself allocates
            # 8 MB first, which took three quarters of the time of reading a roadmap.
            data = file.read(min(opened.st_size, MAX_FILE_BYTES) + 1)
            if len(data) > opened.st_size:  # grown since, or a size the system does not know (/proc): read on
                data += file.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as error:
        raise _refused(shown, f"не удалось прочитать файл: {os_reason(error, path)}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(shown, len(data))
    return data


def list_folder(folder: Path, shown: str) -> list[str]:
    """The sorted names in a content folder; none when it does not exist, a ContentError when it cannot be listed.

    A folder that is a file, a broken link or unreadable is an error, never an empty folder: building from it
    would replace the published section with one that silently lacks its pages.
    """
    try:
        with os.scandir(folder) as listing:
            return sorted(entry.name for entry in listing)
    except NotADirectoryError:
        reason = "это файл, а должна быть папка с файлами содержимого"
    except FileNotFoundError as error:
        if not os.path.islink(folder):
            return []
        reason = os_reason(error, folder)
    except OSError as error:
        reason = os_reason(error, folder)
    raise _refused(shown, f"не удалось прочитать папку: {reason}")
