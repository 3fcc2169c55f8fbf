"""Small synthetic monitoring results for the results-file, model and note tests (no network)."""

from __future__ import annotations

import datetime as dt

from site_builder.checks.monitor.criteria import criteria_infos, describe_method
from site_builder.content.records.monitoring import (
    CriterionResult,
    DocumentFinding,
    DocumentMatch,
    MonitoringResults,
    Outcome,
    SchoolResult,
)
from site_builder.content.settings.monitoring import CRITERIA, CRITERION_TITLES, MonitoringConfig

Y, N, U = Outcome.MET, Outcome.NOT_MET, Outcome.UNKNOWN


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
