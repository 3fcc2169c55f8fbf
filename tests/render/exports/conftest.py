"""A synthetic site built once for all export tests (the shipped ones: `shipped` in the root conftest)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.builds import AS_OF, FORMULA_TEXT, LONG_TEXT, ODD_TEXT, build
from tests.helpers.sites import make_site, read_fixture


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
