"""Making a full build's files fast: in worker processes, and from .cache/build/ when nothing they read changed.

A national site has thousands of roadmaps, each with a page and four downloads. Two things keep its build short:
- Every file has a fingerprint of everything it is made from (caches.Fingerprints:
  the bytes of its content files, its templates, the shared values it reads, the as-of date) plus a salt of
  the site-wide settings and of the code itself (every module and template of site-builder and the versions of
  the libraries that write HTML, PDF, spreadsheets and calendars). A file whose fingerprint is in the cache is
  copied from there instead of being made again; the cache holds bytes by fingerprint, so it can never hand
  back a file made from other inputs. Sites smaller than CACHE_FROM files are fast anyway and are not cached.
- The files are shared out to one process per core, forked after the site is loaded and the templates
  compiled, so no worker loads anything again; each makes its files, or copies them from the cache, straight
  into the staging folder. A small site stays in the build's own process, where workers cost more than they save.
The bytes do not depend on which process made a file or whether it came from the cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import NoReturn, TypeVar

from jinja2 import Environment

from site_builder.build.caches import (
    FileCache,
    Fingerprints,
    LoadedTokens,
    TemplateIndex,
    TemplateStore,
    held_files,
    prune_folder,
)
from site_builder.build.keys import code_version
from site_builder.build.pipeline import SitePlan
from site_builder.build.snapshot import FILES, cached_file
from site_builder.build.write import safe_name, write_output, write_reason
from site_builder.core.atomic import share_new, write_atomically
from site_builder.core.packing import UNREADABLE
from site_builder.core.resources import TEMPLATES_DIR
from site_builder.model.site import Site
from site_builder.render.exports import DownloadSpec
from site_builder.render.pages import Assets, PageSpec, render_pages, shared_context
from site_builder.render.status import Progress, SiteStatus

CACHE_FROM = 200  # files in the site
PARALLEL_FROM = 48  # files to write (made or copied from the cache)
CHUNKS_PER_WORKER = 16  # small chunks even out pages and spreadsheets of different cost
# In the cache folder: the overall progress of each roadmap and report page, by the page's fingerprint.
PROGRESS = "progress.pickle"


@dataclass(frozen=True)
class Work:
    """Everything one build makes besides its static files; a worker inherits it when it is forked."""

    env: Environment
    site: Site
    as_of: dt.date
    assets: Assets
    staging: Path
    cache: Path | None  # the cache folder: files by fingerprint in its FILES
    pages: list[tuple[PageSpec, str]]  # (spec, fingerprint)
    downloads: list[tuple[DownloadSpec, str]]
    statuses: SiteStatus  # the plan's: its views and downloads read them
    # The fingerprints the cache held files for when the work was planned: a cold build's thousands of files
    # are not each looked for in vain.
    held: frozenset[str] = frozenset()
    # Where the compiled templates are kept: it says what it could not keep.
    templates: TemplateStore | None = None


T = TypeVar("T")
_work: Work | None = None  # set in the build's process just before the workers are forked


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def plan_work(
    env: Environment,
    planned: SitePlan,
    staging: Path,
    cache: Path | None,
    loaded: Mapping[str, str] | None = None,
    templates: TemplateStore | None = None,
) -> Work:
    """Fingerprint every page and download; without a cache the fingerprints stay empty (nothing reads them).

    `loaded` holds the hashes of the bytes the site was loaded from, by path (caches.ParsedFiles.models): a
    fingerprint names those, as the file holds them now only for the files it does not list. `templates` keeps
    what the fingerprints read of the templates for the next build."""
    site, as_of, pages, downloads = planned.site, planned.as_of, planned.pages, planned.downloads
    if cache is None or len(pages) + len(downloads) < CACHE_FROM:
        unmarked = [(spec, "") for spec in pages], [(spec, "") for spec in downloads]
        return Work(
            env, site, as_of, planned.assets, staging, None, *unmarked, planned.statuses, templates=templates
        )
    files = LoadedTokens(loaded or {}, FileCache())
    shared = shared_context(site, as_of, planned.assets)
    index = TemplateIndex(TEMPLATES_DIR, TemplateIndex.scan(TEMPLATES_DIR), templates)
    prints = Fingerprints(site, shared, index, files)
    link_files = (site.link_results.path,) if site.link_results else ()
    salt = _sha(  # a digest: the settings are kilobytes, hashed again for every file otherwise
        "\n".join(
            [
                code_version(),
                f"as_of {as_of}",
                site.config.model_dump_json(),
                *(f"links {path} {files.token(path)}" for path in link_files),
            ]
        )
    )
    marked_pages = [(spec, _sha(f"{salt}\npage {prints.page(spec)}")) for spec in pages]
    marked_downloads = [
        (spec, _sha(f"{salt}\ndownload {prints.download(spec, as_of)}")) for spec in downloads
    ]
    index.keep()
    return Work(
        env,
        site,
        as_of,
        planned.assets,
        staging,
        cache,
        marked_pages,
        marked_downloads,
        planned.statuses,
        frozenset(entry.name for entry in held_files(cache / FILES)),
        templates=templates,
    )


def _cached(work: Work, fingerprint: str) -> str | None:
    # Text, not a Path: a national site takes 17,000 files from the cache, each costing two Paths made.
    return os.path.join(work.cache, cached_file(fingerprint)) if work.cache and fingerprint else None


def _keep(work: Work, fingerprint: str, made: Path) -> tuple[str, str] | None:
    """Put a file just made into the cache; why the cache would not take it, and where (None: it did)."""
    path = _cached(work, fingerprint)
    if path is None:
        return None
    try:
        share_new(made, path)
    except OSError as error:  # the file is in place: the cache only saves the next build work
        return write_reason(error), str(error.filename or path)
    return None


def _from_cache(work: Work, relative: str, fingerprint: str) -> bool:
    """Put the file the cache holds for `fingerprint` in place; False when it holds none."""
    cached = _cached(work, fingerprint)
    if cached is None or fingerprint not in work.held:
        return False
    try:
        share_new(cached, safe_name(work.staging, relative), shared=True)
    except OSError:  # not in the cache (or not a file there): made again
        return False
    return True


Job = tuple[str, int]  # ("page" or "download", index into the work's list)


@dataclass(frozen=True)
class Made:
    """What a process hands back of the files it made: the overall progress of the entries whose statuses it
    worked out (for the pages made after them), and why the caches did not take a file or a compiled
    template, and where (none: they took them all)."""

    progress: dict[str, Progress]
    refused: tuple[tuple[str, str], ...] = ()


def _make(jobs: list[Job]) -> Made:
    """Put the given pages and downloads of the current work in the staging folder, in the order given: from
    the cache, or made (and then kept in the cache). One entry's files come one after the other, so they share
    the views render.entryviews keeps for the last few entries.

    After the first file the cache does not take (a full disk, a folder without the right to write), the rest
    are not offered to it: thousands of failing calls would only slow the build."""
    work = _work
    assert work is not None
    refused: tuple[str, str] | None = None

    def keep(fingerprint: str, made: Path) -> None:
        nonlocal refused
        if refused is None:
            refused = _keep(work, fingerprint, made)

    pages = [
        i
        for kind, i in jobs
        if kind == "page" and not _from_cache(work, work.pages[i][0].output, work.pages[i][1])
    ]
    # Lazy: each page is rendered when its turn comes among the downloads.
    rendered = render_pages(work.env, work.site, [work.pages[i][0] for i in pages], work.as_of, work.assets)
    to_render = set(pages)
    for kind, index in jobs:
        if kind == "page" and index in to_render:
            relative, html = next(rendered)
            keep(work.pages[index][1], write_output(work.staging, relative, html.encode("utf-8")))
        elif kind == "download":
            spec, fingerprint = work.downloads[index]
            if not _from_cache(work, spec.output, fingerprint):
                keep(fingerprint, write_output(work.staging, spec.output, spec.produce()))
    compiled = tuple(work.templates.refused) if work.templates else ()
    return Made(work.statuses.learned(), (refused, *compiled) if refused else compiled)


def make_files(
    work: Work, workers: int | None = None, meanwhile: Callable[[], object] = lambda: None
) -> list[str]:
    """Write every page and download of `work` into its staging folder, in workers when there are many, and run
    `meanwhile` in this process while they work (after the files, without workers). Returns why the cache did
    not take some of the files or compiled templates, each reason once with the first place (none: it took
    them all, or there is no cache).

    Copying from the cache is shared out too: for a rebuild of a national site it is most of the work.
    """
    global _work
    owners = _owners(work.site)
    pages = [(_owner(owners, spec.inputs, spec.output), "page", i) for i, (spec, _) in enumerate(work.pages)]
    downloads = [
        (_owner(owners, spec.inputs, spec.output), "download", i)
        for i, (spec, _) in enumerate(work.downloads)
    ]
    jobs = [(kind, i) for _, kind, i in sorted(pages + downloads)]
    # The landing page's progress is what the entries' own files work out: made last, in this process, it
    # takes it from them instead of working out every status again.
    last = [job for job in jobs if job[0] == "page" and work.pages[job[1]][0].after_entries]
    jobs = [job for job in jobs if job not in last]
    _work = work
    try:
        workers = workers or os.cpu_count() or 1
        if workers < 2 or len(jobs) < PARALLEL_FROM:
            made = [_make(jobs)]
            meanwhile()
        else:
            made = _in_workers(jobs, workers, meanwhile)
        for part in made:
            work.statuses.learn(part.progress)
        # Pages that came from the cache had no status worked out: the last build's is theirs.
        work.statuses.learn(_kept_progress(work))
        made.append(_make(last))
    finally:
        _work = None
    if work.cache is not None:
        _keep_progress(work, made[-1].progress)
        _prune(work)
    first: dict[str, str] = {}  # each reason with the first place it was met
    for part in made:
        for reason, where in part.refused:
            first.setdefault(reason, where)
    return [f"{reason} ({where})" for reason, where in first.items()]


def _owners(site: Site) -> dict[Path, tuple[str, ...]]:
    """Each roadmap's and report's place in the order files are made: a report's right after its roadmap's,
    whose content they read too (a packed entry's content is then made again once for both: model/packed.py)."""
    owners: dict[Path, tuple[str, ...]] = {}
    for entry, reports in site.groups():
        group = (os.fspath(entry.source.path),) if entry else ()
        if entry:
            owners[entry.source.path] = group
        owners.update((report.source.path, (*group, os.fspath(report.source.path))) for report in reports)
    return owners


def _owner(owners: dict[Path, tuple[str, ...]], inputs: tuple[Path, ...], output: str) -> tuple[str, ...]:
    """The place of the content file a page or download is mostly made from (after site.yaml), to keep them
    together."""
    if len(inputs) < 2:
        return (output,)
    return owners.get(inputs[1], (os.fspath(inputs[1]),))


def _in_workers(jobs: list[Job], workers: int, meanwhile: Callable[[], object]) -> list[Made]:
    """Forked workers make the files chunk by chunk; a failed chunk is made again here to raise its error."""
    count = workers * CHUNKS_PER_WORKER
    size = -(-len(jobs) // count)
    # Consecutive jobs are one entry's page, fragment and downloads (see make_files): a worker then touches only
    # its own entries. The loaded site is shared with the workers page by page until someone writes to a page
    # (a reference count is a write), so each entry is copied into one worker at most; the collector walking
    # every object would write to all of them, so what exists before the fork is kept out of its sight.
    chunks = [jobs[start : start + size] for start in range(0, len(jobs), size)]
    gc.freeze()
    try:
        return _run_pool(chunks, workers, meanwhile)
    finally:
        gc.unfreeze()


def _run_pool(chunks: list[list[Job]], workers: int, meanwhile: Callable[[], object]) -> list[Made]:
    work = _work
    assert work is not None
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        futures: list[tuple[Future[Made], list[Job]]] = [
            (pool.submit(_make, chunk), chunk) for chunk in chunks
        ]
        meanwhile()  # the workers were forked by the first submit, before it
        made = []
        for future, chunk in futures:
            error = future.exception()
            if error is not None:
                for other, _ in futures:
                    other.cancel()
                _raise_here(work, chunk, error)
            made.append(future.result())
    return made


def _raise_here(work: Work, chunk: list[Job], error: BaseException) -> NoReturn:
    """Make a failed chunk again in this process, to raise its error here with its own traceback: into a folder
    of its own without the cache, since the worker has already put some of the chunk's files in both."""
    global _work
    with tempfile.TemporaryDirectory(prefix=".again-", dir=work.staging.parent) as scratch:
        _work = dataclasses.replace(work, staging=Path(scratch), cache=None)
        try:
            _make(chunk)
        finally:
            _work = work
    raise error


def _kept_progress(work: Work) -> dict[str, Progress]:
    """The overall progress the last build kept for the pages that are made from the same inputs now, by URL."""
    try:
        kept = pickle.loads((work.cache / PROGRESS).read_bytes()) if work.cache else {}
    except (OSError, *UNREADABLE):
        return {}
    if not isinstance(kept, dict):
        return {}
    found = ((spec.output, kept.get(fingerprint)) for spec, fingerprint in work.pages)
    return {url: progress for url, progress in found if isinstance(progress, Progress)}


def _keep_progress(work: Work, progress: dict[str, Progress]) -> None:
    """Keep the overall progress this build worked out or took over (`progress`) by the fingerprint of its page:
    a page of the same fingerprint shows the same, so a rebuild's landing page need not work it out again."""
    assert work.cache is not None
    fingerprints = {spec.output: fingerprint for spec, fingerprint in work.pages}
    kept = {fingerprints[url]: shown for url, shown in progress.items() if url in fingerprints}
    with suppress(OSError):  # the cache only ever saves work
        write_atomically(work.cache / PROGRESS, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))


def _prune(work: Work) -> None:
    assert work.cache is not None
    prune_folder(work.cache / FILES, {fingerprint for _, fingerprint in (*work.pages, *work.downloads)})
