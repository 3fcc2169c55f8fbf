"""Reading content files: syntax errors in Russian at the right place, hostile YAML refused without expanding it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_builder.content.loader import MAX_DEPTH, load_markdown, load_yaml, parse_yaml, read_text
from site_builder.core.errors import ContentError, Problem
from tests.helpers.sites import BILLION_LAUGHS

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def problems_of(text: str, *, line_offset: int = 0) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, "f.yaml", line_offset=line_offset)
    return caught.value.problems


def only_problem(text: str) -> Problem:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert CYRILLIC.search(problems[0].message), problems[0]
    return problems[0]


def test_scalars_stay_the_text_the_editor_wrote() -> None:
    doc = parse_yaml("a: 2.10\nb: 2.8.\nc: 0012\nd: yes\ne: 2022-01-14\nf: ~\ng:\nh: '~'\n", "f.yaml")
    assert doc.data == {
        "a": "2.10",
        "b": "2.8.",
        "c": "0012",
        "d": "yes",
        "e": "2022-01-14",
        "f": None,
        "g": None,
        "h": "~",
    }


def test_positions_of_values_and_keys() -> None:
    doc = parse_yaml("title: x\nsections:\n- items:\n  - number: '1.1'\n", "f.yaml", line_offset=2)
    assert doc.where(("sections", 0, "items", 0, "number")) == (6, 13)
    assert doc.where(("sections", 0, "items", 0, "number"), key=True) == (6, 5)
    # An unknown location falls back to the closest enclosing value.
    assert doc.where(("sections", 0, "items", 0, "missing")) == (6, 5)


def test_positions_of_list_elements_and_what_the_file_holds() -> None:
    doc = parse_yaml("a:\n- x\n- {b: 1, c: [2, 3]}\nd: 4\n", "f.yaml")
    assert doc.where(("a", 1, "c", 1)) == (3, 17)
    assert doc.where(("d",), key=True) == (4, 1)
    assert ("a", 1, "c") in doc and ("a", 2) not in doc and ("a", -1) not in doc and ("a", "b") not in doc
    # Past the end of a list, and a key under a scalar: the closest enclosing value.
    assert doc.where(("a", 5, "b")) == doc.where(("a",)) == (2, 1)
    assert doc.where(("d", "e"), key=True) == (4, 4)


def test_positions_in_a_long_list_asked_in_any_order() -> None:
    """schools.yaml lists thousands of schools: each element's place, asked for again and again, and past the
    end the list's own."""
    doc = parse_yaml("schools:\n" + "".join(f"- {{id: s{n}, site: ''}}\n" for n in range(300)), "f.yaml")
    for index in (299, 0, 150, 1, 299):
        assert doc.where(("schools", index, "site")) == (index + 2, 17 + len(str(index)))
    assert doc.where(("schools", 300, "site")) == doc.where(("schools",)) == (2, 1)
    assert ("schools", 299) in doc and ("schools", 300) not in doc


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        pytest.param("title: x\n organisation: y\n", 2, 14, "«:»", id="bad-indentation"),
        pytest.param('title: "Управление\nother: 1\n', 1, 8, "кавычка", id="unclosed-double-quote"),
        pytest.param("title: 'Управление\nother: 1\n", 1, 8, "кавычка", id="unclosed-single-quote"),
        pytest.param("coordinator:\n\tname: x\n", 2, 1, "табуляц", id="tab-indent"),
        pytest.param("a:\n\t- x\n", 2, 1, "табуляц", id="tab-before-dash"),
        pytest.param("activity: Цель: первое мероприятие\n", 1, 15, "кавычки", id="colon-in-unquoted-value"),
        pytest.param("a: [1, 2\nb: 3\n", 1, 4, "«[…]»", id="unclosed-bracket"),
        pytest.param("a: {x: 1\nb: 2\n", 1, 4, "«{…}»", id="unclosed-brace"),
        pytest.param("a: 1\n- b\n", 2, 1, "отступы", id="dash-inside-mapping"),
        pytest.param("a: @home\n", 1, 4, "«@»", id="reserved-character"),
        pytest.param('a: "C:\\qq"\n', 1, 7, "«\\»", id="bad-escape"),
        pytest.param("schools: [\n", 2, 1, "значение", id="missing-value"),
        pytest.param("a: b\x07c\n", 1, 5, "U+0007", id="control-character"),
    ],
)
def test_syntax_errors_are_russian_and_placed(text: str, line: int, col: int, words: str) -> None:
    problem = only_problem(text)
    assert (problem.line, problem.col) == (line, col)
    assert words in problem.message
    assert not re.search(r"\b(found|expected|mapping|token)\b", problem.message), problem.message


def test_windows_line_endings_keep_positions() -> None:
    doc = parse_yaml("title: x\r\nsections:\r\n- title: y\r\n", "f.yaml")
    assert doc.data == {"title": "x", "sections": [{"title": "y"}]}
    assert doc.where(("sections", 0, "title")) == (3, 10)


