"""The map of ARCHITECTURE.md holds: no import cycles, deferred imports inside functions included; tests import
only helper modules (tests/helpers), never another test module or a conftest.

The layer contract itself is import-linter's (pyproject.toml, run by `make lint`); this test finds the cycles a
layer contract cannot see, between modules of one layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "site_builder"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            else:
                continue
            graph[name] |= {target for target in targets if target in modules and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


TESTS = PACKAGE.parent / "tests"
HELPERS = "tests.helpers"


def borrowed_imports(module: str, tree: ast.AST) -> list[str]:
    """What `module` imports from the tests package that is not a helper module (a test module or a conftest)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [node.module]
        elif isinstance(node, ast.ImportFrom):
            targets = [f"relative import {'.' * node.level}{node.module or ''}"]
        else:
            continue
        for target in targets:
            own = target == "tests" or target.startswith(("tests.", "relative import"))
            allowed = target == HELPERS or target.startswith(HELPERS + ".")
            if own and not allowed:
                found.append(f"{module}: {target}")
    return found


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    borrowed = [
        line
        for path in sorted(TESTS.rglob("*.py"))
        for line in borrowed_imports(
            ".".join(path.relative_to(TESTS.parent).with_suffix("").parts), ast.parse(path.read_text("utf-8"))
        )
    ]
    assert borrowed == []


def test_the_scan_sees_a_borrowed_test_function_and_a_conftest() -> None:
    tree = ast.parse(
        "from tests.model.test_lint import run\nimport tests.checks.conftest\nfrom .x import y\n"
    )
    assert borrowed_imports("tests.a", tree) == [
        "tests.a: tests.model.test_lint", "tests.a: tests.checks.conftest", "tests.a: relative import .x",
    ]  # fmt: skip
    assert borrowed_imports("tests.a", ast.parse("from tests.helpers.html import soup")) == []
