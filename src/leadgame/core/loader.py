"""YAML scenario files -> model objects, with every problem located by file:line:column.

Files are untrusted. They are composed (never constructed) by PyYAML's safe C loader when
present, so no tag can build a Python object; any tag outside plain YAML is refused. The node
tree is then walked against the format, collecting every problem rather than stopping at the
first, and cross-references (scene, ending, construct and variable ids) are checked last.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import re
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from leadgame.core import expressions
from leadgame.core.model import (
    CONTINUE,
    END,
    OUTCOMES,
    Choice,
    Construct,
    Effect,
    Ending,
    Expression,
    Route,
    Scenario,
    Scene,
    frozen_map,
)
from leadgame.core.problems import Problem, ScenarioError
from leadgame.core.text import CONTROL

FORMAT_VERSION = 1
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_TEXT_CHARS = 20_000
MAX_ITEMS = 200_000
MAX_PROBLEMS = 500
MAX_DEPTH = 64
SCORE_RANGE = (-3, 3)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Constructor = yaml.constructor.SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + t for t in ("str", "int", "bool", "null", "float", "map", "seq")}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_BRACKETS = re.compile(r"[\[\]{}]")
_CONTROL = CONTROL


class _TooManyProblems(Exception):
    pass


class _Walker:
    """Reads typed values out of YAML nodes, recording a located problem for each misfit."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, node: Node | None, code: str, key: str, message: str) -> None:
        line, column = _position(node)
        self.problems.append(Problem(self.path, line, column, code, key, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooManyProblems

    def _tag_ok(self, node: Node, key: str) -> bool:
        if node.tag in _ALLOWED_TAGS:
            return True
        self.problem(node, "E-YAML-TAG", key, f"tag '{_clip(node.tag)}' is not allowed")
        return False

    def mapping(self, node: Node, key: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Node] | None:
        if node is not None and not self._tag_ok(node, key):
            return None
        if not isinstance(node, MappingNode):
            self.problem(node, "E-TYPE", key, f"expected a mapping of keys, found {_kind(node)}")
            return None
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(name, str) or key_node.tag not in (_TAG + "str", _TAG + "int"):
                self.problem(key_node, "E-TYPE", key, "keys must be plain names")
            elif name in found:
                self.problem(key_node, "E-YAML-DUPKEY", _join(key, name), f"key '{_clip(name)}' appears twice")
            elif name not in required and name not in optional:
                close = difflib.get_close_matches(name, (*required, *optional), n=1)
                guess = f"; did you mean '{close[0]}'?" if close else ""
                self.problem(key_node, "E-KEY-UNKNOWN", _join(key, name), f"unknown key '{_clip(name)}'{guess}")
            else:
                found[name] = value_node
        for name in required:
            if name not in found:
                self.problem(node, "E-KEY-MISSING", _join(key, name), f"missing required key '{name}'")
        return found

    def sequence(self, node: Node, key: str) -> list[Node]:
        if node is not None and not self._tag_ok(node, key):
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, "E-TYPE", key, f"expected a list, found {_kind(node)}")
            return []
        if len(node.value) > MAX_ITEMS:
            self.problem(node, "E-LIMIT", key, f"more than {MAX_ITEMS} items")
            return []
        return list(node.value)

    def text(self, node: Node | None, key: str, default: str | None = None) -> str:
        if node is None:
            return default or ""
        if not self._tag_ok(node, key):
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

    def scalar(self, node: Node, key: str) -> int | bool | None:
        """A whole number or a boolean."""
        if not self._tag_ok(node, key):
            return None
        if isinstance(node, ScalarNode) and node.tag == _TAG + "bool":
            return _Constructor.construct_yaml_bool(node)
        if isinstance(node, ScalarNode) and node.tag == _TAG + "int":
            if len(node.value) > 12:
                self.problem(node, "E-VALUE", key, "number too large")
                return None
            try:
                return _Constructor.construct_yaml_int(node)
            except ValueError:
                self.problem(node, "E-VALUE", key, f"'{_clip(node.value)}' is not a whole number")
                return None
        self.problem(node, "E-TYPE", key, f"expected a whole number or true/false, found {_kind(node)}")
        return None

    def integer(self, node: Node | None, key: str, low: int, high: int) -> int | None:
        if node is None:
            return None
        value = self.scalar(node, key)
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
    return f"{parent}.{key}" if parent else key


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
        _yaml_problem(walker, error, "E-YAML-SYNTAX")
        return None, data
    except RecursionError:
        walker.problem(None, "E-YAML-DEPTH", "", "the file nests too deeply to read")
        return None, data
    finally:
        loader.dispose()
    if node is None:
        walker.problem(None, "E-EMPTY", "", "the file has no content")
    return node, data


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


def _yaml_problem(walker: _Walker, error: yaml.YAMLError, code: str) -> None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = getattr(error, "problem", None) or str(error).splitlines()[0]
    if code == "E-YAML-DOCS":
        message = "more than one YAML document in the file"
    walker.problems.append(Problem(walker.path, line, column, code, "", _clip(str(message), 120)))


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
        key = f"constructs[{index}]"
        fields = walker.mapping(item, key, ("id", "name", "definition", "sections"))
        if fields is None:
            continue
        construct_id = walker.identifier(fields.get("id"), f"{key}.id")
        if construct_id in catalogue:
            walker.problem(fields["id"], "E-ID-DUPLICATE", f"{key}.id", f"construct '{construct_id}' is defined twice")
        catalogue[construct_id] = Construct(
            construct_id,
            walker.text(fields.get("name"), f"{key}.name"),
            walker.text(fields.get("definition"), f"{key}.definition"),
            walker.texts(fields.get("sections"), f"{key}.sections"),
        )
    return catalogue


def _check_format(top: dict[str, Node], walker: _Walker) -> None:
    if "format" in top and walker.integer(top["format"], "format", 0, 10**6) not in (FORMAT_VERSION, None):
        walker.problem(top["format"], "E-FORMAT", "format", f"this leadgame reads format {FORMAT_VERSION}")


# --- scenarios ---------------------------------------------------------------------------------

_TOP_REQUIRED = (
    "format", "id", "title", "summary", "place", "years", "role", "minutes", "intro",
    "learning_objectives", "sources", "start", "scenes", "endings", "reflection",
)
_SCENE_OPTIONAL = ("place", "date", "facilitator", "choices", "next", "continue_label", "order")
_CHOICE_OPTIONAL = ("if", "scores", "set", "add", "consequence", "rationale", "ref", "real")
_ENDING_OPTIONAL = ("ref", "if", "outcome", "real")
_ORDERS = ("shuffled", "fixed")


class _ScenarioReader:
    """Builds a Scenario from a node tree; reference checks wait until every id is known."""

    def __init__(self, walker: _Walker, catalogue: dict[str, Construct]):
        self.walker = walker
        self.catalogue = catalogue
        self.state: dict[str, int | bool] = {}
        self.node_ids: set[str] = set()
        self.targets: list[tuple[str, Node, str]] = []  # (target id, node, key)
        self.conditions: list[tuple[Expression, Node, str]] = []
        self.uses_end: Node | None = None

    def read(self, node: Node) -> Scenario | None:
        w = self.walker
        top = w.mapping(node, "", _TOP_REQUIRED, ("state",))
        if top is None:
            return None
        _check_format(top, w)
        if "state" in top:
            self.state = self._read_state(top["state"])
        scenes = self._read_all(top, "scenes", self._read_scene)
        endings = self._read_all(top, "endings", self._read_ending)
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
        )

    def _read_all(self, top: dict[str, Node], key: str, read_one: Callable) -> dict:
        items: dict = {}
        if key not in top:
            return items
        nodes = self.walker.sequence(top[key], key)
        if not nodes:
            self.walker.problem(top[key], "E-VALUE", key, f"'{key}' needs at least one entry")
        for index, item in enumerate(nodes):
            built = read_one(item, f"{key}[{index}]")
            if built is not None and built.id:
                items[built.id] = built
        return items

    def _read_state(self, node: Node) -> dict[str, int | bool]:
        if not isinstance(node, MappingNode):
            self.walker.problem(node, "E-TYPE", "state", f"expected a mapping of variables, found {_kind(node)}")
            return {}
        state: dict[str, int | bool] = {}
        for key_node, value_node in node.value:
            name = self.walker.identifier(key_node, "state")
            if name in state:
                self.walker.problem(key_node, "E-YAML-DUPKEY", f"state.{name}", f"variable '{name}' declared twice")
            value = self.walker.scalar(value_node, f"state.{name}")
            if name and value is not None:
                state[name] = value
        return state

    def _claim_id(self, node: Node | None, key: str) -> str:
        node_id = self.walker.identifier(node, key)
        if node_id == END:
            self.walker.problem(node, "E-VALUE", key, f"'{END}' is reserved for `next: end`")
        elif node_id in self.node_ids:
            self.walker.problem(node, "E-ID-DUPLICATE", key, f"id '{node_id}' is used more than once")
            return ""
        self.node_ids.add(node_id)
        return node_id

    def _read_scene(self, node: Node, key: str) -> Scene | None:
        w = self.walker
        fields = w.mapping(node, key, ("id", "title", "text"), _SCENE_OPTIONAL)
        if fields is None:
            return None
        scene_id = self._claim_id(fields.get("id"), f"{key}.id")
        notes, prompts = self._read_facilitator(fields.get("facilitator"), f"{key}.facilitator")
        has_choices, has_next = "choices" in fields, "next" in fields
        if has_choices == has_next:
            w.problem(node, "E-SCENE-SHAPE", key, "a scene needs exactly one of `choices` or `next`")
        if has_next:
            label = w.text(fields.get("continue_label"), f"{key}.continue_label", "Continue")
            routes = self._read_next(fields["next"], f"{key}.next")
            choices = (Choice(CONTINUE, label, routes, line=_position(fields["next"])[0]),)
        else:
            choices = self._read_choices(fields.get("choices"), f"{key}.choices")
        order = self._read_word(fields.get("order"), f"{key}.order", _ORDERS)
        return Scene(
            id=scene_id,
            title=w.text(fields.get("title"), f"{key}.title"),
            text=w.text(fields.get("text"), f"{key}.text"),
            choices=choices,
            place=w.text(fields.get("place"), f"{key}.place"),
            date=w.text(fields.get("date"), f"{key}.date"),
            facilitator_notes=notes,
            facilitator_prompts=prompts,
            is_passage=has_next and not has_choices,
            order_fixed=order == "fixed",
            line=_position(node)[0],
        )

    def _read_word(self, node: Node | None, key: str, allowed: tuple[str, ...]) -> str:
        """One of a fixed set of words (`order: fixed`, `outcome: strongest`)."""
        word = self.walker.text(node, key)
        if node is not None and word not in allowed:
            self.walker.problem(node, "E-VALUE", key, f"'{_clip(word)}' is not one of: {', '.join(allowed)}")
            return ""
        return word

    def _read_facilitator(self, node: Node | None, key: str) -> tuple[str, tuple[str, ...]]:
        if node is None:
            return "", ()
        fields = self.walker.mapping(node, key, (), ("notes", "prompts"))
        if fields is None:
            return "", ()
        return self.walker.text(fields.get("notes"), f"{key}.notes"), self.walker.texts(fields.get("prompts"), f"{key}.prompts")

    def _read_choices(self, node: Node | None, key: str) -> tuple[Choice, ...]:
        if node is None:
            return ()
        choices: list[Choice] = []
        seen: set[str] = set()
        items = self.walker.sequence(node, key)
        if not items:
            self.walker.problem(node, "E-VALUE", key, "a decision needs at least one choice")
        for index, item in enumerate(items):
            choice = self._read_choice(item, f"{key}[{index}]")
            if choice is None:
                continue
            if choice.id in seen:
                self.walker.problem(item, "E-ID-DUPLICATE", f"{key}[{index}].id", f"choice id '{choice.id}' is used twice in this scene")
                continue
            seen.add(choice.id)
            choices.append(choice)
        real = [(choice, item) for choice, item in zip(choices, items) if choice.real]
        for _, item in real[1:]:
            self.walker.problem(item, "E-REAL-TWICE", key, f"only one option per decision can be the real leaders' choice ('{real[0][0].id}' already is)")
        return tuple(choices)

    def _read_choice(self, node: Node, key: str) -> Choice | None:
        w = self.walker
        fields = w.mapping(node, key, ("id", "label", "next"), _CHOICE_OPTIONAL)
        if fields is None:
            return None
        effects = self._read_scores(fields.get("scores"), f"{key}.scores")
        effects += self._read_assignments(fields.get("set"), f"{key}.set", "set")
        effects += self._read_assignments(fields.get("add"), f"{key}.add", "add")
        rationale = w.text(fields.get("rationale"), f"{key}.rationale")
        ref = w.text(fields.get("ref"), f"{key}.ref")
        if any(e.kind == "score" for e in effects):
            for name, value in (("rationale", rationale), ("ref", ref)):
                if not value and name not in fields:
                    w.problem(node, "E-KEY-MISSING", f"{key}.{name}", f"a scored choice needs '{name}'")
        return Choice(
            id=w.identifier(fields.get("id"), f"{key}.id"),
            label=w.text(fields.get("label"), f"{key}.label"),
            routes=self._read_next(fields["next"], f"{key}.next") if "next" in fields else (),
            condition=self._condition(fields.get("if"), f"{key}.if"),
            effects=effects,
            consequence=w.text(fields.get("consequence"), f"{key}.consequence"),
            rationale=rationale,
            ref=ref,
            real=w.text(fields.get("real"), f"{key}.real"),
            line=_position(node)[0],
        )

    def _condition(self, node: Node | None, key: str) -> Expression | None:
        expression = self.walker.condition(node, key)
        if expression is not None:
            self.conditions.append((expression, node, key))
        return expression

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
            delta = self.walker.integer(value_node, f"{key}.{name}", *SCORE_RANGE)
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
            value = self.walker.scalar(value_node, f"{key}.{name}")
            if value is None:
                continue
            declared = self.state[name]
            if kind == "add" and (isinstance(declared, bool) or isinstance(value, bool)):
                self.walker.problem(value_node, "E-VALUE", f"{key}.{name}", "`add` works on whole-number variables only")
            elif kind == "set" and isinstance(declared, bool) != isinstance(value, bool):
                wanted = "true/false" if isinstance(declared, bool) else "a whole number"
                self.walker.problem(value_node, "E-VALUE", f"{key}.{name}", f"'{name}' holds {wanted}")
            else:
                effects.append(Effect(kind, name, value))
        return tuple(effects)

    def _read_next(self, node: Node, key: str) -> tuple[Route, ...]:
        if isinstance(node, ScalarNode):
            return (self._route_target(node, key),)
        routes: list[Route] = []
        last_is_conditional = False
        items = self.walker.sequence(node, key)
        for index, item in enumerate(items):
            route_key = f"{key}[{index}]"
            fields = self.walker.mapping(item, route_key, ("to",), ("if", "chance"))
            if fields is None or "to" not in fields:
                continue
            target = self._route_target(fields["to"], f"{route_key}.to")
            chance = self.walker.integer(fields.get("chance"), f"{route_key}.chance", 1, 99)
            routes.append(Route(target.to, self._condition(fields.get("if"), f"{route_key}.if"), chance))
            last_is_conditional = "if" in fields or "chance" in fields
        if not items:
            self.walker.problem(node, "E-VALUE", key, "`next` needs at least one route")
        elif last_is_conditional:
            self.walker.problem(items[-1], "E-ROUTE-FALLBACK", key, "the last route has a condition, so no route may match")
        return tuple(routes)

    def _route_target(self, node: Node, key: str) -> Route:
        target = self.walker.identifier(node, key)
        if target == END:
            self.uses_end = self.uses_end or node
        elif target:
            self.targets.append((target, node, key))
        return Route(target)

    def _read_ending(self, node: Node, key: str) -> Ending | None:
        w = self.walker
        fields = w.mapping(node, key, ("id", "title", "text", "what_really_happened"), _ENDING_OPTIONAL)
        if fields is None:
            return None
        return Ending(
            id=self._claim_id(fields.get("id"), f"{key}.id"),
            title=w.text(fields.get("title"), f"{key}.title"),
            text=w.text(fields.get("text"), f"{key}.text"),
            what_really_happened=w.text(fields.get("what_really_happened"), f"{key}.what_really_happened"),
            ref=w.text(fields.get("ref"), f"{key}.ref"),
            condition=self._condition(fields.get("if"), f"{key}.if"),
            outcome=self._read_word(fields.get("outcome"), f"{key}.outcome", OUTCOMES),
            real=w.text(fields.get("real"), f"{key}.real"),
            line=_position(node)[0],
        )

    def _check_references(self, scenes: dict[str, Scene], endings: dict[str, Ending]) -> None:
        w = self.walker
        for target, node, key in self.targets:
            if target not in scenes and target not in endings:
                w.problem(node, "E-REF-SCENE", key, f"'{_clip(target)}' is not a scene or ending id")
        for expression, node, key in self.conditions:
            for name in sorted(expression.names - set(self.state)):
                w.problem(node, "E-REF-VAR", key, f"'{_clip(name)}' is not declared under `state`")
        if self.uses_end is not None and endings:
            last = list(endings.values())[-1]
            if last.condition is not None:
                w.problem(self.uses_end, "E-END-FALLBACK", "next", "`end` is used but every ending has a condition")


@contextmanager
def _collector_paused():
    """Composing creates a great many small objects and no garbage cycles worth chasing; the
    cyclic collector's passes over them made loading large files several times slower."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_scenario(path: str | Path, catalogue: dict[str, Construct] | None = None) -> Scenario:
    """Load and validate one scenario file; raise ScenarioError listing every problem."""
    path = Path(path)
    walker = _Walker(str(path))
    scenario = None
    data = b""
    try:
        with _collector_paused():
            node, data = read_document(path, walker)
            if node is not None:
                scenario = _ScenarioReader(walker, catalogue or {}).read(node)
    except _TooManyProblems:
        pass
    if walker.problems or scenario is None:
        raise ScenarioError(walker.problems)
    return replace(scenario, path=str(path), content_hash=hashlib.sha256(data).hexdigest())
