"""Publishing: base URL handling, canonical links, sitemap, robots.txt, the Atom feed of news, the 404 page and the
upload archive — checked on built sites, with our own crawl over the files (tests/publish/helpers.py).

The news pages exist only in the SYNTHETIC fixture site tests/fixtures/publish/: the shipped content has no news.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from site_builder.build.archive import ZIP_TIMESTAMP, archive_entries, write_archive
from site_builder.build.write import MARKER, OutputRefused
from site_builder.cli import EXIT_FAILURE, EXIT_USAGE, main
from site_builder.core.addresses import normalise_base_url, page_address
from tests.helpers.html import soup
from tests.helpers.publish import AS_OF, BASE, FIXTURE, REPO, build, crawl, html_files

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
SITES = {
    "fixture": FIXTURE,
    "content": REPO / "content",
    "shakhty": REPO / "examples" / "shakhty",
    "kaliningrad": REPO / "examples" / "kaliningrad",
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every site built once under the sub-path base URL."""
    root = tmp_path_factory.mktemp("built")
    return {name: build(content, root / name) for name, content in SITES.items()}


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built without any base URL (its site.yaml's base_url removed)."""
    root = tmp_path_factory.mktemp("plain")
    shutil.copytree(FIXTURE, root / "content")
    site_yaml = root / "content" / "site.yaml"
    site_yaml.write_text(re.sub(r"(?m)^base_url:.*\n", "", site_yaml.read_text("utf-8")), "utf-8")
    return build(root / "content", root / "output", base_url=None)


def output_pages(root: Path) -> list[str]:
    """The pages a reader browses: a fragment (…-fragment.html) is a table to paste into a CMS, not a page."""
    pages = [path.relative_to(root).as_posix() for path in html_files(root)]
    return [page for page in pages if not page.endswith("-fragment.html")]


# --- base URL ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://example.org/obrazovanie/500plus", "https://example.org/obrazovanie/500plus/"),
        ("https://example.org/obrazovanie/500plus/", "https://example.org/obrazovanie/500plus/"),
        ("HTTP://Example.ORG", "http://example.org/"),
        ("https://example.org:8443/a/b", "https://example.org:8443/a/b/"),
        ("https://пример.рф/500плюс", "https://xn--e1afmkfd.xn--p1ai/500%D0%BF%D0%BB%D1%8E%D1%81/"),
    ],
)
def test_base_url_is_normalised(given: str, expected: str) -> None:
    assert normalise_base_url(given) == expected
    assert normalise_base_url(expected) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "ftp://example.org/500plus/",
        "example.org/500plus/",
        "/500plus/",
        "https:///500plus/",
        "https://example.org/500plus/?page=1",
        "https://example.org/500plus/#top",
        "https://user:secret@example.org/",
        "https://example.org:99999/",
    ],
)
def test_invalid_base_url_is_refused_in_russian(bad: str) -> None:
    with pytest.raises(ValueError, match="адрес|адресе"):
        normalise_base_url(bad)


def test_index_pages_are_known_by_their_folder() -> None:
    assert page_address("index.html") == ""
    assert page_address("pages/index.html") == "pages/"
    assert page_address("pages/news.html") == "pages/news.html"


def test_bad_base_url_option_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run(
        "build", "--content", str(FIXTURE), "--output", str(tmp_path / "out"), "--base-url", "ftp://x"
    )
    assert code == EXIT_USAGE
    assert "--base-url" in err and "https://" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_bad_base_url_in_site_yaml_points_at_the_line(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "content")
    site_yaml = tmp_path / "content" / "site.yaml"
    lines = site_yaml.read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("base_url:"))
    lines[line - 1] = "base_url: example.org/500plus/"
    site_yaml.write_text("\n".join(lines) + "\n", "utf-8")
    code, _, err = run("check", "--content", str(tmp_path / "content"))
    assert code == EXIT_FAILURE
    assert re.search(rf"site\.yaml:{line}:\d+: .*https://", err), err


def test_site_yaml_base_url_is_used_and_the_option_overrides_it(
    tmp_path: Path, built: dict[str, Path]
) -> None:
    own = build(FIXTURE, tmp_path / "own", base_url=None)
    canonical = soup(own / "index.html").find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == "https://example.org/500plus/"  # «/» added
    overridden = soup(built["fixture"] / "index.html").find("link", rel="canonical")
    assert overridden is not None and overridden["href"] == BASE


