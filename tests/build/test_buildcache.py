"""The build cache and the worker processes: same bytes whichever way a file is made, and no stale file reused."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import subprocess
import sys
import zlib
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import AS_OF, generate, write_site_builder
from site_builder.build import caches
from site_builder.build.caches import PARSED_DB, ParsedFiles
from site_builder.build.keys import cache_folder
from site_builder.build.site import build_site
from site_builder.build.snapshot import FILES
from site_builder.model.site import SCHEDULES
from site_builder.render.environment import SiteEnvironment, make_environment
from tests.helpers.builds import digest, set_first_deadline

AS_OF_DATE = dt.date.fromisoformat(AS_OF)


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site_builder(generate(6), tmp_path_factory.mktemp("site") / "content")


@pytest.fixture(scope="module")
def reference(content: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The site built in one process without a cache (the default thresholds keep a site this small so)."""
    output = tmp_path_factory.mktemp("reference") / "output"
    build_site(content, output, AS_OF_DATE, cache=None)
    return digest(output)


def _parsed_keys(cache: Path) -> set[str]:
    """The keys of what the build cache holds of the content files (read with sqlite3, as any tool would)."""
    (database,) = cache.rglob(PARSED_DB)
    return _keys(database)


def _keys(database: Path) -> set[str]:
    with closing(sqlite3.connect(database)) as db:
        return {key for (key,) in db.execute("SELECT key FROM parsed")}


@pytest.mark.usefixtures("small_thresholds")
def test_workers_and_cache_give_the_same_bytes(
    content: Path, reference: dict[str, str], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "cold", AS_OF_DATE, cache=cache)
    assert digest(tmp_path / "cold") == reference
    stored = {path.name for path in cache.rglob("files/*/*")}
    assert len(stored) == len([name for name in reference if not name.startswith(("static/", "."))])
    parsed = _parsed_keys(cache)
    assert len(parsed) >= len(list(content.rglob("*.y*ml"))) + len(list(content.rglob("*.md")))
    build_site(content, tmp_path / "warm", AS_OF_DATE, cache=cache)
    assert digest(tmp_path / "warm") == reference
    assert {path.name for path in cache.rglob("files/*/*")} == stored
    assert _parsed_keys(cache) == parsed


@pytest.mark.usefixtures("small_thresholds")
def test_a_changed_input_is_made_again_and_its_old_files_pruned(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "content"
    write_site_builder(generate(6), site)
    cache = tmp_path / "cache"
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache)
    before = _cached(cache)
    roadmap = site / "roadmaps" / "synthetic-00003.yaml"
    roadmap.write_text(
        roadmap.read_text(encoding="utf-8").replace("activity: ", "activity: ПРАВКА ", 1), "utf-8"
    )
    build_site(site, tmp_path / "second", AS_OF_DATE, cache=cache)
    page = (tmp_path / "second" / "roadmaps" / "synthetic-00003.html").read_text(encoding="utf-8")
    assert "ПРАВКА" in page
    # A file nothing changed for is the very file of the first build, linked from the cache.
    for name, same in (("synthetic-00001.html", True), ("synthetic-00003.html", False)):
        inodes = {(tmp_path / build / "roadmaps" / name).stat().st_ino for build in ("first", "second")}
        assert (len(inodes) == 1) is same, name
    fresh = tmp_path / "fresh"
    build_site(site, fresh, AS_OF_DATE, cache=None)
    assert digest(tmp_path / "second") == digest(fresh)
    after = _cached(cache)
    assert after != before and len(after) == len(before)  # the stale entries of roadmap 3 were dropped


def _cached(cache: Path) -> set[str]:
    """What the cache holds: its files and the keys of its parsed values (SQLite's own files, such as the
    write-ahead log it may leave beside the database, aside)."""
    names = {path.name for path in cache.rglob("*") if path.is_file() and not path.name.startswith(PARSED_DB)}
    return names | _parsed_keys(cache)


@pytest.mark.usefixtures("small_thresholds")
def test_another_as_of_date_does_not_reuse_files(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "first", AS_OF_DATE, cache=cache)
    later = AS_OF_DATE + dt.timedelta(days=120)
    build_site(content, tmp_path / "cached", later, cache=cache)
    build_site(content, tmp_path / "fresh", later, cache=None)
    assert digest(tmp_path / "cached") == digest(tmp_path / "fresh")


