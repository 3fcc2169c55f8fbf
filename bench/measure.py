"""Run a command in its own process and measure it: wall time, the peak memory of the process and of its tree.

`user_seconds` and `system_seconds` are the CPU the process and the children it waited for used, so a wall time
that grew with the machine's load (or its disk) can be told from one that grew with the work.
`max_rss_mb` is the kernel's figure for the process itself (wait4's ru_maxrss: the largest resident size the
process, or any of its children it waited for, reached). A build that forks workers uses memory in several
processes at once, so with `sample_memory` `peak_tree_pss_mb` samples the whole process tree every 50 ms and keeps
the largest sum of proportional set sizes (PSS: a page shared by the forked workers counts once in all, not once
in each). Sampling walks the page tables of what it samples while that runs, and slowed what it measured (Hugo at
N = 2,000 by a quarter, 4.7 against 3.7 s; site-builder at N = 600 by a tenth), so a timed run is not sampled.
"""

from __future__ import annotations

import compileall
import json
import os
import platform
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SAMPLE_SECONDS = 0.05


def compile_code(code: Path) -> None:
    """Write the bytecode of `code`'s site_builder package, as pip does when it installs a package.

    Python writes it on first import, but not on a machine with PYTHONDONTWRITEBYTECODE set (this one is): each
    timed process compiled every module it imported from source, about 0.08 s of CPU a build.
    """
    compileall.compile_dir(code / "site_builder", quiet=1)


@dataclass(frozen=True)
class Run:
    seconds: float
    user_seconds: float  # CPU of the process and the workers it waited for (wait4's rusage)
    system_seconds: float  # in the kernel: on this machine mostly the creation of new files
    max_rss_mb: float
    peak_tree_pss_mb: float | None  # None: not sampled
    returncode: int
    stderr_tail: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kb(pid: int) -> int:
    """Proportional set size of `pid` and every descendant, in kB (0 once the process is gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += _pss_kb(current)
        pending += _children(current)
    return total


def run(
    command: list[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    sample_memory: bool = False,
) -> Run:
    """Run `command` to completion; stdout is discarded, the end of stderr is kept for the report."""
    peak = 0
    with open(os.devnull, "wb") as devnull:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=devnull, stderr=subprocess.PIPE)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_pss_kb(process.pid))
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample if sample_memory else done.wait, daemon=True)
        sampler.start()
        assert process.stderr is not None
        stderr = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
    return Run(
        seconds=round(seconds, 3),
        user_seconds=round(usage.ru_utime, 3),
        system_seconds=round(usage.ru_stime, 3),
        max_rss_mb=round(usage.ru_maxrss / 1024, 1),
        peak_tree_pss_mb=round(peak / 1024, 1) if sample_memory else None,
        returncode=process.returncode,
        stderr_tail="\n".join(tail),
    )


def write_results(path: Path, benchmark: str, figures: dict[str, Any]) -> None:
    """One benchmark's figures as bench/results/<name>.json, with when and on which Python they were taken."""
    document = {
        "benchmark": benchmark,
        "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "figures": figures,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
