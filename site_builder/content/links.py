"""Where a URL stands in the content: the unit the link checker and the monitor work on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from site_builder.core.errors import Problem

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


# Findings about links that `check` and `check-links` both report, worded once.
def _where(ref: LinkRef) -> str:
    return f"п. {ref.item} " if ref.item else ""


def with_hint(message: str, hint: str) -> str:
    return f"{message.removesuffix('.')}. Подсказка: {hint}."


def missing_url(ref: LinkRef) -> Problem:
    """An evidence line with a title but no address."""
    title = f"«{ref.title}» " if ref.title else ""
    return Problem(
        ref.path,
        ref.line,
        ref.col,
        with_hint(
            f"{_where(ref)}подтверждающий документ {title}без ссылки",
            "впишите адрес документа в поле url; если документа в интернете нет, перенесите текст "
            "в описание (result в отчёте, note в дорожной карте)",
        ),
        warning=True,
    )


def near_duplicate(first: LinkRef, second: LinkRef, distance: int) -> Problem:
    """`second`'s address differs from `first`'s (seen earlier) by a typo's worth of characters."""
    chars = "одним символом" if distance == 1 else "двумя символами"
    return Problem(
        second.path,
        second.line,
        second.col,
        with_hint(
            f"{_where(second)}адрес отличается {chars} от адреса {first.url}"
            f"{' из ' + _where(first).strip() if first.item else ''} ({first.path}:{first.line}); "
            f"этот адрес: {second.url}",
            "сверьте оба адреса с исходным документом: если это опечатка, исправьте её; если это разные "
            "документы, ничего делать не нужно",
        ),
        warning=True,
    )
