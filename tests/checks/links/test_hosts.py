"""Host rules for Яндекс Диск, Яндекс Документы and Google Drive / Docs, against local TLS stand-ins.

The stand-ins answer the way these services answer anonymous visitors (public file: 200; not shared: a
redirect to the login page; deleted: 404); file ids are synthetic.
"""

from __future__ import annotations

from pathlib import Path

from site_builder.checks.links.client import check_urls
from site_builder.checks.links.guard import StaticResolver
from site_builder.content.settings.link_check import LinkStatus
from tests.helpers.links import TLS_NAMES, fast_config
from tests.helpers.web import Reply, WebServer, page, redirect

OK, BROKEN, RESTRICTED = LinkStatus.OK, LinkStatus.BROKEN, LinkStatus.RESTRICTED
UNREACHABLE, INVALID = LinkStatus.UNREACHABLE, LinkStatus.INVALID


async def _check(server: WebServer, ca_file: Path, urls: list[str]) -> dict[str, LinkStatus]:
    resolver = StaticResolver({name: server.address for name in TLS_NAMES})
    results = await check_urls(urls, fast_config(ca_bundles=[ca_file]), resolver=resolver)
    return {url: result.status for url, result in results.items()}


async def test_yandex_disk(tls_web: WebServer, ca_file: Path) -> None:
    disk = "disk.yandex.ru"
    tls_web.route("/i/SyntheticPublic01", page("plan.pdf — Яндекс Диск", "<h1>plan.pdf</h1>"), host=disk)
    tls_web.route(
        "/i/SyntheticGone001", page("Яндекс Диск", "<h1>Файл не найден</h1>", status=404), host=disk
    )
    tls_web.route("/i/SyntheticLimit01", page("Яндекс Диск", "<h1>Доступ к файлу ограничен</h1>"), host=disk)
    tls_web.route("/i/SyntheticBlock01", page("Яндекс Диск", "<h1>Файл заблокирован</h1>"), host=disk)
    tls_web.route("/i/SyntheticLogin01", redirect("https://passport.yandex.ru/auth?retpath=x"), host=disk)
    tls_web.route("/d/SyntheticRobot01", redirect("https://disk.yandex.ru/showcaptcha?retpath=x"), host=disk)
    tls_web.route(
        "/showcaptcha", page("Ой!", "Подтвердите, что запросы отправляли вы, а не робот"), host=disk
    )
    tls_web.route(
        "/i/SyntheticPublic01", redirect("https://disk.yandex.ru/i/SyntheticPublic01", 301), host="yadi.sk"
    )
    base = "https://disk.yandex.ru"
    urls = {
        f"{base}/i/SyntheticPublic01": OK,
        f"{base}/i/SyntheticGone001": BROKEN,
        f"{base}/i/SyntheticLimit01": RESTRICTED,
        f"{base}/i/SyntheticBlock01": BROKEN,
        f"{base}/i/SyntheticLogin01": RESTRICTED,
        f"{base}/d/SyntheticRobot01": UNREACHABLE,
        "https://yadi.sk/i/SyntheticPublic01": OK,
    }
    assert await _check(tls_web, ca_file, list(urls)) == urls
    assert tls_web.counts()["GET passport.yandex.ru/auth?retpath=x"] == 0


async def test_yandex_docs_viewer(tls_web: WebServer, ca_file: Path) -> None:
    viewer = "https://docs.yandex.ru/docs/view?url="
    tls_web.route(
        "/docs/view", page("Документ — Яндекс Документы", "<h1>План работы</h1>"), host="docs.yandex.ru"
    )
    urls = {
        viewer + "ya-browser%3A%2F%2F4DT1uXSynthetic%3D%3D&name=plan.xlsx&nosw=1": INVALID,
        viewer + "ya-disk%3A%2F%2F%2Fdisk%2Fplan.docx&name=plan.docx": RESTRICTED,
        viewer + "ya-mail%3A%2F%2F123%2F1.2&name=plan.pdf": RESTRICTED,
        viewer + "ya-disk-public%3A%2F%2FSyntheticKey%3D&name=plan.pdf": OK,
        "https://docs.yandex.ru/docs/view?name=plan.pdf": INVALID,
    }
    assert await _check(tls_web, ca_file, list(urls)) == urls
    assert tls_web.hits("/docs/view?url=ya-disk-public%3A%2F%2FSyntheticKey%3D&name=plan.pdf") == 1
    assert len(tls_web.seen) == 1, "viewer links to private schemes are decided without a request"


async def test_google_drive_and_docs(tls_web: WebServer, ca_file: Path) -> None:
    drive, docs = "drive.google.com", "docs.google.com"
    login = "https://accounts.google.com/ServiceLogin?continue=x"
    tls_web.route("/file/d/SyntheticPublicId/view", page("report.pdf - Google Диск"), host=drive)
    tls_web.route("/file/d/SyntheticPrivateId/view", redirect(login), host=drive)
    tls_web.route(
        "/file/d/SyntheticDeletedId/view", page("Google Диск – файл не существует", status=404), host=drive
    )
    tls_web.route(
        "/document/d/SyntheticDocId/edit", redirect("https://accounts.google.com/v3/signin/x"), host=docs
    )
    tls_web.route("/spreadsheets/d/SyntheticSheet/edit", page("Sign in - Google Accounts"), host=docs)
    tls_web.route("/drive/folders/SyntheticFolder", Reply(403), host=drive)
    urls = {
        "https://drive.google.com/file/d/SyntheticPublicId/view?usp=sharing": OK,
        "https://drive.google.com/file/d/SyntheticPrivateId/view?usp=sharing": RESTRICTED,
        "https://drive.google.com/file/d/SyntheticDeletedId/view?usp=sharing": BROKEN,
        "https://docs.google.com/document/d/SyntheticDocId/edit": RESTRICTED,
        "https://docs.google.com/spreadsheets/d/SyntheticSheet/edit": RESTRICTED,
        "https://drive.google.com/drive/folders/SyntheticFolder": RESTRICTED,
    }
    assert await _check(tls_web, ca_file, list(urls)) == urls
    assert not any(s.host == "accounts.google.com" for s in tls_web.seen), (
        "the login page itself is not requested"
    )


async def test_google_private_reason_says_what_to_do(tls_web: WebServer, ca_file: Path) -> None:
    tls_web.route("/file/d/SyntheticPrivateId/view", redirect("https://accounts.google.com/ServiceLogin"))
    resolver = StaticResolver({"drive.google.com": tls_web.address})
    url = "https://drive.google.com/file/d/SyntheticPrivateId/view"
    result = (await check_urls([url], fast_config(ca_bundles=[ca_file]), resolver=resolver))[url]
    assert "не открыт для всех" in result.reason and "Все, у кого есть ссылка" in result.reason
