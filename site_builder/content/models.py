"""The content files' schema: what an editor may write in site.yaml, roadmaps/, reports/, schools.yaml and pages/.

Every model rejects unknown keys so that a typo is an error, not silently ignored data. Field titles are Russian:
they name the field in error messages and in the JSON Schema editors get.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from site_builder.content.settings.link_check import LinkCheckConfig
from site_builder.content.settings.monitoring import MonitoringConfig
from site_builder.core.addresses import normalise_base_url

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"
_DANGEROUS_SCHEMES = ("javascript", "vbscript", "data")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def check_url(value: str) -> str:
    """Refuse URLs that run code in the reader's browser; odd but harmless schemes are the link checker's job."""
    # What a browser drops from a scheme («java\tscript:»): every character that is not printable, and spaces.
    # Of the whitespace only " " is printable, so a printable address needs no pass over its characters (a
    # national site has 70,000 of them).
    if value.isprintable():
        cleaned = value.replace(" ", "")
    else:
        cleaned = "".join(ch for ch in value if ch.isprintable() and not ch.isspace())
    match = _SCHEME.match(cleaned)
    if match and match.group(1).lower() in _DANGEROUS_SCHEMES:
        raise ValueError(
            f"адрес со схемой «{match.group(1)}:» запрещён: такие ссылки выполняют код в браузере"
        )
    if value != value.strip():
        raise ValueError("адрес не должен начинаться или заканчиваться пробелом")
    return value


# One set object for every model with the same fields set: a national site holds a million models, and a set of
# its own took a third of each model's memory. Frozen models never change theirs (model_copy copies it first).
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=True)

    def model_post_init(self, context: object, /) -> None:
        given = self.__pydantic_fields_set__
        shared = _FIELDS_SETS.setdefault(frozenset(given), given)
        if shared is not given:
            object.__setattr__(self, "__pydantic_fields_set__", shared)


class Link(Strict):
    title: str = Field(
        "",
        title="Название ссылки",
        description="Что открывается по ссылке: документ, страница.",
        examples=["Графики посещения школ кураторами"],
    )
    url: str = Field(
        "",
        title="Адрес ссылки",
        description="Ссылка, как она записана в документе. Пустая — «ссылка не указана».",
        examples=["https://example.org/documents/protokol.pdf"],
    )

    _check_url = field_validator("url")(lambda cls, v: check_url(v) if v else v)


class Person(Strict):
    name: str = Field(
        "",
        title="Фамилия и инициалы",
        description="Фамилия и инициалы, как в документе.",
        examples=["Иванова И.И."],
    )
    position: str = Field(
        "",
        title="Должность",
        description="Должность, как в документе.",
        examples=["Муниципальный координатор"],
    )
    phone: str = Field("", title="Телефон", description="Рабочий телефон.", examples=["+7 (000) 000-00-00"])
    email: str = Field(
        "",
        title="Электронная почта",
        description="Рабочий адрес электронной почты.",
        examples=["coordinator@example.org"],
    )


class Checkpoint(Strict):
    """A monitoring checkpoint the roadmap itself declares, e.g. «не менее 30-40%» by 30.06.2023."""

    date: dt.date = Field(
        title="Дата контрольной точки",
        description="Дата, к которой должна быть достигнута доля, в виде ГГГГ-ММ-ДД.",
        examples=["2023-06-30"],
    )
    target: int = Field(
        ge=0,
        le=100,
        title="Целевая доля выполненных мероприятий, %",
        description="Сколько процентов мероприятий должно быть выполнено к этой дате: от 0 до 100.",
        examples=[30],
    )
    label: str = Field(
        "",
        title="Название",
        description="Как контрольная точка названа в документе.",
        examples=["не менее 30-40%"],
    )
    item: str = Field(
        "",
        title="Номер мероприятия",
        description="Мероприятие дорожной карты, которое её задаёт.",
        examples=["10"],
    )


class Approval(Strict):
    kind: str = Field(
        title="Вид документа", description="Приказ, распоряжение, постановление…", examples=["Приказ"]
    )
    issuer: str = Field(
        "",
        title="Кто издал документ",
        description="Орган или организация, издавшие документ.",
        examples=["Управление образования администрации района"],
    )
    number: str = Field(
        "",
        title="Номер документа",
        examples=["6а"],
        description="Номер документа без знака «№», как в документе.",
    )
    date: dt.date | None = Field(
        None,
        title="Дата документа",
        description="Дата документа в виде ГГГГ-ММ-ДД.",
        examples=["2022-01-14"],
    )
    title: str = Field(
        "",
        title="Заголовок документа",
        description="Заголовок документа, как в документе.",
        examples=["Об утверждении дорожной карты по реализации проекта «500+»"],
    )
    signer: Person = Field(
        default_factory=Person,
        title="Кто подписал",
        description="Кто подписал документ: фамилия, инициалы, должность.",
    )
    file: Link | None = Field(
        None,
        title="Файл документа",
        description="Ссылка на файл документа: скан или PDF.",
    )


ColumnKey = Literal["number", "activity", "deadline", "executors", "task", "indicator", "info", "evidence"]


class TaskRow(Strict):
    """One task with its indicator; a row may name its own executors (Балахта 4.1, 4.2)."""

    task: str = Field(
        "",
        title="Задача",
        description="Задача этой строки таблицы, как в документе.",
        examples=["Формирование рисковых профилей школ"],
    )
    indicator: str = Field(
        "",
        title="Показатель реализации",
        description="Показатель реализации этой строки, как в документе.",
        examples=["100% ОО проекта «500+» прошли анкетирование"],
    )
    executors: str = Field(
        "",
        title="Исполнители этой строки",
        description="Исполнители, если у строки они свои; пусто — исполнители мероприятия.",
        examples=["Руководители ОО"],
    )


class ScheduleOverride(Strict):
    """Explicit dates an editor gives when the deadline text is read wrongly or not at all."""

    start: dt.date | None = Field(
        None,
        title="Начало",
        description="Пусто — срок «не позднее» даты окончания.",
        examples=["2022-02-14"],
    )
    end: dt.date = Field(
        title="Окончание",
        description="Дата окончания в виде ГГГГ-ММ-ДД.",
        examples=["2022-03-01"],
    )

    @model_validator(mode="after")
    def _ordered(self) -> ScheduleOverride:
        if self.start and self.start > self.end:
            raise ValueError("начало позже окончания")
        return self


def item_key(number: str) -> str:
    """Item numbers compare without the trailing dot documents put inconsistently («1.1.» is «1.1»)."""
    return number.strip().rstrip(".").strip()


class Item(Strict):
    number: str = Field(
        min_length=1,
        title="Номер мероприятия",
        examples=["1.1"],
        description="Номер мероприятия, как в документе: 1.1, 1.1. или 2.10.",
    )
    activity: str = Field(
        min_length=1,
        title="Мероприятие",
        description="Текст мероприятия, как в документе, слово в слово.",
        examples=["Разработка муниципальной дорожной карты по реализации проекта «500+»"],
    )
    deadline: str = Field(
        "",
        title="Срок реализации",
        description="Как в документе, слово в слово.",
        examples=["Январь 2022", "До 25.03.2022", "Еженедельно"],
    )
    schedule: ScheduleOverride | None = Field(
        None,
        title="Даты вручную",
        description="Даты начала и окончания, если срок из текста не удаётся понять автоматически.",
    )
    executors: str = Field(
        "",
        title="Исполнители",
        description="Кто выполняет мероприятие, как в документе.",
        examples=["Муниципальный координатор"],
    )
    task: str = Field(
        "",
        title="Задача",
        description="Для одной строки задач; для нескольких — rows.",
        examples=["Разработка мероприятий по реализации проекта «500+»"],
    )
    indicator: str = Field(
        "",
        title="Показатель реализации",
        description="Показатель реализации, как в документе.",
        examples=["Дорожная карта размещена на сайте"],
    )
    rows: list[TaskRow] = Field(
        default_factory=list,
        title="Строки задач и показателей",
        description="Несколько строк задач и показателей одного мероприятия; у строки могут быть свои исполнители.",
    )
    info: str = Field(
        "",
        title="Информационное сопровождение",
        description="Текст столбца «Информационное сопровождение», если он есть в документе.",
        examples=["Информация на сайте"],
    )
    evidence: list[Link] = Field(
        default_factory=list,
        title="Подтверждающие ссылки",
        description="Ссылки на подтверждающие документы: название (title) и адрес (url).",
    )
    note: str = Field(
        "",
        title="Примечание",
        description="Примечание к мероприятию.",
        examples=["Мероприятие перенесено на следующий год"],
    )

    @model_validator(mode="after")
    def _one_way_to_give_rows(self) -> Item:
        if self.rows and (self.task or self.indicator):
            raise ValueError(
                "укажите задачу и показатель либо в task/indicator, либо списком в rows, но не так и так"
            )
        return self

    @property
    def task_rows(self) -> list[TaskRow]:
        if self.rows:
            return self.rows
        if self.task or self.indicator:
            return [TaskRow(task=self.task, indicator=self.indicator)]
        return []


class Section(Strict):
    number: str = Field(
        "",
        title="Номер раздела",
        description="Номер раздела, как в документе.",
        examples=["1"],
    )
    title: str = Field(
        min_length=1,
        title="Название раздела",
        description="Название раздела, как в документе.",
        examples=["Организационно-управленческое и нормативное обеспечение"],
    )
    items: list[Item] = Field(
        default_factory=list,
        title="Мероприятия",
        description="Мероприятия раздела по порядку.",
    )


DEFAULT_COLUMNS: dict[ColumnKey, str] = {
    "number": "№",
    "activity": "Мероприятие",
    "deadline": "Срок реализации",
    "executors": "Исполнители",
    "task": "Задачи",
    "indicator": "Показатель реализации",
}


class Roadmap(Strict):
    title: str = Field(
        min_length=1,
        title="Название дорожной карты",
        description="Название дорожной карты, как в документе.",
        examples=["Муниципальная дорожная карта по реализации проекта «500+»"],
    )
    slug: str = Field(
        "",
        pattern=SLUG_PATTERN,
        title="Адрес страницы",
        description="По умолчанию — имя файла.",
        examples=["balakhta-2022"],
    )
    level: Literal["federal", "regional", "municipal", "school"] = Field(
        title="Уровень",
        description="federal — федеральная, regional — региональная, municipal — муниципальная, school — школьная.",
    )
    territory: str = Field(
        "",
        title="Территория",
        description="Район, город или регион.",
        examples=["Балахтинский район Красноярского края"],
    )
    year: int = Field(
        ge=2000,
        le=2100,
        title="Год",
        description="Год дорожной карты; сроки без года («Август») относятся к нему.",
        examples=[2022],
    )
    approval: Approval | None = Field(
        None,
        title="Утверждающий документ",
        description="Приказ или другой документ, которым утверждена дорожная карта.",
    )
    intro: str = Field(
        "",
        title="Вводный текст (Markdown)",
        description="Текст над таблицей, разметка Markdown.",
        examples=["Приложение к приказу от 14.01.2022 № 6а"],
    )
    columns: dict[ColumnKey, str] = Field(
        default_factory=lambda: dict(DEFAULT_COLUMNS),
        title="Заголовки столбцов",
        description="Столбцы таблицы в порядке документа и их заголовки, как в документе.",
    )
    checkpoints: list[Checkpoint] = Field(
        default_factory=list,
        title="Контрольные точки мониторинга",
        description="Контрольные точки, если дорожная карта их задаёт: дата и доля выполненных мероприятий.",
    )
    sections: list[Section] = Field(
        min_length=1,
        title="Разделы",
        description="Разделы таблицы по порядку; нужен хотя бы один.",
    )


ReportStatus = Literal["выполнено", "в работе", "запланировано", "не выполнено", "отменено"]


class ReportItem(Strict):
    number: str = Field(
        min_length=1,
        title="Номер мероприятия",
        description="Номер мероприятия дорожной карты, о котором этот пункт.",
        examples=["1.1"],
    )
    status: ReportStatus = Field(title="Статус", description="Состояние мероприятия на дату отчёта.")
    result: str = Field(
        "",
        title="Результат",
        description="Текст отчётной информации без ссылок.",
        examples=["Проведено совещание с руководителями ОО"],
    )
    evidence: list[Link] = Field(
        default_factory=list,
        title="Подтверждающие документы",
        description="Ссылки на подтверждающие документы: название (title) и адрес (url).",
    )
    # Used only when the report carries its own items instead of referring to a roadmap.
    activity: str = Field(
        "",
        title="Мероприятие",
        description="Текст мероприятия — только для отчёта без дорожной карты (поле roadmap пусто).",
        examples=["Проведение совещания"],
    )
    deadline: str = Field(
        "",
        title="Срок реализации",
        description="Срок — только для отчёта без дорожной карты.",
        examples=["Ноябрь 2022"],
    )
    indicator: str = Field(
        "",
        title="Показатель реализации",
        description="Показатель — только для отчёта без дорожной карты.",
        examples=["Совещание проведено"],
    )


class ReportSection(Strict):
    number: str = Field(
        "",
        title="Номер раздела",
        description="Номер раздела, как в документе.",
        examples=["1."],
    )
    title: str = Field(
        min_length=1,
        title="Название раздела",
        description="Название раздела, как в документе.",
        examples=["Организационное сопровождение Проекта 500+"],
    )
    items: list[ReportItem] = Field(
        default_factory=list,
        title="Пункты отчёта",
        description="Пункты отчёта: номер мероприятия, статус, результат, ссылки.",
    )


class Report(Strict):
    title: str = Field(
        min_length=1,
        title="Название отчёта",
        description="Название отчёта, как в документе.",
        examples=["Отчет муниципального координатора о реализации дорожной карты"],
    )
    slug: str = Field(
        "",
        pattern=SLUG_PATTERN,
        title="Адрес страницы",
        description="По умолчанию — имя файла.",
        examples=["shakhty-2022-2"],
    )
    roadmap: str = Field(
        "",
        title="Дорожная карта",
        description="Адрес (slug) дорожной карты, по которой отчёт.",
        examples=["shakhty-2022"],
    )
    stage: str = Field(
        "",
        title="Этап или период",
        description="Этап или период, за который составлен отчёт.",
        examples=["Второй этап"],
    )
    year: int | None = Field(
        None,
        ge=2000,
        le=2100,
        title="Год",
        description="Год, за который составлен отчёт.",
        examples=[2022],
    )
    date: dt.date | None = Field(
        None,
        title="Дата отчёта",
        description="Дата отчёта в виде ГГГГ-ММ-ДД.",
        examples=["2022-12-01"],
    )
    approved_by: Person | None = Field(
        None,
        title="Кто утвердил",
        description="Кто утвердил отчёт: фамилия, инициалы, должность.",
    )
    column: str = Field(
        "Отчетная информация",
        title="Заголовок столбца отчёта",
        description="Заголовок столбца со сведениями отчёта, как в документе.",
        examples=["Отчетная информация"],
    )
    narrative: str = Field(
        "",
        title="Текст отчёта (Markdown)",
        description="Текст перед таблицей, разметка Markdown.",
        examples=["Все мероприятия этапа выполнены."],
    )
    sections: list[ReportSection] = Field(
        min_length=1,
        title="Разделы",
        description="Разделы отчёта по порядку; нужен хотя бы один.",
    )


class School(Strict):
    id: str = Field(
        pattern=SLUG_PATTERN,
        title="Код школы",
        description="Латиница, цифры, дефис.",
        examples=["bsh1"],
    )
    short_name: str = Field(
        min_length=1,
        title="Краткое название",
        examples=["БСШ1"],
        description="Как школу называет дорожная карта.",
    )
    name: str = Field(
        "",
        title="Полное название",
        description="Полное официальное название школы.",
        examples=["Муниципальное бюджетное общеобразовательное учреждение «…»"],
    )
    site: str = Field(
        "",
        title="Официальный сайт",
        description="Адрес официального сайта школы.",
        examples=["https://school.example.org/"],
    )
    section_url: str = Field(
        "",
        title="Адрес раздела «500+» на сайте школы",
        description="Страница сайта школы с материалами проекта «500+».",
        examples=["https://school.example.org/500plus/"],
    )
    curator: str = Field(
        "",
        title="Куратор",
        description="Фамилия и инициалы куратора школы.",
        examples=["Иванова И.И."],
    )
    note: str = Field(
        "",
        title="Примечание",
        description="Примечание о школе.",
        examples=["Участник проекта с 2022 года"],
    )

    _check_urls = field_validator("site", "section_url")(lambda cls, v: check_url(v) if v else v)


class Schools(Strict):
    schools: list[School] = Field(
        default_factory=list,
        title="Школы проекта",
        description="Школы — участницы проекта, по одной записи на школу.",
    )


class ParentSite(Strict):
    title: str = Field(
        title="Название сайта",
        description="Название основного сайта.",
        examples=["Сайт управления образования"],
    )
    url: str = Field(
        title="Адрес сайта",
        description="Адрес основного сайта.",
        examples=["https://example.org/"],
    )

    _check_url = field_validator("url")(lambda cls, v: check_url(v))


class Downloads(Strict):
    pdf: bool = Field(
        True,
        title="PDF-документы",
        description="Делать ли PDF дорожных карт, отчётов и аналитической справки; false ускоряет сборку большого сайта.",
        examples=[False],
    )


class SiteConfig(Strict):
    title: str = Field(
        "Федеральный проект 500+",
        title="Название раздела",
        description="Заголовок раздела на всех страницах.",
        examples=["Федеральный проект 500+"],
    )
    organisation: str = Field(
        min_length=1,
        title="Организация",
        description="Полное название органа или организации, которая ведёт раздел.",
        examples=["Управление образования администрации района"],
    )
    territory: str = Field(
        "",
        title="Территория",
        description="Район, город или регион.",
        examples=["Балахтинский район Красноярского края"],
    )
    description: str = Field(
        "",
        title="Описание раздела",
        description="Одно-два предложения о разделе.",
        examples=["Муниципальная дорожная карта по реализации проекта «500+»."],
    )
    parent_site: ParentSite | None = Field(
        None,
        title="Основной сайт организации",
        description="Основной сайт, частью которого будет раздел: название и адрес.",
    )
    coordinator: Person | None = Field(
        None,
        title="Координатор проекта",
        description="Координатор проекта: фамилия, инициалы, должность, контакты.",
    )
    base_url: str = Field(
        "",
        title="Адрес раздела в интернете",
        examples=["https://example.org/500plus/"],
        description="Адрес, по которому раздел будет опубликован в интернете.",
    )
    language: Literal["ru"] = Field("ru", title="Язык", description="Язык раздела; пока только ru.")
    intro: str = Field(
        "",
        title="Текст главной страницы (Markdown)",
        description="Текст главной страницы, разметка Markdown.",
        examples=["Участники проекта в районе: …"],
    )
    statuses: Literal["fair", "strict"] = Field(
        "fair",
        title="Статусы мероприятий без отчёта",
        description=(
            "fair (по умолчанию) — прошедший срок без отчёта показывается как «срок прошёл; сведений о выполнении "
            "нет»; strict — как «просрочено», и доля выполненного считается по срокам без отчёта."
        ),
    )
    monitoring: MonitoringConfig = Field(
        default_factory=MonitoringConfig,
        title="Мониторинг сайтов школ",
        description="Критерии и пределы команды site-builder monitor; без этого блока — настройки по умолчанию.",
    )
    link_check: LinkCheckConfig = Field(
        default_factory=LinkCheckConfig,
        title="Проверка ссылок",
        description="Настройки команды site-builder check-links (и запросов мониторинга): исключения, "
        "дополнительные корневые сертификаты, тайм-ауты, повторы, ограничения и заголовки для отдельных сайтов; "
        "параметры командной строки важнее.",
    )
    downloads: Downloads = Field(
        default_factory=Downloads,
        title="Файлы для скачивания",
        description="Какие файлы делать рядом со страницами; без этого блока — все.",
    )

    _check_url = field_validator("base_url")(lambda cls, v: normalise_base_url(check_url(v)) if v else v)


class PageMeta(Strict):
    """Front matter of a Markdown page."""

    title: str = Field(
        min_length=1,
        title="Заголовок",
        description="Заголовок страницы.",
        examples=["Приказ от 14.01.2022 № 6а"],
    )
    date: dt.date | None = Field(
        None,
        title="Дата",
        description="Дата страницы или новости в виде ГГГГ-ММ-ДД.",
        examples=["2022-01-14"],
    )
    summary: str = Field(
        "",
        title="Краткое описание",
        description="Краткое описание страницы: одно-два предложения.",
        examples=["Приказ об утверждении дорожной карты."],
    )
    news: bool = Field(False, title="Новость", description="Новости попадают в ленту и на главную.")
    slug: str = Field(
        "",
        pattern=SLUG_PATTERN,
        title="Адрес страницы",
        description="По умолчанию — имя файла.",
        examples=["prikaz-6a"],
    )

    @field_validator("news")
    @classmethod
    def _news_has_date(cls, news: bool, info: ValidationInfo) -> bool:
        # The feed orders news and stamps its `updated` by the page date, never by the build machine's clock.
        # A date that failed its own check is missing from info.data and already reported.
        if news and "date" in info.data and info.data["date"] is None:
            raise ValueError("у новости (news: true) должна быть дата (date): по ней новость стоит в ленте")
        return news
