"""The whole-site model: cross-file checks, every problem of a run at once, no follow-on noise."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.content.models import item_key
from site_builder.core.errors import ContentError, Problem
from site_builder.model.site import Site, load_site
from tests.helpers.sites import make_site, read_fixture

ROADMAP = read_fixture("roadmaps/demo-2022.yaml")
REPORT = read_fixture("reports/demo-2022-1.yaml")


def changed(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def site_problems(tmp_path: Path, files: dict[str, str | bytes | None]) -> list[Problem]:
    content = make_site(tmp_path, files)
    with pytest.raises(ContentError) as caught:
        load_site(content)
    return caught.value.problems


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    index = -1
    for _ in range(occurrence):
        index = text.index(fragment, index + 1)
    return text[:index].count("\n") + 1


def test_fixture_site_loads(loaded_site: Site) -> None:
    site = loaded_site
    assert [entry.slug for entry in site.roadmaps] == ["demo-2022"]
    assert [entry.slug for entry in site.reports] == ["demo-2022-1"]
    assert site.reports[0].roadmap is site.roadmaps[0]
    assert [school.short_name for school in site.schools] == ["ШколаА", "ШколаБ"]
    assert [page.slug for page in site.pages] == ["about"]


@pytest.mark.parametrize(
    ("number", "key"), [("1.1", "1.1"), ("1.1.", "1.1"), (" 2.10 ", "2.10"), ("3.", "3")]
)
def test_item_key(number: str, key: str) -> None:
    assert item_key(number) == key


@pytest.mark.parametrize("duplicate", ["'1.1'", "'1.1.'", "1.1."])
def test_duplicate_item_numbers_in_a_roadmap(tmp_path: Path, duplicate: str) -> None:
    text = changed(ROADMAP, "number: '2.1'", f"number: {duplicate}")
    [problem] = site_problems(tmp_path, {"roadmaps/demo-2022.yaml": text})
    assert problem.path == "roadmaps/demo-2022.yaml"
    assert problem.line == line_of(text, f"number: {duplicate}", 2 if duplicate == "'1.1'" else 1)
    first = line_of(ROADMAP, "number: '1.1'")
    assert (
        problem.message
        == f"номер мероприятия «1.1» повторяется в дорожной карте (впервые — roadmaps/demo-2022.yaml:{first})"
    )


def test_same_number_in_two_roadmaps_is_fine(tmp_path: Path) -> None:
    other = changed(ROADMAP, "title: Тестовая дорожная карта", "title: Другая дорожная карта")
    site = load_site(make_site(tmp_path, {"roadmaps/other-2022.yaml": other}))
    assert len(site.roadmaps) == 2


def test_report_item_not_in_its_roadmap(tmp_path: Path) -> None:
    text = changed(REPORT, "number: '1.1'", "number: '9.9'")
    [problem] = site_problems(tmp_path, {"reports/demo-2022-1.yaml": text})
    assert problem.message == "в дорожной карте «demo-2022» нет мероприятия с номером «9.9»"
    assert (problem.path, problem.line) == ("reports/demo-2022-1.yaml", line_of(text, "'9.9'"))


def test_report_number_with_a_trailing_dot_matches(tmp_path: Path) -> None:
    text = changed(REPORT, "number: '1.1'", "number: '1.1.'")
    assert load_site(make_site(tmp_path, {"reports/demo-2022-1.yaml": text})).reports


def test_duplicate_numbers_in_a_report(tmp_path: Path) -> None:
    text = REPORT + "  - number: '1.1.'\n    status: в работе\n"
    [problem] = site_problems(tmp_path, {"reports/demo-2022-1.yaml": text})
    assert problem.message.startswith("номер «1.1» повторяется в отчёте")


def test_unknown_roadmap_reference_is_one_error(tmp_path: Path) -> None:
    text = changed(REPORT, "roadmap: demo-2022", "roadmap: demo-2023")
    [problem] = site_problems(tmp_path, {"reports/demo-2022-1.yaml": text})
    assert problem.message == "поле «roadmap»: нет дорожной карты «demo-2023» (есть: demo-2022)"
    assert (problem.line, problem.col) == (line_of(text, "roadmap:"), 10)


def test_report_without_roadmap_needs_activity_texts(tmp_path: Path) -> None:
    text = changed(REPORT, "roadmap: demo-2022\n", "")
    [problem] = site_problems(tmp_path, {"reports/demo-2022-1.yaml": text})
    assert "нужно заполнить activity" in problem.message
    with_activity = changed(
        text, "    status: выполнено", "    activity: Мероприятие отчёта\n    status: выполнено"
    )
    assert (
        load_site(make_site(tmp_path, {"reports/demo-2022-1.yaml": with_activity})).reports[0].roadmap is None
    )


@pytest.mark.parametrize(
    "broken",
    [
        changed(ROADMAP, "year: 2022", "year: x"),
        changed(ROADMAP, "activity: Первое мероприятие", "activity: Цель: первое"),
        "slug: ../../etc\n" + ROADMAP,
    ],
    ids=["invalid", "syntax", "bad-slug"],
)
def test_a_broken_roadmap_does_not_make_its_report_complain(tmp_path: Path, broken: str) -> None:
    problems = site_problems(tmp_path, {"roadmaps/demo-2022.yaml": broken})
    assert [p.path for p in problems] == ["roadmaps/demo-2022.yaml"]


def test_slug_that_leaves_the_output_folder(tmp_path: Path) -> None:
    [problem] = site_problems(tmp_path, {"roadmaps/demo-2022.yaml": "slug: ../../etc\n" + ROADMAP})
    assert (problem.line, problem.col) == (1, 7)
    assert problem.message.startswith(
        "поле «slug» (Адрес страницы): допустимы только строчные латинские буквы"
    )


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        ("roadmaps/UPPER.yaml", changed(ROADMAP, "Тестовая дорожная", "Вторая дорожная")),
        ("pages/Плохое имя.md", "---\ntitle: Страница\n---\nТекст\n"),
        ("reports/отчёт.yaml", changed(REPORT, "Тестовый отчёт", "Второй отчёт")),
    ],
)
def test_file_name_that_cannot_be_an_address_asks_for_slug(tmp_path: Path, relative: str, text: str) -> None:
    [problem] = site_problems(tmp_path, {relative: text})
    name = relative.split("/")[1]
    assert problem.path == relative
    assert f"имя файла «{name}» не годится для адреса страницы" in problem.message
    assert "slug" in problem.message
    slugged = (
        text.replace("---\n", "---\nslug: fixed\n", 1) if relative.endswith(".md") else "slug: fixed\n" + text
    )
    site = load_site(make_site(tmp_path, {relative: slugged}))
    slugs = [e.slug for e in site.roadmaps] + [e.slug for e in site.reports] + [e.slug for e in site.pages]
    assert "fixed" in slugs


def test_two_files_claiming_one_address(tmp_path: Path) -> None:
    problems = site_problems(tmp_path, {"roadmaps/other.yaml": "slug: demo-2022\n" + ROADMAP})
    first = line_of(ROADMAP, "title:")  # the first file has no slug: its address comes from the file name
    assert [p.message for p in problems] == [
        f"адрес страницы «demo-2022» уже занят другой дорожной картой (впервые — roadmaps/demo-2022.yaml:{first})"
    ]
    assert problems[0].path == "roadmaps/other.yaml"


def test_duplicate_school_ids(tmp_path: Path) -> None:
    text = read_fixture("schools.yaml") + "- id: school-a\n  short_name: ШколаВ\n"
    [problem] = site_problems(tmp_path, {"schools.yaml": text})
    assert problem.message.startswith("код школы «school-a» повторяется")


def test_every_broken_file_is_reported_in_one_run(tmp_path: Path) -> None:
    problems = site_problems(
        tmp_path,
        {
            "site.yaml": "",
            "schools.yaml": "schools: [\n",
            "roadmaps/demo-2022.yaml": changed(ROADMAP, "    deadline: Март 2022", "    dedline: Март 2022"),
            "reports/demo-2022-1.yaml": changed(REPORT, "status: выполнено", "status: сделано"),
            "pages/about.md": "---\ntitle: x\n  bad: y\n---\n",
            "pages/second.md": "без начала\n",
        },
    )
    assert sorted({p.path for p in problems}) == [
        "pages/about.md",
        "pages/second.md",
        "reports/demo-2022-1.yaml",
        "roadmaps/demo-2022.yaml",
        "schools.yaml",
        "site.yaml",
    ]
    assert len(problems) == 6


def test_missing_site_yaml(tmp_path: Path) -> None:
    [problem] = site_problems(tmp_path, {"site.yaml": None})
    assert problem.path.endswith("site.yaml") and "нет файла site.yaml" in problem.message


def test_missing_content_folder(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        load_site(tmp_path / "nowhere")
    assert "папка с содержимым не найдена" in caught.value.problems[0].message


def test_cp1251_file_in_a_site(tmp_path: Path) -> None:
    [problem] = site_problems(tmp_path, {"site.yaml": read_fixture("site.yaml").encode("cp1251")})
    assert problem.path == "site.yaml" and "Windows-1251" in problem.message


def test_paths_are_shown_relative_to_the_content_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    [problem] = site_problems(tmp_path, {"site.yaml": ""})
    assert problem.path == "site.yaml"
