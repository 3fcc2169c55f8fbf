"""Cell text: export markup reduced to text, and the report rule that turns URLs into titled links."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from site_builder.content.models import Link
from site_builder.importer.cells import URL, hyperlink_text, plain_text, split_links, without_urls


def test_paragraph_fragments_become_spaces_and_whitespace_collapses() -> None:
    assert plain_text("<p>Графики   посещения</p> <p>второй\nабзац</p>") == "Графики посещения второй абзац"


def test_a_link_keeps_its_words_before_its_address() -> None:
    cell = '<p>См. <a href="https://example.org/a?x=1&amp;y=2">Протокол заседания</a></p>'
    assert plain_text(cell) == "См. Протокол заседания https://example.org/a?x=1&y=2"


def test_a_link_written_as_its_own_address_is_not_doubled() -> None:
    assert plain_text("<a href='https://example.org/x'>https://example.org/x</a>") == "https://example.org/x"
    assert hyperlink_text("", "https://example.org/x") == "https://example.org/x"
    assert hyperlink_text("Справка", "") == "Справка"


def test_url_parameters_that_look_like_entities_are_left_alone() -> None:
    # «&para» and «&not» are HTML entities without a semicolon; a URL must keep them as written.
    cell = "<p>https://example.org/v?a=1&para=2&nosw=1 &laquo;текст&raquo;</p>"
    assert plain_text(cell) == "https://example.org/v?a=1&para=2&nosw=1 «текст»"


def test_text_that_is_not_markup_is_kept() -> None:
    assert plain_text("доля < 30% &amp; рост > 5%") == "доля < 30% &amp; рост > 5%"


def test_a_cell_without_urls_is_the_result() -> None:
    assert split_links(" Проведение семинара  запланировано ") == ("Проведение семинара запланировано", [])


def test_each_url_takes_the_text_before_it_as_title() -> None:
    text = "Отчет А https://example.org/1 Отчет Б https://example.org/2"
    assert split_links(text) == (
        "",
        [
            Link(title="Отчет А", url="https://example.org/1"),
            Link(title="Отчет Б", url="https://example.org/2"),
        ],
    )


def test_a_url_without_text_repeats_the_title_and_a_first_one_has_none() -> None:
    _, links = split_links("https://example.org/0 План https://example.org/1 https://example.org/2")
    assert [link.title for link in links] == ["", "План", "План"]


def test_text_after_the_last_url_is_a_line_without_url() -> None:
    _, links = split_links("Отчет А https://example.org/1 Отчет Б.")
    assert links[-1] == Link(title="Отчет Б.", url="")


def test_urls_are_kept_byte_for_byte() -> None:
    url = "https://example.org/upload/Итоги%20конкурса.pdf,"
    assert split_links(f"Протокол {url}")[1] == [Link(title="Протокол", url=url)]
    assert without_urls(f"Сайт {url} школы") == "Сайт школы"


words = st.text(alphabet="абвгд АБВ«»-.,:;()№%0123456789", min_size=1, max_size=12)
urls = st.builds(
    lambda path: f"https://example.org/{path}", st.text(alphabet="abcxyz%20=&?/Ёё_", max_size=15)
)


@given(st.lists(st.one_of(words, urls), max_size=8))
def test_splitting_a_cell_loses_no_url_and_no_word(parts: list[str]) -> None:
    text = " ".join(parts)
    result, links = split_links(text)
    assert [link.url for link in links if link.url] == URL.findall(text)
    kept = " ".join([result, *(link.title for link in links)]).split()
    assert set(without_urls(text).split()) <= set(kept)