@pytest.mark.usefixtures("small_thresholds")
@pytest.mark.parametrize("cached", [True, False])
def test_a_failing_worker_fails_the_build_and_keeps_the_old_output(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    output = tmp_path / "output"
    build_site(content, output, AS_OF_DATE, cache=None)
    before = digest(output)

    def broken(*args: object) -> bytes:
        raise RuntimeError("сломанный файл")

    monkeypatch.setattr("site_builder.render.exports.workbook_bytes", broken)
    # The worker's error, raised again here: not a complaint about the files the worker made before it.
    with pytest.raises(RuntimeError, match="сломанный файл"):
        build_site(content, output, AS_OF_DATE, cache=tmp_path / "cache" if cached else None)
    assert digest(output) == before
    left = sorted(path.name for path in tmp_path.iterdir() if path.name != ".output.lock")
    assert left == ["cache", "output"][not cached :]  # no staging or scratch folder


@pytest.mark.usefixtures("small_thresholds")
def test_warnings_come_from_the_cache_only_while_no_file_changed(tmp_path: Path) -> None:
    site = write_site_builder(generate(6), tmp_path / "content")
    cache = tmp_path / "cache"
    assert build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache).warnings == []
    set_first_deadline(site / "roadmaps" / "synthetic-00004.yaml", "когда-нибудь")
    warned = build_site(site, tmp_path / "second", AS_OF_DATE, cache=cache).warnings
    assert any("когда-нибудь" in w.message for w in warned), warned
    assert build_site(site, tmp_path / "third", AS_OF_DATE, cache=cache).warnings == warned


@pytest.mark.usefixtures("small_thresholds")
def test_a_damaged_or_foreign_parsed_cache_is_made_again(
    content: Path, reference: dict[str, str], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "first", AS_OF_DATE, cache=cache)
    (database,) = cache.rglob(PARSED_DB)
    foreign = zlib.compress(b"\x80\x05\x95\x00")  # what another program could leave, packed as values are
    for name, stored in (("foreign", foreign + zlib.crc32(foreign).to_bytes(4, "big")), ("damaged", foreign)):
        with closing(sqlite3.connect(database)) as db:
            db.execute("UPDATE parsed SET value = ?", (stored,))
            db.commit()
        _forget_files(cache)
        build_site(content, tmp_path / name, AS_OF_DATE, cache=cache)
        assert digest(tmp_path / name) == reference
    database.write_bytes(b"not a database at all")
    _forget_files(cache)
    build_site(content, tmp_path / "not a database", AS_OF_DATE, cache=cache)
    assert digest(tmp_path / "not a database") == reference
    assert _parsed_keys(cache)  # started afresh and filled again


def _forget_files(cache: Path) -> None:
    """Every page and download made again (and no whole build restored): all of the site is loaded."""
    for path in cache.rglob("files/*/*"):
        path.unlink()


@pytest.mark.usefixtures("small_thresholds")
def test_the_parsed_files_of_older_versions_are_removed(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "first", AS_OF_DATE, cache=cache)
    (database,) = cache.rglob(PARSED_DB)
    old = database.with_name("parsed") / "ab" / ("ab" + "0" * 62)
    old.parent.mkdir(parents=True)
    old.write_bytes(b"a value pickled by an older version")
    _forget_files(cache)
    build_site(content, tmp_path / "second", AS_OF_DATE, cache=cache)
    assert not old.parent.parent.exists()


def test_parsed_values_are_written_at_flush_without_keeping_other_processes_waiting(tmp_path: Path) -> None:
    """Each worker keeps its own ParsedFiles on one database: a value computed is written at `flush`, and no
    write transaction stays open in between for the others to wait on."""
    database, file = tmp_path / PARSED_DB, tmp_path / "roadmap.yaml"
    file.write_text("title: Дорожная карта\n", encoding="utf-8")
    worker = ParsedFiles(database)
    assert worker(file, "Roadmap", lambda: {"title": "Дорожная карта"}) == {"title": "Дорожная карта"}
    with closing(sqlite3.connect(database, timeout=0)) as other:
        other.execute("BEGIN IMMEDIATE")  # another writer gets the database at once
        other.rollback()
    assert _keys(database) == set()
    worker.flush()
    assert len(_keys(database)) == 1
    assert ParsedFiles(database)(file, "Roadmap", lambda: {"title": "не из кэша"}) == {
        "title": "Дорожная карта"
    }


