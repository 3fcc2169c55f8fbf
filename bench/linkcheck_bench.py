"""Link-checker benchmark: 2,000 synthetic URLs answered after 50 ms by a local server, checked 32 at a time.

Measures distinct URLs per second and HTTP requests per URL of a first run (targets: ≤ 3.5 s, ≤ 1.05 requests
per URL), and the time of a second run answered from the SQLite cache (target: ≤ 0.5 s). The server runs in
its own process so it does not share the interpreter with the checker; the URLs spread over 50 synthetic
host names, all resolved to it, half pages (GET, each also compared with its host's placeholder page: one
probe per host and path shape) and half PDF files (HEAD).

The checker gets its settings as a user gives them: the site.yaml `link_check:` block in SETTINGS below. It
allows 4 requests at once to each synthetic host with no pause between them (the defaults, 2 at once and
0.2 s apart, are for real school sites: with them 50 hosts cannot take more than 250 requests a second),
private addresses (the hosts resolve to 127.0.0.1 through `resolve:`, as curl --resolve) and one retry.

The first run is repeated (--runs, each with an empty cache) and the median reported, with the checker's CPU
seconds (the figure to compare when the machine is shared) and the floor of this server at that moment: a
minimal keep-alive client at the same concurrency, so a busy machine shows in the floor, not only in the
checker's time.

Usage: .venv/bin/python bench/linkcheck_bench.py [--urls N] [--latency SECONDS] [--concurrency N] [--runs N]
Prints the figures and writes bench/results/linkcheck.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from site_builder.checks.links.cache import LinkCache  # noqa: E402
from site_builder.checks.links.collect import Collection  # noqa: E402
from site_builder.checks.links.run import run_check  # noqa: E402
from site_builder.content.links import LinkRef  # noqa: E402
from site_builder.content.settings.link_check import LinkCheckConfig, LinkStatus  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "linkcheck.json"
HOSTS = 50
TARGETS = {"first_run_seconds": 3.5, "requests_per_url": 1.05, "cached_run_seconds": 0.5}
# The site.yaml block the checker runs with; {concurrency} and {resolve} are filled in from the options.
SETTINGS = """\
link_check:
  concurrency: {concurrency}
  per_host_concurrency: 4
  per_host_interval: 0
  retries: 1
  allow_private: true
  resolve: {resolve}
