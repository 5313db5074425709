"""`leadgame validate --upgrade FILE`: rewrite a scenario in the newest format, editing only what
must change so comments, layout and wording stay as the author wrote them.

From format 1 to 2 two things change: the `format:` number, and braces in scene text,
consequences and ending text, which format 2 reads as conditional text. A brace the author meant
literally gets a backslash (`\\{`), so the story reads exactly as before; text that already reads
as conditional text over the declared variables (which format 1 refuses with E-FORMAT-2) was
meant as such and is left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from leadgame.core import templates
from leadgame.core.loader import FORMAT_VERSION, meant_as_placeholders, read_tree


class UpgradeError(ValueError):
    pass


@dataclass(frozen=True)
class Upgrade:
    text: str  # the whole file, rewritten
    escaped: int  # texts whose literal braces were escaped
    kept: int  # texts already written as conditional text


def upgrade_file(path: Path) -> Upgrade | None:
    """The file's text in the newest format, or None when it is in that format already. Raises
    ScenarioError when the file cannot be read as YAML, UpgradeError when it is not a scenario."""
    node, source = read_tree(path)
    top = _fields(node)
    version = top.get("format")
    if not isinstance(version, ScalarNode) or top.get("scenes") is None:
        raise UpgradeError(f"{path} is not a scenario file (it has no `format` and `scenes`)")
    if version.value == str(FORMAT_VERSION):
        return None
    if version.value != "1":
        raise UpgradeError(f"{path} says `format: {version.value[:20]}`; only format 1 files can be upgraded")
    declared = list(_fields(top["state"])) if isinstance(top.get("state"), MappingNode) else []
    edits = [(version.start_mark.index, version.end_mark.index, str(FORMAT_VERSION))]
    escaped = kept = 0
    for text_node in _story_texts(top):
        value = text_node.value
        if not any(char in value for char in "{}") and "\\|" not in value:
            continue
        if meant_as_placeholders(value, declared) is not None:
            kept += 1
            continue
        edits.append(_escaped(source, text_node))
        escaped += 1
    for start, end, replacement in sorted(edits, reverse=True):
        source = source[:start] + replacement + source[end:]
    return Upgrade(source, escaped, kept)


def _fields(node: Node) -> dict[str, Node]:
    if not isinstance(node, MappingNode):
        return {}
    return {key.value: value for key, value in node.value if isinstance(key, ScalarNode)}


def _items(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


def _story_texts(top: dict[str, Node]):
    """Every scalar that format 2 reads as text that follows the story."""
    for scene in _items(top.get("scenes")):
        fields = _fields(scene)
        yield from _scalars(fields.get("text"))
        for choice in _items(fields.get("choices")):
            yield from _scalars(_fields(choice).get("consequence"))
    for ending in _items(top.get("endings")):
        yield from _scalars(_fields(ending).get("text"))


def _scalars(node: Node | None):
    if isinstance(node, ScalarNode):
        yield node


def _escaped(source: str, node: ScalarNode) -> tuple[int, int, str]:
    """(start, end, replacement) that writes the scalar's value with its literal braces escaped."""
    start, end = node.start_mark.index, node.end_mark.index
    wanted = templates.escape(node.value)
    if templates.render(templates.parse(wanted), {}) != node.value:  # never write a changed story
        raise UpgradeError(f"line {node.start_mark.line + 1}: this text cannot be escaped safely; add `\\` before its braces by hand")
    if node.style == '"':
        return start, end, json.dumps(wanted, ensure_ascii=False)
    if node.style in ("|", ">"):
        body = source.find("\n", start) + 1  # the header line (`|`, `>-`, a comment) stays as it is
        return body, end, templates.escape(source[body:end])
    opening = 1 if node.style == "'" else 0
    return start + opening, end - opening, templates.escape(source[start + opening:end - opening])
