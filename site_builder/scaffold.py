"""`site-builder new`: a valid, commented file to start a roadmap, report, page or school from.

Nothing the editor wrote is ever changed: a file that exists is never overwritten, and schools.yaml, once it
exists, is not rewritten either — for a new school the entry to paste is printed instead.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from site_builder.content.loader import load_yaml
from site_builder.content.models import SLUG_PATTERN, Roadmap
from site_builder.content.schema import kind_named, modeline
from site_builder.content.validate import validate
from site_builder.core.errors import ContentError, SiteBuilderError, display_path
from site_builder.core.resources import STARTER_DIR, STARTER_NETLIFY

ScaffoldKind = Literal["roadmap", "report", "page", "school"]
SCAFFOLD_KINDS: tuple[ScaffoldKind, ...] = ("roadmap", "report", "page", "school")
# The checkout builds with an editable install; a site started by `new site` installs the package instead.
_NETLIFY_COMMAND = (
    'command = "pip install -e . && python -m site_builder build --content content --output output"'
)
_STARTER_NETLIFY_COMMAND = (
    'command = "pip install ${SITE_BUILDER_PACKAGE:-site-builder} && '
    'site-builder build --content content --output output"'
)
COMMENT_WIDTH = 90


class ScaffoldRefused(SiteBuilderError):
    """The scaffold cannot be written; the message says why, in Russian."""


@dataclass(frozen=True)
class Scaffold:
    """What `new` made: the file written, or (`created` False) the snippet to add to an existing file by hand."""

    path: Path
    text: str
    created: bool


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML) that stays text whatever it holds."""
    return json.dumps(text, ensure_ascii=False)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= COMMENT_WIDTH else flat[: COMMENT_WIDTH - 1] + "…"


def _header(schema_name: str, target: Path, lines: list[str]) -> str:
    line = modeline(kind_named(schema_name), target)
    return "".join(f"{text}\n" for text in ([line] if line else []) + [f"# {text}" for text in lines])


_HELP = "Проверка: site-builder check; просмотр: make serve. Подробно — docs/guide.md."


def roadmap_text(target: Path, year: int) -> str:
    header = _header("roadmap", target, [
        "Дорожная карта. Замените примеры текстом документа, слово в слово, с его опечатками.",
        "Адрес страницы берётся из имени файла. " + _HELP,
    ])  # fmt: skip
    return (
        header
        + f"""\
title: Дорожная карта по реализации проекта «500+»
level: municipal  # federal, regional, municipal или school
territory: ""  # район, город или регион
year: {year}
# Утверждающий документ, если он есть:
# approval:
#   kind: Приказ
#   issuer: Управление образования …
#   number: "1"
#   date: {year}-01-10
#   title: Об утверждении дорожной карты по реализации проекта «500+»
# Столбцы таблицы в порядке документа и их заголовки, как в документе (лишние уберите):
columns:
  number: №
  activity: Мероприятие
  deadline: Срок реализации
  executors: Исполнители
  task: Задачи
  indicator: Показатель реализации
sections:
  - number: "1"
    title: Название раздела
    items:
      - number: "1.1"
        activity: Текст мероприятия
        # Срок как в документе; как он понят, покажет site-builder deadline "Январь {year}" --year {year}
        deadline: Январь {year}
        executors: Муниципальный координатор
        task: Задача
        indicator: Показатель реализации
        # Подтверждающие документы, когда они появятся:
        # evidence:
        #   - title: Приказ о …
        #     url: https://…
"""
    )


def report_text(target: Path, year: int, roadmap: tuple[str, Roadmap] | None) -> str:
    lines = [
        "Отчёт о выполнении дорожной карты. Статусы: выполнено, в работе, запланировано, не выполнено, отменено.",
        "Ссылки на подтверждающие документы — списком evidence: «- title: Протокол …» и «url: https://…».",
        _HELP,
    ]
    if roadmap:
        slug, model = roadmap
        lines.insert(
            1, f"Ниже все мероприятия карты «{slug}» со статусом «запланировано»: исправьте статусы,"
        )
        lines.insert(2, "впишите результаты (result) и ссылки (evidence), лишние пункты удалите.")
        year = model.year
    head = _header("report", target, lines) + (
        "title: Отчёт о реализации дорожной карты\n"
        + (f"roadmap: {quoted(roadmap[0])}\n" if roadmap else "")
        + 'stage: ""  # этап или период, например «Первый этап»\n'
        + f"year: {year}\n"
        + f"# date: {year}-12-01  # дата отчёта\n"
        + 'narrative: ""  # текст перед таблицей; для нескольких абзацев — «narrative: |» и текст с отступом\n'
        + "sections:\n"
    )
    return head + (_report_sections(roadmap[1]) if roadmap else _standalone_section(year))


