"""Publishing: the files that need absolute addresses (sitemap, robots.txt, feed), the news pages.

Internal links stay relative (render._url) so one build works from disk and under any sub-path; only what must be
absolute — canonical links, Open Graph, sitemap.xml, robots.txt's Sitemap line, the Atom feed, the 404 page — is
built here from the base URL. Without a base URL there is no sitemap and no feed: both need absolute addresses.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from site_builder.model.site import PageEntry, Site

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
FEED = "feed.xml"


def news_pages(site: Site) -> list[PageEntry]:
    """Pages marked `news: true`, newest first; ties keep a fixed order by address."""
    news = sorted((page for page in site.pages if page.meta.news), key=lambda page: page.slug)
    return sorted(news, key=lambda page: page.meta.date or dt.date.min, reverse=True)


def atom_time(value: dt.date) -> str:
    """An Atom date-time for a page date: midnight UTC, never the clock of the machine that builds."""
    return f"{value.isoformat()}T00:00:00Z"
