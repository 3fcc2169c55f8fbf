"""The checks of one school as the rule table asks them: pass / fail / not applicable / not checked, with reasons.

Ids are stable: `sveden.<slug>` for a subsection, `sveden.<slug>.<itemprop>` for an item (the parent's name
before it for a child: `sveden.managers.rucovodstvo.fio`), `site500.<criterion>` for the 500+ criteria,
`a11y.<check>` for the static accessibility checks.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from site_builder.checks.monitor.sveden import (
    ABSENT_WORDS,
    MINISTRIES,
    Mark,
    PageFacts,
    SubsectionFinding,
    SvedenFindings,
)
from site_builder.content.records.monitoring import CheckResult, CheckStatus, Outcome, SchoolResult
from site_builder.content.settings.monitoring import CRITERION_TITLES, MonitoringConfig
from site_builder.content.settings.rulebook import ItemRule, Rulebook, SubsectionRule, markup

PASS, FAIL, NA, UNCHECKED = (
    CheckStatus.PASS,
    CheckStatus.FAIL,
    CheckStatus.NOT_APPLICABLE,
    CheckStatus.NOT_CHECKED,
)
SHOWN = 3  # pages or images named in one reason
OUTCOME_STATUS = {Outcome.MET: PASS, Outcome.NOT_MET: FAIL, Outcome.UNKNOWN: UNCHECKED}


def _listing(urls: list[str]) -> str:
    more = f" и ещё {len(urls) - SHOWN}" if len(urls) > SHOWN else ""
    return ", ".join(urls[:SHOWN]) + more


def site500_checks(school: SchoolResult, rules: Rulebook, config: MonitoringConfig) -> list[CheckResult]:
    return [
        CheckResult(
            id=f"site500.{criterion}",
            title=CRITERION_TITLES[criterion],
            status=OUTCOME_STATUS[verdict.outcome],
            required=config.is_required(criterion),
            reason=verdict.text,
            basis=rules.site500.basis,
            fix=rules.site500.fixes.get(criterion, "") if verdict.outcome is Outcome.NOT_MET else "",
        )
        for criterion, verdict in school.criteria.items()
    ]


def _item_check(
    rules: Rulebook, subsection: SubsectionRule, item: ItemRule, marks: list[Mark], optional_parent: bool
) -> CheckResult:
    check = CheckResult(
        id=subsection.item_id(item),
        title=item.title,
        status=PASS,
        required=item.required,
        basis=item.basis or subsection.basis,
    )
    named = [mark for mark in marks if mark.itemprop == item.itemprop]
    placed = [mark for mark in named if item.parent is None or item.parent in mark.ancestors]
    # Under another parent that also has this child («eduCode» of «eduNir» for «eduAccred») is not misplaced.
    homes = {other.parent for other in subsection.items if other.itemprop == item.itemprop}
    stray = [mark for mark in named if None not in homes and not mark.ancestors & homes]
    where = f'itemprop="{item.itemprop}"' + (f' внутри itemprop="{item.parent}"' if item.parent else "")
    if placed:
        absent = all(mark.text.lower().strip(" .") in ABSENT_WORDS for mark in placed)
        found = f"размечено «{placed[0].text}» (сведений нет)" if absent else f"есть: {where}"
        count = f" ({len(placed)} раз)" if len(placed) > 1 else ""
        return check.model_copy(update={"reason": found + count})
    fix = item.fix or rules.item_fix.format(
        subsection=subsection.title, title=item.title, markup=markup(item)
    )
    if not item.required or optional_parent:
        return check.model_copy(
            update={
                "status": NA,
                "reason": f"сведения «при наличии»: элемента {where} нет — если такие сведения у ОО есть, разместите их",
                "fix": fix,
            }
        )
    if stray:
        return check.model_copy(
            update={
                "status": FAIL,
                "reason": f'элемент itemprop="{item.itemprop}" есть, но стоит вне элемента itemprop="{item.parent}"',
                "fix": rules.misplaced_fix.format(
                    itemprop=item.itemprop, parent=item.parent, markup=markup(item)
                ),
            }
        )
    return check.model_copy(
        update={"status": FAIL, "reason": f"на странице подраздела нет элемента {where}", "fix": fix}
    )


def _subsection_checks(
    rules: Rulebook, rule: SubsectionRule, finding: SubsectionFinding | None, cause: str
) -> list[CheckResult]:
    head = CheckResult(id=rule.id, title=f"Подраздел «{rule.title}»", status=PASS, basis=rule.basis)
    if cause or finding is None or (finding.blocked and not finding.pages):
        why = cause or f"robots.txt запрещает обход подраздела ({finding.failure if finding else ''})"
        unchecked = [head.model_copy(update={"status": UNCHECKED, "reason": why})]
        return unchecked + [
            CheckResult(
                id=rule.item_id(item),
                title=item.title,
                status=UNCHECKED,
                required=item.required,
                reason=f"подраздел не проверен: {why}",
                basis=item.basis or rule.basis,
            )
            for item in rule.items
        ]
    if not finding.pages:
        reason = f"подраздел не найден: {finding.failure}" if finding.failure else "подраздел не найден"
        fix = rules.subsection_fix.format(title=rule.title, slug=rule.slug)
        missing = [head.model_copy(update={"status": FAIL, "reason": reason, "fix": fix})]
        return missing + [
            CheckResult(
                id=rule.item_id(item),
                title=item.title,
                status=FAIL if item.required else NA,
                required=item.required,
                reason=f"сведений нет: подраздел «{rule.title}» не найден",
                basis=item.basis or rule.basis,
                fix=fix,
            )
            for item in rule.items
        ]
    pages = ", ".join(page.url for page in finding.pages[1:])
    extra = f"; дополнительные страницы addRef: {pages}" if pages else ""
    checks = [head.model_copy(update={"reason": f"подраздел открыт: {finding.url} ({finding.how}){extra}"})]
    marks = [mark for page in finding.pages for mark in page.marks]
    optional = {item.itemprop for item in rule.items if not item.required}
    checks += [
        _item_check(
            rules,
            rule,
            item,
            marks,
            item.parent in optional and item.parent not in {m.itemprop for m in marks},
        )
        for item in rule.items
    ]
    return checks


def sveden_checks(rules: Rulebook, found: SvedenFindings | None, cause: str) -> list[CheckResult]:
    """Every subsection and item of the table; `cause` says why none could be looked at."""
    subsections = found.subsections if found else {}
    return [
        check
        for rule in rules.subsections
        for check in _subsection_checks(
            rules, rule, subsections.get(rule.slug), cause or (found.not_checked if found else "")
        )
    ]


def _a11y(pages: list[PageFacts], check: str) -> tuple[CheckStatus, str]:
    if check == "lang":
        without = [page.url for page in pages if not page.lang]
        if without:
            return FAIL, f"у страниц не указан язык (атрибут lang): {_listing(without)}"
        return PASS, f"язык указан на всех просмотренных страницах ({len(pages)})"
    if check == "img-alt":
        images = [f"{src} на {page.url}" for page in pages for src in page.images_without_alt]
        if images:
            return FAIL, f"изображений без атрибута alt: {len(images)} — {_listing(images)}"
        return PASS, f"у всех изображений есть атрибут alt (страниц: {len(pages)})"
    if check == "copy":
        without = [page.url for page in pages if not page.has_copy]
        if without:
            return FAIL, f"нет ссылки на версию для слабовидящих: {_listing(without)}"
        return PASS, f"ссылка на версию для слабовидящих есть на всех просмотренных страницах ({len(pages)})"
    hosts = {
        (urlsplit(url).hostname or "").lower().removeprefix("www.") for page in pages for url, _ in page.links
    }
    missing = [name for host, name in MINISTRIES.items() if host not in hosts]
    if missing:
        return FAIL, f"нет ссылок на сайты: {', '.join(missing)}"
    return PASS, "ссылки на сайты Минпросвещения и Минобрнауки России есть"


def a11y_checks(rules: Rulebook, pages: list[PageFacts], cause: str) -> list[CheckResult]:
    checks = []
    for rule in rules.accessibility:
        status, reason = (UNCHECKED, cause) if cause else _a11y(pages, rule.id)
        checks.append(
            CheckResult(
                id=f"a11y.{rule.id}",
                title=rule.title,
                status=status,
                reason=reason,
                basis=rule.basis,
                fix=rule.fix if status is FAIL else "",
            )
        )
    return checks


def failing(checks: list[CheckResult], fail_on: str) -> list[CheckResult]:
    """The checks that make `monitor` exit 1 under the `fail_on` setting (the 500+ criteria go by `required`)."""
    if fail_on == "none":
        return []
    return [
        check
        for check in checks
        if check.status is FAIL
        and not check.id.startswith("site500.")
        and (fail_on == "any" or check.required)
    ]
