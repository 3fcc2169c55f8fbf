"""Help and usage errors of the command line are in Russian, with exit code 2 and no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from site_builder.cli.russian_help import translate_error


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "site_builder", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["build", "--bogus"], "Ошибка вызова: нет такого параметра --bogus."),
        (
            ["build", "--outputt", "x"],
            "нет такого параметра --outputt (может быть, имелось в виду '--output'?)",
        ),
        (
            ["build", "--as-of", "2022-13-01"],
            "неверное значение --as-of: «2022-13-01» — нужна дата в виде ГГГГ-ММ-ДД",
        ),
        (["deadline"], "не указан аргумент TEXT"),
        (["nosuch"], "нет такой команды «nosuch»"),
        (["check-links", "--format", "xml"], "неверное значение --format: «xml»"),
    ],
)
def test_usage_errors_are_russian_with_exit_code_2(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Справка: site-builder" in result.stderr
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr


def test_help_is_russian() -> None:
    result = run("build", "--help")
    assert result.returncode == 0
    for word in ("Вызов: site-builder build", "Параметры:", "Показать эту справку и выйти."):
        assert word in result.stdout
    assert "Options:" not in result.stdout and "Usage:" not in result.stdout


def test_unknown_click_messages_pass_through_without_the_final_dot() -> None:
    assert translate_error("Something new.") == "Something new"
