"""The build: run the pipeline over everything, then swap the result into output/ at once."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.build.archive import check_archive_target, write_archive
from site_builder.build.keys import CACHE_DIR, cache_folder
from site_builder.build.snapshot import (
    Snapshot,
    cached_file,
    keep_hashes,
    recall,
    recalled_hashes,
    remember,
    shipped_file,
    site_key,
)
from site_builder.build.write import output_lock, staged_output
from site_builder.core.errors import Problem


@dataclass
class BuildResult:
    warnings: list[Problem]
    pages: int
    archived: int | None = None  # files in the zip archive, when one was asked for
    # Why the build cache did not take all it was given (a full disk, no right to write), each reason once: the
    # site is complete, only the next build makes again what is missing.
    cache_refused: list[str] = field(default_factory=list)


def build_site(
    content: Path,
    output: Path,
    as_of: dt.date,
    base_url: str | None = None,
    link_results: Path | None = None,
    cache: Path | None = CACHE_DIR,
    archive: Path | None = None,
) -> BuildResult:
    """Build `content` into `output`; on any error the previous output stays exactly as it was.

    Only one build at a time writes into `output` (see write.output_lock): a second one raises OutputRefused.
    `archive`: also zip the new output there (archive.write_archive), while the lock still keeps other builds
    from replacing it.

    Pages and downloads of a large site are made in parallel and reused from `cache` while their inputs are
    unchanged (see workers.py), and a build whose inputs are all unchanged is copied from it whole
    (snapshot.py); None turns the cache off. `base_url` and `link_results`: see pipeline.Sources.
    """
    if archive:
        check_archive_target(archive, output)
    with output_lock(output, content):
        result = _build(content, output, as_of, base_url, link_results, cache)
        if archive:
            result.archived = write_archive(output, archive)
        return result


def _build(
    content: Path,
    output: Path,
    as_of: dt.date,
    base_url: str | None,
    link_results: Path | None,
    cache: Path | None,
) -> BuildResult:
    if cache is None:
        return _make(content, output, as_of, base_url, link_results, None)[0]
    folder, read_elsewhere = cache_folder(content, cache), (cache, output)
    # What the key hashed: the check after the build, and the next build, hash again only what changed.
    hashed = recalled_hashes(folder)
    key = site_key(content, as_of, base_url, link_results, read_elsewhere, hashed)
    snapshot = recall(folder, key) if key else None
    if snapshot:
        with staged_output(output, content) as staging:
            snapshot.copy_into(folder, staging)
        keep_hashes(folder, hashed)
        return BuildResult(list(snapshot.warnings), snapshot.pages)
    result, files = _make(content, output, as_of, base_url, link_results, folder)
    # Remembered only if no content file changed while the build read them. The new site is in place by then:
    # a snapshot that cannot be taken or kept (a full disk, a file another build pruned) only saves less next time.
    if key and files and key == site_key(content, as_of, base_url, link_results, read_elsewhere, hashed):
        with suppress(OSError):
            remember(folder, Snapshot.taken(folder, key, files, result.warnings, result.pages))
        keep_hashes(folder, hashed)
    return result


def _make(
    content: Path,
    output: Path,
    as_of: dt.date,
    base_url: str | None,
    link_results: Path | None,
    folder: Path | None,
) -> tuple[BuildResult, list[tuple[str, str]]]:
    """The full build; with it the files a snapshot can name (none when not every file went into the cache)."""
    # Imported here: a build restored from its snapshot needs none of the loading and rendering.
    from site_builder.build.caches import ParsedFiles, TemplateStore
    from site_builder.build.pipeline import Sources, plan_site
    from site_builder.build.prefetch import whole_site
    from site_builder.build.workers import make_files, plan_work
    from site_builder.build.write import write_output
    from site_builder.model.warnings import attach_warnings
    from site_builder.render.environment import make_environment
    from site_builder.render.pages import site_pages

    parsed = ParsedFiles.for_site(content, folder) if folder else None
    templates = TemplateStore.opened(folder) if folder and parsed else None  # a small site keeps no cache
    with whole_site(Sources(content, base_url, link_results), parsed) as site:
        planned = plan_site(site, as_of)
        with staged_output(output, content) as staging:
            env = make_environment(compiled=templates.compiled() if templates else None)
            work = plan_work(env, planned, staging, folder, parsed.models if parsed else None, templates)
            # No page shows the warnings: they are worked out while the workers make the files.
            refused = make_files(work, meanwhile=lambda: attach_warnings(site, as_of, parsed))
            for relative, source in planned.assets.sources.items():
                write_output(staging, relative, source)
    if parsed:
        parsed.prune()
        refused += parsed.refused
    result = BuildResult(site.warnings, len(site_pages(planned.pages)), cache_refused=refused)
    if work.cache is None:
        return result, []
    made = [(spec.output, cached_file(fingerprint)) for spec, fingerprint in work.pages]
    made += [(spec.output, cached_file(fingerprint)) for spec, fingerprint in work.downloads]
    made += [(relative, shipped_file(source)) for relative, source in planned.assets.sources.items()]
    return result, made
