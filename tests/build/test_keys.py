"""The code version every cache is keyed by (build/keys.py): it moves with the code's bytes and the libraries'
versions, and stays put for a fresh checkout of the same code, as a CI run restoring the last run's cache has."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

import site_builder.build.keys as keys


@pytest.fixture
def code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A package and a templates folder of our own, with the code version worked out again for each call."""
    package, templates = tmp_path / "package", tmp_path / "templates"
    (package / "sub" / "__pycache__").mkdir(parents=True)
    templates.mkdir()
    (package / "a.py").write_text("A = 1\n")
    (package / "sub" / "b.py").write_text("B = 2\n")
    (package / "sub" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"compiled")
    (templates / "page.html").write_text("<p>{{ text }}</p>\n")
    monkeypatch.setattr(keys, "_CODE", package)
    monkeypatch.setattr(keys, "TEMPLATES_DIR", templates)
    keys.code_version.cache_clear()
    yield package
    keys.code_version.cache_clear()


def version() -> str:
    keys.code_version.cache_clear()
    return keys.code_version()


def test_the_version_stays_for_the_same_bytes_with_other_times_and_compiled_files(code: Path) -> None:
    before = version()
    for path in code.rglob("*"):
        os.utime(path, (1, 1))
    (code / "sub" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"compiled again")
    assert version() == before


@pytest.mark.parametrize("change", ["code", "template", "new file", "renamed"])
def test_the_version_moves_with_the_code_and_the_templates(code: Path, change: str) -> None:
    before = version()
    templates = code.parent / "templates"
    if change == "code":
        (code / "sub" / "b.py").write_text("B = 3\n")
    elif change == "template":
        (templates / "page.html").write_text("<p>{{ text }}!</p>\n")
    elif change == "new file":
        (code / "c.py").write_text("")
    else:
        (code / "a.py").rename(code / "z.py")
    assert version() != before


def test_the_libraries_are_found_with_the_versions_importlib_metadata_gives() -> None:
    found = keys._distributions()
    for name in keys._LIBRARIES:
        assert f"-{metadata.version(name)}." in found[name]


def test_the_version_moves_with_a_library_installed_first_on_the_path(
    code: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = version()
    other = tmp_path / "site-packages"
    (other / "Jinja2-99.0.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(other), *sys.path])
    assert keys._distributions()["jinja2"] == "Jinja2-99.0.dist-info"
    assert version() != before