"""
# Each page names its own path: a server giving one page for every address is a placeholder host, and the
# checker's probe for a random sibling address would rightly call every page a soft 404.
PAGE = b"<!doctype html><html><head><title>Synthetic benchmark page %s</title></head><body>ok</body></html>"


Answer = Callable[[bytes], tuple[bytes, bytes, bytes]]  # path → status line, content type, body


def answer_file(path: bytes) -> tuple[bytes, bytes, bytes]:
    # Each page names its own path: a host that gives one page for every address is a soft-404 placeholder host.
    return (
        b"200 OK",
        *((b"application/pdf", b"%PDF-1.4") if path.endswith(b".pdf") else (b"text/html", PAGE % path)),
    )


def serve(latency: float, pipe: Connection, answer: Answer = answer_file) -> None:
    """The stand-in web server: every answer after `latency` seconds; GET /__count reports requests so far."""
    count = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal count
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, path, _ = head.split(b" ", 2)
                if path == b"/__count":
                    status, kind, body = b"200 OK", b"text/plain", str(count).encode()
                else:
                    count += 1
                    await asyncio.sleep(latency)
                    status, kind, body = answer(path)
                headers = b"HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (
                    status,
                    kind,
                    len(body),
                )
                writer.write(headers + (b"" if method == b"HEAD" else body))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=2048)
        pipe.send(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def request_count(port: int) -> int:
    import httpx

    return int(httpx.get(f"http://127.0.0.1:{port}/__count").text)


def server_floor(port: int, urls: int, concurrency: int) -> float:
    """Seconds a minimal keep-alive client takes for `urls` requests to the server, `concurrency` at a time."""

    async def client(paths: list[bytes]) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while paths:
            writer.write(b"GET %s HTTP/1.1\r\nHost: floor\r\n\r\n" % paths.pop())
            head = await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0]))
        writer.close()

    async def main() -> float:
        paths = [b"/floor/%05d.html" % n for n in range(urls)]
        start = time.perf_counter()
        await asyncio.gather(*(client(paths) for _ in range(concurrency)))
        return time.perf_counter() - start

    return asyncio.run(main())


def collection(count: int, run: int = 0) -> Collection:
    """`count` URLs of their own for run number `run`: nothing a run before parsed or looked up is reused."""
    refs = []
    for n in range(count):
        suffix = ".pdf" if n % 2 else ".html"
        url = f"http://h{n % HOSTS}.bench.example.org/docs{run}/{n:05d}{suffix}"
        refs.append(LinkRef(url, "bench/synthetic.yaml", n + 1, 1, "evidence", item=str(n)))
    return Collection(refs=refs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3, help="first runs to take the median of")
    args = parser.parse_args()

    receiver, sender = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(args.latency, sender), daemon=True)
    server.start()
    port = receiver.recv()
    try:
        figures = run(args.urls, args.concurrency, args.latency, port, args.runs)
    finally:
        server.terminate()
        server.join()
    report(figures)


def settings(concurrency: int, port: int) -> tuple[str, LinkCheckConfig]:
    """The `link_check:` block as site.yaml would hold it, and the settings the checker reads from it."""
    resolve = json.dumps({f"h{n}.bench.example.org": f"127.0.0.1:{port}" for n in range(HOSTS)})
    block = SETTINGS.format(concurrency=concurrency, resolve=resolve)
    return block, LinkCheckConfig.model_validate(yaml.safe_load(block)["link_check"])


def run(urls: int, concurrency: int, latency: float, port: int, runs: int) -> dict[str, object]:
    block, config = settings(concurrency, port)
    floor = server_floor(port, urls, concurrency)
    walls, cpus, counts = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for attempt in range(runs):
            cache_path = Path(folder) / f"bench-{attempt}.sqlite"
            work = collection(urls, attempt)
            before = request_count(port)
            with LinkCache(cache_path, config) as cache:
                start, cpu = time.perf_counter(), time.process_time()
                first = run_check(work, config, cache=cache)
                walls.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
            counts.append(request_count(port) - before)
        requests = request_count(port)
        with LinkCache(cache_path, config) as cache:
            start = time.perf_counter()
            second = run_check(work, config, cache=cache)
            cached_seconds = time.perf_counter() - start
        requests_after = request_count(port)
    first_seconds = statistics.median(walls)
    ok = sum(1 for r in first.results.values() if r.status is LinkStatus.OK)
    return {
        "urls": urls,
        "hosts": HOSTS,
        "latency_seconds": latency,
        "concurrency": concurrency,
        "per_host_concurrency": config.per_host_concurrency,
        "settings": block.replace(json.dumps(config.resolve), "{…50 synthetic hosts → 127.0.0.1…}"),
        "runs": runs,
        "first_run_seconds": round(first_seconds, 3),
        "first_runs_seconds": [round(wall, 3) for wall in walls],
        "urls_per_second": round(urls / first_seconds, 1),
        # the checker's own CPU: the figure to compare when the machine is busy
        "first_run_cpu_seconds": round(statistics.median(cpus), 3),
        "ideal_seconds": round(urls * latency / concurrency, 3),
        "server_floor_seconds": round(floor, 3),
        "requests": max(counts),
        "requests_per_url": round(max(counts) / urls, 3),
        "ok": ok,
        "cached_run_seconds": round(cached_seconds, 3),
        "cached_results": sum(1 for r in second.results.values() if r.cached),
        "requests_in_cached_run": requests_after - requests,
    }


def report(figures: dict[str, object]) -> None:
    passed = {
        name: float(figures[name]) <= target  # type: ignore[arg-type]
        for name, target in TARGETS.items()
    }
    document = {
        "benchmark": "linkcheck",
        "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "figures": figures,
        "targets": TARGETS,
        "passed": passed,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"link check: {figures['urls']} URLs, {figures['hosts']} hosts, latency {figures['latency_seconds']} s, "
          f"concurrency {figures['concurrency']}")  # fmt: skip
    print(f"  first run   {figures['first_run_seconds']} s, median of {figures['first_runs_seconds']}  "
          f"({figures['urls_per_second']} URLs/s, ideal {figures['ideal_seconds']} s, this server's floor now "
          f"{figures['server_floor_seconds']} s; checker CPU {figures['first_run_cpu_seconds']} s)  "
          f"target ≤ {TARGETS['first_run_seconds']} s  "
          f"{'ok' if passed['first_run_seconds'] else 'MISSED'}")  # fmt: skip
    print(f"  requests    {figures['requests']} ({figures['requests_per_url']} per URL)  target ≤ "
          f"{TARGETS['requests_per_url']}  {'ok' if passed['requests_per_url'] else 'MISSED'}")  # fmt: skip
    print(f"  cached run  {figures['cached_run_seconds']} s ({figures['requests_in_cached_run']} requests)  "
          f"target ≤ {TARGETS['cached_run_seconds']} s  {'ok' if passed['cached_run_seconds'] else 'MISSED'}")  # fmt: skip
    print(f"  written to {RESULTS}")


if __name__ == "__main__":
    main()
