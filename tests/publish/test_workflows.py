"""The CI workflows users get in .github/workflows/: what they run, in which order, what they keep and when they fail.

GitHub Actions cannot run here, so the files are read as data; the build step's own shell line is run for real.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from site_builder.cli import main
from tests.helpers.publish import BASE, repo_copy

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
STARTER = Path(__file__).resolve().parents[2] / "site_builder" / "starter"
SECRETS = ("NETLIFY_AUTH_TOKEN", "NETLIFY_SITE_ID")
CALL = re.compile(r"site-builder\s+([a-z][a-z-]*)([^|&;\n]*)")


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the bare key `on` as true
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def script(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def step_running(job: dict[str, Any], text: str) -> dict[str, Any]:
    (found,) = [step for step in steps(job) if text in step.get("run", "")]
    return found


def step_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in steps(job) if str(step.get("uses", "")).startswith(action + "@")]


SITE = workflow("site.yml")
NIGHTLY = workflow("nightly.yml")


def test_site_workflow_runs_on_push_and_checks_builds_tests_in_order() -> None:
    assert "push" in SITE["on"]
    job = SITE["jobs"]["build"]
    order = [script(job).index(text) for text in ("make check", "site-builder build", "make test")]
    assert order == sorted(order)
    build_line = step_running(job, "site-builder build")["run"]
    assert "--zip site.zip" in build_line and "--output output" in build_line
    uploaded = {step["with"]["path"].rstrip("/") for step in step_using(job, "actions/upload-artifact")}
    assert uploaded == {"output", "site.zip"}


def test_deploy_only_from_the_default_branch_and_only_with_the_secrets() -> None:
    job = SITE["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert "push" in job["if"] and "default_branch" in job["if"]
    assert {name: job["env"][name] for name in SECRETS} == {
        name: f"${{{{ secrets.{name} }}}}" for name in SECRETS
    }
    skip, *rest = steps(job)
    assert all(f"env.{name} == ''" in skip["if"] for name in SECRETS) and "GITHUB_STEP_SUMMARY" in skip["run"]
    for step in rest:
        assert all(f"env.{name} != ''" in step["if"] for name in SECRETS), step
    deploy = step_running(job, "netlify")["run"]
    assert "deploy" in deploy and "--prod" in deploy and "--dir output" in deploy and "--no-build" in deploy
    download = step_using(job, "actions/download-artifact")[0]["with"]
    assert download == {"name": "site", "path": "output"}
    assert step_using(job, "actions/checkout"), "netlify.toml (headers, 404) comes from the checkout"


def test_ci_uses_the_python_netlify_uses() -> None:
    netlify = (WORKFLOWS.parents[1] / "netlify.toml").read_text("utf-8")
    version = re.search(r'PYTHON_VERSION = "([\d.]+)"', netlify)
    assert version
    for data in (SITE, NIGHTLY):
        for job in data["jobs"].values():
            if "container" in job:
                assert job["container"].startswith(f"python:{version.group(1)}-"), job["container"]


def test_nightly_checks_links_with_a_kept_cache_and_publishes_reports() -> None:
    assert NIGHTLY["on"]["schedule"][0]["cron"]
    job = NIGHTLY["jobs"]["links"]
    calls = [m for m in CALL.finditer(script(job)) if m.group(1) == "check-links"]
    formats = {re.search(r"--format (\w+)", m.group(2)).group(1): m.group(2) for m in calls}  # type: ignore[union-attr]
    assert set(formats) == {"json", "junit", "markdown"}
    caches = {re.search(r"--cache (\S+)", args).group(1) for args in formats.values()}  # type: ignore[union-attr]
    (cache,) = caches
    outputs = {name: re.search(r"--output (\S+)", args).group(1) for name, args in formats.items()}  # type: ignore[union-attr]

    (restore,) = step_using(job, "actions/cache/restore")
    (save,) = step_using(job, "actions/cache/save")
    assert restore["with"]["path"] == save["with"]["path"] == cache
    assert save["if"] == "always()", "the cache must be kept even when links are broken"
    assert restore["with"]["restore-keys"] and save["with"]["key"].startswith(restore["with"]["restore-keys"])
    assert "github.run_id" in save["with"]["key"], "cache keys are immutable: each run saves a new one"
    order = [steps(job).index(step) for step in (restore, step_running(job, "check-links"), save)]
    assert order == sorted(order)

    (upload,) = step_using(job, "actions/upload-artifact")
    assert upload["if"] == "always()"
    assert set(outputs.values()) <= set(upload["with"]["path"].split())
    summary = step_running(job, "GITHUB_STEP_SUMMARY")
    assert summary["if"] == "always()" and f"cat {outputs['markdown']}" in summary["run"]


def test_nightly_fails_when_evidence_is_broken() -> None:
    job = NIGHTLY["jobs"]["links"]
    check = step_running(job, "check-links")
    assert "status=$?" in check["run"] and '"$GITHUB_OUTPUT"' in check["run"]
    final = steps(job)[-1]
    assert final["if"] == f"steps.{check['id']}.outputs.status != '0'" and "exit 1" in final["run"]
    done = subprocess.run(["bash", "-c", check["run"].replace(".venv/bin/site-builder", "false")],
                          env={**os.environ, "GITHUB_OUTPUT": "/dev/stdout"}, capture_output=True, text=True,
                          cwd=WORKFLOWS, check=False)  # fmt: skip
    assert done.returncode == 0 and "status=1" in done.stdout, (
        "a failing check must be recorded, not abort the step"
    )


def test_nightly_monitors_the_schools_and_keeps_the_report() -> None:
    job = NIGHTLY["jobs"]["monitor"]
    run = step_running(job, "site-builder monitor")["run"]
    assert "pipefail" in run, "the monitor's exit code must survive the pipe into tee"
    assert step_using(job, "actions/upload-artifact")[0]["if"] == "always()"


def _calls() -> list[tuple[str, str, list[str]]]:
    found = []
    for name in ("site.yml", "nightly.yml"):
        for match in CALL.finditer(script_of(name)):
            found.append((name, match.group(1), re.findall(r"(?<![\w-])--[a-z][a-z-]*", match.group(2))))
    return found


def script_of(name: str) -> str:
    return "\n".join(script(job) for job in workflow(name)["jobs"].values())


@pytest.mark.parametrize(("file", "command", "options"), _calls())
def test_workflow_commands_exist_in_the_cli(file: str, command: str, options: list[str]) -> None:
    if command not in main.commands:
        pytest.skip(f"команда {command} ещё не добавлена в cli.py (её делают параллельно)")
    known = {
        opt
        for param in main.commands[command].params
        if isinstance(param, click.Option)
        for opt in param.opts
    }
    assert set(options) <= known, (
        f"{file}: site-builder {command}: неизвестные параметры {set(options) - known}"
    )


def test_the_build_step_runs_as_written(tmp_path: Path) -> None:
    """The build step's shell line, with and without the SITE_BASE_URL repository variable."""
    line = step_running(SITE["jobs"]["build"], "site-builder build")["run"]
    checkout = repo_copy(tmp_path)
    (checkout / ".venv").symlink_to(Path(sys.executable).parents[1])
    for base in ("", BASE.rstrip("/")):
        done = subprocess.run(["bash", "-c", line], cwd=checkout, env={**os.environ, "SITE_BASE_URL": base},
                              capture_output=True, text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert (checkout / "site.zip").is_file()
        assert (checkout / "output" / "sitemap.xml").is_file() == bool(base)


def test_nightly_runs_the_suite_against_the_newest_allowed_versions() -> None:
    commands = script(NIGHTLY["jobs"]["newest"])
    assert "--upgrade" in commands and "requirements/" not in commands, "the lock is left out on purpose"
    assert "make test" in commands


@pytest.mark.parametrize(
    "path", [WORKFLOWS / "site.yml", STARTER / "site.yml"], ids=["repository", "starter"]
)
def test_the_build_cache_is_kept_between_runs_before_the_build(path: Path) -> None:
    """A push that changes nothing is then restored whole (build/snapshot.py) instead of built again."""
    job = yaml.safe_load(path.read_text("utf-8"))["jobs"]["build"]
    names = [step.get("uses", "") + step.get("run", "") for step in steps(job)]
    (cache,) = [step for step in step_using(job, "actions/cache") if step["with"]["path"] == ".cache/build"]
    assert cache["with"]["restore-keys"] and cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    built = next(index for index, name in enumerate(names) if "site-builder build" in name)
    assert steps(job).index(cache) < built