@pytest.mark.usefixtures("small_thresholds")
def test_the_parsed_cache_is_made_before_the_workers_open_it(content: Path, tmp_path: Path) -> None:
    """Workers that find the database missing all make it at once: one turning on the write-ahead log is told
    "locked" at once, without waiting, and stores nothing (a first build then left values out of its cache)."""
    memo = ParsedFiles.for_site(content, tmp_path / "cache")
    assert memo is not None
    file = content / "roadmaps" / "synthetic-00001.yaml"
    with closing(sqlite3.connect(memo.path, isolation_level=None)) as writer:
        assert writer.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        # The build's own connection holds no snapshot when the workers fork (each opens its own, as SQLite asks).
        assert writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
        writer.execute("BEGIN IMMEDIATE")  # another worker writing while this one opens the database
        worker = ParsedFiles(memo.path)
        assert worker(file, "Roadmap", lambda: "вычислено") == "вычислено"
        writer.rollback()
    worker.flush()
    assert ParsedFiles(memo.path)(file, "Roadmap", lambda: "не из кэша") == "вычислено"


def _cache_of_one_value(tmp_path: Path) -> tuple[Path, Path]:
    """A parsed-file database holding one roadmap's value, closed (no journal files left), and that roadmap."""
    database, file = tmp_path / PARSED_DB, tmp_path / "roadmap.yaml"
    file.write_text("title: Дорожная карта\n", encoding="utf-8")
    first = ParsedFiles(database)
    first(file, "Roadmap", lambda: "из файла")
    first.prune()
    return database, file


def test_a_write_kept_waiting_is_dropped_and_the_process_writes_no_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process's transaction holds the write lock: the flush gives up after BUSY_SECONDS, and the
    process's later flushes do not wait again (a build would wait that long at each of them)."""
    monkeypatch.setattr(caches, "BUSY_SECONDS", 0.05)
    database, file = _cache_of_one_value(tmp_path)
    before = _keys(database)
    other = tmp_path / "report.yaml"
    other.write_text("roadmap: roadmap\n", encoding="utf-8")
    worker = ParsedFiles(database)
    assert worker(file, "Roadmap", lambda: "не из кэша") == "из файла"
    with closing(sqlite3.connect(database, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        worker(other, "Report", lambda: "отчёт")
        worker.flush()
        holder.rollback()
    worker(other, "ReportNarrative", lambda: "пояснение")
    worker.flush()
    assert _keys(database) == before
    assert worker.refused == [
        f"база занята другим процессом дольше 0.05 с (идёт другая сборка?) ({database})"
    ]
    again = ParsedFiles(database)
    again(other, "Report", lambda: "отчёт")
    again.flush()
    assert len(_keys(database)) == len(before) + 1


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (sqlite3.SQLITE_FULL, "на диске не осталось места"),
        (sqlite3.SQLITE_READONLY, "нет прав на запись"),
        (sqlite3.SQLITE_CORRUPT, "база повреждена (следующая сборка сделает её заново)"),
        (sqlite3.SQLITE_IOERR_SHORT_READ, "ошибка записи на диск"),  # extended codes go by their primary one
        (sqlite3.SQLITE_MISMATCH, "ошибка SQLite SQLITE_MISMATCH"),
    ],
)
def test_why_the_parsed_cache_was_not_used_is_said_in_words(code: int, words: str) -> None:
    error = sqlite3.OperationalError("English text from SQLite")
    error.sqlite_errorcode, error.sqlite_errorname = code, "SQLITE_MISMATCH"
    assert caches._store_reason(error) == words


