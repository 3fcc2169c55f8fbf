"""The build read back as a reader's browser sees it: the shipped sites parsed with BeautifulSoup and compared with
their YAML files (loaded independently with yaml.safe_load), plus determinism, atomicity and inert hostile text.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
import pytest
import yaml
from bs4 import Tag

from site_builder.build.site import build_site
from site_builder.core.errors import ContentError
from tests.helpers.html import soup as soup_of
from tests.helpers.sites import REPO, leftovers, make_site, read_fixture, snapshot

AS_OF = dt.date(2022, 12, 1)
SHIPPED = {
    "balakhta": REPO / "content",
    "kaliningrad": REPO / "examples" / "kaliningrad",
    "shakhty": REPO / "examples" / "shakhty",
}
BALAKHTA_HEADERS = [
    "№№",
    "Мероприятие",
    "Срок реализации",
    "Исполнители",
    "Задачи",
    "Муниципальный показатель реализации",
]
KALININGRAD_HEADERS = [
    "№ пп",
    "Описание действия",
    "Сроки реализации",
    "Исполнители",
    "Региональный показатель реализации",
    "Информационное сопровождение проекта",
]


def collapse(text: str) -> str:
    return " ".join(text.split())


def yaml_of(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The output folder of a shipped site, built once per module."""
    outputs: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in outputs:
            output = tmp_path_factory.mktemp(name) / "output"
            build_site(SHIPPED[name], output, AS_OF)
            outputs[name] = output
        return outputs[name]

    return get


# --- tables -----------------------------------------------------------------------------------------------------


@dataclass
class GridCell:
    text: str
    element: Tag
    origin: bool  # False where the cell is a rowspan continuing from a row above


@dataclass
class GridSection:
    title: str
    rows: list[list[GridCell]]


def span(element: Tag, name: str) -> int:
    return int(str(element.get(name) or 1))


def headers_of(table: Tag) -> list[str]:
    return [collapse(th.get_text(" ")) for th in table.select("thead th")]


def grid_of(table: Tag) -> list[GridSection]:
    """The table body as a grid with row spans expanded; a full-width header row starts a section."""
    width = len(headers_of(table))
    sections: list[GridSection] = []
    for tbody in table.find_all("tbody"):
        carried: dict[int, tuple[GridCell, int]] = {}
        for tr in tbody.find_all("tr", recursive=False):
            cells = tr.find_all(["th", "td"], recursive=False)
            if len(cells) == 1 and span(cells[0], "colspan") == width:
                sections.append(GridSection(collapse(cells[0].get_text(" ")), []))
                continue
            row: list[GridCell] = []
            queue = list(cells)
            while len(row) < width:
                column = len(row)
                if column in carried:
                    cell, left = carried.pop(column)
                    row.append(GridCell(cell.text, cell.element, False))
                    if left > 1:
                        carried[column] = (cell, left - 1)
                    continue
                element = queue.pop(0)
                cell = GridCell(collapse(element.get_text(" ")), element, True)
                row.append(cell)
                rows = span(element, "rowspan")
                if rows > 1:
                    carried[column] = (cell, rows - 1)
            assert not queue, f"more cells than columns in {tr}"
            sections[-1].rows.append(row)
    return sections


def roadmap_table(page: Path, expected_headers: list[str]) -> tuple[Tag, list[str]]:
    """The table that carries the document's columns (generated columns such as a status may sit among them)."""
    for table in soup_of(page).find_all("table"):
        headers = headers_of(table)
        if [h for h in headers if h in expected_headers] == expected_headers:
            return table, headers
    raise AssertionError(f"no table with the columns {expected_headers} in {page}")


@dataclass
class ItemView:
    number: str
    rows: list[dict[str, GridCell]]  # column key → cell, one dict per table row of the item


def items_by_section(
    table: Tag, headers: list[str], columns: dict[str, str]
) -> list[tuple[str, list[ItemView]]]:
    index = {key: headers.index(title) for key, title in columns.items()}
    result = []
    for section in grid_of(table):
        items: list[ItemView] = []
        for row in section.rows:
            cells = {key: row[i] for key, i in index.items()}
            if cells["number"].origin:
                items.append(ItemView(cells["number"].text, []))
            items[-1].rows.append(cells)
        result.append((section.title, items))
    return result


