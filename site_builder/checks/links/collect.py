"""What to check and where it stands: links of the content model, or links and images of a built site.

Also the content lint that needs no network: evidence lines without a URL and near-duplicate URLs (same host
and path but for a character or two — the usual sign of a typo in a copied file id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from site_builder.checks.links.classify import LinkResult, now_utc
from site_builder.checks.links.urls import normalize, scheme_of
from site_builder.content.links import LinkRef, missing_url, near_duplicate
from site_builder.content.settings.link_check import LinkStatus
from site_builder.core.addresses import FRAGMENT_SUFFIX
from site_builder.core.errors import Problem, display_path
from site_builder.core.urls import near_duplicates as near_url_pairs

INTERNAL_PAGE_LINK = "внутренняя ссылка страницы: проверяется по собранному сайту (check-links --site)"
# Attributes that hold a link or an image in a built page.
LINK_ATTRIBUTES = {
    "a": "href", "area": "href", "img": "src", "link": "href", "script": "src", "source": "src",
    "iframe": "src", "video": "src", "audio": "src", "track": "src", "embed": "src", "object": "data",
}  # fmt: skip


@dataclass
class Collection:
    """Links to check over the network, links already decided here, and lint found on the way."""

    refs: list[LinkRef] = field(default_factory=list)
    decided: list[tuple[LinkRef, LinkResult]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: Collection) -> None:
        self.refs.extend(other.refs)
        self.decided.extend(other.decided)
        self.problems.extend(other.problems)


def collect_content(content_dir: Path) -> Collection:
    """Every URL of the content; raises ContentError when the content itself does not load."""
    from site_builder.model.site import load_site

    return collect_refs(load_site(content_dir).links())


def collect_refs(refs: list[LinkRef]) -> Collection:
    collection = Collection()
    for ref in refs:
        if not ref.url.strip():
            collection.problems.append(missing_url(ref))
        elif ref.kind == "page" and _is_relative(ref.url):
            skipped = LinkResult(
                ref.url.strip(), LinkStatus.SKIPPED, INTERNAL_PAGE_LINK, checked_at=now_utc()
            )
            collection.decided.append((ref, skipped))
        else:
            collection.refs.append(ref)
    collection.problems.extend(near_duplicates(collection.refs))
    return collection


def _is_relative(url: str) -> bool:
    text = url.strip()
    return not scheme_of(text) and not text.startswith("//")


def near_duplicates(refs: list[LinkRef]) -> list[Problem]:
    """URLs on one host whose paths differ by a typo in one id; rule and wording shared with `check`."""
    first: dict[str, LinkRef] = {}
    for ref in sorted(refs):
        first.setdefault(normalize(ref.url), ref)
    return [
        near_duplicate(first[pair.first], first[pair.second], pair.distance) for pair in near_url_pairs(first)
    ]


@dataclass
class _SitePages:
    """Built HTML files and the ids each one holds, read on demand."""

    root: Path
    base_path: str  # URL path the site is published under, e.g. "/obr/500/"; "/" at the root
    ids: dict[Path, set[str]] = field(default_factory=dict)

    def target(self, page: Path, href: str) -> tuple[Path, str] | None:
        """The file and fragment an internal href points to, or None when it leaves the site folder."""
        if href.startswith("/") and href.startswith(self.base_path):
            href = "/" + href[len(self.base_path) :]
        resolved = urlsplit(urljoin("/" + page.relative_to(self.root).as_posix(), href))
        path = unquote(resolved.path)
        pure = PurePosixPath(path)
        if ".." in pure.parts:
            return None
        file = self.root.joinpath(*pure.parts[1:])
        if path.endswith("/") or file.is_dir():
            file = file / "index.html"
        return file, resolved.fragment

    def ids_of(self, file: Path) -> set[str]:
        if file not in self.ids:
            self.ids[file] = _ids(_soup(file))
        return self.ids[file]


def _soup(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text(encoding="utf-8", errors="replace"), "html.parser")


def _ids(soup: BeautifulSoup) -> set[str]:
    found = {str(tag["id"]) for tag in soup.find_all(id=True)}
    return found | {str(tag["name"]) for tag in soup.find_all("a", attrs={"name": True})}


def collect_site(site_dir: Path, base_url: str | None = None) -> Collection:
    """Every link and image of the HTML files under `site_dir`; internal ones are resolved here."""
    base = urlsplit(base_url) if base_url else None
    base_path = (base.path.rstrip("/") + "/") if base else "/"
    pages = _SitePages(site_dir, base_path)
    collection = Collection()
    # A CMS fragment repeats its page's links for pasting elsewhere: each would be reported twice.
    for page in sorted(path for path in site_dir.rglob("*.html") if not path.name.endswith(FRAGMENT_SUFFIX)):
        shown = display_path(page)
        soup = _soup(page)
        pages.ids[page] = _ids(soup)
        title_tag = soup.find("title")
        owner = title_tag.get_text(" ", strip=True) if isinstance(title_tag, Tag) else ""
        for tag in soup.find_all(LINK_ATTRIBUTES.keys()):
            value = tag.get(LINK_ATTRIBUTES[tag.name])
            if not isinstance(value, str) or not value.strip() or value.strip().startswith("data:"):
                continue
            href = value.strip()
            ref = LinkRef(href, shown, tag.sourceline or 1, (tag.sourcepos or 0) + 1, "site",
                          tag.get_text(" ", strip=True)[:120], owner, page.relative_to(site_dir).as_posix())  # fmt: skip
            absolute = _absolute_internal(href, base_url)
            if absolute is not None:
                href = absolute
            elif not _is_relative(href):
                collection.refs.append(ref)
                continue
            collection.decided.append((ref, _internal_result(pages, page, href)))
    return collection


def _absolute_internal(href: str, base_url: str | None) -> str | None:
    """An absolute link into the published site itself, as a root-relative path."""
    if not base_url or not href.startswith(base_url.rstrip("/")):
        return None
    rest = href[len(base_url.rstrip("/")) :]
    return rest if rest.startswith(("/", "#", "?")) or not rest else None


def _internal_result(pages: _SitePages, page: Path, href: str) -> LinkResult:
    target = pages.target(page, href)
    now = now_utc()
    if target is None:
        return LinkResult(
            href, LinkStatus.BROKEN, "ссылка выходит за пределы собранного сайта", checked_at=now
        )
    file, fragment = target
    key = "/" + file.relative_to(pages.root).as_posix() + (f"#{fragment}" if fragment else "")
    if not file.is_file():
        shown = file.relative_to(pages.root).as_posix()
        return LinkResult(key, LinkStatus.BROKEN, f"в собранном сайте нет файла {shown}", checked_at=now)
    if fragment and file.suffix == ".html" and unquote(fragment) not in pages.ids_of(file):
        return LinkResult(
            key,
            LinkStatus.BROKEN,
            f"на странице нет места с id «{unquote(fragment)}» (#{fragment})",
            checked_at=now,
        )
    return LinkResult(key, LinkStatus.OK, "файл есть в собранном сайте", checked_at=now)
