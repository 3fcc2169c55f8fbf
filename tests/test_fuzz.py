"""A bounded fuzz run over the parsers of hostile text: content YAML, deadlines, text tables, robots.txt.

Marked `fuzz` and left out of the ordinary run (pyproject.toml, addopts); the nightly workflow runs them with a larger
budget: `FUZZ_EXAMPLES=10000 pytest -m fuzz tests/test_fuzz.py`. Each property says what must hold for any input:
a result or our own Russian error, never an exception of ours or a library's, and an answer within DEADLINE (an
input that takes longer, such as a backtracking pattern, is reported as a failure with that input).
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.checks.monitor.robots import parse_robots
from site_builder.content.loader import parse_yaml
from site_builder.core.errors import ContentError
from site_builder.importer import import_document
from site_builder.importer.tables import SourceRefused
from site_builder.model.deadlines import parse_deadline
from tests.helpers.deadlines import FRAGMENTS, check_well_formed
from tests.helpers.sites import SITES

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
DEADLINE = timedelta(seconds=5)
budget = settings(
    max_examples=EXAMPLES,
    deadline=DEADLINE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


# Real content lines as material: mutations of them reach far deeper than random characters do.
YAML_LINES = [line for path in sorted(SITES.rglob("*.yaml")) for line in _lines_of(path)]
YAML_TOKENS = ["- ", ": ", "  ", "\n", "[", "]", "{", "}", ",", "'", '"', "&a ", "*a", "!!str ", "? ", "#", "|",
               ">", "---\n", "...\n", "\t", "\\", "\u200b", "\ufeff", "2.10", "~", "null"]  # fmt: skip
TABLE_LINES = _lines_of(FIXTURES / "importer" / "synthetic-report.md")
CELLS = ["№ п/п", "Мероприятие", "Срок", "Исполнители", "Показатель", "Подтверждающие документы", "1.", "1.1",
         "2.14", "Январь 2024", "https://example.org/made-up", "<a href=\"x\">y</a>", "", " ", "|", "\t"]  # fmt: skip
ROBOTS_LINES = ["User-agent: *", "User-agent: site-builder", "Disallow: /", "Allow: /", "Disallow:", "Crawl-delay: 5",
                "Crawl-delay: x", "Sitemap: https://example.org/s.xml", "# comment", ""]  # fmt: skip
PATH_PARTS = ["/", "*", "$", "a", "b", "%2F", "%D0%B0", "?", "=", "&", "sveden", "index.html", "..", "//"]

yaml_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=8), max_size=60).map("".join),
    st.lists(st.sampled_from(YAML_LINES) | st.sampled_from(YAML_TOKENS), max_size=40).map("\n".join),
)


def _russian_problems(error: ContentError) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.line >= 1 and problem.col >= 1, problem
        assert CYRILLIC.search(problem.message), problem


@budget
@given(yaml_text)
def test_loader_gives_data_or_russian_problems(text: str) -> None:
    try:
        parse_yaml(text, "fuzz.yaml")
    except ContentError as error:
        _russian_problems(error)


@budget
@given(
    st.one_of(st.text(max_size=80), st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(" ".join)),
    st.one_of(st.none(), st.integers(1900, 2100)),
)
def test_deadline_parser_gives_a_well_formed_schedule(text: str, year: int | None) -> None:
    check_well_formed(parse_deadline(text, year))


table_row = st.lists(st.sampled_from(CELLS) | st.text(max_size=12), min_size=1, max_size=7).map(
    lambda cells: "| " + " | ".join(cells) + " |"
)
table_text = st.lists(st.sampled_from(TABLE_LINES) | table_row | st.text(max_size=30), max_size=40).map(
    "\n".join
)


@budget
@given(table_text, st.sampled_from(["roadmap", "report"]))
def test_importer_of_text_tables_gives_findings_never_a_traceback(text: str, kind: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.md"
        path.write_text(text, encoding="utf-8")
        try:
            imported = import_document(path, kind)  # type: ignore[arg-type]
        except SourceRefused as refused:
            assert CYRILLIC.search(str(refused))
            return
    for finding in imported.findings:
        assert finding.line >= 1 and CYRILLIC.search(finding.message), finding


robots_text = st.lists(
    st.sampled_from(ROBOTS_LINES)
    | st.lists(st.sampled_from(PATH_PARTS), max_size=12).map(lambda parts: "Disallow: " + "".join(parts))
    | st.lists(st.sampled_from(PATH_PARTS), max_size=12).map(lambda parts: "Allow: " + "".join(parts))
    | st.text(max_size=30),
    max_size=30,
).map("\n".join)
links = st.lists(st.sampled_from(PATH_PARTS) | st.text(max_size=5), max_size=20).map(
    lambda parts: "https://school.example/" + "".join(parts)
)


@budget
@given(robots_text, st.lists(links, max_size=5))
def test_robots_parser_answers_every_link(text: str, urls: list[str]) -> None:
    robots = parse_robots(text)
    for url in urls:
        assert robots.allows(url) in (True, False)
