"""The YAML the importer writes: for people to read and edit, and loading back to exactly the imported texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.content.loader import parse_yaml
from site_builder.content.models import Report, Roadmap
from site_builder.content.validate import validate
from site_builder.importer import import_document
from site_builder.importer.emit import to_yaml
from tests.helpers.seeds import BALAKHTA, KALININGRAD, SHAKHTY, Seed, seed_path

LONG = (
    "Проведение муниципальной содержательной экспертизы подтверждающих документов исполненных мероприятий "
    * 2
)


def loaded(text: str, model: type[Roadmap] | type[Report]) -> Roadmap | Report:
    value, problems = validate(parse_yaml(text, "imported.yaml"), model)
    assert problems == []
    assert value is not None
    return value


@pytest.mark.parametrize("seed", [BALAKHTA, KALININGRAD, SHAKHTY], ids=["balakhta", "kaliningrad", "shakhty"])
def test_the_written_yaml_loads_back_to_the_same_content(seed: Seed) -> None:
    result = import_document(seed_path(seed), seed.kind, roadmap_slug="shakhty-2022")  # type: ignore[arg-type]
    assert result.data is not None
    model = Roadmap if seed.kind == "roadmap" else Report
    assert loaded(to_yaml(result.data), model) == model.model_validate(result.data)


def test_block_style_cyrillic_as_is_and_long_texts_folded() -> None:
    data: dict[str, Any] = {"title": "Дорожная карта", "sections": [{"title": "Раздел", "items": [
        {"number": "2.10", "activity": LONG.strip(), "evidence": [{"title": "", "url": "https://example.org/" + "x" * 120}]}
    ]}]}  # fmt: skip
    text = to_yaml(data)
    assert "{" not in text and "\\u" not in text
    assert "  - number: '2.10'\n" in text  # a number that would read as 2.1 is quoted
    assert "activity: >-\n" in text
    assert max(len(line) for line in text.splitlines() if "example.org" not in line) <= 110
    assert f"url: https://example.org/{'x' * 120}\n" in text  # a URL is never folded
    assert parse_yaml(text, "x.yaml").data["sections"][0]["items"][0]["activity"] == LONG.strip()


def test_multi_line_texts_are_literal_blocks_and_comments_go_on_top() -> None:
    text = to_yaml({"narrative": "Абзац один.\n\n- пункт;\n- пункт.\n"}, ["Импортировано.", "", "Замечания:"])
    assert (
        text == "# Импортировано.\n#\n# Замечания:\nnarrative: |\n  Абзац один.\n\n  - пункт;\n  - пункт.\n"
    )


def test_keys_follow_the_models_order(tmp_path: Path) -> None:
    result = import_document(seed_path(SHAKHTY), "report", roadmap_slug="shakhty-2022")
    assert result.data is not None and result.roadmap is not None
    assert list(result.data) == [key for key in Report.model_fields if key in result.data]
    assert list(result.roadmap) == [key for key in Roadmap.model_fields if key in result.roadmap]
    item = result.data["sections"][0]["items"][0]
    assert list(item) == ["number", "status", "evidence"]


line_text = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), include_characters="\t"
    ),
    max_size=200,
)


@given(st.lists(line_text, min_size=1, max_size=3))
def test_any_text_loads_back_unchanged(lines: list[str]) -> None:
    value = "\n".join(lines)
    assert parse_yaml(to_yaml({"text": value, "items": [{"title": value}]}), "x.yaml").data == {
        "text": value,
        "items": [{"title": value}],
    }
