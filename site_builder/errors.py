"""Content problems with their source positions, reported as `path:line:col: message` lines."""

from __future__ import annotations

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


class ContentError(Exception):
    """Raised when the content cannot be built; carries every problem found in the run."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} ошибок в содержимом")
        self.problems = sorted(problems)


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the editor knows it: relative to the working directory when possible."""
    for base in (Path.cwd(), root):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()
