"""The CSV download read back with the csv module: UTF-8 with BOM, semicolons, one self-contained line per row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.helpers.builds import FORMULA_TEXT


def _rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    assert b"\r\n" in data
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_roadmap_csv_has_every_task_row_with_section_and_status(shipped: dict[str, Path]) -> None:
    rows = _rows(shipped["content"] / "roadmaps/balakhta-2022.csv")
    header, body = rows[0], rows[1:]
    assert header == ["Раздел", "№№", "Мероприятие", "Срок реализации", "Статус", "Основание статуса",
                      "Исполнители", "Задачи", "Муниципальный показатель реализации"]  # fmt: skip
    assert all(len(row) == len(header) for row in body)
    by_number: dict[str, list[list[str]]] = {}
    for row in body:
        by_number.setdefault(row[1], []).append(row)
    assert len(by_number) == 30
    assert [row[4] for row in by_number["1.2"]] == ["выполнено"]
    assert by_number["1.2"][0][5] == "в сроке отмечено «исполнено»"
    # 4.1 spans three task rows; each line repeats what the item shares, so it can be sorted and filtered.
    assert len(by_number["4.1"]) == 3
    assert len({(row[0], row[2], row[3], row[4]) for row in by_number["4.1"]}) == 1
    assert len({row[7] for row in by_number["4.1"]}) == 3


def test_report_csv_keeps_cyrillic_urls_and_line_breaks(shipped: dict[str, Path]) -> None:
    rows = _rows(shipped["examples/shakhty"] / "reports/shakhty-2022-2.csv")
    assert rows[0][-1] == "Отчетная информация Второй этап"
    assert len(rows) == 1 + 23
    cells = "\n".join(row[-1] for row in rows)
    assert (
        "https://ripkro.ru/upload/iblock/dd9/06suqawsbnl3p6xwk3yeb87k6dzkzfc4/Итоги%20конкурса.pdf" in cells
    )


def test_formula_like_text_is_kept_from_running(synthetic: Path) -> None:
    rows = _rows(synthetic / "roadmaps/demo-2022.csv")
    assert "'" + FORMULA_TEXT in [cell for row in rows for cell in row]
