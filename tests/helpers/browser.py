"""What the browser tests share besides their fixtures: the page types, an open tab, artifact files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.helpers.sites import REPO

ARTIFACTS = REPO / "test-artifacts"
LOW_VISION_ON = "Версия для слабовидящих"
LOW_VISION_OFF = "Обычная версия"


@dataclass(frozen=True)
class PageType:
    site: str
    path: str

    @property
    def address(self) -> str:
        return f"{self.site}/{self.path}"


# Every kind of page the site has, and the served site that shows it (see `served_root`).
PAGE_TYPES = {
    "landing": PageType("balakhta", "index.html"),
    "roadmap": PageType("balakhta", "roadmaps/balakhta-2022.html"),
    "report": PageType("shakhty", "reports/shakhty-2022-2.html"),
    "schools": PageType("balakhta", "schools.html"),
    "markdown": PageType("balakhta", "pages/prikaz-6a.html"),
    "not-found": PageType("balakhta", "404.html"),
    "monitoring": PageType("synthetic", "monitoring.html"),
    "link-report": PageType("shakhty", "links.html"),
}


@dataclass
class Tab:
    """An open page with the console errors it has produced (CSP violations among them)."""

    page: Any
    errors: list[str]


def artifact(*parts: str) -> Path:
    """A file under test-artifacts/ (git-ignored) for a person to look at: screenshots and PDFs."""
    path = ARTIFACTS.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
