"""Collection from LinkRefs and from a built site, the content lint, and shards."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_builder.checks.links.collect import collect_refs, collect_site, near_duplicates
from site_builder.checks.links.guard import StaticResolver
from site_builder.checks.links.run import Shard, run_check
from site_builder.content.links import LinkRef
from site_builder.content.settings.link_check import LinkStatus
from site_builder.core.addresses import FRAGMENT_SUFFIX
from tests.helpers.links import fast_config
from tests.helpers.sites import REPO
from tests.helpers.web import WebServer, page

FIXTURES = REPO / "tests" / "fixtures" / "linkcheck"


def ref(url: str, line: int = 1, item: str = "1.1.", kind: str = "evidence", title: str = "") -> LinkRef:
    return LinkRef(url, "content/reports/r.yaml", line, 9, kind, title, "Отчёт", "reports/r", item)  # type: ignore[arg-type]


def test_evidence_without_url_is_reported_with_its_place() -> None:
    collection = collect_refs([ref("", 12, "1.2.", title="Отчет куратора"), ref("https://example.org/a", 14)])
    [problem] = collection.problems
    assert (problem.path, problem.line, problem.warning) == ("content/reports/r.yaml", 12, True)
    assert (
        "1.2." in problem.message and "Отчет куратора" in problem.message and "без ссылки" in problem.message
    )
    assert [r.url for r in collection.refs] == ["https://example.org/a"]


def test_near_duplicates_flag_typos_in_ids_not_neighbouring_pages() -> None:
    refs = [
        ref("https://drive.google.com/file/d/1ECCjC-e3QbNLJePKfXZgP5CXgkuH7aWq/view?usp=sharing", 10, "3.8"),
        ref("https://drive.google.com/file/d/1ECCjC-e3QbNLiePKfXZgP5CXgkuH7aWq/view?usp=sharing", 20, "3.14"),
        ref("http://shakhty-edu.example.org/taxonomy/term/147", 30),
        ref("http://shakhty-edu.example.org/taxonomy/term/148", 31),
        ref("https://example.org/news/", 40),
        ref("https://example.org/new/", 41),
        ref("https://disk.yandex.ru/i/Blmt1s8clBuahg", 50),
        ref("https://disk.yandex.ru/i/Blmt1s8clBuahg", 51),
    ]
    [problem] = near_duplicates(refs)
    assert problem.line == 20 and "3.14" in problem.message and "3.8" in problem.message
    assert "NLJeP" in problem.message and "NLieP" in problem.message


def test_relative_links_of_pages_are_left_to_the_site_check() -> None:
    collection = collect_refs([ref("../roadmaps/plan.html", kind="page"), ref("#top", kind="page")])
    assert collection.refs == []
    assert {result.status for _, result in collection.decided} == {LinkStatus.SKIPPED}


def test_site_internal_links_resolve_to_files_and_ids(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    collection = collect_site(site, "https://example.org/obr/500/")
    internal = {(r.path.rsplit("/", 1)[-1], r.line, r.url): res.status for r, res in collection.decided}
    broken = {key for key, status in internal.items() if status is LinkStatus.BROKEN}
    assert {url for _, _, url in broken} == {
        "reports/missing.html",
        "reports/shakhty.html#no-such-item",
        "/obr/500/img/absent.png",
        "https://example.org/obr/500/reports/gone.html",
    }
    ok = {url for (_, _, url), status in internal.items() if status is LinkStatus.OK}
    assert {"reports/shakhty.html#item-1-2", "#top", "/obr/500/css/site.css", "img/logo.svg", "./"} <= ok
    assert sorted(r.url for r in collection.refs) == [
        "https://disk.yandex.ru/i/SyntheticPublic01",
        "mailto:info@example.org",
    ]
    line_of = {r.url: r.line for r, _ in collection.decided}
    assert line_of["reports/missing.html"] == 12


def test_shards_split_distinct_urls_without_overlap(web: WebServer) -> None:
    for n in range(40):
        web.route(f"/doc/{n}", page(f"Документ {n}"))
    refs = [ref(f"http://example.org/doc/{n}", n + 1) for n in range(40)]
    refs.append(ref("", 99))
    resolver = StaticResolver({"example.org": web.address})
    parts = [
        run_check(collect_refs(refs), fast_config(), shard=Shard(k, 3), resolver=resolver) for k in (1, 2, 3)
    ]
    keys = [set(part.results) for part in parts]
    assert set.union(*keys) == {f"http://example.org/doc/{n}" for n in range(40)}
    assert sum(len(k) for k in keys) == 40 and all(keys)
    assert [len(part.problems) for part in parts] == [1, 0, 0], "content lint is reported once, by shard 1"
    again = run_check(collect_refs(refs), fast_config(), shard=Shard(2, 3), resolver=resolver)
    assert set(again.results) == keys[1]
    assert len(web.checked()) == 40 + len(keys[1])
    assert len(web.probes()) == 4, "one placeholder probe per host and path shape in each of the 4 runs"


def test_shard_parse() -> None:
    assert Shard.parse("2/4") == Shard(2, 4)
    for text in ("0/4", "5/4", "a/b", "3"):
        try:
            Shard.parse(text)
        except ValueError as error:
            assert "--shard" in str(error)
        else:
            raise AssertionError(text)


def test_a_built_site_is_read_without_its_cms_fragments(built_site: Path) -> None:
    fragments = sorted(built_site.rglob(f"*{FRAGMENT_SUFFIX}"))
    assert fragments  # the build made them, beside their pages
    collection = collect_site(built_site)
    read = {r.owner_slug for r in collection.refs} | {r.owner_slug for r, _ in collection.decided}
    assert not any(path.endswith(FRAGMENT_SUFFIX) for path in read)
    page = fragments[0].with_name(fragments[0].name.replace(FRAGMENT_SUFFIX, ".html"))
    assert page.relative_to(built_site).as_posix() in read  # its page is read, with the same links
    assert len(collection.refs) == len({(r.url, r.path, r.line, r.col) for r in collection.refs})