# --- links under a sub-path -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SITES)
def test_every_internal_link_resolves_under_a_sub_path(built: dict[str, Path], name: str) -> None:
    result = crawl(built[name], BASE)
    assert result.broken == []
    assert result.root_relative == [], "ссылки от корня сайта ломаются, когда раздел лежит в подпапке"
    assert result.checked >= 5 * len(output_pages(built[name]))


def test_crawl_finds_a_missing_file_and_a_missing_id(tmp_path: Path) -> None:
    """The crawl itself must be able to fail, or the test above proves nothing."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<p id="here"><a href="#here">1</a><a href="#nowhere">2</a><a href="../b.html">3</a>'
        '<a href="/abs.html">4</a><a href="https://example.org/x">5</a><img src="./"></p>',
        "utf-8",
    )
    result = crawl(tmp_path)
    assert result.checked == 4
    assert [line.split(" — ")[0] for line in result.broken] == [
        "a/index.html: #nowhere",
        "a/index.html: ../b.html",
    ]
    assert result.root_relative == ["a/index.html: /abs.html"]


@pytest.mark.parametrize("name", SITES)
def test_canonical_and_open_graph_urls_are_under_the_base(built: dict[str, Path], name: str) -> None:
    for page in output_pages(built[name]):
        head = soup(built[name] / page).head
        assert head is not None
        canonical, og_url = head.find("link", rel="canonical"), head.find("meta", property="og:url")
        if page == "404.html":
            assert canonical is None and og_url is None, "у страницы 404 нет своего адреса"
            continue
        assert canonical is not None and og_url is not None, page
        assert canonical["href"] == og_url["content"] == BASE + page_address(page)
        assert head.find("meta", property="og:title")["content"]  # type: ignore[index]


def test_404_page_links_and_assets_are_absolute_under_the_base(built: dict[str, Path]) -> None:
    page = soup(built["fixture"] / "404.html")
    urls = [str(tag.get("href") or tag.get("src")) for tag in page.find_all(["a", "link", "script", "img"])]
    ours = [url for url in urls if url.startswith(BASE)]
    stylesheets = [str(tag["href"]) for tag in page.find_all("link", rel="stylesheet")]
    assert stylesheets and all(url.startswith(BASE + "static/") for url in stylesheets)
    assert len(ours) >= 4
    leftovers = [url for url in urls if not url.startswith(("https://", "http://", "mailto:", "#"))]
    assert leftovers == [], "относительная ссылка на странице 404 сломается на вложенном адресе"


def test_other_pages_keep_relative_links(built: dict[str, Path]) -> None:
    page = soup(built["fixture"] / "pages" / "novost-1.html")
    stylesheet = page.find("link", rel="stylesheet")
    assert stylesheet is not None and str(stylesheet["href"]).startswith("../static/")
    assert not any(str(a["href"]).startswith(BASE) for a in page.find_all("a", href=True))


# --- sitemap.xml, robots.txt ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SITES)
def test_sitemap_lists_every_page_under_the_base(built: dict[str, Path], name: str) -> None:
    root = ElementTree.parse(built[name] / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    locs = [url.findtext(f"{SITEMAP}loc") or "" for url in root.findall(f"{SITEMAP}url")]
    assert len(locs) == len(root) and len(set(locs)) == len(locs)
    assert all(loc.startswith(BASE) for loc in locs)
    expected = {BASE + page_address(page) for page in output_pages(built[name]) if page != "404.html"}
    assert set(locs) == expected


def test_robots_names_the_sitemap(built: dict[str, Path]) -> None:
    robots = (built["fixture"] / "robots.txt").read_text("utf-8")
    assert re.search(r"(?m)^User-agent: \*$", robots)
    assert re.search(rf"(?m)^Sitemap: {re.escape(BASE)}sitemap\.xml$", robots)


def test_without_a_base_url_nothing_absolute_is_made_up(plain: Path) -> None:
    assert (plain / "robots.txt").is_file() and "Sitemap:" not in (plain / "robots.txt").read_text("utf-8")
    assert not (plain / "sitemap.xml").exists() and not (plain / "feed.xml").exists()
    for page in output_pages(plain):
        head = soup(plain / page).head
        assert head is not None
        assert head.find("link", rel="canonical") is None and head.find("meta", property="og:url") is None
        assert head.find("link", rel="alternate") is None
        assert head.find("meta", property="og:title") is not None
    assert crawl(plain).broken == []


# --- the Atom feed ----------------------------------------------------------------------------------------------


def feed_root(output: Path) -> ElementTree.Element:
    root = ElementTree.parse(output / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    return root


def test_feed_has_the_required_atom_elements(built: dict[str, Path]) -> None:
    root = feed_root(built["fixture"])
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), name
    assert RFC3339.match(root.findtext(f"{ATOM}updated") or "")
    assert root.find(f"{ATOM}author/{ATOM}name") is not None  # required when entries have no author
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == BASE + "feed.xml"
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        assert RFC3339.match(entry.findtext(f"{ATOM}updated") or "")
        link = entry.find(f"{ATOM}link")
        assert link is not None and (link.get("href") or "").startswith(BASE)
        assert link.get("href") == entry.findtext(f"{ATOM}id")


def test_feed_holds_the_news_and_the_roadmap_newest_first(built: dict[str, Path]) -> None:
    root = feed_root(built["fixture"])
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}id") for entry in entries] == [
        BASE + "pages/novost-2.html",
        BASE + "pages/novost-1.html",
        BASE + "roadmaps/test-2023.html",  # no approving order: dated by its year
    ]  # the ordinary page o-razdele is not news
    assert [entry.findtext(f"{ATOM}updated") for entry in entries] == [
        "2023-03-15T00:00:00Z",
        "2023-02-01T00:00:00Z",
        "2023-01-01T00:00:00Z",
    ]
    assert root.findtext(f"{ATOM}updated") == "2023-03-15T00:00:00Z"
    assert entries[1].findtext(f"{ATOM}title") == "Тестовая новость № 1: «кавычки» & <угловые скобки>"


def test_feed_content_links_resolve_against_the_entry_base(built: dict[str, Path]) -> None:
    """Relative links inside an entry's HTML resolve against its xml:base, to pages that exist."""
    output = built["fixture"]
    xml_base = "{http://www.w3.org/XML/1998/namespace}base"
    checked = 0
    for entry in feed_root(output).findall(f"{ATOM}entry"):
        base = entry.get(xml_base) or ""
        assert base == entry.findtext(f"{ATOM}id")
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
        for anchor in soup(content.text or "").find_all("a", href=True):
            url = urljoin(base, str(anchor["href"])).split("#")[0]
            if url.startswith(BASE):
                checked += 1
                assert (output / (page_address(url[len(BASE) :]) or "index.html")).is_file(), url
    assert checked >= 3


