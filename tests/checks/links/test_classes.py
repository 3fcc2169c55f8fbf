"""Every class and the generic rules, against a real server on 127.0.0.1."""

from __future__ import annotations

import gzip

from site_builder import __version__
from site_builder.content.settings.link_check import LinkStatus
from tests.helpers.links import CheckFn
from tests.helpers.web import Reply, WebServer, free_port, page, redirect

OK, BROKEN, RESTRICTED = LinkStatus.OK, LinkStatus.BROKEN, LinkStatus.RESTRICTED
UNREACHABLE, INVALID, SKIPPED = LinkStatus.UNREACHABLE, LinkStatus.INVALID, LinkStatus.SKIPPED


async def test_ok_page_and_status_codes(web: WebServer, check: CheckFn) -> None:
    web.route("/ok", page("Приказ об участии в проекте", "текст"))
    web.route("/gone", Reply(410))
    web.route("/bad", Reply(400))
    web.route("/teapot", Reply(418))
    results = await check([f"http://example.org/{p}" for p in ("ok", "missing", "gone", "bad", "teapot")])
    got = {url.rsplit("/", 1)[1]: (r.status, r.http_status) for url, r in results.items()}
    assert got == {
        "ok": (OK, 200),
        "missing": (BROKEN, 404),
        "gone": (BROKEN, 410),
        "bad": (BROKEN, 400),
        "teapot": (BROKEN, 418),
    }
    assert "HTTP 404" in results["http://example.org/missing"].reason
    assert "HTTP 410" in results["http://example.org/gone"].reason


async def test_login_and_access_denied_are_restricted(web: WebServer, check: CheckFn) -> None:
    web.route("/401", Reply(401))
    web.route("/403", Reply(403))
    web.route("/wall", page("Доступ запрещён", "Обратитесь к администратору"))
    web.route("/en-wall", page("Access denied"))
    web.route("/to-login", redirect("/user/login?destination=doc"))
    results = await check([f"http://example.org/{p}" for p in ("401", "403", "wall", "en-wall", "to-login")])
    assert {r.status for r in results.values()} == {RESTRICTED}
    assert "HTTP 401" in results["http://example.org/401"].reason
    assert "HTTP 403" in results["http://example.org/403"].reason
    assert "Доступ запрещен" in results["http://example.org/wall"].reason
    assert web.hits("/user/login?destination=doc") == 0, "a login page is recognised without being requested"


async def test_soft_404_in_russian_and_english(web: WebServer, check: CheckFn) -> None:
    web.route("/ru", page("Школа №1", "<h1>Запрашиваемая страница не найдена</h1>"))
    web.route("/deleted", page("Документы", "<h1>Файл был удалён</h1>"))
    web.route("/en", page("Oops", "Sorry, the file you have requested does not exist."))
    web.route("/order-404", page("Приказ № 404 от 01.09.2022", "<p>" + "Текст приказа. " * 60 + "</p>"))
    web.route("/remote", page("Удалённое обучение", "<p>" + "Расписание занятий. " * 60 + "</p>"))
    results = await check([f"http://example.org/{p}" for p in ("ru", "deleted", "en", "order-404", "remote")])
    status = {url.rsplit("/", 1)[1]: r.status for url, r in results.items()}
    assert status == {"ru": BROKEN, "deleted": BROKEN, "en": BROKEN, "order-404": OK, "remote": OK}
    assert "мягкая 404" in results["http://example.org/ru"].reason


async def test_windows_1251_page_without_declared_charset(web: WebServer, check: CheckFn) -> None:
    body = "<html><head><title>Страница не найдена</title></head><body></body></html>".encode("cp1251")
    web.route("/cp", Reply(200, body, content_type="text/html"))
    results = await check(["http://example.org/cp"])
    assert results["http://example.org/cp"].status is BROKEN


async def test_redirects_are_followed_and_final_url_recorded(web: WebServer, check: CheckFn) -> None:
    web.route("/old", redirect("/middle", 301))
    web.route("/middle", redirect("http://mirror.example.org/new", 307))
    web.route("/new", page("Отчёт"))
    results = await check(["http://example.org/old"], hosts=("example.org", "mirror.example.org"))
    result = results["http://example.org/old"]
    assert (result.status, result.final_url, result.attempts) == (OK, "http://mirror.example.org/new", 3)


async def test_redirect_loop_and_cap(web: WebServer, check: CheckFn) -> None:
    web.route("/a", redirect("/b"))
    web.route("/b", redirect("/a"))
    for n in range(5):
        web.route(f"/step{n}", redirect(f"/step{n + 1}"))
    results = await check(["http://example.org/a", "http://example.org/step0"], max_redirects=3)
    loop, chain = results["http://example.org/a"], results["http://example.org/step0"]
    assert loop.status is BROKEN and "по кругу" in loop.reason
    assert chain.status is BROKEN and "больше 3 перенаправлений" in chain.reason
    assert web.hits("/a") == 1 and web.hits("/b") == 1


