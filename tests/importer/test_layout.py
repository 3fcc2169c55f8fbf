"""Understanding a table: columns, sections, continuation rows, page-break cuts and repeats (synthetic tables)."""

from __future__ import annotations

from site_builder.importer.findings import Finding, Findings
from site_builder.importer.layout import Entry, Layout, TaskLine, find_table, guess_columns, read_layout
from site_builder.importer.textfile import parse_text_export

HEADER = ["№", "Мероприятие", "Срок реализации", "Исполнители", "Задачи", "Показатель реализации"]


def tsv(*rows: list[str] | str) -> str:
    """Tab-separated rows; a plain string is a paragraph and "" ends a table (a page break)."""
    return "\n".join("\t".join(row) if isinstance(row, list) else f"\n{row}\n" if row else "" for row in rows)


def layout_of(text: str) -> tuple[Layout, list[Finding]]:
    blocks = parse_text_export(text)
    start = find_table(blocks)
    assert start is not None
    findings = Findings()
    return read_layout(blocks, start, findings), findings.sorted()


def entries(layout: Layout) -> dict[str, Entry]:
    return {entry.number: entry for entry in layout.entries()}


def row(number: str = "", activity: str = "", deadline: str = "", executors: str = "", task: str = "",
        indicator: str = "") -> list[str]:  # fmt: skip
    return [number, activity, deadline, executors, task, indicator]


def test_the_documents_own_headers_are_kept_for_the_model_keys() -> None:
    layout, _ = layout_of(
        tsv(HEADER, ["1. Раздел", "", "", "", "", ""], row("1.1", "А", "Май", "Все", "З", "П"))
    )
    assert layout.columns == dict(zip(["number", "activity", "deadline", "executors", "task", "indicator"], HEADER,
                                      strict=True))  # fmt: skip


def test_other_header_wordings_map_onto_the_same_keys() -> None:
    keys = guess_columns(("№ п/п", "Описание действий", "Дата реализации", "Региональный показатель реализации",
                          "Информационное сопровождение проекта", "Отчетная информация Второй этап"))  # fmt: skip
    assert keys == ["number", "activity", "deadline", "indicator", "info", "evidence"]
    assert guess_columns(("№№", "Задачи", "Сроки", "Ответственные")) == [
        "number",
        "activity",
        "deadline",
        "executors",
    ]


def test_section_rows_numbered_or_not_and_paragraphs_between_tables() -> None:
    layout, findings = layout_of(
        tsv(HEADER, ["1. Первый раздел", "", "", "", "", ""], row("1.1", "А"), "",
            "2. Второй раздел", HEADER, row("2.1", "Б"), ["Третий раздел", "", "", "", "", ""], row("3.1", "В"))
    )  # fmt: skip
    assert [(g.number, g.title, [e.number for e in g.entries]) for g in layout.groups] == [
        ("1", "Первый раздел", ["1.1"]),
        ("2", "Второй раздел", ["2.1"]),
        ("", "Третий раздел", ["3.1"]),
    ]
    assert findings == []


def test_rows_without_a_number_add_task_rows_with_their_own_executors() -> None:
    layout, findings = layout_of(
        tsv(HEADER, ["1. Р", "", "", "", "", ""], row("1.1", "А", "Май", "Школы", "З1", "П1"),
            row(task="З2", indicator="П2"), row(executors="Кураторы", task="З3", indicator="П3"))
    )  # fmt: skip
    assert entries(layout)["1.1"].lines == [
        TaskLine("З1", "П1"),
        TaskLine("З2", "П2"),
        TaskLine("З3", "П3", "Кураторы"),
    ]
    assert entries(layout)["1.1"].fields["executors"] == "Школы"
    assert findings == []


def test_a_row_cut_by_a_page_break_is_joined_back_and_reported() -> None:
    layout, findings = layout_of(
        tsv(HEADER, ["1. Р", "", "", "", "", ""], row("1.1", "Организация работы", "Август-", "Все", "З",
                                                      "Отчет размещен"),
            "", HEADER, row(activity="методических сообществ", deadline="2022", indicator="на сайте."),
            row("1.2", "Б"))
    )  # fmt: skip
    entry = entries(layout)["1.1"]
    assert entry.fields["activity"] == "Организация работы методических сообществ"
    assert entry.fields["deadline"] == "Август- 2022"
    assert entry.lines == [TaskLine("З", "Отчет размещен на сайте.")]
    assert [(f.line, f.error) for f in findings] == [(6, False)]
    assert "присоединён к мероприятию 1.1" in findings[0].message