def roadmap_files(name: str) -> list[Path]:
    return sorted((SHIPPED[name] / "roadmaps").glob("*.yaml"))


def roadmap_cases() -> Iterator[Any]:
    for name in SHIPPED:
        for path in roadmap_files(name):
            yield pytest.param(name, path, id=f"{name}-{path.stem}")


def item_number_matches(cell_text: str, number: str) -> bool:
    return cell_text == number or cell_text.startswith(number + " ")


@pytest.mark.parametrize(("name", "source"), list(roadmap_cases()))
def test_every_item_sits_in_its_section_with_its_texts(
    built: Callable[[str], Path], name: str, source: Path
) -> None:
    data = yaml_of(source)
    columns: dict[str, str] = data["columns"]
    page = built(name) / "roadmaps" / f"{data.get('slug') or source.stem}.html"
    table, headers = roadmap_table(page, list(columns.values()))
    shown = items_by_section(table, headers, columns)
    assert len(shown) == len(data["sections"])
    for (title, items), section in zip(shown, data["sections"], strict=True):
        assert collapse(section["title"]) in title
        assert len(items) == len(section["items"]), title
        for view, item in zip(items, section["items"], strict=True):
            assert item_number_matches(view.number, item["number"]), (view.number, item["number"])
            check_item(view, item, columns)


def check_item(view: ItemView, item: dict[str, Any], columns: dict[str, str]) -> None:
    label = f"item {item['number']}"
    assert isinstance(item["number"], str), f"{label}: number must be quoted in YAML to stay text"
    for key in ("activity", "deadline", "info"):
        if key in columns:
            assert collapse(item.get(key, "")) in view.rows[0][key].text, (label, key)
    rows = item.get("rows") or [{"task": item.get("task", ""), "indicator": item.get("indicator", "")}]
    assert len(view.rows) == len(rows), label
    for index, (cells, row) in enumerate(zip(view.rows, rows, strict=True)):
        for key in ("task", "indicator"):
            if key in columns:
                assert cells[key].text == collapse(row.get(key, "")), (label, key)
        if "executors" in columns:
            # A row with executors of its own starts a cell; the others continue the cell above.
            own = row.get("executors", "")
            assert cells["executors"].origin == (index == 0 or bool(own)), label
            if cells["executors"].origin:
                assert cells["executors"].text == collapse(own or item.get("executors", "")), label


@pytest.mark.parametrize(
    ("name", "headers", "items", "sections"),
    [("balakhta", BALAKHTA_HEADERS, 30, 6), ("kaliningrad", KALININGRAD_HEADERS, 32, 5)],
)
def test_document_columns_and_counts(
    built: Callable[[str], Path], name: str, headers: list[str], items: int, sections: int
) -> None:
    [source] = roadmap_files(name)
    table, shown_headers = roadmap_table(built(name) / "roadmaps" / f"{source.stem}.html", headers)
    assert [h for h in shown_headers if h in headers] == headers
    grid = grid_of(table)
    assert len(grid) == sections
    number_column = shown_headers.index(headers[0])
    assert sum(row[number_column].origin for section in grid for row in section.rows) == items