def test_a_parsed_cache_locked_while_it_is_opened_is_left_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Locked is not damaged: the build goes on without the cache, and the values stay for the next build."""
    monkeypatch.setattr(caches, "BUSY_SECONDS", 0.05)
    database, file = _cache_of_one_value(tmp_path)
    before = _keys(database)
    with closing(sqlite3.connect(database, isolation_level=None)) as holder:
        holder.execute("PRAGMA journal_mode = DELETE")  # switching back to WAL then needs the whole file
        holder.execute("BEGIN EXCLUSIVE")
        locked = ParsedFiles(database)
        assert locked(file, "Roadmap", lambda: "вычислено") == "вычислено"
        holder.rollback()
    assert locked.refused == [
        f"база занята другим процессом дольше 0.05 с (идёт другая сборка?) ({database})"
    ]
    assert _keys(database) == before
    assert ParsedFiles(database)(file, "Roadmap", lambda: "вычислено") == "из файла"


def test_a_parsed_cache_that_cannot_be_opened_for_want_of_room_is_kept(tmp_path: Path) -> None:
    """A full disk: opening the database cannot make its journal files. The values stay for a later build
    (a build that replaced the database there lost all of them, and the next one read every file again)."""
    resource = pytest.importorskip("resource")
    database, file = _cache_of_one_value(tmp_path)
    before = _keys(database)
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from site_builder.build.caches import ParsedFiles\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, (0, {resource.RLIM_INFINITY}))\n"
        "memo = ParsedFiles(Path(sys.argv[1]))\n"
        "print(memo(Path(sys.argv[2]), 'Roadmap', lambda: 'вычислено'))\n"
        "print(memo.refused)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(database), str(file)],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
        cwd=Path.cwd(),
    )
    # SQLite calls a file it may not grow an I/O error: that is what the build then says.
    assert done.stdout.splitlines() == ["вычислено", str([f"ошибка записи на диск ({database})"])]
    assert _keys(database) == before


def test_what_is_made_from_a_model_is_kept_by_the_bytes_the_model_was_read_from(tmp_path: Path) -> None:
    """A roadmap saved between its model and its schedules: the schedules of the old model must not be kept
    as the new bytes' schedules."""
    database, file = tmp_path / PARSED_DB, tmp_path / "roadmap.yaml"
    file.write_text("title: старая\n", encoding="utf-8")
    first = ParsedFiles(database)
    model = first(file, "Roadmap", lambda: file.read_text(encoding="utf-8"))
    file.write_text("title: новая\n", encoding="utf-8")
    first(file, SCHEDULES, lambda: f"сроки из {model!r}")
    first.flush()

    def read_with(parsed: ParsedFiles) -> tuple[str, str]:
        made = parsed(file, "Roadmap", lambda: file.read_text(encoding="utf-8"))
        return made, parsed(file, SCHEDULES, lambda: f"сроки из {made!r}")

    assert read_with(ParsedFiles(database)) == ("title: новая\n", "сроки из 'title: новая\\n'")
    file.write_text("title: старая\n", encoding="utf-8")
    again = ParsedFiles(database)
    assert read_with(again) == ("title: старая\n", "сроки из 'title: старая\\n'")
    assert len(again.used) == 2  # both from the cache


@pytest.mark.usefixtures("small_thresholds")
def test_a_rebuild_after_one_edit_warns_from_the_facts_without_unpacking_an_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edited file's warnings come with its facts from the reader; the build's process puts the site's
    together without unpacking any roadmap or report, and searches for near duplicates only if a URL changed."""
    from site_builder.model import packed, warnings

    site = write_site_builder(generate(6), tmp_path / "content")
    cache = tmp_path / "cache"
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache)
    unpacked: list[object] = []
    searches: list[object] = []
    content, attach, search = packed.Packable._content, warnings.attach_warnings, warnings.near_duplicates
    warning = False

    def counted_content(entry: packed.Packable[Any]) -> Any:
        if warning:
            unpacked.append(entry)
        return content(entry)

    def counted_attach(*args: Any) -> Any:
        nonlocal warning
        warning = True
        try:
            return attach(*args)
        finally:
            warning = False

    monkeypatch.setattr(packed.Packable, "_content", counted_content)
    monkeypatch.setattr(warnings, "attach_warnings", counted_attach)

    def counted_search(urls: tuple[str, ...]) -> Any:
        searches.append(urls)
        return search(urls)

    monkeypatch.setattr(warnings, "near_duplicates", counted_search)
    set_first_deadline(site / "roadmaps" / "synthetic-00004.yaml", "когда-нибудь")
    warned = build_site(site, tmp_path / "second", AS_OF_DATE, cache=cache).warnings
    assert (unpacked, searches) == ([], [])  # its URLs are the same as before
    assert warned == build_site(site, tmp_path / "uncached", AS_OF_DATE, cache=None).warnings
    assert any("когда-нибудь" in w.message for w in warned), warned


@pytest.mark.usefixtures("small_thresholds")
def test_a_file_saved_while_the_build_runs_is_made_again_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages are fingerprinted by the bytes the site was loaded from, not by what the file holds when the
    fingerprints are worked out: the next build must not take the page of the old bytes for the new ones."""
    from site_builder.build import pipeline

    site = write_site_builder(generate(6), tmp_path / "content")
    roadmap = site / "roadmaps" / "synthetic-00004.yaml"
    plan = pipeline.plan_site

    def saved_meanwhile(*args: Any) -> pipeline.SitePlan:
        set_first_deadline(roadmap, "Декабрь 2031")
        return plan(*args)

    monkeypatch.setattr(pipeline, "plan_site", saved_meanwhile)
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=tmp_path / "cache")
    page = (tmp_path / "first" / "roadmaps" / "synthetic-00004.html").read_text(encoding="utf-8")
    assert "Декабрь 2031" not in page  # made from what was loaded
    monkeypatch.setattr(pipeline, "plan_site", plan)
    build_site(site, tmp_path / "second", AS_OF_DATE, cache=tmp_path / "cache")
    page = (tmp_path / "second" / "roadmaps" / "synthetic-00004.html").read_text(encoding="utf-8")
    assert "Декабрь 2031" in page


