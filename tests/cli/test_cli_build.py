"""`site-builder check` and `build` end to end: one `path:line:col: message` line per problem, all of them, exit 1,
never a traceback, and the previous output/ left byte for byte as it was.
"""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest
from click.testing import Result

from site_builder.build.caches import PARSED_DB
from site_builder.build.keys import cache_folder
from tests.helpers.sites import (
    BILLION_LAUGHS,
    build_cli,
    check_cli,
    leftovers,
    make_site,
    read_fixture,
    run_process,
    snapshot,
)

ROADMAP = read_fixture("roadmaps/demo-2022.yaml")
REPORT = read_fixture("reports/demo-2022-1.yaml")
SITE = read_fixture("site.yaml")
SCHOOLS = read_fixture("schools.yaml")
PROBLEM_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def changed(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def quoted(value: str) -> str:
    return (
        '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n") + '"'
    )


def problem_lines(result: Result) -> list[str]:
    """The stderr lines of a failed run, checked for shape: every line but the closing count is a problem."""
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and lines[-1].startswith("Найдено ошибок: ")
    for line in lines[:-1]:
        match = PROBLEM_LINE.match(line)
        assert match, line
        assert CYRILLIC.search(match["message"]), line
    assert lines[-1] == f"Найдено ошибок: {len(lines) - 1}. Исправьте их и запустите команду снова."
    return lines[:-1]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the folder holding content/, as an editor does: paths read «content/…»."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("good")
    result = build_cli(make_site(root), root / "output")
    assert result.exit_code == 0, result.output
    return root / "output"


@pytest.fixture
def previous_output(tmp_path: Path, good_build: Path) -> Path:
    output = tmp_path / "output"
    shutil.copytree(good_build, output)
    return output


# name: files to write over the fixture site, then (file, line, col, words) of the expected problem.
BAD_INPUTS: list[tuple[str, dict[str, str | bytes | None], tuple[str, int, int, str]]] = [
    ("yaml-indentation", {"site.yaml": "title: x\n organisation: y\n"}, ("site.yaml", 2, 14, "ошибка синтаксиса YAML")),
    ("yaml-unclosed-quote", {"site.yaml": 'organisation: "Управление\ntitle: x\n'}, ("site.yaml", 1, 15, "кавычка")),
    ("yaml-tab-indent", {"site.yaml": "organisation: y\ncoordinator:\n\tname: x\n"}, ("site.yaml", 3, 1, "табуляцией")),
    (
        "yaml-colon-in-value",
        {"roadmaps/demo-2022.yaml": changed(ROADMAP, "activity: Первое мероприятие", "activity: Цель: первое")},
        ("roadmaps/demo-2022.yaml", line_of(ROADMAP, "activity: Первое"), 19, "текст с двоеточием нужно взять в кавычки"),
    ),
    (
        "wrong-type",
        {"roadmaps/demo-2022.yaml": changed(ROADMAP, "year: 2022", "year: двадцать")},
        ("roadmaps/demo-2022.yaml", line_of(ROADMAP, "year:"), 7, "поле «year» (Год): ожидается целое число"),
    ),
    (
        "missing-field",
        {"roadmaps/demo-2022.yaml": changed(ROADMAP, "    activity: Третье мероприятие\n", "")},
        (
            "roadmaps/demo-2022.yaml",
            line_of(ROADMAP, "  - number: '2.1'"),
            5,
            "поле «activity» (Мероприятие): не заполнено обязательное поле",
        ),
    ),
    (
        "unknown-key",
        {"roadmaps/demo-2022.yaml": changed(ROADMAP, "    deadline: Март 2022", "    dedline: Март 2022")},
        ("roadmaps/demo-2022.yaml", line_of(ROADMAP, "    deadline: Март"), 5, "может быть, имелось в виду «deadline»?"),
    ),
    (
        "duplicate-number",
        {"roadmaps/demo-2022.yaml": changed(ROADMAP, "number: '2.1'", "number: 1.1.")},
        ("roadmaps/demo-2022.yaml", line_of(ROADMAP, "number: '2.1'"), 13, "номер мероприятия «1.1» повторяется"),
    ),
    ("empty-file", {"schools.yaml": ""}, ("schools.yaml", 1, 1, "файл пуст")),
    ("cp1251", {"site.yaml": SITE.encode("cp1251")}, ("site.yaml", line_of(SITE, "title: Федеральный"), 8, "Windows-1251")),
    ("billion-laughs", {"schools.yaml": BILLION_LAUGHS}, ("schools.yaml", 1, 4, "якоря и ссылки YAML")),
    ("duplicate-key", {"site.yaml": SITE + "organisation: ещё раз\n"}, ("site.yaml", SITE.count("\n") + 1, 1, "повторяется")),
    (
        "javascript-evidence",
        {"roadmaps/demo-2022.yaml": changed(ROADMAP, "https://example.org/protocol.pdf", "javascript:alert(1)")},
        ("roadmaps/demo-2022.yaml", line_of(ROADMAP, "https://example.org/protocol"), 12, "«javascript:» запрещён"),
    ),
    (
        "javascript-school-spaces-case",
        {"schools.yaml": changed(SCHOOLS, "https://a.example.org/", quoted("  JaVaScRiPt:alert(1)"))},
        ("schools.yaml", line_of(SCHOOLS, "https://a.example"), 9, "«JaVaScRiPt:» запрещён"),
    ),
    (
        "javascript-site-tab",
        {"site.yaml": changed(SITE, "https://example.org/", quoted("java\tscript:alert(1)"))},
        ("site.yaml", line_of(SITE, "https://example.org/"), 8, "поле «url» (Адрес сайта): адрес со схемой"),
    ),
    (
        "javascript-report-newline",
        {"reports/demo-2022-1.yaml": changed(REPORT, "https://example.org/order.pdf", quoted("java\nscript:x"))},
        ("reports/demo-2022-1.yaml", line_of(REPORT, "https://example.org/order"), 12, "запрещён"),
    ),
    (
        "slug-leaves-output",
        {"roadmaps/demo-2022.yaml": "slug: ../../etc\n" + ROADMAP},
        ("roadmaps/demo-2022.yaml", 1, 7, "поле «slug» (Адрес страницы)"),
    ),
    (
        "file-name-with-space",
        {"pages/Плохое имя.md": "---\ntitle: Страница\n---\nТекст\n"},
        ("pages/Плохое имя.md", 2, 1, "укажите поле slug"),
    ),
    (
        "file-name-upper-case",
        {"roadmaps/UPPER.yaml": changed(ROADMAP, "Тестовая дорожная", "Вторая дорожная")},
        ("roadmaps/UPPER.yaml", line_of(ROADMAP, "title:"), 1, "имя файла «UPPER.yaml» не годится"),
    ),
    (
        "report-number-not-in-roadmap",
        {"reports/demo-2022-1.yaml": changed(REPORT, "number: '1.1'", "number: '7.7'")},
        ("reports/demo-2022-1.yaml", line_of(REPORT, "number: '1.1'"), 13, "нет мероприятия с номером «7.7»"),
    ),
    (
        "unknown-roadmap",
        {"reports/demo-2022-1.yaml": changed(REPORT, "roadmap: demo-2022", "roadmap: nowhere")},
        ("reports/demo-2022-1.yaml", line_of(REPORT, "roadmap:"), 10, "нет дорожной карты «nowhere»"),
    ),
    (
        "page-front-matter",
        {"pages/about.md": "---\ntitle: x\nnews: может быть\n---\n"},
        ("pages/about.md", 3, 7, "поле «news» (Новость)"),
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("files", "expected"), [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS]
)
def test_bad_input_fails_cleanly_and_keeps_the_previous_output(
    tmp_path: Path,
    previous_output: Path,
    files: dict[str, str | bytes | None],
    expected: tuple[str, int, int, str],
) -> None:
    content = make_site(tmp_path, files)
    before = snapshot(previous_output)
    path, line, col, words = expected
    for result in (check_cli(Path("content")), build_cli(Path("content"), Path("output"))):
        assert result.exit_code == 1, result.output
        lines = problem_lines(result)
        assert any(
            entry.startswith(f"content/{path}:{line}:{col}: ") and words in entry for entry in lines
        ), lines
        assert result.stdout == ""
    assert snapshot(previous_output) == before
    assert leftovers(tmp_path) == []
    assert content.is_dir()


def test_all_errors_of_a_run_at_once(tmp_path: Path, previous_output: Path) -> None:
    make_site(
        tmp_path,
        {
            "site.yaml": "title: x\n organisation: y\n",
            "schools.yaml": "",
            "roadmaps/demo-2022.yaml": changed(ROADMAP, "year: 2022", "year: x"),
            "roadmaps/other-2022.yaml": changed(ROADMAP, "level: municipal", "level: town"),
            "pages/about.md": "без начала\n",
        },
    )
    before = snapshot(previous_output)
    result = build_cli(Path("content"), Path("output"))
    assert result.exit_code == 1
    paths = [PROBLEM_LINE.match(line)["path"] for line in problem_lines(result)]  # type: ignore[index]
    assert paths == [
        "content/pages/about.md",
        "content/roadmaps/demo-2022.yaml",
        "content/roadmaps/other-2022.yaml",
        "content/schools.yaml",
        "content/site.yaml",
    ]
    assert snapshot(previous_output) == before


def test_good_build_replaces_a_previous_build(tmp_path: Path, previous_output: Path) -> None:
    make_site(tmp_path, {"pages/about.md": None, "pages/news.md": "---\ntitle: Новость\n---\nТекст\n"})
    result = build_cli(Path("content"), Path("output"))
    assert result.exit_code == 0, result.output
    assert "Сайт собран" in result.stdout
    assert not (previous_output / "pages" / "about.html").exists()
    assert (previous_output / "pages" / "news.html").is_file()
    assert leftovers(tmp_path) == []


def test_check_passes_on_good_content(tmp_path: Path) -> None:
    make_site(tmp_path)
    result = check_cli(Path("content"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Ошибок нет")


# --- the output folder guard ----------------------------------------------------------------------------------


def refused(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Ошибка: ")
    return result.stderr


def test_foreign_folder_is_not_replaced(tmp_path: Path) -> None:
    make_site(tmp_path)
    foreign = tmp_path / "documents"
    (foreign / "sub").mkdir(parents=True)
    (foreign / "diploma.docx").write_bytes(b"precious")
    (foreign / "sub" / "index.html").write_text("моя страница", encoding="utf-8")
    before = snapshot(foreign)
    message = refused(build_cli(Path("content"), foreign))
    assert "не пуста" in message and "не удаляет чужие файлы" in message
    assert snapshot(foreign) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["content", "documents"]


def test_empty_folder_is_fine(tmp_path: Path) -> None:
    make_site(tmp_path)
    (tmp_path / "output").mkdir()
    assert build_cli(Path("content"), Path("output")).exit_code == 0
    assert (tmp_path / "output" / "index.html").is_file()


@pytest.mark.parametrize("output", ["content", "content/output", ".", "content/roadmaps/demo-2022.yaml"])
def test_output_cannot_overlap_the_content(tmp_path: Path, output: str) -> None:
    content = make_site(tmp_path)
    before = snapshot(content)
    refused(build_cli(Path("content"), Path(output)))
    assert snapshot(content) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["content"]


def test_output_that_is_a_file(tmp_path: Path) -> None:
    make_site(tmp_path)
    (tmp_path / "site.zip").write_bytes(b"zip")
    assert "это файл" in refused(build_cli(Path("content"), Path("site.zip")))
    assert (tmp_path / "site.zip").read_bytes() == b"zip"


def test_output_below_a_file(tmp_path: Path) -> None:
    make_site(tmp_path)
    (tmp_path / "notes.txt").write_text("заметки", encoding="utf-8")
    message = refused(build_cli(Path("content"), Path("notes.txt/output")))
    assert "не удалось собрать сайт" in message
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "заметки"


def test_disk_full_while_writing(
    tmp_path: Path, previous_output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_site(tmp_path)
    before = snapshot(previous_output)
    original = jinja2.Template.render
    calls = 0

    def full_disk(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError(errno.ENOSPC, "No space left on device", "output/roadmaps/demo-2022.html")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", full_disk)
    message = refused(build_cli(Path("content"), Path("output")))
    assert "на диске не осталось места" in message and "Прежний результат не изменён" in message
    assert snapshot(previous_output) == before
    assert leftovers(tmp_path) == []


@pytest.mark.usefixtures("small_thresholds")
def test_a_build_cache_that_cannot_be_written_is_said_after_the_build(tmp_path: Path) -> None:
    database = cache_folder(make_site(tmp_path)) / PARSED_DB
    database.mkdir(parents=True)  # in the database's place, as a full disk or a read-only folder refuses it
    result = build_cli(Path("content"), Path("output"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Сайт собран: ")
    assert result.stderr.splitlines()[-1] == (
        f"Кэш сборки пополнен не полностью: файл базы не открывается ({database}). Сайт собран целиком; чего нет "
        "в кэше, следующая сборка сделает заново."
    )


# --- a real process ---------------------------------------------------------------------------------------------


def test_real_process_reports_in_russian_without_traceback(tmp_path: Path) -> None:
    # 300 000 nested brackets used to crash libyaml's composer with a segfault.
    make_site(tmp_path, {"site.yaml": "organisation: " + "[" * 300_000, "schools.yaml": BILLION_LAUGHS})
    completed = run_process("check", "--content", "content", cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr + completed.stdout
    lines = completed.stderr.splitlines()
    assert lines[0].startswith("content/schools.yaml:1:4: якоря и ссылки YAML")
    assert lines[1].startswith("content/site.yaml:1:") and "вложенность" in lines[1]
    assert lines[2] == "Найдено ошибок: 2. Исправьте их и запустите команду снова."
