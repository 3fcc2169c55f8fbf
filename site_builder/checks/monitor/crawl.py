"""Exploring one school site politely: robots.txt, the home page, then the 500+ section, given or found by links.

Requests go through the link checker's Fetcher (per-host pauses, the address guard on every connection and
redirect, bounded bodies, time-outs). robots.txt rules apply to the crawl: the pages opened to find the section and
the section itself. The home page is one request a visitor makes, and each document link is checked once like
`check-links` does — neither is crawling, and many school sites forbid /upload/ where every document lives.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.message
import email.utils
import heapq
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
from lxml import etree

from site_builder.checks.links.classify import (
    XML_DECLARATION,
    LinkResult,
    Verdict,
    classify,
    decode_html,
    is_login_url,
)
from site_builder.checks.links.client import DOCUMENT_SUFFIXES, check_one
from site_builder.checks.links.fetch import ErrorKind, Fetcher, FetchResult
from site_builder.checks.links.urls import UrlProblem, parse_web_url
from site_builder.checks.monitor.robots import Robots, parse_robots
from site_builder.content.settings.link_check import LinkStatus
from site_builder.content.settings.monitoring import MonitoringConfig, compile_patterns
from site_builder.core.russian import plural

MAX_CRAWL_DELAY = 10.0  # seconds: a larger Crawl-delay would stall the whole monitoring
SHORT_LINK = 60  # characters: a menu item, not a news headline that happens to mention the project
CANDIDATE = 2  # ranks up to this one are links to the section itself
# Links worth opening first when the home page has no link to the section: where schools usually put it.
NAVIGATION = re.compile(
    r"сведени\w* об образовательн|проект|деятельност|методическ|документ|инновац|качеств\w* образовани",
    re.IGNORECASE,
)
# Page chrome: menus and side blocks repeat on every page, and their «Отчёт о самообследовании» or a footer
# date would be taken for the section's own documents and updates.
CHROME_TAGS = ("nav", "header", "footer", "aside")
CHROME_NAME = re.compile(
    r"(?:^|[-_])(?:menu|nav|navbar|navigation|sidebar|breadcrumbs?)(?:[-_]|$)", re.IGNORECASE
)
# No connection at all: the site is down, and asking for the home page would only fail the same way again. A
# robots.txt that connects but never answers (a read time-out, a reset) says nothing about the home page.
NO_CONNECTION = frozenset(
    {
        ErrorKind.NAME_NOT_FOUND,
        ErrorKind.NAME_LOOKUP,
        ErrorKind.ADDRESS_REFUSED,
        ErrorKind.CONNECT_TIMEOUT,
        ErrorKind.REFUSED,
        ErrorKind.NETWORK,
        ErrorKind.TLS,
        ErrorKind.DEADLINE,
    }
)


def plain(text: str) -> str:
    """Text as patterns see it: «ё» as «е», runs of spaces as one."""
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split())


@dataclass(frozen=True)
class Anchor:
    url: str  # absolute and normalised
    text: str


@dataclass
class Page:
    """An HTML page: every link (to find the section) and the page's own content (to judge the section)."""

    url: str
    anchors: list[Anchor]
    content_anchors: list[Anchor]
    headings: list[str]
    text: str
    modified: dt.date | None = None  # Last-Modified, when the server gives it


def charset_of(content_type: str) -> str | None:
    message = email.message.Message()
    message["content-type"] = content_type
    return message.get_content_charset()