def test_balakhta_multi_row_items(built: Callable[[str], Path]) -> None:
    source = SHIPPED["balakhta"] / "roadmaps" / "balakhta-2022.yaml"
    columns = yaml_of(source)["columns"]
    table, headers = roadmap_table(built("balakhta") / "roadmaps" / "balakhta-2022.html", BALAKHTA_HEADERS)
    items = {view.number: view for _, views in items_by_section(table, headers, columns) for view in views}
    first, second = items["4.1"], items["4.2"]
    assert [row["task"].text for row in first.rows] == [
        "Заполнение форма «Самодиагностика» в ИС МЭДК",
        "Активация выбранных для работы рисков",
        "Подтверждение кураторами заполнения формы «Самодиагностика» в ИС МЭДК",
    ]
    assert first.rows[0]["number"].element.get("rowspan") == "3"
    assert first.rows[0]["executors"].element.get("rowspan") == "3"
    assert len({id(row["executors"].element) for row in first.rows}) == 1
    assert len(second.rows) == 2
    assert second.rows[0]["executors"].text == "Общеобразовательные организации проекта «500+», кураторы"
    assert second.rows[1]["executors"].origin
    assert (
        second.rows[1]["executors"].text
        == "Кураторы, закрепленные за общеобразовательными организациями проекта «500+»"
    )
    assert second.rows[1]["task"].text == "Подтверждение куратором концептуальных документов в ИС МЭДК"


@pytest.mark.parametrize(
    ("name", "slug", "words"),
    [
        ("balakhta", "balakhta-2022", ["Приказ", "14 января 2022 г.", "№ 6а", "К.А. Кузьмин"]),
        ("kaliningrad", "kaliningrad-2023", ["Приказ", "13 января 2023 г.", "№ 28/1", "С.С. Трусенёва"]),
    ],
)
def test_approving_order(built: Callable[[str], Path], name: str, slug: str, words: list[str]) -> None:
    text = collapse(soup_of(built(name) / "roadmaps" / f"{slug}.html").get_text(" "))
    for word in words:
        assert word in text


def test_balakhta_schools_page(built: Callable[[str], Path]) -> None:
    soup = soup_of(built("balakhta") / "schools.html")
    [table] = soup.find_all("table")
    assert [collapse(th.get_text(" ")) for th in table.select("tbody th[scope=row]")] == [
        "БСШ1",
        "ОСШ",
        "БСШ2",
        "ПСШ",
    ]


def test_shakhty_report_links_every_evidence_url(built: Callable[[str], Path]) -> None:
    [source] = sorted((SHIPPED["shakhty"] / "reports").glob("*.yaml"))
    data = yaml_of(source)
    soup = soup_of(built("shakhty") / "reports" / f"{data.get('slug') or source.stem}.html")
    hrefs = {a["href"] for a in soup.find_all("a", href=True)}
    text = collapse(soup.get_text(" "))
    for section in data["sections"]:
        for item in section["items"]:
            assert item["number"] in text
            for link in item.get("evidence", []):
                if link["url"]:
                    assert link["url"] in hrefs, (item["number"], link["url"])


# --- links ------------------------------------------------------------------------------------------------------


def content_urls(content: Path) -> set[str]:
    """Every address the editor wrote: YAML values of URL fields and Markdown link targets."""
    urls: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("url", "site", "section_url", "base_url") and isinstance(value, str):
                    urls.add(value)
                elif key == "email" and isinstance(value, str):
                    urls.add(f"mailto:{value}")
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(content.rglob("*.yaml")):
        walk(yaml_of(path))
    for path in sorted(content.rglob("*.md")):
        urls.update(re.findall(r"\]\(([^)\s]+)", path.read_text(encoding="utf-8")))
        urls.update(re.findall(r"https?://[^\s)>\]]+", path.read_text(encoding="utf-8")))
    return urls


def link_targets(soup: Tag) -> Iterator[str]:
    for tag in soup.find_all(True):
        for attribute in ("href", "src"):
            value = tag.get(attribute)
            if isinstance(value, str):
                yield value


