"""Link-check settings: the `link_check:` block of site.yaml, one typed object with defaults.

Relative paths (CA bundles) are read from the content folder, where site.yaml is; the command line overrides the
block (see `cli` options of check-links and monitor)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from site_builder.core.patterns import check_patterns


class PhraseKind(StrEnum):
    FILE_DELETED = "file_deleted"  # «файл удалён», «the owner deleted this file»
    LINK_INVALID = "link_invalid"  # «ссылка недействительна», «this link has expired»
    ACCESS_CLOSED = "access_closed"  # «доступ закрыт», «access denied», a login wall
    PAGE_NOT_FOUND = "page_not_found"  # «страница не найдена», «404 Not Found»


class LinkStatus(StrEnum):
    """The class of a checked URL; every result carries exactly one."""

    OK = "ok"
    BROKEN = "broken"
    RESTRICTED = "restricted"
    UNREACHABLE = "unreachable"
    TLS_ERROR = "tls_error"
    INVALID = "invalid"
    SKIPPED = "skipped"


DEFAULT_FAIL_ON = [LinkStatus.BROKEN, LinkStatus.RESTRICTED, LinkStatus.INVALID]


class HostSettings(BaseModel):
    """What differs for one site: fewer requests at once, longer pauses, the headers it wants."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    concurrency: int | None = Field(
        None,
        ge=1,
        le=64,
        title="Запросов одновременно",
        description="Сколько запросов одновременно к этому сайту.",
        examples=[1],
    )
    interval: float | None = Field(
        None,
        ge=0,
        le=60,
        title="Пауза, секунд",
        description="Пауза между началами запросов к этому сайту, секунд.",
        examples=[2.0],
    )
    headers: dict[str, str] = Field(
        default_factory=dict,
        title="Заголовки запросов",
        description="Заголовки HTTP, которые нужны этому сайту, например User-Agent.",
        examples=[{"User-Agent": "Mozilla/5.0"}],
    )


