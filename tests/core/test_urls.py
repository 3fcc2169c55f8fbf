"""Near-duplicate URLs: typos in long identifiers are found, real siblings and exact repeats are not."""

from __future__ import annotations

import random
import string

import pytest

from site_builder.core.urls import NearDuplicate, edit_distance, near_duplicates

DRIVE = "https://drive.google.com/file/d/1ECCjC-e3QbNL{}ePKfXZgP5CXgkuH7aWq/view?usp=sharing"


def test_the_shakhty_drive_links_differ_in_one_letter() -> None:
    assert near_duplicates([DRIVE.format("J"), "https://example.org/x", DRIVE.format("i")]) == [
        NearDuplicate(DRIVE.format("J"), DRIVE.format("i"), 1)
    ]


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [
        ("https://example.org/docs/abcdefgh", "https://example.org/docs/abcdfegh", 1),  # swapped letters
        ("https://example.org/docs/abcdefgh", "https://example.org/docs/abcdefg", 1),  # missing letter
        ("https://example.org/docs/abcdefgh", "https://example.org/docs/abXdefgh", 1),
        ("https://example.org/docs/abcdefgh", "https://example.org/docs/acdefghi", 2),  # one out, one in
        ("http://Example.org/docs/abcdefgh", "https://example.org/docs/abcdefgX", 1),  # scheme and host case
    ],
)
def test_one_or_two_typed_characters_are_near(first: str, second: str, distance: int) -> None:
    assert near_duplicates([first, second]) == [NearDuplicate(first, second, distance)]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://example.org/docs/prikaz-12.pdf", "https://example.org/docs/prikaz-13.pdf"),
        ("https://example.org/taxonomy/term/147", "https://example.org/taxonomy/term/148"),
        ("https://example.org/news/", "https://example.org/new/"),
        ("https://example.org/docs/abcdefgh", "https://example.org/docs/abcdefgh/"),
        ("https://example.org/2021/plan.pdf", "https://example.org/2022/plan.pdf"),
        ("https://example.org/docs/abcdefgh", "https://example.org/docs/abcdefgh"),
        ("https://example.org/docs/abcdefgh", "https://example.org/docs/abcdefgh#part"),
        ("https://a.example.org/docs/abcdefgh", "https://b.example.org/docs/abcdefgh"),
        ("https://example.org/docs/abcdefgh", "https://example.org/docs/aXcdeYgZ"),
        ("не адрес", "не адрес!"),
    ],
)
def test_siblings_repeats_other_hosts_and_bigger_changes_are_not_near(first: str, second: str) -> None:
    assert near_duplicates([first, second]) == []


def test_pairs_come_in_the_order_the_second_url_was_first_seen() -> None:
    urls = ["https://example.org/aaaa-x", "https://example.org/bbbb-x", "https://example.org/bbbb-y",
            "https://example.org/aaaa-y"]  # fmt: skip
    assert [(p.first, p.second) for p in near_duplicates(urls)] == [(urls[1], urls[2]), (urls[0], urls[3])]


def _typo(text: str, kind: str, at: int) -> str:
    swapped = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    return {"wrong": text[:at] + "ж" + text[at + 1 :], "missing": text[:at] + text[at + 1 :],
            "extra": text[:at] + "ж" + text[at:], "swapped": swapped}[kind]  # fmt: skip


@pytest.mark.parametrize("planted", [0, 4])
def test_among_thousands_of_random_file_ids_only_the_typos_are_near(planted: int) -> None:
    rng = random.Random(17)
    ids = ["".join(rng.choices(string.ascii_letters + string.digits, k=33)) for _ in range(3000)]
    urls = [DRIVE.replace("1ECCjC-e3QbNL{}ePKfXZgP5CXgkuH7aWq", one) for one in ids]
    kinds = ["wrong", "missing", "extra", "swapped"][:planted]
    typos = [
        urls[n * 500].replace(ids[n * 500], _typo(ids[n * 500], kind, 10)) for n, kind in enumerate(kinds)
    ]
    found = near_duplicates(urls + typos)
    assert [(pair.first, pair.second) for pair in found] == [
        (urls[n * 500], typo) for n, typo in enumerate(typos)
    ]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("abc", "abc", 0), ("abc", "acb", 1), ("abc", "xbc", 1), ("abcd", "ab", 2), ("abcdef", "badcfe", 3)],
)
def test_edit_distance_stops_past_the_limit(a: str, b: str, expected: int) -> None:
    assert edit_distance(a, b) == expected