def _report_sections(roadmap: Roadmap) -> str:
    parts = []
    for section in roadmap.sections:
        parts.append(
            f"  - number: {quoted(section.number)}\n    title: {quoted(section.title)}\n    items:\n"
        )
        for item in section.items:
            parts.append(
                f"      - number: {quoted(item.number)}  # {_short(item.activity)}\n"
                "        status: запланировано\n"
                '        result: ""\n'
            )
        if not section.items:
            parts.append("      []\n")
    return "".join(parts)


def _standalone_section(year: int) -> str:
    return f"""\
  # Отчёт без дорожной карты: у каждого пункта свои мероприятие, срок и показатель.
  - number: "1"
    title: Название раздела
    items:
      - number: "1.1"
        activity: Текст мероприятия
        deadline: Январь {year}
        indicator: Показатель реализации
        status: запланировано
        result: ""
"""


def page_text(today: dt.date) -> str:
    return f"""\
---
# Заголовок и дата страницы. Новость (news: true) попадает в ленту и на главную страницу.
title: Новая страница
date: {today.isoformat()}
summary: ""
news: false
---
<!-- Текст страницы в разметке Markdown: абзацы разделяются пустой строкой, **жирный текст**,
[текст ссылки](адрес). Этот комментарий на сайт не попадает. {_HELP} -->

Текст страницы.
"""


def school_entry(name: str, indent: str = "  ") -> str:
    """One school as a list item, indented like the list it goes into."""
    lines = [
        f"- id: {name}",
        f"  short_name: {quoted(name)}  # как школу называет дорожная карта, например БСШ1",
        '  name: ""  # полное официальное название',
        '  site: ""  # адрес официального сайта школы: https://…',
        '  section_url: ""  # страница «500+» на сайте школы',
        '  curator: ""  # фамилия и инициалы куратора',
    ]
    return "".join(f"{indent}{line}\n" for line in lines)


def schools_text(target: Path, name: str) -> str:
    header = _header("schools", target, ["Школы — участницы проекта, по одной записи на школу.", _HELP])
    return header + "schools:\n" + school_entry(name)


def scaffold(
    kind: ScaffoldKind, name: str, content_dir: Path, today: dt.date, roadmap_slug: str | None = None
) -> Scaffold:
    """Write the starting file for `kind` named `name` into `content_dir`; raises ScaffoldRefused."""
    if not re.fullmatch(SLUG_PATTERN, name):
        raise ScaffoldRefused(
            f"имя «{name}» не годится для адреса страницы: нужны строчные латинские буквы, цифры и дефис, "
            "например balakhta-2023"
        )
    if not content_dir.is_dir():
        raise ScaffoldRefused(f"папка с содержимым «{content_dir}» не найдена: укажите её в --content")
    if kind == "school":
        return _school(name, content_dir)
    folder, suffixes = {
        "roadmap": ("roadmaps", (".yaml", ".yml")),
        "report": ("reports", (".yaml", ".yml")),
        "page": ("pages", (".md",)),
    }[kind]
    target = content_dir / folder / f"{name}{suffixes[0]}"
    for suffix in suffixes:
        if target.with_suffix(suffix).exists():
            raise ScaffoldRefused(
                f"файл {display_path(target.with_suffix(suffix))} уже есть: site-builder не перезаписывает "
                "файлы — выберите другое имя"
            )
    if kind == "roadmap":
        text = roadmap_text(target, today.year)
    elif kind == "report":
        text = report_text(target, today.year, _report_roadmap(content_dir, roadmap_slug))
    else:
        text = page_text(today)
    return _create(target, text)


def _create(target: Path, text: str) -> Scaffold:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        raise ScaffoldRefused(
            f"файл {display_path(target)} уже есть: site-builder не перезаписывает файлы"
        ) from None
    return Scaffold(target, text, True)