async def test_cookie_dance_on_one_url_is_not_a_loop(web: WebServer, check: CheckFn) -> None:
    web.route("/doc", [redirect("/doc", cookie="seen=1; Path=/"), page("Документ")])
    result = (await check(["http://example.org/doc"]))["http://example.org/doc"]
    assert result.status is OK
    assert web.seen[1].headers.get("Cookie") == "seen=1"


async def test_cookies_stay_within_one_chain_and_host(web: WebServer, check: CheckFn) -> None:
    web.route("/set", Reply(200, "<title>x</title>", headers={"Set-Cookie": "session=abc; Path=/"}))
    web.route("/after", page("Потом"))
    web.route("/jump", redirect("http://other.example.org/land", cookie="jump=1; Path=/"))
    web.route("/land", page("Другой сайт"))
    urls = ["http://example.org/set", "http://example.org/after", "http://example.org/jump"]
    results = await check(
        urls, hosts=("example.org", "other.example.org"), concurrency=1, per_host_concurrency=1
    )
    assert {r.status for r in results.values()} == {OK}
    assert [s.path for s in web.checked()] == ["/set", "/after", "/jump", "/land"]
    assert all("Cookie" not in s.headers for s in web.seen)


async def test_retries_5xx_with_backoff_then_broken(web: WebServer, check: CheckFn) -> None:
    web.route("/flaky", [Reply(503), page("Работает")])
    web.route("/down", Reply(500))
    results = await check(["http://example.org/flaky", "http://example.org/down"], retries=2)
    assert results["http://example.org/flaky"].status is OK
    assert results["http://example.org/flaky"].attempts == 2
    down = results["http://example.org/down"]
    assert (down.status, down.attempts) == (BROKEN, 3)
    assert "HTTP 500" in down.reason and "попыток: 3" in down.reason


async def test_429_honours_retry_after_up_to_the_cap(web: WebServer, check: CheckFn) -> None:
    web.route("/busy", [Reply(429, headers={"Retry-After": "3600"}), page("Готово")])
    web.route("/always-busy", Reply(429, headers={"Retry-After": "1"}))
    results = await check(["http://example.org/busy", "http://example.org/always-busy"], retry_after_cap=0.2)
    assert results["http://example.org/busy"].status is OK, "an hour of Retry-After is capped, not waited"
    busy = results["http://example.org/always-busy"]
    assert busy.status is UNREACHABLE and "HTTP 429" in busy.reason


async def test_head_for_documents_and_get_fallback(web: WebServer, check: CheckFn) -> None:
    web.route("/plan.pdf", Reply(200, b"%PDF-1.4 synthetic", content_type="application/pdf"))
    web.route("/odd.pdf", [Reply(405), Reply(200, b"%PDF-1.4", content_type="application/pdf")])
    web.route("/page", page("Страница"))
    results = await check(
        ["http://example.org/plan.pdf", "http://example.org/odd.pdf", "http://example.org/page"]
    )
    assert {r.status for r in results.values()} == {OK}
    assert web.counts()["HEAD example.org/plan.pdf"] == 1 and web.hits("/plan.pdf") == 1
    assert web.counts()["HEAD example.org/odd.pdf"] == 1 and web.counts()["GET example.org/odd.pdf"] == 1
    assert web.counts()["GET example.org/page"] == 1 and web.hits("/page", "HEAD") == 0


async def test_each_distinct_url_requested_once(web: WebServer, check: CheckFn) -> None:
    web.route("/doc", page("Документ"))
    spellings = [
        "http://example.org/doc",
        "HTTP://EXAMPLE.ORG/doc",
        " http://example.org:80/doc#top ",
        "http://example.org/doc",
    ]
    results = await check(spellings)
    assert web.hits("/doc") == 1, "a spelling with #top shares the request of the page"
    assert len({id(results[spelling]) for spelling in spellings if "#" not in spelling}) == 1
    assert set(results) == set(spellings) and {r.status for r in results.values()} == {OK}


async def test_idn_host_and_cyrillic_path_are_encoded(web: WebServer, check: CheckFn) -> None:
    path = "/%D0%B8%D1%82%D0%BE%D0%B3%D0%B8%20%D0%BA%D0%BE%D0%BD%D0%BA%D1%83%D1%80%D1%81%D0%B0.html"
    web.route(path, page("Итоги"), host="xn----7sbqlhgklmkd9f.xn--p1ai")
    results = await check(
        ["http://школа-пример.рф/итоги конкурса.html", "http://школа-пример.рф/итоги%20конкурса.html"],
        hosts=("xn----7sbqlhgklmkd9f.xn--p1ai",),
    )
    assert {r.status for r in results.values()} == {OK}
    assert [s.path for s in web.checked()] == [path]
    assert web.seen[0].host == "xn----7sbqlhgklmkd9f.xn--p1ai"