def test_front_matter_lines_are_counted_from_the_file_start(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: x\n  bad: y\n---\nbody\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_markdown(page, "pages/page.md")
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.col) == ("pages/page.md", 3, 6)


@pytest.mark.parametrize("text", ["", "\n\n", "# только комментарий\n"])
def test_empty_file(text: str) -> None:
    assert "пуст" in only_problem(text).message


def test_duplicate_key_points_at_the_second_one() -> None:
    problem = only_problem("title: a\norganisation: b\ntitle: c\n")
    assert (problem.line, problem.col) == (3, 1)
    assert "«title» повторяется" in problem.message


def test_two_documents_in_one_file() -> None:
    problem = only_problem("a: 1\n---\nb: 2\n")
    assert problem.line == 2
    assert "несколько YAML-документов" in problem.message


def test_foreign_tag_is_refused() -> None:
    problem = only_problem("a: !!python/object:os.system x\n")
    assert "«!!python/object:os.system»" in problem.message and problem.line == 1


def test_complex_key_is_refused_and_the_rest_still_read() -> None:
    problems = problems_of("? [a, b]\n: 1\nc: 2\nc: 3\n")
    assert [p.line for p in problems] == [1, 4]


def test_billion_laughs_is_refused_once_without_expansion() -> None:
    # 9**26 strings if expanded: the test could not finish if anything tried to.
    problem = only_problem(BILLION_LAUGHS)
    assert (problem.line, problem.col) == (1, 4)
    assert "якоря и ссылки" in problem.message


def test_merge_key_is_an_alias_too() -> None:
    assert "якоря" in only_problem("base: &b {x: 1}\nc:\n  <<: *b\n").message


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_deep_nesting_is_refused_not_crashing(opening: str) -> None:
    # libyaml's own composer overflows the C stack (a segfault) on input like this.
    closing = {"[": "]", "{a: ": "}", "- ": ""}[opening]
    text = "a: " + opening * 200_000 + "x" + closing * 200_000 if closing else opening * 200_000 + "x"
    problem = only_problem(text)
    assert f"больше {MAX_DEPTH} уровней" in problem.message


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_nesting_limit_is_ours_at_any_depth_libyaml_allows(opening: str) -> None:
    # Just past our limit the C parser gets there first; far past it (beyond libyaml's own limit in PyYAML 6.0.4)
    # the message and its position must be the same.
    shallow, deep = (only_problem(opening * depth + "x") for depth in (MAX_DEPTH + 5, 5_000))
    assert (deep.line, deep.col, deep.message) == (shallow.line, shallow.col, shallow.message)
    assert shallow.col == len(opening) * MAX_DEPTH + 1


def test_nesting_of_real_content_is_allowed() -> None:
    text = "".join("  " * level + f"k{level}:\n" for level in range(MAX_DEPTH - 1)) + "  " * MAX_DEPTH + "v\n"
    assert parse_yaml(text, "f.yaml").data is not None


def test_several_problems_of_one_file_come_together() -> None:
    problems = problems_of("a: 1\na: 2\nb: !custom x\nc: &x 1\n")
    assert [p.line for p in problems] == [2, 3, 4]


def test_cp1251_file_says_how_to_fix(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_bytes("title: x\norganisation: Управление образования\n".encode("cp1251"))
    with pytest.raises(ContentError) as caught:
        read_text(path, "site.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (2, 15)
    assert "UTF-8" in problem.message and "Windows-1251" in problem.message
    assert "Сохранить как" in problem.message


def test_utf16_file_is_not_mistaken_for_cp1251(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_bytes("title: Раздел\n".encode("utf-16"))
    with pytest.raises(ContentError) as caught:
        read_text(path, "site.yaml")
    assert "UTF-16" in caught.value.problems[0].message
    assert "1251" not in caught.value.problems[0].message


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "page.md"
    folder.mkdir()
    with pytest.raises(ContentError) as caught:
        load_markdown(folder, "pages/page.md")
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("pages/page.md", 1)
    assert "это папка, а не файл" in problem.message


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_bytes("\ufefftitle: Раздел\n".encode())
    assert load_yaml(path, "site.yaml").data == {"title": "Раздел"}


@pytest.mark.parametrize(
    ("text", "words"),
    [("no front matter\n", "должна начинаться"), ("---\ntitle: x\nbody\n", "не закрыт")],
)
def test_markdown_front_matter_shape(tmp_path: Path, text: str, words: str) -> None:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_markdown(page, "page.md")
    assert words in caught.value.problems[0].message


def test_markdown_body_and_its_first_line(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: Страница\n---\nТекст\n", encoding="utf-8")
    source = load_markdown(page, "page.md")
    assert (source.meta.data, source.body, source.body_line) == ({"title": "Страница"}, "Текст\n", 4)
