"""Addresses httpx would leave unchanged are taken as written: the same result as httpx's parse, or its parse."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.checks.links.urls import (
    UrlProblem,
    WebUrl,
    _parsed_by_httpx,
    _unchanged_by_parsing,
    parse_web_url,
)


def fields(url: WebUrl) -> tuple[object, ...]:
    return url.url, url.host, url.port, url.request


@pytest.mark.parametrize(
    "text",
    [
        "http://h0.bench.example.org/docs0/00000.html",
        "https://school.example.ru/upload/iblock/a1b/Приказ.pdf",
        "https://example.org/upload/%D0%98%D1%82%D0%BE%D0%B3%D0%B8%20%d0%ba.pdf",
        "https://example.org/a/b/?x=1&y=/z?w#frag",
        "https://example.org/a#%D0%B8%D1%82 и пробел",
        "http://example.org./page",
        "https://xn----7sbqlhgklmkd9f.xn--p1ai/news/",
        "http://sub_domain.example.org/~user/(1);x=y,z*+!$'@:/",
        "https://example.org/.well-known/x",
        "https://example.org//double//slash",
        "https://example.org/p?",
    ],
)
def test_addresses_taken_as_written_are_what_httpx_gives(text: str) -> None:
    fast = _unchanged_by_parsing(text)
    if fast is not None:
        assert fields(fast) == fields(_parsed_by_httpx(text))
    assert fields(parse_web_url(text)) == fields(_parsed_by_httpx(text))


@pytest.mark.parametrize(
    "text",
    [
        "HTTP://example.org/a",
        "http://Example.org/a",
        "http://example.org:80/a",
        "http://example.org:8080/a",
        "http://user@example.org/a",
        "http://1.2.3.4/a",
        "http://[::1]/a",
        "http://localhost/a",
        "http://example.org",
        "http://example.org?x",
        "http://example.org/a/./b",
        "http://example.org/a/../b",
        "http://example.org/a/..",
        "http://example.org/a b",
        "http://example.org/100%",
        "http://example.org/a%zz",
        "http://example.org/a\\b",
        "http://example.org/a[1]",
        "http://пример.рф/a",
        "http://example.org/путь",
        "http://example.org/a#\x00",
        "http://-bad.example.org/a",
        "http://example.org/a\x7f",
    ],
)
def test_addresses_httpx_would_change_or_refuse_are_parsed_by_it(text: str) -> None:
    assert _unchanged_by_parsing(text) is None
    try:
        expected = fields(_parsed_by_httpx(text))
    except UrlProblem as problem:
        with pytest.raises(UrlProblem, match=re.escape(str(problem))):
            parse_web_url(text)
    else:
        assert fields(parse_web_url(text)) == expected


PARTS = st.sampled_from(
    ["a", "Z", "0", "-", ".", "..", "_", "~", "%41", "%e2", "%", "%g1", "/", "//", "?", "#", "&", "=", "+", "!",
     "$", "'", "(", ")", "*", ",", ";", ":", "@", " ", "[", "]", "\\", "é", "\x01"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https"]),
    host=st.sampled_from(["example.org", "a-b.c_d.org", "x.y.", "xn--p1ai.xn--p1ai", "1.2.3.ab"]),
    rest=st.lists(PARTS, max_size=12).map("".join),
)
def test_any_address_taken_as_written_is_what_httpx_gives(scheme: str, host: str, rest: str) -> None:
    text = f"{scheme}://{host}/{rest}"
    fast = _unchanged_by_parsing(text)
    if fast is not None:
        assert fields(fast) == fields(_parsed_by_httpx(text))