@pytest.mark.usefixtures("small_thresholds")
def test_a_rebuild_after_an_edit_compiles_and_reads_no_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The templates compiled, and read for the fingerprints, are kept in the cache (caches.TemplateStore): the
    next build, one roadmap edited, compiles and reads none in any of its processes, with the same bytes as a
    build without the cache. The compiled templates of another code version are removed."""
    site = write_site_builder(generate(6), tmp_path / "content")
    cache, log = tmp_path / "cache", tmp_path / "log"
    for method in ("compile", "parse"):
        _log_calls(monkeypatch, log, SiteEnvironment, method)
    build_site(site, tmp_path / "first", AS_OF_DATE, cache=cache)
    assert {"compile", "parse"} <= set(log.read_text(encoding="utf-8").split())
    log.unlink()
    (stale,) = [folder.parent / "0123456789abcdef" for folder in cache.glob(f"*/{caches.TEMPLATES}/*")]
    stale.mkdir()
    set_first_deadline(site / "roadmaps" / "synthetic-00004.yaml", "Декабрь 2031")
    build_site(site, tmp_path / "edited", AS_OF_DATE, cache=cache)
    assert not log.exists()
    assert not stale.exists()
    build_site(site, tmp_path / "uncached", AS_OF_DATE, cache=None)
    assert digest(tmp_path / "edited") == digest(tmp_path / "uncached")


def _log_calls(monkeypatch: pytest.MonkeyPatch, log: Path, owner: type, method: str) -> None:
    """Each call of `owner.method` written to `log` by name (a file: the workers are other processes)."""
    original = getattr(owner, method)

    def logged(*args: Any, **kwargs: Any) -> Any:
        with log.open("a", encoding="utf-8") as file:
            file.write(f"{method}\n")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, method, logged)


@pytest.mark.usefixtures("small_thresholds")
def test_a_cache_that_takes_nothing_is_said_and_the_site_is_built_whole(
    content: Path, reference: dict[str, str], tmp_path: Path
) -> None:
    """A file where the per-file cache's folder should be and a folder where the parsed cache's database should
    be, as a full disk or a folder without the right to write would refuse them: every build is whole and says
    why the cache did not take what it was given, each reason once."""
    cache = tmp_path / "cache"
    folder = cache_folder(content, cache)
    folder.mkdir(parents=True)
    (folder / FILES).write_text("не папка", encoding="utf-8")
    (folder / PARSED_DB).mkdir()
    for attempt in ("first", "second"):
        result = build_site(content, tmp_path / attempt, AS_OF_DATE, cache=cache)
        assert digest(tmp_path / attempt) == reference
        files, parsed = result.cache_refused
        assert re.fullmatch(
            rf"часть пути — файл, а не папка \({re.escape(str(folder / FILES))}/[0-9a-f]{{2}}\)", files
        )
        assert parsed == f"файл базы не открывается ({folder / PARSED_DB})"
    assert (folder / FILES).read_text(encoding="utf-8") == "не папка"


@pytest.mark.usefixtures("small_thresholds")
def test_a_cache_that_takes_everything_says_nothing(content: Path, tmp_path: Path) -> None:
    assert build_site(content, tmp_path / "output", AS_OF_DATE, cache=tmp_path / "cache").cache_refused == []


def test_a_template_store_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    """No folder can be made for it (a file stands in the way, as a full disk would): templates are compiled and
    rendered as without it, and nothing is kept."""
    (tmp_path / caches.TEMPLATES).write_text("не папка", encoding="utf-8")
    store = caches.TemplateStore.opened(tmp_path)
    for _ in range(2):  # the second environment finds nothing kept either
        assert make_environment(compiled=store.compiled()).get_template("404.html").name == "404.html"
    store.keep_analysis({"404.html": (None, (frozenset(), frozenset()))})
    assert store.analysis() == {}
    assert store.refused == [("часть пути — файл, а не папка", str(store.folder))]


@pytest.mark.usefixtures("small_thresholds")
def test_a_template_store_that_takes_nothing_is_said_and_the_site_is_built_whole(
    content: Path, reference: dict[str, str], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    folder = cache_folder(content, cache)
    folder.mkdir(parents=True)
    (folder / caches.TEMPLATES).write_text("не папка", encoding="utf-8")
    result = build_site(content, tmp_path / "output", AS_OF_DATE, cache=cache)
    assert digest(tmp_path / "output") == reference
    [said] = result.cache_refused
    assert said.startswith(f"часть пути — файл, а не папка ({folder / caches.TEMPLATES}/"), said
