"""The `monitoring:` block of site.yaml: defaults, and mistakes reported at their place in Russian."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from site_builder.checks.monitor.crawl import pages_seen
from site_builder.checks.monitor.criteria import dates_in
from site_builder.checks.monitor.run import fetch_config
from site_builder.content.settings.monitoring import MonitoringConfig
from site_builder.model.site import load_site
from tests.helpers.sites import check_cli, make_site, read_fixture


def test_defaults_follow_item_5_4() -> None:
    config = MonitoringConfig()
    assert config.checked() == ["site", "section", "documents", "links", "fresh"]
    assert [rule.title for rule in config.documents] == [
        "Дорожная карта",
        "Концепция развития",
        "Среднесрочная программа развития",
        "Антирисковые программы",
        "Отчёт",
    ]
    assert not config.is_required("fresh")


def test_site_without_the_block_gets_the_defaults(tmp_path: Path) -> None:
    assert load_site(make_site(tmp_path)).config.monitoring == MonitoringConfig()


def test_the_block_is_read_from_site_yaml(tmp_path: Path) -> None:
    block = """
monitoring:
  fresh_days: 30
  criteria: [site, section, documents]
  required: [site]
  documents:
  - title: Дорожная карта
    patterns: ['дорожн\\w*\\s+карт']
"""
    site = load_site(make_site(tmp_path, {"site.yaml": read_fixture("site.yaml") + block}))
    config = site.config.monitoring
    assert (config.fresh_days, config.checked(), config.required) == (
        30,
        ["site", "section", "documents"],
        ["site"],
    )
    assert config.documents[0].patterns == [r"дорожн\w*\s+карт"]


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            "monitoring:\n  fresh_days: 0\n",
            "«fresh_days» (Срок обновления раздела, дней): значение должно быть не меньше 1",
        ),
        ("monitoring:\n  section_texts: ['500(+']\n", "неверное регулярное выражение «500(+»"),
        ("monitoring:\n  criteria: [site]\n  required: [site, links]\n", "которых нет в criteria: links"),
        ("monitoring:\n  crawl_pages: 5\n", "может быть, имелось в виду «max_pages»"),
    ],
)
def test_mistakes_point_at_their_line(tmp_path: Path, block: str, message: str) -> None:
    base = read_fixture("site.yaml")
    content = make_site(tmp_path, {"site.yaml": base + block})
    result = check_cli(content)
    assert result.exit_code == 1
    first_key = len(base.splitlines()) + 2  # the line under «monitoring:»
    assert f"site.yaml:{first_key}:" in result.stderr
    assert message in result.stderr


def test_fetch_settings_keep_the_link_checkers_and_take_the_monitors_limits() -> None:
    settings = fetch_config(MonitoringConfig(timeout=3, request_interval=2), None, allow_private=False)
    assert (settings.connect_timeout, settings.read_timeout, settings.per_host_interval) == (3, 3, 2)
    assert settings.per_host_concurrency == 1
    assert not settings.allow_private


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Обновлено 15.02.2026", [dt.date(2026, 2, 15)]),
        ("от 1 сентября 2024 г. и 2025-01-31", [dt.date(2024, 9, 1), dt.date(2025, 1, 31)]),
        ("приказ № 31.13.2026, телефон 12.34.5678, 1999 год: 01.01.1999", []),
        ("3 Марта 2026 года", [dt.date(2026, 3, 3)]),
    ],
)
def test_dates_on_a_page(text: str, dates: list[dt.date]) -> None:
    assert dates_in(text) == dates


@pytest.mark.parametrize(
    ("count", "text"),
    [(1, "просмотрена 1 страница"), (3, "просмотрены 3 страницы"), (5, "просмотрено 5 страниц"),
     (11, "просмотрено 11 страниц"), (21, "просмотрена 21 страница")],
)  # fmt: skip
def test_pages_seen_agrees_with_its_number(count: int, text: str) -> None:
    assert pages_seen(count) == text
