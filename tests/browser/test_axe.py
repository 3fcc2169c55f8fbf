"""Zero axe-core violations of the WCAG 2.0/2.1 A and AA rules on every page type, at desktop and phone widths
and in the low-vision version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest

from tests.helpers.browser import PAGE_TYPES, Tab

AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any) -> list[str]:
    """One readable line per failing node: rule, what it means, where."""
    page.evaluate(AXE_SCRIPT)  # evaluated through the DevTools protocol, so the page's CSP does not block it
    violations = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
            .then(results => results.violations.flatMap(violation => violation.nodes.map(
                node => `${violation.id}: ${violation.help} — ${node.target}: ${node.failureSummary}`)))""",
        WCAG_AA,
    )
    return list(violations)


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_wcag_violations(viewed: Callable[[str], Tab], name: str) -> None:
    assert axe_violations(viewed(name).page) == []


@pytest.mark.parametrize("name", ["roadmap", "report", "schools"])
def test_no_wcag_violations_in_cards_on_a_phone(open_page: Callable[..., Tab], name: str) -> None:
    tab = open_page(PAGE_TYPES[name], width=375)
    assert axe_violations(tab.page) == []


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_wcag_violations_in_low_vision_version(open_page: Callable[..., Tab], name: str) -> None:
    tab = open_page(PAGE_TYPES[name], width=1280, low_vision=True)
    assert axe_violations(tab.page) == []


def test_axe_finds_what_it_should(shared_context: Any) -> None:
    """The check itself works: a picture without a text alternative and an unlabelled field are reported."""
    page = shared_context.new_page()
    page.set_content('<html lang="ru"><title>Проверка</title><main><img src="/x.png"><input></main></html>')
    found = {line.split(":")[0] for line in axe_violations(page)}
    page.close()
    assert {"image-alt", "label"} <= found
