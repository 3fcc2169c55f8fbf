"""The command-line interface: `site-builder COMMAND`; each command delegates to the module that owns it."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from site_builder import __version__
from site_builder.cli.russian_help import RussianGroup
from site_builder.core.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Problem


def report_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        click.echo(problem.format(), err=True)


@click.group(cls=RussianGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="site-builder", message="%(prog)s %(version)s",
                      help="Показать версию и выйти.")  # fmt: skip
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


# The two checkers (check-links, monitor) are told the same way to reach internal addresses and how to report.
_allow_private_option = click.option(
    "--allow-private", is_flag=True, help="Разрешить внутренние адреса (127.0.0.1, 10.x, 192.168.x)."
)


def _report_format_option(help_text: str):  # type: ignore[no-untyped-def]
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json", "junit", "markdown"]),
        default="text",
        show_default=True,
        help=help_text,
    )


def resolve_as_of(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


def _sources_options(func):  # type: ignore[no-untyped-def]
    """What `build` and `serve` add to the content alike, so the preview shows what the build publishes."""
    func = click.option(
        "--link-results", type=click.Path(path_type=Path, dir_okay=False), default=Path(".cache/link-report.json"),
        show_default=True,
        help="Результаты последней команды check-links: отметки у ссылок и страница «Проверка ссылок». "
             "Если файла нет, сайт собирается без них.",
    )(func)  # fmt: skip
    return click.option(
        "--base-url", default=None, help="Адрес раздела в интернете, например https://example.org/500plus/."
    )(func)


def _base_url(base_url: str | None) -> str | None:
    from site_builder.core.addresses import normalise_base_url

    try:
        return normalise_base_url(base_url) if base_url else None
    except ValueError as error:
        click.echo(f"Ошибка: --base-url: {error}", err=True)
        sys.exit(EXIT_USAGE)


@main.command()
@_content_option
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Папка, в которую собирается сайт.")  # fmt: skip
@_sources_options
@_as_of_option
@click.option("--zip", "archive", type=click.Path(path_type=Path), default=None,
              help="Сохранить собранный сайт и в zip-архив для загрузки на хостинг по FTP.")  # fmt: skip
def build(
    content: Path,
    output: Path,
    base_url: str | None,
    as_of: dt.datetime | None,
    archive: Path | None,
    link_results: Path,
) -> None:
    """Собрать сайт из папки с содержимым."""
    from site_builder.build.site import build_site

    base = _base_url(base_url)
    result = build_site(content, output, resolve_as_of(as_of), base, link_results, archive=archive)
    report_problems(result.warnings)
    click.echo(f"Сайт собран: {result.pages} страниц в папке {output}")
    if result.cache_refused:
        click.echo(
            f"Кэш сборки пополнен не полностью: {'; '.join(result.cache_refused)}. Сайт собран целиком; чего нет "
            "в кэше, следующая сборка сделает заново.",
            err=True,
        )
    if archive:
        click.echo(f"Архив для загрузки: {archive} (файлов: {result.archived})")


@main.command()
@_content_option
@_as_of_option
@click.option("--strict", is_flag=True, help="Считать предупреждения ошибками (для CI и pre-commit).")
def check(content: Path, as_of: dt.datetime | None, strict: bool) -> None:
    """Проверить содержимое без сборки сайта."""
    from site_builder.build.pipeline import Sources
    from site_builder.build.prefetch import whole_site
    from site_builder.model.warnings import attach_warnings

    with whole_site(Sources(content)) as loaded:
        site = attach_warnings(loaded, resolve_as_of(as_of))
    report_problems(site.warnings)
    if strict and site.warnings:
        click.echo(f"Предупреждений: {len(site.warnings)}; с --strict они считаются ошибками.", err=True)
        sys.exit(EXIT_FAILURE)
    warned = f" Предупреждений: {len(site.warnings)}." if site.warnings else ""
    click.echo(f"Ошибок нет: дорожных карт — {len(site.roadmaps)}, отчётов — {len(site.reports)}.{warned}")


@main.command()
@_content_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Порт; если он занят, берётся следующий свободный.")  # fmt: skip
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Адрес, на котором слушать; другой адрес покажет черновик всей сети.")  # fmt: skip
@click.option("--open", "open_browser", is_flag=True, help="Открыть предпросмотр в браузере.")
@_sources_options
@_as_of_option
def serve(
    content: Path,
    port: int,
    host: str,
    open_browser: bool,
    base_url: str | None,
    link_results: Path,
    as_of: dt.datetime | None,
) -> None:
    """Предпросмотр: собрать сайт, показать его в браузере и обновлять при каждом сохранении."""
    from site_builder.build.pipeline import Sources
    from site_builder.preview import PortsBusy, run

    if not content.is_dir():
        click.echo(f"Ошибка: папка с содержимым {content} не найдена.", err=True)
        sys.exit(EXIT_USAGE)
    try:
        sources = Sources(content, _base_url(base_url), link_results)
        run(sources, host, port, open_browser, as_of.date() if as_of else None, click.echo)
    except (PortsBusy, OSError) as error:
        click.echo(f"Ошибка: не удалось открыть предпросмотр на {host}:{port}: {error}", err=True)
        sys.exit(EXIT_USAGE)


@main.command("schema")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default=Path("schemas"),
              show_default=True, help="Папка для файлов JSON Schema.")  # fmt: skip
def schema(output: Path) -> None:
    """Записать JSON Schema файлов содержимого для подсказок и проверки в редакторе (VS Code)."""
    from site_builder.content.schema import write_schemas

    try:
        written = write_schemas(output)
    except OSError as error:
        click.echo(f"Ошибка: не удалось записать схемы в {output}: {error.strerror}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"Записано схем: {len(written)} в папку {output}")


@main.command("new")
@click.argument("kind", type=click.Choice(["site", "roadmap", "report", "page", "school"]))
@click.argument("name")
@_content_option
@click.option("--roadmap", "roadmap_slug", default=None,
              help="Для отчёта: дорожная карта, пункты которой перечислить (если карт несколько).")  # fmt: skip
def new(kind: str, name: str, content: Path, roadmap_slug: str | None) -> None:
    """Создать заготовку: новый сайт (NAME — папка), дорожную карту, отчёт, страницу или школу (NAME — латиницей,
    например balakhta-2023)."""
    from site_builder.core.errors import display_path
    from site_builder.scaffold import scaffold, scaffold_site

    if kind == "site":
        written = scaffold_site(Path(name), dt.date.today())
    else:
        made = scaffold(kind, name, content, dt.date.today(), roadmap_slug)  # type: ignore[arg-type]
    if kind == "site":
        click.echo(f"Создан сайт в папке {display_path(Path(name))}, файлов: {len(written)}. Заполните "
                   f"{display_path(Path(name) / 'content')} и проверьте: site-builder check --content "
                   f"{display_path(Path(name) / 'content')}")  # fmt: skip
        return
    if made.created:
        click.echo(
            f"Создан файл {display_path(made.path)}: заполните его и проверьте командой site-builder check."
        )
        return
    click.echo(f"Файл {display_path(made.path)} уже есть, site-builder его не меняет. Добавьте в конец списка "
               "schools: эти строки и заполните их:", err=True)  # fmt: skip
    click.echo(made.text, nl=False)


@main.command("deadline")
@click.argument("text")
@click.option("--year", type=click.IntRange(1900, 2099), default=None,
              help="Год документа: для сроков без года («Август», «Постоянно»).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Вывести разбор одним JSON-объектом.")
def deadline(text: str, year: int | None, as_json: bool) -> None:
    """Показать, как понимается текст срока, например «Август-ноябрь 2022»."""
    import json

    from site_builder.model.deadlines import explain, parse_deadline, schedule_to_json

    schedule = parse_deadline(text, year)
    if as_json:
        click.echo(json.dumps(schedule_to_json(schedule), ensure_ascii=False))
    else:
        click.echo(explain(schedule))
    if schedule.kind == "unknown" and year is None and parse_deadline(text, 2000).kind != "unknown":
        click.echo("В тексте срока нет года: укажите год документа, например --year 2023.", err=True)


@main.command("check-links")
@click.option(
    "--content",
    "content_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Папка с содержимым (по умолчанию content/, если не указан --site).",
)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Проверить ссылки и картинки собранного сайта в этой папке.",
)
@click.option(
    "--base-url", default=None, help="Адрес, по которому опубликован сайт: такие ссылки — внутренние."
)
@_report_format_option("Формат отчёта.")
@click.option("--output", type=click.Path(path_type=Path), default=None, help="Записать отчёт в файл.")
@click.option(
    "--timeout", type=click.FloatRange(0.1, 120), default=None, help="Тайм-аут подключения и ответа, секунд."
)
@_allow_private_option
@click.option(
    "--cache",
    "cache_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Файл кэша (по умолчанию .cache/link-check.sqlite).",
)
@click.option("--no-cache", is_flag=True, help="Не читать и не записывать кэш.")
@click.option("--shard", default=None, help="Проверить часть K из N адресов, например 1/4.")
@click.option(
    "--documents",
    is_flag=True,
    help="Скачивать документы (до 20 МБ, не сохраняя) и проверять, что это они и что в PDF есть текст.",
)
def check_links(
    content_dir: Path | None, site_dir: Path | None, base_url: str | None, fmt: str, output: Path | None,
    timeout: float | None, allow_private: bool, cache_file: Path | None, no_cache: bool, shard: str | None,
    documents: bool,
) -> None:  # fmt: skip
    """Проверить ссылки на подтверждающие документы, сайты школ и страницы."""
    from site_builder.cli.check_links import CheckLinksOptions, check_links_command

    options = CheckLinksOptions(
        content_dir, site_dir, base_url, fmt, output, timeout, allow_private, cache_file, no_cache, shard,
        documents,
    )  # fmt: skip
    sys.exit(check_links_command(options))


@main.command("monitor")
@_content_option
@_as_of_option
@_allow_private_option
@_report_format_option("Отчёт о проверках по каждой ОО (рядом с файлом результатов).")
@click.option(
    "--output", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Записать отчёт в файл."
)
def monitor(
    content: Path, as_of: dt.datetime | None, allow_private: bool, fmt: str, output: Path | None
) -> None:
    """Мониторинг официальных сайтов школ (п. 5.4, раздел «Сведения об образовательной организации»)."""
    from site_builder.cli.monitor import MonitorOptions, monitor_command

    sys.exit(monitor_command(MonitorOptions(content, resolve_as_of(as_of), allow_private, fmt, output)))


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--kind", type=click.Choice(["roadmap", "report"]), required=True,
              help="Что в таблице: дорожная карта или отчёт о её выполнении.")  # fmt: skip
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Файл YAML для результата; без него YAML выводится на экран.")  # fmt: skip
@click.option("--roadmap-output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Для отчёта: файл YAML, куда записать столбцы дорожной карты из той же таблицы.")  # fmt: skip
@click.option("--force", is_flag=True, help="Перезаписать существующие файлы.")
def import_table(
    source: Path, kind: str, output: Path | None, roadmap_output: Path | None, force: bool
) -> None:  # fmt: skip
    """Перенести таблицу дорожной карты или отчёта из Word (.docx) или текста в YAML."""
    from site_builder.importer import run_import

    outcome = run_import(source, kind, output=output, roadmap_output=roadmap_output, force=force)
    for message in outcome.imported.messages():
        click.echo(message, err=True)
    if outcome.text is not None:
        click.echo(outcome.text, nl=False)
    click.echo(outcome.summary(), err=True)
    sys.exit(EXIT_FAILURE if outcome.imported.failed or outcome.imported.data is None else EXIT_OK)
