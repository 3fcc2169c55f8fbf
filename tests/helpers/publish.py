"""Helpers for the publishing tests: our own crawl over a built site, and scratch copies of the repository."""

from __future__ import annotations

import datetime as dt
import posixpath
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder.build.site import build_site
from tests.helpers.html import soup
from tests.helpers.sites import REPO

FIXTURE = REPO / "tests" / "fixtures" / "publish"
BASE = "https://example.org/obrazovanie/500plus/"
AS_OF = "2023-04-01"
# What a clean checkout holds that a build needs; caches, the venv and earlier builds stay out of the copy.
CHECKOUT_PARTS = (
    "pyproject.toml",
    "netlify.toml",
    "Makefile",
    "README.md",
    "site_builder",
    "templates",
    "content",
)
URL_ATTRIBUTES = ("href", "src")


def repo_copy(root: Path) -> Path:
    """A scratch copy of the parts of the repository a clean checkout would have."""
    copy = root / "checkout"
    copy.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in CHECKOUT_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=ignore)
        else:
            shutil.copy2(source, copy / name)
    return copy


def build(content: Path, output: Path, base_url: str | None = BASE, as_of: str = AS_OF) -> Path:
    build_site(content, output, dt.date.fromisoformat(as_of), base_url)
    return output


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


@dataclass
class Crawl:
    """The outcome of checking every internal link of a built site."""

    checked: int = 0
    broken: list[str] = field(default_factory=list)
    root_relative: list[str] = field(default_factory=list)


class _Site:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._ids: dict[str, set[str]] = {}

    def ids(self, relative: str) -> set[str]:
        if relative not in self._ids:
            page = soup(self.root / relative)
            found = {str(tag["id"]) for tag in page.find_all(id=True)}
            found |= {str(tag["name"]) for tag in page.find_all("a", attrs={"name": True})}
            self._ids[relative] = found
        return self._ids[relative]

    def problem(self, relative: str, fragment: str) -> str | None:
        """Why an output path with a fragment does not resolve, or None when it does."""
        target = self.root / relative
        if relative.startswith("../") or relative == ".." or not target.is_file():
            return "нет такого файла"
        if fragment and relative.endswith(".html") and unquote(fragment) not in self.ids(relative):
            return f"на странице нет id «{fragment}»"
        return None


def _target(page: str, url: str, base_url: str | None) -> str | None:
    """The output path an internal URL points at, or None for an external address."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        absolute = url.split("#", 1)[0]
        if base_url and absolute.startswith(base_url):
            return unquote(absolute[len(base_url) :])
        return None
    if not parts.path:
        return page
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) + (
        "/" if parts.path.endswith("/") else ""
    )


def crawl(root: Path, base_url: str | None = None) -> Crawl:
    """Check every href/src of every built page: the file exists, and a #fragment names an id on that page.

    Relative links resolve against the page; absolute ones under `base_url` (the 404 page's) map back to output
    files; other hosts, mailto: and tel: are not ours to check. A link starting with «/» is reported apart: it
    would break the site under a sub-path.
    """
    site, result = _Site(root), Crawl()
    for path in html_files(root):
        page = path.relative_to(root).as_posix()
        for tag in soup(path).find_all(True):
            for attribute in URL_ATTRIBUTES:
                url = tag.get(attribute)
                if not isinstance(url, str) or urlsplit(url).scheme in ("mailto", "tel"):
                    continue
                if url.startswith("/") and not url.startswith("//"):
                    result.root_relative.append(f"{page}: {url}")
                    continue
                relative = _target(page, url, base_url)
                if relative is None:
                    continue
                if relative == "" or relative.endswith("/"):
                    relative += "index.html"
                result.checked += 1
                reason = site.problem(relative, urlsplit(url).fragment)
                if reason:
                    result.broken.append(f"{page}: {url} — {reason}")
    return result
