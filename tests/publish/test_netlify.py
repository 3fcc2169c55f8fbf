"""netlify.toml: the build command works from a clean checkout, output/ is published with the security headers,
fingerprinted assets are cached for long and everything else briefly, and unknown addresses get our 404 page."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.publish import FIXTURE, REPO, build, repo_copy

NETLIFY = tomllib.loads((REPO / "netlify.toml").read_text("utf-8"))
LONG = 31_536_000  # a year, in seconds


def headers_for(name: str) -> list[tuple[str, str]]:
    """(rule, value) of every [[headers]] rule that sets `name`."""
    return [(rule["for"], rule["values"][name]) for rule in NETLIFY["headers"] if name in rule["values"]]


def netlify_matches(rule: str, path: str) -> bool:
    """Netlify's path rules: «*» matches the rest of the path, «:name» one path segment, anything else itself."""
    parts = [
        ".*" if part == "*" else "[^/]+" if part.startswith(":") else re.escape(part)
        for part in rule.split("/")
    ]
    return re.fullmatch("/".join(parts), path) is not None


def csp() -> dict[str, list[str]]:
    (policy,) = [value for _, value in headers_for("Content-Security-Policy")]
    directives = [part.split() for part in policy.split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The URL paths of a full build (news feed and sitemap included), as Netlify would serve them."""
    output = build(FIXTURE, tmp_path_factory.mktemp("netlify") / "output")
    return ["/"] + ["/" + p.relative_to(output).as_posix() for p in sorted(output.rglob("*")) if p.is_file()]


def test_publishes_output_with_the_projects_python() -> None:
    assert NETLIFY["build"]["publish"] == "output"
    version = NETLIFY["build"]["environment"]["PYTHON_VERSION"]
    required = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["requires-python"]
    minimum = re.fullmatch(r">=\s*(\d+)\.(\d+)", required)
    assert minimum and tuple(map(int, version.split("."))) >= tuple(map(int, minimum.groups()))


def test_unknown_addresses_get_the_404_page() -> None:
    rules = [rule for rule in NETLIFY["redirects"] if rule["to"] == "/404.html"]
    assert len(rules) == 1
    assert rules[0]["from"] == "/*" and rules[0]["status"] == 404
    assert not rules[0].get("force", False), "a forced rule would hide the real pages"


def test_security_headers_on_every_response(served: list[str]) -> None:
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        for path in served:
            assert len([r for r, _ in headers_for(name) if netlify_matches(r, path)]) == 1, (name, path)
    assert headers_for("X-Content-Type-Options")[0][1] == "nosniff"
    assert headers_for("Referrer-Policy")[0][1] in (
        "strict-origin-when-cross-origin",
        "same-origin",
        "no-referrer",
    )


def test_csp_allows_only_our_own_files_and_nothing_inline() -> None:
    policy = csp()
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert set(policy["img-src"]) == {"'self'", "https:"}
    flat = [value for values in policy.values() for value in values]
    assert not [value for value in flat if value.startswith(("'unsafe", "'nonce", "'sha")) or value == "*"]


def test_long_cache_only_for_fingerprinted_assets(served: list[str]) -> None:
    for path in served:
        rules = [(rule, value) for rule, value in headers_for("Cache-Control") if netlify_matches(rule, path)]
        assert len(rules) == 1, f"{path}: правила Cache-Control не должны пересекаться: {rules}"
        max_age = int(re.search(r"max-age=(\d+)", rules[0][1]).group(1))  # type: ignore[union-attr]
        if path.startswith("/static/"):
            assert re.search(r"\.[0-9a-f]{10}\.[a-z0-9]+$", path), f"{path}: в имени нет хеша содержимого"
            assert max_age >= LONG and "immutable" in rules[0][1]
        else:
            assert max_age == 0 and "must-revalidate" in rules[0][1], path


def test_build_command_builds_a_clean_checkout(tmp_path: Path) -> None:
    """Run netlify.toml's build command in a scratch copy of the checkout.

    The install step is checked, not run: `pip install -e .` would re-point the shared project virtualenv at the
    scratch copy (and may need the network). Its effect — site-builder and its dependencies importable — is what
    the project venv already provides, so the rest of the command runs as written with that venv first on PATH.
    """
    install, _, rest = NETLIFY["build"]["command"].partition("&&")
    words = shlex.split(install)
    assert words[:2] == ["pip", "install"] and words[-1] == ".", "the build must install this checkout"
    assert rest.strip(), "the command must build after installing"
    checkout = repo_copy(tmp_path)
    venv_bin = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        rest, shell=True, cwd=checkout, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    published = checkout / NETLIFY["build"]["publish"]
    assert (published / "index.html").is_file() and (published / "404.html").is_file()
    assert (published / "robots.txt").is_file()
    assert "Traceback" not in done.stderr


def _flatten(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _flatten(item)]
    if isinstance(value, list):
        return [text for item in value for text in _flatten(item)]
    return [str(value)]


def test_no_address_of_a_real_site_is_hard_coded() -> None:
    """The file is shared by every municipality using the product: no host names, only paths."""
    assert not [text for text in _flatten(NETLIFY) if re.search(r"https?://", text)]
