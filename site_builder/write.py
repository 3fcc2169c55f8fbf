"""Writing the site: everything goes into a staging folder that replaces output/ only when the build succeeded."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = ".site-builder-output"


class OutputRefused(Exception):
    """The output folder holds something that is not a previous build: we must not replace it."""


def _check_target(output: Path, content: Path) -> None:
    out, src = output.resolve(), content.resolve()
    if out == src or out in src.parents or src in out.parents:
        raise OutputRefused(f"папка результата {output} не может совпадать с папкой содержимого или вкладываться в неё")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"{output} — это файл, а не папка")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputRefused(
            f"папка {output} не пуста и не похожа на результат сборки: выберите другую папку (--output) "
            "или удалите её содержимое сами — site-builder не удаляет чужие файлы"
        )


def safe_target(root: Path, relative: str) -> Path:
    """The path of an output file, refusing anything that would land outside the output folder."""
    target = (root / relative).resolve()
    if root.resolve() not in target.parents:
        raise ValueError(f"путь {relative!r} выходит за пределы папки результата")
    return target


@contextmanager
def staged_output(output: Path, content: Path) -> Iterator[Path]:
    """Yield a staging folder; on success it atomically becomes `output`, on failure it is removed."""
    _check_target(output, content)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
        (staging / MARKER).write_text("Эта папка создана site-builder и заменяется при каждой сборке.\n", "utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = output.parent / f".{output.name}.previous-{os.getpid()}"
    if output.exists():
        os.replace(output, previous)
    os.replace(staging, output)
    shutil.rmtree(previous, ignore_errors=True)
