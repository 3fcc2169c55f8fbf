"""The one pipeline `build` and `serve` both run: load → validate → model → plan → render.

What differs between them is only what they keep between runs (the preview's memo, the build's .cache/build) and
where and how they write (build.py swaps a staging folder into output/; incremental.py replaces changed files in
the preview's folder). Both load the site here, with what the command line adds to it (a base URL, the link
checker's results), so the preview shows exactly what `build` publishes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.core.addresses import normalise_base_url
from site_builder.model.site import FileMemo, Site, load_site

if TYPE_CHECKING:  # the renderers and Jinja load when a plan is made: `check` only loads the site
    from jinja2 import Environment

    from site_builder.render.exports import DownloadSpec
    from site_builder.render.pages import Assets, EntryPlanner, PageSpec
    from site_builder.render.status import SiteStatus, StatusCache


@dataclass(frozen=True)
class Sources:
    """What one build is made from: the content folder and what the command line adds to it."""

    content: Path
    base_url: str | None = None  # overrides site.yaml's base_url (ValueError when it is not an address)
    link_results: Path | None = None  # the file `check-links` wrote; missing or unreadable: no marks


def load(
    sources: Sources,
    memo: FileMemo | None = None,
    previous: Site | None = None,
    changed: Iterable[Path] | None = None,
) -> Site:
    """The site of `sources`; raises ContentError with every problem of the content (see load_site)."""
    site = load_site(sources.content, memo, previous, changed)
    if sources.base_url:
        config = site.config.model_copy(update={"base_url": normalise_base_url(sources.base_url)})
        site = dataclasses.replace(site, config=config)
    if sources.link_results:
        from site_builder.content.records.link_report import LinkRecord

        path = sources.link_results
        results = memo(path, "link results", lambda: LinkRecord.read(path)) if memo else LinkRecord.read(path)
        site = dataclasses.replace(site, link_results=results)
    return site


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
        from site_builder.render.exports import plan_downloads
        from site_builder.render.note import note_download_specs

        return [*plan_downloads(self.statuses), *note_download_specs(self.site)]


def plan_site(
    site: Site,
    as_of: dt.date,
    static: Path | None = None,
    cache: StatusCache | None = None,
    entries: EntryPlanner | None = None,
) -> SitePlan:
    """`cache` keeps status tables and `entries` each entry's pages from one build to the next (the live
    preview's); a single build needs neither. `static` is the folder of static files, the package's
    templates/static by default."""
    from site_builder.render.pages import STATIC_DIR, Assets, plan
    from site_builder.render.status import SiteStatus

    statuses = SiteStatus(site, as_of, cache)
    pages = plan(site, as_of, statuses, entries) if entries else plan(site, as_of, statuses)
    return SitePlan(site, as_of, Assets.scan(static or STATIC_DIR), pages, statuses)


def render_site(
    env: Environment,
    planned: SitePlan,
    pages: list[PageSpec] | None = None,
    downloads: list[DownloadSpec] | None = None,
) -> Iterator[tuple[str, str | bytes]]:
    """(path, content) of every page and download of the plan, or of the given ones; static files aside."""
    from site_builder.render.pages import render_pages

    chosen = planned.pages if pages is None else pages
    yield from render_pages(env, planned.site, chosen, planned.as_of, planned.assets)
    for download in planned.downloads if downloads is None else downloads:
        yield download.output, download.produce()
