"""ZIP archives of a few parts held in memory, byte for byte as zipfile writes them, without its bookkeeping.

A workbook is a ZIP of eight small parts, five of which are the same in every workbook. zipfile spent more time
on each entry (its ZipInfo, headers written then rewritten, seeks, the central directory through the same
objects) than deflate spent on the sheet. Here a part is deflated once into a `Deflated` (the fixed ones once
per process) and an archive is a join of packed headers. The bytes are the ones zipfile writes with
ZIP_DEFLATED at the same level for the same names, date and permissions (tests/render/exports/test_zipparts.py).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

# The layouts of zipfile's structFileHeader, structCentralDir and structEndArchive (PKWARE APPNOTE 4.3.7, 4.3.12,
# 4.3.16).
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: what a deflated entry needs, as zipfile writes it
_UNIX = 3  # the system that made the entries: its permissions are in the external attributes
_DEFLATED = 8
_PERMISSIONS = 0o600 << 16  # rw------- for the owner, as the workbooks always had


@dataclass(frozen=True, slots=True)
class Deflated:
    """One part of an archive: its ASCII name and its bytes deflated, with what the headers say of them."""

    name: bytes
    data: bytes  # a raw deflate stream
    crc: int
    size: int  # before deflating

    @classmethod
    def of(cls, name: str, data: bytes, level: int) -> Deflated:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        return cls(
            name.encode("ascii"), compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)
        )


def archive(parts: Iterable[Deflated], year: int, month: int, day: int) -> bytes:
    """The ZIP of `parts` in their order, every entry dated at midnight of the day given."""
    date, time = (year - 1980) << 9 | month << 5 | day, 0
    pieces: list[bytes] = []
    directory: list[bytes] = []
    offset = count = 0
    for part in parts:
        sizes = (part.crc, len(part.data), part.size, len(part.name))
        local = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, 0, _DEFLATED, time, date, *sizes, 0)
        directory += (
            _CENTRAL.pack(
                b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, 0, _DEFLATED, time, date, *sizes, 0, 0, 0, 0,
                _PERMISSIONS, offset,
            ),
            part.name,
        )  # fmt: skip
        pieces += (local, part.name, part.data)
        offset += len(local) + len(part.name) + len(part.data)
        count += 1
    central = b"".join(directory)
    return b"".join(pieces) + central + _END.pack(b"PK\x05\x06", 0, 0, count, count, len(central), offset, 0)
