"""The state of a monitoring run, beside the results: content/monitoring/.progress-YYYY-MM-DD.jsonl.

One line per finished school (its checks compact, as in the results file: the catalog lines give each check's
title and basis once), appended as each finishes, so a run that stopped (Ctrl+C, a killed CI job, the
time limit) resumes without fetching those schools again. The first line fingerprints the settings and the
schools: a run with other settings or another list starts afresh. The file goes once the results are written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from pydantic import ValidationError

from site_builder.content.models import School
from site_builder.content.records.monitoring import (
    RESULTS_FOLDER,
    SchoolResult,
    compact_checks,
    expand_checks,
)
from site_builder.content.settings.monitoring import MonitoringConfig


def state_path(content_dir: Path, as_of: dt.date) -> Path:
    return content_dir / RESULTS_FOLDER / f".progress-{as_of.isoformat()}.jsonl"


def fingerprint(config: MonitoringConfig, schools: list[School]) -> str:
    listing = [(s.id, s.site, s.section_url) for s in schools]
    text = json.dumps([config.model_dump(mode="json"), listing], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RunState:
    """The schools a run has finished; `record` adds one, durably enough to survive a kill."""

    def __init__(self, path: Path, mark: str) -> None:
        self.path = path
        self.mark = mark
        self.done: dict[str, SchoolResult] = {}
        self._catalog: dict[str, dict[str, object]] = {}

    @classmethod
    def open(cls, path: Path, mark: str) -> RunState:
        state = cls(path, mark)
        state.done = state._read()
        if not state.done:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"fingerprint": mark}) + "\n", encoding="utf-8")
        return state

    def _read(self) -> dict[str, SchoolResult]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (FileNotFoundError, UnicodeDecodeError):
            return {}
        try:
            if not lines or json.loads(lines[0]).get("fingerprint") != self.mark:
                return {}
        except (json.JSONDecodeError, AttributeError):
            return {}
        done = {}
        for line in lines[1:]:
            try:
                record = json.loads(line)
                if isinstance(record, dict) and "catalog" in record:
                    self._catalog.update((info["id"], info) for info in record["catalog"])
                    continue
                result = SchoolResult.model_validate(expand_checks(record, list(self._catalog.values())))
            except (json.JSONDecodeError, ValidationError, TypeError, KeyError):
                continue  # the line a kill cut short: that school is monitored again
            done[result.id] = result
        return done

    def record(self, result: SchoolResult) -> None:
        self.done[result.id] = result
        compact = compact_checks(
            {"schools": [result.model_dump(mode="json", exclude_defaults=True)]}, every=True
        )
        new = [info for info in compact.get("check_catalog", []) if info["id"] not in self._catalog]
        self._catalog.update((info["id"], info) for info in new)
        lines = [json.dumps({"catalog": new}, ensure_ascii=False)] if new else []
        lines.append(json.dumps(compact["schools"][0], ensure_ascii=False))
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write("\n".join(lines) + "\n")
            stream.flush()
            os.fsync(stream.fileno())

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)
