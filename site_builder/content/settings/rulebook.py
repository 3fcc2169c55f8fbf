"""The rule table of the «Сведения об образовательной организации» checks, read from package data (rules/*.yaml).

The table is data, versioned by edition (МР v9 is the default): subsections with their recommended slugs, the
itemprops of each with their parent («Главный тег»), the legal basis and a short fix. The editor's
`monitoring:` block switches checks off and adds items; `effective_rules` applies both.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

Edition = Literal["mr-v9"]
DEFAULT_EDITION: Edition = "mr-v9"


class _Rule(BaseModel):
    # Built on first use: the table is read by the monitor and by editors' extra items, not by every `check`.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ItemRule(_Rule):
    itemprop: str = Field(min_length=1, pattern=r"^[A-Za-z][A-Za-z0-9]*$")
    title: str = Field(min_length=1)
    parent: str | None = None
    required: bool = True
    basis: str = ""
    fix: str = ""

    @property
    def key(self) -> str:
        """The item's part of the check id: the parent's name first when there is one («rucovodstvo.fio»)."""
        return f"{self.parent}.{self.itemprop}" if self.parent else self.itemprop


class SubsectionRule(_Rule):
    slug: str = Field(min_length=1, pattern=r"^[A-Za-z_]+$")
    title: str = Field(min_length=1)
    link_text: str = Field(min_length=1)
    basis: str = ""
    items: list[ItemRule] = Field(default_factory=list)

    @property
    def id(self) -> str:
        return f"sveden.{self.slug}"

    def item_id(self, item: ItemRule) -> str:
        return f"{self.id}.{item.key}"

    @model_validator(mode="after")
    def _unique_and_nested(self) -> SubsectionRule:
        keys = [item.key for item in self.items]
        if len(keys) != len(set(keys)):
            raise ValueError(f"подраздел {self.slug}: атрибут повторяется с тем же родителем")
        names = {item.itemprop for item in self.items}
        orphans = [item.itemprop for item in self.items if item.parent and item.parent not in names]
        if orphans:
            raise ValueError(f"подраздел {self.slug}: у {', '.join(orphans)} нет родителя среди атрибутов")
        return self


class SectionRule(_Rule):
    title: str
    slug: str
    link_text: str
    basis: str
    fix: str


class AccessibilityRule(_Rule):
    id: Literal["lang", "img-alt", "copy", "ministry-links"]
    title: str
    basis: str
    fix: str


class Site500Rule(_Rule):
    basis: str
    fixes: dict[str, str]


class Rulebook(_Rule):
    edition: str
    title: str
    section: SectionRule
    subsection_fix: str
    item_fix: str
    misplaced_fix: str
    accessibility: list[AccessibilityRule]
    site500: Site500Rule
    subsections: list[SubsectionRule]

    def subsection(self, slug: str) -> SubsectionRule | None:
        return next((s for s in self.subsections if s.slug == slug), None)


@functools.cache
def load_rules(edition: Edition = DEFAULT_EDITION) -> Rulebook:
    text = (
        resources.files("site_builder.content.settings")
        .joinpath("rules", f"{edition}.yaml")
        .read_text("utf-8")
    )
    return Rulebook.model_validate(yaml.safe_load(text))


def is_disabled(check_id: str, disabled: list[str]) -> bool:
    """«sveden.inter» switches off the subsection and all its items; «a11y.copy» one check."""
    return any(check_id == off or check_id.startswith(off + ".") for off in disabled)


def markup(item: ItemRule) -> str:
    """The HTML the fix asks for: the item inside its parent when it has one."""
    inner = f'<div itemprop="{item.itemprop}">…</div>'
    return f'<div itemprop="{item.parent}"> … {inner} … </div>' if item.parent else inner


def effective_rules(rules: Rulebook, disabled: list[str], extra: Sequence[tuple[str, ItemRule]]) -> Rulebook:
    """The table with the editor's checks (subsection slug, rule) added and the switched-off ones taken out."""
    subsections = []
    for subsection in rules.subsections:
        if is_disabled(subsection.id, disabled):
            continue
        added = [rule for slug, rule in extra if slug == subsection.slug]
        items = [
            item
            for item in [*subsection.items, *added]
            if not is_disabled(subsection.item_id(item), disabled)
        ]
        subsections.append(subsection.model_copy(update={"items": items}))
    accessibility = [rule for rule in rules.accessibility if not is_disabled(f"a11y.{rule.id}", disabled)]
    return rules.model_copy(update={"subsections": subsections, "accessibility": accessibility})
