"""From what the crawl saw to one outcome and a Russian sentence per criterion.

A criterion that cannot be judged because an earlier one failed (no site, no section) is «не проверен», never
«не выполнен»: the note then names the real cause once instead of five times.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from site_builder.checks.links.classify import LinkResult
from site_builder.checks.links.fetch import ErrorKind
from site_builder.checks.monitor.crawl import Exploration, Page, pages_seen, plain
from site_builder.content.models import School
from site_builder.content.records.monitoring import (
    CriterionInfo,
    CriterionResult,
    DocumentFinding,
    DocumentMatch,
    Outcome,
    SchoolResult,
)
from site_builder.content.settings.link_check import LinkStatus
from site_builder.content.settings.monitoring import (
    CRITERION_TITLES,
    CriterionId,
    DocumentRule,
    MonitoringConfig,
    compile_patterns,
)
from site_builder.core.russian import MONTHS_GENITIVE, plural, short_date

NO_SITE = "сайт не указан в schools.yaml"
OUT_OF_TIME = "исчерпано время мониторинга (max_run_seconds)"
MAX_MATCHES = 10  # places one document is named: enough to judge, short enough to read
_MONTHS = {name: number for number, name in enumerate(MONTHS_GENITIVE, 1)}
DATES = re.compile(
    r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\b"
    r"|\b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b"
    rf"|\b(?P<td>\d{{1,2}})\s+(?P<tm>{'|'.join(_MONTHS)})\s+(?P<ty>\d{{4}})",
    re.IGNORECASE,
)
EARLIEST = dt.date(2000, 1, 1)  # older «dates» on a school page are numbers that only look like dates


def dates_in(text: str) -> list[dt.date]:
    found = []
    for match in DATES.finditer(text):
        if match.group("d"):
            parts = (match.group("y"), match.group("m"), match.group("d"))
        elif match.group("iy"):
            parts = (match.group("iy"), match.group("im"), match.group("id"))
        else:
            parts = (match.group("ty"), str(_MONTHS[match.group("tm").lower()]), match.group("td"))
        try:
            found.append(dt.date(*(int(part) for part in parts)))
        except ValueError:
            continue
    return [date for date in found if date >= EARLIEST]


def _file_name(url: str) -> str:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return plain(name.replace("_", " ").replace("-", " "))


def _matches(rule: DocumentRule, page: Page) -> list[DocumentMatch]:
    patterns = compile_patterns(rule.patterns)

    def hit(text: str) -> bool:
        return any(pattern.search(text) for pattern in patterns)

    matches: list[DocumentMatch] = []
    urls: set[str] = set()
    for anchor in page.content_anchors:
        if anchor.url in urls:
            continue
        if hit(anchor.text):
            matches.append(DocumentMatch(where="ссылка", text=anchor.text, url=anchor.url))
        elif hit(_file_name(anchor.url)):
            matches.append(DocumentMatch(where="имя файла", text=_file_name(anchor.url), url=anchor.url))
        else:
            continue
        urls.add(anchor.url)
    matches += [DocumentMatch(where="заголовок", text=heading) for heading in page.headings if hit(heading)]
    return matches[:MAX_MATCHES]


def find_documents(page: Page, config: MonitoringConfig) -> list[DocumentFinding]:
    return [
        DocumentFinding(title=rule.title, required=rule.required, matches=_matches(rule, page))
        for rule in config.documents
    ]


def document_urls(documents: list[DocumentFinding]) -> list[str]:
    return list(dict.fromkeys(match.url for document in documents for match in document.matches if match.url))


def with_links(documents: list[DocumentFinding], links: dict[str, LinkResult]) -> list[DocumentFinding]:
    """The findings with each link's class and reason; a link the run had no time for keeps no class."""
    updated = []
    for document in documents:
        matches = [
            match.model_copy(
                update={"link": _link_class(links[match.url]), "reason": links[match.url].reason}
            )
            if match.url in links
            else match
            for match in document.matches
        ]
        updated.append(document.model_copy(update={"matches": matches}))
    return updated


def _link_class(result: LinkResult) -> str:
    return "" if result.cause == ErrorKind.DEADLINE.value else result.status.value


def _days(count: int) -> str:
    return f"{count} {plural(count, 'день', 'дня', 'дней')}"


def _listing(names: list[str]) -> str:
    return ", ".join(name[:1].lower() + name[1:] for name in names)


