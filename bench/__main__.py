"""`make bench`: site-builder against Hugo on a SYNTHETIC national corpus, the live preview, the link checker.

For each N (200, 600 and 2,000 roadmaps by default) the corpus is generated into bench/corpus/ (git-ignored, reused
while the generator and N are unchanged), then built by site-builder and by Hugo one after the other, each in
its own process: wall time with its CPU, pages per second, peak memory, and the time ratio. site-builder is built
twice: cold (no .cache/) and again with the cache the first build left, as CI does when it keeps .cache/ between
runs. The timed rounds are not watched; one more round of each samples the memory of every process (which slows
what it samples), and earlier builds' folders are only deleted when everything is measured (see discard).
Then bench/commands_bench.py (`check` and `--help` as whole processes), bench/serve_bench.py (save-to-page time
at the largest N) and bench/linkcheck_bench.py (2,000 URLs) run, and the PDFs of a roadmap are priced
(bench/pdfcost.py: the corpus itself is built without PDFs). Every target of issue 17 is printed as met or missed.
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
# Where the folders of earlier builds go until the benchmark ends (see discard).
TRASH = CORPUS / "trash"
SIZES = (200, 600, 2000)
TARGETS = {
    "cold_ratio": 3.0,  # site-builder's cold build time / Hugo's, at every N
    "warm_ratio": 1.0,  # the same with .cache/build kept from the cold build (output/ empty, as in CI)
    "edited_ratio": 1.0,  # the same after one roadmap is edited: what CI builds for a commit that changes a file
    "largest_process_mb": 300.0,  # at the largest N
    "all_processes_mb": 600.0,  # sum of PSS over the build's processes, at the largest N
    "memory_growth": 1.5,  # peak memory at N = 600 / at N = 200
    "serve_ms": 100.0,
}

Figures = dict[str, Any]
# The site-builder builds of each size, in the order they run: cold, warm, warm after one file is edited.
BUILDS = ("site_builder", "site_builder_warm", "site_builder_edited")


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
    measure.compile_code(target)
    return target


def discard(folder: Path) -> None:
    """Move an earlier build's folder out of the way; it is deleted only when the benchmark ends (empty_trash).

    This machine's ext4 has no journal, and ext4 without one will not reuse an inode freed in the last minute
    (five while its block is not yet written back): every new file then scans past the freed ones, 0.02 ms a
    file becoming up to 1 ms (kernel profile: recently_deleted under __ext4_new_inode). Deleting the 17,000
    files of the previous build right before the next one was timing that scan, for Hugo too, not the build: a
    fresh CI machine has deleted nothing. A rename frees no inode.
    """
    if folder.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        folder.rename(TRASH / f"{len(os.listdir(TRASH))}-{folder.name}")


def empty_trash() -> None:
    shutil.rmtree(TRASH, ignore_errors=True)


def site_builder_build(
    content: Path, output: Path, cache: str, code: Path, sample_memory: bool = False
) -> Figures:
    """One build in its own process; `cache` is "cold" (no .cache/ beside the content) or "warm" (kept)."""
    work = content.parent
    if cache == "cold":
        discard(work / ".cache")
    discard(output)
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
    run = measure.run([*command, "--as-of", AS_OF], cwd=work, env=env, sample_memory=sample_memory)  # fmt: skip
    return build_figures(run, output)


def edited_build(content: Path, output: Path, code: Path, sample_memory: bool = False) -> Figures:
    """A warm build after one roadmap's title is edited, as CI builds a commit that changes one file; the file
    is put back afterwards."""
    roadmap = sorted((content / "roadmaps").glob("*.yaml"))[0]
    original = roadmap.read_bytes()
    roadmap.write_bytes(original.replace(b"\ntitle: ", "\ntitle: Исправлено. ".encode(), 1))
    try:
        return site_builder_build(content, output, "warm", code, sample_memory)
    finally:
        roadmap.write_bytes(original)


def hugo_build(hugo: str, source: Path, output: Path, sample_memory: bool = False) -> Figures:
    discard(output)
    command = [hugo, "--source", str(source), "--destination", str(output), "--quiet"]
    return build_figures(measure.run(command, sample_memory=sample_memory), output)


def median_run(runs: list[Figures], sampled: Figures) -> Figures:
    """The timed run of median time, with the largest memory any run reached (memory is a ceiling, not a
    typical) and the process tree's peak from the `sampled` run."""
    ordered = sorted(runs, key=lambda figures: figures["seconds"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["max_rss_mb"] = max(figures["max_rss_mb"] for figures in [*runs, sampled])
    chosen["peak_tree_pss_mb"] = sampled["peak_tree_pss_mb"]
    chosen["runs"] = [figures["seconds"] for figures in runs]
    return chosen


def measure_size(n: int, seed: int, hugo: str | None, hugo_note: str, code: Path, runs: int) -> Figures:
    """Cold site-builder, warm site-builder and Hugo in turn, `runs` rounds; the median of each."""
    content, hugo_source = corpus_folders(n, seed)
    out = CORPUS / f"n{n}" / "output"
    figures: Figures = {"n": n, "items": n * 40}
    rounds: dict[str, list[Figures]] = {key: [] for key in (*BUILDS, "hugo")}
    # The timed rounds, then one more whose process trees are sampled for memory (see measure.run).
    sampled: dict[str, Figures] = {}
    for sample in [False] * runs + [True]:
        made = {
            "site_builder": site_builder_build(content, out / "site-builder", "cold", code, sample),
            "site_builder_warm": site_builder_build(content, out / "site-builder", "warm", code, sample),
            "site_builder_edited": edited_build(content, out / "site-builder", code, sample),
            **({"hugo": hugo_build(hugo, hugo_source, out / "hugo", sample)} if hugo else {}),
        }
        for key, run in made.items():
            if sample:
                sampled[key] = run
            else:
                rounds[key].append(run)
    labels = {
        "site_builder": "site-builder, без кэша",
        "site_builder_warm": "site-builder, с кэшем",
        "site_builder_edited": "с кэшем, 1 файл изменён",
        "hugo": "Hugo",
    }
    for key, measured in rounds.items():
        if measured:
            figures[key] = median_run(measured, sampled[key])
            _line(f"N = {n}", labels[key], figures[key])
    if hugo:
        for key in BUILDS:
            if not (figures[key]["returncode"] or figures["hugo"]["returncode"]):
                figures[f"ratio_{key}"] = round(figures[key]["seconds"] / figures["hugo"]["seconds"], 2)
        print(f"  отношение времени к Hugo: без кэша {figures.get('ratio_site_builder', 'нет')}, "
              f"с кэшем {figures.get('ratio_site_builder_warm', 'нет')}, с кэшем после правки одного файла "
              f"{figures.get('ratio_site_builder_edited', 'нет')}", flush=True)  # fmt: skip
    else:
        print(f"  Hugo: не измерено — {hugo_note}", flush=True)
    return figures


def _line(label: str, tool: str, figures: Figures) -> None:
    error = (
        f"  ОШИБКА (код {figures['returncode']}): {figures['stderr_tail']}" if figures["returncode"] else ""
    )
    print(
        f"{label:>10}  {tool:<24} {figures['seconds']:8.2f} с  {figures['pages']:6d} стр.  "
        f"{figures['pages_per_second']:8.1f} стр./с  процессор {figures['user_seconds']:.1f} + "
        f"{figures['system_seconds']:.1f} с (ядро)  память {figures['max_rss_mb']:6.1f} МБ "
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


def run_commands(code: Path) -> Figures:
    """bench/commands_bench.py: `check` of content/ and `--help`, each a whole process, medians, with the code
    the builds ran."""
    try:
        from bench import commands_bench
    except ImportError:
        return skipped("нет bench/commands_bench.py")
    return {"measured": True, **commands_bench.measure(code=code)}


def verdicts(
    sizes: list[Figures], commands: Figures, serve: Figures, linkcheck: Figures
) -> dict[str, bool | None]:
    """Each target of issue 17: True met, False missed, None not measured."""
    result: dict[str, bool | None] = {}
    for figures in sizes:
        n = figures["n"]
        for key, target in zip(BUILDS, ("cold_ratio", "warm_ratio", "edited_ratio"), strict=True):
            ratio = figures.get(f"ratio_{key}")
            result[f"{target}_{n}"] = None if ratio is None else ratio <= TARGETS[target]
    largest = sizes[-1]["site_builder"]
    if not largest["returncode"]:
        result["largest_process_mb"] = largest["max_rss_mb"] <= TARGETS["largest_process_mb"]
        result["all_processes_mb"] = largest["peak_tree_pss_mb"] <= TARGETS["all_processes_mb"]
    growth = memory_growth(sizes)
    result["memory_growth"] = None if growth is None else growth <= TARGETS["memory_growth"]
    for key, value in (commands.get("passed") or {}).items():
        result[f"commands_{key}"] = value
    result["serve_ms"] = serve["median_ms"] <= TARGETS["serve_ms"] if serve.get("measured") else None
    for key, value in (linkcheck.get("passed") or {}).items():
        result[f"linkcheck_{key}"] = value
    return result


def peak_memory(figures: Figures) -> float:
    """The larger of the biggest process's max RSS and the sampled sum over all processes (PSS)."""
    return float(max(figures["max_rss_mb"], figures["peak_tree_pss_mb"]))


def memory_growth(sizes: list[Figures]) -> float | None:
    """Peak memory of the cold build at N = 600 over that at N = 200, when both were measured."""
    by_n = {
        figures["n"]: figures["site_builder"]
        for figures in sizes
        if not figures["site_builder"]["returncode"]
    }
    if 200 not in by_n or 600 not in by_n:
        return None
    return round(peak_memory(by_n[600]) / peak_memory(by_n[200]), 2)


def summary(
    sizes: list[Figures],
    commands: Figures,
    serve: Figures,
    linkcheck: Figures,
    passed: dict[str, bool | None],
) -> None:
    def mark(key: str) -> str:
        return {True: "выполнено", False: "НЕ ВЫПОЛНЕНО", None: "не измерено"}[passed.get(key)]

    print("\nИтог по целям (задача 17):")
    for figures in sizes:
        n = figures["n"]
        print(f"  N = {n}: без кэша {figures.get('ratio_site_builder', 'нет')} времени Hugo "
              f"(≤ {TARGETS['cold_ratio']:.0f}) — {mark(f'cold_ratio_{n}')}; с кэшем "
              f"{figures.get('ratio_site_builder_warm', 'нет')} (≤ {TARGETS['warm_ratio']:.0f}) — "
              f"{mark(f'warm_ratio_{n}')}; с кэшем после правки одного файла "
              f"{figures.get('ratio_site_builder_edited', 'нет')} (≤ {TARGETS['edited_ratio']:.0f}) — "
              f"{mark(f'edited_ratio_{n}')}")  # fmt: skip
    largest = sizes[-1]
    cold = largest["site_builder"]
    print(f"  память при N = {largest['n']}: самый большой процесс {cold['max_rss_mb']} МБ "
          f"(≤ {TARGETS['largest_process_mb']:.0f}) — {mark('largest_process_mb')}; все процессы (PSS) "
          f"{cold['peak_tree_pss_mb']} МБ (≤ {TARGETS['all_processes_mb']:.0f}) — {mark('all_processes_mb')}")  # fmt: skip
    growth = memory_growth(sizes)
    print(f"  рост памяти N = 200 → 600: в {growth if growth is not None else 'нет'} раза "
          f"(≤ {TARGETS['memory_growth']}) — {mark('memory_growth')}")  # fmt: skip
    if commands.get("measured"):
        targets = commands["targets"]
        print(f"  check: {commands['check_seconds']} с (≤ {targets['check_seconds']}) — "
              f"{mark('commands_check_seconds')}; --help: {commands['help_seconds']} с "
              f"(≤ {targets['help_seconds']}) — {mark('commands_help_seconds')}")  # fmt: skip
    else:
        print(f"  check и --help: не измерено: {commands['reason']}")
    if serve.get("measured"):
        print(f"  serve, от сохранения до страницы: {serve['median_ms']} мс (≤ {TARGETS['serve_ms']:.0f}) — "
              f"{mark('serve_ms')}")  # fmt: skip
    else:
        print(f"  serve: не измерено: {serve['reason']}")
    if linkcheck.get("measured"):
        figures, targets = linkcheck["figures"], linkcheck.get("targets", {})
        print(f"  проверка ссылок: {figures['first_run_seconds']} с (≤ {targets.get('first_run_seconds')}) — "
              f"{mark('linkcheck_first_run_seconds')}; {figures['requests_per_url']} запроса на URL "
              f"(≤ {targets.get('requests_per_url')}) — {mark('linkcheck_requests_per_url')}; повтор с кэшем "
              f"{figures['cached_run_seconds']} с (≤ {targets.get('cached_run_seconds')}) — "
              f"{mark('linkcheck_cached_run_seconds')}")  # fmt: skip
    else:
        print(f"  проверка ссылок: не измерено: {linkcheck['reason']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="числа дорожных карт через запятую"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--runs", type=int, default=3, help="сборок каждого вида на каждом N (берётся медиана)"
    )
    parser.add_argument("--no-hugo", action="store_true", help="не собирать Hugo")
    parser.add_argument("--no-commands", action="store_true", help="не замерять check и --help")
    parser.add_argument("--no-serve", action="store_true", help="не замерять serve")
    parser.add_argument("--no-linkcheck", action="store_true", help="не замерять проверку ссылок")
    args = parser.parse_args(argv)
    sizes = sorted(int(n) for n in args.sizes.split(","))
    hugo, hugo_note = (None, "отключён (--no-hugo)") if args.no_hugo else ensure_hugo()
    print(f"Hugo: {hugo_note}" if hugo else f"hugo недоступен: {hugo_note}", flush=True)
    print(f"Машина: {os.cpu_count()} ядра, Python {platform.python_version()}, сведения на {AS_OF}", flush=True)  # fmt: skip
    code = snapshot_code()
    try:
        measured = [measure_size(n, args.seed, hugo, hugo_note, code, args.runs) for n in sizes]
        largest_content = CORPUS / f"n{sizes[-1]}" / "content"
        commands = skipped("отключено (--no-commands)") if args.no_commands else run_commands(code)
        serve = skipped("отключено (--no-serve)") if args.no_serve else run_serve(largest_content)
        linkcheck = skipped("отключено (--no-linkcheck)") if args.no_linkcheck else run_linkcheck()
    finally:
        empty_trash()
    passed = verdicts(measured, commands, serve, linkcheck)
    summary(measured, commands, serve, linkcheck, passed)
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
        "commands": commands,
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
