"""The build: run the pipeline over everything, then swap the result into output/ at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from site_builder.build.caches import CACHE_DIR, ParsedFiles, cache_folder
from site_builder.build.pipeline import Sources, load, plan_site
from site_builder.build.workers import make_files, plan_work
from site_builder.build.write import output_lock, staged_output, write_output
from site_builder.model.site import Site
from site_builder.model.warnings import attach_warnings
from site_builder.render.environment import make_environment
from site_builder.render.pages import site_pages


@dataclass
class BuildResult:
    site: Site
    pages: int


def build_site(
    content: Path,
    output: Path,
    as_of: dt.date,
    base_url: str | None = None,
    link_results: Path | None = None,
    cache: Path | None = CACHE_DIR,
) -> BuildResult:
    """Build `content` into `output`; on any error the previous output stays exactly as it was.

    Only one build at a time writes into `output` (see write.output_lock): a second one raises OutputRefused.

    Pages and downloads of a large site are made in parallel and reused from `cache` while their inputs are
    unchanged (see buildcache.py); None turns the cache off. `base_url` and `link_results`: see pipeline.Sources.
    """
    with output_lock(output, content):
        folder = cache_folder(content, cache) if cache else None
        parsed = ParsedFiles.for_site(content, folder) if folder else None
        site = attach_warnings(load(Sources(content, base_url, link_results), parsed), as_of, parsed)
        planned = plan_site(site, as_of)
        with staged_output(output, content) as staging:
            make_files(plan_work(make_environment(), planned, staging, folder / "files" if folder else None))
            for relative, source in planned.assets.sources.items():
                write_output(staging, relative, source)
        if parsed:
            parsed.prune()
        return BuildResult(site, len(site_pages(planned.pages)))
