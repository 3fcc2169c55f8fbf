"""`make bench`: site-builder against Hugo on a SYNTHETIC national corpus, the live preview, the link checker.

For each N (200 and 2,000 roadmaps by default) the corpus is generated into bench/corpus/ (git-ignored, reused
while the generator and N are unchanged), then built by site-builder and by Hugo one after the other, each in
its own process: wall time, pages per second, peak memory, and the time ratio. site-builder is built twice:
cold (no .cache/) and again with the cache the first build left, as CI does when it keeps .cache/ between runs.
Then bench/serve_bench.py (save-to-page time at the largest N) and bench/linkcheck_bench.py (2,000 URLs) run,
and the PDFs of a roadmap are priced (bench/pdfcost.py: the corpus itself is built without PDFs).
Figures go to stdout and to bench/results/bench-<time>.json (and latest.json) for comparison between runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench import measure
from bench.corpus import AS_OF, SEED, generate, write_site_builder
from bench.hugo import write_hugo
from bench.pdfcost import pdf_seconds

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CORPUS = BENCH / "corpus"
RESULTS = BENCH / "results"
SIZES = (200, 2000)
TARGETS = {
    "ratio_to_hugo": 1.0,  # site-builder time / Hugo time at the largest N
    "max_rss_mb": 300.0,
    "growth": 11.0,  # time at N = 2,000 / time at N = 200
    "serve_ms": 200.0,
}

Figures = dict[str, Any]


def corpus_folders(n: int, seed: int) -> tuple[Path, Path]:
    """The site-builder and Hugo folders of corpus N, generated again only when the generator changed."""
    folder = CORPUS / f"n{n}"
    generator = b"".join((BENCH / name).read_bytes() for name in ("corpus.py", "hugo.py"))
    stamp = hashlib.sha256(generator + f"{n}/{seed}".encode()).hexdigest()
    content, hugo = folder / "content", folder / "hugo"
    if (folder / "stamp").is_file() and (folder / "stamp").read_text() == stamp:
        return content, hugo
    print(f"Создаю синтетический корпус N = {n} в {folder} …", flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    corpus = generate(n, seed)
    write_site_builder(corpus, content)
    write_hugo(corpus, hugo)
    (folder / "stamp").write_text(stamp)
    return content, hugo


def ensure_hugo() -> tuple[str | None, str]:
    """The hugo binary, installed from Debian's package when missing; (None, reason) when that fails."""
    found = shutil.which("hugo")
    if not found:
        print("hugo не найден: устанавливаю пакет Debian (apt-get install hugo) …", flush=True)
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "hugo"]):
            try:
                subprocess.run(sudo + step, check=True, env=env, capture_output=True)
            except (OSError, subprocess.CalledProcessError) as error:
                return None, f"не удалось установить hugo ({' '.join(step)}: {error})"
        found = shutil.which("hugo")
        if not found:
            return None, "пакет hugo установлен, но команды hugo нет"
    version = subprocess.run([found, "version"], capture_output=True, text=True).stdout.strip()
    return found, version


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def build_figures(run: measure.Run, output: Path) -> Figures:
    pages = html_pages(output) if output.is_dir() else 0
    figures: Figures = {**run.as_dict(), "pages": pages}
    figures["pages_per_second"] = round(pages / run.seconds, 1) if run.seconds else 0.0
    return figures


