"""Template-ready views: nothing an editor wrote is hidden, link texts make sense out of context."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from site_builder.build.site import build_site
from site_builder.content.models import Item, Link, Roadmap, Section
from site_builder.render.views import _host, evidence_links, table_view
from tests.helpers.html import soup
from tests.helpers.sites import make_site, read_fixture


def roadmap(columns: dict[str, str], item: Item) -> Roadmap:
    return Roadmap.model_validate(
        {
            "title": "Синтетическая карта",
            "level": "school",
            "year": 2024,
            "columns": columns,
            "sections": [Section(title="Раздел", items=[item])],
        }  # fmt: skip
    )


def test_evidence_and_info_get_a_column_when_the_header_lacks_one() -> None:
    item = Item(number="1", activity="Дело", info="Сайт ОО",
                evidence=[Link(title="Приказ", url="https://example.org/a.pdf")])  # fmt: skip
    view = table_view(roadmap({"number": "№", "activity": "Мероприятие"}, item))
    assert view.columns == [
        ("number", "№"), ("activity", "Мероприятие"),
        ("info", "Информационное сопровождение"), ("evidence", "Подтверждающие документы"),
    ]  # fmt: skip
    cells = {cell.key: cell for cell in view.sections[0].items[0].rows[0]}
    assert cells["evidence"].links[0].url == "https://example.org/a.pdf" and cells["info"].text == "Сайт ОО"


def test_declared_or_empty_columns_are_left_as_the_document_has_them() -> None:
    item = Item(number="1", activity="Дело")
    assert [key for key, _ in table_view(roadmap({"number": "№", "activity": "М"}, item)).columns] == [
        "number",
        "activity",
    ]


def test_evidence_texts_name_the_host_and_number_same_titled_links() -> None:
    links = [
        Link(title="План", url="https://disk.yandex.ru/i/one"),
        Link(title="План", url="https://www.example.org:8443/two"),
        Link(title="", url="https://user@docs.example.org/x"),
        Link(title="Отчет куратора", url=""),
    ]
    views = evidence_links(links)
    assert [(v.text, v.note) for v in views] == [
        ("План", "disk.yandex.ru, документ 1"),
        ("План", "example.org, документ 2"),
        ("Подтверждающий документ", "docs.example.org"),
        ("Отчет куратора", ""),
    ]


@pytest.mark.parametrize(
    "url",
    ["https://WWW.Example.org:8080/x", "HTTPS://Www.a.b/c", "https://user:pw@www.host.ru/p?q#f", "http://h", "https://h?x",
     "https://h#f", "https://[::1]:80/x", "https://h\t/x", "https://h/x\n", "https://h/a\tb", " https://h/x", "ftp://h/x", "https://",
     "mailto:x@y", "не адрес", "https://h\\x/y", "https://h;p/x", "http://школа.рф/путь", "//h/x"],
)  # fmt: skip
def test_a_links_host_is_the_one_urlsplit_finds(url: str) -> None:
    netloc = urlsplit(url).netloc if "://" in url else ""
    assert _host(url) == netloc.rpartition("@")[2].split(":")[0].removeprefix("www.")


def test_report_headers_are_the_roadmaps_words_else_the_defaults(tmp_path: Path) -> None:
    """The report table names its columns as the roadmap does, the defaults where the roadmap is silent; the page,
    its stacked (mobile) labels and the CMS fragment agree; a section number's dot is read as item_key reads it."""
    roadmap_yaml = read_fixture("roadmaps/demo-2022.yaml").replace(
        "  number: №\n  activity: Мероприятие\n  deadline: Срок реализации\n",
        "  number: № п/п\n  activity: Описание действий\n",
    )
    report_yaml = read_fixture("reports/demo-2022-1.yaml").replace("- number: '1'\n", "- number: '1.'\n", 1)
    content = make_site(
        tmp_path, {"roadmaps/demo-2022.yaml": roadmap_yaml, "reports/demo-2022-1.yaml": report_yaml}
    )
    output = tmp_path / "output"
    build_site(content, output, dt.date(2022, 12, 1))
    report = yaml.safe_load(report_yaml)
    expected = [
        "№ п/п",
        "Описание действий",
        "Срок реализации",
        "Статус",
        report.get("column", "Отчетная информация"),
    ]
    for name in ("demo-2022-1.html", "demo-2022-1-fragment.html"):
        table = soup(output / "reports" / name).table
        assert table is not None
        assert [th.get_text(strip=True) for th in table.select("thead th")] == expected
        heading = table.select("tbody tr")[0].th
        assert heading is not None and heading.get_text(strip=True) == "1. Первый раздел"
        assert heading["colspan"] == str(len(expected))
    page = soup(output / "reports" / "demo-2022-1.html")
    row = page.select_one("table.report tr.item-row")
    assert row is not None
    assert [cell["data-label"] for cell in row.find_all(["th", "td"])] == expected
