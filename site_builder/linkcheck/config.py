"""Link-check settings: one typed object with defaults, embeddable as the `link_check:` block of site.yaml."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from site_builder.linkcheck.phrases import PhraseKind
from site_builder.patterns import check_patterns


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


class LinkCheckConfig(BaseModel):
    """How URLs are checked, what fails a run and how long a verdict may be reused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    concurrency: int = Field(16, ge=1, le=256, title="Сколько запросов выполнять одновременно")
    per_host_concurrency: int = Field(2, ge=1, le=64, title="Сколько запросов одновременно к одному сайту")
    per_host_interval: float = Field(
        0.2, ge=0, le=60, title="Пауза между началами запросов к одному сайту, секунд"
    )
    connect_timeout: float = Field(10.0, gt=0, le=120, title="Тайм-аут подключения, секунд")
    read_timeout: float = Field(20.0, gt=0, le=300, title="Тайм-аут ответа, секунд")
    body_timeout: float = Field(
        20.0, gt=0, le=300, title="Сколько секунд ждать тело ответа после заголовков (медленная передача)"
    )
    max_url_seconds: float = Field(
        60.0,
        gt=0,
        le=3600,
        title="Предельное время на один адрес со всеми повторами и перенаправлениями, секунд",
    )
    slow_host_seconds: float = Field(
        10.0,
        ge=0,
        title="С какого времени, потраченного на один сайт, называть его в итогах медленным, секунд",
    )
    retries: int = Field(2, ge=0, le=10, title="Повторов после тайм-аута, обрыва, 5xx, 408 или 429")
    backoff_base: float = Field(1.0, ge=0, le=60, title="Первая пауза перед повтором, секунд (дальше вдвое)")
    retry_after_cap: float = Field(30.0, ge=0, le=600, title="Самое долгое ожидание по Retry-After, секунд")
    max_redirects: int = Field(10, ge=0, le=50, title="Наибольшее число перенаправлений")
    max_body_bytes: int = Field(
        65536, ge=1024, le=4 * 1024 * 1024, title="Сколько байт тела ответа читать, чтобы распознать страницу"
    )
    max_run_seconds: float = Field(900.0, gt=0, title="Предельное время всей проверки, секунд")
    allow_private: bool = Field(False, title="Разрешить внутренние адреса (127.0.0.1, 10.x, 192.168.x …)")
    ca_bundles: list[Path] = Field(
        default_factory=list,
        title="Дополнительные корневые сертификаты (PEM), например Russian Trusted Root CA",
    )
    exclude: list[str] = Field(
        default_factory=list, title="Регулярные выражения: подходящие адреса не проверяются (skipped)"
    )
    fail_on: list[LinkStatus] = Field(
        default_factory=lambda: list(DEFAULT_FAIL_ON), title="Какие классы ссылок делают проверку неуспешной"
    )
    cache_ttl_hours: dict[LinkStatus, float] = Field(
        default_factory=lambda: {LinkStatus.OK: 168.0},
        title="Сколько часов верить сохранённому результату по классам; 0 — всегда проверять заново",
    )
    cache_file: Path = Field(Path(".cache/link-check.sqlite"), title="Файл кэша результатов")
    results_file: Path = Field(
        Path(".cache/link-report.json"), title="Куда записывать результаты последней проверки для сайта"
    )
    documents: bool = Field(
        False,
        title="Скачивать документы и проверять, что это они (PDF, DOCX, XLSX …), и что в PDF есть текст",
    )
    max_document_bytes: int = Field(
        20 * 1024 * 1024,
        ge=1024,
        le=1024 * 1024 * 1024,
        title="Сколько байт документа скачивать при проверке",
    )
    phrases: dict[PhraseKind, list[str]] = Field(
        default_factory=dict,
        title="Свои формулировки (регулярные выражения) страниц без документа: file_deleted, link_invalid, "
        "access_closed, page_not_found — в добавление к встроенным",
    )
    resolve: dict[str, str] = Field(
        default_factory=dict,
        title="Подмена адресов, как curl --resolve: «host» или «host:port» → «ip» или «ip:port»",
    )

    @field_validator("exclude")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        return check_patterns(patterns)

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
