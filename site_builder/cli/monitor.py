"""`site-builder monitor`: options, a progress bar, the results file and reports written, the exit code."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from site_builder.checks.links.guard import Resolver
from site_builder.checks.monitor.compliance import failing
from site_builder.checks.monitor.criteria import (
    NO_SITE,
)
from site_builder.checks.monitor.progress import RunState, fingerprint, state_path
from site_builder.checks.monitor.run import (
    failed_required,
    fetch_config,
    make_results,
    monitor_schools,
)
from site_builder.cli.monitor_formats import format_report
from site_builder.content.models import School
from site_builder.content.records.monitoring import (
    RESULTS_FOLDER,
    CheckStatus,
    MonitoringResults,
    SchoolResult,
    write_results,
)
from site_builder.content.settings.link_check import LinkCheckConfig
from site_builder.content.settings.monitoring import MonitoringConfig
from site_builder.core.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, display_path

FAILS_SHOWN = 10  # failed checks listed per school in the text output


def school_lines(school: SchoolResult, results: MonitoringResults) -> list[str]:
    if not school.site.strip():
        return [f"{school.short_name}: {NO_SITE} — сайт не проверялся"]
    lines = [f"{school.short_name} ({school.site})"]
    for info in results.criteria:
        verdict = school.criteria[info.id]
        lines.append(f"  {verdict.outcome.icon} {info.title}: {verdict.text}")
    others = [check for check in school.checks if not check.id.startswith("site500.")]
    if others:
        counts = Counter(check.status for check in others)
        tally = ", ".join(f"{status.word} — {counts[status]}" for status in CheckStatus if counts[status])
        lines.append(f"  Раздел «Сведения» и доступность ({len(others)} проверок): {tally}")
        failed = [check for check in others if check.status is CheckStatus.FAIL]
        lines += [f"  ✗ {check.id}: {check.reason}" for check in failed[:FAILS_SHOWN]]
        if len(failed) > FAILS_SHOWN:
            lines.append(
                f"  … и ещё {len(failed) - FAILS_SHOWN}: все — в отчёте --format json|markdown и в справке"
            )
    lines += [f"  ! {note}" for note in school.notes]
    return lines


@dataclass(frozen=True)
class MonitorOptions:
    content_dir: Path
    as_of: dt.date
    allow_private: bool
    fmt: str = "text"
    output: Path | None = None
    progress: bool = True


def folder_problem(content_dir: Path) -> str:
    """Why the results cannot be written, found before any site is fetched."""
    folder = content_dir / RESULTS_FOLDER
    if folder.exists() and not folder.is_dir():
        return (
            f"{display_path(folder)} — это файл, а не папка: сюда записываются результаты мониторинга. "
            "Переименуйте или удалите этот файл и запустите мониторинг снова."
        )
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        return f"в папку {display_path(folder)} нельзя записывать: проверьте права доступа"
    return ""


def _run(
    options: MonitorOptions, schools: list[School], config: MonitoringConfig, settings: LinkCheckConfig,
    state: RunState, resolver: Resolver | None,
) -> list[SchoolResult]:  # fmt: skip
    """The run with a progress bar on a terminal (none in CI logs or tests)."""
    console = Console(stderr=True)
    with Progress(
        TextColumn("Мониторинг сайтов ОО"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not (options.progress and console.is_terminal),
    ) as bar:
        task = bar.add_task("monitor", total=len(schools), completed=len(state.done))

        def finished(result: SchoolResult) -> None:
            state.record(result)
            bar.advance(task)

        return asyncio.run(
            monitor_schools(
                schools,
                config,
                options.as_of,
                settings,
                resolver=resolver,
                done=state.done,
                on_result=finished,
            )
        )


def monitor_command(options: MonitorOptions, *, resolver: Resolver | None = None) -> int:
    """The `monitor` command; returns the exit code. ContentError propagates to the CLI's handler."""
    from site_builder.model.site import load_site

    site = load_site(options.content_dir)
    config = site.config.monitoring
    if not site.schools:
        click.echo("В schools.yaml нет школ: мониторить нечего, файл результатов не записан.")
        return EXIT_OK
    problem = folder_problem(options.content_dir)
    if problem:
        click.echo(f"Ошибка: {problem}", err=True)
        return EXIT_USAGE
    try:
        settings = fetch_config(
            config, site.config.link_check.relative_to(options.content_dir), options.allow_private
        )
    except ValueError as error:
        click.echo(f"Ошибка: настройки мониторинга: {error}", err=True)
        return EXIT_USAGE
    try:
        state = RunState.open(
            state_path(options.content_dir, options.as_of), fingerprint(config, site.schools)
        )
    except OSError as error:
        click.echo(f"Ошибка: не удалось записать состояние мониторинга: {error}", err=True)
        return EXIT_USAGE
    # A report asked for on stdout keeps stdout to itself: the lines for people go to stderr then.
    aside = options.fmt != "text" and options.output is None
    if state.done:
        click.echo(
            f"Продолжаю прерванный мониторинг: {len(state.done)} из {len(site.schools)} ОО уже проверены "
            f"({display_path(state.path)}).",
            err=aside,
        )
    schools = _run(options, site.schools, config, settings, state, resolver)
    results = make_results(schools, config, options.as_of)
    for school in results.schools:
        click.echo("\n".join(school_lines(school, results)), err=aside)
    try:
        path = write_results(options.content_dir, results)
        if options.output is not None and options.fmt != "text":
            options.output.parent.mkdir(parents=True, exist_ok=True)
            options.output.write_text(format_report(results, options.fmt, config.fail_on), encoding="utf-8")
    except OSError as error:
        click.echo(f"Ошибка: не удалось записать результаты мониторинга: {error}", err=True)
        return EXIT_USAGE
    state.finish()
    click.echo(
        f"Результаты записаны в {display_path(path)}: соберите сайт, чтобы обновить аналитическую справку.",
        err=aside,
    )
    if aside:
        click.echo(format_report(results, options.fmt, config.fail_on), nl=False)
    failed = failed_required(results)
    for school, titles in failed:
        click.echo(f"{school.short_name}: не выполнены обязательные критерии — {'; '.join(titles)}", err=True)
    if failed:
        click.echo(
            f"Обязательные критерии не выполнили ОО: {len(failed)} из {len(results.schools)}.", err=True
        )
    checks_failed = [(school, failing(school.checks, config.fail_on)) for school in results.schools]
    checks_failed = [(school, found) for school, found in checks_failed if found]
    for school, found in checks_failed:
        click.echo(
            f"{school.short_name}: не выполнено проверок раздела «Сведения» и доступности — {len(found)}",
            err=True,
        )
    return EXIT_FAILURE if failed or checks_failed else EXIT_OK
