"""A run over examples/shakhty with every host mapped to local stand-ins.

The stand-ins' answers are made up for the test (the real files may be in any state): every Яндекс Диск file
public, the Drive file of 3.8 public, the one-letter-different id of 3.14 missing, the Drive file of 3.10 not
shared; the other sites serve their documents. What is checked is the whole pipeline on real content: every
distinct URL requested once, Cyrillic paths encoded, viewer links decided offline, the lint of the report.
"""

from __future__ import annotations

from pathlib import Path

from site_builder.checks.links.collect import collect_content
from site_builder.checks.links.guard import StaticResolver
from site_builder.checks.links.run import run_check
from site_builder.content.settings.link_check import LinkStatus
from tests.helpers.links import fast_config
from tests.helpers.sites import REPO
from tests.helpers.web import Reply, WebServer, page, redirect

SHAKHTY = REPO / "examples" / "shakhty"
DISK_IDS = (
    "Blmt1s8clBuahg", "ICY6Z8YXcPbt-g", "DN6Tz3dnFAWbJg", "cvGK9DI6OXJMUQ", "u4b9vaNr75uajQ", "D2HJgrMFsqhrWw",
    "4vgxZzfSayV4NQ", "CXhwsswPYtmiRA", "X_s8fEMkdoUJ2w", "pSNqcX8pbPktOO",
)  # fmt: skip
RIPKRO_PATH = (
    "/upload/iblock/dd9/06suqawsbnl3p6xwk3yeb87k6dzkzfc4/"
    "%D0%98%D1%82%D0%BE%D0%B3%D0%B8%20%D0%BA%D0%BE%D0%BD%D0%BA%D1%83%D1%80%D1%81%D0%B0.pdf"
)
PDF = Reply(200, b"%PDF-1.4 synthetic", content_type="application/pdf")


def _stand_ins(tls: WebServer, web: WebServer) -> None:
    for disk_id in DISK_IDS:
        tls.route(f"/i/{disk_id}", page("Документ — Яндекс Диск", "<h1>Документ</h1>"), host="disk.yandex.ru")
    drive = "drive.google.com"
    tls.route(
        "/file/d/1ECCjC-e3QbNLJePKfXZgP5CXgkuH7aWq/view?usp=sharing", page("Приказ - Google Диск"), host=drive
    )
    tls.route("/file/d/1CKKbmKMM_XjxoPha5gDkv0SU98-wIolA/view?usp=sharing",
              redirect("https://accounts.google.com/ServiceLogin?continue=x"), host=drive)  # fmt: skip
    tls.route(RIPKRO_PATH, PDF, host="ripkro.ru")
    web.route("/500/programma_na_stavnichestva_uchitel-uchenik.pdf", PDF, host="school7shakhty.ucoz.net")
    web.route(
        "/taxonomy/term/147", page("Проект 500+ | Департамент образования г. Шахты"), host="shakhty-edu.ru"
    )


def test_shakhty_report_links(tls_web: WebServer, web: WebServer, ca_file: Path) -> None:
    _stand_ins(tls_web, web)
    table = {f"{host}:443": tls_web.address for host in ("disk.yandex.ru", "drive.google.com", "ripkro.ru")}
    table |= {f"{host}:80": web.address for host in ("school7shakhty.ucoz.net", "shakhty-edu.ru")}
    collection = collect_content(SHAKHTY)
    report = run_check(collection, fast_config(ca_bundles=[ca_file]), resolver=StaticResolver(table))

    by_status: dict[LinkStatus, set[str]] = {}
    for url, result in report.results.items():
        by_status.setdefault(result.status, set()).add(url)
    assert len(report.results) == 17
    assert by_status[LinkStatus.BROKEN] == {
        "https://drive.google.com/file/d/1ECCjC-e3QbNLiePKfXZgP5CXgkuH7aWq/view?usp=sharing"
    }
    assert by_status[LinkStatus.RESTRICTED] == {
        "https://drive.google.com/file/d/1CKKbmKMM_XjxoPha5gDkv0SU98-wIolA/view?usp=sharing"
    }
    [viewer] = by_status[LinkStatus.INVALID]
    assert viewer.startswith("https://docs.yandex.ru/docs/view?url=ya-browser")
    assert len(by_status[LinkStatus.OK]) == 14 and report.failed

    counts = tls_web.counts() + web.counts()
    assert all(n == 1 for n in counts.values()), counts
    assert counts[f"HEAD ripkro.ru{RIPKRO_PATH}"] == 1
    assert not any(s.host == "accounts.google.com" for s in tls_web.seen)

    sources = report.sources[f"https://ripkro.ru{RIPKRO_PATH}"]
    assert [ref.item for ref in sources] == ["3.8", "3.14"]
    messages = sorted(problem.message for problem in report.problems)
    assert len(messages) == 2
    assert any("1.2." in m and "без ссылки" in m for m in messages)
    assert any("NLiePK" in m and "NLJePK" in m and "3.14" in m for m in messages)
