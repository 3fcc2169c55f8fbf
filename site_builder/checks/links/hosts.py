"""Rules for the hosts that hold most evidence files: Яндекс Диск, Яндекс Документы, Google Drive / Docs.

A rule may decide before any request (a viewer link to a file in the author's browser) and may read the
response its own way (a Drive file that is not shared redirects to the Google login). Whatever a rule leaves
undecided goes to the generic rules of classify.py.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from site_builder.checks.links.classify import Verdict, find_phrase, page_of
from site_builder.checks.links.fetch import FetchResult
from site_builder.checks.links.urls import WebUrl, scheme_of
from site_builder.content.settings.link_check import LinkStatus


@dataclass(frozen=True)
class HostRule:
    """Base rule: body needed (GET), nothing decided."""

    name: str
    hosts: tuple[str, ...]

    def matches(self, host: str) -> bool:
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def before(self, url: WebUrl) -> Verdict | None:
        return None

    def judge(self, fetch: FetchResult) -> Verdict | None:
        return None


YANDEX_RESTRICTED = re.compile(
    r"доступ\w*\s+(?:к\s+\S+\s+)?ограничен\w*|только\s+(?:для\s+)?сотрудник\w*|введите\s+пароль"
    r"|защищ\w*\s+паролем|нет\s+доступа",
    re.IGNORECASE,
)
YANDEX_BLOCKED = re.compile(r"(?:файл|папка|ресурс)\w*\s+(?:\S+\s+)?заблокирован\w*", re.IGNORECASE)
YANDEX_MISSING = re.compile(
    r"(?:файл|папк|ресурс)\w*\s+(?:\S+\s+)?(?:не\s+найден\w*|удален\w*|не\s+существует)"
    r"|не\s+удалось\s+найти|ничего\s+не\s+найдено",
    re.IGNORECASE,
)


def _captcha(fetch: FetchResult) -> bool:
    return any("showcaptcha" in url or "/captcha" in url for url in (fetch.final_url, fetch.stopped_at or ""))


@dataclass(frozen=True)
class YandexDiskRule(HostRule):
    def judge(self, fetch: FetchResult) -> Verdict | None:
        if _captcha(fetch):
            return Verdict(
                LinkStatus.UNREACHABLE,
                "Яндекс показал проверке капчу (защита от роботов): откройте ссылку вручную",
            )
        if fetch.error is not None:
            return None
        if fetch.stopped_at is not None:
            return Verdict(
                LinkStatus.RESTRICTED,
                "Яндекс Диск просит войти в аккаунт: файл открыт не для всех посетителей",
            )
        if fetch.status in (404, 410):
            return Verdict(
                LinkStatus.BROKEN,
                f"файл на Яндекс Диске удалён или владелец закрыл к нему доступ по ссылке (HTTP {fetch.status})",
            )
        if fetch.status in (401, 403):
            return Verdict(
                LinkStatus.RESTRICTED,
                f"Яндекс Диск не открывает файл без входа: доступ ограничен владельцем (HTTP {fetch.status})",
            )
        return self._page(fetch)

    def _page(self, fetch: FetchResult) -> Verdict | None:
        page = page_of(fetch)
        if page is None or fetch.status != 200:
            return None
        for pattern, status, what in (
            (YANDEX_BLOCKED, LinkStatus.BROKEN, "файл заблокирован Яндекс Диском"),
            (YANDEX_RESTRICTED, LinkStatus.RESTRICTED, "владелец ограничил доступ к файлу"),
            (YANDEX_MISSING, LinkStatus.BROKEN, "файла на Яндекс Диске больше нет"),
        ):
            phrase = find_phrase(pattern, page)
            if phrase:
                return Verdict(status, f"{what}: страница пишет «{phrase}» (HTTP 200)")
        return None


# Viewer links carry the document address in `url=`; its scheme says who can open it.
VIEWER_INNER = {
    "ya-browser": (
        LinkStatus.INVALID,
        "ссылка открывает файл из Яндекс Браузера автора (url=ya-browser://…): у других людей она не работает; "
        "загрузите файл на Диск или сайт и дайте публичную ссылку",
    ),
    "ya-disk": (
        LinkStatus.RESTRICTED,
        "ссылка открывает файл с личного Яндекс Диска автора (url=ya-disk://…): без входа в его аккаунт "
        "файл не откроется; поделитесь файлом на Диске и дайте публичную ссылку",
    ),
    "ya-mail": (
        LinkStatus.RESTRICTED,
        "ссылка открывает вложение из почты автора (url=ya-mail://…): другие люди его не увидят",
    ),
    "file": (
        LinkStatus.INVALID,
        "ссылка открывает файл с компьютера автора (url=file://…): у других людей она не работает",
    ),
}


@dataclass(frozen=True)
class YandexDocsRule(HostRule):
    def before(self, url: WebUrl) -> Verdict | None:
        parts = urlsplit(url.url)
        if not parts.path.startswith("/docs/view"):
            return None
        inner = parse_qs(parts.query).get("url", [""])[0]
        if not inner:
            return Verdict(
                LinkStatus.INVALID, "в ссылке на просмотр Яндекс Документов нет адреса файла (url=)"
            )
        scheme = scheme_of(inner)
        found = VIEWER_INNER.get(scheme)
        if found is None and scheme not in ("http", "https", "ya-disk-public"):
            found = (
                LinkStatus.INVALID,
                f"ссылка открывает файл по адресу {scheme}://…, недоступному другим людям",
            )
        return Verdict(*found) if found else None

    def judge(self, fetch: FetchResult) -> Verdict | None:
        if fetch.stopped_at is not None and fetch.error is None:
            return Verdict(
                LinkStatus.RESTRICTED,
                "просмотр документа требует входа в аккаунт Яндекса: открыт не для всех",
            )
        return None


GOOGLE_SIGN_IN = re.compile(r"^\s*(?:sign\s*in|вход|войти)\b|google\s+accounts|аккаунты\s+google", re.I)


@dataclass(frozen=True)
class GoogleRule(HostRule):
    def judge(self, fetch: FetchResult) -> Verdict | None:
        if fetch.error is not None:
            return None
        if fetch.stopped_at is not None and "accounts.google." in fetch.stopped_at:
            return Verdict(
                LinkStatus.RESTRICTED,
                "файл Google не открыт для всех: Google просит войти в аккаунт (доступ есть только у тех, "
                "кого пригласил владелец); включите «Все, у кого есть ссылка»",
            )
        if fetch.status == 404:
            return Verdict(
                LinkStatus.BROKEN, "файла Google с таким идентификатором нет или он удалён (HTTP 404)"
            )
        if fetch.status in (401, 403):
            return Verdict(
                LinkStatus.RESTRICTED,
                f"Google не даёт доступа к файлу: он открыт не для всех (HTTP {fetch.status})",
            )
        page = page_of(fetch)
        if fetch.status == 200 and page is not None and find_phrase(GOOGLE_SIGN_IN, page):
            return Verdict(
                LinkStatus.RESTRICTED, "Google показал страницу входа вместо файла: он открыт не для всех"
            )
        return None


RULES: tuple[HostRule, ...] = (
    YandexDiskRule("Яндекс Диск", ("disk.yandex.ru", "disk.yandex.com", "disk.yandex.by", "disk.yandex.kz",
                                   "disk.360.yandex.ru", "yadi.sk")),
    YandexDocsRule("Яндекс Документы", ("docs.yandex.ru", "docs.yandex.com")),
    GoogleRule("Google Диск", ("drive.google.com", "docs.google.com")),
)  # fmt: skip


@functools.lru_cache(maxsize=4096)
def rule_for(host: str) -> HostRule | None:
    return next((rule for rule in RULES if rule.matches(host)), None)
