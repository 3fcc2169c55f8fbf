"""From what a fetch produced to a class and a Russian reason that names the cause."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from site_builder.checks.links.fetch import ErrorKind, FetchError, FetchResult
from site_builder.checks.links.phrases import Lexicon, PhraseKind, lexicon_for
from site_builder.content.settings.link_check import LinkStatus

# Bump when a rule changes a verdict: cached results made by older rules are then not reused.
RULES_VERSION = "2"


@dataclass(frozen=True)
class Verdict:
    status: LinkStatus
    reason: str


@dataclass(frozen=True)
class LinkResult:
    """The outcome for one distinct URL."""

    url: str  # the normalised URL that was requested (the raw text when it could not be parsed)
    status: LinkStatus
    reason: str  # in Russian, naming the cause: status code, DNS, TLS, time-out …
    http_status: int | None = None
    final_url: str | None = None  # after redirects
    attempts: int = 0  # HTTP requests sent for this URL: redirects, HEAD→GET fallback and retries included
    checked_at: datetime = datetime(1970, 1, 1, tzinfo=UTC)
    cached: bool = False  # taken from the cache of an earlier run, not requested now
    cause: str = ""  # the ErrorKind value when the check ended without an HTTP answer to judge
    warning: str = ""  # something to fix though the link works (a scan without text), in Russian


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


LOGIN_HOSTS = (
    "accounts.google.com",
    "passport.yandex.ru",
    "passport.yandex.com",
    "passport.yandex.by",
    "passport.yandex.kz",
    "id.yandex.ru",
    "login.microsoftonline.com",
    "login.live.com",
    "esia.gosuslugi.ru",
    "id.vk.com",
    "oauth.vk.com",
    "account.mail.ru",
)
LOGIN_PATH = re.compile(
    r"/(?:login|log-in|signin|sign-in|sign_in|auth|authorize|authorization|wp-login\.php|user/login|"
    r"account/login|accounts/login|users/sign_in|servicelogin)(?:[/?.;#]|$)",
    re.IGNORECASE,
)


def is_login_url(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return host in LOGIN_HOSTS or bool(LOGIN_PATH.search(parts.path))


SHORT_PAGE = 600  # characters of visible text below which the whole text is read, not only the headings


@dataclass(frozen=True)
class PageText:
    """The parts of an HTML page that say what it is: title, headings and, for a short page, its text."""

    title: str
    headings: tuple[str, ...]
    text: str

    def prominent(self) -> list[str]:
        parts = [self.title, *self.headings]
        if len(self.text) <= SHORT_PAGE:
            parts.append(self.text)
        return [part for part in parts if part]


def _clean(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split())


XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def decode_html(body: bytes, charset: str | None) -> str:
    """Text of an HTML body: declared charset, else <meta charset>, else UTF-8, else windows-1251.

    Many Russian school sites still serve windows-1251 without saying so in the header.
    """
    meta = META_CHARSET.search(body[:4096])
    for candidate in (charset, meta.group(1).decode("ascii") if meta else None):
        if candidate:
            try:
                return body.decode(candidate, errors="replace")
            except LookupError:
                continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(body) - 3:  # a character cut by the bounded read
            return body[: error.start].decode("utf-8")
        return body.decode("cp1251", errors="replace")


def _parse(body: bytes, charset: str | None) -> lxml.html.HtmlElement | None:
    if not body.strip():
        return None
    try:
        return lxml.html.document_fromstring(XML_DECLARATION.sub("", decode_html(body, charset), count=1))
    except (etree.ParserError, ValueError):
        return None


def page_text(body: bytes, charset: str | None = None) -> PageText | None:
    root = _parse(body, charset)
    if root is None:
        return None
    for element in root.iter("script", "style", "noscript", "template"):
        element.text = ""
    title = _clean(" ".join(root.xpath("//title//text()")))
    # Only h1: side blocks of school sites carry h2/h3 such as «Вход на сайт» on every page.
    headings = tuple(_clean(h.text_content()) for h in root.xpath("//h1")[:3])
    body_nodes = root.xpath("//body")
    text = _clean(body_nodes[0].text_content()) if body_nodes else ""
    return PageText(title, headings, text)


def anchors_of(fetch: FetchResult) -> set[str]:
    """The places a `#fragment` can name on an HTML page: ids, and names of <a> elements."""
    root = _parse(fetch.body, _charset(fetch))
    return set() if root is None else {str(value) for value in root.xpath("//@id | //a/@name")}


def page_of(fetch: FetchResult) -> PageText | None:
    if not fetch.is_html or not fetch.body:
        return None
    if "page" not in fetch.memo:  # the host rule, the generic rules and the placeholder probe all read it
        fetch.memo["page"] = page_text(fetch.body, _charset(fetch))
    page: PageText | None = fetch.memo["page"]
    return page


def _charset(fetch: FetchResult) -> str | None:
    match = re.search(r"charset=[\"']?([\w.:-]+)", fetch.headers.get("content-type", ""), re.IGNORECASE)
    return match.group(1) if match else None


def find_phrase(pattern: re.Pattern[str], page: PageText) -> str | None:
    for part in page.prominent():
        match = pattern.search(part)
        if match:
            return _clean(match.group(0))
    return None


def _tries(fetch: FetchResult) -> str:
    return f"; попыток: {fetch.tries}" if fetch.tries > 1 else ""


def tls_reason(detail: str) -> str:
    lowered = detail.lower()
    if "expired" in lowered:
        cause = "срок действия сертификата сайта истёк"
    elif "not yet valid" in lowered:
        cause = "срок действия сертификата сайта ещё не начался"
    elif "hostname mismatch" in lowered or "doesn't match" in lowered or "not valid for" in lowered:
        cause = "сертификат выдан для другого имени сайта"
    elif "self-signed certificate in certificate chain" in lowered or "local issuer" in lowered:
        cause = (
            "сертификат выдан центром сертификации, которому проверка не доверяет (российские сайты часто "
            "используют Russian Trusted Root CA — его можно добавить в link_check.ca_bundles)"
        )
    elif "self-signed" in lowered or "self signed" in lowered:
        cause = "сайт предъявил самоподписанный сертификат"
    else:
        cause = "не удалось установить защищённое соединение (TLS)"
    return f"{cause}: {detail}"


def error_verdict(fetch: FetchResult, error: FetchError) -> Verdict:
    where = fetch.url if error.kind is ErrorKind.REDIRECT_LOOP else fetch.failed_at or fetch.final_url
    host = urlsplit(where).hostname or ""
    tail = _tries(fetch)
    detail = error.detail
    table: dict[ErrorKind, tuple[LinkStatus, str]] = {
        ErrorKind.NAME_NOT_FOUND: (LinkStatus.BROKEN, f"домен {host} не существует (DNS: {detail})"),
        ErrorKind.NAME_LOOKUP: (
            LinkStatus.UNREACHABLE,
            f"DNS не смог сейчас назвать адрес {host} ({detail}){tail}",
        ),
        ErrorKind.ADDRESS_REFUSED: (
            LinkStatus.INVALID,
            f"{host} ведёт на внутренний адрес {detail}: посетители сайта его не откроют, запрос не отправлялся",
        ),
        ErrorKind.SLOW_BODY: (
            LinkStatus.UNREACHABLE,
            f"сайт отвечает слишком медленно: {host} начал передавать страницу, но за отведённое время "
            f"прислал только {detail} (link_check.body_timeout)",
        ),
        ErrorKind.URL_TIME_CAP: (
            LinkStatus.UNREACHABLE,
            f"проверка адреса на {host} со всеми повторами заняла больше {detail} и остановлена "
            f"(link_check.max_url_seconds){tail}",
        ),
        ErrorKind.BAD_ENCODING: (
            LinkStatus.BROKEN,
            f"сервер {host} прислал страницу, которую браузер не сможет показать: {detail}",
        ),
        ErrorKind.CONNECT_TIMEOUT: (
            LinkStatus.UNREACHABLE,
            f"сервер {host} не принял подключение за {detail} (тайм-аут соединения){tail}",
        ),
        ErrorKind.READ_TIMEOUT: (
            LinkStatus.UNREACHABLE,
            f"сервер {host} не прислал ответ за {detail} (тайм-аут ответа){tail}",
        ),
        ErrorKind.REFUSED: (
            LinkStatus.UNREACHABLE,
            f"сервер {host} отказал в подключении — порт закрыт ({detail}){tail}",
        ),
        ErrorKind.RESET: (LinkStatus.UNREACHABLE, f"сервер {host} оборвал соединение ({detail}){tail}"),
        ErrorKind.NETWORK: (LinkStatus.UNREACHABLE, f"сеть до сервера {host} недоступна ({detail}){tail}"),
        ErrorKind.TLS: (LinkStatus.TLS_ERROR, tls_reason(detail)),
        ErrorKind.PROTOCOL: (
            LinkStatus.BROKEN,
            f"сервер {host} прислал ответ не по правилам HTTP ({detail})",
        ),
        ErrorKind.REDIRECT_LOOP: (
            LinkStatus.BROKEN,
            f"перенаправления идут по кругу: адрес {detail} встретился снова",
        ),
        ErrorKind.TOO_MANY_REDIRECTS: (LinkStatus.BROKEN, f"больше {detail} перенаправлений подряд"),
        ErrorKind.BAD_REDIRECT: (
            LinkStatus.BROKEN,
            f"сервер {host} перенаправляет на адрес, который нельзя открыть: {detail}",
        ),
        ErrorKind.DEADLINE: (
            LinkStatus.UNREACHABLE,
            "проверка не успела дойти до этой ссылки: исчерпано общее время проверки (max_run_seconds)",
        ),
        ErrorKind.INTERNAL: (LinkStatus.UNREACHABLE, f"внутренняя ошибка проверки: {detail}"),
    }
    status, reason = table[error.kind]
    if fetch.failed_at is not None:
        reason += f" (ссылка перенаправляет на {fetch.failed_at})"
    return Verdict(status, reason)


def status_verdict(fetch: FetchResult) -> Verdict:
    code = fetch.status
    assert code is not None
    tail = _tries(fetch)
    if 200 <= code < 300:
        return Verdict(LinkStatus.OK, f"HTTP {code}")
    if code in (401, 407):
        return Verdict(LinkStatus.RESTRICTED, f"нужен вход по логину и паролю (HTTP {code})")
    if code == 403:
        return Verdict(LinkStatus.RESTRICTED, "сервер запретил доступ (HTTP 403)")
    if code == 451:
        return Verdict(LinkStatus.RESTRICTED, "доступ закрыт по требованию закона (HTTP 451)")
    if code == 404:
        return Verdict(LinkStatus.BROKEN, "страница не найдена (HTTP 404)")
    if code == 410:
        return Verdict(LinkStatus.BROKEN, "страница удалена (HTTP 410)")
    if code == 429:
        return Verdict(LinkStatus.UNREACHABLE, f"сервер ограничил частоту запросов (HTTP 429){tail}")
    if code == 408:
        return Verdict(LinkStatus.UNREACHABLE, f"сервер не дождался запроса (HTTP 408){tail}")
    if 400 <= code < 500:
        return Verdict(LinkStatus.BROKEN, f"сервер отклонил запрос (HTTP {code})")
    if 500 <= code < 600:
        return Verdict(LinkStatus.BROKEN, f"ошибка на сервере (HTTP {code}){tail}")
    if 300 <= code < 400:
        return Verdict(LinkStatus.BROKEN, f"перенаправление без адреса назначения (HTTP {code})")
    return Verdict(LinkStatus.BROKEN, f"сервер ответил непонятным кодом HTTP {code}")


def content_verdict(fetch: FetchResult, lexicon: Lexicon) -> Verdict | None:
    """A 200 page that is really a «not found», a dead file, an invalid link or a login wall."""
    page = page_of(fetch)
    if page is None:
        return None
    for kind, pattern in lexicon.patterns:
        phrase = find_phrase(pattern, page)
        if phrase:
            status, what = PHRASE_VERDICTS[kind]
            return Verdict(status, what.format(phrase=phrase, status=fetch.status))
    return None


PHRASE_VERDICTS = {
    PhraseKind.FILE_DELETED: (
        LinkStatus.BROKEN,
        "страница отвечает HTTP {status}, но пишет, что файл удалён: «{phrase}» (мягкая 404)",
    ),
    PhraseKind.LINK_INVALID: (
        LinkStatus.BROKEN,
        "страница отвечает HTTP {status}, но пишет, что ссылка больше не действует: «{phrase}» (мягкая 404)",
    ),
    PhraseKind.ACCESS_CLOSED: (
        LinkStatus.RESTRICTED,
        "страница требует входа или закрыта: «{phrase}» (HTTP {status})",
    ),
    PhraseKind.PAGE_NOT_FOUND: (
        LinkStatus.BROKEN,
        "страница отвечает HTTP {status}, но пишет, что документа нет: «{phrase}» (мягкая 404)",
    ),
}


def classify(fetch: FetchResult, lexicon: Lexicon | None = None) -> Verdict:
    """The generic rules; host rules (hosts.py) may decide first."""
    if fetch.error is not None:
        return error_verdict(fetch, fetch.error)
    if fetch.stopped_at is not None:
        host = urlsplit(fetch.stopped_at).hostname
        return Verdict(
            LinkStatus.RESTRICTED,
            f"сайт перенаправляет на страницу входа ({host}): документ открыт не для всех "
            f"(HTTP {fetch.status})",
        )
    if fetch.status is not None and 200 <= fetch.status < 300 and is_login_url(fetch.final_url):
        return Verdict(LinkStatus.RESTRICTED, f"ссылка привела на страницу входа {fetch.final_url}")
    if fetch.status is not None and 200 <= fetch.status < 300:
        found = content_verdict(fetch, lexicon or lexicon_for())
        if found is not None:
            return found
    return status_verdict(fetch)
