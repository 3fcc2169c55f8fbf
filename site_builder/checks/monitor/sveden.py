"""The section «Сведения об образовательной организации»: found, crawled, and judged item by item.

The section is taken from a link on the home page (the menu) by its title — Gosweb sites keep it at
/svedeniya-ob-obrazovatelnoy-organizatsii/ — or at the recommended /sveden/. Each subsection is the link of the
section page named like it or ending in its slug, else the recommended /sveden/<slug>. The markup is read as the
official checker reads it (МР v9, section 5): every tag with an itemprop, its marked ancestors (a child may sit
anywhere inside its parent), and the addRef pages of a subsection merged into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html

from site_builder.checks.links.fetch import FetchResult
from site_builder.checks.links.urls import UrlProblem, parse_web_url
from site_builder.checks.monitor.crawl import SiteCrawl, parse_html, plain
from site_builder.content.settings.link_check import LinkStatus
from site_builder.content.settings.rulebook import Rulebook, SubsectionRule

MAX_ADD_REFS = 10  # МР v9, п. 3.1: «целесообразно использовать не более 10 таких тегов»
ABSENT_WORDS = ("отсутствует", "нет")  # МР v9, footnote 2 to table 3.2.1
COPY_TEXT = ("слабовидящ", "для незрячих", "для людей с нарушением зрения")
COPY_NAMES = ("special", "bvi", "visually", "impaired", "eye-version")
MINISTRIES = {"edu.gov.ru": "Минпросвещения России", "minobrnauki.gov.ru": "Минобрнауки России"}
LOGIN_WALL = (
    "страница открывается только после входа (логин и пароль): раздел должен быть доступен без регистрации "
    "(приказ № 1493, пп. 2–4)"
)


@dataclass(frozen=True)
class Mark:
    """A tag with an itemprop: its name, the itemprops of the marked tags around it, and its text."""

    itemprop: str
    ancestors: frozenset[str]
    text: str


@dataclass
class PageFacts:
    url: str
    marks: list[Mark] = field(default_factory=list)
    add_refs: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (absolute URL, plain lower-case text)
    lang: str = ""
    images_without_alt: list[str] = field(default_factory=list)
    has_copy: bool = False
    login_form: bool = False


def _is_copy(element: lxml.html.HtmlElement) -> bool:
    if "copy" in (element.get("itemprop") or "").split():
        return True
    label = " ".join(element.get(name) or "" for name in ("title", "aria-label"))
    text = plain(element.text_content() + " " + label).lower()
    names = " ".join([element.get("id") or "", element.get("class") or ""]).lower()
    return any(word in text for word in COPY_TEXT) or any(name in names for name in COPY_NAMES)


def inspect_page(fetch: FetchResult) -> PageFacts | None:
    """What the checks read from one HTML page; None when it is not HTML or does not parse."""
    parsed = parse_html(fetch)
    if parsed is None:
        return None
    root, base = parsed
    facts = PageFacts(url=fetch.final_url, lang=(root.get("lang") or root.get("xml:lang") or "").strip())
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        names = (element.get("itemprop") or "").split()
        if names:
            ancestors = frozenset(
                name for parent in element.iterancestors() for name in (parent.get("itemprop") or "").split()
            )
            content = plain(element.text_content() or element.get("href") or element.get("content") or "")
            facts.marks += [Mark(name, ancestors, content[:200]) for name in names]
        if element.tag == "a" and (href := (element.get("href") or "").strip()):
            try:
                url = parse_web_url(urljoin(base, href)).url
            except (UrlProblem, ValueError):
                url = ""
            if url:
                facts.links.append((url, plain(element.text_content()).lower()))
                if "addRef" in names and len(facts.add_refs) < MAX_ADD_REFS:
                    facts.add_refs.append(url)
        if element.tag == "img" and element.get("alt") is None:
            facts.images_without_alt.append(element.get("src") or "(без src)")
        if element.tag in ("a", "button") or "copy" in names:
            facts.has_copy = facts.has_copy or _is_copy(element)
        if element.tag == "input" and (element.get("type") or "").lower() == "password":
            facts.login_form = True
    return facts


@dataclass
class SubsectionFinding:
    slug: str
    pages: list[PageFacts] = field(default_factory=list)  # the subsection page first, then its addRef pages
    how: str = ""
    failure: str = ""  # why no page was found
    blocked: bool = False  # robots.txt forbids every address tried

    @property
    def url(self) -> str:
        return self.pages[0].url if self.pages else ""


@dataclass
class SvedenFindings:
    root: PageFacts | None = None
    root_how: str = ""
    root_failure: str = ""
    not_checked: str = ""  # the whole section could not be looked at: why
    subsections: dict[str, SubsectionFinding] = field(default_factory=dict)
    pages: list[PageFacts] = field(default_factory=list)  # every HTML page seen, home first: the a11y checks


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _same_site(url: str, site: str) -> bool:
    def key(address: str) -> str:
        return (urlsplit(address).hostname or "").lower().removeprefix("www.")

    return key(url) == key(site)


def _named(links: list[tuple[str, str]], text: str, slug: str, site: str) -> list[str]:
    """Links of the site whose address ends in the slug, then those whose text starts with the title."""
    by_path = [url for url, _ in links if urlsplit(url).path.rstrip("/").lower().endswith("/" + slug.lower())]
    by_text = [url for url, words in links if words.startswith(text)]
    return [url for url in dict.fromkeys([*by_path, *by_text]) if _same_site(url, site)]


class _SectionCrawl:
    def __init__(self, crawl: SiteCrawl, site: str, found: SvedenFindings) -> None:
        self.crawl = crawl
        self.site = site
        self.found = found
        self.opened: dict[str, tuple[PageFacts | None, str, bool]] = {}

    async def open(self, url: str) -> tuple[PageFacts | None, str, bool]:
        """(facts, why not, blocked) for one address, each address fetched once."""
        if url in self.opened:
            return self.opened[url]
        outcome = await self._open(url)
        self.opened[url] = outcome
        return outcome

    async def _open(self, url: str) -> tuple[PageFacts | None, str, bool]:
        robots, _ = await self.crawl.robots(url)
        if not robots.allows(url):
            return None, f"{url}: обход запрещён в robots.txt", True
        if stopped := self.crawl.limit_reached():
            return None, f"{url}: не открыт — {stopped}", False
        fetch, verdict, _ = await self.crawl.open(url, robots)
        if verdict.status is LinkStatus.RESTRICTED:
            return None, f"{url}: {LOGIN_WALL}", False
        if verdict.status is not LinkStatus.OK:
            return None, f"{url}: {verdict.reason}", False
        facts = inspect_page(fetch)
        if facts is None:
            return None, f"{url}: не веб-страница ({fetch.content_type or 'тип не указан'})", False
        if facts.login_form:
            return None, f"{url}: {LOGIN_WALL}", False
        self.found.pages.append(facts)
        return facts, "", False


async def inspect_sveden(crawl: SiteCrawl, site: str, home: PageFacts, rules: Rulebook) -> SvedenFindings:
    """Find the section and every subsection of the rule table; never raises for anything the site does."""
    found = SvedenFindings(pages=[home])
    crawl.max_pages = crawl.pages + crawl.config.sveden_max_pages
    section = _SectionCrawl(crawl, site, found)
    origin = _origin(home.url)
    candidates = dict.fromkeys(
        _named(home.links, rules.section.link_text, "sveden", site), "по ссылке с главной страницы"
    )
    candidates.setdefault(f"{origin}/sveden/", "по рекомендованному адресу /sveden/")
    failures: list[str] = []
    for url, how in candidates.items():
        facts, why, _ = await section.open(url)
        if facts is not None:
            found.root, found.root_how = facts, how
            break
        failures.append(why)
    if found.root is None:
        found.root_failure = "; ".join(failures)
    for subsection in rules.subsections:
        found.subsections[subsection.slug] = await _subsection(section, subsection, found.root, origin)
    return found


async def _subsection(
    section: _SectionCrawl, rule: SubsectionRule, root: PageFacts | None, origin: str
) -> SubsectionFinding:
    finding = SubsectionFinding(rule.slug)
    named = _named(root.links, rule.link_text, rule.slug, section.site) if root else []
    candidates = {url: f"по ссылке «{rule.title}» в разделе" for url in named}
    candidates.setdefault(f"{origin}/sveden/{rule.slug}", f"по рекомендованному адресу /sveden/{rule.slug}")
    failures, blocked = [], []
    for url, how in candidates.items():
        facts, why, robots_said_no = await section.open(url)
        if facts is not None:
            finding.pages, finding.how = [facts], how
            break
        failures.append(why)
        blocked.append(robots_said_no)
    if not finding.pages:
        finding.failure = "; ".join(failures)
        finding.blocked = all(blocked)
        return finding
    for url in finding.pages[0].add_refs:
        if _same_site(url, section.site) and url not in {page.url for page in finding.pages}:
            facts, _, _ = await section.open(url)
            if facts is not None:
                finding.pages.append(facts)
    return finding
