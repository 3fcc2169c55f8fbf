""".docx packages read within bounds before python-docx sees them: a hostile file is refused, never parsed whole.

A .docx is a zip of XML parts. A few kilobytes can unpack to gigabytes, an XML part can declare entities that
multiply, nest elements until a parser gives up, or put a number where Word puts a small one. So every XML part
is read through size and ratio limits (checked in the zip directory and again while unpacking, since the
directory can lie) and parsed as a stream with entities, DTDs and the network off, its depth, element count and
text lengths capped, and the numbers the importer uses checked. python-docx then reads a copy holding only the
parts that passed; pictures and other binary parts are left empty there, since the importer reads text only.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from site_builder.importer.tables import SourceRefused

MB = 1 << 20
# Limits sized so that a file at all of them stays within about 300 MB while python-docx holds its parts;
# a Word roadmap or report of a hundred pages uses a small fraction of each.
MAX_DIRECTORY_BYTES = 2 * MB
MAX_MEMBERS = 5000
MAX_PART_BYTES = 20 * MB
MAX_XML_BYTES = 40 * MB
MAX_RATIO = 100  # deflate packs Word's XML 5 to 40 times; a bomb packs it hundreds of times
RATIO_GRACE_BYTES = 1 * MB  # small parts may be as repetitive as they like
MAX_NODES = 750_000  # elements, attributes and texts of all XML parts together
MAX_DEPTH = 100  # Word's own nesting stays under 40 even with tables in tables
MAX_TEXT = 1_000_000  # characters in one text node
MAX_COLUMNS = 63  # Word's limit for a table
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPANS = {f"{W}gridSpan": 1, f"{W}gridBefore": 0, f"{W}gridAfter": 0}  # element → smallest value
_MERGES = {f"{W}vMerge", f"{W}hMerge"}
_MERGE_VALUES = {None, "restart", "continue"}
_DIGITS = re.compile(r"[0-9]{1,9}")
_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
CONTENT_TYPES = "[Content_Types].xml"
# Word saves a password-protected .docx (and every .doc) as an OLE compound file, not as a zip.
_COMPOUND_FILE = bytes.fromhex("d0cf11e0a1b11ae1")


def damaged(shown: str) -> SourceRefused:
    return SourceRefused(
        f"{shown}: файл не открывается как документ Word (.docx): он повреждён или это не .docx — "
        "откройте его в Word и сохраните заново"
    )


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def _megabytes(size: int) -> str:
    return f"{size / MB:.0f} МБ" if size >= MB else f"{size} байт"


@dataclass
class _Budget:
    """What is left of the limits that hold for all parts together."""

    xml_bytes: int = MAX_XML_BYTES
    nodes: int = MAX_NODES


def _check_directory(file: BinaryIO, shown: str) -> None:
    # The same end record zipfile will use (private, but the only exact answer): zipfile reads that many bytes
    # of directory into memory at once and makes an object of each entry.
    end = getattr(zipfile, "_EndRecData")(file)  # noqa: B009
    if end is None:
        raise damaged(shown)
    entries, size = end[4], end[5]  # zipfile's _ECD_ENTRIES_TOTAL and _ECD_SIZE
    if size > MAX_DIRECTORY_BYTES or entries > MAX_MEMBERS:
        raise SourceRefused(
            f"{shown}: в архиве документа больше {MAX_MEMBERS} частей — это не документ Word; "
            "откройте его в Word и сохраните заново"
        )


def _refuse_size(shown: str, name: str, size: int, limit: int) -> SourceRefused:
    return SourceRefused(
        f"{shown}: часть {name} распаковывается не меньше чем в {_megabytes(size)} (предел — {_megabytes(limit)}): "
        "такой документ не читается, похоже на «zip-бомбу»; сохраните таблицу в отдельный документ"
    )


def _refuse_ratio(shown: str, name: str) -> SourceRefused:
    return SourceRefused(
        f"{shown}: часть {name} сжата больше чем в {MAX_RATIO} раз — так сжимаются только подложенные данные "
        "(«zip-бомба»), а не текст Word; документ не читается"
    )


def _check_unpacked(info: zipfile.ZipInfo, size: int, limit: int, shown: str) -> None:
    if size > limit:
        raise _refuse_size(shown, info.filename, size, limit)
    if size > RATIO_GRACE_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
        raise _refuse_ratio(shown, info.filename)


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, shown: str) -> bytes:
    limit = min(MAX_PART_BYTES, budget.xml_bytes)
    _check_unpacked(info, info.file_size, limit, shown)
    with archive.open(info) as stream:
        data = stream.read(limit + 1)  # the directory may understate: never more than the limit is unpacked
    _check_unpacked(info, len(data), limit, shown)
    budget.xml_bytes -= len(data)
    return data


def _check_numbers(element: etree._Element, where: str) -> None:
    """The column counts and merge marks the importer reads: plain small numbers and Word's two words."""
    tag = element.tag
    value = element.get(f"{W}val")
    if tag in _SPANS:
        least = _SPANS[tag]
        if value is None or not _DIGITS.fullmatch(value) or not least <= int(value) <= MAX_COLUMNS:
            name = tag.removeprefix(W)
            raise SourceRefused(
                f"{where}:{element.sourceline}: w:{name} = «{value or ''}» — ожидается число столбцов "
                f"от {least} до {MAX_COLUMNS} (больше в таблице Word не бывает); документ не читается"
            )
    elif tag in _MERGES and value not in _MERGE_VALUES:
        raise SourceRefused(
            f"{where}:{element.sourceline}: w:{tag.removeprefix(W)} = «{value}» — ожидается restart или continue; "
            "документ не читается"
        )


