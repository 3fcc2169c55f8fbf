"""Template-ready views: nothing an editor wrote is hidden, link texts make sense out of context."""

from __future__ import annotations

from site_builder.content.models import Item, Link, Roadmap, Section
from site_builder.render.views import evidence_links, table_view


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
