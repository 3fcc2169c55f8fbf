"""The timeline read back from built HTML: one row per item, shapes where the dates say, kinds told apart by shape."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from site_builder.build.site import build_site
from site_builder.model.site import load_site
from site_builder.render.timeline import LABEL_WIDTH, MONTH_WIDTH, TICK_BOTTOM, TICK_TOP
from tests.helpers import html
from tests.helpers.sites import REPO

ROOT = REPO
AS_OF = dt.date(2022, 6, 1)


def x_of(day: dt.date, first: dt.date, *, end: bool = False) -> float:
    """Independent re-statement of the scale: months are equal width, days split their month evenly."""
    months = (day.year - first.year) * 12 + day.month - first.month
    next_month = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    days = (next_month - day.replace(day=1)).days
    return round(LABEL_WIDTH + (months + (day.day - (0 if end else 1)) / days) * MONTH_WIDTH, 1)


@pytest.fixture(scope="module")
def balakhta(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    out = tmp_path_factory.mktemp("out") / "site"
    build_site(ROOT / "content", out, AS_OF)
    return html.soup(out / "roadmaps" / "balakhta-2022.html")


def rows(soup: BeautifulSoup) -> dict[str, Tag]:
    found = {}
    for group in soup.select("svg.timeline-chart g.tl-row"):
        number = group.select_one("text.tl-number")
        assert number is not None
        found[number.get_text()] = group
    return found


def test_one_row_per_item_in_document_order(balakhta: BeautifulSoup) -> None:
    data = yaml.safe_load((ROOT / "content" / "roadmaps" / "balakhta-2022.yaml").read_text("utf-8"))
    expected = [str(item["number"]) for section in data["sections"] for item in section["items"]]
    assert list(rows(balakhta)) == expected
    assert len(expected) == 30
    assert len(balakhta.select("svg.timeline-chart text.tl-section-title")) == 6


def test_periods_are_bars_at_their_dates(balakhta: BeautifulSoup) -> None:
    first = dt.date(2022, 1, 1)
    bar = rows(balakhta)["1.3"].select_one("rect.tl-bar")  # 14.02.2022 - 01.03.2022
    assert bar is not None
    assert html.number(bar, "x") == x_of(dt.date(2022, 2, 14), first)
    assert html.number(bar, "x") + html.number(bar, "width") == pytest.approx(
        x_of(dt.date(2022, 3, 1), first, end=True), abs=0.2
    )
    three = rows(balakhta)["3.3"].select("rect.tl-bar")  # three intervals in one cell
    assert [html.number(r, "x") for r in three] == [
        x_of(dt.date(2022, 2, 8), first),
        x_of(dt.date(2022, 3, 14), first),
        x_of(dt.date(2022, 4, 11), first),
    ]


def test_deadlines_are_milestones_recurring_and_continuous_have_own_shapes(balakhta: BeautifulSoup) -> None:
    by_number = rows(balakhta)
    milestone = by_number["5.1"].select_one("polygon.tl-milestone")  # До 25.03.2022
    assert milestone is not None
    tip_x = float(str(milestone["points"]).split()[0].split(",")[0])
    assert tip_x == x_of(dt.date(2022, 3, 25), dt.date(2022, 1, 1), end=True)
    recurring = by_number["3.1"]  # weekly on Thursdays within two intervals
    bars, ticks = recurring.select("rect.tl-recurring"), recurring.select("path.tl-tick")
    assert len(bars) == len(ticks) == 2
    for bar, path in zip(
        bars, ticks, strict=True
    ):  # a vertical stroke per Thursday, the first where the bar starts
        strokes = re.findall(r"M([\d.]+) ([\d.]+)V([\d.]+)", str(path["d"]))
        assert "".join(f"M{x} {top}V{bottom}" for x, top, bottom in strokes) == path["d"]
        assert float(strokes[0][0]) == html.number(bar, "x")
        assert {float(bottom) - float(top) for _, top, bottom in strokes} == {TICK_BOTTOM - TICK_TOP}
    assert sum(len(str(path["d"]).split("M")) - 1 for path in ticks) > 20
    assert by_number["6.1"].select_one("rect.tl-continuous") is not None  # «Постоянно»
    assert "tl-row-continuous" in by_number["6.1"]["class"]


def test_unreadable_deadline_is_listed_with_its_text(balakhta: BeautifulSoup) -> None:
    assert "18.01.02.2022" in rows(balakhta)["2.2"].get_text()
    unknown = balakhta.select_one("ul.timeline-unknown")
    assert unknown is not None and "«18.01.02.2022»" in unknown.get_text()
    link = unknown.select_one("a")
    assert link is not None and balakhta.find(id=str(link["href"]).lstrip("#")) is not None


def test_as_of_marker_and_accessible_names(balakhta: BeautifulSoup) -> None:
    line = balakhta.select_one("line.tl-as-of")
    assert line is not None and html.number(line, "x1") == x_of(AS_OF, dt.date(2022, 1, 1))
    svg = balakhta.select_one("svg.timeline-chart")
    assert svg is not None and svg["role"] == "img"
    assert (
        svg.find("title") is not None and "1.3: 14.02.2022 - 01.03.2022" in html.one(svg, "desc").get_text()
    )
    region = balakhta.select_one(".timeline-scroll")
    assert (
        region is not None
        and region["tabindex"] == "0"
        and region["role"] == "region"
        and region["aria-label"]
    )


@pytest.mark.parametrize("example", ["kaliningrad", "shakhty"])
def test_every_roadmap_page_of_the_examples_has_a_timeline(tmp_path: Path, example: str) -> None:
    build_site(ROOT / "examples" / example, tmp_path / "out", AS_OF)
    for entry in load_site(ROOT / "examples" / example).roadmaps:
        soup = html.soup(tmp_path / "out" / entry.url)
        count = sum(len(section.items) for section in entry.roadmap.sections)
        assert len(soup.select("svg.timeline-chart g.tl-row")) == count
