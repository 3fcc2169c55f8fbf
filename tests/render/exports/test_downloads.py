"""Every roadmap and report page links its downloads, and every link leads to a file of the build."""

from __future__ import annotations

import posixpath
from pathlib import Path

from tests.helpers.html import soup


def test_pages_link_their_downloads(shipped: dict[str, Path]) -> None:
    expected = {
        "roadmaps": ["pdf", "large.pdf", "xlsx", "csv", "json", "ics"],
        "reports": ["pdf", "xlsx", "csv", "json"],
    }
    pages = 0
    for output in shipped.values():
        for folder, suffixes in expected.items():
            for page in sorted((output / folder).glob("*.html")):
                if page.name.endswith("-fragment.html"):  # the CMS fragment of the page, tested apart
                    continue
                links = soup(page).select(".downloads a[href]")
                assert [link["href"] for link in links] == [f"{page.stem}.{suffix}" for suffix in suffixes]
                for link in links:
                    assert link.has_attr("download")
                    target = output / posixpath.normpath(posixpath.join(folder, str(link["href"])))
                    assert target.is_file() and target.stat().st_size > 0
                pages += 1
    assert pages == 4  # three roadmaps and the Шахты report
