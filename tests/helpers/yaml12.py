"""YAML as VS Code's YAML extension reads it (YAML 1.2 core schema), to test the JSON Schemas editors get.

Our own loader keeps every scalar as text; the editor's reader does not: plain `2022` is a number there,
`2022-01-14` a string, `yes` a string. Quoted scalars are always strings.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


def _scalar(text: str) -> Any:
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.fullmatch(text):
        return int(text, 0) if text.startswith(("0o", "0x")) else int(text)
    if _FLOAT.fullmatch(text):
        return float(text.replace("inf", "Infinity").replace("Inf", "Infinity").replace("INF", "Infinity"))
    return text


def _build(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return {_build(key): _build(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_build(child) for child in node.value]
    assert isinstance(node, yaml.ScalarNode)
    return _scalar(node.value) if node.style is None else node.value


def load_yaml12(text: str) -> Any:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    return None if node is None else _build(node)


def load_file12(path: Path) -> Any:
    return load_yaml12(path.read_text(encoding="utf-8-sig"))
