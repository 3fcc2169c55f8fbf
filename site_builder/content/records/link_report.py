"""The link checker's results file: written by `check-links`, read by the build for the marks and «Проверка ссылок».

JSON schema (`LinkReportDocument`, version 1), written by `--format json` and to `link_check.results_file`:

    {
      "schema_version": 1,
      "generated_at": "2026-11-22T16:45:27+00:00",      ISO 8601, UTC
      "tool": "site-builder 0.1.0",
      "shard": "1/4" | null,
      "summary": {"urls": 25, "links": 32, "from_cache": 3, "failed": true,
                  "fail_on": ["broken", "restricted", "invalid"], "by_status": {"ok": 18, "broken": 3, ...},
                  "warnings": 1,                         links that work but have a warning
                  "slow_hosts": [{"host": "school.example", "seconds": 42.5, "requests": 7}]},
                                                         hosts that cost at least link_check.slow_host_seconds
      "results": [                                       one entry per distinct URL, sorted by url
        {"url": "https://disk.yandex.ru/i/…",            normalised form that was requested
         "status": "ok|broken|restricted|unreachable|tls_error|invalid|skipped",
         "http_status": 200 | null,                      last HTTP status received
         "final_url": "https://…" | null,                after redirects, when there were any
         "reason": "…",                                  Russian, names the cause
         "attempts": 1,                                  HTTP requests sent (redirects, fallback, retries)
         "checked_at": "2026-11-22T16:45:27+00:00",
         "cached": false,                                true when reused from an earlier run
         "cause": "" | "name_not_found" | "read_timeout" | "bad_redirect" | "slow_body" | …   why (fetch.ErrorKind)
         "warning": "" | "…",                            Russian; a working link with something to fix
         "written_as": ["https://…"],                    every spelling of the URL found in the sources
         "sources": [{"path": "content/reports/x.yaml", "line": 12, "col": 18, "kind": "evidence",
                      "item": "1.2.", "owner": "Отчёт …", "page": "reports/x", "title": "Приказ …"}]}
      ],
      "problems": [{"path": "…", "line": 3, "col": 9, "message": "…", "warning": true}]
    }
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from site_builder.content.settings.link_check import LinkStatus

SCHEMA_VERSION = 1
LABELS = {
    LinkStatus.OK: "работает",
    LinkStatus.BROKEN: "сломана",
    LinkStatus.RESTRICTED: "закрыта",
    LinkStatus.UNREACHABLE: "недоступна",
    LinkStatus.TLS_ERROR: "ошибка сертификата",
    LinkStatus.INVALID: "неверная",
    LinkStatus.SKIPPED: "пропущена",
}
PLURAL_LABELS = {
    LinkStatus.OK: "работают",
    LinkStatus.BROKEN: "сломаны",
    LinkStatus.RESTRICTED: "закрыты",
    LinkStatus.UNREACHABLE: "недоступны",
    LinkStatus.TLS_ERROR: "ошибка сертификата",
    LinkStatus.INVALID: "неверные",
    LinkStatus.SKIPPED: "пропущены",
}


class SourceEntry(BaseModel):
    path: str
    line: int
    col: int
    kind: str
    item: str = ""
    owner: str = ""
    page: str = ""
    title: str = ""


class ResultEntry(BaseModel):
    url: str
    status: LinkStatus
    http_status: int | None
    final_url: str | None
    reason: str
    attempts: int
    checked_at: datetime
    cached: bool = False
    cause: str = ""
    warning: str = ""
    written_as: list[str] = []
    sources: list[SourceEntry] = []


class ProblemEntry(BaseModel):
    path: str
    line: int
    col: int
    message: str
    warning: bool = True


class SlowHost(BaseModel):
    host: str
    seconds: float
    requests: int


class Summary(BaseModel):
    urls: int
    links: int
    from_cache: int
    failed: bool
    fail_on: list[LinkStatus]
    by_status: dict[LinkStatus, int]
    warnings: int = 0
    slow_hosts: list[SlowHost] = []


class LinkReportDocument(BaseModel):
    schema_version: int = SCHEMA_VERSION
    generated_at: datetime
    tool: str
    shard: str | None = None
    summary: Summary
    results: list[ResultEntry]
    problems: list[ProblemEntry] = []


def load_last_report(path: Path) -> LinkReportDocument | None:
    """The last written results, or None when there are none or the file is unreadable."""
    try:
        return LinkReportDocument.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return None


@dataclass(frozen=True, eq=False)
class LinkRecord:
    """The results a build was given, with the file they came from (an input of every page that shows them)."""

    document: LinkReportDocument
    path: Path

    @classmethod
    def read(cls, path: Path) -> LinkRecord | None:
        """The results `check-links` wrote, or None when there are none (the site then shows no marks)."""
        document = load_last_report(path) if path.is_file() else None
        return cls(document, path) if document else None
