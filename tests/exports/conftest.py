"""Sites built once for all export tests: the shipped ones at their fixed dates, and a synthetic one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.exports.builds import AS_OF, build, build_shipped
from tests.sitefactory import make_site, read_fixture

# Synthetic content that would become a formula in Excel if written carelessly.
FORMULA_TEXT = '=HYPERLINK("https://example.org/")'


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("exports")
    return {name: build_shipped(root, name) for name in AS_OF}


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synthetic")
    roadmap = read_fixture("roadmaps/demo-2022.yaml").replace(
        "activity: Третье мероприятие", f"activity: '{FORMULA_TEXT}'"
    )
    content = make_site(root, {"roadmaps/demo-2022.yaml": roadmap})
    return build(content, root / "out", AS_OF["examples/shakhty"])
