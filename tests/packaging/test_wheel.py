"""The wheel on its own: a fresh virtual environment with nothing but `pip install <wheel>` runs every command.

This is what a coordinator gets with `pip install` or `pipx install`, and what CI's clean machine gets: no dev
extras, no checkout (the commands run from a folder outside the repository), templates from inside the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ("build", "check", "serve", "deadline", "check-links", "monitor", "new", "import", "schema")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The `site-builder` script of a fresh venv that holds the wheel and its runtime dependencies only."""
    root = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--wheel-dir", str(root / "dist"), str(REPO)], check=True)
    [wheel] = (root / "dist").glob("site_builder-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    python = root / "venv" / "bin" / "python"
    # The lock pins the versions (as make does); nothing from the dev extras is installed.
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "--quiet",
            "install",
            str(wheel),
            "-c",
            str(REPO / "requirements/runtime.txt"),
        ],
        check=True,
    )
    names = set(zipfile.ZipFile(wheel).namelist())
    # Data the package reads at run time travels inside the wheel, not beside a checkout.
    for shipped in (
        "site_builder/templates/base.html",
        "site_builder/templates/static/style.css",
        "site_builder/starter/netlify.toml",
        "site_builder/content/settings/rules/mr-v9.yaml",
    ):
        assert shipped in names, shipped
    yield root / "venv" / "bin" / "site-builder"
    shutil.rmtree(root, ignore_errors=True)


def run(script: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    completed = subprocess.run(
        [str(script), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in completed.stdout + completed.stderr, completed.stderr
    return completed


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working folder outside the repository, with a copy of the default content."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(installed: Path, elsewhere: Path, command: str) -> None:
    completed = run(installed, command, "--help", cwd=elsewhere)
    assert completed.returncode == 0 and "Usage" not in completed.stdout and "--help" in completed.stdout


def test_build_and_check_from_any_folder(installed: Path, elsewhere: Path) -> None:
    assert run(installed, "check", "--content", "content", cwd=elsewhere).returncode == 0
    built = run(
        installed, "build", "--content", "content", "--output", "site", "--as-of", "2022-12-01", cwd=elsewhere
    )
    assert built.returncode == 0, built.stderr
    page = (elsewhere / "site" / "roadmaps" / "balakhta-2022.html").read_text(encoding="utf-8")
    assert "Балахтинского района" in page
    assert list((elsewhere / "site" / "static").glob("style.*.css")), (
        "static files come from inside the wheel"
    )


def test_check_links_runs_without_the_dev_extras(installed: Path, elsewhere: Path) -> None:
    # No network here: the names of the evidence hosts do not resolve, so every link fails fast, with a verdict.
    completed = run(
        installed, "check-links", "--content", "content", "--no-cache", "--timeout", "2", cwd=elsewhere
    )
    assert completed.returncode in (0, 1), completed.stderr


def test_import_of_a_text_table(installed: Path, elsewhere: Path) -> None:
    source = REPO / "tests" / "fixtures" / "importer" / "synthetic-report.md"
    target = elsewhere / "content" / "reports" / "imported.yaml"
    completed = run(
        installed, "import", str(source), "--kind", "report", "--output", str(target), cwd=elsewhere
    )
    assert completed.returncode == 0, completed.stderr
    assert target.is_file()


def test_new_site_builds(installed: Path, tmp_path: Path) -> None:
    assert run(installed, "new", "site", "start", cwd=tmp_path).returncode == 0
    assert run(installed, "check", "--content", "start/content", cwd=tmp_path).returncode == 0
    built = run(installed, "build", "--content", "start/content", "--output", "start/output", cwd=tmp_path)
    assert built.returncode == 0 and (tmp_path / "start" / "output" / "index.html").is_file()


def test_monitor_runs_without_the_dev_extras(installed: Path, elsewhere: Path) -> None:
    # The default content names no school sites, so nothing is fetched; the rule table is read from the wheel.
    completed = run(installed, "monitor", "--content", "content", "--format", "json", cwd=elsewhere)
    assert completed.returncode in (0, 1), completed.stderr
