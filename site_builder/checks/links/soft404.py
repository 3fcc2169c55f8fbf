"""Soft 404s on any host: a 200 page that is the same as what the host answers for an address that cannot exist.

For each host and path shape (depth, extension, trailing slash) the checker asks once, per run, for a random
sibling address; a link whose answer matches it — same status, same redirect behaviour, nearly the same
visible text — leads to the host's placeholder, not to a document. A real page on a host whose missing
addresses get a 200 placeholder differs from the placeholder and stays ok.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from posixpath import splitext
from urllib.parse import unquote, urlsplit, urlunsplit

from site_builder.checks.links.classify import Verdict, is_login_url, page_of
from site_builder.checks.links.fetch import Fetcher, FetchResult, is_text
from site_builder.content.settings.link_check import LinkStatus

SHINGLE_WORDS = 4
SAME_TEXT = 0.9  # Jaccard similarity of word shingles above which two pages are the same page
HOME_STEMS = frozenset({"index", "default", "main", "home", "start"})  # pages that are the home page itself
SLOT = "\x00"  # stands for the link's own last path segment when final URLs are compared


@dataclass(frozen=True)
class Shape:
    origin: str
    depth: int
    extension: str
    directory: bool


@dataclass(frozen=True)
class Answer:
    """What a host answered, reduced to what tells pages apart."""

    url: str  # the address asked for
    status: int
    final_url: str  # with the last path segment of `url` replaced by SLOT
    title: str
    shingles: frozenset[tuple[str, ...]]


def _segments(path: str) -> tuple[list[str], bool]:
    directory = path.endswith("/")
    return [part for part in path.split("/") if part], directory


def shape_of(url: str) -> Shape | None:
    """The path shape of a link worth comparing with a placeholder; None for a home page."""
    parts = urlsplit(url)
    segments, directory = _segments(parts.path)
    if not segments:
        return None
    stem, extension = splitext(unquote(segments[-1]).lower())
    if stem in HOME_STEMS:
        return None
    return Shape(f"{parts.scheme}://{parts.netloc}", len(segments), extension, directory)


def sibling_of(url: str, shape: Shape) -> str:
    """A random address beside `url`: same folder, depth and extension; it cannot exist."""
    parts = urlsplit(url)
    segments, _ = _segments(parts.path)
    name = secrets.token_hex(8) + shape.extension
    path = "/" + "/".join([*segments[:-1], name]) + ("/" if shape.directory else "")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = text.lower().split()
    if len(words) < SHINGLE_WORDS:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))


def answer_of(fetch: FetchResult) -> Answer | None:
    """The comparable form of a 2xx HTML answer; None for anything else."""
    if fetch.error is not None or fetch.stopped_at is not None or fetch.status is None:
        return None
    page = page_of(fetch)
    if not 200 <= fetch.status < 300 or page is None:
        return None
    segments, _ = _segments(urlsplit(fetch.url).path)
    own = unquote(segments[-1]) if segments else ""
    stem = splitext(own)[0]
    text = f"{page.title} {page.text}"
    for word in (own, stem):
        if len(word) >= 3:  # a placeholder that repeats the address asked for («/abc not found»)
            text = text.replace(word, " ")
    if fetch.final_url == fetch.url:
        final = SLOT  # stayed where it was asked: both stay, whatever folder they are in
    else:
        final = fetch.final_url.replace(segments[-1], SLOT) if segments else fetch.final_url
    return Answer(fetch.url, fetch.status, final, page.title, _shingles(text))


def same_page(link: Answer, placeholder: Answer) -> bool:
    """Same status, same redirect, same title and nearly the same text.

    A page with no visible text (a script-built page) is never called a placeholder: without running its
    scripts nothing tells it apart from one.
    """
    if (link.status, link.final_url, link.title) != (
        placeholder.status,
        placeholder.final_url,
        placeholder.title,
    ):
        return False
    if not link.shingles:
        return False
    union = link.shingles | placeholder.shingles
    return len(link.shingles & placeholder.shingles) / len(union) >= SAME_TEXT


class Placeholders:
    """What each host answers for missing addresses, asked once per host and path shape within a run."""

    def __init__(self, fetcher: Fetcher) -> None:
        self._fetcher = fetcher
        self._answers: dict[Shape, asyncio.Task[Answer | None]] = {}

    async def verdict(self, fetch: FetchResult) -> Verdict | None:
        """Broken when the link's page is the host's placeholder; None when it is a page of its own."""
        link = answer_of(fetch)
        shape = shape_of(fetch.url)
        if link is None or shape is None:
            return None
        task = self._answers.get(shape)
        if task is None:
            task = self._answers[shape] = asyncio.ensure_future(self._ask(sibling_of(fetch.url, shape)))
        placeholder = await asyncio.shield(task)
        if placeholder is None or not same_page(link, placeholder):
            return None
        title = f" «{link.title}»" if link.title else ""
        return Verdict(
            LinkStatus.BROKEN,
            f"сайт отвечает так же, как на несуществующий адрес: по случайному адресу {placeholder.url} "
            f"открывается та же страница{title} (HTTP {link.status}) — документа по ссылке нет",
        )

    async def aclose(self) -> None:
        """Stop the probes nobody waits for any more (the run's time ran out)."""
        pending = [task for task in self._answers.values() if not task.done()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _ask(self, url: str) -> Answer | None:
        fetch = await self._fetcher.fetch(url, read_body=is_text, stop_at=is_login_url, retries=0)
        return answer_of(fetch)
