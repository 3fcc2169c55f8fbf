"""Incremental rebuilds: only the pages a change touches are rendered, and the result is a full build's bytes."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import site_builder.model.site as site_model
import site_builder.render.status as status
from site_builder.build.caches import FileCache, TemplateIndex
from site_builder.build.incremental import IncrementalBuilder
from site_builder.build.pageprints import PagePrints, Print
from site_builder.build.site import build_site
from site_builder.build.write import MARKER
from site_builder.core.errors import ContentError
from site_builder.model.site import ReportEntry, RoadmapEntry
from site_builder.render.pages import TEMPLATES_DIR
from site_builder.render.status import StatusTable
from tests.helpers.sites import REPO

AS_OF = dt.date(2022, 12, 1)
SHAKHTY_ROADMAP = "roadmaps/shakhty-2022.yaml"
SHAKHTY_REPORT = "reports/shakhty-2022-2.yaml"
KALININGRAD_ROADMAP = "roadmaps/kaliningrad-2023.yaml"
ROADMAP_PAGE = "roadmaps/shakhty-2022.html"
REPORT_PAGE = "reports/shakhty-2022-2.html"
ROADMAP_STEM, REPORT_STEM = ROADMAP_PAGE.removesuffix(".html"), REPORT_PAGE.removesuffix(".html")


def html(names: list[str]) -> list[str]:
    """The pages among `names`: a CMS fragment (…-fragment.html) does not use the page templates."""
    return [name for name in names if name.endswith(".html") and not name.endswith("-fragment.html")]


def stem(name: str) -> str:
    """The page a file belongs to: roadmaps/x for roadmaps/x.html, its fragment, its PDFs and spreadsheets."""
    return name.split(".", 1)[0].removesuffix("-fragment")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a built site by its relative path; the marker of a real build is bookkeeping, not site."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MARKER
    }


def full_build(content: Path, scratch: Path, templates: Path = TEMPLATES_DIR) -> dict[str, bytes]:
    """What a build from scratch gives: `site-builder build` itself with the shipped templates."""
    output = scratch / f"full-{len(list(scratch.iterdir()))}"
    if templates == TEMPLATES_DIR:
        build_site(content, output, AS_OF)
    else:  # build_site always uses the shipped templates; a fresh builder renders every page from scratch
        output.mkdir()
        IncrementalBuilder(content, output, AS_OF, templates).build()
    return tree(output)


def edit(path: Path, change: Callable[[str], str]) -> None:
    """An editor's atomic save: a temporary file beside the original renamed over it."""
    temporary = path.with_name(f".{path.name}.swp-save")
    temporary.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    folder = tmp_path / "scratch"
    folder.mkdir()
    return folder