def snapshot_code() -> Path:
    """A copy of site-builder's code and templates for the builds to run, taken once per benchmark run.

    The build cache is keyed by the code, so an edit made in the working tree while the benchmark runs would
    turn the second build into a cold one; the copy keeps both builds on the same code.
    """
    target = CORPUS / "code"
    shutil.rmtree(target, ignore_errors=True)
    for name in ("site_builder", "templates"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def site_builder_build(content: Path, output: Path, cache: str, code: Path) -> Figures:
    """One build in its own process; `cache` is "cold" (no .cache/ beside the content) or "warm" (kept)."""
    work = content.parent
    if cache == "cold":
        shutil.rmtree(work / ".cache", ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "site_builder",
        "build",
        "--content",
        str(content),
        "--output",
        str(output),
    ]
    env = {**os.environ, "PYTHONPATH": str(code)}
    run = measure.run([*command, "--as-of", AS_OF], cwd=work, env=env)  # fmt: skip
    return build_figures(run, output)


def hugo_build(hugo: str, source: Path, output: Path) -> Figures:
    shutil.rmtree(output, ignore_errors=True)
    run = measure.run([hugo, "--source", str(source), "--destination", str(output), "--quiet"])
    return build_figures(run, output)


def measure_size(n: int, seed: int, hugo: str | None, hugo_note: str, code: Path) -> Figures:
    content, hugo_source = corpus_folders(n, seed)
    out = CORPUS / f"n{n}" / "output"
    figures: Figures = {"n": n, "items": n * 40}
    figures["site_builder"] = site_builder_build(content, out / "site-builder", "cold", code)
    _line(f"N = {n}", "site-builder, без кэша", figures["site_builder"])
    figures["site_builder_warm"] = site_builder_build(content, out / "site-builder", "warm", code)
    _line(f"N = {n}", "site-builder, с кэшем", figures["site_builder_warm"])
    if hugo:
        figures["hugo"] = hugo_build(hugo, hugo_source, out / "hugo")
        _line(f"N = {n}", "Hugo", figures["hugo"])
        for key in ("site_builder", "site_builder_warm"):
            if not (figures[key]["returncode"] or figures["hugo"]["returncode"]):
                figures[f"ratio_{key}"] = round(figures[key]["seconds"] / figures["hugo"]["seconds"], 2)
        print(f"  отношение времени к Hugo: без кэша {figures.get('ratio_site_builder', 'нет')}, "
              f"с кэшем {figures.get('ratio_site_builder_warm', 'нет')}", flush=True)  # fmt: skip
    else:
        print(f"  Hugo: не измерено — {hugo_note}", flush=True)
    return figures


def _line(label: str, tool: str, figures: Figures) -> None:
    error = (
        f"  ОШИБКА (код {figures['returncode']}): {figures['stderr_tail']}" if figures["returncode"] else ""
    )
    print(
        f"{label:>10}  {tool:<24} {figures['seconds']:8.2f} с  {figures['pages']:6d} стр.  "
        f"{figures['pages_per_second']:8.1f} стр./с  память {figures['max_rss_mb']:6.1f} МБ "
        f"(все процессы, PSS: {figures['peak_tree_pss_mb']:.1f} МБ){error}",
        flush=True,
    )


def skipped(reason: str) -> Figures:
    return {"measured": False, "reason": reason}


def failed(script: Path, done: subprocess.CompletedProcess[str]) -> Figures:
    tail = (done.stderr.strip().splitlines() or ["нет вывода"])[-1]
    return skipped(f"{script.relative_to(ROOT)} завершился с кодом {done.returncode}: {tail}")


def run_serve(content: Path) -> Figures:
    """bench/serve_bench.py on a copy of the largest corpus; its median is the figure."""
    script = BENCH / "serve_bench.py"
    if not script.is_file():
        return skipped("нет bench/serve_bench.py")
    command = [sys.executable, "-m", "bench.serve_bench", "--content", str(content), "--edits", "5"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    print(done.stdout.rstrip(), flush=True)
    median = re.search(r"медиана (\d+) мс, максимум (\d+) мс", done.stdout)
    if done.returncode or not median:
        return failed(script, done)
    return {"measured": True, "median_ms": int(median.group(1)), "max_ms": int(median.group(2))}


def run_linkcheck() -> Figures:
    """bench/linkcheck_bench.py as it is (2,000 URLs, 50 ms, concurrency 32); it writes its own JSON."""
    script = BENCH / "linkcheck_bench.py"
    if not script.is_file():
        return skipped("нет bench/linkcheck_bench.py")
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True)
    print(done.stdout.rstrip(), flush=True)
    written = RESULTS / "linkcheck.json"
    if done.returncode or not written.is_file():
        return failed(script, done)
    return {"measured": True, **json.loads(written.read_text(encoding="utf-8"))}


def peak_memory(figures: Figures) -> float:
    """The larger of the biggest process's max RSS and the sampled sum over all processes (PSS)."""
    return max(figures["max_rss_mb"], figures["peak_tree_pss_mb"])


def growth(smallest: Figures, largest: Figures) -> float:
    """How many times longer the cold build of the largest corpus took than that of the smallest."""
    return float(largest["site_builder"]["seconds"] / smallest["site_builder"]["seconds"])


def verdicts(sizes: list[Figures], serve: Figures) -> dict[str, bool | None]:
    """Each target: True met, False missed, None not measured."""
    largest, smallest = sizes[-1], sizes[0]
    result: dict[str, bool | None] = {}
    result["ratio_to_hugo"] = (
        largest["ratio_site_builder"] <= TARGETS["ratio_to_hugo"] if "ratio_site_builder" in largest else None
    )
    result["ratio_to_hugo_warm"] = (
        largest["ratio_site_builder_warm"] <= TARGETS["ratio_to_hugo"]
        if "ratio_site_builder_warm" in largest
        else None
    )
    result["max_rss_mb"] = peak_memory(largest["site_builder"]) <= TARGETS["max_rss_mb"]
    if len(sizes) > 1 and not (
        largest["site_builder"]["returncode"] or smallest["site_builder"]["returncode"]
    ):
        result["growth"] = growth(smallest, largest) <= TARGETS["growth"] * largest["n"] / smallest["n"] / 10
    result["serve_ms"] = serve["median_ms"] <= TARGETS["serve_ms"] if serve.get("measured") else None
    return result


def summary(sizes: list[Figures], serve: Figures, linkcheck: Figures, passed: dict[str, bool | None]) -> None:
    def mark(key: str) -> str:
        return {True: "выполнено", False: "НЕ ВЫПОЛНЕНО", None: "не измерено"}[passed.get(key)]

    largest, smallest = sizes[-1], sizes[0]
    print("\nИтог по целям:")
    if "hugo" in largest:
        print(f"  сборка N = {largest['n']} не медленнее Hugo (≤ 1,0): без кэша "
              f"{largest.get('ratio_site_builder', 'нет')} — {mark('ratio_to_hugo')}; с кэшем "
              f"{largest.get('ratio_site_builder_warm', 'нет')} — {mark('ratio_to_hugo_warm')}")  # fmt: skip
    else:
        print("  сравнение с Hugo: не измерено (hugo недоступен)")
    print(f"  память ≤ {TARGETS['max_rss_mb']:.0f} МБ: {peak_memory(largest['site_builder'])} МБ — "
          f"{mark('max_rss_mb')}")  # fmt: skip
    if "growth" in passed:
        print(f"  рост времени N = {smallest['n']} → {largest['n']}: в {growth(smallest, largest):.1f} раза "
              f"(цель ≤ {TARGETS['growth'] * largest['n'] / smallest['n'] / 10:.0f}) — {mark('growth')}")  # fmt: skip
    if serve.get("measured"):
        print(f"  serve, от сохранения до страницы: {serve['median_ms']} мс (≤ {TARGETS['serve_ms']:.0f}) — "
              f"{mark('serve_ms')}")  # fmt: skip
    else:
        print(f"  serve: не измерено: {serve['reason']}")
    if linkcheck.get("measured"):
        figures, ok = linkcheck["figures"], linkcheck["passed"]
        print(f"  проверка ссылок: {figures['first_run_seconds']} с ({figures['urls_per_second']} URL/с), "
              f"{figures['requests_per_url']} запроса на URL, повтор с кэшем {figures['cached_run_seconds']} с — "
              f"{'выполнено' if all(ok.values()) else 'НЕ ВЫПОЛНЕНО'}")  # fmt: skip
    else:
        print(f"  проверка ссылок: не измерено: {linkcheck['reason']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="числа дорожных карт через запятую"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-hugo", action="store_true", help="не собирать Hugo")
    parser.add_argument("--no-serve", action="store_true", help="не замерять serve")
    parser.add_argument("--no-linkcheck", action="store_true", help="не замерять проверку ссылок")
    args = parser.parse_args(argv)
    sizes = sorted(int(n) for n in args.sizes.split(","))
    hugo, hugo_note = (None, "отключён (--no-hugo)") if args.no_hugo else ensure_hugo()
    print(f"Hugo: {hugo_note}" if hugo else f"hugo недоступен: {hugo_note}", flush=True)
    print(f"Машина: {os.cpu_count()} ядра, Python {platform.python_version()}, сведения на {AS_OF}", flush=True)  # fmt: skip
    code = snapshot_code()
    measured = [measure_size(n, args.seed, hugo, hugo_note, code) for n in sizes]
    largest_content = CORPUS / f"n{sizes[-1]}" / "content"
    serve = skipped("отключено (--no-serve)") if args.no_serve else run_serve(largest_content)
    linkcheck = skipped("отключено (--no-linkcheck)") if args.no_linkcheck else run_linkcheck()
    passed = verdicts(measured, serve)
    summary(measured, serve, linkcheck, passed)
    pdf = pdf_seconds(CORPUS / f"n{sizes[0]}" / "content", date.fromisoformat(AS_OF))
    print(f"PDF (обычный и крупным шрифтом) на одну дорожную карту: {pdf:.2f} с; корпус собирается без PDF")
    document = {
        "benchmark": "build",
        "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "arch": platform.machine()},
        "hugo": hugo_note,
        "as_of": AS_OF,
        "seed": args.seed,
        "sizes": measured,
        "serve": serve,
        "linkcheck": linkcheck,
        "pdf_seconds_per_roadmap": round(pdf, 3),
        "targets": TARGETS,
        "passed": passed,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = document["measured_at"].replace(":", "").replace("-", "").replace("+0000", "")
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    (RESULTS / f"bench-{stamp}.json").write_text(text, encoding="utf-8")
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    print(f"\nРезультаты записаны в {RESULTS / f'bench-{stamp}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
