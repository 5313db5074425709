"""YAML scenario files -> model objects, with every problem located by file:line:column.

Files are untrusted. They are composed (never constructed) by PyYAML's safe C loader when
present, so no tag can build a Python object; any tag outside plain YAML is refused. The node
tree is then walked against the format, collecting every problem rather than stopping at the
first, and cross-references (scene, ending, construct and variable ids) are checked last.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Callable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from leadgame.core import expressions, templates
from leadgame.core.compiled import collector_paused
from leadgame.core.model import (
    CONTINUE,
    END,
    ID as _ID,
    MAX_BOUND,
    MAX_FILE_BYTES,
    MAX_INCLUDES,
    MAX_NUMBER_CHARS,
    MAX_TEXT_CHARS,
    OUTCOMES,
    SCENARIO_ID as _SCENARIO_ID,
    SCORE_RANGE,
    Choice,
    Construct,
    Effect,
    Ending,
    Expression,
    Route,
    Scenario,
    SOURCE_KINDS,
    Scene,
    Source,
    Value,
    Variable,
    bounds_words,
    frozen_map,
)
from leadgame.core.problems import Problem, ScenarioError
from leadgame.core.text import CONTROL

FORMAT_VERSION = 2  # the newest scenario format; format 1 files load unchanged
SCENARIO_FORMATS = (1, 2)
CATALOGUE_FORMAT = 1
MAX_ITEMS = 200_000
MAX_ITEMS_REPEATED = 50_000  # list items and merged keys that aliases make the reader walk again
MAX_PROBLEMS = 500
MAX_DEPTH = 64

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Constructor = yaml.constructor.SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + t for t in ("str", "int", "bool", "null", "float", "map", "seq", "merge")}
_BRACKETS = re.compile(r"[\[\]{}]")
_CONTROL = CONTROL


class _TooManyProblems(Exception):
    pass


class _Walker:
    """Reads typed values out of YAML nodes, recording a located problem for each misfit."""

    def __init__(self, path: str, problems: list[Problem] | None = None):
        self.path = path
        self.problems: list[Problem] = problems if problems is not None else []  # shared with included files
        self.source = ""  # the document's text, for placing problems inside a text block
        self.walked: set[int] = set()
        self.items_repeated = 0
        self.merges = False  # whether the document has any `<<` merge key at all

    def problem(self, node: Node | None, code: str, key: str, message: str) -> None:
        self.problem_at(_position(node), code, key, message)

    def problem_at(self, position: tuple[int, int], code: str, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, position[0], position[1], code, key, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooManyProblems

    def _tag_ok(self, node: Node, key: str) -> bool:
        if node.tag in _ALLOWED_TAGS:
            return True
        self.problem(node, "E-YAML-TAG", key, f"tag '{_clip(node.tag)}' is not allowed")
        return False

    def mapping(self, node: Node, key: str, required: tuple[str, ...], optional: tuple[str, ...] = (),
                misplaced: dict[str, str] | None = None, extensions: bool = False) -> dict[str, Node] | None:
        """The mapping's known keys and their values. `misplaced` explains keys that belong
        somewhere else (an ending's `next`), where a spelling suggestion would mislead; with
        `extensions`, `x-…` keys are the author's own and skipped."""
        if node is not None and not self._tag_ok(node, key):
            return None
        if not isinstance(node, MappingNode):
            self.problem(node, "E-TYPE", key, f"expected a mapping of keys, found {_kind(node)}")
            return None
        found: dict[str, Node] = {}
        for key_node, value_node in self._merged(node, key):
            name = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(name, str) or key_node.tag not in (_TAG + "str", _TAG + "int"):
                self.problem(key_node, "E-TYPE", key, "keys must be plain names (a list or mapping cannot be a key)")
            elif name in found:
                self.problem(key_node, "E-YAML-DUPKEY", _join(key, name), f"key '{_clip(name)}' appears twice")
            elif extensions and name.startswith(EXTENSION):
                continue  # a place for the author's anchors (`x-defaults: &defaults`), read only through aliases
            elif name not in required and name not in optional:
                if misplaced and name in misplaced:
                    self.problem(key_node, "E-KEY-UNKNOWN", _join(key, name), misplaced[name])
                    continue
                close = difflib.get_close_matches(name, (*required, *optional), n=1)
                guess = f"; did you mean '{close[0]}'?" if close else ""
                self.problem(key_node, "E-KEY-UNKNOWN", _join(key, name), f"unknown key '{_clip(name)}'{guess}")
            else:
                found[name] = value_node
        for name in required:
            if name not in found:
                self.problem(node, "E-KEY-MISSING", _join(key, name), f"missing required key '{name}'")
        return found

    def _merged(self, node: MappingNode, key: str) -> list[tuple[Node, Node]]:
        """The mapping's pairs with YAML merge keys (`<<: *defaults`) resolved as YAML defines
        them: the merged mapping's keys first, then the mapping's own, which win."""
        if not self.merges:  # most files have none: no cost for them
            return node.value
        own = [(k, v) for k, v in node.value if k.tag != _TAG + "merge"]
        merges = [v for k, v in node.value if k.tag == _TAG + "merge"]
        if not merges:
            return own
        names = {k.value for k, _ in own if isinstance(k, ScalarNode)}
        merged: dict[str, tuple[Node, Node]] = {}
        for source in merges:
            for item in source.value if isinstance(source, SequenceNode) else [source]:
                if not isinstance(item, MappingNode):
                    self.problem(item, "E-TYPE", _join(key, "<<"), "`<<:` merges a mapping: write `<<: *name` where "
                                                                   "`&name` marks a mapping elsewhere in the file")
                    continue
                self._count(item, key)
                for pair in self._merged(item, key):
                    merged.setdefault(getattr(pair[0], "value", None), pair)
        return [pair for name, pair in merged.items() if name not in names] + own

    def _count(self, node: Node, key: str) -> None:
        """Aliases let a small file name the same list again and again: the file's size bounds
        what is read once, and this bounds what aliases make the reader read again."""
        if id(node) not in self.walked:
            self.walked.add(id(node))
            return
        self.items_repeated += len(node.value)
        if self.items_repeated > MAX_ITEMS_REPEATED:
            self.problem(node, "E-LIMIT", key, f"aliases (`*name`) repeat more content than a scenario needs "
                                               f"(over {MAX_ITEMS_REPEATED} items read again)")
            raise _TooManyProblems

    def sequence(self, node: Node, key: str) -> list[Node]:
        if node is not None and not self._tag_ok(node, key):
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, "E-TYPE", key, f"expected a list, found {_kind(node)}")
            return []
        if len(node.value) > MAX_ITEMS:
            self.problem(node, "E-LIMIT", key, f"more than {MAX_ITEMS} items")
            return []
        self._count(node, key)
        return list(node.value)

    def text(self, node: Node | None, key: str, default: str | None = None) -> str:
        if node is None:
            return default or ""
        if not self._tag_ok(node, key):
            return ""
        if isinstance(node, MappingNode) and node.flow_style:
            self.problem(node, "E-TYPE", key, "expected text, found a `{…}` mapping: text that starts with `{` "
                                              "(such as conditional text) needs quotes, or a `|` block")
            return ""
        if not isinstance(node, ScalarNode) or node.tag == _TAG + "null":
            self.problem(node, "E-TYPE", key, f"expected text, found {_kind(node)}")
            return ""
        value = node.value
        if len(value) > MAX_TEXT_CHARS:
            self.problem(node, "E-LIMIT", key, f"text longer than {MAX_TEXT_CHARS} characters")
            return value[:MAX_TEXT_CHARS]
        bad = _CONTROL.search(value)
        if bad:
            self.problem(node, "E-TEXT-CONTROL", key, f"control character U+{ord(bad.group()):04X} in text")
            return _CONTROL.sub("", value)
        return value

    def texts(self, node: Node | None, key: str) -> tuple[str, ...]:
        if node is None:
            return ()
        return tuple(self.text(item, f"{key}[{i}]") for i, item in enumerate(self.sequence(node, key)))

    def identifier(self, node: Node | None, key: str, pattern: re.Pattern = _ID) -> str:
        value = self.text(node, key)
        if value and not pattern.match(value):
            self.problem(node, "E-VALUE", key, f"'{_clip(value)}' is not a valid id (lowercase letters, digits, '-', '_')")
        return value

    def scalar(self, node: Node, key: str, expected: str = "a whole number or true/false") -> int | bool | None:
        """A whole number or a boolean; `expected` says which the key takes, for the message."""
        if not self._tag_ok(node, key):
            return None
        if isinstance(node, ScalarNode) and node.tag == _TAG + "bool":
            return _Constructor.construct_yaml_bool(node)
        if isinstance(node, ScalarNode) and node.tag == _TAG + "int":
            if len(node.value) > MAX_NUMBER_CHARS:
                self.problem(node, "E-VALUE", key, "number too large")
                return None
            try:
                return _Constructor.construct_yaml_int(node)
            except ValueError:
                self.problem(node, "E-VALUE", key, f"'{_clip(node.value)}' is not a whole number")
                return None
        self.problem(node, "E-TYPE", key, f"expected {expected}, found {_kind(node)}")
        return None

    def integer(self, node: Node | None, key: str, low: int, high: int) -> int | None:
        if node is None:
            return None
        value = self.scalar(node, key, "a whole number")
        if value is None:
            return None
        if isinstance(value, bool) or not low <= value <= high:
            self.problem(node, "E-VALUE", key, f"expected a whole number from {low} to {high}")
            return None
        return value

    def condition(self, node: Node | None, key: str) -> Expression | None:
        if node is None:
            return None
        source = self.text(node, key)
        if not source:
            return None
        try:
            return expressions.parse(source)
        except expressions.ExpressionError as error:
            line, column = _position(node)
            quoted = 1 if getattr(node, "style", None) in ("'", '"') else 0
            self.problems.append(
                Problem(self.path, line, column + quoted + error.column - 1, "E-EXPR", key, str(error))
            )
            return None


