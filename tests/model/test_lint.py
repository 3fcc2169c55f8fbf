"""Warnings of `check`: each kind at its file and line with a hint, --as-of for passed deadlines, --strict for CI."""

from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

import site_builder.model.warnings as lint
from site_builder.build.caches import FileCache
from site_builder.cli import main
from site_builder.core.errors import Problem
from site_builder.core.urls import NearDuplicate
from site_builder.model.site import Site, load_site
from site_builder.model.warnings import WarningCache, attach_warnings
from tests.helpers.sites import REPO

SITE = """\
organisation: Управление образования Условного района
"""

# Synthetic roadmap: 1.1 is complete; every other item is missing exactly one thing a warning is about.
ROADMAP = """\
title: Тестовая дорожная карта
level: municipal
year: 2022
sections:
- number: '1'
  title: Раздел
  items:
  - number: '1.1'
    activity: Полное мероприятие
    deadline: Январь 2022
    executors: Координатор
  - number: '1.2'
    activity: Без срока
    executors: Координатор
  - number: '1.3'
    activity: Без исполнителей
    deadline: Март 2022
  - number: '1.4'
    activity: Срок не читается
    deadline: когда-нибудь потом
    executors: Координатор
  - number: '1.5'
    activity: Срок задан вручную
    deadline: когда-нибудь потом
    schedule: {end: 2022-06-30}
    executors: Координатор
  - number: '1.6'
    activity: Исполнители в строках
    deadline: Ноябрь 2022
    rows:
    - task: Первая
      executors: Школа А
    - task: Вторая
      executors: Школа Б
"""

REPORT = """\
title: Тестовый отчёт
roadmap: demo
sections:
- title: Раздел
  items:
  - number: '1.1'
    status: выполнено
    evidence:
    - title: Протокол
      url: https://example.org/files/a1b2c3d4e5f6
    - title: Приказ
      url: https://example.org/files/a1b2c3d4e5g6
    - title: Справка без ссылки
      url: ''
  - number: '1.2'
    status: выполнено
  - number: '1.4'
    status: в работе
"""

SCHOOLS = """\
schools:
- id: school-a
  short_name: ШколаА
  site: https://a.example.org/
- id: school-b
  short_name: ШколаБ
"""


def write_site(root: Path, files: dict[str, str] | None = None) -> Path:
    content = root / "content"
    defaults = {
        "site.yaml": SITE,
        "roadmaps/demo.yaml": ROADMAP,
        "reports/demo-1.yaml": REPORT,
        "schools.yaml": SCHOOLS,
    }
    for name, text in {**defaults, **(files or {})}.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def by_place(warnings: list[Problem]) -> dict[tuple[str, int], str]:
    return {(Path(w.path).name, w.line): w.message for w in warnings}


def test_each_kind_of_warning_points_at_its_line_with_a_hint(tmp_path: Path) -> None:
    site = attach_warnings(load_site(write_site(tmp_path)), dt.date(2022, 4, 1))
    assert all(w.warning for w in site.warnings)
    found = by_place(site.warnings)
    assert sorted(found) == [
        ("demo-1.yaml", 2),  # 1.3 passed by 1 April and not reported
        ("demo-1.yaml", 12),  # near-duplicate URL
        ("demo-1.yaml", 14),  # evidence without URL
        ("demo.yaml", 12),  # 1.2 without deadline
        ("demo.yaml", 15),  # 1.3 without executors
        ("demo.yaml", 20),  # 1.4 unreadable deadline
        ("schools.yaml", 5),  # school without a site
    ]
    assert "мероприятие 1.2: не указан срок" in found[("demo.yaml", 12)]
    assert "мероприятие 1.3: не указаны исполнители" in found[("demo.yaml", 15)]
    assert "срок «когда-нибудь потом» не распознан" in found[("demo.yaml", 20)]
    assert "мероприятие 1.3 (" in found[("demo-1.yaml", 2)] and "31 марта 2022" in found[("demo-1.yaml", 2)]
    assert "одним символом" in found[("demo-1.yaml", 12)] and "demo-1.yaml:10)" in found[("demo-1.yaml", 12)]
    assert "«Справка без ссылки» без ссылки" in found[("demo-1.yaml", 14)]
    assert "школа ШколаБ: не указан официальный сайт" in found[("schools.yaml", 5)]
    assert all(". Подсказка: " in message for message in found.values())


def test_only_deadlines_passed_as_of_the_date_ask_for_a_report(tmp_path: Path) -> None:
    content = write_site(tmp_path)

    def uncovered(as_of: dt.date) -> list[str]:
        return sorted(
            w.message.split("мероприятие ")[1].split(" ")[0]
            for w in attach_warnings(load_site(content), as_of).warnings
            if "ни один отчёт" in w.message
        )

    assert uncovered(dt.date(2022, 3, 31)) == []
    assert uncovered(dt.date(2022, 4, 1)) == ["1.3"]
    assert uncovered(dt.date(2023, 1, 1)) == [
        "1.3",
        "1.5",
        "1.6",
    ]  # 1.5 by its schedule, 1.6 by «Ноябрь 2022»


