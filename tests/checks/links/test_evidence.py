"""Evidence on hosts no rule names: dead files, soft 404s, documents that are pages, fragments, slow hosts.

The stand-ins imitate the cases measured in issue 19 with other wordings and made-up hosts (cloud.example.net,
school.example.org, files.example.com …); none of them is a real site.
"""

from __future__ import annotations

import io
import json

import pypdf
import pytest

from site_builder.checks.links.collect import collect_refs
from site_builder.checks.links.documents import SCAN_WARNING
from site_builder.checks.links.guard import StaticResolver
from site_builder.checks.links.report import format_json
from site_builder.checks.links.run import run_check
from site_builder.cli.link_formats import format_markdown, format_text
from site_builder.content.links import LinkRef
from site_builder.content.settings.link_check import LinkStatus
from tests.helpers.links import CheckFn, fast_config
from tests.helpers.synthetic_pdfs import fpdf_scan_pdf, fpdf_text_pdf, scan_pdf, text_pdf
from tests.helpers.web import Reply, WebServer, page, redirect

OK, BROKEN, RESTRICTED = LinkStatus.OK, LinkStatus.BROKEN, LinkStatus.RESTRICTED
SOFT = "сайт отвечает так же, как на несуществующий адрес"
INSTEAD = "вместо документа открывается страница"

CHROME = (
    "<nav>" + " ".join(f"<a href='/r{n}'>Раздел сайта номер {n}</a>" for n in range(30)) + "</nav>"
    "<footer>Муниципальное бюджетное общеобразовательное учреждение (вымышленное), адрес и телефоны</footer>"
)


def cms_page(title: str, content: str) -> Reply:
    """A school CMS page: long navigation and footer around the content, as on most school sites."""
    return page(title, f"{CHROME}<main><h1>{title}</h1>{content}</main>")


async def test_dead_cloud_files_on_a_host_without_a_rule(web: WebServer, check: CheckFn) -> None:
    host = "cloud.example.net"
    wordings = {
        "/public/Aa1": "Публичная ссылка больше не работает. Владелец удалил этот файл или закрыл к нему общий доступ",
        "/public/Bb2": "Файл, который вы ищете, удалён владельцем",
        "/public/Cc3": "The owner has removed this file",
        "/public/Dd4": "This shared link has been disabled",
        "/public/Ee5": "Срок действия ссылки истёк",
    }
    for path, text in wordings.items():
        web.route(path, page("Облако", f"<div class='error'>{text}</div>"), host=host)
    web.route("/public/Ok6", page("Облако — plan.pdf", "<div>plan.pdf, 1,2 МБ <a href='#'>Скачать</a></div>"))
    urls = [f"http://{host}{path}" for path in [*wordings, "/public/Ok6"]]
    results = await check(urls, hosts=(host,))
    assert {url: r.status for url, r in results.items()} == {**{u: BROKEN for u in urls[:-1]}, urls[-1]: OK}
    assert "файл удалён" in results[urls[0]].reason or "больше не действует" in results[urls[0]].reason
    assert "больше не действует" in results[urls[3]].reason


async def test_a_cms_answering_every_address_with_its_home_page(web: WebServer, check: CheckFn) -> None:
    host = "school.example.org"
    home = cms_page("Главная", "<p>Добро пожаловать на сайт школы. Новости, объявления, расписание.</p>")
    web.answer_everything(home, host)
    web.route("/", home, host=host)
    web.route(
        "/news/prikaz-15", cms_page("Приказ № 15", "<p>" + "Текст приказа о рабочей группе. " * 8 + "</p>")
    )
    web.route("/upload/plan.pdf", Reply(200, text_pdf(), content_type="application/pdf"), host=host)
    base = f"http://{host}"
    urls = {
        f"{base}/upload/otchet-2022-etap2.pdf": BROKEN,  # missing: the home page, with 200
        f"{base}/svedenia/programma-razvitiya": BROKEN,
        f"{base}/news/prikaz-15": OK,  # a real page on the same CMS
        f"{base}/upload/plan.pdf": OK,
        f"{base}/": OK,  # the home page itself is not a placeholder
    }
    results = await check(list(urls), hosts=(host,))
    assert {url: r.status for url, r in results.items()} == urls
    assert INSTEAD in results[f"{base}/upload/otchet-2022-etap2.pdf"].reason
    assert "«Главная»" in results[f"{base}/upload/otchet-2022-etap2.pdf"].reason
    assert SOFT in results[f"{base}/svedenia/programma-razvitiya"].reason


async def test_a_file_host_with_one_placeholder_for_every_share_id(web: WebServer, check: CheckFn) -> None:
    host = "files.example.com"
    # A wording the lexicon does not know: only the comparison with a random share id can tell.
    web.answer_everything(
        page("Обмен файлами", "<h1>Публикация недоступна</h1><p>Проверьте адрес.</p>"), host
    )
    web.route("/s/RealShare01", page("Обмен файлами — otchet.docx", "<h1>otchet.docx</h1><p>48 КБ</p>"))
    dead, real = f"http://{host}/s/GoneShare99", f"http://{host}/s/RealShare01"
    results = await check([dead, real], hosts=(host,))
    assert results[dead].status is BROKEN and SOFT in results[dead].reason
    assert results[real].status is OK
    assert len(web.probes()) == 1, "one probe for the host and path shape, shared by both links"
    assert results[dead].attempts == 1, "the probe is the host's cost, not the link's"


