"""Content held pickled while nothing uses it: made again when asked for, and only the last few held."""

from __future__ import annotations

import pickle

import pytest

from site_builder.model import packed
from site_builder.model.packed import Packable


def _packed(value: object, made: list[object]) -> Packable[object]:
    pickled = pickle.dumps(value)

    def again() -> object:
        made.append(value)
        return pickle.loads(pickled)

    return Packable(again)


def test_content_is_made_again_when_asked_for_and_kept_while_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packed, "_unpacked", type(packed._unpacked)())
    made: list[object] = []
    one = _packed({"title": "Дорожная карта"}, made)
    assert one._live is None and made == []  # packed from the start: nothing made until asked for
    first = one._content()
    assert first == {"title": "Дорожная карта"}
    assert one._content() is first and len(made) == 1  # held while among the last few


def test_at_most_kept_contents_are_held_the_oldest_let_go_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packed, "_unpacked", type(packed._unpacked)())
    monkeypatch.setattr(packed, "KEPT", 3)
    made: list[object] = []
    entries = [_packed(index, made) for index in range(5)]
    assert [entry._content() for entry in entries] == [0, 1, 2, 3, 4]
    assert [entry._live for entry in entries] == [None, None, 2, 3, 4]
    assert entries[0]._content() == 0 and made == [0, 1, 2, 3, 4, 0]
    assert [entry._live for entry in entries] == [0, None, None, 3, 4]


def test_content_never_packed_is_held_as_it_is() -> None:
    value = {"title": "Отчёт"}
    assert Packable(value)._content() is value
