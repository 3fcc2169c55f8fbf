"""A report's content (the data of a reports/*.yaml file) from a table that holds the roadmap and its report column.

Each report cell is split by the rule of cells.split_links. The status is «выполнено» unless the cell itself says
the activity is still planned: a report states what was done, and says so when something was not.
"""

from __future__ import annotations

from typing import Any

from site_builder.importer.cells import split_links
from site_builder.importer.findings import Findings
from site_builder.importer.header import Preamble, year_of
from site_builder.importer.layout import Entry, Layout
from site_builder.importer.roadmap import link_data, section_data, text_links

DONE = "выполнено"
PLANNED = "запланировано"


def status_of(text: str) -> str:
    return PLANNED if "запланирован" in text.lower() else DONE


def report_item(entry: Entry, layout: Layout, findings: Findings, *, own_texts: bool) -> dict[str, Any]:
    """One report item; `own_texts` copies the roadmap columns in when the report refers to no roadmap file."""
    cell = entry.fields.get("evidence", "")
    data: dict[str, Any] = {"number": entry.number, "status": status_of(cell)}
    if not cell:
        findings.warn(
            entry.line,
            f"ячейка отчёта мероприятия {entry.number} пуста: статус «{DONE}» поставлен по умолчанию",
        )
    result, links = split_links(cell)
    if own_texts:
        links.extend(text_links(entry, ("activity", "deadline", "indicator"), layout.columns, findings))
    if result:
        data["result"] = result
    if links:
        data["evidence"] = [link_data(link) for link in links]
    if own_texts:
        data["activity"] = entry.fields.get("activity", "")
        if entry.fields.get("deadline"):
            data["deadline"] = entry.fields["deadline"]
        indicators = [line.indicator for line in entry.lines if line.indicator]
        if indicators:
            data["indicator"] = "; ".join(indicators)
    return data


def report_data(
    layout: Layout, preamble: Preamble, findings: Findings, roadmap_slug: str | None
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if preamble.report_title:
        data["title"] = preamble.report_title
    else:
        findings.error(
            layout.header_line,
            "над таблицей нет заголовка отчёта (абзаца, начинающегося словом «Отчет»): укажите title",
        )
    if roadmap_slug:
        data["roadmap"] = roadmap_slug
    if preamble.stage:
        data["stage"] = preamble.stage
    year = year_of(preamble.report_title) or preamble.year
    if year:
        data["year"] = year
    if preamble.approved_by:
        data["approved_by"] = {"name": preamble.approved_by.name, "position": preamble.approved_by.position}
    data["column"] = layout.columns["evidence"]
    if preamble.narrative:
        data["narrative"] = preamble.narrative
    data["sections"] = [
        section_data(
            group,
            [report_item(entry, layout, findings, own_texts=not roadmap_slug) for entry in group.entries],
        )
        for group in layout.groups
    ]
    return data