def _field(node: Node, name: str) -> Node:
    """The value of key `name` in a mapping node (the node itself when there is none), to place a problem."""
    for key_node, value_node in getattr(node, "value", ()) if isinstance(node, MappingNode) else ():
        if getattr(key_node, "value", None) == name:
            return value_node
    return node


def _position(node: Node | None) -> tuple[int, int]:
    if node is None or node.start_mark is None:
        return (1, 1)
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _kind(node: Node | None) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        if node.tag == _TAG + "null":
            return "nothing"
        return "text" if node.tag == _TAG + "str" else f"'{_clip(node.value)}'"
    return "nothing"


def _clip(text: str, width: int = 40) -> str:
    text = _CONTROL.sub("?", str(text))
    return text if len(text) <= width else text[: width - 1] + "…"


def _join(parent: str, key: str) -> str:
    """A key's place, for messages: `state.trust`, or after an item named by its id,
    `scene 'ally-moves', choice 'court', label`."""
    if not parent:
        return key
    return f"{parent}, {key}" if "'" in parent else f"{parent}.{key}"


def _item_label(node: Node, kind: str, fallback: str, parent: str = "") -> str:
    """How messages name a list item: by its id (`scene 'ally-moves'`) when it has a readable one."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == "id" and isinstance(value_node, ScalarNode) and value_node.value:
                return _join(parent, f"{kind} '{_clip(value_node.value)}'")
    return _join(parent, fallback) if parent else fallback


# --- reading a file into a node tree ---------------------------------------------------------


def read_document(path: Path, walker: _Walker) -> tuple[Node | None, bytes]:
    """The composed YAML node tree of one file, or None with problems recorded."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            walker.problem(None, "E-FILE-SIZE", "", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
            return None, b""
        data = path.read_bytes()
    except OSError as error:
        walker.problem(None, "E-FILE-READ", "", f"cannot read file: {error.strerror or error}")
        return None, b""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        walker.problems.append(Problem(walker.path, line, column, "E-ENCODING", "", "the file is not valid UTF-8"))
        return None, data
    if not text.strip():
        walker.problem(None, "E-EMPTY", "", "the file is empty")
        return None, data
    depth_problem = _nesting_problem(text)
    if depth_problem:
        walker.problems.append(Problem(walker.path, *depth_problem, "E-YAML-DEPTH", "", f"nesting deeper than {MAX_DEPTH} levels"))
        return None, data
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.composer.ComposerError as error:
        code = "E-YAML-DOCS" if "single document" in str(error.context) else "E-YAML-SYNTAX"
        _yaml_problem(walker, error, code)
        return None, data
    except yaml.YAMLError as error:
        _yaml_problem(walker, error, "E-YAML-SYNTAX", text)
        return None, data
    except RecursionError:
        walker.problem(None, "E-YAML-DEPTH", "", "the file nests too deeply to read")
        return None, data
    finally:
        loader.dispose()
    if node is None:
        walker.problem(None, "E-EMPTY", "", "the file has no content")
    walker.source = text
    walker.merges = "<<" in text
    return node, data