def _anchors(root: lxml.html.HtmlElement, base: str) -> list[Anchor]:
    anchors: list[Anchor] = []
    for element in root.iter("a"):
        href = (element.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        try:
            url = parse_web_url(urljoin(base, href)).url
        except (UrlProblem, ValueError):
            continue  # mailto:, javascript:, a broken href: nothing to open
        images = [image.get("alt") or "" for image in element.iter("img")]
        text = plain(element.text_content()) or plain(element.get("title") or " ".join(images))
        anchors.append(Anchor(url, text))
    return anchors


def _is_chrome(element: lxml.html.HtmlElement) -> bool:
    if element.tag in CHROME_TAGS:
        return True
    names = [element.get("id") or "", *(element.get("class") or "").split()]
    return any(CHROME_NAME.search(name) for name in names if name)


def parse_html(fetch: FetchResult) -> tuple[lxml.html.HtmlElement, str] | None:
    """The page's tree with scripts and styles emptied, and the address its links are relative to."""
    if not fetch.is_html or not fetch.body:
        return None
    text = decode_html(fetch.body, charset_of(fetch.headers.get("content-type", "")))
    try:
        root = lxml.html.document_fromstring(XML_DECLARATION.sub("", text, count=1))
    except (etree.ParserError, ValueError):
        return None
    for element in root.iter("script", "style", "noscript", "template"):
        element.text = ""
    return root, urljoin(fetch.final_url, (root.xpath("string(//base/@href)") or "").strip())


def parse_page(fetch: FetchResult) -> Page | None:
    parsed = parse_html(fetch)
    if parsed is None:
        return None
    root, base = parsed
    anchors = _anchors(root, base)
    for element in [e for e in root.iter() if isinstance(e.tag, str) and _is_chrome(e)]:
        if element.getparent() is not None:
            element.drop_tree()
    headings = [plain(h.text_content()) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    bodies = root.xpath("//body")
    return Page(
        url=fetch.final_url,
        anchors=anchors,
        content_anchors=_anchors(root, base),
        headings=[heading for heading in headings if heading],
        text=plain(bodies[0].text_content()) if bodies else "",
        modified=_last_modified(fetch),
    )


def _last_modified(fetch: FetchResult) -> dt.date | None:
    value = fetch.headers.get("last-modified", "")
    try:
        moment = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    return moment.date() if moment else None


def pages_seen(count: int) -> str:
    """«просмотрена 1 страница», «просмотрены 3 страницы», «просмотрено 5 страниц»."""
    verb = plural(count, "просмотрена", "просмотрены", "просмотрено")
    return f"{verb} {count} {plural(count, 'страница', 'страницы', 'страниц')}"


def is_document(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOCUMENT_SUFFIXES)


def _site_key(host: str) -> str:
    return host.lower().removeprefix("www.")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Exploration:
    """What the crawl of one site saw; criteria.py judges it."""

    site_url: str
    invalid: str = ""  # the address in schools.yaml cannot be requested: why
    home: Verdict | None = None
    expired: bool = False  # max_run_seconds ran out while this site was explored: what is missing is unknown
    section: Page | None = None
    section_how: str = ""
    home_fetch: FetchResult | None = None  # the home page as it came, for the «Сведения» checks
    home_problem: str = ""  # the home page answered but cannot be read: why
    robots_failure: str = ""  # robots.txt could not be had, so nothing beyond the home page was crawled
    given_failure: str = ""  # why the section address from schools.yaml did not open
    candidate_failures: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # section addresses robots.txt forbids
    stopped: str = ""  # the limit that ended the search early
    pages: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(order=True)
class _Queued:
    rank: int
    depth: int
    order: int
    anchor: Anchor = field(compare=False)
    parent: str = field(compare=False)


class SiteCrawl:
    """One school site: its robots.txt files, the pages opened so far and the limits left."""

    def __init__(self, fetcher: Fetcher, config: MonitoringConfig) -> None:
        self.fetcher = fetcher
        self.config = config
        self.section_texts = compile_patterns(config.section_texts)
        self.section_urls = compile_patterns(config.section_urls)
        self.pages = 0
        self.bytes = 0
        self.max_pages = config.max_pages  # the «Сведения» crawl raises it by its own allowance
        self._robots: dict[str, Robots] = {}

    async def robots(self, url: str) -> tuple[Robots, FetchResult | None]:
        """The rules for the origin of `url`, fetched once; the fetch itself only the first time."""
        origin = _origin(url)
        if origin in self._robots:
            return self._robots[origin], None
        fetch = await self.fetcher.fetch(f"{origin}/robots.txt")
        robots = _robots_from(fetch)
        self._robots[origin] = robots
        return robots, fetch

    def limit_reached(self) -> str:
        if self.fetcher.expired():
            return "истекло время мониторинга (max_run_seconds)"
        if self.pages >= self.max_pages:
            return f"{pages_seen(self.pages)} — предел max_pages"
        if self.bytes >= self.config.max_site_bytes:
            return f"прочитано байт: {self.bytes} — предел max_site_bytes"
        return ""

    async def open(self, url: str, robots: Robots | None = None) -> tuple[FetchResult, Verdict, Page | None]:
        delay = min(robots.crawl_delay or 0.0, MAX_CRAWL_DELAY) if robots else 0.0
        if delay > self.fetcher.config.per_host_interval:
            await asyncio.sleep(delay - self.fetcher.config.per_host_interval)
        fetch = await self.fetcher.fetch(url, stop_at=is_login_url)
        self.pages += 1
        self.bytes += len(fetch.body)
        verdict = classify(fetch)
        page = parse_page(fetch) if verdict.status is LinkStatus.OK else None
        return fetch, verdict, page

    def rank(self, anchor: Anchor) -> int:
        by_text = any(pattern.search(anchor.text) for pattern in self.section_texts)
        by_url = any(pattern.search(unquote(anchor.url)) for pattern in self.section_urls)
        if by_text and by_url:
            return 0
        if by_text:
            return 1 if len(anchor.text) <= SHORT_LINK else 2
        if by_url:
            return 2
        return 3 if NAVIGATION.search(anchor.text) else 4


def _robots_from(fetch: FetchResult) -> Robots:
    """RFC 9309: a missing file (4xx) allows everything; a failing one (5xx, no answer) forbids everything."""
    status = fetch.status
    if fetch.error is not None or status is None:
        return Robots.disallow_all(
            f"robots.txt не получен ({classify(fetch).reason}): по правилам robots.txt (RFC 9309) обход сайта "
            "не выполнялся, открыта только главная страница"
        )
    if 200 <= status < 300:
        return parse_robots(decode_html(fetch.body, charset_of(fetch.headers.get("content-type", ""))))
    if 400 <= status < 500:
        return Robots.allow_all()
    return Robots.disallow_all(
        f"robots.txt отвечает ошибкой HTTP {status}: по правилам robots.txt обход запрещён"
    )


def bombed(fetch: FetchResult, limit: int) -> str:
    """A compressed answer that unpacks past the page limit: what is left is not the page, whatever it parses as."""
    encoding = fetch.headers.get("content-encoding", "").strip().lower()
    if encoding and len(fetch.body) >= limit:
        return (
            f"сжатый ({encoding}) ответ разворачивается больше чем в {limit} байт (предел max_page_bytes): "
            "похоже на «сжатую бомбу», страница не разбиралась"
        )
    return ""


def unreadable(fetch: FetchResult, limit: int) -> str:
    """Why a page that answered 200 gives nothing to read, in words that say what happened."""
    encoding = fetch.headers.get("content-encoding", "").strip().lower()
    if bomb := bombed(fetch, limit):
        return bomb
    if fetch.is_html and not fetch.body:
        return (
            f"сервер прислал пустую страницу{f' (сжатие {encoding} не распаковывается)' if encoding else ''}"
        )
    if fetch.is_html:
        return "страница не разбирается как HTML"
    return f"не HTML ({fetch.content_type or 'тип не указан'}): ссылок на ней нет"


async def explore(
    site: str, section_url: str, fetcher: Fetcher, config: MonitoringConfig, crawl: SiteCrawl | None = None
) -> Exploration:
    """Open the site and look for its 500+ section; never raises for anything the site does."""
    found = await _explore(site, section_url, crawl or SiteCrawl(fetcher, config))
    found.expired = fetcher.expired()
    return found


async def _explore(site: str, section_url: str, crawl: SiteCrawl) -> Exploration:
    try:
        url = parse_web_url(site).url
    except UrlProblem as problem:
        return Exploration(site, invalid=str(problem))
    found = Exploration(url)
    robots, probe = await crawl.robots(url)
    if probe is not None and probe.status is None and probe.error is not None:
        if probe.error.kind in NO_CONNECTION:
            found.home = classify(probe)
            return found
        found.robots_failure = robots.note
    if robots.note:
        found.notes.append(robots.note)
    fetch, found.home, home = await crawl.open(url)
    found.pages = crawl.pages
    if found.home.status is not LinkStatus.OK:
        return found
    found.home_fetch = fetch
    if home is None or bombed(fetch, crawl.config.max_page_bytes):
        found.home_problem = unreadable(fetch, crawl.config.max_page_bytes)
        home = None
    site_hosts = {_site_key(parse_web_url(url).host), _site_key(parse_web_url(fetch.final_url).host)}
    if len(site_hosts) > 1:
        found.notes.append(
            f"главная страница перенаправляет на другой сайт: {fetch.final_url} — проверьте адрес сайта в schools.yaml"
        )
    if section_url:
        await _try_given(crawl, found, section_url)
    if found.section is None and home is not None:
        await _discover(crawl, found, home, site_hosts)
        if found.section is not None and found.given_failure:
            found.notes.append(f"{found.given_failure} — исправьте адрес раздела в schools.yaml")
    elif home is None and found.section is None:
        found.notes.append(f"главная страница: {found.home_problem}")
    found.pages = crawl.pages
    return found


async def _try_given(crawl: SiteCrawl, found: Exploration, section_url: str) -> None:
    try:
        url = parse_web_url(section_url).url
    except UrlProblem as problem:
        found.given_failure = f"адрес раздела в schools.yaml записан с ошибкой: {problem}"
        return
    robots, _ = await crawl.robots(url)
    if not robots.allows(url):
        found.blocked.append(url)
        return
    fetch, verdict, page = await crawl.open(url, robots)
    if page is not None:
        found.section, found.section_how = page, "адрес указан в schools.yaml"
    elif verdict.status is LinkStatus.OK:
        found.given_failure = (
            f"по адресу из schools.yaml не веб-страница ({fetch.content_type or 'тип не указан'})"
        )
    else:
        found.given_failure = f"адрес раздела из schools.yaml не открывается: {verdict.reason}"


async def _discover(crawl: SiteCrawl, found: Exploration, home: Page, site_hosts: set[str]) -> None:
    """Best-first search from the home page: links to the section first, then likely menu items, then the rest."""
    queue: list[_Queued] = []
    seen = {home.url, found.site_url}

    def push(page: Page, depth: int) -> None:
        for anchor in page.anchors:
            if anchor.url in seen or is_document(anchor.url):
                continue
            rank = crawl.rank(anchor)
            if rank > CANDIDATE and _site_key(parse_web_url(anchor.url).host) not in site_hosts:
                continue  # other sites are opened only when the link names the section
            seen.add(anchor.url)
            heapq.heappush(queue, _Queued(rank, depth, len(seen), anchor, page.url))

    push(home, 1)
    while queue:
        item = heapq.heappop(queue)
        found.stopped = crawl.limit_reached()
        if found.stopped:
            return
        robots, _ = await crawl.robots(item.anchor.url)
        if not robots.allows(item.anchor.url):
            if item.rank <= CANDIDATE:
                found.blocked.append(item.anchor.url)
            continue
        fetch, verdict, page = await crawl.open(item.anchor.url, robots)
        page_host = parse_web_url(fetch.final_url).host
        if item.rank <= CANDIDATE:
            if page is not None:
                where = "на главной странице" if item.parent == home.url else f"на странице {item.parent}"
                found.section, found.section_how = page, f"найден по ссылке «{item.anchor.text}» {where}"
                return
            found.candidate_failures.append(
                f"ссылка «{item.anchor.text}» ({item.anchor.url}): {verdict.reason}"
            )
        elif page is not None and item.depth < crawl.config.max_depth and _site_key(page_host) in site_hosts:
            push(page, item.depth + 1)


async def check_links(urls: list[str], fetcher: Fetcher) -> dict[str, LinkResult]:
    """Each document link checked once, as `check-links` checks it (host rules, HEAD for files)."""
    excluded = [re.compile(pattern) for pattern in fetcher.config.exclude]
    unique = list(dict.fromkeys(urls))
    results = await asyncio.gather(*(check_one(url, fetcher, excluded) for url in unique))
    return dict(zip(unique, results, strict=True))