def test_items_reported_in_any_report_on_the_roadmap_count_as_covered(tmp_path: Path) -> None:
    second = "title: Второй отчёт\nroadmap: demo\nsections:\n- title: Раздел\n  items:\n" + "".join(
        f"  - number: '{n}'\n    status: выполнено\n" for n in ("1.3", "1.5", "1.6")
    )
    site = attach_warnings(
        load_site(write_site(tmp_path, {"reports/demo-2.yaml": second})), dt.date(2023, 1, 1)
    )
    assert not [w for w in site.warnings if "ни один отчёт" in w.message]


def test_missing_columns_do_not_ask_for_their_cells(tmp_path: Path) -> None:
    roadmap = ROADMAP.replace("year: 2022\n", "year: 2022\ncolumns: {number: №, activity: Мероприятие}\n")
    site = attach_warnings(
        load_site(write_site(tmp_path, {"roadmaps/demo.yaml": roadmap})), dt.date(2022, 1, 1)
    )
    assert not [w for w in site.warnings if "не указан" in w.message and "мероприятие" in w.message]


def test_the_shakhty_drive_typo_is_warned_about() -> None:
    site = attach_warnings(load_site(REPO / "examples" / "shakhty"), dt.date(2022, 12, 1))
    near = [w for w in site.warnings if "отличается одним символом" in w.message]
    assert [(w.line, w.message.split("(")[1].split(")")[0].rsplit(":", 1)[1]) for w in near] == [(161, "129")]


@pytest.mark.parametrize("strict", [False, True])
def test_strict_turns_warnings_into_a_failure(tmp_path: Path, strict: bool) -> None:
    content = write_site(tmp_path)
    result = run(
        "check", "--content", str(content), "--as-of", "2022-04-01", *(["--strict"] if strict else [])
    )
    assert result.exit_code == (1 if strict else 0)
    assert result.stderr.count("предупреждение: ") == 7
    assert ("с --strict они считаются ошибками" in result.stderr) is strict
    assert ("Предупреждений: 7." in result.stdout) is not strict


def test_strict_passes_content_without_warnings(tmp_path: Path) -> None:
    roadmap = "\n".join(ROADMAP.splitlines()[:11]) + "\n"
    clean = write_site(
        tmp_path,
        {
            "roadmaps/demo.yaml": roadmap,
            "reports/demo-1.yaml": REPORT.split("    evidence:")[0],
            "schools.yaml": SCHOOLS.split("- id: school-b")[0],
        },
    )
    result = run("check", "--content", str(clean), "--as-of", "2023-01-01", "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_build_prints_the_same_warnings(tmp_path: Path) -> None:
    result = run("build", "--content", str(write_site(tmp_path)), "--output", str(tmp_path / "out"),
                 "--as-of", "2022-04-01")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("предупреждение: ") == 7


def test_the_pre_commit_hook_runs_check_on_content_changes(tmp_path: Path) -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "site-builder-check" and hook["pass_filenames"] is False
    program, *args = shlex.split(hook["entry"])
    assert program == "site-builder"
    assert all(
        re.search(hook["files"], name) for name in ("content/site.yaml", "roadmaps/a.yml", "pages/n.md")
    )
    assert not re.search(hook["files"], "templates/base.html")
    content = write_site(tmp_path)
    assert run(*args, "--content", str(content), "--as-of", "2022-04-01").exit_code == 0
    assert run(*args, "--content", str(content), "--as-of", "2022-04-01", "--strict").exit_code == 1
    (content / "site.yaml").write_text("organisation: [\n", encoding="utf-8")
    assert run(*args, "--content", str(content)).exit_code == 1


def test_a_kept_check_searches_again_only_when_an_address_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "shakhty"
    shutil.copytree(REPO / "examples" / "shakhty", content)
    as_of = dt.date(2022, 12, 1)
    files, cache = FileCache(), WarningCache()
    searches: list[int] = []
    search = lint.near_duplicates

    def counted(urls: tuple[str, ...]) -> list[NearDuplicate]:
        searches.append(len(urls))
        return search(urls)

    monkeypatch.setattr(lint, "near_duplicates", counted)

    def check(previous: Site | None, change: Callable[[str], str] | None) -> tuple[Site, list[Problem]]:
        if change:
            report = content / "reports" / "shakhty-2022-2.yaml"
            report.write_text(change(report.read_text(encoding="utf-8")), encoding="utf-8")
        files.begin()
        site = load_site(content, files, previous)
        found = lint.warnings(site, as_of, cache)
        assert found == lint.warnings(load_site(content), as_of, None)  # what a check from scratch gives
        return site, found

    site, first = check(None, None)
    assert any("адрес отличается одним символом" in problem.message for problem in first)
    assert len(searches) == 2  # the kept check's and the one from scratch
    # Lines move, addresses stay: the kept pairs are shown at the new places.
    site, moved = check(site, lambda text: text.replace("\nsections:", "\n# ПРАВКА\n\nsections:", 1))
    assert len(searches) == 3 and [p.line for p in moved] != [p.line for p in first]
    check(
        site,
        lambda text: text.replace("1ECCjC-e3QbNLJePKfXZgP5CXgkuH7aWq", "1ECCjC-e3QbNLJePKfXZgP5CXgkuH7aWr"),
    )
    assert len(searches) == 5
