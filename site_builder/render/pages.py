"""Rendering: the site model → a plan of pages (what each depends on) → HTML through Jinja2 templates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment

import site_builder.render.publish as publish
from site_builder.core.addresses import FRAGMENT_SUFFIX
from site_builder.core.resources import TEMPLATES_DIR
from site_builder.model.site import ReportEntry, RoadmapEntry, Site
from site_builder.render.entryviews import report_views, roadmap_views
from site_builder.render.exports import LEVELS, report_downloads, roadmap_downloads
from site_builder.render.feed import FeedEntry, feed_entries, has_entries
from site_builder.render.linkmarks import PAGE as LINK_PAGE
from site_builder.render.linkmarks import link_results
from site_builder.render.note import NOTE_PAGE, note_date, note_downloads, note_view
from site_builder.render.status import SiteStatus, is_closed
from site_builder.render.views import roadmap_shelves

STATIC_DIR = TEMPLATES_DIR / "static"
# More roadmaps and reports than this and the navigation names the lists, not each one (see _navigation).
NAVIGATION_LIMIT = 20
# Beside each roadmap and report page: its table as clean HTML to paste into a CMS editor (not a page to browse).


@dataclass(frozen=True)
class PageSpec:
    """One output file: where it goes, which template renders it, which content files it reads."""

    output: str
    template: str
    inputs: tuple[Path, ...]
    context: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # Costly context computed only when the page is rendered: planning every page stays cheap, so a preview
    # rebuild can plan the whole site and render only the pages a change touches.
    views: Callable[[], dict[str, Any]] | None = field(default=None, compare=False, hash=False)
    # Made after the other files of a build: its views list what their statuses work out (the landing page).
    after_entries: bool = False


@dataclass
class Assets:
    """Static files with a content hash in their names, so they can be cached for a long time."""

    names: dict[str, str]  # "style.css" → "static/style.1a2b3c4d.css"
    sources: dict[str, Path]

    @classmethod
    def scan(cls, folder: Path = STATIC_DIR) -> Assets:
        names, sources = {}, {}
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            stem, dot, suffix = relative.rpartition(".")
            hashed = f"static/{stem}.{digest}.{suffix}" if dot else f"static/{relative}.{digest}"
            names[relative], sources[hashed] = hashed, path
        return cls(names, sources)


def _navigation(site: Site) -> list[tuple[str, str]]:
    """Every roadmap and report by name; a large site links the landing page's lists instead.

    Listing a region's or a country's thousands of roadmaps on every page would make each page as long as
    the landing page and the whole build quadratic in the number of roadmaps.
    """
    nav = [("index.html", "Главная")]
    if len(site.roadmaps) + len(site.reports) > NAVIGATION_LIMIT:
        if site.roadmaps:
            nav.append(("index.html#roadmaps-heading", f"Дорожные карты ({len(site.roadmaps)})"))
        if site.reports:
            nav.append(("index.html#reports-heading", f"Отчёты ({len(site.reports)})"))
    else:
        nav += [(entry.url, entry.roadmap.title) for entry in site.roadmaps]
        nav += [(entry.url, entry.report.title) for entry in site.reports]
    if site.schools:
        nav.append(("schools.html", "Школы проекта"))
    nav += [(page.url, page.meta.title) for page in site.pages if not page.meta.news]
    return nav


# How a roadmap's or a report's pages are planned: given the entry and what plans them anew, the pages to use.
# The live preview keeps them per entry (caches.EntryPlans), so a save plans again only the entries it touched.
EntryPlanner = Callable[[RoadmapEntry | ReportEntry, Callable[[], list[PageSpec]]], list[PageSpec]]


def _plan_now(entry: RoadmapEntry | ReportEntry, make: Callable[[], list[PageSpec]]) -> list[PageSpec]:
    return make()


def plan(
    site: Site, as_of: dt.date, statuses: SiteStatus | None = None, entries: EntryPlanner = _plan_now
) -> list[PageSpec]:
    """Every page of the site with its inputs; the order is fixed so output is deterministic.

    Pass the build's `statuses` so pages and downloads share them; without it the plan makes its own.
    """
    statuses = statuses or SiteStatus(site, as_of)
    site_yaml = site.site_yaml
    everything = tuple(site.sources)
    specs = [
        PageSpec(
            "index.html", "index.html", everything, {}, partial(_index_views, statuses), after_entries=True
        ),
        PageSpec("404.html", "404.html", (site_yaml,), {"served_anywhere": True}),
    ]
    for entry in site.roadmaps:
        specs += entries(entry, partial(_roadmap_specs, site, entry, statuses))
    for report in site.reports:
        specs += entries(report, partial(_report_specs, site, report, statuses))
    if site.schools:
        schools_inputs = (site_yaml, site.schools_source.path) if site.schools_source else (site_yaml,)
        specs.append(PageSpec("schools.html", "schools.html", schools_inputs, {"schools": site.schools}))
    if site.monitoring:
        note_inputs = site.note_inputs()
        note_context = {"downloads": note_downloads(site.config.downloads.pdf)}
        specs.append(
            PageSpec(NOTE_PAGE, "monitoring.html", note_inputs, note_context, partial(_note_views, site))
        )
    for page in site.pages:
        specs.append(PageSpec(page.url, "page.html", (site_yaml, page.source.path), {"page": page}))
    return specs + _publication_specs(site, specs)


def _roadmap_specs(site: Site, entry: RoadmapEntry, statuses: SiteStatus) -> list[PageSpec]:
    inputs = site.roadmap_inputs(entry)
    context = {"entry": entry, "downloads": roadmap_downloads(entry, site.config.downloads.pdf)}
    spec = PageSpec(entry.url, "roadmap.html", inputs, context, partial(_roadmap_views, entry, statuses))
    return _with_fragment(spec, partial(_roadmap_fragment_views, entry, statuses))


def _report_specs(site: Site, report: ReportEntry, statuses: SiteStatus) -> list[PageSpec]:
    inputs = site.report_inputs(report)
    context = {"entry": report, "downloads": report_downloads(report, site.config.downloads.pdf)}
    views = partial(_report_views, report, statuses)
    return _with_fragment(PageSpec(report.url, "report.html", inputs, context, views), views)


def fragment_of(page: str) -> str:
    return page.removesuffix(".html") + FRAGMENT_SUFFIX


def site_pages(specs: list[PageSpec]) -> list[str]:
    """The HTML pages a reader browses: what the sitemap lists and a build counts, fragments left out."""
    return [s.output for s in specs if s.output.endswith(".html") and not s.output.endswith(FRAGMENT_SUFFIX)]


def _with_fragment(page: PageSpec, views: Callable[[], dict[str, Any]]) -> list[PageSpec]:
    """A roadmap's or report's page and its CMS fragment: the same inputs, another template, and the views of
    the page that the fragment shows (render.entryviews shares them)."""
    fragment = fragment_of(page.output)
    return [
        dataclasses.replace(page, context={**page.context, "fragment": fragment}),
        dataclasses.replace(page, output=fragment, template=f"fragment/{page.template}", views=views),
    ]


def _index_views(statuses: SiteStatus) -> dict[str, Any]:
    monitoring = statuses.site.monitoring
    return {
        "progress": statuses.progress(),
        "shelves": roadmap_shelves(statuses.site.roadmaps, lambda entry: is_closed(entry, statuses.as_of)),
        "monitoring_date": note_date(monitoring) if monitoring else None,
    }


def _roadmap_views(entry: RoadmapEntry, statuses: SiteStatus) -> dict[str, Any]:
    return {**_roadmap_fragment_views(entry, statuses), "timeline": roadmap_views(entry, statuses).timeline}


def _roadmap_fragment_views(entry: RoadmapEntry, statuses: SiteStatus) -> dict[str, Any]:
    views = roadmap_views(entry, statuses)
    return {"status": views.status, "table": views.table}


def _report_views(entry: ReportEntry, statuses: SiteStatus) -> dict[str, Any]:
    views = report_views(entry, statuses)
    return {"status": views.status, "columns": views.columns}


def _note_views(site: Site) -> dict[str, Any]:
    return {"note": note_view(site.monitoring)}


def _publication_specs(site: Site, pages: list[PageSpec]) -> list[PageSpec]:
    """robots.txt always; sitemap.xml and the feed of updates only with a base URL: they need absolute addresses."""
    everything = tuple(site.sources)
    specs = [PageSpec(publish.ROBOTS, "robots.txt", (site.site_yaml,), {})]
    if site.link_results:
        inputs = (site.site_yaml, site.link_results.path)
        specs.append(
            PageSpec(LINK_PAGE, "links.html", inputs, {"report": link_results(site.link_results).view})
        )
    if site.config.base_url:
        listed = [page for page in site_pages(pages) if page != "404.html"]
        specs.append(PageSpec(publish.SITEMAP, "sitemap.xml", everything, {"listed": listed}))
    entries = _feed_entries(site)
    if entries:
        # The feed is as new as its newest entry, and feed_entries puts that one first.
        specs.append(
            PageSpec(
                publish.FEED, "feed.xml", everything, {"entries": entries, "updated": entries[0].updated}
            )
        )
    return specs


def _feed_entries(site: Site) -> list[FeedEntry]:
    """The feed's entries; none without a base URL, since a feed needs absolute addresses."""
    return feed_entries(site, LEVELS) if site.config.base_url else []


def shared_context(site: Site, as_of: dt.date, assets: Assets) -> dict[str, Any]:
    """What every page's template may read besides its own context."""
    return {
        "site": site,
        "config": site.config,
        "navigation": _navigation(site),
        "as_of": as_of,
        "assets": assets,
        "levels": LEVELS,
        "served_anywhere": False,
        # Asked of every batch of pages a process renders: the first entry found answers it.
        "feed": publish.FEED if site.config.base_url and has_entries(site, LEVELS) else "",
        "link_marks": link_results(site.link_results).marks if site.link_results else {},
        "link_page": LINK_PAGE if site.link_results else "",
    }


def render_pages(
    env: Environment, site: Site, specs: list[PageSpec], as_of: dt.date, assets: Assets
) -> Iterator[tuple[str, str]]:
    """(output path, HTML) for each spec, rendered one at a time so memory stays flat."""
    shared = shared_context(site, as_of, assets)
    for spec in specs:
        template = env.get_template(spec.template)
        views = spec.views() if spec.views else {}
        yield spec.output, template.render({**shared, **spec.context, **views, "page_path": spec.output})
