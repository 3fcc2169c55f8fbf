"""The small commands as editors meet them: `site-builder --help` and `site-builder check` of the shipped content.

pre-commit runs `check` on every commit, so its whole process counts: interpreter start, imports, loading and
validating content/. Each run is its own process (`python -m site_builder …`), with the package's bytecode
written first (measure.compile_code): one warm-up that is not counted, then 7 runs; the median and the largest
wall and CPU (user + system) seconds.
The targets are on the wall median; on a shared machine read the CPU figures beside it.

Usage: .venv/bin/python -m bench.commands_bench [--runs N]
Prints the figures and writes bench/results/commands.json; bench/__main__.py calls measure().
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import compile_code, write_results

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "commands.json"
RUNS = 7
TARGETS = {"help_seconds": 0.15, "check_seconds": 0.4}


def timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall, cpu, exit code) of one process; its output goes nowhere, so a pipe's cost is not in the figure."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def runs_of(args: list[str], shown: str, cwd: Path, runs: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "site_builder", *args]
    timed(command, cwd)
    walls, cpus, codes = zip(*(timed(command, cwd) for _ in range(runs)), strict=True)
    return {
        "command": shown,
        "runs": runs,
        "wall_median": round(statistics.median(walls), 3),
        "wall_max": round(max(walls), 3),
        "cpu_median": round(statistics.median(cpus), 3),
        "cpu_max": round(max(cpus), 3),
        "failed_runs": sum(1 for code in codes if code != 0),
    }


def measure(content: Path = ROOT / "content", code: Path = ROOT, runs: int = RUNS) -> dict[str, Any]:
    """Both commands timed; `code` is the folder whose site_builder runs (a snapshot of it, as the builds use).

    The command runs from `code`, so its own package comes first on the path whatever is installed.
    """
    compile_code(code)
    content = content.resolve()
    shown = content.relative_to(ROOT) if content.is_relative_to(ROOT) else content
    commands = {
        "help_seconds": runs_of(["--help"], "site-builder --help", code, runs),
        "check_seconds": runs_of(
            ["check", "--content", str(content)], f"site-builder check --content {shown}", code, runs
        ),
    }
    seconds = {name: figures["wall_median"] for name, figures in commands.items()}
    return {
        **seconds,
        "targets": TARGETS,
        "passed": {
            name: not commands[name]["failed_runs"] and seconds[name] <= TARGETS[name] for name in commands
        },
        "commands": commands,
    }


def report(figures: dict[str, Any]) -> list[str]:
    runs = figures["commands"]["check_seconds"]["runs"]
    lines = [f"Малые команды (каждый запуск — отдельный процесс; разогрев, затем запусков: {runs}):"]
    for name, command in figures["commands"].items():
        verdict = "выполнена" if figures["passed"][name] else "не выполнена"
        failed = f"; завершились с ошибкой: {command['failed_runs']}" if command["failed_runs"] else ""
        lines.append(
            f"  {command['command']}: медиана {command['wall_median']:.3f} с "
            f"(процессор {command['cpu_median']:.3f} с), наибольшее {command['wall_max']:.3f} с "
            f"(процессор {command['cpu_max']:.3f} с); цель ≤ {figures['targets'][name]} с — {verdict}{failed}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="запусков каждой команды после разогрева")
    args = parser.parse_args(argv)
    figures = measure(runs=args.runs)
    write_results(RESULTS, "commands", figures)
    print("\n".join(report(figures)))
    print(f"  Записано: {RESULTS.relative_to(ROOT)}")
    return 0 if all(figures["passed"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