async def test_user_agent_names_the_tool_and_version(web: WebServer, check: CheckFn) -> None:
    web.route("/ua", page("x"))
    await check(["http://example.org/ua"])
    assert f"site-builder/{__version__}" in web.seen[0].headers["User-Agent"]


async def test_dns_not_found_is_broken(check: CheckFn) -> None:
    result = (await check(["http://no-such-host.example.org/doc"]))["http://no-such-host.example.org/doc"]
    assert result.status is BROKEN and "не существует" in result.reason and result.attempts == 0


async def test_refused_connection_is_unreachable_and_not_retried(check: CheckFn) -> None:
    port = free_port()
    result = (await check(["http://example.org/x"], table={"example.org": f"127.0.0.1:{port}"}, retries=2))[
        "http://example.org/x"
    ]
    assert result.status is UNREACHABLE and "отказал в подключении" in result.reason
    assert "попыток" not in result.reason and result.attempts == 1, "a closed port is not retried"


async def test_documents_are_retried_too(web: WebServer, check: CheckFn) -> None:
    web.route("/plan.pdf", Reply(503))
    url = "http://example.org/plan.pdf"
    result = (await check([url], retries=2))[url]
    assert result.status is BROKEN and "HTTP 503" in result.reason and "попыток: 3" in result.reason
    assert web.counts() == {"HEAD example.org/plan.pdf": 1, "GET example.org/plan.pdf": 3}


async def test_read_timeout_is_unreachable(web: WebServer, check: CheckFn) -> None:
    web.route("/slow", Reply(200, "<title>x</title>", delay=1.0))
    result = (await check(["http://example.org/slow"], read_timeout=0.2, retries=0))[
        "http://example.org/slow"
    ]
    assert result.status is UNREACHABLE and "тайм-аут ответа" in result.reason


async def test_offline_classes_need_no_request(web: WebServer, check: CheckFn) -> None:
    urls = [
        "mailto:school@example.org",
        "tel:+7-000-000-00-00",
        "ya-browser://4DT1uXEPRrJRXIUF",
        "file:///C:/Users/teacher/plan.docx",
        "www.example.org/plan.pdf",
        "http://exa mple.org/",
        "http://example.org/skip-me/1",
    ]
    results = await check(urls, exclude=[r"/skip-me/"])
    status = [results[url].status for url in urls]
    assert status == [SKIPPED, SKIPPED, INVALID, INVALID, INVALID, INVALID, SKIPPED]
    assert "Яндекс Браузере" in results["ya-browser://4DT1uXEPRrJRXIUF"].reason
    assert "без протокола" in results["www.example.org/plan.pdf"].reason
    assert web.seen == []


async def test_gzip_body_is_read_and_bounded(web: WebServer, check: CheckFn) -> None:
    soft = gzip.compress(b"<title>404 Not Found</title>" + b" " * 10_000_000)
    web.route("/zipped", Reply(200, soft, headers={"Content-Encoding": "gzip"}))
    result = (await check(["http://example.org/zipped"], max_body_bytes=4096))["http://example.org/zipped"]
    assert result.status is BROKEN and "мягкая 404" in result.reason


async def test_total_run_time_is_capped(web: WebServer, check: CheckFn) -> None:
    web.route("/slow", Reply(200, "<title>x</title>", delay=2.0))
    urls = [f"http://example.org/slow?n={n}" for n in range(3)]
    results = await check(urls, max_run_seconds=0.3, read_timeout=5, retries=0)
    assert {r.status for r in results.values()} == {UNREACHABLE}
    assert all("общее время" in r.reason for r in results.values())


async def test_deflate_with_or_without_zlib_header_and_empty_gzip_are_read(
    web: WebServer, check: CheckFn
) -> None:
    import zlib

    html = "<title>Страница не найдена</title>".encode()
    raw = zlib.compressobj(wbits=-15)
    web.route("/zlib", Reply(200, zlib.compress(html), headers={"Content-Encoding": "deflate"}))
    web.route("/raw", Reply(200, raw.compress(html) + raw.flush(), headers={"Content-Encoding": "deflate"}))
    web.route("/empty", Reply(200, b"", headers={"Content-Encoding": "gzip"}))
    results = await check([f"http://example.org/{p}" for p in ("zlib", "raw", "empty")])
    status = {url.rsplit("/", 1)[1]: r.status for url, r in results.items()}
    assert status == {"zlib": BROKEN, "raw": BROKEN, "empty": OK}, "both deflates are read (soft 404 seen)"
    assert all("мягкая 404" in results[f"http://example.org/{p}"].reason for p in ("zlib", "raw"))
