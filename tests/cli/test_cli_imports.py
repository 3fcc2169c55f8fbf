"""The small commands import only what they use: editors run `check` on every commit through pre-commit.

Each command runs in a fresh interpreter that then writes down every module it imported; no timing is asserted,
the import discipline that keeps `--help` and `check` quick is. Not refused: `check` validates with pydantic and
reads YAML, and the shipped content has a Markdown page whose links it checks, so markdown and nh3 load there.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.helpers.sites import REPO, run_python

# Runs the command as `python -m site_builder` would, then lists sys.modules even though click exits.
_PROBE = """
import json, runpy, sys
listing, sys.argv = sys.argv[1], ["site-builder", *sys.argv[2:]]
try:
    runpy.run_module("site_builder", run_name="__main__", alter_sys=True)
finally:
    with open(listing, "w", encoding="utf-8") as out:
        json.dump(sorted(sys.modules), out)
"""

# Networking, terminal styling, HTML parsing, PDFs, Word, spreadsheets, templates, the file watcher.
HEAVY = ["httpx", "httpcore", "rich", "bs4", "lxml", "weasyprint", "docx", "openpyxl", "jinja2", "markupsafe",
         "watchfiles"]  # fmt: skip
# The layers above the loaded site: pages and downloads, link checks, the preview, the importer.
RENDERING = ["site_builder.render", "site_builder.checks", "site_builder.preview", "site_builder.importer"]


def imported_by(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    listing = tmp_path / "modules.json"
    result = run_python("-c", _PROBE, str(listing), *args, cwd=REPO)
    return result, set(json.loads(listing.read_text(encoding="utf-8")))


def loaded(modules: set[str], packages: list[str]) -> list[str]:
    return sorted(name for name in modules if any(name == p or name.startswith(f"{p}.") for p in packages))


def test_help_imports_the_command_line_only(tmp_path: Path) -> None:
    result, modules = imported_by(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    assert "Генератор раздела" in result.stdout
    assert "click" in modules  # the listing sees what the command imported
    refused = [*HEAVY, "markdown", "nh3", "pydantic", "pydantic_core", "yaml", *RENDERING, "site_builder.build",
               "site_builder.model", "site_builder.content"]  # fmt: skip
    assert loaded(modules, refused) == []


def test_check_of_the_shipped_content_loads_no_renderer(tmp_path: Path) -> None:
    result, modules = imported_by(tmp_path, "check", "--content", str(REPO / "content"))
    assert result.returncode == 0, result.stderr
    assert "Ошибок нет: дорожных карт — 1" in result.stdout
    assert {"pydantic", "yaml", "markdown", "site_builder.model.site"} <= modules
    assert loaded(modules, [*HEAVY, *RENDERING, "site_builder.content.records.link_report"]) == []