class LinkCheckConfig(BaseModel):
    """How URLs are checked, what fails a run and how long a verdict may be reused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    concurrency: int = Field(
        16,
        ge=1,
        le=256,
        title="Запросов одновременно",
        description="Сколько запросов выполнять одновременно ко всем сайтам вместе.",
        examples=[16],
    )
    per_host_concurrency: int = Field(
        2,
        ge=1,
        le=64,
        title="Запросов одновременно к одному сайту",
        description="Сколько запросов одновременно к одному сайту (для отдельных сайтов — hosts).",
        examples=[2],
    )
    per_host_interval: float = Field(
        0.2,
        ge=0,
        le=60,
        title="Пауза между запросами к одному сайту",
        description="Пауза между началами запросов к одному сайту, секунд.",
        examples=[0.5],
    )
    connect_timeout: float = Field(
        10.0,
        gt=0,
        le=120,
        title="Тайм-аут подключения",
        description="Сколько секунд ждать подключения к сайту.",
        examples=[10.0],
    )
    read_timeout: float = Field(
        20.0,
        gt=0,
        le=300,
        title="Тайм-аут ответа",
        description="Сколько секунд ждать очередной части ответа сайта.",
        examples=[20.0],
    )
    retries: int = Field(
        2,
        ge=0,
        le=10,
        title="Повторы",
        description="Сколько раз повторить запрос после тайм-аута, обрыва, ответа 5xx или 429.",
        examples=[2],
    )
    backoff_base: float = Field(
        1.0,
        ge=0,
        le=60,
        title="Первая пауза перед повтором",
        description="Пауза перед первым повтором, секунд; перед каждым следующим — вдвое дольше.",
        examples=[1.0],
    )
    retry_after_cap: float = Field(
        30.0,
        ge=0,
        le=600,
        title="Наибольшее ожидание по Retry-After",
        description="Сколько секунд самое большее ждать, если сайт просит подождать (Retry-After).",
        examples=[30.0],
    )
    max_redirects: int = Field(
        10,
        ge=0,
        le=50,
        title="Перенаправлений не больше",
        description="Сколько перенаправлений подряд проходить, прежде чем признать ссылку неработающей.",
        examples=[10],
    )
    body_timeout: float = Field(
        20.0,
        gt=0,
        le=300,
        title="Тайм-аут передачи",
        description="Сколько секунд ждать тело ответа после заголовков: сайт, который шлёт по байту, не держит "
        "проверку.",
        examples=[20.0],
    )
    max_url_seconds: float = Field(
        60.0,
        gt=0,
        le=3600,
        title="Предельное время на адрес",
        description="Сколько секунд самое большее тратить на один адрес со всеми повторами и перенаправлениями.",
        examples=[60.0],
    )
    slow_host_seconds: float = Field(
        10.0,
        ge=0,
        title="Медленный сайт",
        description="С какого времени, потраченного на один сайт, называть его в итогах медленным, секунд.",
        examples=[10.0],
    )
    max_body_bytes: int = Field(
        65536,
        ge=1024,
        le=4 * 1024 * 1024,
        title="Сколько байт ответа читать",
        description="Сколько байт страницы читать, чтобы распознать «файл удалён» или «страница не найдена».",
        examples=[65536],
    )
    max_run_seconds: float = Field(
        900.0,
        gt=0,
        title="Предельное время проверки",
        description="Сколько секунд самое большее длится вся проверка; что не проверено — пропущено.",
        examples=[900.0],
    )
    allow_private: bool = Field(
        False,
        title="Разрешить внутренние адреса",
        description="Проверять и адреса внутренней сети (127.0.0.1, 10.x, 192.168.x …); по умолчанию они "
        "считаются неверными ссылками, ведь с публичного сайта их не открыть.",
        examples=[False],
    )
    ca_bundles: list[Path] = Field(
        default_factory=list,
        title="Дополнительные корневые сертификаты",
        description="Файлы корневых сертификатов (PEM), путь от папки с site.yaml. Многие государственные сайты "
        "подписаны сертификатом Russian Trusted Root CA, которого нет в стандартном наборе: скачайте его с "
        "Госуслуг и укажите здесь.",
        examples=[["certs/russian_trusted_root_ca.pem"]],
    )
    exclude: list[str] = Field(
        default_factory=list,
        title="Не проверять адреса",
        description="Регулярные выражения: подходящие адреса не проверяются (класс «пропущена»).",
        examples=[["^https://vk\\.com/"]],
    )
    fail_on: list[LinkStatus] = Field(
        default_factory=lambda: list(DEFAULT_FAIL_ON),
        title="Что считается ошибкой",
        description="Классы ссылок, из-за которых проверка завершается неуспешно (код 1).",
    )
    cache_ttl_hours: dict[LinkStatus, float] = Field(
        default_factory=lambda: {LinkStatus.OK: 168.0},
        title="Сколько верить сохранённому результату",
        description="Часы по классам ссылок; 0 — всегда проверять заново. Ошибки не сохраняются никогда.",
        examples=[{"ok": 168}],
    )
    cache_file: Path = Field(
        Path(".cache/link-check.sqlite"),
        title="Файл кэша",
        description="Файл, в котором хранятся результаты прошлых проверок (путь от папки, где запущена команда).",
        examples=[".cache/link-check.sqlite"],
    )
    results_file: Path = Field(
        Path(".cache/link-report.json"),
        title="Файл результатов для сайта",
        description="Куда записывать результаты последней проверки: по ним сборка ставит отметки у ссылок.",
        examples=[".cache/link-report.json"],
    )
    headers: dict[str, str] = Field(
        default_factory=dict,
        title="Заголовки всех запросов",
        description="Дополнительные заголовки HTTP для всех запросов.",
        examples=[{"From": "it@example.org"}],
    )
    hosts: dict[str, HostSettings] = Field(
        default_factory=dict,
        title="Настройки для отдельных сайтов",
        description="Имя сайта (например school.ru, без «https://») → concurrency, interval, headers.",
        examples=[{"school.ru": {"concurrency": 1, "interval": 2}}],
    )
    documents: bool = Field(
        False,
        title="Проверять документы",
        description="Скачивать документы и проверять, что это они (PDF, DOCX, XLSX …), и что в PDF есть текст; "
        "то же, что --documents.",
        examples=[True],
    )
    max_document_bytes: int = Field(
        20 * 1024 * 1024,
        ge=1024,
        le=1024 * 1024 * 1024,
        title="Сколько байт документа скачивать",
        description="Больше этого документ при проверке не скачивается (и никогда не сохраняется).",
        examples=[20 * 1024 * 1024],
    )
    phrases: dict[PhraseKind, list[str]] = Field(
        default_factory=dict,
        title="Свои формулировки страниц без документа",
        description="Регулярные выражения по видам: file_deleted, link_invalid, access_closed, page_not_found — "
        "в добавление к встроенным.",
        examples=[{"file_deleted": ["файл больше не доступен"]}],
    )
    resolve: dict[str, str] = Field(
        default_factory=dict,
        title="Подмена адресов",
        description="Как curl --resolve: «сайт» или «сайт:порт» → «ip» или «ip:порт» (для проверки до переезда).",
        examples=[{"new.school.ru": "203.0.113.7"}],
    )

    @field_validator("exclude")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        return check_patterns(patterns)

    @field_validator("hosts")
    @classmethod
    def _host_names(cls, hosts: dict[str, HostSettings]) -> dict[str, HostSettings]:
        return {name.strip().lower().rstrip("."): settings for name, settings in hosts.items()}

    def for_host(self, host: str) -> tuple[int, float, dict[str, str]]:
        """Concurrency, interval and extra headers for requests to `host` (a host name, without the port)."""
        own = self.hosts.get(host.lower().rstrip("."), HostSettings())
        concurrency = own.concurrency if own.concurrency is not None else self.per_host_concurrency
        interval = own.interval if own.interval is not None else self.per_host_interval
        return concurrency, interval, {**self.headers, **own.headers}

    def relative_to(self, folder: Path) -> LinkCheckConfig:
        """The same settings with relative CA bundle paths read from `folder` (the content folder)."""
        bundles = [bundle if bundle.is_absolute() else folder / bundle for bundle in self.ca_bundles]
        return self.model_copy(update={"ca_bundles": bundles})

    @field_validator("phrases")
    @classmethod
    def _phrases_compile(cls, phrases: dict[PhraseKind, list[str]]) -> dict[PhraseKind, list[str]]:
        for wordings in phrases.values():
            check_patterns(wordings)
        return phrases

    def ttl_seconds(self, status: LinkStatus) -> float:
        return self.cache_ttl_hours.get(status, 0.0) * 3600.0

    def fails(self, status: LinkStatus) -> bool:
        return status in self.fail_on
