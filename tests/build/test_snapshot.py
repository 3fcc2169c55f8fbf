"""A build whose inputs are all unchanged is copied whole from the cache (build/snapshot.py), and only then."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import site_builder.build.site as build
from bench.corpus import AS_OF, generate, write_site_builder
from site_builder.build.keys import cache_folder
from site_builder.build.site import build_site
from site_builder.build.snapshot import HASHES, SNAPSHOT, Snapshot, recall, remember
from tests.helpers.builds import digest, set_first_deadline
from tests.helpers.sites import REPO

AS_OF_DATE = dt.date.fromisoformat(AS_OF)
pytestmark = pytest.mark.usefixtures("small_thresholds")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site_builder(generate(6), tmp_path / "content")


@pytest.fixture
def full_builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The output folders of the builds that loaded and rendered the site (the others were restored)."""
    made: list[Path] = []
    make = build._make

    def counted(content: Path, output: Path, *rest: object) -> object:
        made.append(output)
        return make(content, output, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "_make", counted)
    return made


def test_an_unchanged_site_is_restored_with_the_same_bytes_and_warnings(
    site: Path, tmp_path: Path, full_builds: list[Path]
) -> None:
    roadmap = site / "roadmaps" / "synthetic-00002.yaml"
    text = roadmap.read_text(encoding="utf-8")
    start = text.index("\n        deadline: ") + len("\n        deadline: ")
    roadmap.write_text(text[:start] + "когда-нибудь" + text[text.index("\n", start) :], encoding="utf-8")
    cache = tmp_path / "cache"
    first = build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache)
    second = build_site(site, tmp_path / "second", AS_OF_DATE, cache=cache)
    assert full_builds == [tmp_path / "first"]
    assert digest(tmp_path / "second") == digest(tmp_path / "first")
    assert second == first and any("когда-нибудь" in w.message for w in second.warnings)


def test_a_change_of_any_input_builds_again(site: Path, tmp_path: Path, full_builds: list[Path]) -> None:
    cache, links = tmp_path / "cache", tmp_path / "links.json"
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache)
    (site / "pages" / "new.md").write_text("---\ntitle: Новая страница\n---\nТекст.\n", encoding="utf-8")
    build_site(site, tmp_path / "page", AS_OF_DATE, cache=cache)
    assert (tmp_path / "page" / "pages" / "new.html").is_file()
    build_site(site, tmp_path / "later", AS_OF_DATE + dt.timedelta(days=1), cache=cache)
    build_site(site, tmp_path / "based", AS_OF_DATE, "https://example.org/", cache=cache)
    links.write_text("{}", encoding="utf-8")
    build_site(site, tmp_path / "links", AS_OF_DATE, link_results=links, cache=cache)
    assert len(full_builds) == 5
    build_site(site, tmp_path / "again", AS_OF_DATE, link_results=links, cache=cache)
    assert len(full_builds) == 5


def test_an_output_file_edited_in_place_is_not_handed_out_again(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache)
    expected = digest(tmp_path / "first")
    page = tmp_path / "first" / "roadmaps" / "synthetic-00001.html"
    os.chmod(page, 0o644)  # the build leaves output read-only; a deploy step might still write to it
    with open(page, "r+b") as file:
        file.write(b"<!-- changed after the build -->")
    build_site(site, tmp_path / "second", AS_OF_DATE, cache=cache)
    assert digest(tmp_path / "second") == expected


def test_a_link_in_the_content_folder_is_never_restored(
    site: Path, tmp_path: Path, full_builds: list[Path]
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Страница по ссылке\n---\nТекст.\n", encoding="utf-8")
    (site / "pages" / "linked.md").symlink_to(outside)
    cache = tmp_path / "cache"
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache)
    build_site(site, tmp_path / "second", AS_OF_DATE, cache=cache)
    assert len(full_builds) == 2


def test_a_snapshot_naming_a_path_outside_the_output_is_ignored(
    site: Path, tmp_path: Path, full_builds: list[Path]
) -> None:
    cache = tmp_path / "cache"
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache)
    folder = cache_folder(site, cache)
    snapshot = pickle.loads((folder / SNAPSHOT).read_bytes().partition(b"\n")[2])
    evil = snapshot.files[0][1:]
    remember(folder, Snapshot(snapshot.key, (("../escaped.html", *evil),), (), 1))
    build_site(site, tmp_path / "second", AS_OF_DATE, cache=cache)
    assert len(full_builds) == 2 and not (tmp_path / "escaped.html").exists()
    assert digest(tmp_path / "second") == digest(tmp_path / "first")


def test_the_snapshot_of_another_key_is_not_even_unpickled(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache)
    folder = cache_folder(site, cache)
    key = (folder / SNAPSHOT).read_bytes().partition(b"\n")[0].decode()
    assert recall(folder, key) is not None

    def refused(data: bytes) -> object:
        raise AssertionError("распакован чужой снимок")

    monkeypatch.setattr(pickle, "loads", refused)
    assert recall(folder, "0" * len(key)) is None


def test_a_snapshot_that_cannot_be_kept_leaves_the_build_a_success(
    site: Path, tmp_path: Path, full_builds: list[Path]
) -> None:
    """The new site is in place when its snapshot is written: a cache that cannot keep it (a full disk; here a
    folder where the file goes) is no error of the build, which is then only not restored next time."""
    cache = tmp_path / "cache"
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache)
    stored = cache_folder(site, cache) / SNAPSHOT
    stored.unlink()
    stored.mkdir()
    assert build_site(site, tmp_path / "second", AS_OF_DATE, cache=cache).pages > 0
    assert digest(tmp_path / "second") == digest(tmp_path / "first")
    stored.rmdir()
    build_site(site, tmp_path / "third", AS_OF_DATE, cache=cache)
    build_site(site, tmp_path / "fourth", AS_OF_DATE, cache=cache)
    assert full_builds == [tmp_path / "first", tmp_path / "second", tmp_path / "third"]


