"""Editors' Markdown becomes HTML without anything that runs in the reader's browser."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from site_builder.core.markup import html_links, render_markdown
from tests.helpers.html import soup


def parsed(text: str) -> BeautifulSoup:
    return soup(render_markdown(text))


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "<svg onload=alert(1)></svg>",
        '<iframe src="https://example.org/"></iframe>',
        '<p onclick="alert(1)">текст</p>',
        "<style>body { display: none }</style>",
        '<form action="https://example.org/"><input name="q"></form>',
        '<object data="x"></object><embed src="x">',
        '<base href="https://example.org/">',
        '<meta http-equiv="refresh" content="0;url=https://example.org/">',
        '<a href="#" onmouseover="alert(1)">ссылка</a>',
        "<details open ontoggle=alert(1)>x</details>",
    ],
)
def test_active_html_is_removed(attack: str) -> None:
    soup = parsed(f"Абзац.\n\n{attack}\n")
    assert (
        soup.find_all(
            ["script", "iframe", "svg", "style", "form", "input", "object", "embed", "base", "meta"]
        )
        == []
    )
    assert [name for tag in soup.find_all(True) for name in tag.attrs if name.lower().startswith("on")] == []
    assert "alert(1)</script>" not in render_markdown(attack)


@pytest.mark.parametrize(
    "link",
    [
        "[a](javascript:alert(1))",
        "[a]( JaVaScRiPt:alert(1))",
        "[a](&#106;avascript:alert(1))",
        '<a href="java&#09;script:alert(1)">a</a>',
        '<a href="java\nscript:alert(1)">a</a>',
        '<a href="vbscript:msgbox(1)">a</a>',
        '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">a</a>',
        '<img src="javascript:alert(1)" alt="a">',
    ],
)
def test_code_running_links_lose_their_target(link: str) -> None:
    html = render_markdown(link)
    for url, _ in html_links(html):
        cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
        assert not cleaned.startswith(("javascript:", "vbscript:", "data:")), html


def test_ordinary_markdown_survives() -> None:
    soup = parsed(
        "# Заголовок\n\nТекст со [ссылкой](https://example.org/a?b=1&c=2) и **жирным**.\n\n"
        "| А | Б |\n|---|---|\n| 1 | 2 |\n\n[почта](mailto:a@example.org) [документ](documents/prikaz.pdf)\n"
    )
    assert soup.find("h1") is None and soup.find("h2").get_text() == "Заголовок"  # type: ignore[union-attr]
    link = soup.find("a", href="https://example.org/a?b=1&c=2")
    assert link is not None and "noopener" in str(link.get("rel"))
    assert soup.find("strong") is not None and soup.find("table") is not None
    assert soup.find("a", href="mailto:a@example.org") is not None
    assert soup.find("a", href="documents/prikaz.pdf") is not None


def test_html_links_in_document_order() -> None:
    html = render_markdown("[один](https://example.org/1) ![картинка](https://example.org/2.png) [два](/x)")
    assert html_links(html) == [
        ("https://example.org/1", "один"),
        ("https://example.org/2.png", "картинка"),
        ("/x", "два"),
    ]


def test_a_text_does_not_see_what_the_text_before_it_defined() -> None:
    first = render_markdown("[приказ][п]\n\n[п]: https://example.org/prikaz.pdf\n\n<div>сырой HTML</div>")
    assert 'href="https://example.org/prikaz.pdf"' in first
    second = render_markdown("[приказ][п]\n\nтекст")
    assert "href" not in second and "[приказ][п]" in second
    assert render_markdown("текст") == "<p>текст</p>"
