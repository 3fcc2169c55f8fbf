"""Errors and their exit codes, and content problems with their source positions (`path:line:col: message`).

Every failure a user can cause is a SiteBuilderError: the command line prints its Russian message (or, for
content, every problem) without a traceback and exits with the error's `exit_code` — the one map of DESIGN.md:
0 success, 1 content or check failures, 2 usage or environment errors.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the content: an error stops the build, a warning does not."""

    path: str
    line: int
    col: int
    message: str
    warning: bool = False

    def format(self) -> str:
        prefix = "предупреждение: " if self.warning else ""
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"


EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class SiteBuilderError(Exception):
    """A failure the command line reports in one Russian line and `exit_code`, never with a traceback."""

    exit_code = EXIT_USAGE


class ContentError(SiteBuilderError):
    """Raised when the content cannot be built; carries every problem found in the run."""

    exit_code = EXIT_FAILURE

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} ошибок в содержимом")
        self.problems = sorted(problems)


def display_path(path: Path, root: Path | None = None, folders: Folders | None = None) -> str:
    """A path as the editor knows it: relative to the working directory when possible.

    `folders` shows each folder once, for showing many files of a few folders (a load shows thousands).
    """
    if folders is not None and path.name not in ("", ".."):
        return folders.show(path, root)
    shown = _resolved(path)
    for base in (Path.cwd(), root):
        if base is None:
            continue
        try:
            return shown.relative_to(_resolved(base)).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _resolved(path: Path) -> Path:
    """The absolute path with the folders' links resolved but not the file's own: the name the editor sees.

    A link to nowhere or to itself keeps its own name too (RuntimeError: a symlink loop, which the reader reports).
    """
    try:
        return path.parent.resolve() / path.name if path.name not in ("", "..") else path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


class Folders:
    """display_path for one pass over many files, while the folders' links and the working directory stay."""

    _PROBE = "_"

    def __init__(self) -> None:
        self._shown: dict[tuple[Path, Path | None], str] = {}

    def show(self, path: Path, root: Path | None) -> str:
        # A file is shown as its folder is, followed by its name (the relative path is worked out from names
        # alone once the folder is resolved): the folder is shown once, through any file of it.
        key = (path.parent, root)
        folder = self._shown.get(key)
        if folder is None:
            folder = self._shown[key] = display_path(path.parent / self._PROBE, root).removesuffix(
                self._PROBE
            )
        return folder + path.name


def visible(text: str) -> str:
    """`text` for a message, with invisible characters (zero-width space, BOM, controls) shown as «[U+200B]».

    A key with a zero-width space pasted from a web page looks exactly like the right key otherwise.
    """
    return "".join(
        f"[U+{ord(char):04X}]" if char != " " and unicodedata.category(char) in _INVISIBLE else char
        for char in text
    )


_INVISIBLE = {"Cc", "Cf", "Co", "Cn", "Zs", "Zl", "Zp"}
