"""What the importer tells the editor: every guess, merge and leftover, with the source row it comes from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Finding:
    """One remark about the source; an error means the written YAML needs a hand fix before `check` passes."""

    line: int
    message: str
    error: bool = False

    def format(self, shown: str) -> str:
        prefix = "" if self.error else "предупреждение: "
        return f"{shown}:{self.line}: {prefix}{self.message}"


@dataclass
class Findings:
    items: list[Finding] = field(default_factory=list)

    def warn(self, line: int, message: str) -> None:
        self.items.append(Finding(line, message))

    def error(self, line: int, message: str) -> None:
        self.items.append(Finding(line, message, error=True))

    @property
    def has_errors(self) -> bool:
        return any(finding.error for finding in self.items)

    def sorted(self) -> list[Finding]:
        return sorted(set(self.items))
