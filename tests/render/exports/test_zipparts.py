"""render/exports/zipparts.py: archives byte for byte as zipfile writes them, and readable by it."""

from __future__ import annotations

import io
import zipfile

import pytest

from site_builder.render.exports.zipparts import Deflated, archive

PARTS = [
    ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
    ("xl/worksheets/sheet1.xml", "<c><t>Сроки и ответственные</t></c>".encode() * 500),
    ("empty.xml", b""),
]


def _by_zipfile(parts: list[tuple[str, bytes]], day: tuple[int, int, int], level: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as made:
        for name, data in parts:
            entry = zipfile.ZipInfo(name, date_time=(*day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            made.writestr(entry, data, compresslevel=level)
    return out.getvalue()


@pytest.mark.parametrize("level", [1, 3, 9])
@pytest.mark.parametrize("day", [(2023, 10, 1), (1980, 1, 1), (2107, 12, 31)])
def test_the_same_bytes_as_zipfile(day: tuple[int, int, int], level: int) -> None:
    ours = archive((Deflated.of(name, data, level) for name, data in PARTS), *day)
    assert ours == _by_zipfile(PARTS, day, level)


def test_zipfile_reads_every_part_back() -> None:
    with zipfile.ZipFile(io.BytesIO(archive((Deflated.of(n, d, 3) for n, d in PARTS), 2023, 10, 1))) as read:
        assert read.testzip() is None  # every CRC checked
        assert [(info.filename, read.read(info)) for info in read.infolist()] == PARTS
        assert {info.date_time for info in read.infolist()} == {(2023, 10, 1, 0, 0, 0)}


def test_an_archive_of_nothing_is_an_empty_zip() -> None:
    assert archive([], 2023, 10, 1) == _by_zipfile([], (2023, 10, 1), 3)
