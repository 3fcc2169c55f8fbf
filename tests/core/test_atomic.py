"""Files shared between the build cache and the output: linked read-only, never half-written, never overwritten."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from site_builder.core import atomic
from site_builder.core.atomic import share_new


def _made(tmp_path: Path, text: bytes = b"<p>page</p>") -> Path:
    source = tmp_path / "staging" / "a.html"
    source.parent.mkdir()
    source.write_bytes(text)
    return source


@pytest.mark.skipif(os.name != "posix", reason="modes and hard links as POSIX has them")
def test_a_new_name_is_a_read_only_link(tmp_path: Path) -> None:
    source = _made(tmp_path)
    share_new(source, tmp_path / "cache" / "ab" / "abcd")
    shared = tmp_path / "cache" / "ab" / "abcd"
    assert shared.read_bytes() == b"<p>page</p>" and os.path.samefile(source, shared)
    assert not os.stat(shared).st_mode & 0o222


def test_an_existing_name_is_left_as_it_is(tmp_path: Path) -> None:
    source = _made(tmp_path)
    existing = tmp_path / "cache" / "abcd"
    existing.parent.mkdir()
    existing.write_bytes(b"the same bytes, made by another worker")
    share_new(source, existing)
    assert existing.read_bytes() == b"the same bytes, made by another worker"


def test_a_missing_source_is_an_error_and_makes_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        share_new(tmp_path / "cache" / "absent", tmp_path / "staging" / "a.html")
    assert not (tmp_path / "staging" / "a.html").exists()


def test_without_hard_links_a_whole_copy_is_put_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _made(tmp_path)

    def no_links(*args: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(atomic.os, "link", no_links)
    share_new(source, tmp_path / "cache" / "abcd")
    assert (tmp_path / "cache" / "abcd").read_bytes() == b"<p>page</p>"
    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == ["abcd"]  # no temporary left
