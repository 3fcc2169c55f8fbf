"""Publishing: the section's base URL and absolute addresses, the news pages, the archive for upload.

Internal links stay relative (render._url) so one build works from disk and under any sub-path; only what must be
absolute — canonical links, Open Graph, sitemap.xml, robots.txt's Sitemap line, the Atom feed, the 404 page — is
built here from the base URL. Without a base URL there is no sitemap and no feed: both need absolute addresses.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

from site_builder.build.write import MARKER

if TYPE_CHECKING:
    from site_builder.model.site import PageEntry, Site

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
FEED = "feed.xml"
# The earliest time a zip entry can carry: fixed, so the same site gives the same archive bytes.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
_EXAMPLE = "например https://example.org/obrazovanie/500plus/"
# Characters a URL path may keep as they are; everything else (Cyrillic included) is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


class ArchiveRefused(Exception):
    """The archive cannot be written where asked without harming the user's files or the build."""


def normalise_base_url(value: str) -> str:
    """The section's address in canonical form: http(s), ASCII host and path, always ending with «/».

    Raises ValueError with a Russian message for anything that cannot be the address of a published folder.
    """
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"адрес раздела должен начинаться с https:// или http://, {_EXAMPLE}")
    if not parts.hostname:
        raise ValueError(f"в адресе раздела нет имени сайта, {_EXAMPLE}")
    if parts.username or parts.password:
        raise ValueError("адрес раздела не может содержать имя пользователя или пароль")
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        raise ValueError(f"адрес раздела не может содержать «?» или «#», {_EXAMPLE}")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
        port = f":{parts.port}" if parts.port else ""
    except (UnicodeError, ValueError) as error:
        raise ValueError(f"в адресе раздела неправильное имя сайта или порт, {_EXAMPLE}") from error
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    return urlunsplit((parts.scheme.lower(), host + port, path if path.endswith("/") else path + "/", "", ""))


def page_address(output: str) -> str:
    """The address a page is known by: a folder's index.html is the folder itself."""
    if output == "index.html" or output.endswith("/index.html"):
        return output.removesuffix("index.html")
    return output


def absolute_url(base_url: str, output: str) -> str:
    """The absolute address of an output file under the (normalised) base URL."""
    return base_url + page_address(output)


def news_pages(site: Site) -> list[PageEntry]:
    """Pages marked `news: true`, newest first; ties keep a fixed order by address."""
    news = sorted((page for page in site.pages if page.meta.news), key=lambda page: page.slug)
    return sorted(news, key=lambda page: page.meta.date or dt.date.min, reverse=True)


def atom_time(value: dt.date) -> str:
    """An Atom date-time for a page date: midnight UTC, never the clock of the machine that builds."""
    return f"{value.isoformat()}T00:00:00Z"


def check_archive_target(archive: Path, output: Path) -> None:
    """Refuse an archive path that would land inside the output or overwrite a file that is not an archive."""
    target, out = archive.resolve(), output.resolve()
    if target == out or out in target.parents:
        raise ArchiveRefused(
            f"архив {archive} нельзя сохранять в папку результата {output}: выберите другое место"
        )
    if target.is_dir():
        raise ArchiveRefused(f"{archive} — это папка; укажите имя файла архива, например site.zip")
    if target.exists() and not zipfile.is_zipfile(target):
        raise ArchiveRefused(
            f"файл {archive} уже есть и это не zip-архив: site-builder не перезаписывает чужие файлы"
        )


def archive_entries(folder: Path) -> list[str]:
    """Every file of a build as relative POSIX paths, sorted; the build marker stays out of the upload."""
    files = (path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    return sorted(name for name in files if name != MARKER)


def write_archive(folder: Path, archive: Path) -> int:
    """Zip a built site for upload by FTP: files at the archive's root, sorted, with fixed times and modes.

    The archive is written beside its target and moved into place, so a failed run leaves no half-written file.
    Returns the number of files archived.
    """
    check_archive_target(archive, folder)
    entries = archive_entries(folder)
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(f".{archive.name}.partial-{os.getpid()}")
    try:
        with zipfile.ZipFile(partial, "w") as zipped:
            for name in entries:
                info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = (
                    3  # Unix, whatever the building machine, so the bytes do not depend on it
                )
                info.external_attr = 0o100644 << 16
                zipped.writestr(info, (folder / name).read_bytes(), compresslevel=9)
        os.replace(partial, archive)
    finally:
        partial.unlink(missing_ok=True)
    return len(entries)