async def test_a_placeholder_reached_by_redirect(web: WebServer, check: CheckFn) -> None:
    host = "portal.example.org"
    web.answer_everything(redirect("/"), host)
    web.route("/", cms_page("Портал образования", "<p>Новости региона.</p>"), host=host)
    web.route("/docs/new.html", cms_page("Положение о конкурсе", "<p>" + "Пункт положения. " * 20 + "</p>"))
    old, new = f"http://{host}/docs/old.html", f"http://{host}/docs/new.html"
    results = await check([old, new], hosts=(host,))
    assert results[old].status is BROKEN and SOFT in results[old].reason
    assert results[new].status is OK


async def test_a_host_whose_404_page_says_200_but_differs_from_each_page(
    web: WebServer, check: CheckFn
) -> None:
    host = "gosweb.example.ru"
    web.answer_everything(cms_page("Ошибка", "<p>Запрошенный адрес отсутствует</p>"), host)
    pages = [f"/activity/{n}" for n in ("1", "2", "3")]
    for n, path in enumerate(pages):
        web.route(path, cms_page(f"Мероприятие {n}", f"<p>Описание мероприятия номер {n}.</p>"), host=host)
    results = await check([f"http://{host}{p}" for p in pages], hosts=(host,))
    assert {r.status for r in results.values()} == {OK}, "real pages on a host with 200 placeholders stay ok"


async def test_phrases_from_the_settings_extend_the_lexicon(web: WebServer, check: CheckFn) -> None:
    web.route("/doc/7", page("Документ", "<h1>Материал снят с публикации</h1>"))
    url = "http://example.org/doc/7"
    plain = (await check([url]))[url]
    extended = (await check([url], phrases={"file_deleted": [r"снят\w* с публикации"]}))[url]
    assert plain.status is OK
    assert extended.status is BROKEN and "снят с публикации" in extended.reason


def test_a_phrase_that_does_not_compile_is_refused() -> None:
    with pytest.raises(ValueError, match="неверное регулярное выражение"):
        fast_config(phrases={"link_invalid": ["(unclosed"]})


async def test_documents_read_by_their_own_bytes(web: WebServer, check: CheckFn) -> None:
    pdf = "application/pdf"
    web.route("/text.pdf", Reply(200, text_pdf(), content_type=pdf))
    web.route("/scan.pdf", Reply(200, scan_pdf(), content_type=pdf))
    web.route("/page.pdf", Reply(200, "<!DOCTYPE html><title>Вход</title>".encode(), content_type=pdf))
    web.route("/report.docx", Reply(200, text_pdf(), content_type="application/octet-stream"))
    web.route("/empty.xlsx", Reply(200, b"", content_type="application/vnd.ms-excel"))
    web.route("/download?id=5", Reply(200, "\n<html><title>Ошибка</title></html>".encode(), content_type=pdf))
    web.route("/office.pdf", Reply(200, fpdf_text_pdf(), content_type=pdf))
    web.route("/scanner.pdf", Reply(200, fpdf_scan_pdf(), content_type=pdf))
    names = ["text.pdf", "scan.pdf", "page.pdf", "report.docx", "empty.xlsx", "download?id=5"]
    names += ["office.pdf", "scanner.pdf"]
    urls = [f"http://example.org/{name}" for name in names]
    results = await check(urls, documents=True)
    got = {url.rsplit("/", 1)[1]: (r.status, r.warning) for url, r in results.items()}
    assert got == {
        "text.pdf": (OK, ""),
        "scan.pdf": (OK, SCAN_WARNING),
        "page.pdf": (BROKEN, ""),
        "report.docx": (BROKEN, ""),
        "empty.xlsx": (BROKEN, ""),
        "download?id=5": (BROKEN, ""),
        "office.pdf": (OK, ""),
        "scanner.pdf": (OK, SCAN_WARNING),
    }
    assert INSTEAD in results[urls[2]].reason and INSTEAD in results[urls[5]].reason
    assert "ожидался ZIP" in results[urls[3]].reason and "0 байт" in results[urls[4]].reason
    # The stand-ins really are what the tests say: pypdf reads text from one and none from the other.
    assert "Synthetic order" in pypdf.PdfReader(io.BytesIO(text_pdf())).pages[0].extract_text()
    for made, has_text in ((scan_pdf(), False), (fpdf_text_pdf(), True), (fpdf_scan_pdf(), False)):
        assert bool(pypdf.PdfReader(io.BytesIO(made)).pages[0].extract_text().strip()) is has_text


