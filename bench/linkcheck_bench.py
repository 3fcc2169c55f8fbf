"""Link-checker benchmark: 2,000 synthetic URLs answered after 50 ms by a local server, checked 32 at a time.

Measures distinct URLs per second and HTTP requests per URL of a first run (targets: ≤ 3.5 s, ≤ 1.05 requests
per URL), and the time of a second run answered from the SQLite cache (target: ≤ 0.5 s). The server runs in
its own process so it does not share the interpreter with the checker; the URLs spread over 50 synthetic
host names, all resolved to it, half pages (GET) and half PDF files (HEAD).

Usage: .venv/bin/python bench/linkcheck_bench.py [--urls N] [--latency SECONDS] [--concurrency N]
Prints the figures and writes bench/results/linkcheck.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_builder.checks.links.cache import LinkCache  # noqa: E402
from site_builder.checks.links.collect import Collection  # noqa: E402
from site_builder.checks.links.guard import StaticResolver  # noqa: E402
from site_builder.checks.links.run import run_check  # noqa: E402
from site_builder.content.links import LinkRef  # noqa: E402
from site_builder.content.settings.link_check import LinkCheckConfig, LinkStatus  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "linkcheck.json"
HOSTS = 50
TARGETS = {"first_run_seconds": 3.5, "requests_per_url": 1.05, "cached_run_seconds": 0.5}
# Each page names its own path: a server giving one page for every address is a placeholder host, and the
# checker's probe for a random sibling address would rightly call every page a soft 404.
PAGE = b"<!doctype html><html><head><title>Synthetic benchmark page %s</title></head><body>ok</body></html>"


Answer = Callable[[bytes], tuple[bytes, bytes, bytes]]  # path → status line, content type, body


def answer_file(path: bytes) -> tuple[bytes, bytes, bytes]:
    # Each page names its own path: a host that gives one page for every address is a soft-404 placeholder host.
    return (b"200 OK", *((b"application/pdf", b"%PDF-1.4") if path.endswith(b".pdf") else (b"text/html", PAGE % path)))


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
                headers = b"HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (status, kind, len(body))
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


def collection(count: int) -> Collection:
    refs = []
    for n in range(count):
        suffix = ".pdf" if n % 2 else ".html"
        url = f"http://h{n % HOSTS}.bench.example.org/docs/{n:05d}{suffix}"
        refs.append(LinkRef(url, "bench/synthetic.yaml", n + 1, 1, "evidence", item=str(n)))
    return Collection(refs=refs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()

    receiver, sender = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(args.latency, sender), daemon=True)
    server.start()
    port = receiver.recv()
    try:
        figures = run(args.urls, args.concurrency, args.latency, port)
    finally:
        server.terminate()
        server.join()
    report(figures)


def run(urls: int, concurrency: int, latency: float, port: int) -> dict[str, object]:
    # Per-host politeness is relaxed for the benchmark (50 hosts × 4, no interval): it measures the checker's
    # own throughput, which the global limit of 32 then bounds.
    config = LinkCheckConfig(
        concurrency=concurrency, per_host_concurrency=4, per_host_interval=0, allow_private=True, retries=1
    )
    resolver = StaticResolver({f"h{n}.bench.example.org": f"127.0.0.1:{port}" for n in range(HOSTS)})
    work = collection(urls)
    with tempfile.TemporaryDirectory() as folder:
        cache_path = Path(folder) / "bench.sqlite"
        with LinkCache(cache_path, config) as cache:
            start, cpu = time.perf_counter(), time.process_time()
            first = run_check(work, config, cache=cache, resolver=resolver)
            first_seconds, first_cpu = time.perf_counter() - start, time.process_time() - cpu
        requests = request_count(port)
        with LinkCache(cache_path, config) as cache:
            start = time.perf_counter()
            second = run_check(work, config, cache=cache, resolver=resolver)
            cached_seconds = time.perf_counter() - start
        requests_after = request_count(port)
    ok = sum(1 for r in first.results.values() if r.status is LinkStatus.OK)
    return {
        "urls": urls,
        "hosts": HOSTS,
        "latency_seconds": latency,
        "concurrency": concurrency,
        "per_host_concurrency": config.per_host_concurrency,
        "first_run_seconds": round(first_seconds, 3),
        "urls_per_second": round(urls / first_seconds, 1),
        "first_run_cpu_seconds": round(
            first_cpu, 3
        ),  # the checker's own CPU: the figure when the machine is busy
        "ideal_seconds": round(urls * latency / concurrency, 3),
        "requests": requests,
        "requests_per_url": round(requests / urls, 3),
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
    print(f"  first run   {figures['first_run_seconds']} s  ({figures['urls_per_second']} URLs/s, ideal "
          f"{figures['ideal_seconds']} s; checker CPU {figures['first_run_cpu_seconds']} s)  "
          f"target ≤ {TARGETS['first_run_seconds']} s  "
          f"{'ok' if passed['first_run_seconds'] else 'MISSED'}")  # fmt: skip
    print(f"  requests    {figures['requests']} ({figures['requests_per_url']} per URL)  target ≤ "
          f"{TARGETS['requests_per_url']}  {'ok' if passed['requests_per_url'] else 'MISSED'}")  # fmt: skip
    print(f"  cached run  {figures['cached_run_seconds']} s ({figures['requests_in_cached_run']} requests)  "
          f"target ≤ {TARGETS['cached_run_seconds']} s  {'ok' if passed['cached_run_seconds'] else 'MISSED'}")  # fmt: skip
    print(f"  written to {RESULTS}")


if __name__ == "__main__":
    main()
