"""The command-line interface: `site-builder COMMAND`; each command delegates to the module that owns it."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import NoReturn

import click

from site_builder import __version__
from site_builder.errors import ContentError, Problem

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def report_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        click.echo(problem.format(), err=True)


def fail_with(error: ContentError) -> NoReturn:
    report_problems(error.problems)
    errors = sum(1 for p in error.problems if not p.warning)
    click.echo(f"Найдено ошибок: {errors}. Исправьте их и запустите команду снова.", err=True)
    sys.exit(EXIT_FAILURE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="site-builder", message="%(prog)s %(version)s")
def main() -> None:
    """Генератор раздела «Федеральный проект 500+» для сайтов органов управления образованием."""


def _as_of_option(func):  # type: ignore[no-untyped-def]
    return click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Дата, на которую считаются статусы (ГГГГ-ММ-ДД); по умолчанию — сегодня.",
    )(func)


def _content_option(func):  # type: ignore[no-untyped-def]
    return click.option(
        "--content",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("content"),
        show_default=True,
        help="Папка с содержимым сайта.",
    )(func)


def resolve_as_of(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


@main.command()
@_content_option
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Папка, в которую собирается сайт.")  # fmt: skip
@click.option("--base-url", default=None, help="Адрес раздела в интернете, например https://example.org/500plus/.")
@_as_of_option
def build(content: Path, output: Path, base_url: str | None, as_of: dt.datetime | None) -> None:
    """Собрать сайт из папки с содержимым."""
    from site_builder.build import build_site
    from site_builder.write import OutputRefused

    try:
        result = build_site(content, output, resolve_as_of(as_of))
    except ContentError as error:
        fail_with(error)
    except OutputRefused as error:
        click.echo(f"Ошибка: {error}", err=True)
        sys.exit(EXIT_USAGE)
    report_problems(result.site.warnings)
    click.echo(f"Сайт собран: {result.pages} страниц в папке {output}")


@main.command()
@_content_option
def check(content: Path) -> None:
    """Проверить содержимое без сборки сайта."""
    from site_builder.model import load_site

    try:
        site = load_site(content)
    except ContentError as error:
        fail_with(error)
    report_problems(site.warnings)
    click.echo(f"Ошибок нет: дорожных карт — {len(site.roadmaps)}, отчётов — {len(site.reports)}.")