async def test_documents_are_not_downloaded_unless_asked_and_capped_when_asked(
    web: WebServer, check: CheckFn
) -> None:
    big = scan_pdf() + b"%" + b"0" * 200_000  # a scan longer than the cap: only the head is read
    web.route("/big.pdf", Reply(200, big, content_type="application/pdf"))
    web.route("/scan.pdf", Reply(200, scan_pdf(), content_type="application/pdf"))
    urls = ["http://example.org/big.pdf", "http://example.org/scan.pdf"]
    plain = await check(urls)
    assert {r.warning for r in plain.values()} == {""} and web.hits("/scan.pdf", "GET") == 0
    capped = await check(urls, documents=True, max_document_bytes=4096)
    assert capped[urls[0]].status is OK and capped[urls[0]].warning == "", "a cut PDF is not judged a scan"
    assert capped[urls[1]].warning == SCAN_WARNING


async def test_fragments_must_name_a_place_on_the_page(web: WebServer, check: CheckFn) -> None:
    web.route(
        "/plan", page("План", "<h2 id='razdel-2'>Раздел 2</h2><a name='old-anchor'></a><p id='итоги'>x</p>")
    )
    base = "http://example.org/plan"
    spellings = {
        f"{base}#razdel-2": OK,
        f"{base}#old-anchor": OK,
        f"{base}#%D0%B8%D1%82%D0%BE%D0%B3%D0%B8": OK,  # «итоги», percent-encoded
        f"{base}#top": OK,
        f"{base}#!/spa/route": OK,  # a script route names no element
        f"{base}#razdel-9": BROKEN,
        base: OK,
    }
    results = await check(list(spellings))
    assert {url: r.status for url, r in results.items()} == spellings
    assert "нет места с id «razdel-9»" in results[f"{base}#razdel-9"].reason
    assert web.hits("/plan") == 1, "every fragment is judged on one fetch of the page"


async def test_a_fragment_on_a_broken_page_keeps_the_page_verdict(web: WebServer, check: CheckFn) -> None:
    url = "http://example.org/gone#part"
    result = (await check([url]))[url]
    assert result.status is BROKEN and "HTTP 404" in result.reason


async def test_408_is_retried(web: WebServer, check: CheckFn) -> None:
    web.route("/busy", [Reply(408), page("Готово")])
    result = (await check(["http://example.org/busy"], retries=2))["http://example.org/busy"]
    assert result.status is OK and result.attempts == 2


def _ref(url: str, line: int) -> LinkRef:
    return LinkRef(
        url,
        "content/reports/x.yaml",
        line,
        5,
        "evidence",
        "Приказ",
        "Отчёт (вымышленный)",
        "reports/x",
        "1.1.",
    )


def test_the_summary_names_the_hosts_that_cost_the_most_time(web: WebServer) -> None:
    web.route("/slow", Reply(200, "<title>Медленно</title>", delay=0.3), host="slow.example.org")
    web.route("/fast", page("Быстро"), host="fast.example.org")
    web.route("/scan.pdf", Reply(200, scan_pdf(), content_type="application/pdf"), host="fast.example.org")
    refs = [_ref("http://slow.example.org/slow", 1), _ref("http://fast.example.org/fast", 2)]
    refs.append(_ref("http://fast.example.org/scan.pdf", 3))
    resolver = StaticResolver({"slow.example.org": web.address, "fast.example.org": web.address})
    config = fast_config(slow_host_seconds=0.25, documents=True)
    report = run_check(collect_refs(refs), config, resolver=resolver)
    assert [host for host, _ in report.slow_hosts()] == ["slow.example.org"]
    text = format_text(report)
    assert "Дольше всего проверялись сайты: slow.example.org —" in text
    assert "content/reports/x.yaml:3:5: предупреждение: работает — HTTP 200; " + SCAN_WARNING in text
    assert "с предупреждениями — 1" in text and "Проверка пройдена." in text
    summary = json.loads(format_json(report))["summary"]
    assert [entry["host"] for entry in summary["slow_hosts"]] == ["slow.example.org"]
    assert summary["warnings"] == 1
    assert "slow.example.org" in format_markdown(report)


async def test_pages_that_mention_such_words_stay_ok(web: WebServer, check: CheckFn) -> None:
    texts = {
        "/a": ("Приказ № 12", "<p>Скачать приказ. Если ссылка не работает, напишите администратору.</p>"),
        "/b": ("Удалённое обучение", "<p>Расписание удалённых занятий.</p>"),
        "/c": ("Доступ к информационным системам", "<p>Сведения о доступе к сети Интернет.</p>"),
        "/d": ("Полезные ссылки", "<p>Ссылки на сайты министерства и ФИОКО.</p>"),
    }
    for path, (title, text) in texts.items():
        web.route(path, page(title, f"<h1>{title}</h1>{text}"))
    results = await check([f"http://example.org{path}" for path in texts])
    assert {r.status for r in results.values()} == {OK}


async def test_fragments_of_unusable_addresses_and_rule_hosts_get_the_page_verdict(check: CheckFn) -> None:
    urls = [
        "http://[::1#part",
        "www.example.org/plan#part",
        "https://drive.google.com/file/d/Synthetic/view#x",
    ]
    results = await check(urls)
    assert [results[url].status for url in urls] == [LinkStatus.INVALID, LinkStatus.INVALID, BROKEN]
    assert "не существует" in results[urls[2]].reason, (
        "the test resolver knows no Google: DNS verdict, no crash"
    )
