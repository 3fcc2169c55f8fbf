"""The evidence link checker: a library that returns results; the `check-links` command is in cli.

Library use (the monitor reuses the fetcher, the guard and the classes), importing from the modules themselves:

    results = await client.check_urls(urls, LinkCheckConfig())   # {url as given: LinkResult}
    async with fetch.Fetcher(config) as fetcher:                  # a polite fetcher for pages
        page = await fetcher.fetch("https://example.org/")        # FetchResult, never raises

Nothing is imported here, so loading one module of the checker does not load them all.
"""
