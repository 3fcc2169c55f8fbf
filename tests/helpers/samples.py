"""Small synthetic check results (no network): monitoring results, and a link checker's results file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from site_builder.checks.monitor.criteria import criteria_infos, describe_method
from site_builder.content.records.link_report import LinkReportDocument, ResultEntry, SourceEntry, Summary
from site_builder.content.records.monitoring import (
    CriterionResult,
    DocumentFinding,
    DocumentMatch,
    MonitoringResults,
    Outcome,
    SchoolResult,
)
from site_builder.content.settings.link_check import LinkStatus
from site_builder.content.settings.monitoring import CRITERIA, CRITERION_TITLES, MonitoringConfig
from site_builder.model.site import load_site
from tests.helpers.sites import REPO

Y, N, U = Outcome.MET, Outcome.NOT_MET, Outcome.UNKNOWN
SHAKHTY = REPO / "examples" / "shakhty"
# Two real evidence URLs of the Шахты report; their verdicts below are made up for the tests.
GOOD = "https://disk.yandex.ru/i/DN6Tz3dnFAWbJg"
DELETED = "https://disk.yandex.ru/i/CXhwsswPYtmiRA"


def school_result(key: str, outcomes: str, site: bool = True) -> SchoolResult:
    """`outcomes` gives one letter per criterion in order: «+» met, «-» not met, «?» not checked."""
    letters = {"+": Y, "-": N, "?": U}
    criteria = {
        criterion: CriterionResult(outcome=letters[letter], text=f"{CRITERION_TITLES[criterion]}: {letter}")
        for criterion, letter in zip(CRITERIA, outcomes, strict=True)
    }
    documents = [
        DocumentFinding(
            title="Дорожная карта",
            matches=[
                DocumentMatch(
                    where="ссылка",
                    text="Дорожная карта «500+»: план",
                    url=f"https://{key}.example.org/files/roadmap.pdf",
                    link="ok",
                    reason="HTTP 200",
                )
            ],
        ),
        DocumentFinding(title="Концепция развития"),
    ]
    return SchoolResult(
        id=key,
        short_name=f"Тест-{key}",
        name=f"Синтетическая школа «{key}»",
        site=f"https://{key}.example.org/" if site else "",
        section_url=f"https://{key}.example.org/500plus/" if site and outcomes[1] == "+" else "",
        section_how="адрес указан в schools.yaml",
        updated=dt.date(2026, 2, 15) if site else None,
        pages=3,
        criteria=criteria,
        documents=documents if site else [],
        notes=["главная страница перенаправляет на другой сайт"] if key == "a" else [],
    )


def results(date: dt.date, rows: dict[str, str], *, without_site: tuple[str, ...] = ()) -> MonitoringResults:
    config = MonitoringConfig()
    return MonitoringResults(
        date=date,
        checked_at=dt.datetime(2026, 3, 1, 2, 30, tzinfo=dt.UTC),
        method=describe_method(config),
        fresh_days=config.fresh_days,
        criteria=criteria_infos(config),
        schools=[school_result(key, letters, key not in without_site) for key, letters in rows.items()],
    )


def results_file(tmp_path: Path) -> Path:
    """A results document as `check-links` writes it, for two real evidence URLs of the Шахты report."""
    refs = {ref.url: ref for ref in load_site(SHAKHTY).links() if ref.url in (GOOD, DELETED)}
    checked = dt.datetime(2022, 11, 30, 3, 0, tzinfo=dt.UTC)

    def entry(url: str, status: LinkStatus, code: int, reason: str) -> ResultEntry:
        ref = refs[url]
        source = SourceEntry(path=ref.path, line=ref.line, col=ref.col, kind=ref.kind, item=ref.item,
                             owner=ref.owner, page=ref.owner_slug, title=ref.title)  # fmt: skip
        return ResultEntry(url=url, status=status, http_status=code, final_url=url, reason=reason, attempts=1,
                           checked_at=checked, written_as=[url], sources=[source])  # fmt: skip

    document = LinkReportDocument(
        generated_at=checked,
        tool="site-builder test",
        summary=Summary(
            urls=2,
            links=2,
            from_cache=0,
            failed=True,
            fail_on=[LinkStatus.BROKEN],
            by_status={LinkStatus.OK: 1, LinkStatus.BROKEN: 1},
        ),  # fmt: skip
        results=[
            entry(GOOD, LinkStatus.OK, 200, "HTTP 200"),
            entry(DELETED, LinkStatus.BROKEN, 404, "файл удалён с Яндекс Диска (HTTP 404)"),
        ],
    )
    path = tmp_path / "link-report.json"
    path.write_text(document.model_dump_json(), encoding="utf-8")
    return path
