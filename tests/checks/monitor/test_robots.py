"""robots.txt read as RFC 9309 says: our group or «*», longest match, Allow wins ties, «*» and «$» in patterns."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.checks.monitor.robots import Robots, parse_robots

YANDEX_STYLE = """\
User-agent: Yandex
Disallow: /

User-agent: *   # everyone else
Disallow: /bitrix/
Disallow: /*?print=
Allow: /upload/*.pdf$
Disallow: /upload/
Crawl-delay: 2
"""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/", True),
        ("/500plus/", True),
        ("/bitrix/admin/", False),
        ("/news/?print=Y", False),
        ("/news/?page=2", True),
        ("/upload/roadmap.pdf", True),
        ("/upload/roadmap.pdf?x=1", False),
        ("/upload/image.png", False),
        ("/robots.txt", True),
    ],
)
def test_rules_for_everyone_with_wildcards_and_anchors(path: str, allowed: bool) -> None:
    assert parse_robots(YANDEX_STYLE).allows(f"http://school.example.org{path}") is allowed


def test_crawl_delay_of_the_chosen_group() -> None:
    assert parse_robots(YANDEX_STYLE).crawl_delay == 2.0


def test_a_group_naming_us_replaces_the_general_one() -> None:
    robots = parse_robots("User-agent: *\nDisallow:\n\nUser-agent: Site-Builder\nDisallow: /private/\n")
    assert not robots.allows("http://school.example.org/private/a")
    assert robots.allows("http://school.example.org/500plus/")


def test_longest_match_wins_and_allow_wins_a_tie() -> None:
    robots = parse_robots(
        "User-agent: *\nDisallow: /500plus/\nAllow: /500plus/docs/\nAllow: /x\nDisallow: /x\n"
    )
    assert not robots.allows("http://school.example.org/500plus/")
    assert robots.allows("http://school.example.org/500plus/docs/roadmap.pdf")
    assert robots.allows("http://school.example.org/x")


def test_cyrillic_paths_match_their_encoded_form() -> None:
    robots = parse_robots("User-agent: *\nDisallow: /проект/\n")
    assert not robots.allows("http://school.example.org/%D0%BF%D1%80%D0%BE%D0%B5%D0%BA%D1%82/500")


def test_empty_file_and_html_instead_of_robots_allow_everything() -> None:
    assert parse_robots("").allows("http://school.example.org/a")
    assert parse_robots("<html><body>Главная: добро пожаловать</body></html>").allows(
        "http://school.example.org/a"
    )


def test_missing_and_failing_files() -> None:
    assert Robots.allow_all().allows("http://school.example.org/500plus/")
    assert not Robots.disallow_all("robots.txt не получен").allows("http://school.example.org/500plus/")


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("/a*b*c", "/a-x-b-y-c-z", True),
        ("/a*b*c$", "/a-x-b-y-c", True),
        ("/a*b*c$", "/a-x-b-y-c-z", False),
        ("/a*c$", "/abcbc", True),  # the last piece must be the final one, not the first «c»
        ("/*.pdf$", "/x.pdf.html", False),
        ("/*.pdf$", "/x.pdf", True),
        ("/a$", "/a", True),
        ("/a$", "/ab", False),
        ("/ab*ba", "/aba", False),  # the pieces may not overlap
        ("*", "/anything", True),
    ],
)
def test_wildcard_matching_without_regular_expressions(pattern: str, path: str, expected: bool) -> None:
    from site_builder.checks.monitor.robots import wildcard_match

    assert wildcard_match(pattern, path) is expected


def test_many_wildcards_and_a_long_link_are_decided_at_once() -> None:
    """Issue 22: a backtracking matcher took 40 s per school at ten wildcards, doubling with each one more.

    Not a timing assertion: a backtracking matcher on the 60-wildcard rule below would not finish in the
    lifetime of the test run, so finishing at all is the proof."""
    hostile = "User-agent: *\nDisallow: /*" + "a*" * 60 + "b\nAllow: /\n"
    robots = parse_robots(hostile)
    assert robots.allows("http://school.example.org/" + "a" * 5000) is True
    assert robots.allows("http://school.example.org/" + "a" * 70 + "b") is False


@given(
    pattern=st.text(alphabet="ab*/", max_size=8).map(lambda p: "/" + p)
    | st.text(alphabet="ab*", max_size=6).map(lambda p: "/" + p + "$"),
    path=st.text(alphabet="ab/", max_size=12).map(lambda p: "/" + p),
)
def test_greedy_matching_agrees_with_a_regular_expression_on_short_inputs(pattern: str, path: str) -> None:
    """On inputs small enough for backtracking to be harmless, the regex reading of RFC 9309 is the reference."""
    import re

    from site_builder.checks.monitor.robots import wildcard_match

    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    reference = re.compile(".*".join(re.escape(part) for part in body.split("*")) + ("$" if anchored else ""))
    assert wildcard_match(pattern, path) is bool(reference.match(path))
