"""What every cache of a build is keyed by, importable without the renderers (a restored build needs no more).

- code_version: site-builder's own code and templates and the libraries that shape its output, so no cache
  outlives a change of site-builder itself;
- cache_folder: one folder per content folder under .cache/build/.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache
from pathlib import Path

from site_builder.core.resources import TEMPLATES_DIR

CACHE_DIR = Path(".cache") / "build"
_LIBRARIES = (
    "jinja2",
    "markupsafe",
    "markdown",
    "nh3",
    "pydantic",
    "pyyaml",
    "weasyprint",
    "pydyf",
    "fonttools",
)
_CODE = Path(__file__).resolve().parents[1]  # the whole package


def sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


# A file whose modification time is this close to when it was read may change again without its time or size
# changing (coarse file-system clocks): its bytes are compared instead of trusting the stamp.
RACY_SECONDS = 2.0


def racy(modified_ns: int, read_at: float) -> bool:
    """Whether a file modified at `modified_ns` may have changed since it was read at `read_at` (time.time())
    although its stamp is the same."""
    return modified_ns / 1e9 >= read_at - RACY_SECONDS


@cache
def code_version() -> str:
    """A digest of site-builder's own code and templates, of the libraries that shape its output and of the
    Python that runs them: what a cache holds (pickles, compiled templates) is read only by what wrote it.

    Files count by their bytes, not their times: a fresh checkout or install in CI must find the cache the last
    run left. Walked with os and the libraries looked up in one pass over sys.path, it costs 7 ms, not 21.
    """
    digest = hashlib.sha256(f"{sys.version}\0".encode())
    for folder in (_CODE, TEMPLATES_DIR):
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(name for name in dirs if name != "__pycache__")
            for name in sorted(name for name in files if not name.endswith(".pyc")):
                path = os.path.join(root, name)
                with open(path, "rb") as file:
                    digest.update(f"{os.path.relpath(path, folder)}\0".encode())
                    digest.update(file.read())
    installed = _distributions()
    for name in _LIBRARIES:
        digest.update(f"{name} {installed.get(name, '-')}\0".encode())
    return digest.hexdigest()


def _distributions() -> dict[str, str]:
    """Each installed distribution's normalised name → its metadata folder's name, which carries its version,
    the first found on sys.path as importlib.metadata finds it (which scans sys.path again for every name, and
    whose import alone is 26 ms)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                found.setdefault(re.sub(r"[-_.]+", "-", name.partition("-")[0]).lower(), name)
    return found


def cache_folder(content: Path, root: Path = CACHE_DIR) -> Path:
    """One cache per content folder, so pruning after one site's build never drops another site's files."""
    return root / sha(str(content.resolve()))[:16]
