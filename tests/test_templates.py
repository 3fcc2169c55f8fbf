"""Templates present, they do not compute: every template's Jinja syntax tree is read and computation is refused.

What counts as computation: arithmetic, slicing, calling methods on the data (split, rstrip, get, format …),
numbers other than 0 and 1, picking by position, filters that transform data, and template words that repeat a
Python constant. Geometry, keys, defaults and dates belong to the views (site_builder/render/); the template
prints their fields. What is allowed is listed below, each with why it is presentation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TypeGuard

import pytest
from jinja2 import Environment, nodes

from site_builder.content.models import DEFAULT_COLUMNS
from site_builder.render.environment import make_environment
from site_builder.render.views import STATUS_COLUMN

ARITHMETIC = (
    nodes.Add,
    nodes.Sub,
    nodes.Mul,
    nodes.Div,
    nodes.FloorDiv,
    nodes.Mod,
    nodes.Pow,
    nodes.Neg,
    nodes.Pos,
)
# 0 and 1 compare counts and spans (`rowspan > 1`, `sections | length > 1`): a condition, not a measure.
ALLOWED_NUMBERS = {0, 1}
# Filters that format one value for reading, or count to print or compare with 0/1; each is Python code.
ALLOWED_FILTERS = {
    "russian_date",  # «1 декабря 2022 г.», the one Russian date wording (core.russian)
    "iso_date",  # <time datetime> and document metadata
    "atom_time",  # the feed's timestamps
    "evidence",  # evidence links worded for screen readers, by render.views.evidence_links
    "length",  # how many: printed, a colspan, or compared with 0/1
    "safe",  # HTML the model already rendered and sanitised (Markdown pages)
}
# `loop` counters that number ids («progress-section-3») or mark the first and last row: presentation.
# loop.index0 is not among them: it is used to pick from another list, which is the view's job.
ALLOWED_LOOP = {"index", "first", "last"}
# Method calls that are lookups, not computation: `self.title()` prints a block again (the page title in the
# header and in Open Graph); `link_marks.get(url)` asks the link results for a link that may have none.
ALLOWED_CALLS = {("self", "title"), ("link_marks", "get")}
# Words a view owns: a template writing them would be a second copy that drifts.
VIEW_WORDS = {*DEFAULT_COLUMNS.values(), STATUS_COLUMN[1]}


def _is_number(node: nodes.Node) -> TypeGuard[nodes.Const]:
    return (
        isinstance(node, nodes.Const)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    )


def _owner(node: nodes.Node) -> str:
    return node.name if isinstance(node, nodes.Name) else ""


def _is_loop_counter(node: nodes.Node) -> TypeGuard[nodes.Getattr]:
    return isinstance(node, nodes.Getattr) and _owner(node.node) == "loop"


def computations(env: Environment, source: str) -> Iterator[str]:
    """What in `source` computes instead of presenting, each as «line N: what»."""
    for node in env.parse(source).find_all(nodes.Node):
        found = ""
        if isinstance(node, ARITHMETIC):
            found = f"arithmetic ({type(node).__name__})"
        elif isinstance(node, nodes.Slice):
            found = "slicing"
        elif _is_number(node) and node.value not in ALLOWED_NUMBERS:
            found = f"the number {node.value}"
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            if (_owner(node.node.node), node.node.attr) not in ALLOWED_CALLS:
                found = f"a method call .{node.node.attr}()"
        elif isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            found = f"the filter {node.name}"
        elif isinstance(node, nodes.Getitem) and (_is_number(node.arg) or _is_loop_counter(node.arg)):
            found = "picking by position"
        elif _is_loop_counter(node) and node.attr not in ALLOWED_LOOP:
            found = f"loop.{node.attr}"
        elif isinstance(node, nodes.Const) and node.value in VIEW_WORDS:
            found = f"the view's word «{node.value}»"
        if found:
            yield f"line {node.lineno}: {found}"


# A number written into the markup is as much a computation as one in an expression (the timeline's section band
# was `height="26"` beside SECTION_HEIGHT = 28). Left alone: 0 (origins), tabindex (0 and -1 say whether an element
# takes keyboard focus, not how big anything is), the XML declaration's version, and the SVG fill pattern in <defs>,
# which is a style like CSS (the hatch's spacing), not a place on the chart.
NUMBER_ATTRIBUTE = re.compile(r'([\w:-]+)="(-?\d+(?:\.\d+)?)"')
NOT_MEASURES = {"tabindex", "version"}
DEFS = re.compile(r"<defs>.*?</defs>", re.DOTALL)


def written_numbers(source: str) -> list[str]:
    return [
        f"{name}={value}"
        for name, value in NUMBER_ATTRIBUTE.findall(DEFS.sub("", source))
        if float(value) != 0 and name not in NOT_MEASURES
    ]


def _templates(env: Environment) -> list[str]:
    return [name for name in env.list_templates() if not name.startswith("static/")]


ENV = make_environment()


def test_every_shipped_template_is_read() -> None:
    names = _templates(ENV)
    for expected in (
        "_timeline.html",
        "report.html",
        "_document.html",
        "pdf/report.html",
        "fragment/roadmap.html",
    ):
        assert expected in names


@pytest.mark.parametrize("name", _templates(ENV))
def test_template_only_presents(name: str) -> None:
    assert ENV.loader is not None
    source = ENV.loader.get_source(ENV, name)[0]
    assert list(computations(ENV, source)) == []
    assert written_numbers(source) == []


def test_numbers_written_into_markup_are_found() -> None:
    old_band = '<rect class="tl-section" x="0" y="{{ band.y }}" width="{{ view.width }}" height="26"/>'
    assert written_numbers(old_band) == ["height=26"]
    assert written_numbers('<th colspan="5" scope="colgroup">') == ["colspan=5"]
    assert written_numbers('<defs><pattern width="6"/></defs><line x1="0" y1="{{ y }}"/>') == []


@pytest.mark.parametrize(
    "snippet",
    [
        "{{ month.title.split(' ')[1] }}",  # the timeline's year, as it was read before the view gave it
        "{{ row.y + 17 }}",
        '<rect height="{{ 26 }}"/>',
        "{{ section.number.rstrip('.') }}",
        "{{ labels.get('activity', 'Мероприятие') }}",
        "{{ site.monitoring[-1].results.date }}",
        "{{ entries[0].updated }}",
        "{{ note.columns[loop.index0].info.title }}",
        "{{ loop.index0 }}",
        "{{ title[:10] }}",
        "{{ done * 100 // total }}",
        "{{ '%d' % count }}",
        "{{ words | join(', ') }}",
        "{{ items | selectattr('url') | list }}",
        "{{ day.strftime('%d.%m.%Y') }}",
        "<th>{{ 'Статус' }}</th>",
    ],
)
def test_computation_is_found(snippet: str) -> None:
    assert list(computations(ENV, snippet)), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        '{{ "progress-section-" ~ loop.index }}',
        "{% if status.sections | length > 1 %}x{% endif %}",
        '{% if cell.rowspan > 1 %} rowspan="{{ cell.rowspan }}"{% endif %}',
        "{{ levels[roadmap.level] }}",
        "{{ as_of | russian_date }}",
        "{{ self.title() }}",
        "{{ macro_call(section, true) }}",
    ],
)
def test_presentation_is_allowed(snippet: str) -> None:
    assert list(computations(ENV, snippet)) == []
