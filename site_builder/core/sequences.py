"""Comparing a build's lists with the previous build's, for the live preview."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress
from operator import is_not


def replaced(new: Sequence[object], old: Sequence[object]) -> list[int] | None:
    """The positions at which `new` holds another object than `old`; None when their lengths differ.

    The preview's load lends every unchanged entry to the next build, so a save replaces one object among
    thousands: the comparison runs in C (map, compress) instead of a Python loop over all of them.
    """
    if len(new) != len(old):
        return None
    return list(compress(range(len(new)), map(is_not, new, old)))