def _syntax_error(error: etree.XMLSyntaxError, where: str) -> SourceRefused:
    line, column = error.position
    if error.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
        reason = "превышен предел разбора XML (слишком длинный текст, глубокая вложенность или разрастание сущностей)"
    else:
        reason = "XML повреждён"
    return SourceRefused(
        f"{where}:{line}:{column}: {reason} — документ не читается; откройте его в Word и сохраните заново"
    )


def check_xml(data: bytes, where: str, budget: _Budget) -> None:
    """Parse `data` as a stream without keeping it, within the limits; refuse what Word never writes."""
    depth = 0
    events = etree.iterparse(io.BytesIO(data), events=("start", "end"), **_SAFE)
    try:
        for event, element in events:
            if event == "end":
                depth -= 1
                _check_text(element, where, budget)
                _check_numbers(element, where)
                element.clear(keep_tail=False)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:  # keep nothing checked
                    del parent[0]
                continue
            depth += 1
            budget.nodes -= 1 + len(element.attrib)
            if depth == 1 and element.getroottree().docinfo.doctype:
                raise SourceRefused(
                    f"{where}:{element.sourceline}: объявление DOCTYPE — Word его не пишет, а сущности в нём "
                    "разрастаются до гигабайт; документ не читается"
                )
            if depth > MAX_DEPTH:
                raise SourceRefused(
                    f"{where}:{element.sourceline}: вложенность элементов глубже {MAX_DEPTH} (например, таблица "
                    "в таблице в таблице…) — документ не читается"
                )
            if budget.nodes < 0:
                raise SourceRefused(
                    f"{where}:{element.sourceline}: в документе больше {_count(MAX_NODES)} элементов XML — "
                    "столько не бывает в таблице Word; сохраните таблицу в отдельный документ"
                )
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error, where) from error


def _check_text(element: etree._Element, where: str, budget: _Budget) -> None:
    if element.text:
        budget.nodes -= 1
        if len(element.text) > MAX_TEXT:
            raise SourceRefused(
                f"{where}:{element.sourceline}: текст одного элемента длиннее {_count(MAX_TEXT)} знаков — "
                "документ не читается"
            )


@dataclass(frozen=True)
class _ContentTypes:
    defaults: dict[str, str]
    overrides: dict[str, str]

    def is_xml(self, name: str) -> bool:
        """Whether python-docx may parse the part: every XML type but pictures, which it keeps as bytes."""
        if name == CONTENT_TYPES or name.lower().endswith(".rels"):
            return True
        extension = name.rpartition(".")[2].lower() if "." in name.rpartition("/")[2] else ""
        kind = self.overrides.get(f"/{name}".lower()) or self.defaults.get(extension, "")
        return kind.endswith("xml") and not kind.startswith("image/")


def _content_types(data: bytes) -> _ContentTypes:
    root = etree.fromstring(data, etree.XMLParser(**_SAFE))
    defaults, overrides = {}, {}
    for element in root:
        if element.tag.endswith("}Default"):
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
        elif element.tag.endswith("}Override"):
            overrides[element.get("PartName", "").lower()] = element.get("ContentType", "")
    return _ContentTypes(defaults, overrides)


def _members(archive: zipfile.ZipFile, shown: str) -> list[zipfile.ZipInfo]:
    members = [info for info in archive.infolist() if not info.is_dir()]
    names = [info.filename for info in members]
    if len(set(names)) < len(names):
        raise SourceRefused(f"{shown}: в архиве документа две части с одним именем — это не документ Word")
    if CONTENT_TYPES not in names:
        raise damaged(shown)
    # The content types come first: they tell which parts are XML.
    return sorted(members, key=lambda info: info.filename != CONTENT_TYPES)


def _copy(archive: zipfile.ZipFile, shown: str) -> io.BytesIO:
    budget = _Budget()
    copy = io.BytesIO()
    types = _ContentTypes({}, {})
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as target:
        for info in _members(archive, shown):
            if not types.is_xml(info.filename):
                target.writestr(info.filename, b"")
                continue
            data = _read_part(archive, info, budget, shown)
            check_xml(data, f"{shown}: {info.filename}", budget)
            if info.filename == CONTENT_TYPES:
                types = _content_types(data)
            target.writestr(info.filename, data)
    copy.seek(0)
    return copy


def checked_package(path: Path, shown: str) -> io.BytesIO:
    """The package at `path` as python-docx may read it, or SourceRefused saying in Russian what is wrong."""
    try:
        with path.open("rb") as file:
            if file.read(len(_COMPOUND_FILE)) == _COMPOUND_FILE:
                raise SourceRefused(
                    f"{shown}: это не .docx, а документ Word старого формата (.doc) или защищённый паролем — "
                    "сохраните его в Word как .docx без пароля"
                )
            _check_directory(file, shown)
            with zipfile.ZipFile(file) as archive:
                return _copy(archive, shown)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as error:
        raise damaged(shown) from error
    except RuntimeError as error:  # zipfile's word for an encrypted part
        raise SourceRefused(
            f"{shown}: документ защищён паролем — снимите защиту в Word и сохраните заново"
        ) from error
    except OSError as error:
        raise SourceRefused(f"{shown}: файл не читается — нет доступа к нему или ошибка диска") from error
