"""The build: load and validate everything, render every page, then swap the result into output/ at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jinja2 import Environment

from site_builder.buildcache import CACHE_DIR, ParsedFiles, cache_folder, make_files, plan_work
from site_builder.exports import DownloadSpec, plan_downloads
from site_builder.linkmarks import LinkResults
from site_builder.lint import load_checked_site
from site_builder.model import Site
from site_builder.monitor.note import note_download_specs
from site_builder.publish import normalise_base_url
from site_builder.render import STATIC_DIR, Assets, PageSpec, make_environment, plan, render_pages, site_pages
from site_builder.status import SiteStatus, StatusCache
from site_builder.write import staged_output, write_output


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

    Pages and downloads of a large site are made in parallel and reused from `cache` while their inputs are
    unchanged (see buildcache.py); None turns the cache off.

    `base_url`, when given, overrides site.yaml's base_url (ValueError if it is not a valid address).
    `link_results`, the file `check-links` wrote, adds its marks to evidence links and the «Проверка ссылок» page.
    """
    folder = cache_folder(content, cache) if cache else None
    parsed = ParsedFiles.for_site(content, folder) if folder else None
    site = load_checked_site(content, as_of, parsed)
    if base_url:
        config = site.config.model_copy(update={"base_url": normalise_base_url(base_url)})
        site = dataclasses.replace(site, config=config)
    if link_results:
        site = dataclasses.replace(site, link_results=LinkResults.read(link_results))
    planned = plan_site(site, as_of)
    with staged_output(output, content) as staging:
        make_files(plan_work(make_environment(), planned, staging, folder / "files" if folder else None))
        for relative, source in planned.assets.sources.items():
            write_output(staging, relative, source)
    if parsed:
        parsed.prune()
    return BuildResult(site, len(site_pages(planned.pages)))


@dataclass
class SitePlan:
    """Every file one build writes, decided before anything is rendered (the live preview renders a subset)."""

    site: Site
    as_of: dt.date
    assets: Assets
    pages: list[PageSpec]
    statuses: SiteStatus

    @cached_property
    def downloads(self) -> list[DownloadSpec]:
        """Planned on first use: a preview's save renders its pages and leaves downloads until one is asked for."""
        return [*plan_downloads(self.statuses), *note_download_specs(self.site)]


def plan_site(
    site: Site, as_of: dt.date, static: Path = STATIC_DIR, cache: StatusCache | None = None
) -> SitePlan:
    """`cache` keeps status tables from one build to the next (the live preview's); a single build needs none."""
    statuses = SiteStatus(site, as_of, cache)
    return SitePlan(site, as_of, Assets.scan(static), plan(site, as_of, statuses), statuses)


def render_site(
    env: Environment,
    planned: SitePlan,
    pages: list[PageSpec] | None = None,
    downloads: list[DownloadSpec] | None = None,
) -> Iterator[tuple[str, str | bytes]]:
    """(path, content) of every page and download of the plan, or of the given ones; static files aside."""
    chosen = planned.pages if pages is None else pages
    yield from render_pages(env, planned.site, chosen, planned.as_of, planned.assets)
    for download in planned.downloads if downloads is None else downloads:
        yield download.output, download.produce()
