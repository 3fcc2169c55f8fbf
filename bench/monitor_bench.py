"""Monitor benchmark at regional scale: 1,000 SYNTHETIC school sites answered after 50 ms by a local server.

Each stand-in site (the compliant «Сведения» site of tests/helpers/sveden_sites.py, made-up data) has its own
host name, all resolved to one server process, so the per-host politeness (one request at a time per site, the
pause between requests) works as it does over real sites. Measures sites per minute and requests per site of a
full run, then a resumed run: the state file of a run stopped half-way is given, and the figure is how many
requests the resumed run makes (it must fetch only the schools the first half did not finish).

Usage: .venv/bin/python bench/monitor_bench.py [--sites N] [--latency SECONDS] [--interval SECONDS]
Prints the figures and writes bench/results/monitor.json. Not run by the tests at this size.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.linkcheck_bench import request_count, serve  # noqa: E402
from bench.measure import write_results  # noqa: E402
from site_builder.checks.links.guard import StaticResolver  # noqa: E402
from site_builder.checks.monitor.progress import RunState, fingerprint  # noqa: E402
from site_builder.checks.monitor.run import fetch_config, monitor_schools  # noqa: E402
from site_builder.content.models import School  # noqa: E402
from site_builder.content.records.monitoring import CheckStatus  # noqa: E402
from site_builder.content.settings.monitoring import MonitoringConfig  # noqa: E402
from tests.helpers.sveden_sites import section_site  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "monitor.json"
PAGES = {path: reply.payload() for path, reply in section_site().items()}
AS_OF = dt.date(2026, 3, 1)


def answer_page(path: bytes) -> tuple[bytes, bytes, bytes]:
    """The same stand-in site whatever the Host: every school's pages are the compliant ones."""
    name = path.decode("ascii", "replace").split("?", 1)[0]
    body = PAGES.get(name) or PAGES.get(name + "/")
    if body is None:
        return b"404 Not Found", b"text/html; charset=utf-8", b"not found"
    return b"200 OK", b"text/html; charset=utf-8", body


def schools(count: int) -> list[School]:
    return [
        School(
            id=f"s{n:05d}",
            short_name=f"Синтетическая ОО {n}",
            name=f"Синтетическая школа № {n} (данные бенчмарка, выдуманы)",
            site=f"http://school-{n}.bench.example.org/",
        )
        for n in range(count)
    ]


def timed_run(listing: list[School], config: MonitoringConfig, port: int, state: RunState | None) -> float:
    settings = fetch_config(config, None, allow_private=True)
    resolver = StaticResolver({s.site.split("/")[2]: f"127.0.0.1:{port}" for s in listing})
    start = time.perf_counter()
    found = asyncio.run(
        monitor_schools(
            listing,
            config,
            AS_OF,
            settings,
            resolver=resolver,
            done=state.done if state else None,
            on_result=state.record if state else None,
        )
    )
    seconds = time.perf_counter() - start
    # The stand-ins have no 500+ section, only a compliant «Сведения»: those checks must all pass.
    failed = [
        (r.id, c.id)
        for r in found
        for c in r.checks
        if c.status is CheckStatus.FAIL and not c.id.startswith("site500.")
    ]
    if failed:
        raise SystemExit(f"stand-in sites should pass every «Сведения» check; failed: {failed[:5]}")
    return seconds


def run(count: int, latency: float, interval: float, port: int) -> dict[str, object]:
    config = MonitoringConfig(request_interval=interval, timeout=10, retries=0, max_run_seconds=3600)
    listing = schools(count)
    seconds = timed_run(listing, config, port, None)
    requests = request_count(port)
    with tempfile.TemporaryDirectory() as folder:
        state = RunState.open(Path(folder) / ".progress.jsonl", fingerprint(config, listing))
        timed_run(listing[: count // 2], config, port, state)  # the run that «stopped» half-way
        before = request_count(port)
        resumed = RunState.open(state.path, state.mark)
        resumed_seconds = timed_run(listing, config, port, resumed)
        resumed_requests = request_count(port) - before
    return {
        "sites": count,
        "latency_seconds": latency,
        "request_interval_seconds": interval,
        "run_seconds": round(seconds, 2),
        "sites_per_minute": round(count * 60 / seconds, 1),
        "requests": requests,
        "requests_per_site": round(requests / count, 1),
        "resumed_run_seconds": round(resumed_seconds, 2),
        "resumed_requests": resumed_requests,
        "resumed_requests_expected": requests - requests * (count // 2) // count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--interval", type=float, default=1.0, help="pause between requests to one site")
    args = parser.parse_args()
    receiver, sender = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(args.latency, sender, answer_page), daemon=True)
    server.start()
    port = receiver.recv()
    try:
        figures = run(args.sites, args.latency, args.interval, port)
    finally:
        server.terminate()
        server.join()
    write_results(RESULTS, "monitor", figures)
    print(f"monitor: {figures['sites']} synthetic sites, latency {figures['latency_seconds']} s, "
          f"{figures['request_interval_seconds']} s between requests to one site")  # fmt: skip
    print(f"  full run     {figures['run_seconds']} s ({figures['sites_per_minute']} sites/min, "
          f"{figures['requests_per_site']} requests per site)")  # fmt: skip
    print(f"  resumed run  {figures['resumed_run_seconds']} s, {figures['resumed_requests']} requests "
          f"(the unfinished half: {figures['resumed_requests_expected']})")  # fmt: skip
    print(f"  written to {RESULTS}")


if __name__ == "__main__":
    main()
