"""Roadmaps and reports as JSON with a stable, documented schema (docs/json-export.md, docs/json-export.schema.json).

The pydantic models below are the schema: the output is written with their fields in their order (a test reads it
back through them and gets the same bytes) and the committed JSON Schema file is generated from them by
`schema_text()`; a test keeps the two equal. `version` changes whenever a field is removed, renamed or changes meaning; adding a field does not change it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import to_json

from site_builder.content.models import Link
from site_builder.model.deadlines import schedule_to_json
from site_builder.model.site import ReportEntry, RoadmapEntry, Site
from site_builder.render.status import (
    CheckpointResult,
    CheckpointState,
    ItemStatus,
    Progress,
    StatusCode,
    StatusTable,
    StatusWord,
)

SCHEMA_VERSION = 1


class Out(BaseModel):
    # Built when first used (the schema command, a test reading an export back): a build writes its exports from
    # dicts and never validates one, and building the models was 12 ms of every build's imports.
    model_config = ConfigDict(frozen=True, defer_build=True)


class LinkOut(Out):
    title: str = Field(description="Текст ссылки, как в документе; может быть пустым.")
    url: str = Field(description="Адрес, как в документе; пустая строка — ссылка не указана.")


class TaskRowOut(Out):
    task: str = Field(description="Задача.")
    indicator: str = Field(description="Показатель реализации.")
    executors: str = Field(description="Свои исполнители этой строки; пусто — исполнители мероприятия.")


class ScheduleOut(Out):
    text: str = Field(description="Срок, как он записан в документе.")
    kind: Literal["period", "deadline", "recurring", "continuous", "unknown"] = Field(
        description="Как понят срок: период, крайний срок, повторяющееся, постоянное, не распознан."
    )
    start: dt.date | None = Field(description="Первый день срока.")
    end: dt.date | None = Field(description="Последний день срока (для крайнего срока — сам срок).")
    intervals: list[tuple[dt.date, dt.date]] = Field(description="Периоды [начало, конец] по порядку.")
    deadline: dt.date | None = Field(description="Крайний срок «не позднее», если срок такой.")
    recurrence: str | None = Field(description="Повторяемость словами («еженедельно»), если есть.")
    done: bool = Field(description="В тексте срока отмечено «исполнено».")
    note: str | None = Field(description="Примечание из текста срока.")


class ReportedOut(Out):
    report: str = Field(description="Адрес (slug) отчёта.")
    status: str = Field(description="Статус, как он записан в отчёте.")
    result: str = Field(description="Текст отчётной информации без ссылок.")
    evidence: list[LinkOut] = Field(description="Подтверждающие документы из отчёта.")


class ItemOut(Out):
    number: str = Field(description="Номер мероприятия, как в документе («1.1.»).")
    activity: str = Field(description="Мероприятие.")
    deadline: str = Field(description="Срок реализации, как в документе.")
    schedule: ScheduleOut = Field(description="Как понят срок.")
    executors: str = Field(description="Исполнители.")
    rows: list[TaskRowOut] = Field(description="Задачи и показатели, по строкам таблицы.")
    info: str = Field(description="Информационное сопровождение.")
    evidence: list[LinkOut] = Field(description="Подтверждающие ссылки из дорожной карты.")
    note: str = Field(description="Примечание.")
    status: StatusWord = Field(description="Статус на дату as_of.")
    status_code: StatusCode = Field(description="Тот же статус латиницей, для программ.")
    status_reason: str = Field(description="Почему такой статус: по отчёту, по сроку.")
    due: bool = Field(description="Срок мероприятия закончился не позднее даты as_of.")
    report: ReportedOut | None = Field(description="Что сказано о мероприятии в отчёте; null — отчёта нет.")


class ProgressOut(Out):
    as_of: dt.date = Field(description="Дата, на которую посчитан ход выполнения.")
    total: int = Field(description="Мероприятий всего (без отменённых).")
    done: int = Field(description="Из них выполнено.")
    due: int = Field(description="Мероприятий, срок которых закончился не позднее as_of.")
    due_done: int = Field(description="Из них выполнено.")
    done_percent: int | None = Field(
        description="done / total, %, с округлением вниз; null — мероприятий нет."
    )
    due_percent: int | None = Field(
        description="due_done / due, %, с округлением вниз; null — срок ни у одного не наступил."
    )
    summary: str = Field(description="То же словами, как на странице.")
    basis: str = Field(
        description="На чём основан ход выполнения: «по данным отчёта от ДД.ММ.ГГГГ»; пусто — отчёта нет."
    )


class CheckpointOut(Out):
    date: dt.date = Field(description="Дата контрольной точки.")
    target: int = Field(description="Цель: доля выполненных мероприятий не менее, %.")
    label: str = Field(description="Как контрольная точка названа в документе.")
    item: str = Field(description="Мероприятие, которое её задаёт.")
    state: CheckpointState = Field(
        description=(
            "reached — цель достигнута, missed — не достигнута (по отчёту или при statuses: strict), "
            "unreported — сведений о выполнении нет, upcoming — дата ещё не наступила."
        )
    )
    percent: int = Field(
        description="Доля выполненных мероприятий на дату точки (или на as_of, если она впереди), %."
    )
    measured_on: dt.date = Field(description="Дата, на которую посчитан percent.")


class SectionOut(Out):
    number: str = Field(description="Номер раздела, как в документе.")
    title: str = Field(description="Название раздела.")
    progress: ProgressOut = Field(description="Ход выполнения раздела.")
    items: list[ItemOut] = Field(description="Мероприятия раздела.")


class ApprovalOut(Out):
    kind: str = Field(description="Вид документа: приказ, распоряжение…")
    issuer: str = Field(description="Кто издал.")
    number: str = Field(description="Номер.")
    date: dt.date | None = Field(description="Дата.")
    title: str = Field(description="Заголовок.")


class RoadmapOut(Out):
    slug: str = Field(description="Адрес (slug) дорожной карты.")
    page: str = Field(description="Страница дорожной карты относительно корня раздела.")
    title: str = Field(description="Название.")
    level: Literal["federal", "regional", "municipal", "school"] = Field(description="Уровень.")
    territory: str = Field(description="Территория.")
    year: int = Field(description="Год.")
    approval: ApprovalOut | None = Field(description="Утверждающий документ.")
    columns: dict[str, str] = Field(
        description="Заголовки столбцов таблицы, как в документе, по ключам полей."
    )


class ReportOut(Out):
    slug: str = Field(description="Адрес (slug) отчёта.")
    page: str = Field(description="Страница отчёта относительно корня раздела.")
    title: str = Field(description="Название.")
    stage: str = Field(description="Этап или период.")
    year: int | None = Field(description="Год.")
    date: dt.date | None = Field(description="Дата отчёта.")
    column: str = Field(description="Заголовок столбца отчёта, как в документе.")


class ExportOut(Out):
    """A roadmap or a report with statuses and progress as of a date."""

    model_config = ConfigDict(frozen=True, title="Выгрузка дорожной карты или отчёта проекта «500+»")

    version: Literal[1] = Field(description="Версия схемы.")
    kind: Literal["roadmap", "report"] = Field(description="Что выгружено: дорожная карта или отчёт.")
    as_of: dt.date = Field(description="Дата, на которую посчитаны статусы.")
    organisation: str = Field(description="Организация, ведущая раздел.")
    roadmap: RoadmapOut | None = Field(
        description="Дорожная карта (для отчёта — та, по которой он; null — нет)."
    )
    report: ReportOut | None = Field(description="Отчёт; null в выгрузке дорожной карты.")
    progress: ProgressOut = Field(description="Ход выполнения в целом.")
    checkpoints: list[CheckpointOut] = Field(description="Контрольные точки дорожной карты.")
    sections: list[SectionOut] = Field(description="Разделы с мероприятиями.")


# The export is written from plain dicts with the models' fields in their order: pydantic's serializer writes
# the same bytes as a dump of the models (tests/render/exports/test_json.py reads them back through ExportOut and
# compares), without validating thousands of small models that the code has just filled in itself.
Data = dict[str, object]


def _links(links: list[Link]) -> list[Data]:
    return [{"title": link.title, "url": link.url} for link in links]


def _progress(progress: Progress) -> Data:
    return {
        "as_of": progress.as_of,
        "total": progress.total,
        "done": progress.done,
        "due": progress.due,
        "due_done": progress.due_done,
        "done_percent": progress.done_percent,
        "due_percent": progress.due_percent,
        "summary": progress.summary,
        "basis": progress.basis,
    }


def _item(status: ItemStatus) -> Data:
    item = status.item  # None for a report that carries its own items
    reported = None
    if status.report is not None and status.report_item is not None:
        reported = {
            "report": status.report.slug,
            "status": status.report_item.status,
            "result": status.report_item.result,
            "evidence": _links(status.report_item.evidence),
        }
    return {
        "number": status.number,
        "activity": status.activity,
        "deadline": status.schedule.text,
        "schedule": schedule_to_json(status.schedule),
        "executors": item.executors if item else "",
        "rows": [{"task": r.task, "indicator": r.indicator, "executors": r.executors} for r in item.task_rows]
        if item
        else [],
        "info": item.info if item else "",
        "evidence": _links(item.evidence) if item else [],
        "note": item.note if item else "",
        "status": status.kind.word,
        "status_code": status.kind.code,
        "status_reason": status.reason,
        "due": status.due,
        "report": reported,
    }


def _checkpoint(result: CheckpointResult) -> Data:
    point = result.checkpoint
    return {
        "date": point.date,
        "target": point.target,
        "label": point.label,
        "item": point.item,
        "state": result.state,
        "percent": result.percent,
        "measured_on": result.progress.as_of,
    }


def _roadmap(entry: RoadmapEntry) -> Data:
    roadmap, approval = entry.roadmap, entry.roadmap.approval
    return {
        "slug": entry.slug,
        "page": entry.url,
        "title": roadmap.title,
        "level": roadmap.level,
        "territory": roadmap.territory,
        "year": roadmap.year,
        "approval": {
            "kind": approval.kind, "issuer": approval.issuer, "number": approval.number, "date": approval.date,
            "title": approval.title,
        } if approval else None,
        "columns": dict(roadmap.columns),
    }  # fmt: skip


def _export(
    site: Site,
    kind: Literal["roadmap", "report"],
    roadmap: Data | None,
    report: Data | None,
    table: StatusTable,
) -> bytes:
    export = {
        "version": SCHEMA_VERSION,
        "kind": kind,
        "as_of": table.as_of,
        "organisation": site.config.organisation,
        "roadmap": roadmap,
        "report": report,
        "progress": _progress(table.overall),
        "checkpoints": [_checkpoint(result) for result in table.checkpoints],
        "sections": [
            {
                "number": s.number,
                "title": s.title,
                "progress": _progress(s.progress),
                "items": [_item(i) for i in s.items],
            }
            for s in table.sections
        ],
    }
    # pydantic's serializer writes the same bytes as json.dumps(…, ensure_ascii=False, indent=2), in a tenth of
    # the time: the json module indents in Python.
    return to_json(export, indent=2) + b"\n"


def roadmap_json(site: Site, entry: RoadmapEntry, table: StatusTable) -> bytes:
    return _export(site, "roadmap", _roadmap(entry), None, table)


def report_json(site: Site, entry: ReportEntry, table: StatusTable) -> bytes:
    report = entry.report
    out: Data = {
        "slug": entry.slug,
        "page": entry.url,
        "title": report.title,
        "stage": report.stage,
        "year": report.year,
        "date": report.date,
        "column": report.column,
    }
    return _export(site, "report", _roadmap(entry.roadmap) if entry.roadmap else None, out, table)


def json_schema() -> dict[str, object]:
    schema = ExportOut.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
