"""What the preview adds to pages in the browser: the reload script and the error panel.

Nothing here is ever written to disk: the server adds it to HTML responses on the fly, so the built pages in the
preview folder stay byte-identical to a full build. Script and styles are separate files under /__serve__/, as
the published site's Content-Security-Policy would demand.
"""

from __future__ import annotations

import re
from html import escape

from site_builder.core.errors import Problem

PREFIX = "/__serve__/"
SCRIPT = f"{PREFIX}live.js"
STYLES = f"{PREFIX}panel.css"
WAIT = f"{PREFIX}wait"

# Long-polls WAIT with the build the page was served from; any other answer means a newer build: reload.
LIVE_JS = """\
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script.getAttribute("data-build");
  var url = script.getAttribute("data-wait");
  function poll(delay) {
    fetch(url + "?build=" + encodeURIComponent(build), {cache: "no-store"})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (answer) {
        if (answer.build !== build) { window.location.reload(); } else { poll(0); }
      })
      .catch(function () { window.setTimeout(function () { poll(2000); }, delay || 1000); });
  }
  poll(0);
})();
"""

PANEL_CSS = """\
.site-builder-errors {
  position: fixed; inset: 0 0 auto 0; z-index: 2147483647; max-height: 70vh; overflow: auto;
  margin: 0; padding: 1rem 1.25rem 1.25rem; box-sizing: border-box;
  background: #fff4f4; color: #1a1a1a; border-bottom: 0.4rem solid #b00020;
  font: 1rem/1.5 system-ui, sans-serif; box-shadow: 0 0.25rem 1rem rgba(0, 0, 0, 0.3);
}
.site-builder-errors h1, .site-builder-errors h2 { margin: 0 0 0.5rem; font-size: 1.35rem; color: #8a0018; }
.site-builder-errors ul { margin: 0 0 0.5rem; padding-left: 1.25rem; }
.site-builder-errors li { margin: 0.25rem 0; }
.site-builder-errors code { font: 0.95rem/1.4 ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
.site-builder-errors p { margin: 0.5rem 0 0; }
"""

_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)


def _script(build: str) -> str:
    return f'<script src="{SCRIPT}" data-build="{escape(build)}" data-wait="{WAIT}"></script>'


def error_panel(problems: list[Problem], heading: str = "h2") -> str:
    """Every problem as `file:line:col: message`, in a panel that screen readers announce at once."""
    errors = sum(1 for problem in problems if not problem.warning)
    items = "\n".join(f"<li><code>{escape(problem.format())}</code></li>" for problem in sorted(problems))
    return (
        f'<link rel="stylesheet" href="{STYLES}">\n'
        '<section class="site-builder-errors" role="alert" aria-labelledby="site-builder-errors-title">\n'
        f'<{heading} id="site-builder-errors-title">Сайт не пересобран: ошибок в содержимом — {errors}</{heading}>\n'
        f"<ul>\n{items}\n</ul>\n"
        "<p>Исправьте файлы и сохраните их — страница обновится сама. Ниже — последняя удачная сборка.</p>\n"
        "</section>\n"
    )


def inject(html: str, build: str, problems: list[Problem]) -> str:
    """The page as the preview shows it: the error panel first in the body, the reload script last."""
    if problems:
        opening = _BODY_OPEN.search(html)
        at = opening.end() if opening else 0
        html = f"{html[:at]}\n{error_panel(problems)}{html[at:]}"
    closings = list(_BODY_CLOSE.finditer(html))
    at = closings[-1].start() if closings else len(html)
    return f"{html[:at]}{_script(build)}\n{html[at:]}"


def standalone(build: str, problems: list[Problem]) -> str:
    """The page shown while there is no good build at all: the first build is running or has failed."""
    if problems:
        title = "Ошибки в содержимом"
        body = error_panel(problems, "h1").replace(
            "Ниже — последняя удачная сборка.", "Удачной сборки ещё не было."
        )
    else:
        title = "Сайт собирается"
        body = '<main>\n<h1>Сайт собирается…</h1>\n<p role="status">Страница откроется сама, как только сборка закончится.</p>\n</main>\n'
    return (
        '<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} — предпросмотр site-builder</title>\n</head>\n<body>\n{body}{_script(build)}\n</body>\n</html>\n"
    )
