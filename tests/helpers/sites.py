"""Small content folders for tests: a known-good synthetic site with some files replaced, added or removed.

The root conftest.py builds its fixtures (content folder → loaded site → built site) from these.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from site_builder.cli import main

REPO = Path(__file__).resolve().parents[2]
SITES = REPO / "tests" / "fixtures" / "sites"
AS_OF = "2022-12-01"

FileSpec = str | bytes | None

# 9**26 strings if anything expanded it: a test using it could not finish unless aliases are refused.
BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, name in zip("abcdefghijklmnopqrstuvwxy", "bcdefghijklmnopqrstuvwxyz", strict=True)
        ),
    ]
)


def make_site(root: Path, files: Mapping[str, FileSpec] | None = None, *, base: str = "minimal") -> Path:
    """A content folder under `root`: a copy of fixtures/sites/<base> with `files` written over it.

    A str value is written as UTF-8, bytes as they are, None deletes the file. Returns the content folder.
    """
    content = root / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(SITES / base, content)
    for relative, data in (files or {}).items():
        path = content / relative
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return content


def read_fixture(relative: str, base: str = "minimal") -> str:
    return (SITES / base / relative).read_text(encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, keyed by relative POSIX path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(parent: Path) -> list[str]:
    """What a build left beside output/ and content/ in `parent`, apart from its lock file (kept on purpose)."""
    return sorted(
        path.name for path in parent.iterdir() if path.name not in ("output", "content", ".output.lock")
    )


def first_build(root: Path) -> Path:
    """The fixture site built into output/, both under `root`, which the caller made the working directory."""
    make_site(root)
    assert build_cli(Path("content"), Path("output")).exit_code == 0
    return root / "output"


def run_cli(*args: str) -> Result:
    """The real CLI in-process; stderr is kept apart so tests can check where each line goes."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def build_cli(content: Path, output: Path, as_of: str = AS_OF) -> Result:
    return run_cli("build", "--content", str(content), "--output", str(output), "--as-of", as_of)


def check_cli(content: Path) -> Result:
    return run_cli("check", "--content", str(content))


def run_process(*args: str, cwd: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """The real command in its own process (`prefix`: a command it runs under), bounded by a timeout."""
    return run_python("-m", "site_builder", *args, cwd=cwd, prefix=prefix)


def run_python(*args: str, cwd: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """This interpreter with `args` in a clean environment that finds this checkout's site_builder."""
    return subprocess.run(
        [*prefix, sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
