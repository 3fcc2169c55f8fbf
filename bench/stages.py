"""Where a full build spends its time, stage by stage, on one corpus: `python -m bench.stages N`.

Runs the build's own steps in this process, one after the other (no workers, no cache), and prints the seconds
of each: loading and validating, the warnings of `check`, planning, rendering the HTML pages by template, and
producing the downloads by format, and what the PDFs of one roadmap cost (bench/pdfcost.py). It writes nothing; the whole build with its output is `python -m bench`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar

from bench.__main__ import corpus_folders
from bench.corpus import AS_OF, SEED
from bench.pdfcost import PRICED, pdf_seconds
from site_builder.build.pipeline import plan_site
from site_builder.model.site import load_site
from site_builder.model.warnings import warnings
from site_builder.render.environment import make_environment
from site_builder.render.pages import render_pages

T = TypeVar("T")


def timed(label: str, work: Callable[[], T]) -> T:
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"  {label:<32} {wall:8.2f} с, процессор {cpu:6.2f} с", flush=True)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stages", description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="число дорожных карт")
    parser.add_argument("--no-downloads", action="store_true", help="не замерять файлы для скачивания")
    args = parser.parse_args(argv)
    content, _ = corpus_folders(args.n, SEED)
    as_of = dt.date.fromisoformat(AS_OF)
    print(f"N = {args.n}: этапы сборки в одном процессе")
    site = timed("загрузка и проверка", lambda: load_site(content))
    timed("предупреждения (check)", lambda: warnings(site, as_of))
    planned = timed("план страниц и файлов", lambda: plan_site(site, as_of))
    env = make_environment()
    by_template = defaultdict(list)
    for spec in planned.pages:
        by_template[spec.template].append(spec)
    for template, specs in by_template.items():
        timed(f"страницы {template} ({len(specs)})", lambda s=specs: sum(1 for _ in render_pages(env, site, s, as_of, planned.assets)))  # type: ignore[misc]  # fmt: skip
    by_format = defaultdict(list)
    for download in [] if args.no_downloads else planned.downloads:
        by_format[download.output.rpartition(".")[2]].append(download)
    for suffix, downloads in by_format.items():
        timed(f"файлы .{suffix} ({len(downloads)})", lambda d=downloads: sum(len(x.produce()) for x in d))  # type: ignore[misc]  # fmt: skip
    if not args.no_downloads:
        seconds = pdf_seconds(content, as_of)
        print(f"  {'PDF на дорожную карту (2 файла)':<32} {seconds:8.2f} с (среднее по {PRICED})", flush=True)


if __name__ == "__main__":
    main()