def test_after_a_page_break_a_row_starting_with_a_capital_is_a_new_task_row() -> None:
    layout, findings = layout_of(
        tsv(HEADER, ["1. Р", "", "", "", "", ""], row("1.1", "А", "Май", "Школы", "З1", "П1"),
            "", HEADER, row(executors="Кураторы", task="Подтверждение", indicator="(100%) кураторов"))
    )  # fmt: skip
    assert entries(layout)["1.1"].lines[-1] == TaskLine("Подтверждение", "(100%) кураторов", "Кураторы")
    assert findings == []


def test_text_that_belongs_nowhere_is_reported_with_its_row_and_column() -> None:
    layout, findings = layout_of(
        tsv(HEADER, row("", "Потерянный текст"), ["1. Р", "", "", "", "", ""], row("1.1", "А", "Май", "", "З", "П"),
            row(deadline="-"))
    )  # fmt: skip
    assert [entry.number for entry in layout.entries()] == ["1.1"]
    assert [(f.line, f.error) for f in findings] == [(2, False), (5, False)]
    assert "«Потерянный текст» в столбце «Мероприятие» не перенесён" in findings[0].message
    assert "«-» в столбце «Срок реализации» не перенесён" in findings[1].message


def test_a_row_repeated_by_a_page_break_is_merged_keeping_the_complete_copy() -> None:
    full = "В 100% ОО даны рекомендации по результатам экспертизы"
    layout, findings = layout_of(
        tsv(HEADER, ["5. Р", "", "", "", "", ""], row("5.2", "Экспертиза", "До 24.05", "МК", "З", full),
            row("5.3", "Экспертиза 2", "До 24.10", "МК", "З", "В 100% ОО даны"), "",
            HEADER, row("5.2", "Экспертиза", "До 24.05", "МК  ", "З", full), "",
            HEADER, row("5.3", "Экспертиза 2", "До 24.10", "МК", "З", full), row("5.4", "Мониторинг"))
    )  # fmt: skip
    assert [entry.number for entry in layout.entries()] == ["5.2", "5.3", "5.4"]
    assert entries(layout)["5.3"].lines == [TaskLine("З", full)]
    assert [(f.line, f.error) for f in findings] == [(7, False), (10, False)]
    assert "копии совпадают" in findings[0].message
    assert "оставлен полный текст" in findings[1].message


def test_equal_numbers_with_different_texts_are_both_kept_and_reported() -> None:
    layout, findings = layout_of(
        tsv(HEADER, ["1. Р", "", "", "", "", ""], row("1.1", "Первое"), row("1.1", "Совсем другое"))
    )  # fmt: skip
    assert [entry.fields["activity"] for entry in layout.entries()] == ["Первое", "Совсем другое"]
    assert [(f.line, f.error) for f in findings] == [(4, True)]
    assert "номер 1.1 уже был в строке 3" in findings[0].message


def test_an_unknown_column_is_reported_once_and_each_of_its_texts_with_its_row() -> None:
    layout, findings = layout_of(
        tsv(["№", "Мероприятие", "Срок", "Примечание"], ["1. Р", "", "", ""], ["1.1", "А", "Май", "Важное"])
    )  # fmt: skip
    assert layout.columns == {"number": "№", "activity": "Мероприятие", "deadline": "Срок"}
    assert [f.line for f in findings] == [1, 3]
    assert "«Примечание»" in findings[0].message and "«Важное»" in findings[1].message


def test_a_row_numbering_the_columns_and_repeated_headers_are_skipped() -> None:
    layout, findings = layout_of(
        tsv(HEADER, ["1", "2", "3", "4", "5", "6"], ["1. Р", "", "", "", "", ""], row("1.1", "А"), "",
            HEADER, ["1", "2", "3", "4", "5", "6"], row("1.2", "Б"))
    )  # fmt: skip
    assert [entry.number for entry in layout.entries()] == ["1.1", "1.2"]
    assert [f.message for f in findings] == ["строка с номерами столбцов пропущена"] * 2


def test_items_before_any_section_get_a_named_section_and_a_warning() -> None:
    layout, findings = layout_of(tsv(HEADER, row("1", "А")))
    assert [(group.title, len(group.entries)) for group in layout.groups] == [("Мероприятия", 1)]
    assert len(findings) == 1


def test_text_after_the_table_and_page_numbers_between_tables_are_reported() -> None:
    _, findings = layout_of(
        tsv(HEADER, ["1. Р", "", "", "", "", ""], row("1.1", "А"), "", "2", HEADER, row("1.2", "Б"), "",
            "Начальник управления И.И. Примеров")
    )  # fmt: skip
    assert [f.message.split(":")[0] for f in findings] == [
        "текст между частями таблицы пропущен",
        "текст после таблицы не перенесён",
    ]
