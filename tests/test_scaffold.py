"""`site-builder new`: every scaffold passes `check` and its schema, lands in the right folder, never overwrites."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from site_builder.cli import main
from site_builder.content.loader import load_markdown
from site_builder.content.models import PageMeta
from site_builder.content.schema import kind_named
from site_builder.content.validate import validate
from site_builder.model.site import load_site
from site_builder.scaffold import ScaffoldRefused, scaffold
from tests.helpers.schema import schema_errors
from tests.helpers.yaml12 import load_file12

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2024, 3, 15)
SITE = "organisation: Управление образования Условного района\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "site.yaml").write_text(SITE, encoding="utf-8")
    return folder


def check(content: Path) -> Result:
    return run("check", "--content", str(content), "--as-of", TODAY.isoformat())


@pytest.mark.parametrize(
    ("kind", "relative"),
    [
        ("roadmap", "roadmaps/demo-2024.yaml"),
        ("report", "reports/demo-2024.yaml"),
        ("page", "pages/demo-2024.md"),
        ("school", "schools.yaml"),
    ],
)
def test_each_scaffold_lands_in_its_folder_and_passes_check(content: Path, kind: str, relative: str) -> None:
    result = run("new", kind, "demo-2024", "--content", str(content))
    assert result.exit_code == 0, result.stderr
    assert (content / relative).is_file()
    assert relative in result.stdout
    checked = check(content)
    assert checked.exit_code == 0, checked.stderr
    if relative.endswith(".yaml"):
        schema = "schools" if kind == "school" else kind
        assert schema_errors(kind_named(schema), load_file12(content / relative)) == []
    text = (content / relative).read_text(encoding="utf-8")
    assert text.count("\n#") + text.startswith("#") >= 1, "a scaffold explains itself in comments"


def test_a_report_lists_every_item_of_the_only_roadmap(content: Path) -> None:
    shutil.copytree(REPO / "examples" / "shakhty" / "roadmaps", content / "roadmaps")
    made = scaffold("report", "shakhty-2022-3", content, TODAY)
    site = load_site(content)
    roadmap = site.roadmaps[0].roadmap
    (report,) = site.reports
    assert report.roadmap is not None and report.roadmap.slug == "shakhty-2022"
    assert [i.number for s in report.report.sections for i in s.items] == [
        i.number for s in roadmap.sections for i in s.items
    ]
    assert {i.status for s in report.report.sections for i in s.items} == {"запланировано"}
    assert "# Посещение школ-участниц Проекта 500+" in made.text
    assert [s.title for s in report.report.sections] == [s.title for s in roadmap.sections]


def test_a_report_asks_which_roadmap_when_there_are_several(content: Path) -> None:
    for name in ("a-2024", "b-2024"):
        scaffold("roadmap", name, content, TODAY)
    result = run("new", "report", "r-2024", "--content", str(content))
    assert result.exit_code == 2
    assert "--roadmap a-2024" in result.stderr
    assert not (content / "reports").exists()
    assert run("new", "report", "r-2024", "--content", str(content), "--roadmap", "b-2024").exit_code == 0
    assert 'roadmap: "b-2024"' in (content / "reports" / "r-2024.yaml").read_text(encoding="utf-8")
    assert run("new", "report", "r-2025", "--content", str(content), "--roadmap", "c-2024").exit_code == 2


def test_a_report_without_roadmaps_carries_its_own_items(content: Path) -> None:
    made = scaffold("report", "own-2024", content, TODAY)
    assert "roadmap:" not in made.text and "activity:" in made.text
    assert check(content).exit_code == 0


def test_nothing_is_overwritten(content: Path) -> None:
    scaffold("roadmap", "demo-2024", content, TODAY)
    edited = (content / "roadmaps" / "demo-2024.yaml").read_bytes() + b"# my edit\n"
    (content / "roadmaps" / "demo-2024.yaml").write_bytes(edited)
    result = run("new", "roadmap", "demo-2024", "--content", str(content))
    assert result.exit_code == 2 and "не перезаписывает" in result.stderr
    assert (content / "roadmaps" / "demo-2024.yaml").read_bytes() == edited
    (content / "roadmaps" / "other.yml").write_text("", encoding="utf-8")
    with pytest.raises(ScaffoldRefused, match="other.yml"):
        scaffold("roadmap", "other", content, TODAY)


@pytest.mark.parametrize("indent", ["", "    "])
def test_an_existing_schools_file_is_left_alone_and_the_entry_printed(content: Path, indent: str) -> None:
    schools = f"# Мои школы\nschools:\n{indent}- id: first\n{indent}  short_name: Первая\n{indent}  site: https://a.example.org/\n"
    (content / "schools.yaml").write_text(schools, encoding="utf-8")
    result = run("new", "school", "second", "--content", str(content))
    assert result.exit_code == 0
    assert (content / "schools.yaml").read_text(encoding="utf-8") == schools
    assert "не меняет" in result.stderr
    (content / "schools.yaml").write_text(schools + result.stdout, encoding="utf-8")
    assert [s.id for s in load_site(content).schools] == ["first", "second"]
    again = run("new", "school", "first", "--content", str(content))
    assert again.exit_code == 2 and "уже есть" in again.stderr


@pytest.mark.parametrize("name", ["Балахта", "Demo", "-demo", "demo_2024", "a/b", ""])
def test_names_that_cannot_be_addresses_are_refused(content: Path, name: str) -> None:
    result = run("new", "roadmap", "--content", str(content), "--", name)
    assert result.exit_code == 2 and "латинские" in result.stderr
    assert not (content / "roadmaps").exists()


def test_a_missing_content_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("new", "page", "news", "--content", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and "не найдена" in result.stderr


def test_a_page_is_dated_today_and_its_guidance_is_not_published(content: Path) -> None:
    made = scaffold("page", "news-1", content, TODAY)
    meta, problems = validate(load_markdown(made.path, "news-1.md").meta, PageMeta)
    assert problems == [] and meta is not None and meta.date == TODAY
    (page,) = load_site(content).pages
    assert "Этот комментарий" not in page.html and "Текст страницы." in page.html


def test_new_files_point_at_the_schema_when_one_is_shipped_beside_them(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "content").mkdir(parents=True)
    (repo / "content" / "site.yaml").write_text(SITE, encoding="utf-8")
    assert run("schema", "--output", str(repo / "schemas")).exit_code == 0
    made = scaffold("roadmap", "demo-2024", repo / "content", TODAY)
    assert made.text.startswith("# yaml-language-server: $schema=../../schemas/roadmap.schema.json\n")
    school = scaffold("school", "s1", repo / "content", TODAY)
    assert school.text.startswith("# yaml-language-server: $schema=../schemas/schools.schema.json\n")


def test_a_new_site_checks_builds_and_carries_its_publishing_settings(tmp_path: Path) -> None:
    import tomllib

    folder = tmp_path / "my-500plus"
    result = run("new", "site", str(folder))
    assert result.exit_code == 0, result.output
    assert check(folder / "content").exit_code == 0
    built = run("build", "--content", str(folder / "content"), "--output", str(folder / "output"))
    assert built.exit_code == 0 and (folder / "output" / "index.html").is_file()
    roadmaps = list((folder / "output" / "roadmaps").glob("*.html"))
    assert roadmaps, "the roadmap scaffold becomes a page"
    assert "output/" in (folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    netlify = tomllib.loads((folder / "netlify.toml").read_text(encoding="utf-8"))
    ours = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    assert netlify["headers"] == ours["headers"] and netlify["redirects"] == ours["redirects"]
    assert "pip install -e" not in netlify["build"]["command"], "a new site has no checkout to install"
    workflows = folder / ".github" / "workflows"
    assert "site-builder build" in (workflows / "site.yml").read_text(encoding="utf-8")
    assert "site-builder check-links" in (workflows / "nightly.yml").read_text(encoding="utf-8")


def test_a_new_site_never_goes_into_a_folder_that_holds_something(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("мои заметки", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "site", str(tmp_path)])
    assert result.exit_code == 2 and "не пуста" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