def test_pages_announce_the_feed(built: dict[str, Path]) -> None:
    for page in ("index.html", "pages/novost-1.html"):
        link = soup(built["fixture"] / page).find("link", rel="alternate", type="application/atom+xml")
        assert link is not None
        assert (built["fixture"] / page).parent.joinpath(str(link["href"])).resolve() == (
            built["fixture"] / "feed.xml"
        ).resolve()
    # No news, but a roadmap: with a base URL there is always something to announce.
    assert soup(built["content"] / "index.html").find("link", rel="alternate", type="application/atom+xml")


def test_a_news_page_needs_a_date(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "content")
    page = tmp_path / "content" / "pages" / "novost-2.md"
    text = page.read_text("utf-8").replace("date: 2023-03-15\n", "")
    page.write_text(text, "utf-8")
    line = text.splitlines().index("news: true") + 1
    code, _, err = run("check", "--content", str(tmp_path / "content"))
    assert code == EXIT_FAILURE
    assert re.search(rf"novost-2\.md:{line}:\d+: .*дата", err), err


# --- determinism, no wall clock ---------------------------------------------------------------------------------


def test_feed_sitemap_and_robots_do_not_depend_on_the_build_day(
    tmp_path: Path, built: dict[str, Path]
) -> None:
    other = build(FIXTURE, tmp_path / "other", as_of="2031-12-31")
    for name in ("feed.xml", "sitemap.xml", "robots.txt"):
        assert (other / name).read_bytes() == (built["fixture"] / name).read_bytes(), name


def test_same_content_gives_the_same_bytes(tmp_path: Path, built: dict[str, Path]) -> None:
    again = build(FIXTURE, tmp_path / "again")
    assert archive_entries(again) == archive_entries(built["fixture"])
    for name in archive_entries(again):
        assert (again / name).read_bytes() == (built["fixture"] / name).read_bytes(), name