@dataclass
class _Judge:
    school: School
    found: Exploration | None
    documents: list[DocumentFinding]
    config: MonitoringConfig
    as_of: dt.date

    def site(self) -> CriterionResult:
        if not self.school.site.strip():
            return CriterionResult(outcome=Outcome.UNKNOWN, text=f"{NO_SITE}: сайт не проверялся")
        assert self.found is not None
        if self.found.invalid:
            return CriterionResult(
                outcome=Outcome.NOT_MET,
                text=f"адрес сайта в schools.yaml записан с ошибкой: {self.found.invalid}",
            )
        home = self.found.home
        assert home is not None
        fetch = self.found.home_fetch
        if home.status is LinkStatus.OK and self.found.home_problem and fetch is not None and fetch.is_html:
            return CriterionResult(
                outcome=Outcome.NOT_MET,
                text=f"главная страница отвечает, но не читается: {self.found.home_problem}",
            )
        if home.status is LinkStatus.OK:
            return CriterionResult(outcome=Outcome.MET, text=f"главная страница отвечает: {home.reason}")
        if self.found.expired:
            return CriterionResult(outcome=Outcome.UNKNOWN, text=f"сайт не проверен: {OUT_OF_TIME}")
        return CriterionResult(outcome=Outcome.NOT_MET, text=f"сайт не открывается: {home.reason}")

    def section(self) -> CriterionResult:
        found = self.found
        assert found is not None
        if found.section is not None:
            return CriterionResult(
                outcome=Outcome.MET, text=f"раздел есть: {found.section.url} ({found.section_how})"
            )
        if found.expired:
            return CriterionResult(outcome=Outcome.UNKNOWN, text=f"поиск раздела не закончен: {OUT_OF_TIME}")
        if found.robots_failure:
            return CriterionResult(
                outcome=Outcome.UNKNOWN, text=f"раздел не проверен: {found.robots_failure}"
            )
        if found.blocked:
            return CriterionResult(
                outcome=Outcome.UNKNOWN,
                text=f"robots.txt сайта запрещает обход раздела ({', '.join(found.blocked)}): проверьте раздел вручную",
            )
        reasons = [found.given_failure] if found.given_failure else []
        reasons += found.candidate_failures
        searched = f"на сайте не найдена ссылка на раздел «500+» ({pages_seen(found.pages)}"
        searched += f"; поиск остановлен: {found.stopped})" if found.stopped else ")"
        if found.candidate_failures:
            searched = "ссылки на раздел «500+» есть, но раздел не открывается"
        return CriterionResult(outcome=Outcome.NOT_MET, text="; ".join([searched, *reasons]))

    def documents_named(self) -> CriterionResult:
        required = [d for d in self.documents if d.required]
        missing = [d.title for d in required if not d.found]
        named = [d.title for d in required if d.found]
        if not missing:
            return CriterionResult(outcome=Outcome.MET, text=f"названы все документы: {_listing(named)}")
        text = f"не названы: {_listing(missing)}"
        return CriterionResult(
            outcome=Outcome.NOT_MET, text=text + (f"; названы: {_listing(named)}" if named else "")
        )

    def links(self) -> CriterionResult:
        linked = [m for d in self.documents for m in d.matches if m.url]
        matches = {m.url: m for m in linked if m.link and m.link != LinkStatus.SKIPPED}
        if not matches:
            cause = (
                "ссылки не проверены: " + linked[0].reason if linked else "в разделе нет ссылок на документы"
            )
            return CriterionResult(outcome=Outcome.UNKNOWN, text=cause)
        broken = [m for m in matches.values() if m.link != LinkStatus.OK]
        total = len(matches)
        if not broken:
            word = plural(total, "ссылка открывается", "ссылки открываются", "ссылок открываются")
            return CriterionResult(outcome=Outcome.MET, text=f"{'все ' if total > 1 else ''}{total} {word}")
        details = "; ".join(f"«{m.text}» ({m.url}) — {m.reason}" for m in broken)
        verb = plural(len(broken), "не открывается", "не открываются", "не открываются")
        return CriterionResult(outcome=Outcome.NOT_MET, text=f"{verb} {len(broken)} из {total}: {details}")

    def updated(self) -> tuple[dt.date | None, str]:
        """The newest date on the section page up to the monitoring date, else the server's Last-Modified."""
        page = self.found.section if self.found else None
        if page is None:
            return None, ""
        dates = [date for date in dates_in(page.text) if date <= self.as_of]
        if dates:
            return max(dates), "самая поздняя дата на странице раздела"
        if page.modified is not None and page.modified <= self.as_of:
            return page.modified, "дата изменения страницы от сервера (Last-Modified)"
        return None, ""

    def fresh(self) -> CriterionResult:
        date, source = self.updated()
        if date is None:
            return CriterionResult(
                outcome=Outcome.NOT_MET, text="на странице раздела нет дат, сервер не сообщает дату изменения"
            )
        age = (self.as_of - date).days
        when = "в день мониторинга" if age == 0 else f"{_days(age)} назад"
        text = f"{source} — {short_date(date)}, {when}"
        if age <= self.config.fresh_days:
            return CriterionResult(outcome=Outcome.MET, text=text)
        return CriterionResult(
            outcome=Outcome.NOT_MET, text=f"{text}: дольше {_days(self.config.fresh_days)}"
        )