def read_tree(path: Path) -> tuple[Node, str]:
    """A file's YAML node tree and its text, for tools that edit a file in place; raises
    ScenarioError when it cannot be read as one YAML document."""
    walker = _Walker(str(path))
    node, _ = read_document(Path(path), walker)
    if walker.problems or node is None:
        raise ScenarioError(walker.problems)
    return node, walker.source


def _nesting_problem(text: str) -> tuple[int, int] | None:
    """Where flow nesting ([ and {) first goes deeper than MAX_DEPTH, before the parser recurses."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        offset, char = match.start(), match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, offset) + 1
                return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def _yaml_problem(walker: _Walker, error: yaml.YAMLError, code: str, text: str = "") -> None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = _clip(str(getattr(error, "problem", None) or str(error).splitlines()[0]), 120)
    if code == "E-YAML-DOCS":
        message = "more than one YAML document in the file"
    elif "mapping values are not allowed" in message and "{" in _line_of(text, line)[:column]:
        message = ("a ': ' inside a one-line value, which YAML reads as a new key: conditional text such as "
                   "`{flag: …}` needs the value in quotes, or written as a `|` block")
    walker.problems.append(Problem(walker.path, line, column, code, "", message))


def _line_of(text: str, line: int) -> str:
    lines = text.split("\n", line)
    return lines[line - 1] if 0 < line <= len(lines) else ""


# --- the construct catalogue -----------------------------------------------------------------


def load_constructs(path: str | Path) -> dict[str, Construct]:
    path = Path(path)
    walker = _Walker(str(path))
    catalogue: dict[str, Construct] = {}
    try:
        node, _ = read_document(path, walker)
        if node is not None:
            catalogue = _read_catalogue(node, walker)
    except _TooManyProblems:
        pass
    if walker.problems:
        raise ScenarioError(walker.problems)
    return catalogue


def _read_catalogue(node: Node, walker: _Walker) -> dict[str, Construct]:
    top = walker.mapping(node, "", ("format", "constructs"))
    if top is None:
        return {}
    _check_format(top, walker)
    catalogue: dict[str, Construct] = {}
    for index, item in enumerate(walker.sequence(top.get("constructs"), "constructs") if "constructs" in top else []):
        key = _item_label(item, "construct", f"constructs[{index}]")
        fields = walker.mapping(item, key, ("id", "name", "definition", "sections"))
        if fields is None:
            continue
        construct_id = walker.identifier(fields.get("id"), _join(key, "id"))
        if construct_id in catalogue:
            walker.problem(fields["id"], "E-ID-DUPLICATE", _join(key, "id"), f"construct '{construct_id}' is defined twice")
        catalogue[construct_id] = Construct(
            construct_id,
            walker.text(fields.get("name"), _join(key, "name")),
            walker.text(fields.get("definition"), _join(key, "definition")),
            walker.texts(fields.get("sections"), _join(key, "sections")),
        )
    return catalogue


def _check_format(top: dict[str, Node], walker: _Walker) -> None:
    if "format" in top and walker.integer(top["format"], "format", 0, 10**6) not in (CATALOGUE_FORMAT, None):
        walker.problem(top["format"], "E-FORMAT", "format", f"this leadgame reads construct catalogues of format {CATALOGUE_FORMAT}")


def _scenario_format(top: dict[str, Node], walker: _Walker) -> int:
    if "format" not in top:
        return FORMAT_VERSION
    version = walker.integer(top["format"], "format", 0, 10**6)
    if version in SCENARIO_FORMATS:
        return version
    if version is not None:
        walker.problem(top["format"], "E-FORMAT", "format",
                       f"this leadgame reads scenario formats {' and '.join(map(str, SCENARIO_FORMATS))}")
    return FORMAT_VERSION


# --- scenarios ---------------------------------------------------------------------------------

_TOP_REQUIRED = (
    "format", "id", "title", "summary", "place", "years", "role", "minutes", "intro",
    "learning_objectives", "sources", "start", "scenes", "endings", "reflection",
)
_MISPLACED_IN_ENDING = {
    "next": "an ending is where the story stops, so it has no `next` (make it a scene to go on from it)",
    "choices": "an ending offers no choices (make it a scene to go on from it)",
    "consequence": "an ending has `text`, not `consequence`",
}
_MISPLACED_IN_SCENE = {
    "if": "a scene has no `if`: put the condition on the choices or routes that lead to it",
    "what_really_happened": "`what_really_happened` belongs to an ending",
    "consequence": "a scene has `text`; `consequence` belongs to each choice",
    "label": "a scene has a `title`; `label` belongs to each choice",
}
_MISPLACED_IN_CHOICE = {
    "text": "a choice has `consequence` (shown after it is chosen), not `text`",
    "title": "a choice has a `label`, not a `title`",
    "choices": "choices do not nest: lead to another scene with `next`",
}
_SCENE_OPTIONAL = ("place", "date", "facilitator", "choices", "next", "continue_label", "set", "add", "order")
_CHOICE_OPTIONAL = ("if", "scores", "set", "add", "consequence", "rationale", "ref", "real")
_ENDING_OPTIONAL = ("ref", "if", "outcome", "real")
_ROUTE_OPTIONAL = ("if", "chance", "set", "add")
_VARIABLE_OPTIONAL = ("min", "max", "values")
EXTENSION = "x-"  # top-level keys the format leaves to the author, to hold YAML anchors
_ORDERS = ("shuffled", "fixed")


class _ScenarioReader:
    """Builds a Scenario from a node tree; reference checks wait until every id is known."""

    def __init__(self, walker: _Walker, catalogue: dict[str, Construct]):
        self.walker = walker
        self.catalogue = catalogue
        self.format = FORMAT_VERSION
        self.state: dict[str, Value] = {}
        self.variables: dict[str, Variable] = {}
        self.node_ids: dict[str, tuple[str, int, str]] = {}  # id -> (scene or ending, line, file) where first used
        # Checked once every id is known, each with the walker of the file it was written in:
        self.targets: list[tuple[str, Node, str, _Walker]] = []  # (target id, node, key, walker)
        self.conditions: list[tuple[Expression, tuple[int, int], str, _Walker]] = []  # (condition, where, key, walker)
        self.templates: list[tuple[templates.Template, str, _Walker]] = []
        self.uses_end: tuple[Node, _Walker] | None = None
        self.included: list[tuple[Path, bytes]] = []
        self.file = ""  # the included file being read ("" for the scenario's own)

    def read(self, node: Node) -> Scenario | None:
        w = self.walker
        includes = isinstance(node, MappingNode) and any(getattr(k, "value", None) == "include" for k, _ in node.value)
        required = tuple(k for k in _TOP_REQUIRED if not includes or k not in ("scenes", "endings"))
        top = w.mapping(node, "", required, ("state", "source", "include", "scenes", "endings"), extensions=True)
        if top is None:
            return None
        self.format = _scenario_format(top, w)
        for key_node, _ in node.value:
            name = getattr(key_node, "value", "")
            if isinstance(name, str) and name.startswith(EXTENSION):
                self._needs_format_2(key_node, name, f"a top-level `{EXTENSION}…` key (a place for anchors)")
        if "state" in top:
            self.state = self._read_state(top["state"])
        scenes = self._read_all(top, "scenes", self._read_scene, "scene")
        endings = self._read_all(top, "endings", self._read_ending, "ending")
        if includes:
            self._read_includes(top, scenes, endings)
        start = w.identifier(top.get("start"), "start")
        if start and start not in scenes:
            w.problem(top["start"], "E-REF-SCENE", "start", f"start scene '{_clip(start)}' does not exist")
        self._check_references(scenes, endings)
        scored = sorted({c for scene in scenes.values() for choice in scene.choices for c in choice.scores})
        return Scenario(
            id=w.identifier(top.get("id"), "id", _SCENARIO_ID),
            title=w.text(top.get("title"), "title"),
            summary=w.text(top.get("summary"), "summary"),
            place=w.text(top.get("place"), "place"),
            years=w.text(top.get("years"), "years"),
            role=w.text(top.get("role"), "role"),
            minutes=w.integer(top.get("minutes"), "minutes", 1, 600) or 0,
            intro=w.text(top.get("intro"), "intro"),
            learning_objectives=w.texts(top.get("learning_objectives"), "learning_objectives"),
            sources=w.texts(top.get("sources"), "sources"),
            reflection=w.texts(top.get("reflection"), "reflection"),
            initial_state=frozen_map(self.state),
            start=start,
            scenes=frozen_map(scenes),
            endings=frozen_map(endings),
            constructs=frozen_map({c: self.catalogue[c] for c in scored if c in self.catalogue}),
            scored_constructs=tuple(scored),
            format=self.format,
            variables=frozen_map(self.variables),
            source=self._read_source(top.get("source")),
            includes=tuple(str(path) for path, _ in self.included),
        )

    def _read_includes(self, top: dict[str, Node], scenes: dict, endings: dict) -> None:
        """`include: [act-one.yaml, act-two.yaml]`: more scenes and endings, each file a mapping
        with `scenes:` and/or `endings:`, read after the scenario's own, in the order listed.
        Paths are relative to the scenario file and stay inside its folder."""
        w = self.walker
        if self._needs_format_2(top["include"], "include", "`include`"):
            return
        items = w.sequence(top["include"], "include")
        if len(items) > MAX_INCLUDES:
            w.problem(top["include"], "E-LIMIT", "include", f"more than {MAX_INCLUDES} included files")
            return
        home = Path(w.path).parent
        total = sum(len(data) for _, data in self.included)
        for index, item in enumerate(items):
            key = f"include[{index}]"
            name = w.text(item, key)
            path = _included_path(home, name)
            if path is None:
                w.problem(item, "E-VALUE", key, f"'{_clip(name)}' is not a file inside the scenario's folder: "
                                                "write a path relative to this file, such as `scenes/act-two.yaml`")
                continue
            if any(path == seen for seen, _ in self.included):
                w.problem(item, "E-VALUE", key, f"'{_clip(name)}' is included twice")
                continue
            walker = _Walker(str(home / name), w.problems)
            node, data = read_document(path, walker)
            total += len(data)
            if total > MAX_FILE_BYTES:
                w.problem(item, "E-FILE-SIZE", key, f"the scenario and its included files are over {MAX_FILE_BYTES} bytes")
                return
            self.included.append((path, data))
            if node is None:
                continue
            self.walker, self.file = walker, str(home / name)
            try:
                fields = walker.mapping(node, "", (), ("scenes", "endings"))
                if fields is not None:
                    for read_key, read_one, kind, found in (("scenes", self._read_scene, "scene", scenes),
                                                            ("endings", self._read_ending, "ending", endings)):
                        for item_id, built in self._read_all(fields, read_key, read_one, kind).items():
                            found.setdefault(item_id, built)
            finally:
                self.walker, self.file = w, ""
        if not scenes:
            w.problem(top["include"], "E-KEY-MISSING", "scenes", "no scenes: neither this file nor the files it includes has any")
        if not endings:
            w.problem(top["include"], "E-KEY-MISSING", "endings", "no endings: neither this file nor the files it includes has any")

    def _read_all(self, top: dict[str, Node], key: str, read_one: Callable, kind: str) -> dict:
        items: dict = {}
        if key not in top:
            return items
        nodes = self.walker.sequence(top[key], key)
        if not nodes:
            self.walker.problem(top[key], "E-VALUE", key, f"'{key}' needs at least one entry")
        for index, item in enumerate(nodes):
            built = read_one(item, _item_label(item, kind, f"{key}[{index}]"))
            if built is not None and built.id:
                items[built.id] = built
        return items

    def _read_state(self, node: Node) -> dict[str, Value]:
        if not isinstance(node, MappingNode):
            self.walker.problem(node, "E-TYPE", "state", f"expected a mapping of variables, found {_kind(node)}")
            return {}
        state: dict[str, Value] = {}
        for key_node, value_node in node.value:
            name = self.walker.identifier(key_node, "state")
            if name in state:
                self.walker.problem(key_node, "E-YAML-DUPKEY", f"state.{name}", f"variable '{name}' declared twice")
            variable = self._read_variable(name, value_node, f"state.{name}")
            if name and variable is not None:
                state[name] = variable.start
                self.variables[name] = replace(variable, line=_position(key_node)[0], column=_position(key_node)[1])
        return state

    def _read_source(self, node: Node | None) -> Source:
        """`source: {kind: fiction, cite_as: "Café pilot notes"}`: where the case comes from."""
        if node is None or self._needs_format_2(node, "source", "`source`"):
            return Source()
        w = self.walker
        fields = w.mapping(node, "source", ("kind",), ("cite_as",))
        if fields is None or "kind" not in fields:
            return Source()
        kind = w.text(fields["kind"], "source.kind")
        if kind not in SOURCE_KINDS:
            w.problem(fields["kind"], "E-VALUE", "source.kind", f"'{_clip(kind)}' is not a kind of source: use {', '.join(SOURCE_KINDS)}")
            return Source()
        cite_as = w.text(fields.get("cite_as"), "source.cite_as")
        if kind != "paper" and not cite_as.strip():
            w.problem(node, "E-KEY-MISSING", "source.cite_as", f"a {kind} case needs `cite_as`: how the debrief "
                                                               "introduces each `ref:`, e.g. `cite_as: Early Help review`")
        return Source(kind, cite_as.strip())

    def _needs_format_2(self, node: Node | None, key: str, what: str) -> bool:
        """True (and a located problem) when a format-1 file uses what only format 2 has."""
        if self.format >= 2:
            return False
        self.walker.problem(node, "E-FORMAT-2", key, f"{what} needs `format: 2` at the top of the file")
        return True

    def _read_variable(self, name: str, node: Node, key: str) -> Variable | None:
        """`trust: 0`, `ready: false`, or (format 2) `trust: {start: 0, min: 0, max: 5}` and
        `stance: {start: wait, values: [wait, act, withdraw]}`."""
        w = self.walker
        if not isinstance(node, MappingNode):
            if self.format >= 2 and isinstance(node, ScalarNode) and node.tag == _TAG + "str":
                w.problem(node, "E-TYPE", key, f"a text variable lists the values it may hold: "
                                               f"`{name}: {{start: {_clip(node.value, 20)}, values: [...]}}`")
                return None
            value = w.scalar(node, key)
            return None if value is None else Variable(name, value)
        if self._needs_format_2(node, key, "a variable declared with `start`, `min`, `max` or `values`"):
            return None
        fields = w.mapping(node, key, ("start",), _VARIABLE_OPTIONAL)
        if fields is None or "start" not in fields:
            return None
        if "values" in fields:
            return self._read_listed(name, fields, key)
        start = w.scalar(fields["start"], _join(key, "start"))
        low, high = (w.integer(fields.get(b), _join(key, b), -MAX_BOUND, MAX_BOUND) for b in ("min", "max"))
        if start is None:
            return None
        if isinstance(start, bool) and ("min" in fields or "max" in fields):
            w.problem(fields.get("min") or fields["max"], "E-VALUE", key, "`min` and `max` bound numbers, not true/false")
            return None
        if low is not None and high is not None and low > high:
            w.problem(fields["min"], "E-VALUE", _join(key, "min"), f"`min` ({low}) is above `max` ({high})")
            return None
        if not isinstance(start, bool) and not _within(start, low, high):
            w.problem(fields["start"], "E-VALUE", _join(key, "start"), f"the start value {start} is outside {bounds_words(low, high)}")
            return None
        return Variable(name, start, low, high)

    def _read_listed(self, name: str, fields: dict[str, Node], key: str) -> Variable | None:
        w = self.walker
        for bound in ("min", "max"):
            if bound in fields:
                w.problem(fields[bound], "E-VALUE", _join(key, bound), "a text variable has `values`, not `min` or `max`")
        items = w.sequence(fields["values"], _join(key, "values"))
        values: list[str] = []
        for index, item in enumerate(items):
            value = w.identifier(item, _join(key, f"values[{index}]"))
            if value in values:
                w.problem(item, "E-ID-DUPLICATE", _join(key, f"values[{index}]"), f"the value '{value}' is listed twice")
            elif value:
                values.append(value)
        if not values:
            if items:
                return None
            w.problem(fields["values"], "E-VALUE", _join(key, "values"), "list at least one value")
            return None
        start = w.text(fields["start"], _join(key, "start"))
        if start not in values:
            w.problem(fields["start"], "E-VALUE", _join(key, "start"), f"'{_clip(start)}' is not one of the values ({', '.join(values)})")
            return None
        return Variable(name, start, values=tuple(values))

    def _claim_id(self, node: Node | None, key: str, kind: str) -> str:
        node_id = self.walker.identifier(node, key)
        if node_id == END:
            self.walker.problem(node, "E-VALUE", key, f"'{END}' is reserved for `next: end`")
        elif node_id in self.node_ids:
            first_kind, line, path = self.node_ids[node_id]
            where = f" of {Path(path).name}" if path != self.walker.path else ""
            self.walker.problem(node, "E-ID-DUPLICATE", key, f"id '{node_id}' is already used by the {first_kind} at "
                                                           f"line {line}{where} (scenes and endings share one set of ids)")
            return ""
        self.node_ids[node_id] = (kind, _position(node)[0], self.walker.path)
        return node_id

    def _read_scene(self, node: Node, key: str) -> Scene | None:
        w = self.walker
        fields = w.mapping(node, key, ("id", "title", "text"), _SCENE_OPTIONAL, _MISPLACED_IN_SCENE)
        if fields is None:
            return None
        scene_id = self._claim_id(fields.get("id"), _join(key, "id"), "scene")
        notes, prompts = self._read_facilitator(fields.get("facilitator"), _join(key, "facilitator"))
        has_choices, has_next = "choices" in fields, "next" in fields
        if has_choices == has_next:
            w.problem(node, "E-SCENE-SHAPE", key, "a scene needs exactly one of `choices` or `next`")
        effects = self._read_passage_effects(fields, key, has_choices)
        if has_next:
            label = w.text(fields.get("continue_label"), _join(key, "continue_label"), "Continue")
            routes = self._read_next(fields["next"], _join(key, "next"))
            choices = (Choice(CONTINUE, label, routes, effects=effects, line=_position(fields["next"])[0],
                              column=_position(fields["next"])[1], file=self.file),)
        else:
            choices = self._read_choices(fields.get("choices"), key)
        order = self._read_word(fields.get("order"), _join(key, "order"), _ORDERS)
        return Scene(
            id=scene_id,
            title=w.text(fields.get("title"), _join(key, "title")),
            text=self._story_text(fields.get("text"), _join(key, "text")),
            choices=choices,
            place=w.text(fields.get("place"), _join(key, "place")),
            date=w.text(fields.get("date"), _join(key, "date")),
            facilitator_notes=notes,
            facilitator_prompts=prompts,
            is_passage=has_next and not has_choices,
            order_fixed=order == "fixed",
            line=_position(node)[0],
            column=_position(node)[1],
            file=self.file,
        )

    def _read_word(self, node: Node | None, key: str, allowed: tuple[str, ...]) -> str:
        """One of a fixed set of words (`order: fixed`, `outcome: strongest`)."""
        word = self.walker.text(node, key)
        if node is not None and word not in allowed:
            self.walker.problem(node, "E-VALUE", key, f"'{_clip(word)}' is not one of: {', '.join(allowed)}")
            return ""
        return word

    def _read_passage_effects(self, fields: dict[str, Node], key: str, has_choices: bool) -> tuple[Effect, ...]:
        """A passage's own `set` and `add`, applied as the learner continues (format 2)."""
        effects: tuple[Effect, ...] = ()
        for kind in ("set", "add"):
            if kind not in fields or self._needs_format_2(fields[kind], _join(key, kind), f"`{kind}` on a passage"):
                continue
            if has_choices:
                self.walker.problem(fields[kind], "E-VALUE", _join(key, kind),
                                    f"a scene-level `{kind}` belongs to a passage (a scene with `next`); "
                                    f"in a decision, put it on each choice")
                continue
            effects += self._read_assignments(fields[kind], _join(key, kind), kind)
        return effects

    def _read_facilitator(self, node: Node | None, key: str) -> tuple[str, tuple[str, ...]]:
        if node is None:
            return "", ()
        fields = self.walker.mapping(node, key, (), ("notes", "prompts"))
        if fields is None:
            return "", ()
        return self.walker.text(fields.get("notes"), _join(key, "notes")), self.walker.texts(fields.get("prompts"), _join(key, "prompts"))

    def _read_choices(self, node: Node | None, scene_key: str) -> tuple[Choice, ...]:
        if node is None:
            return ()
        key = _join(scene_key, "choices")
        choices: list[Choice] = []
        seen: dict[str, int] = {}
        items = self.walker.sequence(node, key)
        if not items:
            self.walker.problem(node, "E-VALUE", key, "a decision needs at least one choice")
        for index, item in enumerate(items):
            choice_key = _item_label(item, "choice", f"choices[{index}]", scene_key)
            choice = self._read_choice(item, choice_key)
            if choice is None:
                continue
            if choice.id in seen:
                self.walker.problem(_field(item, "id"), "E-ID-DUPLICATE", _join(choice_key, "id"),
                                    f"choice id '{choice.id}' is already used in this scene, at line {seen[choice.id]}")
                continue
            seen[choice.id] = choice.line
            choices.append(choice)
            if choice.real and any(c.real for c in choices[:-1]):
                first = next(c for c in choices if c.real)
                self.walker.problem(_field(item, "real"), "E-REAL-TWICE", _join(choice_key, "real"),
                                    f"only one option per decision can be the real leaders' choice ('{first.id}' already is)")
        return tuple(choices)

    def _read_choice(self, node: Node, key: str) -> Choice | None:
        w = self.walker
        fields = w.mapping(node, key, ("id", "label", "next"), _CHOICE_OPTIONAL, _MISPLACED_IN_CHOICE)
        if fields is None:
            return None
        effects = self._read_scores(fields.get("scores"), _join(key, "scores"))
        effects += self._read_assignments(fields.get("set"), _join(key, "set"), "set")
        effects += self._read_assignments(fields.get("add"), _join(key, "add"), "add")
        rationale = w.text(fields.get("rationale"), _join(key, "rationale"))
        ref = w.text(fields.get("ref"), _join(key, "ref"))
        if any(e.kind == "score" for e in effects):
            for name, value in (("rationale", rationale), ("ref", ref)):
                if not value and name not in fields:
                    w.problem(node, "E-KEY-MISSING", _join(key, name), f"a scored choice needs '{name}'")
        return Choice(
            id=w.identifier(fields.get("id"), _join(key, "id")),
            label=w.text(fields.get("label"), _join(key, "label")),
            routes=self._read_next(fields["next"], _join(key, "next")) if "next" in fields else (),
            condition=self._condition(fields.get("if"), _join(key, "if")),
            effects=effects,
            consequence=self._story_text(fields.get("consequence"), _join(key, "consequence")),
            rationale=rationale,
            ref=ref,
            real=w.text(fields.get("real"), _join(key, "real")),
            line=_position(node)[0],
            column=_position(node)[1],
            file=self.file,
        )

    def _condition(self, node: Node | None, key: str) -> Expression | None:
        expression = self.walker.condition(node, key)
        if expression is not None:
            self.conditions.append((expression, _position(node), key, self.walker))
        return expression

    def _story_text(self, node: Node | None, key: str) -> str:
        """Scene text, a consequence or an ending's text: in format 2 a Template when it holds
        placeholders, with any problem placed inside the text block."""
        text = self.walker.text(node, key)
        if node is None or "{" not in text and "}" not in text and "\\" not in text:
            return text
        locate = _locator(self.walker.source, node, text)
        if self.format < 2:
            self._placeholders_in_format_1(text, locate, node, key)
            return text
        try:
            template = templates.parse(text, locate)
        except templates.TemplateError as error:
            code = "E-EXPR" if error.expression else "E-TEXT-SYNTAX"
            self.walker.problem_at(locate(error.offset), code, key, str(error))
            return text
        if isinstance(template, templates.Template):
            self.templates.append((template, key, self.walker))
            for conditional in template.conditionals:
                line, column = conditional.at
                self.conditions.append((conditional.condition, (line, column + 1), key, self.walker))
        return template

    def _placeholders_in_format_1(self, text: str, locate, node: Node, key: str) -> None:
        first = meant_as_placeholders(text, self.state, locate)
        if first is not None:
            self.walker.problem_at(first, "E-FORMAT-2", key, "conditional text needs `format: 2` at the top of the file")

    def _read_scores(self, node: Node | None, key: str) -> tuple[Effect, ...]:
        if node is None:
            return ()
        fields = self.walker.mapping(node, key, (), tuple(self.catalogue)) if self.catalogue else None
        if fields is None:
            if not self.catalogue:
                self.walker.problem(node, "E-REF-CONSTRUCT", key, "no construct catalogue is available")
            return ()
        effects = []
        for name, value_node in fields.items():
            delta = self.walker.integer(value_node, _join(key, name), *SCORE_RANGE)
            if delta is not None:
                effects.append(Effect("score", name, delta))
        return tuple(effects)

    def _read_assignments(self, node: Node | None, key: str, kind: str) -> tuple[Effect, ...]:
        if node is None:
            return ()
        fields = self.walker.mapping(node, key, (), tuple(self.state))
        if fields is None:
            return ()
        effects = []
        for name, value_node in fields.items():
            variable = self.variables[name]
            value = self._assigned_value(variable, value_node, _join(key, name), kind)
            if value is not None:
                effects.append(Effect(kind, name, value, variable.low, variable.high))
        return tuple(effects)

    def _assigned_value(self, variable: Variable, node: Node, key: str, kind: str) -> Value | None:
        w = self.walker
        if kind == "add" and variable.kind != "int":
            w.problem(node, "E-VALUE", key, "`add` works on whole-number variables only")
            return None
        if variable.kind == "text":
            value = w.text(node, key)
            if value not in variable.values:
                w.problem(node, "E-VALUE", key, f"'{_clip(value)}' is not one of the values of '{variable.name}' "
                                                f"({', '.join(variable.values)})")
                return None
            return value
        value = w.scalar(node, key, "true or false" if variable.kind == "bool" and kind == "set" else "a whole number")
        if value is None:
            return None
        if kind == "add" and isinstance(value, bool):
            w.problem(node, "E-VALUE", key, "`add` adds a whole number, not true/false (use `set` for true/false)")
        elif kind == "set" and isinstance(variable.start, bool) != isinstance(value, bool):
            wanted = "true/false" if isinstance(variable.start, bool) else "a whole number"
            w.problem(node, "E-VALUE", key, f"'{variable.name}' holds {wanted}")
        elif kind == "set" and not isinstance(value, bool) and not _within(value, variable.low, variable.high):
            w.problem(node, "E-VALUE", key, f"'{variable.name}' is kept {bounds_words(variable.low, variable.high)}")
        else:
            return value
        return None

    def _read_next(self, node: Node, key: str) -> tuple[Route, ...]:
        if isinstance(node, ScalarNode):
            return (self._route_target(node, key),)
        routes: list[Route] = []
        last_is_conditional = False
        items = self.walker.sequence(node, key)
        for index, item in enumerate(items):
            route_key = _join(key, f"route {index + 1}")
            fields = self.walker.mapping(item, route_key, ("to",), _ROUTE_OPTIONAL)
            if fields is None or "to" not in fields:
                continue
            target = self._route_target(fields["to"], _join(route_key, "to"))
            chance = self.walker.integer(fields.get("chance"), _join(route_key, "chance"), 1, 99)
            effects: tuple[Effect, ...] = ()
            for kind in ("set", "add"):
                if kind in fields and not self._needs_format_2(fields[kind], _join(route_key, kind), f"`{kind}` on a route"):
                    effects += self._read_assignments(fields[kind], _join(route_key, kind), kind)
            routes.append(Route(target.to, self._condition(fields.get("if"), _join(route_key, "if")), chance, effects))
            last_is_conditional = "if" in fields or "chance" in fields
        if not items:
            self.walker.problem(node, "E-VALUE", key, "`next` needs at least one route")
        elif last_is_conditional:
            self.walker.problem(items[-1], "E-ROUTE-FALLBACK", key, "the last route has a condition, so no route may match")
        return tuple(routes)

    def _route_target(self, node: Node, key: str) -> Route:
        target = self.walker.identifier(node, key)
        if target == END:
            self.uses_end = self.uses_end or (node, self.walker)
        elif target:
            self.targets.append((target, node, key, self.walker))
        return Route(target)

    def _read_ending(self, node: Node, key: str) -> Ending | None:
        w = self.walker
        fields = w.mapping(node, key, ("id", "title", "text", "what_really_happened"), _ENDING_OPTIONAL, _MISPLACED_IN_ENDING)
        if fields is None:
            return None
        return Ending(
            id=self._claim_id(fields.get("id"), _join(key, "id"), "ending"),
            title=w.text(fields.get("title"), _join(key, "title")),
            text=self._story_text(fields.get("text"), _join(key, "text")),
            what_really_happened=w.text(fields.get("what_really_happened"), _join(key, "what_really_happened")),
            ref=w.text(fields.get("ref"), _join(key, "ref")),
            condition=self._condition(fields.get("if"), _join(key, "if")),
            outcome=self._read_word(fields.get("outcome"), _join(key, "outcome"), OUTCOMES),
            real=w.text(fields.get("real"), _join(key, "real")),
            line=_position(node)[0],
            column=_position(node)[1],
            file=self.file,
        )

    def _check_references(self, scenes: dict[str, Scene], endings: dict[str, Ending]) -> None:
        for target, node, key, w in self.targets:
            if target not in scenes and target not in endings:
                w.problem(node, "E-REF-SCENE", key, f"'{_clip(target)}' is not a scene or ending id")
        kinds = {name: variable.values or variable.kind for name, variable in self.variables.items()}
        for expression, where, key, w in self.conditions:
            missing = sorted(expression.names - set(self.state))
            for name in missing:
                w.problem_at(where, "E-REF-VAR", key, f"'{_clip(name)}' is not declared under `state`")
            for message in () if missing else expressions.type_problems(expression, kinds):
                w.problem_at(where, "E-EXPR-TYPE", key, message)
        for template, key, w in self.templates:
            self._check_interpolations(template.parts, key, w)
        if self.uses_end is not None and endings:
            last = list(endings.values())[-1]
            if last.condition is not None:
                node, w = self.uses_end
                w.problem(node, "E-END-FALLBACK", "next", "`end` is used but every ending has a condition")


    def _check_interpolations(self, parts: tuple, key: str, walker: _Walker) -> None:
        for part in parts:
            if isinstance(part, templates.Interpolation):
                variable = self.variables.get(part.name)
                if variable is None:
                    walker.problem_at(part.at, "E-REF-VAR", key, f"'{_clip(part.name)}' is not declared under `state`")
                elif variable.kind == "bool":
                    walker.problem_at(part.at, "E-TEXT-SYNTAX", key, f"'{part.name}' holds true/false, which reads badly as "
                                      f"text: write `{{{part.name}: shown when true|shown when false}}`")
            elif isinstance(part, templates.Conditional):
                self._check_interpolations(part.then, key, walker)
                self._check_interpolations(part.otherwise or (), key, walker)