# --- no inline code: what the Content-Security-Policy of netlify.toml relies on -----------------------------------


@pytest.mark.parametrize("name", SITES)
def test_pages_need_no_inline_scripts_or_styles(built: dict[str, Path], name: str) -> None:
    for page in output_pages(built[name]):
        tree = soup(built[name] / page)
        assert tree.find("style") is None, page
        assert tree.find(style=True) is None, page
        for script in tree.find_all("script"):
            assert script.get("src") and not script.get_text(strip=True), page
        handlers = [
            attr for tag in tree.find_all(True) for attr in tag.attrs if attr.lower().startswith("on")
        ]
        assert handlers == [], page
        javascript = [
            a["href"]
            for a in tree.find_all("a", href=True)
            if str(a["href"]).lower().startswith("javascript:")
        ]
        assert javascript == [], page
        for tag in tree.find_all(["script", "link", "img", "source", "iframe", "object", "embed"]):
            url = str(tag.get("src") or tag.get("href") or "")
            if tag.name == "link" and "stylesheet" not in (tag.get("rel") or []):
                continue
            allowed = (
                ("https://",) if tag.name == "img" else (BASE,)
            )  # CSP: img-src 'self' https:; others 'self'
            assert "://" not in url or url.startswith(allowed), f"{page}: {url}"


# --- the archive for FTP upload ---------------------------------------------------------------------------------


def test_zip_holds_exactly_the_built_files(tmp_path: Path) -> None:
    output, archive = tmp_path / "output", tmp_path / "upload" / "site.zip"
    code, out, err = run("build", "--content", str(FIXTURE), "--output", str(output), "--as-of", AS_OF,
                         "--base-url", BASE, "--zip", str(archive))  # fmt: skip
    assert code == 0, err
    assert str(archive) in out
    files = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.testzip() is None
        names = zipped.namelist()
        assert names == sorted(names) == [name for name in files if name != MARKER]
        assert {"index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml"} <= set(names)
        for info in zipped.infolist():
            assert zipped.read(info) == (output / info.filename).read_bytes(), info.filename
            assert info.date_time == ZIP_TIMESTAMP


def test_zip_bytes_do_not_depend_on_file_times(tmp_path: Path, built: dict[str, Path]) -> None:
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    write_archive(built["fixture"], first)
    copy = tmp_path / "copy"
    shutil.copytree(built["fixture"], copy)
    for path in copy.rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
    write_archive(copy, second)
    assert first.read_bytes() == second.read_bytes()
    write_archive(copy, second)  # an existing archive is replaced
    assert first.read_bytes() == second.read_bytes()


def test_zip_is_refused_inside_the_output(tmp_path: Path) -> None:
    output = tmp_path / "output"
    code, _, err = run(
        "build", "--content", str(FIXTURE), "--output", str(output), "--zip", str(output / "site.zip")
    )
    assert code == EXIT_USAGE and "папку результата" in err
    assert not output.exists()


def test_zip_never_overwrites_a_file_that_is_not_an_archive(tmp_path: Path) -> None:
    precious = tmp_path / "отчёт.docx"
    precious.write_bytes(b"not a zip")
    code, _, err = run(
        "build", "--content", str(FIXTURE), "--output", str(tmp_path / "out"), "--zip", str(precious)
    )
    assert code == EXIT_USAGE and "не zip-архив" in err
    assert precious.read_bytes() == b"not a zip"


def test_the_archive_is_written_before_another_build_may_replace_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import site_builder.build.site as site

    output, archive = tmp_path / "output", tmp_path / "site.zip"
    real = site.write_archive
    refused: list[str] = []

    def meanwhile_another_build(folder: Path, target: Path) -> int:
        with pytest.raises(OutputRefused) as error:
            site.build_site(FIXTURE, output, dt.date.fromisoformat(AS_OF), cache=None)
        refused.append(str(error.value))
        return real(folder, target)

    monkeypatch.setattr(site, "write_archive", meanwhile_another_build)
    code, out, _ = run("build", "--content", str(FIXTURE), "--output", str(output), "--zip", str(archive))
    assert code == 0 and refused and f"Архив для загрузки: {archive}" in out
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(zipped.namelist()) == archive_entries(output)