@pytest.fixture
def shakhty(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(REPO / "examples" / "shakhty", content)
    return content


@pytest.fixture
def preview_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "preview"
    folder.mkdir()
    return folder


def with_base_url(content: Path) -> Path:
    edit(content / "site.yaml", lambda text: text + "base_url: https://example.org/500plus/\n")
    return content


@pytest.mark.parametrize("example", ["content", "examples/shakhty", "examples/kaliningrad"])
def test_first_build_is_byte_identical_to_a_full_build(example: str, tmp_path: Path, scratch: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / example, content)
    output = tmp_path / "preview"
    output.mkdir()
    report = IncrementalBuilder(content, output, AS_OF).build()
    assert tree(output) == full_build(content, scratch)
    assert report.pages == len(html(list(tree(output))))


def test_preview_serves_what_build_publishes_with_link_and_monitoring_results(
    tmp_path: Path, scratch: Path
) -> None:
    """The same pipeline: the link checker's marks and page, a base URL from the command line, the note."""
    from site_builder.build.pipeline import Sources
    from site_builder.content.records.monitoring import write_results
    from tests.helpers.samples import results, results_file

    content = tmp_path / "content"
    shutil.copytree(REPO / "examples" / "shakhty", content)
    write_results(
        content,
        results(dt.date(2022, 11, 1), {"mbou-sosh-7-shakhty": "++-+-", "mbou-sosh-8-shakhty": "+++++"}),
    )
    links = results_file(tmp_path)
    base = "https://example.org/obr/500/"
    output = tmp_path / "preview"
    output.mkdir()
    IncrementalBuilder(Sources(content, base, links), output, AS_OF).build()
    published = scratch / "full"
    build_site(content, published, AS_OF, base, links)
    preview, full = tree(output), tree(published)
    assert {"links.html", "monitoring.html", "sitemap.xml"} <= set(full)
    assert preview == full


def test_nothing_changed_renders_nothing(shakhty: Path, preview_dir: Path) -> None:
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    builder.build()
    again = builder.build()
    assert (again.rendered, again.written, again.removed) == ([], [], [])
    assert not again.changed


def test_roadmap_edit_renders_its_page_and_the_pages_listing_or_reading_it(
    shakhty: Path, preview_dir: Path, scratch: Path
) -> None:
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    builder.build()
    edit(
        shakhty / SHAKHTY_ROADMAP,
        lambda text: text.replace("Подготовка отчетов кураторов", "ПРАВКА отчетов", 1),
    )
    report = builder.build()
    # The report shows the roadmap's activities and the index summarises every roadmap; nothing else reads it.
    assert sorted(html(report.rendered)) == sorted(["index.html", ROADMAP_PAGE, REPORT_PAGE])
    # Their fragments and downloads (documents, tables, calendars) read the same files.
    assert {stem(name) for name in report.rendered} == {"index", ROADMAP_STEM, REPORT_STEM}
    assert {f"{ROADMAP_STEM}-fragment.html", f"{REPORT_STEM}.pdf"} <= set(report.rendered)
    assert ROADMAP_PAGE in report.written
    assert "ПРАВКА отчетов" in (preview_dir / ROADMAP_PAGE).read_text(encoding="utf-8")
    assert tree(preview_dir) == full_build(shakhty, scratch)


def test_an_edit_recomputes_the_statuses_of_the_files_it_touched_alone(
    shakhty: Path, preview_dir: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(REPO / "examples" / "kaliningrad" / KALININGRAD_ROADMAP, shakhty / KALININGRAD_ROADMAP)
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    first = builder.build(downloads=False).site
    computed: list[str] = []
    roadmap_status, report_status = status.roadmap_status, status.report_status

    def counted_roadmap(
        entry: RoadmapEntry, reports: list[ReportEntry], as_of: dt.date, strict: bool = False
    ) -> StatusTable:
        computed.append(entry.url)
        return roadmap_status(entry, reports, as_of, strict)

    def counted_report(entry: ReportEntry, as_of: dt.date) -> StatusTable:
        computed.append(entry.url)
        return report_status(entry, as_of)

    monkeypatch.setattr(status, "roadmap_status", counted_roadmap)
    monkeypatch.setattr(status, "report_status", counted_report)
    edit(shakhty / KALININGRAD_ROADMAP, lambda text: text.replace("Описание действия", "ПРАВКА действия", 1))
    second = builder.build(downloads=False)
    assert computed == ["roadmaps/kaliningrad-2023.html"]
    assert sorted(html(second.rendered)) == ["index.html", "roadmaps/kaliningrad-2023.html"]
    # Unchanged files keep their entries, so what was computed from them is kept too.
    assert second.site.roadmaps[1] is first.roadmaps[1] and second.site.reports[0] is first.reports[0]
    assert second.site.roadmaps[0] is not first.roadmaps[0]

    computed.clear()
    edit(shakhty / SHAKHTY_REPORT, lambda text: text.replace("(второй этап)", "(ПРАВКА этапа)", 1))
    third = builder.build()
    # The report's own table and its roadmap's: the report gives the roadmap's statuses.
    assert sorted(set(computed)) == [REPORT_PAGE, ROADMAP_PAGE]
    assert third.site.roadmaps[0] is second.site.roadmaps[0]
    assert tree(preview_dir) == full_build(shakhty, scratch)


def _count_status_lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages whose entries' status tables are asked for, by the landing page's progress or by their pages."""
    looked_up: list[str] = []
    roadmap, report = status.SiteStatus.roadmap, status.SiteStatus.report

    def counted_roadmap(self: status.SiteStatus, entry: RoadmapEntry) -> StatusTable:
        looked_up.append(entry.url)
        return roadmap(self, entry)

    def counted_report(self: status.SiteStatus, entry: ReportEntry) -> StatusTable:
        looked_up.append(entry.url)
        return report(self, entry)

    monkeypatch.setattr(status.SiteStatus, "roadmap", counted_roadmap)
    monkeypatch.setattr(status.SiteStatus, "report", counted_report)
    return looked_up


def test_the_landing_page_looks_up_the_progress_of_the_saved_entries_alone(
    shakhty: Path, preview_dir: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(REPO / "examples" / "kaliningrad" / KALININGRAD_ROADMAP, shakhty / KALININGRAD_ROADMAP)
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    builder.build(downloads=False)
    looked_up = _count_status_lookups(monkeypatch)
    edit(shakhty / KALININGRAD_ROADMAP, lambda text: text.replace("Описание действия", "ПРАВКА действия", 1))
    builder.build(downloads=False)
    assert set(looked_up) == {"roadmaps/kaliningrad-2023.html"}
    looked_up.clear()
    edit(shakhty / SHAKHTY_REPORT, lambda text: text.replace("(второй этап)", "(ПРАВКА этапа)", 1))
    builder.build(downloads=False)
    assert set(looked_up) == {REPORT_PAGE, ROADMAP_PAGE}  # the report and the roadmap it is on
    builder.build()  # with the downloads, to be compared with a full build
    assert tree(preview_dir) == full_build(shakhty, scratch)


def test_a_save_looks_again_only_at_the_pages_it_may_have_changed(
    shakhty: Path, preview_dir: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(3):
        shutil.copy(shakhty / SHAKHTY_ROADMAP, shakhty / "roadmaps" / f"shakhty-copy-{number}.yaml")
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    builder.build(downloads=False)
    looked_at: list[str] = []
    print_page = PagePrints._print

    def counted(*args: Any) -> Print:
        looked_at.append(args[2].output)
        return print_page(*args)

    monkeypatch.setattr(PagePrints, "_print", staticmethod(counted))
    roadmap = shakhty / SHAKHTY_ROADMAP
    edit(roadmap, mark_roadmap)
    builder.build(downloads=False, changed={roadmap})
    assert {ROADMAP_PAGE, f"{ROADMAP_STEM}-fragment.html", REPORT_PAGE, "index.html"} <= set(looked_at)
    assert not [output for output in looked_at if "shakhty-copy" in output]  # unchanged roadmaps' pages
    looked_at.clear()
    site_yaml = shakhty / "site.yaml"
    edit(site_yaml, lambda text: text.replace("territory: г. Шахты", "territory: г. ПРАВКА", 1))
    builder.build(changed={site_yaml})  # every page reads it
    assert "roadmaps/shakhty-copy-0.html" in looked_at
    assert tree(preview_dir) == full_build(shakhty, scratch)


def test_a_save_reads_again_the_saved_file_and_the_reports_on_a_saved_roadmap_alone(
    shakhty: Path, preview_dir: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(REPO / "examples" / "kaliningrad" / KALININGRAD_ROADMAP, shakhty / KALININGRAD_ROADMAP)
    without_pdfs(shakhty)
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    first = builder.build(downloads=False).site
    read: list[str] = []
    read_file = site_model._Collector.read

    def counted(self: site_model._Collector, path: Path, model: Any) -> Any:
        if path.parent.name in ("roadmaps", "reports"):
            read.append(path.relative_to(shakhty).as_posix())
        return read_file(self, path, model)

    monkeypatch.setattr(site_model._Collector, "read", counted)
    edit(shakhty / KALININGRAD_ROADMAP, lambda text: text.replace("Описание действия", "ПРАВКА действия", 1))
    second = builder.build(downloads=False, changed={shakhty / KALININGRAD_ROADMAP}).site
    assert read == [KALININGRAD_ROADMAP]
    assert second.reports[0] is first.reports[0] and second.sources == first.sources
    read.clear()
    edit(shakhty / SHAKHTY_ROADMAP, mark_roadmap)
    third = builder.build(changed={shakhty / SHAKHTY_ROADMAP}).site
    assert sorted(read) == sorted([SHAKHTY_ROADMAP, SHAKHTY_REPORT])  # the report is on the saved roadmap
    [saved] = [entry for entry in third.roadmaps if entry.url == ROADMAP_PAGE]
    assert third.reports[0].roadmap is saved and saved not in second.roadmaps
    assert tree(preview_dir) == full_build(shakhty, scratch)


def test_a_roadmap_saved_broken_then_fixed_gives_its_error_then_a_full_builds_bytes(
    shakhty: Path, preview_dir: Path, scratch: Path
) -> None:
    builder = built_without_pdfs(shakhty, preview_dir)
    roadmap = shakhty / SHAKHTY_ROADMAP
    good = roadmap.read_text(encoding="utf-8")
    edit(roadmap, lambda text: text.replace("title:", "title: [", 1))
    with pytest.raises(ContentError) as raised:
        builder.build(changed={roadmap})
    assert [Path(problem.path).name for problem in raised.value.problems] == [roadmap.name]
    edit(roadmap, lambda _: mark_roadmap(good))
    builder.build(changed={roadmap})
    assert tree(preview_dir) == full_build(shakhty, scratch)


def test_title_change_renders_every_page_with_navigation(
    shakhty: Path, preview_dir: Path, scratch: Path
) -> None:
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    first = builder.build()
    edit(
        shakhty / SHAKHTY_ROADMAP,
        lambda text: text.replace("title: Муниципальная", "title: ПРАВКА Муниципальная", 1),
    )
    report = builder.build()
    assert sorted(html(report.rendered)) == sorted(html(first.rendered))
    assert "robots.txt" not in report.rendered
    assert tree(preview_dir) == full_build(shakhty, scratch)


def test_site_with_base_url_keeps_sitemap_and_feed_in_step(
    shakhty: Path, preview_dir: Path, scratch: Path
) -> None:
    with_base_url(shakhty)
    pages = shakhty / "pages"
    pages.mkdir()
    (pages / "novost.md").write_text(
        "---\ntitle: Синтетическая новость\ndate: 2022-11-01\nnews: true\n---\nТекст.\n"
    )
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    builder.build()
    assert tree(preview_dir) == full_build(shakhty, scratch)
    edit(
        pages / "novost.md",
        lambda text: text.replace("Синтетическая новость", "Другая синтетическая новость"),
    )
    report = builder.build()
    assert "pages/novost.html" in report.rendered
    assert tree(preview_dir) == full_build(shakhty, scratch)


MARK = "<!-- ПРАВКА ШАБЛОНА -->"


def mark_after(text: str, anchor: str) -> str:
    """MARK at the start of the line after the one holding `anchor` (inside a block or a macro body)."""
    start = text.index(anchor)
    end = text.index("\n", start) + 1
    return text[:end] + MARK + text[end:]


@pytest.mark.parametrize(
    ("template", "anchor", "expected", "showing"),
    [
        ("report.html", "{% block content %}", {REPORT_PAGE}, {REPORT_PAGE}),
        # Both pages import the macros; only the report's evidence cells call the one edited here.
        ("_macros.html", "{% macro links(", {ROADMAP_PAGE, REPORT_PAGE}, {REPORT_PAGE}),
        ("404.html", "{% block content %}", {"404.html"}, {"404.html"}),
    ],
)
def test_template_change_renders_the_pages_using_it(
    template: str,
    anchor: str,
    expected: set[str],
    showing: set[str],
    shakhty: Path,
    tmp_path: Path,
    preview_dir: Path,
    scratch: Path,
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF, templates)
    builder.build()
    edit(templates / template, lambda text: mark_after(text, anchor))
    report = builder.build()
    assert set(report.rendered) == expected  # downloads use no template
    assert {name for name in expected if MARK in (preview_dir / name).read_text(encoding="utf-8")} == showing
    assert tree(preview_dir) == full_build(shakhty, scratch, templates)


def test_base_template_change_renders_every_page(
    shakhty: Path, tmp_path: Path, preview_dir: Path, scratch: Path
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF, templates)
    first = builder.build()
    edit(templates / "base.html", lambda text: text.replace("</main>", "<!-- ПРАВКА -->\n</main>", 1))
    report = builder.build()
    assert set(report.rendered) == set(html(first.rendered))
    assert tree(preview_dir) == full_build(shakhty, scratch, templates)


def test_static_file_change_replaces_the_hashed_asset(
    shakhty: Path, tmp_path: Path, preview_dir: Path, scratch: Path
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF, templates)
    builder.build()
    before = {name for name in tree(preview_dir) if name.startswith("static/style.")}
    edit(templates / "static" / "style.css", lambda text: text + "\n/* правка */\n")
    report = builder.build()
    assert set(report.removed) >= before
    assert tree(preview_dir) == full_build(shakhty, scratch, templates)


def test_files_added_renamed_and_deleted(shakhty: Path, preview_dir: Path, scratch: Path) -> None:
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    builder.build()
    pages = shakhty / "pages"
    pages.mkdir()
    (pages / "about.md").write_text("---\ntitle: Синтетическая страница\n---\nТекст.\n", encoding="utf-8")
    builder.build()
    assert (preview_dir / "pages" / "about.html").is_file()
    assert tree(preview_dir) == full_build(shakhty, scratch)

    os.replace(pages / "about.md", pages / "renamed.md")
    report = builder.build()
    assert report.removed == ["pages/about.html"]
    assert tree(preview_dir) == full_build(shakhty, scratch)

    (pages / "renamed.md").unlink()
    (shakhty / "reports" / "shakhty-2022-2.yaml").unlink()
    report = builder.build()
    assert sorted(html(report.removed)) == ["pages/renamed.html", REPORT_PAGE]
    assert f"{REPORT_STEM}.csv" in report.removed
    assert not (preview_dir / "pages").exists()
    assert tree(preview_dir) == full_build(shakhty, scratch)


def test_broken_content_keeps_the_last_good_build(shakhty: Path, preview_dir: Path, scratch: Path) -> None:
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    builder.build()
    good = tree(preview_dir)
    original = (shakhty / SHAKHTY_ROADMAP).read_text(encoding="utf-8")
    edit(shakhty / SHAKHTY_ROADMAP, lambda text: text.replace("year: 2022", "year: [", 1))
    with pytest.raises(ContentError) as raised:
        builder.build()
    assert any(p.path.endswith("shakhty-2022.yaml") and p.line > 1 for p in raised.value.problems)
    assert tree(preview_dir) == good
    edit(shakhty / SHAKHTY_ROADMAP, lambda text: original.replace("Подготовка отчетов", "ПРАВКА", 1))
    builder.build()
    assert tree(preview_dir) == full_build(shakhty, scratch)


def test_template_error_is_reported_at_its_line_and_writes_nothing(
    shakhty: Path, tmp_path: Path, preview_dir: Path
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF, templates)
    builder.build()
    good = tree(preview_dir)
    edit(templates / "report.html", lambda text: text + "{% if %}\n")
    with pytest.raises(ContentError) as raised:
        builder.build()
    [problem] = raised.value.problems
    assert problem.path.endswith("report.html")
    assert problem.line == (templates / "report.html").read_text(encoding="utf-8").count("\n")
    assert problem.message.startswith("ошибка в шаблоне")
    edit(
        templates / "report.html",
        lambda text: text.replace("{% if %}\n", "").replace(
            "{% block content %}", "{% block content %}{{ no_such_value }}", 1
        ),
    )
    with pytest.raises(ContentError) as raised:
        builder.build()
    assert raised.value.problems[0].path.endswith("report.html")
    assert "no_such_value" in raised.value.problems[0].message
    assert tree(preview_dir) == good


def test_template_index_follows_extends_and_imports() -> None:
    index = TemplateIndex(TEMPLATES_DIR, TemplateIndex.scan(TEMPLATES_DIR))
    assert {"roadmap.html", "base.html", "_macros.html"} <= index.closure("roadmap.html")
    assert "report.html" not in index.closure("roadmap.html")
    assert "navigation" in index.reads("404.html")  # through base.html
    assert "site" in index.reads("index.html")


def test_file_cache_reuses_work_until_the_bytes_change(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("title: один\n", encoding="utf-8")
    cache = FileCache()
    calls: list[str] = []

    def read() -> str:
        calls.append("read")
        return path.read_text(encoding="utf-8")

    cache.begin()
    assert cache(path, "doc", read) == "title: один\n"
    first = cache.token(path)
    cache.begin()
    assert cache(path, "doc", read) == "title: один\n"
    assert calls == ["read"]
    # Same size and the same modification time: only the bytes tell the change (a coarse clock, a quick save).
    stamp = path.stat()
    path.write_text("title: два!\n", encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    cache.begin()
    assert cache(path, "doc", read) == "title: два!\n"
    assert cache.token(path) != first
    path.unlink()
    cache.begin()
    assert cache.token(path) == "missing"


def test_downloads_left_for_later_are_made_on_request_or_by_the_next_build(
    shakhty: Path, preview_dir: Path, scratch: Path
) -> None:
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    told: list[list[str]] = []
    report = builder.build(on_pages=lambda pages: told.append(list(pages.written)), downloads=False)
    downloads = (".csv", ".xlsx", ".ics", ".json")
    assert told and ROADMAP_PAGE in told[0]
    assert not any(name.endswith(downloads) for name in [*told[0], *tree(preview_dir)])
    assert report.written == told[0]
    assert builder.produce(f"{ROADMAP_STEM}.csv")
    assert not builder.produce(f"{ROADMAP_STEM}.csv")  # made once
    assert not builder.produce("roadmaps/no-such-roadmap.csv")
    full = full_build(shakhty, scratch)
    assert (preview_dir / f"{ROADMAP_STEM}.csv").read_bytes() == full[f"{ROADMAP_STEM}.csv"]
    later = builder.build()
    assert f"{REPORT_STEM}.csv" in later.written and f"{ROADMAP_STEM}.csv" not in later.rendered
    assert not html(later.rendered)
    assert tree(preview_dir) == full


def mark_roadmap(text: str) -> str:
    return text.replace("Подготовка отчетов кураторов", "ПРАВКА отчетов", 1)


def test_a_download_made_before_a_save_is_made_again_from_the_saved_content(
    shakhty: Path, preview_dir: Path, scratch: Path
) -> None:
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    builder.build(downloads=False)
    spreadsheet = f"{ROADMAP_STEM}.csv"
    assert builder.produce(spreadsheet)
    edit(shakhty / SHAKHTY_ROADMAP, mark_roadmap)
    builder.build(downloads=False)
    # The server hands out any file there is: never the one made before the save.
    assert not (preview_dir / spreadsheet).exists()
    assert builder.produce(spreadsheet)
    assert (preview_dir / spreadsheet).read_bytes() == full_build(shakhty, scratch)[spreadsheet]


def test_downloads_after_a_failed_build_are_the_last_good_build_ones(
    shakhty: Path, preview_dir: Path, scratch: Path
) -> None:
    good = full_build(shakhty, scratch)
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF)
    builder.build(downloads=False)
    edit(shakhty / SHAKHTY_ROADMAP, mark_roadmap)
    edit(shakhty / SHAKHTY_REPORT, lambda text: text + "unknown_field: 1\n")
    with pytest.raises(ContentError):
        builder.build(downloads=False)
    assert builder.produce(f"{ROADMAP_STEM}.csv")
    assert (preview_dir / f"{ROADMAP_STEM}.csv").read_bytes() == good[f"{ROADMAP_STEM}.csv"]
    edit(shakhty / SHAKHTY_REPORT, lambda text: text.replace("unknown_field: 1\n", ""))
    builder.build()
    assert tree(preview_dir) == full_build(shakhty, scratch)


def without_pdfs(content: Path) -> Path:
    """The site's own setting: a build without PDF documents, so full builds to compare with take a moment."""
    edit(content / "site.yaml", lambda text: text + "downloads:\n  pdf: false\n")
    return content


def built_without_pdfs(content: Path, output: Path) -> IncrementalBuilder:
    """A builder of `content` with the PDFs turned off (the slow part of a build), after its first build."""
    without_pdfs(content)
    builder = IncrementalBuilder(content, output, AS_OF)
    builder.build()
    return builder


def test_saves_named_by_the_watcher_give_a_full_builds_bytes(
    shakhty: Path, tmp_path: Path, preview_dir: Path, scratch: Path
) -> None:
    """Each build is told only the files the save touched, as the preview's watcher tells it (the fast path)."""
    without_pdfs(shakhty)
    copy = shakhty / "roadmaps" / "shakhty-copy.yaml"
    copy.write_text(
        (shakhty / SHAKHTY_ROADMAP).read_text(encoding="utf-8").replace("title: ", "title: КОПИЯ ", 1),
        encoding="utf-8",
    )
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF, templates)
    builder.build()
    roadmap, report, pages = shakhty / SHAKHTY_ROADMAP, shakhty / SHAKHTY_REPORT, shakhty / "pages"

    def saved(*paths: Path) -> None:
        builder.build(changed=set(paths))
        assert tree(preview_dir) == full_build(shakhty, scratch)

    edit(roadmap, mark_roadmap)
    saved(roadmap)
    assert "ПРАВКА отчетов" in (preview_dir / ROADMAP_PAGE).read_text(encoding="utf-8")
    edit(report, lambda text: text.replace("roadmap: shakhty-2022", "roadmap: shakhty-copy", 1))
    saved(report)  # the report moves to the other roadmap: both roadmaps' pages change
    pages.mkdir()
    (pages / "about.md").write_text("---\ntitle: Синтетическая страница\n---\nТекст.\n", encoding="utf-8")
    saved(pages, pages / "about.md")
    os.replace(pages / "about.md", pages / "renamed.md")
    saved(pages / "about.md", pages / "renamed.md")
    copy.unlink()  # the report now names a roadmap there is not: an error, then its fix
    with pytest.raises(ContentError):
        builder.build(changed={copy})
    edit(report, lambda text: text.replace("roadmap: shakhty-copy", "roadmap: shakhty-2022", 1))
    saved(report)
    edit(shakhty / "site.yaml", lambda text: text.replace("territory: г. Шахты", "territory: г. ПРАВКА", 1))
    saved(shakhty / "site.yaml")
    edit(shakhty / "schools.yaml", lambda text: text.replace("Немирова Е.Ю.", "ПРАВКА Е.Ю.", 1))
    saved(shakhty / "schools.yaml")
    (pages / "renamed.md").unlink()
    saved(pages / "renamed.md")
    edit(templates / "report.html", lambda text: mark_after(text, "{% block content %}"))
    builder.build(changed={templates / "report.html"})
    assert MARK in (preview_dir / REPORT_PAGE).read_text(encoding="utf-8")
    assert tree(preview_dir) == full_build(shakhty, scratch, templates)


def test_a_save_after_a_failed_render_renders_what_the_failed_build_did_not_publish(
    shakhty: Path, tmp_path: Path, preview_dir: Path, scratch: Path
) -> None:
    """The failed build read the saved roadmap and worked out its pages' fingerprints: the next build, told
    only of the template, must still publish the roadmap's pages."""
    without_pdfs(shakhty)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    builder = IncrementalBuilder(shakhty, preview_dir, AS_OF, templates)
    builder.build()
    roadmap, report = shakhty / SHAKHTY_ROADMAP, templates / "report.html"
    edit(roadmap, mark_roadmap)
    edit(
        report, lambda text: text.replace("{% block content %}", "{% block content %}{{ no_such_value }}", 1)
    )
    with pytest.raises(ContentError):
        builder.build(changed={roadmap, report})
    shutil.copy(TEMPLATES_DIR / "report.html", report)
    builder.build(changed={report})
    assert "ПРАВКА отчетов" in (preview_dir / ROADMAP_PAGE).read_text(encoding="utf-8")
    assert tree(preview_dir) == full_build(shakhty, scratch, templates)


def test_a_change_the_watcher_left_out_is_trusted_until_missed_finds_it(
    shakhty: Path, preview_dir: Path, scratch: Path
) -> None:
    builder = built_without_pdfs(shakhty, preview_dir)
    assert builder.missed() == set()  # files read a moment ago are compared by their bytes, not their times
    edit(shakhty / SHAKHTY_ROADMAP, mark_roadmap)
    edit(shakhty / SHAKHTY_REPORT, lambda text: text.replace("(второй этап)", "(ПРАВКА этапа)", 1))
    builder.build(changed={shakhty / SHAKHTY_REPORT})  # the watcher told of one of the two saves
    assert "ПРАВКА этапа" in (preview_dir / REPORT_PAGE).read_text(encoding="utf-8")
    # The file not named was not even looked at: its page is the one before the save.
    assert "ПРАВКА отчетов" not in (preview_dir / ROADMAP_PAGE).read_text(encoding="utf-8")
    assert builder.missed() == {shakhty / SHAKHTY_ROADMAP}
    builder.build(changed=builder.missed())
    assert "ПРАВКА отчетов" in (preview_dir / ROADMAP_PAGE).read_text(encoding="utf-8")
    assert tree(preview_dir) == full_build(shakhty, scratch)

    shutil.copy(shakhty / SHAKHTY_ROADMAP, shakhty / "roadmaps" / "added.yaml")  # and no event at all
    assert builder.missed() == {shakhty / "roadmaps"}
    builder.build(changed=builder.missed())
    assert (preview_dir / "roadmaps" / "added.html").is_file()
    assert tree(preview_dir) == full_build(shakhty, scratch)
    assert builder.missed() == set()
