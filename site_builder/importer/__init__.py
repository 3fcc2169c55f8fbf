"""`site-builder import`: a roadmap or report table from a Word file or a text export, as content YAML.

read (tables.py: .docx or text → paragraphs and tables of plain cells) → understand (layout.py: columns,
sections, items, continuation rows, repeats; header.py: the text above the table) → map (roadmap.py,
report.py) → check against the content schema → write (emit.py). Everything the importer guessed, merged or
could not place is reported as `file:row: message`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel

from site_builder.content.loader import Loc, placed
from site_builder.content.models import Report, Roadmap
from site_builder.content.validate import validate
from site_builder.core.atomic import write_atomically
from site_builder.core.errors import SiteBuilderError, display_path
from site_builder.importer.documents import read_document
from site_builder.importer.emit import to_yaml
from site_builder.importer.findings import Finding, Findings
from site_builder.importer.header import read_preamble
from site_builder.importer.layout import Layout, find_table, preamble_of, read_layout
from site_builder.importer.report import report_data
from site_builder.importer.roadmap import roadmap_data
from site_builder.importer.tables import SourceRefused

Kind = Literal["roadmap", "report"]
KINDS: tuple[Kind, ...] = ("roadmap", "report")


class ImportRefused(SiteBuilderError):
    """The command cannot run: unreadable source, an output that exists, options that do not go together."""


@dataclass
class Imported:
    """The import's result: content data ready to write (None when there is nothing sensible to write)."""

    shown: str
    kind: Kind
    findings: list[Finding]
    data: dict[str, Any] | None = None
    roadmap: dict[str, Any] | None = None

    @property
    def failed(self) -> bool:
        return any(finding.error for finding in self.findings)

    def messages(self) -> list[str]:
        return [finding.format(self.shown) for finding in self.findings]


def _positions(layout: Layout) -> dict[Loc, tuple[int, int]]:
    """Schema errors point at the source rows the values came from."""
    positions: dict[Loc, tuple[int, int]] = {(): (layout.header_line, 1)}
    for s_index, group in enumerate(layout.groups):
        positions[("sections", s_index)] = (group.line, 1)
        for i_index, entry in enumerate(group.entries):
            positions[("sections", s_index, "items", i_index)] = (entry.line, 1)
    return positions


def _check(
    data: dict[str, Any], model: type[BaseModel], layout: Layout, shown: str, findings: Findings
) -> None:
    _, problems = validate(placed(shown, data, _positions(layout)), model)
    for problem in problems:
        findings.error(problem.line, problem.message)


def import_document(path: Path, kind: Kind, *, roadmap_slug: str | None = None) -> Imported:
    """Read `path` and map its table onto a roadmap, or onto a report (plus the roadmap its columns give)."""
    shown = display_path(path)
    blocks = read_document(path, shown)
    findings = Findings()
    start = find_table(blocks)
    if start is None:
        findings.error(
            1,
            "таблица мероприятий не найдена: нужна строка заголовков со столбцом номера («№», «№ п/п») "
            "и хотя бы двумя из «Мероприятие», «Срок», «Исполнители», «Показатель»",
        )
        return Imported(shown, kind, findings.sorted())
    layout = read_layout(blocks, start, findings)
    preamble = read_preamble(preamble_of(blocks, start))
    if kind == "report" and "evidence" not in layout.columns:
        findings.error(
            layout.header_line,
            "в таблице нет столбца отчёта («Отчетная информация», «Подтверждающие документы»): "
            "если это дорожная карта, импортируйте её с --kind roadmap",
        )
        return Imported(shown, kind, findings.sorted())
    if kind == "roadmap":
        roadmap = roadmap_data(layout, preamble, findings)
        _check(roadmap, Roadmap, layout, shown, findings)
        return Imported(shown, kind, findings.sorted(), roadmap)
    report = report_data(layout, preamble, findings, roadmap_slug)
    _check(report, Report, layout, shown, findings)
    columns = None
    if roadmap_slug:
        columns = roadmap_data(layout, preamble, findings, evidence=False)
        _check(columns, Roadmap, layout, shown, findings)
    return Imported(shown, kind, findings.sorted(), report, columns)


def comments(imported: Imported, what: str) -> list[str]:
    lines = [
        f"Импортировано командой «site-builder import» из файла {imported.shown}: {what}.",
        "Тексты перенесены из документа как есть; перед публикацией сверьте файл с документом.",
    ]
    if imported.findings:
        lines += ["", "Замечания импорта (они же выведены командой):"]
        lines += [f"  {message}" for message in imported.messages()]
    return lines


def _refuse_existing(paths: list[Path], force: bool) -> None:
    for path in paths:
        if path.is_dir():
            raise ImportRefused(f"{path} — это папка; укажите имя файла, например {path / 'roadmap.yaml'}")
        if path.exists() and not force:
            raise ImportRefused(
                f"файл {path} уже существует и не будет перезаписан; чтобы заменить его, добавьте --force"
            )


def write_new(path: Path, text: str) -> None:
    """Write through a temporary file so an interrupted run never leaves half a file behind."""
    write_atomically(path, text)


@dataclass
class Outcome:
    imported: Imported
    written: list[Path] = field(default_factory=list)
    text: str | None = None  # the YAML, when no --output was given

    def summary(self) -> str:
        data = self.imported.data
        if data is None:
            return "Ничего не записано: исправьте документ или выгрузите таблицу заново."
        items = sum(len(section["items"]) for section in data["sections"])
        where = ", ".join(str(path) for path in self.written) or "выведено на экран"
        text = f"Импортировано: разделов — {len(data['sections'])}, мероприятий — {items}; {where}."
        errors = sum(finding.error for finding in self.imported.findings)
        if errors:
            text += f" Ошибок — {errors}: исправьте их в файле вручную, иначе check их покажет."
        return text


def run_import(
    source: Path, kind: str, *, output: Path | None, roadmap_output: Path | None, force: bool
) -> Outcome:
    """The `import` command: check the options and targets, import, then write (or return the YAML)."""
    if kind not in KINDS:
        raise ImportRefused(f"--kind: ожидается roadmap или report, а не «{kind}»")
    if roadmap_output is not None and kind != "report":
        raise ImportRefused(
            "--roadmap-output нужен только с --kind report: дорожная карта пишется в --output"
        )
    targets = [path for path in (output, roadmap_output) if path is not None]
    if len({path.resolve() for path in targets}) < len(targets):
        raise ImportRefused("--output и --roadmap-output указывают на один и тот же файл")
    _refuse_existing(targets, force)
    try:
        slug = roadmap_output.stem if roadmap_output else None
        imported = import_document(source, cast(Kind, kind), roadmap_slug=slug)
    except SourceRefused as error:
        raise ImportRefused(str(error)) from error
    outcome = Outcome(imported)
    if imported.data is None:
        return outcome
    what = "дорожная карта" if kind == "roadmap" else "отчёт"
    text = to_yaml(imported.data, comments(imported, what))
    if output is None:
        outcome.text = text
    else:
        write_new(output, text)
        outcome.written.append(output)
    if roadmap_output is not None and imported.roadmap is not None:
        write_new(
            roadmap_output,
            to_yaml(imported.roadmap, comments(imported, "столбцы дорожной карты из таблицы отчёта")),
        )
        outcome.written.append(roadmap_output)
    return outcome
