"""The evidence link checker: a library that returns results, plus the `check-links` command around it.

Library use (the monitor reuses the fetcher, the guard and the classes):

    results = await check_urls(urls, LinkCheckConfig())        # {url as given: LinkResult}
    async with Fetcher(config) as fetcher:                      # a polite fetcher for pages
        page = await fetcher.fetch("https://example.org/")      # FetchResult, never raises
"""

from site_builder.linkcheck.classify import LinkResult, Verdict, classify
from site_builder.linkcheck.client import check_urls
from site_builder.linkcheck.config import LinkCheckConfig, LinkStatus
from site_builder.linkcheck.fetch import ErrorKind, Fetcher, FetchError, FetchResult
from site_builder.linkcheck.guard import Resolver, StaticResolver, SystemResolver
from site_builder.linkcheck.report import load_last_report, load_last_results

__all__ = [
    "ErrorKind",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "LinkCheckConfig",
    "LinkResult",
    "LinkStatus",
    "Resolver",
    "StaticResolver",
    "SystemResolver",
    "Verdict",
    "check_urls",
    "classify",
    "load_last_report",
    "load_last_results",
]
