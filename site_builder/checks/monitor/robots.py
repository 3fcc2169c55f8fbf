"""robots.txt as RFC 9309 reads it: groups by product token, longest match wins, «*» and «$» in patterns.

The standard library's parser takes the first matching rule and reads «*» literally; Russian school sites often
use Yandex-style rules (`Disallow: /*?print=`, `Allow: /upload/*.pdf`), which need the standard's matching.
Matching is a greedy scan of the literal pieces between the «*», never a regular expression: a hostile
`Disallow: /*a*a*a*a*a*b` would make a backtracking matcher exponential in the number of wildcards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

PRODUCT_TOKEN = "site-builder"
_SAFE = "/*$?=&%:;@!,+~-._"


@dataclass(frozen=True)
class Rule:
    allow: bool
    pattern: str

    def matches(self, target: str) -> bool:
        return wildcard_match(self.pattern, target)


def wildcard_match(pattern: str, target: str) -> bool:
    """Whether `target` starts with `pattern`, «*» standing for any run of characters and a final «$» for the end.

    Taking the leftmost place of each literal piece is always right for «*»-only patterns (a later place could
    only leave less room for the pieces after it), so one `str.find` per piece decides: O(len(pattern) ×
    len(target)) at worst, with no backtracking.
    """
    anchored = pattern.endswith("$")
    pieces = (pattern[:-1] if anchored else pattern).split("*")
    first, *middle = pieces
    if not target.startswith(first):
        return False
    if not middle:
        return not anchored or target == first
    last = middle.pop()
    position = len(first)
    for piece in middle:
        found = target.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    if anchored:
        return len(target) - len(last) >= position and target.endswith(last)
    return target.find(last, position) >= 0


@dataclass
class Robots:
    """The rules that apply to this crawler; `everything` and `nothing` stand for a missing or failed file."""

    rules: list[Rule] = field(default_factory=list)
    crawl_delay: float | None = None
    note: str = ""  # why the rules are what they are, when that is not a plain robots.txt

    @classmethod
    def allow_all(cls, note: str = "") -> Robots:
        return cls([], None, note)

    @classmethod
    def disallow_all(cls, note: str) -> Robots:
        return cls([Rule(False, "/")], None, note)

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if target == "/robots.txt":
            return True
        best: Rule | None = None
        for rule in self.rules:
            if rule.matches(target) and (
                best is None
                or len(rule.pattern) > len(best.pattern)
                or (len(rule.pattern) == len(best.pattern) and rule.allow)
            ):
                best = rule
        return best is None or best.allow


@dataclass
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    delay: float | None = None


def _groups(text: str) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        name, sep, value = line.partition(":")
        if not sep:
            continue
        name, value = name.strip().lower(), value.strip()
        if name == "user-agent":
            if current is None or current.rules or current.delay is not None:
                current = _Group()
                groups.append(current)
            current.agents.append(value.lower())
        elif current is None:
            continue
        elif name in ("allow", "disallow") and value:
            current.rules.append(Rule(name == "allow", quote(value, safe=_SAFE)))
        elif name == "crawl-delay":
            try:
                current.delay = float(value.replace(",", "."))
            except ValueError:
                continue
    return groups


def parse_robots(text: str, token: str = PRODUCT_TOKEN) -> Robots:
    """The rules of the groups naming `token`, or of the «*» groups when none does."""
    groups = _groups(text)
    chosen = [group for group in groups if token in group.agents] or [g for g in groups if "*" in g.agents]
    delays = [group.delay for group in chosen if group.delay is not None]
    return Robots([rule for group in chosen for rule in group.rules], max(delays) if delays else None)