def meant_as_placeholders(text: str, declared, locate=None) -> tuple[int, int] | None:
    """In format 1 braces are plain characters, but text that reads as conditional text over the
    declared variables was surely meant as such: where its first placeholder is, else None."""
    try:
        template = templates.parse(text, locate)
    except templates.TemplateError:
        return None
    if not templates.has_placeholders(template) or not template.names <= set(declared):
        return None
    return next(part.at for part in template.parts if not isinstance(part, str))


def _within(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _locator(source: str, node: ScalarNode, content: str) -> Callable[[int], tuple[int, int]]:
    """A function from an offset in a scalar's value to its (line, column) in the file. Exact for
    literal blocks (`|`, how scenario text is usually written); for other styles the value is
    lined up with the source, skipping what YAML itself consumed (quotes, escapes, folding)."""
    start, end = node.start_mark, node.end_mark
    if not source or start is None:
        return lambda offset: _position(node)
    if node.style == "|":
        header_end = source.find("\n", start.index)
        indent = _block_indent(source, header_end + 1)
        first_line = start.line + 2

        def in_block(offset: int) -> tuple[int, int]:
            line_start = content.rfind("\n", 0, offset) + 1
            return first_line + content.count("\n", 0, offset), indent + offset - line_start + 1

        return in_block
    raw_start = start.index + (1 if node.style in ("'", '"') else 0)
    if node.style == ">":
        raw_start = source.find("\n", start.index) + 1

    def aligned(offset: int) -> tuple[int, int]:
        index = _align(content, source, raw_start, end.index, offset)
        return start.line + 1 + source.count("\n", start.index, index), index - (source.rfind("\n", 0, index) + 1) + 1

    return aligned


def _block_indent(source: str, position: int) -> int:
    """The indentation of a block scalar's first line with text on it."""
    while True:
        line_end = source.find("\n", position)
        line = source[position: line_end if line_end != -1 else len(source)]
        if line.strip() or line_end == -1:
            return len(line) - len(line.lstrip(" "))
        position = line_end + 1


def _included_path(home: Path, name: str) -> Path | None:
    """An included file's path, or None when it would leave the scenario's folder."""
    if not name or Path(name).is_absolute():
        return None
    try:
        path = (home / name).resolve()
        path.relative_to(home.resolve())
    except (OSError, ValueError):
        return None
    return path


def _align(content: str, source: str, index: int, limit: int, offset: int) -> int:
    """The index in `source` of `content[offset]`, matching the value's characters in order and
    skipping source characters YAML consumed; whitespace may have come from a folded line."""
    for char in content[:offset]:
        if char in " \n":
            if index < limit and source[index] in " \n\t":
                index += 1
            continue
        found = source.find(char, index, limit)
        index = found + 1 if found != -1 else index
    target = content[offset] if offset < len(content) else ""
    if target and target not in " \n":
        found = source.find(target, index, limit)
        index = found if found != -1 else index
    return min(index, max(limit - 1, 0))


def load_scenario(path: str | Path, catalogue: dict[str, Construct] | None = None) -> Scenario:
    """Load and validate one scenario file; raise ScenarioError listing every problem."""
    path = Path(path)
    walker = _Walker(str(path))
    reader = _ScenarioReader(walker, catalogue or {})
    scenario = None
    data = b""
    try:
        with collector_paused():
            node, data = read_document(path, walker)
            if node is not None:
                scenario = reader.read(node)
    except _TooManyProblems:
        pass
    if walker.problems or scenario is None:
        raise ScenarioError(walker.problems)
    digest = hashlib.sha256(data)
    for _, included in reader.included:  # an edit to any of its files is an edit to the scenario
        digest.update(included)
    return replace(scenario, path=str(path), content_hash=digest.hexdigest())