def _unchecked(cause: str) -> CriterionResult:
    return CriterionResult(outcome=Outcome.UNKNOWN, text=f"не проверялся: {cause}")


def evaluate(
    school: School,
    found: Exploration | None,
    documents: list[DocumentFinding],
    config: MonitoringConfig,
    as_of: dt.date,
) -> SchoolResult:
    """The school's result for every criterion the configuration checks."""
    judge = _Judge(school, found, documents, config, as_of)
    site = judge.site()
    cause = ""  # why the criteria after the failed one cannot be judged
    if site.outcome is Outcome.NOT_MET:
        cause = "сайт не открывается"
    elif site.outcome is Outcome.UNKNOWN:
        cause = "сайт не указан" if not school.site.strip() else "сайт не проверен"
    section = _unchecked(cause) if cause else judge.section()
    if section.outcome is Outcome.NOT_MET:
        cause = "раздел не найден"
    elif not cause and section.outcome is Outcome.UNKNOWN:
        cause = (
            "раздел не проверен"
            if found and (found.expired or found.robots_failure)
            else "раздел закрыт для обхода в robots.txt"
        )
    every: dict[CriterionId, CriterionResult] = {
        "site": site,
        "section": section,
        "documents": _unchecked(cause) if cause else judge.documents_named(),
        "links": _unchecked(cause) if cause else judge.links(),
        "fresh": _unchecked(cause) if cause else judge.fresh(),
    }
    updated, _ = judge.updated()
    return SchoolResult(
        id=school.id,
        short_name=school.short_name,
        name=school.name,
        site=school.site,
        section_url=found.section.url if found and found.section else "",
        section_how=found.section_how if found and found.section else "",
        updated=updated,
        pages=found.pages if found else 0,
        criteria={criterion: every[criterion] for criterion in config.checked()},
        documents=documents,
        notes=found.notes if found else [],
    )


def failure(school: School, config: MonitoringConfig, cause: str) -> SchoolResult:
    """A result for a school whose monitoring broke down on our side: nothing about the school is claimed."""
    result = _unchecked(cause)
    return SchoolResult(
        id=school.id,
        short_name=school.short_name,
        name=school.name,
        site=school.site,
        criteria={criterion: result for criterion in config.checked()},
    )


def not_reached(school: School, config: MonitoringConfig) -> SchoolResult:
    """A school the run's time limit left unchecked: said the way an expired exploration says it."""
    result = failure(school, config, "сайт не проверен")
    if "site" not in result.criteria:
        return result
    site = CriterionResult(outcome=Outcome.UNKNOWN, text=f"сайт не проверен: {OUT_OF_TIME}")
    return result.model_copy(update={"criteria": {**result.criteria, "site": site}})


DESCRIPTIONS: dict[CriterionId, str] = {
    "site": "главная страница официального сайта открывается",
    "section": "на сайте есть раздел о проекте «500+»: по адресу из schools.yaml или по ссылке с сайта",
    "documents": "раздел называет требуемые документы в текстах ссылок, заголовках или именах файлов",
    "links": "ссылки на найденные документы открываются",
    "fresh": "самая поздняя дата на странице раздела (или дата изменения от сервера) не старше срока",
}


def criteria_infos(config: MonitoringConfig) -> list[CriterionInfo]:
    infos = []
    for criterion in config.checked():
        description = DESCRIPTIONS[criterion]
        if criterion == "documents":
            titles = [rule.title for rule in config.documents if rule.required]
            description += f" ({_listing(titles)})"
        elif criterion == "fresh":
            description += f" ({_days(config.fresh_days)})"
        infos.append(
            CriterionInfo(
                id=criterion,
                title=CRITERION_TITLES[criterion],
                description=description,
                required=config.is_required(criterion),
            )
        )
    return infos


def describe_method(config: MonitoringConfig) -> str:
    """How this monitoring was done, in the words of the note's «Метод» paragraph."""
    pages = f"{config.max_pages} {plural(config.max_pages, 'страницы', 'страниц', 'страниц')}"
    depth = f"{config.max_depth} {plural(config.max_depth, 'перехода', 'переходов', 'переходов')}"
    return (
        "Автоматическая проверка официальных сайтов командой site-builder monitor. Для каждой ОО открыта главная "
        "страница сайта, указанного в schools.yaml. Раздел о проекте «500+» взят по адресу из schools.yaml или "
        "найден по ссылкам сайта (тексты вроде «500+», «Проект 500+», «ШНОР», «адресная методическая помощь» и "
        f"адреса вроде /500plus/); просмотрено не более {pages} сайта, на глубину до {depth} от главной, "
        "с соблюдением правил robots.txt и паузами между запросами. В разделе требуемые документы искались по "
        "текстам ссылок, заголовкам и именам файлов; каждая найденная ссылка на документ проверена запросом. "
        "Дата обновления раздела — самая поздняя дата на его странице, а без дат — дата изменения от сервера."
    )