def _school(name: str, content_dir: Path) -> Scaffold:
    target = content_dir / "schools.yaml"
    if not target.exists():
        return _create(target, schools_text(target, name))
    try:
        data = load_yaml(target, display_path(target)).data
    except ContentError:
        data = None  # the editor will see those errors from `check`; the snippet is still right
    schools = data.get("schools") if isinstance(data, dict) else None
    if isinstance(schools, list) and any(isinstance(s, dict) and s.get("id") == name for s in schools):
        raise ScaffoldRefused(f"школа с кодом «{name}» уже есть в {display_path(target)}")
    items = re.search(r"^( *)- ", target.read_text(encoding="utf-8-sig"), re.MULTILINE)
    return Scaffold(target, school_entry(name, items.group(1) if items else "  "), False)


def _report_roadmap(content_dir: Path, slug: str | None) -> tuple[str, Roadmap] | None:
    """The roadmap a new report lists the items of: the one named, or the only one there is."""
    paths = sorted(
        p for p in (content_dir / "roadmaps").glob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
    )
    roadmaps = {}
    for path in paths:
        roadmap = _load_roadmap(path)
        roadmaps[roadmap.slug or path.stem] = roadmap
    if slug is None:
        if len(roadmaps) > 1:
            raise ScaffoldRefused(
                f"дорожных карт несколько ({', '.join(roadmaps)}): укажите нужную, например "
                f"--roadmap {next(iter(roadmaps))}"
            )
        return next(iter(roadmaps.items()), None)
    if slug not in roadmaps:
        raise ScaffoldRefused(f"нет дорожной карты «{slug}» (есть: {', '.join(roadmaps) or 'ни одной'})")
    return slug, roadmaps[slug]


def _load_roadmap(path: Path) -> Roadmap:
    shown = display_path(path)
    try:
        roadmap, _ = validate(load_yaml(path, shown), Roadmap)
    except ContentError:
        roadmap = None
    if roadmap is None:
        raise ScaffoldRefused(
            f"дорожная карта {shown} содержит ошибки: сначала исправьте их (site-builder check)"
        )
    return roadmap


def site_text(year: int) -> str:
    return f"""\
# Настройки раздела «Федеральный проект 500+». Замените примеры сведениями из ваших документов.
# Все поля и подсказки — в docs/guide.md руководства site-builder. {_HELP}
title: Федеральный проект 500+
organisation: Название органа управления образованием (замените)
territory: ""  # район, город или регион
description: Дорожная карта по реализации проекта «500+» на {year} год.
# base_url: https://example.org/500plus/  # адрес раздела в интернете, когда он будет известен
# coordinator:
#   name: Фамилия И.О.
#   position: Муниципальный координатор
"""


def scaffold_site(folder: Path, today: dt.date) -> list[Path]:
    """A starter site in `folder` (new or empty): content/ that passes `check`, .gitignore, Netlify and GitHub
    settings. Returns the files written; raises ScaffoldRefused when the folder holds anything already."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldRefused(
            f"папка {display_path(folder)} уже есть и не пуста: site-builder не перезаписывает файлы — "
            "укажите новую папку"
        )
    content = folder / "content"
    roadmap = content / "roadmaps" / f"roadmap-{today.year}.yaml"
    netlify = STARTER_NETLIFY.read_text(encoding="utf-8").replace(_NETLIFY_COMMAND, _STARTER_NETLIFY_COMMAND)
    files = {
        content / "site.yaml": site_text(today.year),
        roadmap: roadmap_text(roadmap, today.year),
        content / "schools.yaml": schools_text(content / "schools.yaml", "school-1"),
        content / "pages" / "about.md": page_text(today),
        folder / ".gitignore": (STARTER_DIR / "gitignore").read_text(encoding="utf-8"),
        folder / "netlify.toml": netlify,
        folder / ".github" / "workflows" / "site.yml": (STARTER_DIR / "site.yml").read_text(encoding="utf-8"),
        folder / ".github" / "workflows" / "nightly.yml": (STARTER_DIR / "nightly.yml").read_text(
            encoding="utf-8"
        ),
    }
    for path, text in files.items():
        _create(path, text)
    return list(files)
