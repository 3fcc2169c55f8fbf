"""URLs as editors write them turned into the one ASCII form that is requested and used as the key of a run."""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import re
from dataclasses import dataclass, field

import httpx

WEB_SCHEMES = ("http", "https")
SKIPPED_SCHEMES = {"mailto": "адрес электронной почты", "tel": "номер телефона"}
HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
OPAQUE_SCHEMES = ("mailto", "tel", "javascript", "data")
SCHEME_HINTS = {
    "file": "ссылка на файл на компьютере автора (file://): другие люди его не откроют",
    "ftp": "протокол ftp:// не открывается современными браузерами",
    "javascript": "ссылка-скрипт (javascript:), а не адрес документа",
    "data": "данные внутри ссылки (data:), а не адрес документа",
    "ya-browser": "ссылка на файл, открытый в Яндекс Браузере автора (ya-browser://): другие люди его не откроют",
    "ya-disk": "ссылка на личный Яндекс Диск автора (ya-disk://): другие люди её не откроют",
}


class UrlProblem(ValueError):
    """A URL that cannot be requested; the message says why, in Russian."""


@dataclass(frozen=True)
class RequestTarget:
    """The parts of a URL that a request is made of."""

    scheme: str  # http or https
    host: str  # as connected to and named in TLS: IDNA, an IPv6 address without brackets
    port: int
    authority: bytes  # the Host header: the host as in the URL, with the port when the URL gives one
    path: bytes  # path and query, percent-encoded


@dataclass(frozen=True)
class WebUrl:
    """A parsed http(s) URL ready to request."""

    url: str  # normalised: IDNA host, percent-encoded path and query, no fragment
    host: str  # ASCII (IDNA) host, lower case, without brackets
    port: int
    request: RequestTarget = field(compare=False, repr=False)


def scheme_of(raw: str) -> str:
    head, sep, _ = raw.strip().partition(":")
    return head.lower() if sep and head.replace("-", "").replace("+", "").replace(".", "").isalnum() else ""


# An address already in the form httpx gives (lower-case scheme and host name, no port or user name, a path of
# characters and %XX escapes that httpx keeps as they are): parsing it would give it back unchanged, so it is
# taken as written. httpx's parser costs 10–15 µs an address, most of a link check's start-up on thousands.
_UNCHANGED_URL = re.compile(
    r"(https?)://((?:[a-z0-9_-]+\.)+[a-z][a-z0-9-]*\.?)"  # the last label starts with a letter: not IPv4
    r"((?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)+)"
    r"(\?(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?"
)
DOT_SEGMENTS = frozenset({".", ".."})  # httpx resolves them; such a path is left to it


def _unchanged_by_parsing(text: str) -> WebUrl | None:
    """The parse of an address httpx would leave as it is; None for any other (and for a bad host name)."""
    plain = _UNCHANGED_URL.fullmatch(text.partition("#")[0]) if text.isprintable() else None
    if plain is None:
        return None
    scheme, authority, path, query = plain.groups()
    host = authority.rstrip(".")
    if "/." in path and not DOT_SEGMENTS.isdisjoint(path.split("/")):
        return None
    if not _well_formed_host(host):
        return None  # the full parse says what is wrong with it
    port = 443 if scheme == "https" else 80
    target = RequestTarget(
        scheme, authority, port, authority.encode("ascii"), (path + (query or "")).encode("ascii")
    )
    return WebUrl(plain[0], host, port, target)


@functools.lru_cache(maxsize=16384)
def parse_web_url(raw: str) -> WebUrl:
    """Parse and normalise; raises UrlProblem for anything that is not a usable http(s) address."""
    text = raw.strip()
    if not text:
        raise UrlProblem("пустой адрес")
    if any(ch in text for ch in "\n\r\t"):
        raise UrlProblem("в адресе есть перевод строки или табуляция")
    scheme = scheme_of(text)
    if scheme in WEB_SCHEMES and not text[len(scheme) + 1 :].startswith("//"):
        raise UrlProblem(f"после «{scheme}:» должно идти «//»")
    if not scheme or ("://" not in text and scheme not in OPAQUE_SCHEMES):
        raise UrlProblem("адрес без протокола: допишите в начало https://")
    if scheme not in WEB_SCHEMES:
        raise UrlProblem(
            SCHEME_HINTS.get(scheme, f"протокол {scheme}: не открывается в браузере как веб-страница")
        )
    return _unchanged_by_parsing(text) or _parsed_by_httpx(text)


