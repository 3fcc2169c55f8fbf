"""The `monitoring:` block of site.yaml: criteria, what the section and its documents look like, crawl limits.

Every setting has a default, so a site.yaml without the block monitors with the defaults below.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from site_builder.content.settings.rulebook import ItemRule, load_rules
from site_builder.core.patterns import check_patterns

CriterionId = Literal["site", "section", "documents", "links", "fresh"]
CRITERIA: tuple[CriterionId, ...] = ("site", "section", "documents", "links", "fresh")
DEFAULT_REQUIRED: tuple[CriterionId, ...] = ("site", "section", "documents", "links")
CRITERION_TITLES: dict[CriterionId, str] = {
    "site": "Сайт открывается",
    "section": "Раздел «500+» есть",
    "documents": "Документы названы",
    "links": "Ссылки на документы работают",
    "fresh": "Раздел обновлялся",
}


def compile_patterns(patterns: list[str]) -> list[re.Pattern[str]]:
    """Patterns match text with «ё» read as «е», ignoring case (see criteria.plain)."""
    return [re.compile(pattern, re.IGNORECASE) for pattern in patterns]


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentRule(_Settings):
    """A document the 500+ section must name, and the patterns that recognise it."""

    title: str = Field(
        min_length=1,
        title="Название документа",
        description="Как документ назван в справке.",
        examples=["Дорожная карта"],
    )
    patterns: list[str] = Field(
        min_length=1,
        title="Шаблоны названия",
        description="Регулярные выражения: по ним документ узнаётся в текстах ссылок, заголовках и именах файлов "
        "раздела (регистр и «ё» не важны).",
    )
    required: bool = Field(
        True,
        title="Обязательный документ",
        description="false — документ показывается в справке, но на критерий «Документы названы» не влияет.",
        examples=[False],
    )

    _check = field_validator("patterns")(lambda cls, v: check_patterns(v))


DEFAULT_DOCUMENTS = (
    DocumentRule(title="Дорожная карта", patterns=[r"дорожн\w*\s+карт", r"dorozhn\w*\s*kart", r"road\s*map"]),
    DocumentRule(
        title="Концепция развития",
        patterns=[r"концепци\w*(?:\s+\S+){0,3}?\s+развити", r"k(?:o|a)n(?:c|ts)ep(?:c|ts)i"],
    ),
    DocumentRule(
        title="Среднесрочная программа развития",
        patterns=[r"среднесрочн\w*\s+программ", r"\bсср?п\b", r"srednesrochn"],
    ),
    DocumentRule(title="Антирисковые программы", patterns=[r"антирисков", r"antirisk"]),
    DocumentRule(title="Отчёт", patterns=[r"\bотчет", r"\botchet"]),
)
DEFAULT_SECTION_TEXTS = (
    r"500\s*\+",
    r"500\s*плюс",
    r"проект\w*\s+[«\"']?500",
    r"\bшнор\b",
    r"адресн\w*\s+методическ\w*\s+помощ",
    r"низки\w*\s+образовательны\w*\s+результат",
)
DEFAULT_SECTION_URLS = (r"500[-_]?(?:plus|%2b|\+)", r"(?:proekt|project)[-_]?500", r"shnor")


class ExtraItem(_Settings):
    """An itemprop the editor checks in addition to the rule table (a regional requirement, say)."""

    def as_rule(self) -> tuple[str, ItemRule]:
        """(subsection slug, the rule) as the rule table takes it."""
        return self.subsection, ItemRule(**self.model_dump(exclude={"subsection"}))

    subsection: str = Field(
        min_length=1,
        title="Подраздел",
        description="Адрес подраздела по методическим рекомендациям: common, struct, document …",
        examples=["common"],
    )
    itemprop: str = Field(
        min_length=1,
        pattern=r"^[A-Za-z][A-Za-z0-9]*$",
        title="Атрибут itemprop",
        description="Имя атрибута микроразметки, как его ищет проверка: латиницей, в стиле lowerCamelCase.",
        examples=["telephone"],
    )
    title: str = Field(
        min_length=1,
        title="Что проверяется",
        description="Название сведений для отчёта и справки.",
        examples=["Телефон приёмной"],
    )
    parent: str | None = Field(
        None,
        title="Главный тег",
        description="itemprop элемента, внутри которого должен стоять этот (пусто — где угодно на странице).",
        examples=["rucovodstvo"],
    )
    required: bool = Field(
        True,
        title="Обязательный",
        description="false — сведения «при наличии»: их отсутствие отмечается «не применимо», а не «нет».",
        examples=[False],
    )
    basis: str = Field(
        "",
        title="Основание",
        description="Документ и пункт, которые требуют эти сведения.",
        examples=["приказ министерства образования края № …"],
    )
    fix: str = Field(
        "",
        title="Как исправить",
        description="Совет для школы; без него совет составляется по разметке.",
        examples=['Разместите телефон приёмной с itemprop="telephone".'],
    )


FailOn = Literal["required", "any", "none"]


class MonitoringConfig(_Settings):
    """How the schools' sites are monitored; the defaults follow roadmap item 5.4."""

    criteria: list[CriterionId] = Field(
        default_factory=lambda: list(CRITERIA),
        title="Критерии мониторинга",
        description="Какие критерии проверять: site — сайт открывается, section — есть раздел «500+», "
        "documents — раздел называет документы, links — ссылки на документы работают, fresh — раздел обновлялся.",
    )
    required: list[CriterionId] = Field(
        default_factory=lambda: list(DEFAULT_REQUIRED),
        title="Обязательные критерии",
        description="Если школа не выполнила какой-то из этих критериев, команда monitor завершается с кодом 1 "
        "(для оповещения в CI).",
    )
    section_texts: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SECTION_TEXTS),
        title="Как узнать раздел по тексту ссылки",
        description="Регулярные выражения для текстов ссылок на раздел «500+» (регистр и «ё» не важны).",
    )
    section_urls: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SECTION_URLS),
        title="Как узнать раздел по адресу",
        description="Регулярные выражения для адресов ссылок на раздел «500+».",
    )
    documents: list[DocumentRule] = Field(
        default_factory=lambda: list(DEFAULT_DOCUMENTS),
        title="Документы раздела",
        description="Документы, которые раздел должен называть, и шаблоны, по которым они узнаются.",
    )
    fresh_days: int = Field(
        90,
        ge=1,
        le=3660,
        title="Срок обновления раздела, дней",
        description="Раздел считается обновлявшимся, если самая поздняя дата на его странице (или дата изменения "
        "от сервера) не старше стольких дней.",
        examples=[90],
    )
    max_pages: int = Field(
        30,
        ge=1,
        le=500,
        title="Страниц сайта школы, не больше",
        description="Сколько страниц одного сайта открывать, пока ищется раздел.",
        examples=[30],
    )
    max_depth: int = Field(
        2,
        ge=1,
        le=5,
        title="Глубина поиска раздела",
        description="Через сколько переходов от главной страницы может быть раздел.",
        examples=[2],
    )
    max_page_bytes: int = Field(
        1024 * 1024,
        ge=16 * 1024,
        le=4 * 1024 * 1024,
        title="Размер страницы, байт, не больше",
        description="Сколько байт одной страницы читать.",
        examples=[1048576],
    )
    max_site_bytes: int = Field(
        10 * 1024 * 1024,
        ge=64 * 1024,
        le=256 * 1024 * 1024,
        title="Всего байт с сайта школы, не больше",
        description="Сколько байт страниц одного сайта прочитать за весь обход.",
        examples=[10485760],
    )
    request_interval: float = Field(
        1.0,
        ge=0,
        le=60,
        title="Пауза между запросами к сайту, секунд",
        description="Вежливость к сайтам школ: запросы к одному сайту идут не чаще. Crawl-delay из robots.txt "
        "увеличивает паузу (до 10 секунд).",
        examples=[1.0],
    )
    timeout: float = Field(
        15.0,
        gt=0,
        le=120,
        title="Тайм-аут запроса, секунд",
        description="Сколько ждать подключения и ответа сайта.",
        examples=[15.0],
    )
    retries: int = Field(
        1,
        ge=0,
        le=5,
        title="Повторов запроса",
        description="Сколько раз повторить запрос после тайм-аута, обрыва или ошибки сервера.",
        examples=[1],
    )
    max_run_seconds: float = Field(
        1800.0,
        gt=0,
        title="Предельное время мониторинга, секунд",
        description="Сколько может длиться весь мониторинг; что не успело — «не проверено».",
        examples=[1800.0],
    )

    sveden: bool = Field(
        True,
        examples=[True],
        title="Проверять раздел «Сведения об образовательной организации»",
        description="Подразделы, их микроразметку itemprop по методическим рекомендациям Рособрнадзора и "
        "доступность страниц сайта (язык, альтернативный текст, версия для слабовидящих, ссылки на министерства).",
    )
    rules: Literal["mr-v9"] = Field(
        "mr-v9",
        title="Редакция правил",
        description="mr-v9 — Методические рекомендации Рособрнадзора, версия 9.0.0 (2025).",
    )
    disabled_checks: list[str] = Field(
        default_factory=list,
        title="Отключённые проверки",
        description="Коды проверок, которые не выполнять: «sveden.inter» отключает подраздел со всеми его "
        "атрибутами, «sveden.common.regDate» — один атрибут, «a11y.copy» — одну проверку доступности.",
        examples=[["sveden.inter", "a11y.ministry-links"]],
    )
    extra_items: list[ExtraItem] = Field(
        default_factory=list,
        title="Дополнительные атрибуты",
        description="Свои проверки микроразметки сверх таблицы правил.",
    )
    fail_on: FailOn = Field(
        "required",
        title="Когда завершаться с кодом 1",
        description="required — если не выполнена обязательная проверка раздела «Сведения» или доступности; "
        "any — если не выполнена любая; none — не завершаться с ошибкой из-за этих проверок.",
    )
    sveden_max_pages: int = Field(
        60,
        ge=1,
        le=500,
        title="Страниц раздела «Сведения», не больше",
        description="Сколько страниц раздела «Сведения» (подразделы и дополнительные страницы addRef) открывать.",
        examples=[60],
    )

    _check_section = field_validator("section_texts", "section_urls")(lambda cls, v: check_patterns(v))

    @model_validator(mode="after")
    def _required_are_checked(self) -> MonitoringConfig:
        unchecked = [criterion for criterion in self.required if criterion not in self.criteria]
        if unchecked:
            raise ValueError(f"в required указаны критерии, которых нет в criteria: {', '.join(unchecked)}")
        return self

    @model_validator(mode="after")
    def _extra_items_name_subsections(self) -> MonitoringConfig:
        if not self.extra_items:
            return self
        rules = load_rules(self.rules)
        unknown = sorted(
            {item.subsection for item in self.extra_items if rules.subsection(item.subsection) is None}
        )
        if unknown:
            known = ", ".join(s.slug for s in rules.subsections)
            raise ValueError(
                f"в extra_items указаны неизвестные подразделы: {', '.join(unknown)} (есть: {known})"
            )
        return self

    def checked(self) -> list[CriterionId]:
        """The criteria in their fixed order, whatever order the editor listed them in."""
        return [criterion for criterion in CRITERIA if criterion in self.criteria]

    def is_required(self, criterion: CriterionId) -> bool:
        return criterion in self.required
