"""The «Сведения об образовательной организации» checks against stand-in sites: one run, one test per scenario."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from site_builder.checks.links.guard import StaticResolver
from site_builder.checks.monitor.run import fetch_config, monitor_schools
from site_builder.content.records.monitoring import CheckResult, CheckStatus, SchoolResult
from tests.helpers.monitoring import AS_OF, fast_config
from tests.helpers.standins import Standins, school
from tests.helpers.sveden_sites import RULES, serve_sveden_sites

PASS, FAIL, NA, UNCHECKED = (
    CheckStatus.PASS,
    CheckStatus.FAIL,
    CheckStatus.NOT_APPLICABLE,
    CheckStatus.NOT_CHECKED,
)
HOSTS = ("compliant", "missing", "items", "addref", "login", "cp1251", "bomb", "hanging", "bare")


@pytest.fixture(scope="module")
def sites() -> Iterator[Standins]:
    standins = serve_sveden_sites()
    yield standins
    standins.close()


@pytest.fixture(scope="module")
def results(sites: Standins) -> dict[str, SchoolResult]:
    config = fast_config(sveden_max_pages=80)
    settings = fetch_config(config, None, allow_private=True)
    schools = [school(key) for key in HOSTS]
    schools.append(school("gosweb", site="http://school.gosweb.example.org/"))
    found = asyncio.run(
        monitor_schools(schools, config, AS_OF, settings, resolver=StaticResolver(sites.table))
    )
    return {result.id: result for result in found}


def checks(result: SchoolResult, prefix: str = "") -> dict[str, CheckResult]:
    return {check.id: check for check in result.checks if check.id.startswith(prefix)}


def test_compliant_school_passes_every_required_check(results: dict[str, SchoolResult]) -> None:
    found = checks(results["compliant"], "sveden.")
    for rule in RULES.subsections:
        assert found[rule.id].status is PASS, found[rule.id].reason
        assert found[rule.id].reason.startswith(
            f"подраздел открыт: http://compliant.example.org/sveden/{rule.slug}/"
        )
        optional = {item.itemprop for item in rule.items if not item.required}
        for item in rule.items:
            # The stand-in leaves out what МР v9 marks «при наличии», and with an optional parent its children.
            expected = PASS if item.required and item.parent not in optional else NA
            assert found[rule.item_id(item)].status is expected, (
                rule.item_id(item),
                found[rule.item_id(item)].reason,
            )
    assert (
        found["sveden.managers.rucovodstvo.fio"].reason
        == 'есть: itemprop="fio" внутри itemprop="rucovodstvo"'
    )
    assert (
        "раздел «Сведения об образовательной организации»: http://compliant.example.org/sveden/ "
        "(по ссылке с главной страницы)" in results["compliant"].notes
    )
    a11y = checks(results["compliant"], "a11y.")
    assert {check.status for check in a11y.values()} == {PASS}
    assert set(a11y) == {"a11y.lang", "a11y.img-alt", "a11y.copy", "a11y.ministry-links"}


def test_every_check_has_a_stable_id_basis_and_fix_when_failing(results: dict[str, SchoolResult]) -> None:
    ids = [check.id for check in results["missing"].checks]
    assert len(ids) == len(set(ids))
    assert ids[:5] == [f"site500.{c}" for c in ("site", "section", "documents", "links", "fresh")]
    for check in results["missing"].checks:
        assert check.basis
        assert check.status is not FAIL or check.fix


def test_missing_subsections_fail_with_their_items(results: dict[str, SchoolResult]) -> None:
    found = checks(results["missing"], "sveden.")
    for slug in ("inter", "catering"):
        assert found[f"sveden.{slug}"].status is FAIL
        assert "подраздел не найден" in found[f"sveden.{slug}"].reason
        assert f"/sveden/{slug}" in found[f"sveden.{slug}"].fix
    assert found["sveden.catering.meals"].status is FAIL
    assert found["sveden.inter.internationalDog"].status is NA  # «при наличии» in МР v9
    assert found["sveden.common"].status is PASS


def test_child_outside_its_parent_fails_and_absent_is_accepted(results: dict[str, SchoolResult]) -> None:
    found = checks(results["items"], "sveden.")
    fio = found["sveden.managers.rucovodstvo.fio"]
    assert fio.status is FAIL
    assert fio.reason == 'элемент itemprop="fio" есть, но стоит вне элемента itemprop="rucovodstvo"'
    assert 'внутрь элемента с itemprop="rucovodstvo"' in fio.fix
    assert found["sveden.managers.rucovodstvo.post"].status is PASS
    assert found["sveden.common.addressPlacePrac"].status is PASS
    assert found["sveden.common.addressPlacePrac"].reason == "размечено «отсутствует» (сведений нет)"
    regdate = found["sveden.common.regDate"]
    assert (regdate.status, regdate.reason) == (
        FAIL,
        'на странице подраздела нет элемента itemprop="regDate"',
    )
    assert "п. 7" in regdate.basis


def test_add_ref_pages_are_merged_into_their_subsection(
    results: dict[str, SchoolResult], sites: Standins
) -> None:
    found = checks(results["addref"], "sveden.employees")
    assert found["sveden.employees.teachingStaff.fio"].status is PASS
    assert (
        "дополнительные страницы addRef: http://addref.example.org/sveden/employees/staff/"
        in found["sveden.employees"].reason
    )
    assert "/sveden/employees/staff/" in sites.paths("addref.example.org")


def test_gosweb_section_is_found_from_the_menu_by_its_title(
    results: dict[str, SchoolResult], sites: Standins
) -> None:
    found = checks(results["gosweb"], "sveden.")
    assert found["sveden.common"].status is PASS
    assert "/svedeniya-ob-obrazovatelnoy-organizatsii/razdel-1/" in found["sveden.common"].reason
    assert "по ссылке «Основные сведения» в разделе" in found["sveden.common"].reason
    assert found["sveden.catering.meals"].status is PASS
    assert any(
        "svedeniya-ob-obrazovatelnoy-organizatsii/ (по ссылке с главной страницы)" in n
        for n in results["gosweb"].notes
    )


def test_login_wall_is_no(results: dict[str, SchoolResult]) -> None:
    found = checks(results["login"], "sveden.")
    assert found["sveden.common"].status is FAIL
    assert "только после входа" in found["sveden.common"].reason
    assert found["sveden.common.fullName"].status is FAIL


def test_windows_1251_pages_are_read(results: dict[str, SchoolResult]) -> None:
    found = checks(results["cp1251"], "sveden.")
    assert found["sveden.objects"].status is PASS
    assert found["sveden.common.fullName"].status is PASS


def test_gzip_bomb_home_page_gets_its_own_reason(results: dict[str, SchoolResult]) -> None:
    result = results["bomb"]
    assert result.criteria["site"].outcome.value == "не выполнен"
    assert "«сжатую бомбу»" in result.criteria["site"].text
    assert checks(result, "sveden.common")["sveden.common"].status is UNCHECKED


def test_silent_robots_txt_is_not_a_site_that_is_down(results: dict[str, SchoolResult]) -> None:
    result = results["hanging"]
    assert result.criteria["site"].outcome.value == "выполнен"
    assert result.criteria["section"].outcome.value == "не проверен"
    assert result.criteria["section"].text.startswith("раздел не проверен: robots.txt не получен (")
    common = checks(result, "sveden.common")["sveden.common"]
    assert common.status is UNCHECKED
    assert common.reason.startswith("robots.txt не получен (")
    assert "обход сайта не выполнялся" in common.reason


def test_editor_switches_checks_off_and_adds_items(sites: Standins) -> None:
    config = fast_config(
        disabled_checks=["sveden.inter", "a11y.ministry-links", "sveden.common.regDate"],
        extra_items=[
            {"subsection": "common", "itemprop": "regionCode", "title": "Код региона (синтетический)"}
        ],
    )
    settings = fetch_config(config, None, allow_private=True)
    [result] = asyncio.run(
        monitor_schools([school("compliant")], config, AS_OF, settings, resolver=StaticResolver(sites.table))
    )
    found = checks(result)
    assert not [key for key in found if key.startswith("sveden.inter")]
    assert "a11y.ministry-links" not in found and "sveden.common.regDate" not in found
    assert found["sveden.common.regionCode"].status is FAIL


def test_accessibility_checks_name_what_is_missing_and_where(results: dict[str, SchoolResult]) -> None:
    found = checks(results["bare"], "a11y.")
    home = "http://bare.example.org/"
    assert found["a11y.lang"].status is FAIL
    assert found["a11y.lang"].reason == f"у страниц не указан язык (атрибут lang): {home}"
    assert found["a11y.img-alt"].reason == f"изображений без атрибута alt: 1 — /photo.jpg на {home}"
    assert found["a11y.copy"].reason == f"нет ссылки на версию для слабовидящих: {home}"
    # The section's own pages carry the ministry links: found anywhere on the site is enough.
    assert found["a11y.ministry-links"].status is PASS
    assert all(found[key].fix for key in ("a11y.lang", "a11y.img-alt", "a11y.copy"))
    assert "ГОСТ Р 52872-2019" in found["a11y.img-alt"].basis
    assert checks(results["compliant"], "a11y.")["a11y.copy"].reason.startswith(
        "ссылка на версию для слабовидящих есть на всех просмотренных страницах"
    )


@pytest.mark.parametrize(
    ("chrome", "has_copy"),
    [
        ('<a href="/special/">Версия для слабовидящих</a>', True),
        ('<button aria-label="Версия сайта для слабовидящих"><img src="/eye.svg" alt=""></button>', True),
        ('<a href="#" class="bvi-open"><img src="/eye.svg" alt="Глаз"></a>', True),
        ('<span itemprop="copy"><a href="/?special=1">Обычная ссылка</a></span>', True),
        ('<a href="/news/">Новости</a>', False),
    ],
)
def test_the_version_for_the_visually_impaired_is_recognised(chrome: str, has_copy: bool) -> None:
    import httpx

    from site_builder.checks.links.fetch import FetchResult, Hop
    from site_builder.checks.monitor.sveden import inspect_page

    url = "http://school.example.org/"
    body = f'<!doctype html><html lang="ru"><body><header>{chrome}</header><p>Синтетика</p></body></html>'
    fetch = FetchResult(
        url, "GET", [Hop(url, 200)], httpx.Headers({"content-type": "text/html"}), body.encode()
    )
    facts = inspect_page(fetch)
    assert facts is not None and facts.has_copy is has_copy