def _parsed_by_httpx(text: str) -> WebUrl:
    try:
        url = httpx.URL(text)
    except (ValueError, httpx.InvalidURL) as error:
        raise UrlProblem(f"адрес записан с ошибкой: {error}") from error
    if not url.host:
        raise UrlProblem("в адресе нет имени сайта")
    host = url.raw_host.decode("ascii").lower().rstrip(".")
    if ip_literal(host) is None:
        _check_host_name(host, url.host)
    target = _target_of(url)
    if not 0 < target.port < 65536:
        raise UrlProblem(f"порт {target.port} вне допустимого диапазона")
    # The fragment cut off the text, not rebuilt with copy_with: a second parse would cost as much as the first.
    return WebUrl(str(url).partition("#")[0], host, target.port, target)


def _target_of(url: httpx.URL) -> RequestTarget:
    port = url.port or (443 if url.scheme == "https" else 80)
    return RequestTarget(url.scheme, url.raw_host.decode("ascii"), port, url.netloc, url.raw_path)


def request_target(url: str) -> RequestTarget:
    """Where the request for a normalised URL goes: from the parse that normalised it, not a second parse."""
    try:
        return parse_web_url(url).request
    except UrlProblem:
        return _target_of(httpx.URL(url))


@functools.lru_cache(maxsize=4096)  # asked for every link, and most links share their host with others
def _well_formed_host(host: str) -> bool:
    return len(host) <= 253 and all(HOST_LABEL.fullmatch(label) for label in host.split("."))


def _check_host_name(host: str, shown: str) -> None:
    if not _well_formed_host(host):
        raise UrlProblem(f"имя сайта «{shown}» записано с ошибкой")
    if "." not in host and host != "localhost":
        raise UrlProblem(f"имя сайта «{shown}» без домена верхнего уровня")


@functools.lru_cache(maxsize=4096)  # asked for every link; a name that is not an address costs an exception
def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def normalize(raw: str) -> str:
    """The key of a URL in a run: its normalised form when it parses, the stripped text otherwise."""
    try:
        return parse_web_url(raw).url
    except UrlProblem:
        return raw.strip()


CHECKABLE_FRAGMENT = re.compile(r"[\w.:%-]+")


def fragment_of(raw: str) -> str:
    """The `#fragment` of a web link when it names a place on the page (an id); "" otherwise.

    Fragments of script-driven pages (`#!/…`, `#/route`) and of viewers (`#page=2`, `#heading=h.x`) name no
    element and are left alone.
    """
    text = raw.strip()
    if scheme_of(text) not in WEB_SCHEMES or "#" not in text:
        return ""
    fragment = text.split("#", 1)[1]
    return fragment if CHECKABLE_FRAGMENT.fullmatch(fragment) else ""


def link_key(raw: str) -> str:
    """The key of a link in a run: the normalised URL, plus the fragment when it is checked on the page."""
    fragment = fragment_of(raw)
    return normalize(raw) + (f"#{fragment}" if fragment else "")


def shard_of(url: str, count: int) -> int:
    """A 0-based shard number that depends only on the URL, so every CI job splits the same way."""
    digest = hashlib.sha256(url.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def unit_fraction(url: str) -> float:
    """A stable number in [0, 1) per URL, to spread cache expiry so re-checks do not all fall on one night."""
    digest = hashlib.sha1(url.encode("utf-8"), usedforsecurity=False).digest()
    return int.from_bytes(digest[:8], "big") / 2**64
