"""Sites built once for all export tests: the shipped ones at their fixed dates, and a synthetic one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.exports.builds import AS_OF, build, build_shipped
from tests.sitefactory import make_site, read_fixture

# Synthetic content that would become a formula in Excel if written carelessly.
FORMULA_TEXT = '=HYPERLINK("https://example.org/")'
# Made-up text that a calendar line must fold (Cyrillic is two octets a letter) and escape (; , \\ and a line break).
LONG_TEXT = "Совещание с руководителями школ; план, сроки и ответственные \\ итоги — " * 3 + "\nвторая строка"
# Made-up text that XML must escape and keep as it is: spaces at both ends, markup, and Excel's own escape form.
ODD_TEXT = '  Отступ & <тег> "кавычки" _x0041_ конец  '


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("exports")
    return {name: build_shipped(root, name) for name in AS_OF}


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synthetic")
    # JSON strings are YAML double-quoted scalars: the line break and the backslash arrive as they are.
    roadmap = (
        read_fixture("roadmaps/demo-2022.yaml")
        .replace("activity: Третье мероприятие", f"activity: '{FORMULA_TEXT}'")
        .replace("activity: Первое мероприятие", f"activity: {json.dumps(LONG_TEXT, ensure_ascii=False)}")
        .replace("task: Третья задача", f"task: {json.dumps(ODD_TEXT, ensure_ascii=False)}")
    )
    # A made-up second report cancels 2.1, whose deadline (March 2022) still gives a calendar event.
    cancelling = (
        "title: Тестовый отчёт об отмене\nroadmap: demo-2022\nstage: Второй этап\nyear: 2022\n"
        "sections:\n- number: '2'\n  title: Второй раздел\n  items:\n  - number: '2.1'\n    status: отменено\n"
    )
    content = make_site(root, {"roadmaps/demo-2022.yaml": roadmap, "reports/demo-2022-2.yaml": cancelling})
    return build(content, root / "out", AS_OF["examples/shakhty"])
