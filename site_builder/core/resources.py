"""Files site-builder ships beside its code: the page templates and the starter site's settings.

An installed wheel carries them inside the package (pyproject.toml, `force-include`); a checkout has them at the top
of the repository, which stays their one source, so nothing is kept twice in git.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def shipped(packaged: str, in_checkout: str) -> Path:
    inside = PACKAGE / packaged
    return inside if inside.exists() else PACKAGE.parent / in_checkout


TEMPLATES_DIR = shipped("templates", "templates")
STARTER_DIR = PACKAGE / "starter"
STARTER_NETLIFY = shipped("starter/netlify.toml", "netlify.toml")
