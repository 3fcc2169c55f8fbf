"""The fixture ladder every test can stand on: a content folder → the site loaded from it → the site built.

`content_dir` is a scratch copy of a named site: a fixture site (tests/fixtures/sites/<name>) or a shipped one
("content", "examples/shakhty"); "minimal" unless a test parametrizes it with `indirect=True`. `shipped` builds the
shipped sites once per session at their fixed dates, for tests that only read the output. Helpers: tests/helpers.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from site_builder.build.site import build_site
from site_builder.model.site import Site, load_site
from tests.helpers.builds import AS_OF as SHIPPED_AS_OF
from tests.helpers.builds import build_shipped
from tests.helpers.sites import AS_OF, REPO, SITES, make_site


@pytest.fixture
def content_dir(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    name: str = getattr(request, "param", "minimal")
    if (SITES / name).is_dir():
        return make_site(tmp_path, base=name)
    content = tmp_path / "content"
    shutil.copytree(REPO / name, content)
    return content


@pytest.fixture
def loaded_site(content_dir: Path) -> Site:
    return load_site(content_dir)


@pytest.fixture
def built_site(content_dir: Path, tmp_path: Path) -> Path:
    """`content_dir` built into tmp_path/output at the fixture sites' date; returns the output folder."""
    output = tmp_path / "output"
    build_site(content_dir, output, dt.date.fromisoformat(AS_OF))
    return output


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("exports")
    return {name: build_shipped(root, name) for name in SHIPPED_AS_OF}


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A six-roadmap site gets the build cache and the workers a national one gets."""
    import site_builder.build.caches as caches
    import site_builder.build.prefetch as prefetch
    import site_builder.build.workers as workers
    import site_builder.model.packed as packed

    monkeypatch.setattr(prefetch, "PREFETCH_FROM", 1)
    monkeypatch.setattr(packed, "KEPT", 2)  # fewer entries held than one roadmap's files and reports use
    monkeypatch.setattr(workers, "CACHE_FROM", 1)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(caches, "PARSED_FROM", 1)
