"""YAML written for people: block style, Cyrillic as is, long texts folded, keys in the model's order.

The texts are the document's own, so the file must load back to exactly the same strings: folding only happens
where PyYAML can fold losslessly (single spaces, no leading or trailing blanks), which the importer's collapsed
texts always are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

FOLD_LONGER_THAN = 90
WIDTH = 100


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Lists indented under their key read more easily in a long file.
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if "\n" in value:
        style = "|"
    elif len(value) > FOLD_LONGER_THAN and " " in value:
        style = ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def to_yaml(data: dict[str, Any], comments: Sequence[str] = ()) -> str:
    """The data as a YAML document, with `comments` as `#` lines on top."""
    body = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=WIDTH, default_flow_style=False
    )
    head = "".join(f"# {line}\n".replace("# \n", "#\n") for line in comments)
    return head + body
