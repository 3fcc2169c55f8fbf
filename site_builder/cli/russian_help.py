"""Click speaks English in its help headings and usage errors; our users read Russian, so we translate them here."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import Any

import click

from site_builder.core.errors import ContentError, SiteBuilderError

_HEADINGS = {"Options": "Параметры", "Commands": "Команды", "Arguments": "Аргументы"}
_HELP_TEXTS = {
    "Show this message and exit.": "Показать эту справку и выйти.",
    "Show the version and exit.": "Показать версию и выйти.",
}
_ERRORS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"No such option:? '?([^'\s]+)'?\.?\s*(.*)"), "нет такого параметра {0}{1}"),
    (re.compile(r"No such command '(.+)'\."), "нет такой команды «{0}»"),
    (re.compile(r"Missing argument '(.+)'\."), "не указан аргумент {0}"),
    (re.compile(r"Missing option '(.+)'\."), "не указан обязательный параметр {0}"),
    (re.compile(r"Option '(.+)' requires an argument\."), "параметру {0} нужно значение"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), "лишние аргументы: {0}"),
    (
        re.compile(r"Invalid value for '(.+?)': '(.*)' does not match the format '(.+)'\."),
        "неверное значение {0}: «{1}» — нужна дата в виде ГГГГ-ММ-ДД",
    ),  # fmt: skip
    (
        re.compile(r"Invalid value for '(.+?)': '(.*)' is not one of (.+)\."),
        "неверное значение {0}: «{1}», допустимо: {2}",
    ),
    (
        re.compile(r"Invalid value for '(.+?)': '(.*)' is not a valid integer\."),
        "неверное значение {0}: «{1}» — нужно целое число",
    ),
    (
        re.compile(r"Invalid value for '(.+?)': (?:File|Directory|Path) '(.*)' does not exist\."),
        "{0}: нет такого файла или папки «{1}»",
    ),
    (re.compile(r"Invalid value for '(.+?)': (.*)"), "неверное значение {0}: {1}"),
]


_SUGGESTIONS = {
    "(Did you mean one of: ": " (может быть, имелось в виду одно из: ",
    "(Did you mean ": " (может быть, имелось в виду ",
    "Did you mean ": " (может быть, имелось в виду ",
    "(Possible options: ": " (возможные параметры: ",
}


def _suggestion(text: str) -> str:
    """Click's «Did you mean …?» tail in Russian; any other captured value unchanged."""
    for english, russian in _SUGGESTIONS.items():
        if text.startswith(english):
            tail = text[len(english) :].rstrip(").")
            return f"{russian}{tail})" if tail.endswith("?") else f"{russian}{tail.rstrip('?')}?)"
    return text


def translate_error(message: str) -> str:
    for pattern, template in _ERRORS:
        match = pattern.fullmatch(message.strip())
        if match:
            return template.format(*(_suggestion(group or "") for group in match.groups()))
    return message.strip().rstrip(".")


class RussianFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="Вызов: ")

    def section(self, name: str) -> Any:
        return super().section(_HEADINGS.get(name, name))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _HELP_TEXTS.get(text, text)) for term, text in rows], col_max, col_spacing)


class RussianContext(click.Context):
    formatter_class = RussianFormatter


class RussianCommand(click.Command):
    context_class = RussianContext


class RussianGroup(click.Group):
    """The top-level group: Russian help for every command, usage errors in Russian with exit code 2."""

    context_class = RussianContext
    command_class = RussianCommand

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.Abort:
            click.echo("Прервано.", err=True)
            sys.exit(1)
        except click.UsageError as error:
            hint = f" Справка: {error.ctx.command_path} --help." if error.ctx else ""
            click.echo(f"Ошибка вызова: {translate_error(error.format_message())}.{hint}", err=True)
            sys.exit(2)
        except click.ClickException as error:
            click.echo(f"Ошибка: {translate_error(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except ContentError as error:  # every problem at its place, then how many
            for problem in error.problems:
                click.echo(problem.format(), err=True)
            errors = sum(1 for p in error.problems if not p.warning)
            click.echo(f"Найдено ошибок: {errors}. Исправьте их и запустите команду снова.", err=True)
            sys.exit(error.exit_code)
        except SiteBuilderError as error:  # the one map from errors to exit codes (core.errors)
            click.echo(f"Ошибка: {error}", err=True)
            sys.exit(error.exit_code)
