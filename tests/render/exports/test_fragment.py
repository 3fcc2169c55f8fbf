"""The fragments to paste into a CMS editor: clean semantic HTML beside each roadmap and report page."""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from site_builder.build.site import build_site
from site_builder.model.site import load_site
from site_builder.render.status import SiteStatus
from tests.helpers.builds import AS_OF
from tests.helpers.html import fragment_of, one, soup
from tests.helpers.sites import REPO

BASE = "https://example.org/obrazovanie/500plus/"  # a made-up address for the test


def pages(output: Path) -> list[Path]:
    return [
        page
        for folder in ("roadmaps", "reports")
        for page in sorted((output / folder).glob("*.html"))
        if not page.name.endswith("-fragment.html")
    ]


def assert_clean(fragment: BeautifulSoup) -> None:
    """Nothing that needs our stylesheet or scripts, nothing a CMS editor would strip or choke on."""
    assert not fragment.find(["script", "style", "link", "html", "head", "body"])
    for tag in fragment.find_all(True):
        names = [name for name in tag.attrs if name in ("class", "id", "style") or name.startswith("on")]
        assert not names, f"{tag.name}: {names}"
    table = one(fragment, "table")
    assert one(table, "caption").get_text(strip=True)
    assert all(th.get("scope") == "col" for th in table.select("thead th"))
    for th in table.select("tbody th"):
        assert th.get("scope") in ("row", "colgroup")


@pytest.mark.parametrize("name", list(AS_OF))
def test_every_page_links_its_fragment_with_the_table_and_status_words(
    shipped: dict[str, Path], name: str
) -> None:
    output = shipped[name]
    site = load_site(REPO / name)
    statuses = SiteStatus(site, AS_OF[name])
    tables = {entry.url: statuses.roadmap(entry) for entry in site.roadmaps}
    tables |= {entry.url: statuses.report(entry) for entry in site.reports}
    assert {page.relative_to(output).as_posix() for page in pages(output)} == set(tables)
    for page in pages(output):
        html = soup(page)
        link = one(html, "a[data-copy-fragment]")
        assert link.get_text(strip=True) == "Скопировать HTML-фрагмент таблицы"
        assert link.get("href") == f"{page.stem}-fragment.html"
        # The script that copies is a file of ours (the CSP forbids inline code).
        [script] = [s for s in html.find_all("script") if "copy-fragment" in str(s.get("src"))]
        assert not script.string
        assert (page.parent / posixpath.normpath(str(script["src"]))).is_file()
        fragment = fragment_of(page.parent / str(link["href"]))
        assert_clean(fragment)
        rows = one(fragment, "table").select("tbody tr")
        table = tables[page.relative_to(output).as_posix()]
        texts = [" ".join(row.get_text(" ").split()) for row in rows]
        numbers = [status.number for status in table.items]
        headed = [row.find("th", scope="row") for row in rows]
        assert [th.get_text(strip=True) for th in headed if isinstance(th, Tag)] == numbers
        for status in table.items:
            line = next(text for text in texts if text.startswith(status.number))
            assert status.kind.word in line
        # Without a base URL no link leads into the section: a relative one would break inside the CMS.
        assert all(str(a["href"]).startswith(("http://", "https://")) for a in fragment.find_all("a"))


def test_fragments_are_not_pages_of_the_site(shipped: dict[str, Path]) -> None:
    output = shipped["examples/shakhty"]
    index = soup(output / "index.html").get_text(" ")
    assert "fragment" not in index
    assert (output / "roadmaps" / "shakhty-2022-fragment.html").is_file()


@pytest.fixture(scope="module")
def with_base_no_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fragments")
    content = root / "content"
    shutil.copytree(REPO / "examples" / "shakhty", content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8") + f"\nbase_url: {BASE}\ndownloads:\n  pdf: false\n",
        encoding="utf-8",
    )
    build_site(content, root / "output", AS_OF["examples/shakhty"])
    return root / "output"


def test_fragment_links_are_absolute_with_a_base_url(with_base_no_pdf: Path) -> None:
    fragment = fragment_of(with_base_no_pdf / "reports" / "shakhty-2022-2-fragment.html")
    assert_clean(fragment)
    hrefs = [str(a["href"]) for a in fragment.find_all("a")]
    assert all(href.startswith(("http://", "https://")) for href in hrefs)
    assert f"{BASE}reports/shakhty-2022-2.html" in hrefs
    assert f"{BASE}reports/shakhty-2022-2.xlsx" in hrefs
    sitemap = (with_base_no_pdf / "sitemap.xml").read_text(encoding="utf-8")
    assert "shakhty-2022-2.html" in sitemap and "fragment" not in sitemap


def test_site_yaml_turns_pdfs_off(with_base_no_pdf: Path) -> None:
    assert not list(with_base_no_pdf.rglob("*.pdf"))
    for page in pages(with_base_no_pdf):
        labels = [a.get_text(strip=True) for a in soup(page).select(".downloads a")]
        assert labels and not any("PDF" in label for label in labels)
    fragment = fragment_of(with_base_no_pdf / "roadmaps" / "shakhty-2022-fragment.html")
    assert not any(str(a["href"]).endswith(".pdf") for a in fragment.find_all("a"))
