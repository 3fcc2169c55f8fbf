"""`site-builder import`: files written for `check`, never overwritten without --force, remarks on stderr."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from site_builder.cli import main
from tests.helpers.seeds import BALAKHTA, KALININGRAD, REPO, SHAKHTY, Seed, seed_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importer"
REMARK = re.compile(r"^\S+:\d+: (предупреждение: )?\S")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def content_with(tmp_path: Path, site: Path) -> Path:
    content = tmp_path / "content"
    (content / "roadmaps").mkdir(parents=True)
    (content / "reports").mkdir()
    shutil.copy(site / "site.yaml", content / "site.yaml")
    return content


def check_and_build(content: Path, tmp_path: Path) -> None:
    checked = run("check", "--content", content)
    assert checked.exit_code == 0, checked.stderr
    built = run("build", "--content", content, "--output", tmp_path / "site", "--as-of", "2022-12-01")
    assert built.exit_code == 0, built.stderr


@pytest.mark.parametrize(("seed", "site"), [(BALAKHTA, REPO / "content"), (KALININGRAD, REPO / "examples" / "kaliningrad")],
                         ids=["balakhta", "kaliningrad"])  # fmt: skip
def test_an_imported_roadmap_passes_check_and_builds(seed: Seed, site: Path, tmp_path: Path) -> None:
    content = content_with(tmp_path, site)
    target = content / "roadmaps" / seed.roadmap.name
    result = run("import", seed_path(seed), "--kind", "roadmap", "--output", target)
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# Импортировано командой «site-builder import»")
    check_and_build(content, tmp_path)


def test_a_report_and_its_roadmap_columns_pass_check_and_build(tmp_path: Path) -> None:
    content = content_with(tmp_path, REPO / "examples" / "shakhty")
    result = run(
        "import", seed_path(SHAKHTY), "--kind", "report", "--output", content / "reports" / "shakhty-2022-2.yaml",
        "--roadmap-output", content / "roadmaps" / "shakhty-2022.yaml",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "roadmap: shakhty-2022\n" in (content / "reports" / "shakhty-2022-2.yaml").read_text(
        encoding="utf-8"
    )
    check_and_build(content, tmp_path)


def test_a_report_without_its_roadmap_file_carries_the_activities(tmp_path: Path) -> None:
    content = content_with(tmp_path, REPO / "examples" / "shakhty")
    target = content / "reports" / "report.yaml"
    assert (
        run("import", FIXTURES / "synthetic-report.md", "--kind", "report", "--output", target).exit_code == 0
    )
    text = target.read_text(encoding="utf-8")
    assert "roadmap:" not in text and "activity: Совещание с координаторами\n" in text
    assert run("check", "--content", content).exit_code == 0


def test_html_fragments_and_markdown_links_in_cells_become_evidence() -> None:
    result = run("import", FIXTURES / "synthetic-report.md", "--kind", "report")
    assert result.exit_code == 0, result.stderr
    assert "title: Протокол совещания\n" in result.stdout
    assert "url: https://example.org/docs/protocol.pdf?a=1&b=2\n" in result.stdout
    assert "status: запланировано\n" in result.stdout
    assert "url: https://example.org/docs/справка.pdf\n" in result.stdout
    assert "title: Отчет школы № 2\n" in result.stdout
    # A URL inside an activity stays in its text and is reported, not dropped.
    assert any("есть адрес" in line for line in result.stderr.splitlines())


def test_without_output_yaml_goes_to_stdout_and_every_remark_to_stderr() -> None:
    result = run("import", seed_path(BALAKHTA), "--kind", "roadmap")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Импортировано")
    remarks = result.stderr.splitlines()[:-1]
    assert len(remarks) == 3 and all(REMARK.match(line) for line in remarks), remarks
    assert result.stderr.splitlines()[-1].startswith("Импортировано: разделов — 6, мероприятий — 30")


def test_an_existing_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    report, roadmap = tmp_path / "report.yaml", tmp_path / "roadmap.yaml"
    roadmap.write_text("# моя правка\n", encoding="utf-8")
    source = FIXTURES / "synthetic-report.md"
    args: list[str | Path] = [
        "import",
        source,
        "--kind",
        "report",
        "--output",
        report,
        "--roadmap-output",
        roadmap,
    ]
    refused = run(*args)
    assert refused.exit_code == 2
    assert "уже существует" in refused.stderr and "--force" in refused.stderr
    assert roadmap.read_text(encoding="utf-8") == "# моя правка\n"
    assert not report.exists()
    forced = run(*args, "--force")
    assert forced.exit_code == 0
    assert roadmap.read_text(encoding="utf-8").startswith("# Импортировано")
    assert report.is_file()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.yaml", "roadmap.yaml"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.docx", "--kind", "roadmap"], "не найден"),
        (["{fixture}", "--kind", "roadmap", "--roadmap-output", "r.yaml"], "--roadmap-output нужен только"),
        (
            ["{fixture}", "--kind", "report", "--output", "a.yaml", "--roadmap-output", "a.yaml"],
            "один и тот же",
        ),
        (["{fixture}", "--kind", "table"], "неверное значение --kind"),
    ],
)
def test_usage_errors_exit_with_2(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("import", *[arg.format(fixture=FIXTURES / "synthetic-report.md") for arg in args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_roadmap_imported_as_a_report_writes_nothing(tmp_path: Path) -> None:
    result = run("import", seed_path(KALININGRAD), "--kind", "report", "--output", tmp_path / "r.yaml")
    assert result.exit_code == 1
    assert "нет столбца отчёта" in result.stderr and "--kind roadmap" in result.stderr
    assert not (tmp_path / "r.yaml").exists()


def test_equal_numbers_with_different_texts_are_written_and_fail(tmp_path: Path) -> None:
    source = tmp_path / "dup.tsv"
    source.write_text(
        "Муниципальная дорожная карта на 2024 год\n\n№\tМероприятие\tСрок\tПоказатель\n1. Раздел\t\t\t\n"
        "1.1\tПервое\tМай\tП\n1.1\tДругое\tИюнь\tП\n",
        encoding="utf-8",
    )
    content = content_with(tmp_path, REPO / "examples" / "kaliningrad")
    target = content / "roadmaps" / "dup.yaml"
    result = run("import", source, "--kind", "roadmap", "--output", target)
    assert result.exit_code == 1
    assert re.search(r"dup\.tsv:6: номер 1\.1 уже был в строке 5", result.stderr)
    assert "Ошибок — 1" in result.stderr
    checked = run("check", "--content", content)
    assert checked.exit_code == 1 and "повторяется" in checked.stderr
