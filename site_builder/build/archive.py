"""`build --zip`: the built folder as a deterministic archive for upload by FTP."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from site_builder.build.write import MARKER
from site_builder.core.errors import SiteBuilderError

# The earliest time a zip entry can carry: fixed, so the same site gives the same archive bytes.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


class ArchiveRefused(SiteBuilderError):
    """The archive cannot be written where asked without harming the user's files or the build."""


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