def ids_of(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        soup = soup_of(path)
        cache[path] = {str(tag["id"]) for tag in soup.find_all(id=True)} | {
            str(tag["name"]) for tag in soup.find_all("a", attrs={"name": True})
        }
    return cache[path]


@pytest.mark.parametrize("name", list(SHIPPED))
def test_internal_links_are_relative_and_resolve(built: Callable[[str], Path], name: str) -> None:
    output = built(name)
    allowed_absolute = content_urls(SHIPPED[name])
    ids: dict[Path, set[str]] = {}
    pages = sorted(output.rglob("*.html"))
    assert pages
    for page in pages:
        here = page.relative_to(output).parent.as_posix()
        for target in link_targets(soup_of(page)):
            parts = urlsplit(target)
            where = f"{page.relative_to(output)}: {target}"
            assert not target.startswith("/"), where
            if parts.scheme or target.startswith("//"):
                assert target in allowed_absolute, f"absolute link not written by the editor — {where}"
                continue
            file = (
                page
                if not parts.path
                else output / posixpath.normpath(posixpath.join(here, unquote(parts.path)))
            )
            assert file.resolve().is_relative_to(output.resolve()), where
            assert file.is_file(), f"broken link — {where}"
            if parts.fragment and file.suffix == ".html":
                assert unquote(parts.fragment) in ids_of(file, ids), f"missing anchor — {where}"


# --- determinism and atomicity ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["balakhta", "shakhty"])
def test_two_builds_are_byte_identical(tmp_path: Path, name: str) -> None:
    build_site(SHIPPED[name], tmp_path / "one", AS_OF)
    build_site(SHIPPED[name], tmp_path / "two", AS_OF)
    first, second = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []


def test_content_error_leaves_the_previous_output(tmp_path: Path) -> None:
    output = tmp_path / "output"
    build_site(make_site(tmp_path), output, AS_OF)
    before = snapshot(output)
    broken = make_site(tmp_path, {"site.yaml": "organisation: [\n"})
    with pytest.raises(ContentError):
        build_site(broken, output, AS_OF)
    assert snapshot(output) == before
    assert leftovers(tmp_path) == []


def test_failure_while_writing_leaves_the_previous_output(
    tmp_path: Path, built_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = built_site
    before = snapshot(output)
    original = jinja2.Template.render
    calls = 0

    def failing_render(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        nonlocal calls
        calls += 1
        if calls == 3:  # some pages are already written into the staging folder by now
            raise RuntimeError("simulated failure in the middle of the build")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", failing_render)
    with pytest.raises(RuntimeError, match="simulated"):
        build_site(make_site(tmp_path, {"pages/new.md": "---\ntitle: Новая\n---\nТекст\n"}), output, AS_OF)
    assert calls == 3
    assert snapshot(output) == before
    assert leftovers(tmp_path) == []


def test_first_build_failing_leaves_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_render(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        raise RuntimeError("simulated")

    monkeypatch.setattr(jinja2.Template, "render", failing_render)
    with pytest.raises(RuntimeError):
        build_site(make_site(tmp_path), tmp_path / "output", AS_OF)
    assert leftovers(tmp_path) == [] and not (tmp_path / "output").exists()


# --- hostile text -----------------------------------------------------------------------------------------------

# Values that must keep their meaning (addresses, identifiers, choices, dates) are left alone.
KEEP = {
    "slug",
    "id",
    "url",
    "site",
    "section_url",
    "base_url",
    "level",
    "status",
    "roadmap",
    "date",
    "year",
    "email",
}


def payload(n: int) -> str:
    return (
        f'<script>alert({n})</script><img src=x onerror="alert({n})"> "q{n}" & \'a{n}\' <b onclick=x>P{n}</b>'
    )


def poisoned(node: Any, fields: list[str], numbers: dict[str, str], key: str = "") -> Any:
    """The data with every free text replaced by a payload numbered by its place in `fields` (the key it was under);
    item numbers get one too, the same for the same number (kept in `numbers`) so reports still match roadmaps.
    """
    if isinstance(node, dict):
        result = {}
        for name, value in node.items():
            if name in KEEP or not isinstance(value, (str, dict, list)):
                result[name] = value
            elif name == "number" and isinstance(value, str):
                result[name] = numbers.setdefault(value, f"{value}<script>n</script>")
            else:
                result[name] = poisoned(value, fields, numbers, name)
        return result
    if isinstance(node, list):
        return [poisoned(value, fields, numbers, key) for value in node]
    if isinstance(node, str):
        fields.append(key)
        return payload(len(fields))
    return node


def poisoned_site(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A content folder full of payloads, and each payload with the key it stands under."""
    numbers: dict[str, str] = {}
    fields: list[str] = []
    files = {}
    for relative in ("site.yaml", "schools.yaml", "roadmaps/demo-2022.yaml", "reports/demo-2022-1.yaml"):
        data = poisoned(yaml.safe_load(read_fixture(relative)), fields, numbers)
        files[relative] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    page = {"title": payload(-1), "summary": payload(0)}
    files["pages/about.md"] = f"---\n{yaml.safe_dump(page, allow_unicode=True)}---\nТекст.\n"
    payloads = {payload(-1): "title", payload(0): "summary"}
    payloads.update({payload(n): key for n, key in enumerate(fields, 1)})
    return make_site(tmp_path, files), payloads


def scripts_and_handlers(output: Path) -> tuple[list[str], list[str]]:
    scripts, handlers = [], []
    for page in sorted(output.rglob("*.html")):
        soup = soup_of(page)
        scripts += [f"{page.name}: {tag}" for tag in soup.find_all("script")]
        handlers += [
            f"{page.name}: {tag.name}[{name}]"
            for tag in soup.find_all(True)
            for name in tag.attrs
            if name.lower().startswith("on")
        ]
    return scripts, handlers


def test_html_in_every_text_field_is_shown_as_text(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    build_site(make_site(clean), clean / "output", AS_OF)
    content, payloads = poisoned_site(tmp_path)
    build_site(content, tmp_path / "output", AS_OF)
    # Whatever the templates themselves carry is allowed; nothing may come from the content.
    assert scripts_and_handlers(tmp_path / "output") == scripts_and_handlers(clean / "output")
    texts = " ".join(
        collapse(soup_of(page).get_text(" ")) for page in sorted((tmp_path / "output").rglob("*.html"))
    )
    hidden = sorted({key for text, key in payloads.items() if collapse(text) not in texts})
    # Markdown fields are sanitised rather than escaped (test_markdown_page_is_sanitised); every other field
    # that the pages show must read literally, tags, quotes and ampersands included.
    assert hidden == ["intro", "narrative"]
    assert "1.1<script>n</script>" in texts


MARKDOWN_ATTACKS = """\
---
title: Страница
---
Обычный абзац со [ссылкой](https://example.org/ok).

<script>alert(1)</script>

[a](javascript:alert(2)) [b]( JaVaScRiPt:alert(3)) <a href="java&#09;script:alert(4)">c</a>
<a href="java
script:alert(5)">d</a> [e](&#106;avascript:alert(6)) <a href="vbscript:x">f</a>
<a href="data:text/html,<script>alert(7)</script>">g</a>

<img src=x onerror="alert(8)"> <svg onload=alert(9)></svg> <iframe src="https://example.org/"></iframe>
<p onclick="alert(10)" style="position:fixed">h</p> <style>body{display:none}</style>
<form action="https://example.org/"><input name=q></form> <object data=x></object> <embed src=x>
<base href="https://example.org/"> <meta http-equiv="refresh" content="0;url=javascript:alert(11)">
"""


def test_markdown_page_is_sanitised(tmp_path: Path) -> None:
    content = make_site(tmp_path, {"pages/about.md": MARKDOWN_ATTACKS})
    build_site(content, tmp_path / "output", AS_OF)
    soup = soup_of(tmp_path / "output" / "pages" / "about.html")
    main = soup.find("main")
    assert isinstance(main, Tag)
    forbidden = ["script", "iframe", "svg", "style", "form", "input", "object", "embed", "base", "meta"]
    assert main.find_all(forbidden) == []
    assert [
        f"{tag.name}[{name}]" for tag in main.find_all(True) for name in tag.attrs if name.startswith("on")
    ] == []
    assert [tag for tag in main.find_all(style=True)] == []
    for target in link_targets(main):
        cleaned = re.sub(r"[\x00-\x20]", "", target).lower()
        assert not cleaned.startswith(("javascript:", "vbscript:", "data:")), target
    assert main.find("a", href="https://example.org/ok") is not None
    assert "Обычный абзац" in main.get_text()