def test_a_restored_build_imports_no_renderer(site: Path, tmp_path: Path) -> None:
    """What makes it fast: the process never imports Jinja, pydantic or the exports."""
    command = [sys.executable, "-X", "importtime", "-m", "site_builder", "build", "--content", str(site),
               "--as-of", AS_OF_DATE.isoformat()]  # fmt: skip
    # A national site's size, so the real thresholds apply without patching this separate process.
    write_site_builder(generate(110), site)
    for output in ("first", "second"):
        done = subprocess.run(
            [*command, "--output", str(tmp_path / output)], cwd=tmp_path, capture_output=True, text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "site_builder.build.site" in imported
    assert not imported & {
        "jinja2",
        "pydantic",
        "yaml",
        "site_builder.render.pages",
        "site_builder.model.site",
    }
    assert digest(tmp_path / "second") == digest(tmp_path / "first")


def _saved_during_the_build(monkeypatch: pytest.MonkeyPatch, file: Path, text: str, mtime_ns: int) -> None:
    """`file` gets `text` while the build makes the site, with its modification time set to `mtime_ns`."""
    make, saves = build._make, [text]

    def saving(content: Path, output: Path, *rest: object) -> object:
        made = make(content, output, *rest)  # type: ignore[arg-type]
        for saved in saves:  # in the first build only
            file.write_text(saved, encoding="utf-8")
            os.utime(file, ns=(mtime_ns, mtime_ns))
        saves.clear()
        return made

    monkeypatch.setattr(build, "_make", saving)


@pytest.mark.parametrize("hours_ago", [0, 1])
def test_a_file_saved_during_the_build_keeps_it_from_being_restored(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_builds: list[Path], hours_ago: int
) -> None:
    """Saved with the same size and modification time: a file modified just before it was hashed is hashed
    again (its stamp cannot tell); one modified long before is trusted by its stamp, and the save shows in it."""
    roadmap = site / "roadmaps" / "synthetic-00002.yaml"
    then = time.time_ns() - hours_ago * 3600 * 10**9
    os.utime(roadmap, ns=(then, then))
    text = roadmap.read_text(encoding="utf-8")
    same_size = text.replace("СИНТЕТИЧЕСКИЕ", "синтетические", 1)
    _saved_during_the_build(monkeypatch, roadmap, same_size, then if hours_ago == 0 else time.time_ns())
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=tmp_path / "cache")
    build_site(site, tmp_path / "second", AS_OF_DATE, cache=tmp_path / "cache")
    assert full_builds == [tmp_path / "first", tmp_path / "second"]
    assert "синтетические" in (tmp_path / "second" / "roadmaps" / "synthetic-00002.html").read_text(
        encoding="utf-8"
    )


def test_the_check_after_a_build_hashes_no_file_whose_stamp_tells_it_is_unchanged(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hour_ago = time.time_ns() - 3600 * 10**9
    for file in site.rglob("*"):
        os.utime(file, ns=(hour_ago, hour_ago))
    hashed: list[object] = []
    file_digest = hashlib.file_digest

    def counted(file: Any, name: str) -> Any:
        hashed.append(file)
        return file_digest(file, name)

    monkeypatch.setattr(hashlib, "file_digest", counted)
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=tmp_path / "cache")
    assert len(hashed) == sum(1 for file in site.rglob("*") if file.is_file())  # once each, before the build
    assert (cache_folder(site, tmp_path / "cache") / SNAPSHOT).is_file()


@pytest.mark.parametrize("kept", ["as written", "damaged", "gone"])
def test_the_next_build_hashes_again_only_the_files_whose_stamp_changed(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_builds: list[Path], kept: str
) -> None:
    """What a build hashed for its key is kept for the next (snapshot.HASHES): an edit of one file makes the
    next build read that file, not all of them. A kept record that is damaged or gone only costs reading all."""
    hour_ago = time.time_ns() - 3600 * 10**9
    for file in site.rglob("*"):
        os.utime(file, ns=(hour_ago, hour_ago))
    cache = tmp_path / "cache"
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache)
    roadmap = site / "roadmaps" / "synthetic-00002.yaml"
    set_first_deadline(roadmap, "Декабрь 2031")
    record = cache_folder(site, cache) / HASHES
    if kept == "damaged":
        record.write_bytes(b"\x80\x05not a pickle")
    elif kept == "gone":
        record.unlink()
    hashed: list[str] = []
    file_digest = hashlib.file_digest

    def counted(file: Any, name: str) -> Any:
        hashed.append(file.name)
        return file_digest(file, name)

    monkeypatch.setattr(hashlib, "file_digest", counted)
    build_site(site, tmp_path / "second", AS_OF_DATE, cache=cache)
    every = sorted(str(file) for file in site.rglob("*") if file.is_file())
    assert sorted(set(hashed)) == ([str(roadmap)] if kept == "as written" else every)
    assert full_builds == [tmp_path / "first", tmp_path / "second"]
    build_site(site, tmp_path / "fresh", AS_OF_DATE, cache=None)
    assert digest(tmp_path / "second") == digest(tmp_path / "fresh")
