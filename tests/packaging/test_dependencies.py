"""What the package imports is what pyproject.toml declares as runtime dependencies, no more and no less."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(group: str | None = None) -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return {_normalise(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in specs}


def imported_distributions() -> dict[str, set[str]]:
    """Distribution → the package files that import it, deferred imports inside functions included."""
    owners = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / "site_builder").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top == "site_builder":
                    continue
                for distribution in owners.get(top, [top]):
                    found.setdefault(_normalise(distribution), set()).add(str(path.relative_to(REPO)))
    return found


def test_every_import_is_a_declared_runtime_dependency() -> None:
    missing = {name: files for name, files in imported_distributions().items() if name not in declared()}
    assert not missing, f"imported but not in [project] dependencies: {missing}"


def test_every_runtime_dependency_is_imported() -> None:
    assert declared() - set(imported_distributions()) == set()


def test_the_lock_pins_every_runtime_dependency() -> None:
    pins = {
        _normalise(line.split("==")[0])
        for line in (REPO / "requirements" / "runtime.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    assert declared() <= pins
    dev_pins = (REPO / "requirements" / "dev.txt").read_text(encoding="utf-8")
    assert all(re.search(rf"^{re.escape(name)}==", dev_pins, re.M | re.I) for name in declared("dev"))
