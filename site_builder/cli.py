"""The command-line interface: `site-builder COMMAND`; each command delegates to the module that owns it."""

from __future__ import annotations

import sys

import click

from site_builder import __version__
from site_builder.errors import ContentError, Problem

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def report_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        click.echo(problem.format(), err=True)


def fail_with(error: ContentError) -> None:
    report_problems(error.problems)
    errors = sum(1 for p in error.problems if not p.warning)
    click.echo(f"Найдено ошибок: {errors}. Исправьте их и запустите команду снова.", err=True)
    sys.exit(EXIT_FAILURE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="site-builder", message="%(prog)s %(version)s")
def main() -> None:
    """Генератор раздела «Федеральный проект 500+» для сайтов органов управления образованием."""
