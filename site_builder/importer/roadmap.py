"""A roadmap's content (the data of a roadmaps/*.yaml file) from the table's layout and the text above it."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from site_builder.content.models import ColumnKey, Link
from site_builder.importer.cells import URL, split_links, without_urls
from site_builder.importer.findings import Findings
from site_builder.importer.header import Order, Preamble
from site_builder.importer.layout import Entry, Group, Layout, quoted

DEFAULT_LEVEL = "municipal"
_YEAR = re.compile(r"\b(20\d\d)\b")
# Columns whose words are the document's own: a URL in them is linked, but the text is kept whole.
_ITEM_TEXT_KEYS: tuple[ColumnKey, ...] = ("activity", "deadline", "executors")
_ROW_TEXT_KEYS: tuple[ColumnKey, ...] = ("task", "indicator", "executors")


def link_data(link: Link) -> dict[str, str]:
    return {"title": link.title, "url": link.url}


def approval_data(order: Order) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": order.kind}
    for key in ("issuer", "number", "date", "title"):
        if getattr(order, key):
            data[key] = getattr(order, key)
    if order.signer:
        data["signer"] = {"name": order.signer.name, "position": order.signer.position}
    return data


def _year(layout: Layout, preamble: Preamble, findings: Findings) -> int | None:
    if preamble.year:
        return preamble.year
    years = Counter(
        year for entry in layout.entries() for year in _YEAR.findall(entry.fields.get("deadline", ""))
    )
    if not years:
        findings.error(
            layout.header_line,
            "год дорожной карты не найден ни в тексте над таблицей, ни в сроках: укажите year",
        )
        return None
    year = int(years.most_common(1)[0][0])
    findings.warn(
        layout.header_line, f"год дорожной карты не назван над таблицей: взят {year} — самый частый в сроках"
    )
    return year


def _level(layout: Layout, preamble: Preamble, findings: Findings) -> str:
    if preamble.level:
        return preamble.level
    findings.warn(
        layout.header_line,
        "уровень дорожной карты (муниципальная, региональная…) не понятен из заголовка: записано municipal — проверьте",
    )
    return DEFAULT_LEVEL


def _task_data(entry: Entry) -> dict[str, Any]:
    lines = entry.lines
    if len(lines) == 1 and not lines[0].executors:
        return {key: getattr(lines[0], key) for key in ("task", "indicator") if getattr(lines[0], key)}
    if not lines:
        return {}
    rows = [
        {key: getattr(line, key) for key in ("task", "indicator", "executors") if getattr(line, key)}
        for line in lines
    ]
    return {"rows": rows}


def text_links(
    entry: Entry, keys: tuple[ColumnKey, ...], columns: dict[ColumnKey, str], findings: Findings
) -> list[Link]:
    """Links for URLs standing in the document's own texts: the text stays whole, the URL also becomes a link."""
    texts = [(key, entry.fields.get(key, "")) for key in keys if key in _ITEM_TEXT_KEYS]
    texts += [(key, getattr(line, key)) for line in entry.lines for key in keys if key in _ROW_TEXT_KEYS]
    links: list[Link] = []
    for key, text in texts:
        if not URL.search(text):
            continue
        links.extend(link for link in split_links(text)[1] if link.url)
        findings.warn(
            entry.line,
            f"в столбце «{columns.get(key, key)}» мероприятия {entry.number} есть адрес: текст оставлен как есть, "
            "адрес добавлен в подтверждающие ссылки",
        )
    return links


def item_data(
    entry: Entry, columns: dict[ColumnKey, str], findings: Findings, *, evidence: bool
) -> dict[str, Any]:
    """One item in the model's key order; every URL of its cells becomes an evidence link."""
    data: dict[str, Any] = {"number": entry.number}
    activity = entry.fields.get("activity", "")
    if not activity:
        findings.error(
            entry.line,
            f"у мероприятия {entry.number} пустой столбец «{columns.get('activity', 'Мероприятие')}»",
        )
    data["activity"] = activity
    for key in ("deadline", "executors"):
        if entry.fields.get(key):
            data[key] = entry.fields[key]
    data.update(_task_data(entry))
    links: list[Link] = []
    if evidence and entry.fields.get("evidence"):
        text, found = split_links(entry.fields["evidence"])
        links.extend(found or [Link(title=text, url="")])
    info = entry.fields.get("info", "")
    if info:
        data["info"] = without_urls(info) if URL.search(info) else info
        links.extend(link for link in split_links(info)[1] if link.url)
    links.extend(text_links(entry, (*_ITEM_TEXT_KEYS, *_ROW_TEXT_KEYS), columns, findings))
    if links:
        data["evidence"] = [link_data(link) for link in links]
    return data


def section_data(group: Group, items: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"number": group.number} if group.number else {}
    data["title"] = group.title
    data["items"] = items
    return data


def roadmap_data(
    layout: Layout, preamble: Preamble, findings: Findings, *, evidence: bool = True
) -> dict[str, Any]:
    """The roadmap file's data in the model's key order; `evidence=False` leaves a report column out."""
    columns = {key: text for key, text in layout.columns.items() if evidence or key != "evidence"}
    data: dict[str, Any] = {}
    if preamble.table_title:
        data["title"] = preamble.table_title
    else:
        findings.error(layout.header_line, "название дорожной карты над таблицей не найдено: укажите title")
    data["level"] = _level(layout, preamble, findings)
    year = _year(layout, preamble, findings)
    if year:
        data["year"] = year
    if preamble.order:
        data["approval"] = approval_data(preamble.order)
    if preamble.intro:
        data["intro"] = preamble.intro
    data["columns"] = columns
    data["sections"] = [
        section_data(
            group, [item_data(entry, columns, findings, evidence=evidence) for entry in group.entries]
        )
        for group in layout.groups
    ]
    if not layout.groups:
        findings.error(
            layout.header_line,
            f"в таблице под заголовком {quoted(' | '.join(columns.values()))} нет ни одной строки",
        )
    return data
