"""A whole build remembered: when nothing a build reads has changed, its output is copied from the cache.

CI keeps .cache/build between runs while output/ starts empty every time, and most runs change nothing or one
file. The per-file cache (workers.py) already spares the rendering, but it still loads, validates and
fingerprints the whole site. The snapshot spares that too: after a full build it records, under one key for
everything the build read, which cached file each output path holds and the warnings the build gave. A build
whose key matches copies those files into place and prints the same warnings, without importing the renderers.

The key holds the code version, the as-of date, the base URL, the link checker's results, the working
directory (messages name files relative to it) and every file of the content folder by path and bytes — more
than the build reads, never less. A content folder with a symbolic link or a special file in it is never
restored this way (what a link points to can change without the key seeing it): it is built as usual.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import shutil
import stat
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from site_builder.build.keys import code_version, racy
from site_builder.core.atomic import link_or_copy, write_atomically
from site_builder.core.errors import Problem
from site_builder.core.packing import UNREADABLE
from site_builder.core.resources import TEMPLATES_DIR

SNAPSHOT = "snapshot.pickle"
HASHES = "hashes.pickle"  # what the last build hashed for its key (site_key, recalled_hashes)
FILES = "files"  # the per-file cache's folder inside the cache folder (workers.py writes it)
_SHIPPED = "templates:"  # a static file of site-builder itself rather than a cached one


Stamp = tuple[int, int]  # size and modification time (ns) of a cached file when the snapshot was taken


@dataclass(frozen=True)
class Snapshot:
    key: str
    # Output path, cached file (FILES/ab/abcd… or templates:…), its stamp.
    files: tuple[tuple[str, str, Stamp], ...]
    warnings: tuple[Problem, ...]
    pages: int

    @classmethod
    def taken(
        cls, folder: Path, key: str, made: Iterable[tuple[str, str]], warnings: Iterable[Problem], pages: int
    ) -> Snapshot:
        """The snapshot of a build that put each cached file `stored` at its output path `relative`."""
        base = os.fspath(folder)
        files = tuple((relative, stored, _stamp(_source(base, stored))) for relative, stored in made)
        return cls(key, files, tuple(warnings), pages)

    def copy_into(self, folder: Path, staging: Path) -> None:
        made: set[str] = set()
        base = os.fspath(folder)
        for relative, stored, _ in self.files:
            parent = relative.rpartition("/")[0]
            if parent and parent not in made:
                os.makedirs(staging / parent, exist_ok=True)
                made.add(parent)
            source, target = _source(base, stored), staging / relative
            if stored.startswith(_SHIPPED):
                shutil.copyfile(source, target)  # never a link to site-builder's own files
                continue
            link_or_copy(source, target)  # the staging folder is new and swapped in whole: no rename per file


def _source(folder: str, stored: str) -> str:
    """The cached file `stored` names in the cache `folder`. A text, not a Path: a snapshot names every file of
    the site, and a Path made and stat-ed for each took three times as long as os.stat of the text."""
    if stored.startswith(_SHIPPED):
        return os.path.join(TEMPLATES_DIR, stored.removeprefix(_SHIPPED))
    return os.path.join(folder, stored)


def _stamp(path: str) -> Stamp:
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns


def cached_file(fingerprint: str) -> str:
    """Where the per-file cache keeps the file of `fingerprint`, relative to the cache folder."""
    return f"{FILES}/{fingerprint[:2]}/{fingerprint}"


def shipped_file(path: Path) -> str:
    return _SHIPPED + path.relative_to(TEMPLATES_DIR).as_posix()


# What site_key hashed of each file, by its path: the stamp (modification time, size, inode), when, and the digest.
Hashed = dict[str, tuple[tuple[int, int, int], float, bytes]]


def site_key(
    content: Path,
    as_of: dt.date,
    base_url: str | None,
    link_results: Path | None,
    skip: Iterable[Path],
    hashed: Hashed | None = None,
) -> str | None:
    """The key of everything a build of `content` reads; None when the folder cannot be keyed safely.

    `hashed` keeps what was hashed (of the files keyed this time only): the same key worked out again, after
    the build or by the next one (`recalled_hashes`), hashes again only the files whose stamp changed or was
    taken too close to a change to tell (keys.racy), as git's index does.
    """
    digest = hashlib.sha256()
    for part in (code_version(), str(as_of), base_url or "", str(Path.cwd())):
        digest.update(f"{part}\0".encode())
    if link_results is not None and link_results.is_file():  # missing or unreadable: a build without marks
        digest.update(b"links\0" + hashlib.sha256(link_results.read_bytes()).digest())
    skipped = {os.path.realpath(path) for path in skip}
    hashed = {} if hashed is None else hashed
    keyed: set[str] = set()
    try:
        for relative, path, info in _files(content, skipped):
            if path is None:
                return None
            keyed.add(path)
            digest.update(f"{relative}\0".encode() + _digest(path, info, hashed))
    except OSError:  # unreadable: the full build's reader says what is wrong, with the file's place
        return None
    for gone in hashed.keys() - keyed:
        del hashed[gone]
    return digest.hexdigest()


def recalled_hashes(folder: Path) -> Hashed:
    """What the last build of the site cached in `folder` hashed for its key: a build then reads again only the
    files whose stamp changed, not all of them (40 ms at N = 600)."""
    try:
        found = pickle.loads((folder / HASHES).read_bytes())
    except (OSError, *UNREADABLE):
        return {}
    intact = isinstance(found, dict) and all(isinstance(v, tuple) and len(v) == 3 for v in found.values())
    return found if intact else {}


def keep_hashes(folder: Path, hashed: Hashed) -> None:
    """Kept for the next build; one that cannot be written only makes the next build read every file again."""
    with suppress(OSError):
        write_atomically(folder / HASHES, pickle.dumps(hashed, protocol=pickle.HIGHEST_PROTOCOL))


def _digest(path: str, info: os.stat_result, hashed: Hashed) -> bytes:
    stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
    kept = hashed.get(path)
    if kept is not None and kept[0] == stamp and not racy(info.st_mtime_ns, kept[1]):
        return kept[2]
    now = time.time()
    with open(path, "rb") as file:
        found = hashlib.file_digest(file, "sha256").digest()
    hashed[path] = (stamp, now, found)
    return found


def _files(content: Path, skipped: set[str]) -> Iterable[tuple[str, str | None, os.stat_result]]:
    """(relative path, path, its lstat) of every regular file under `content`, sorted; path None for anything else."""
    for top, folders, names in os.walk(content):
        folders[:] = sorted(
            name for name in folders if os.path.realpath(os.path.join(top, name)) not in skipped
        )
        # Once a folder: relpath of each file was half of the key's time.
        within = os.path.relpath(top, content)
        for name in sorted([*names, *folders]):
            path = os.path.join(top, name)
            info = os.lstat(path)
            if stat.S_ISDIR(info.st_mode):
                continue
            relative = name if within == os.curdir else os.path.join(within, name)
            yield relative, path if stat.S_ISREG(info.st_mode) else None, info


def recall(folder: Path, key: str) -> Snapshot | None:
    """The snapshot of `key` when every file it names is in the cache as it was.

    A cached file that changed since (an edit of output/ in place reaches the cache through the shared link) is
    removed, so neither the snapshot nor the per-file cache hands it out again.
    """
    snapshot = _kept(folder, key)
    if snapshot is None:
        return None
    base = os.fspath(folder)
    changed = [
        stored for relative, stored, kept in snapshot.files if not _intact(base, relative, stored, kept)
    ]
    for stored in changed:
        if not stored.startswith(_SHIPPED):
            with suppress(FileNotFoundError):
                os.unlink(_source(base, stored))
    return None if changed else snapshot


def _intact(folder: str, relative: str, stored: str, kept: Stamp) -> bool:
    try:
        return _safe(relative) and _stamp(_source(folder, stored)) == kept
    except OSError:
        return False


def _safe(relative: str) -> bool:
    """An output path from the cache stays inside the output folder (the cache is a file anyone could edit)."""
    parts = relative.split("/")
    return bool(relative) and not relative.startswith("/") and ".." not in parts and "\\" not in relative


def _kept(folder: Path, key: str) -> Snapshot | None:
    """The snapshot kept in `folder` if it is the one of `key`. The file starts with its key on a line of its own:
    most builds that are not restored find another key there, and unpickle nothing (20 ms at N = 600)."""
    try:
        head, _, body = (folder / SNAPSHOT).read_bytes().partition(b"\n")
        snapshot = pickle.loads(body) if head == key.encode() else None
    except (OSError, *UNREADABLE):
        return None
    return snapshot if isinstance(snapshot, Snapshot) and snapshot.key == key else None


def remember(folder: Path, snapshot: Snapshot) -> None:
    data = pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL)
    write_atomically(folder / SNAPSHOT, snapshot.key.encode() + b"\n" + data)


def forget(folder: Path) -> None:
    (folder / SNAPSHOT).unlink(missing_ok=True)
