"""Where a URL stands in the content: the unit the link checker and the monitor work on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LinkKind = Literal["evidence", "info", "school", "page", "site"]


@dataclass(frozen=True, order=True)
class LinkRef:
    """One occurrence of a URL in the content (or, for `site`, in built HTML)."""

    url: str  # verbatim as the editor wrote it; empty for an evidence line with no URL
    path: str  # content file as shown to the editor, e.g. "content/reports/shakhty-2022-2.yaml"
    line: int
    col: int
    kind: LinkKind
    title: str = ""  # the link text (evidence title, page link text)
    owner: str = ""  # roadmap / report / page title, or school short name
    owner_slug: str = ""  # slug of the page that shows it, e.g. "reports/shakhty-2022-2"
    item: str = ""  # roadmap or report item number, e.g. "1.2."
