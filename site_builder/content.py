"""The content files' schema: what an editor may write in site.yaml, roadmaps/, reports/, schools.yaml and pages/.

Every model rejects unknown keys so that a typo is an error, not silently ignored data. Field titles are Russian:
they name the field in error messages and in the JSON Schema editors get.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"
_DANGEROUS_SCHEMES = ("javascript", "vbscript", "data")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def check_url(value: str) -> str:
    """Refuse URLs that run code in the reader's browser; odd but harmless schemes are the link checker's job."""
    cleaned = "".join(ch for ch in value if ch.isprintable() and not ch.isspace())
    match = _SCHEME.match(cleaned)
    if match and match.group(1).lower() in _DANGEROUS_SCHEMES:
        raise ValueError(f"адрес со схемой «{match.group(1)}:» запрещён: такие ссылки выполняют код в браузере")
    if value != value.strip():
        raise ValueError("адрес не должен начинаться или заканчиваться пробелом")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=True)


class Link(Strict):
    title: str = Field("", title="Название ссылки", description="Что открывается по ссылке: документ, страница.")
    url: str = Field(
        "",
        title="Адрес ссылки",
        description="Ссылка, как она записана в документе. Пустая — «ссылка не указана».",
    )

    _check_url = field_validator("url")(lambda cls, v: check_url(v) if v else v)


class Person(Strict):
    name: str = Field("", title="Фамилия и инициалы")
    position: str = Field("", title="Должность")
    phone: str = Field("", title="Телефон")
    email: str = Field("", title="Электронная почта")


class Checkpoint(Strict):
    """A monitoring checkpoint the roadmap itself declares, e.g. «не менее 30-40%» by 30.06.2023."""

    date: dt.date = Field(title="Дата контрольной точки")
    target: int = Field(ge=0, le=100, title="Целевая доля выполненных мероприятий, %")
    label: str = Field("", title="Название", description="Как контрольная точка названа в документе.")
    item: str = Field("", title="Номер мероприятия", description="Мероприятие дорожной карты, которое её задаёт.")


class Approval(Strict):
    kind: str = Field(title="Вид документа", description="Приказ, распоряжение, постановление…", examples=["Приказ"])
    issuer: str = Field("", title="Кто издал документ")
    number: str = Field("", title="Номер документа", examples=["6а"])
    date: dt.date | None = Field(None, title="Дата документа")
    title: str = Field("", title="Заголовок документа")
    signer: Person = Field(default_factory=Person, title="Кто подписал")
    file: Link | None = Field(None, title="Файл документа")


ColumnKey = Literal["number", "activity", "deadline", "executors", "task", "indicator", "info", "evidence"]


class TaskRow(Strict):
    """One task with its indicator; a row may name its own executors (Балахта 4.1, 4.2)."""

    task: str = Field("", title="Задача")
    indicator: str = Field("", title="Показатель реализации")
    executors: str = Field("", title="Исполнители этой строки")


class ScheduleOverride(Strict):
    """Explicit dates an editor gives when the deadline text is read wrongly or not at all."""

    start: dt.date | None = Field(None, title="Начало", description="Пусто — срок «не позднее» даты окончания.")
    end: dt.date = Field(title="Окончание")

    @model_validator(mode="after")
    def _ordered(self) -> ScheduleOverride:
        if self.start and self.start > self.end:
            raise ValueError("начало позже окончания")
        return self


class Item(Strict):
    number: str = Field(min_length=1, title="Номер мероприятия", examples=["1.1"])
    activity: str = Field(min_length=1, title="Мероприятие")
    deadline: str = Field("", title="Срок реализации", description="Как в документе, слово в слово.")
    schedule: ScheduleOverride | None = Field(None, title="Даты вручную")
    executors: str = Field("", title="Исполнители")
    task: str = Field("", title="Задача", description="Для одной строки задач; для нескольких — rows.")
    indicator: str = Field("", title="Показатель реализации")
    rows: list[TaskRow] = Field(default_factory=list, title="Строки задач и показателей")
    info: str = Field("", title="Информационное сопровождение")
    evidence: list[Link] = Field(default_factory=list, title="Подтверждающие ссылки")
    note: str = Field("", title="Примечание")

    @model_validator(mode="after")
    def _one_way_to_give_rows(self) -> Item:
        if self.rows and (self.task or self.indicator):
            raise ValueError("укажите задачу и показатель либо в task/indicator, либо списком в rows, но не так и так")
        return self

    @property
    def task_rows(self) -> list[TaskRow]:
        if self.rows:
            return self.rows
        if self.task or self.indicator:
            return [TaskRow(task=self.task, indicator=self.indicator)]
        return []


class Section(Strict):
    number: str = Field("", title="Номер раздела")
    title: str = Field(min_length=1, title="Название раздела")
    items: list[Item] = Field(default_factory=list, title="Мероприятия")


DEFAULT_COLUMNS: dict[ColumnKey, str] = {
    "number": "№",
    "activity": "Мероприятие",
    "deadline": "Срок реализации",
    "executors": "Исполнители",
    "task": "Задачи",
    "indicator": "Показатель реализации",
}


class Roadmap(Strict):
    title: str = Field(min_length=1, title="Название дорожной карты")
    slug: str = Field("", pattern=SLUG_PATTERN, title="Адрес страницы", description="По умолчанию — имя файла.")
    level: Literal["federal", "regional", "municipal", "school"] = Field(title="Уровень")
    territory: str = Field("", title="Территория")
    year: int = Field(ge=2000, le=2100, title="Год")
    approval: Approval | None = Field(None, title="Утверждающий документ")
    intro: str = Field("", title="Вводный текст (Markdown)")
    columns: dict[ColumnKey, str] = Field(
        default_factory=lambda: dict(DEFAULT_COLUMNS),
        title="Заголовки столбцов",
        description="Столбцы таблицы в порядке документа и их заголовки, как в документе.",
    )
    checkpoints: list[Checkpoint] = Field(default_factory=list, title="Контрольные точки мониторинга")
    sections: list[Section] = Field(min_length=1, title="Разделы")


ReportStatus = Literal["выполнено", "в работе", "запланировано", "не выполнено", "отменено"]


class ReportItem(Strict):
    number: str = Field(min_length=1, title="Номер мероприятия")
    status: ReportStatus = Field(title="Статус")
    result: str = Field("", title="Результат", description="Текст отчётной информации без ссылок.")
    evidence: list[Link] = Field(default_factory=list, title="Подтверждающие документы")
    # Used only when the report carries its own items instead of referring to a roadmap.
    activity: str = Field("", title="Мероприятие")
    deadline: str = Field("", title="Срок реализации")
    indicator: str = Field("", title="Показатель реализации")


class ReportSection(Strict):
    number: str = Field("", title="Номер раздела")
    title: str = Field(min_length=1, title="Название раздела")
    items: list[ReportItem] = Field(default_factory=list, title="Пункты отчёта")


class Report(Strict):
    title: str = Field(min_length=1, title="Название отчёта")
    slug: str = Field("", pattern=SLUG_PATTERN, title="Адрес страницы")
    roadmap: str = Field("", title="Дорожная карта", description="Адрес (slug) дорожной карты, по которой отчёт.")
    stage: str = Field("", title="Этап или период")
    year: int | None = Field(None, ge=2000, le=2100, title="Год")
    date: dt.date | None = Field(None, title="Дата отчёта")
    approved_by: Person | None = Field(None, title="Кто утвердил")
    column: str = Field("Отчетная информация", title="Заголовок столбца отчёта")
    narrative: str = Field("", title="Текст отчёта (Markdown)")
    sections: list[ReportSection] = Field(min_length=1, title="Разделы")


class School(Strict):
    id: str = Field(pattern=SLUG_PATTERN, title="Код школы", description="Латиница, цифры, дефис.")
    short_name: str = Field(min_length=1, title="Краткое название", examples=["БСШ1"])
    name: str = Field("", title="Полное название")
    site: str = Field("", title="Официальный сайт")
    section_url: str = Field("", title="Адрес раздела «500+» на сайте школы")
    curator: str = Field("", title="Куратор")
    note: str = Field("", title="Примечание")

    _check_urls = field_validator("site", "section_url")(lambda cls, v: check_url(v) if v else v)


class Schools(Strict):
    schools: list[School] = Field(default_factory=list, title="Школы проекта")


class ParentSite(Strict):
    title: str = Field(title="Название сайта")
    url: str = Field(title="Адрес сайта")

    _check_url = field_validator("url")(lambda cls, v: check_url(v))


class SiteConfig(Strict):
    title: str = Field("Федеральный проект 500+", title="Название раздела")
    organisation: str = Field(min_length=1, title="Организация")
    territory: str = Field("", title="Территория")
    description: str = Field("", title="Описание раздела")
    parent_site: ParentSite | None = Field(None, title="Основной сайт организации")
    coordinator: Person | None = Field(None, title="Координатор проекта")
    base_url: str = Field("", title="Адрес раздела в интернете", examples=["https://example.org/500plus/"])
    language: Literal["ru"] = Field("ru", title="Язык")
    intro: str = Field("", title="Текст главной страницы (Markdown)")

    _check_url = field_validator("base_url")(lambda cls, v: check_url(v) if v else v)


class PageMeta(Strict):
    """Front matter of a Markdown page."""

    title: str = Field(min_length=1, title="Заголовок")
    date: dt.date | None = Field(None, title="Дата")
    summary: str = Field("", title="Краткое описание")
    news: bool = Field(False, title="Новость", description="Новости попадают в ленту и на главную.")
    slug: str = Field("", pattern=SLUG_PATTERN, title="Адрес страницы")
