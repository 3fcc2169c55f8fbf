"""The results file of one monitoring: content/monitoring/YYYY-MM-DD.yaml, reviewed and versioned like content.

A later run never replaces an earlier file: a second run on the same day writes YYYY-MM-DD-2.yaml, then -3 …
The file is self-contained (criteria, documents and school names as they were then), so an old note still reads
right after schools.yaml or the monitoring settings change.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from site_builder.content.models import check_url
from site_builder.content.settings.monitoring import CriterionId
from site_builder.core.russian import short_date

RESULTS_FOLDER = "monitoring"
NAME_PATTERN = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-(\d+))?$")


class Outcome(StrEnum):
    MET = "выполнен"
    NOT_MET = "не выполнен"
    UNKNOWN = "не проверен"  # the site gave no way to tell: no URL, robots.txt, an earlier criterion failed

    @property
    def icon(self) -> str:
        """Shown beside the word, never instead of it: ✓, ✗ or ?."""
        return ICONS[self]


ICONS = {Outcome.MET: "✓", Outcome.NOT_MET: "✗", Outcome.UNKNOWN: "?"}
# Version 1 files (before the «Сведения» checks) have no `version` and no `checks`: they read as before.
RESULTS_VERSION = 2


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"  # information «при наличии» the school may not have
    NOT_CHECKED = "not_checked"  # robots.txt, the run's time limit or a failed site kept us from looking

    @property
    def word(self) -> str:
        return STATUS_WORDS[self]

    @property
    def icon(self) -> str:
        return STATUS_ICONS[self]


STATUS_WORDS = {
    CheckStatus.PASS: "да",
    CheckStatus.FAIL: "нет",
    CheckStatus.NOT_APPLICABLE: "не применимо",
    CheckStatus.NOT_CHECKED: "не проверено",
}
STATUS_ICONS = {
    CheckStatus.PASS: "✓",
    CheckStatus.FAIL: "✗",
    CheckStatus.NOT_APPLICABLE: "–",
    CheckStatus.NOT_CHECKED: "?",
}


class _Record(BaseModel):
    # Built on first use: `check` of a content folder without results files never validates one.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class CriterionInfo(_Record):
    id: CriterionId = Field(title="Код критерия")
    title: str = Field(min_length=1, title="Критерий")
    description: str = Field("", title="Как проверялся")
    required: bool = Field(False, title="Обязательный")


class CriterionResult(_Record):
    outcome: Outcome = Field(title="Итог")
    text: str = Field("", title="Пояснение")


class CheckResult(_Record):
    """One check of one school: `sveden.<slug>`, `sveden.<slug>.<itemprop>`, `site500.<criterion>`, `a11y.<check>`."""

    id: str = Field(min_length=1, title="Код проверки")
    title: str = Field("", title="Что проверялось")
    status: CheckStatus = Field(title="Итог")
    required: bool = Field(True, title="Обязательная")
    reason: str = Field("", title="Пояснение")
    basis: str = Field("", title="Основание")
    fix: str = Field("", title="Как исправить")


class SubsectionInfo(_Record):
    slug: str = Field(min_length=1, title="Адрес подраздела")
    title: str = Field(min_length=1, title="Подраздел")


class DocumentMatch(_Record):
    """One place the section names a document: a link text, a file name or a heading."""

    where: str = Field(title="Где найдено")
    text: str = Field("", title="Текст")
    url: str = Field("", title="Адрес ссылки")
    link: str = Field("", title="Класс ссылки по проверке")
    reason: str = Field("", title="Итог проверки ссылки")

    # The note links these addresses: a hand-edited file must not slip a javascript: link into the site.
    _check_url = field_validator("url")(lambda cls, v: check_url(v) if v else v)


class DocumentFinding(_Record):
    title: str = Field(min_length=1, title="Документ")
    required: bool = Field(True, title="Обязательный")
    matches: list[DocumentMatch] = Field(default_factory=list, title="Где назван")

    @property
    def found(self) -> bool:
        return bool(self.matches)


class SchoolResult(_Record):
    id: str = Field(min_length=1, title="Код школы")
    short_name: str = Field(min_length=1, title="Краткое название")
    name: str = Field("", title="Полное название")
    site: str = Field("", title="Официальный сайт")
    section_url: str = Field("", title="Адрес раздела «500+»")
    section_how: str = Field("", title="Как найден раздел")
    updated: dt.date | None = Field(None, title="Дата обновления раздела")
    pages: int = Field(0, ge=0, title="Просмотрено страниц")
    criteria: dict[CriterionId, CriterionResult] = Field(title="Критерии")
    documents: list[DocumentFinding] = Field(default_factory=list, title="Документы")
    notes: list[str] = Field(default_factory=list, title="Замечания")
    checks: list[CheckResult] = Field(default_factory=list, title="Проверки")

    _check_urls = field_validator("site", "section_url")(lambda cls, v: check_url(v) if v else v)

    def outcome(self, criterion: CriterionId) -> Outcome:
        return self.criteria[criterion].outcome


class MonitoringResults(_Record):
    version: int = Field(1, ge=1, le=RESULTS_VERSION, title="Версия формата файла")
    rules: str = Field("", title="Редакция правил раздела «Сведения»")
    subsections: list[SubsectionInfo] = Field(default_factory=list, title="Подразделы раздела «Сведения»")
    date: dt.date = Field(title="Дата мониторинга")
    checked_at: dt.datetime | None = Field(None, title="Время проверки (UTC)")
    method: str = Field("", title="Метод")
    fresh_days: int = Field(90, ge=1, title="Срок обновления раздела, дней")
    criteria: list[CriterionInfo] = Field(min_length=1, title="Критерии")
    schools: list[SchoolResult] = Field(default_factory=list, title="Школы")

    @model_validator(mode="before")
    @classmethod
    def _expand_checks(cls, data: Any) -> Any:
        """The file keeps each check's title, basis and `required` once (`check_catalog`) and, per school, only
        what did not pass; read back, every school has the whole list again (see `results_yaml`)."""
        if not isinstance(data, dict) or "check_catalog" not in data:
            return data
        data = dict(data)
        catalog = data.pop("check_catalog")
        if not isinstance(catalog, list) or not isinstance(data.get("schools"), list):
            return data
        infos = [info for info in catalog if isinstance(info, dict) and "id" in info]
        data["schools"] = [expand_checks(school, infos) for school in data["schools"]]
        return data

    @model_validator(mode="after")
    def _every_school_has_every_criterion(self) -> MonitoringResults:
        expected = [info.id for info in self.criteria]
        for school in self.schools:
            if sorted(school.criteria) != sorted(expected):
                raise ValueError(
                    f"у школы {school.short_name} критерии {', '.join(school.criteria) or '—'}, "
                    f"а в списке criteria — {', '.join(expected)}: они должны совпадать"
                )
        return self

    def all_met(self, school: SchoolResult) -> bool:
        return all(school.outcome(info.id) is Outcome.MET for info in self.criteria)


def order_key(stem: str, date: dt.date) -> tuple[dt.date, int, str]:
    """Results in the order they were made: by date, then by the run number of that day (-2, -3 …)."""
    match = NAME_PATTERN.match(stem)
    return date, int(match.group(2) or 1) if match else 0, stem


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the content loader refuses anchors and aliases


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


CATALOG_FIELDS = ("title", "basis", "required")
LISTED = (CheckStatus.FAIL.value, CheckStatus.NOT_CHECKED.value)


def expand_checks(school: Any, infos: list[dict[str, Any]]) -> Any:
    if not isinstance(school, dict) or "checks" not in school:
        return school
    school = dict(school)
    listed = (
        {c.get("id"): c for c in school["checks"] if isinstance(c, dict)}
        if isinstance(school["checks"], list)
        else {}
    )
    not_applicable = set(school.pop("not_applicable", []) or [])
    checks = []
    for info in infos:
        status = CheckStatus.NOT_APPLICABLE.value if info["id"] in not_applicable else CheckStatus.PASS.value
        checks.append({**info, "status": status, **listed.get(info["id"], {})})
    school["checks"] = checks
    return school


def compact_checks(data: dict[str, Any], every: bool = False) -> dict[str, Any]:
    """One catalog of the checks and, per school, the failed and unchecked ones with their reasons: a regional
    run (1,000 schools × 220 checks) would otherwise repeat every title and basis 1,000 times. `every` keeps the
    reasons of the passed and not applicable ones too (the run state, which a resumed run reports from)."""
    listed = tuple(CheckStatus) if every else LISTED
    catalog: dict[str, dict[str, Any]] = {}
    schools = []
    for school in data.get("schools", []):
        checks = school.pop("checks", None)
        if checks is None:
            schools.append(school)
            continue
        for check in checks:
            catalog.setdefault(
                check["id"],
                {
                    "id": check["id"],
                    **{f: check.get(f, True if f == "required" else "") for f in CATALOG_FIELDS},
                },
            )
        school["checks"] = [
            {k: v for k, v in check.items() if k not in CATALOG_FIELDS}
            for check in checks
            if check["status"] in listed
        ]
        if not every:
            school["not_applicable"] = [
                c["id"] for c in checks if c["status"] == CheckStatus.NOT_APPLICABLE.value
            ]
        schools.append(school)
    if catalog:
        data = {key: value for key, value in data.items() if key != "schools"}
        data["check_catalog"] = list(catalog.values())
        data["schools"] = schools
    return data


def results_yaml(results: MonitoringResults) -> str:
    data = compact_checks(results.model_dump(mode="json", exclude_defaults=True))
    data = {"version": results.version, **data}
    data["fresh_days"] = results.fresh_days  # the file must read the same if the default ever changes
    header = (
        f"# Результаты мониторинга официальных сайтов ОО проекта «500+» на {short_date(results.date)}.\n"
        "# Записано командой site-builder monitor; по этому файлу сборка строит аналитическую справку.\n"
    )
    body = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=110
    )
    return header + body


def write_results(content_dir: Path, results: MonitoringResults) -> Path:
    """Write a new dated file; an existing file is never replaced, whoever creates one at the same moment."""
    folder = content_dir / RESULTS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    text = results_yaml(results).encode("utf-8")
    handle, temporary = tempfile.mkstemp(prefix=".monitoring-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        number = 1
        while True:
            name = results.date.isoformat() + (f"-{number}" if number > 1 else "")
            target = folder / f"{name}.yaml"
            if _place(temporary, target, text):
                return target
            number += 1
    finally:
        os.unlink(temporary)


def _place(temporary: str, target: Path, text: bytes) -> bool:
    """Put the finished file at `target` unless something is there already."""
    try:
        # A hard link appears complete or not at all, and fails rather than replace a file.
        os.link(temporary, target)
    except FileExistsError:
        return False
    except OSError:  # a drive without hard links (FAT, some network shares): exclusive create instead
        try:
            with open(target, "xb") as stream:
                stream.write(text)
        except FileExistsError:
            return False
    return True
