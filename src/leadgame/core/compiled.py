"""Compiled scenarios: a scenario, once loaded and validated, kept as plain JSON in the user's
cache folder, so the next `play`, app start or report reads that instead of parsing and
validating its YAML again.

An entry belongs to one scenario file, as named (an entry is never read for another file),
and records the content hashes of every file that went into it (the scenario, the files it
includes, the construct catalogue) and the leadgame that wrote it. It is used only when all of
these still match, so any edit is loaded afresh and its problems are reported as always.

An entry is untrusted, like any file on disk. It is read through the bounded JSON reader and
rebuilt into model objects with every value checked as it goes (types, ids, text free of
control characters, references between scenes, declared variables, value kinds and bounds); its
conditions and story text are parsed again from their source by the same parsers the loader
uses, and type-checked again. Nothing in it is unpickled or executed. An entry that fails any
check is ignored, and the scenario is loaded from its YAML and the entry written anew.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from leadgame import __version__
from leadgame.core import expressions, templates
from leadgame.core.model import (
    CONTINUE,
    END,
    ID,
    MAX_BOUND,
    MAX_FILE_BYTES,
    MAX_INCLUDES,
    MAX_TEXT_CHARS,
    OUTCOMES,
    SCENARIO_ID,
    SCORE_RANGE,
    SOURCE_KINDS,
    Choice,
    Construct,
    Effect,
    Ending,
    Expression,
    Route,
    Scenario,
    Scene,
    Source,
    Variable,
    frozen_map,
)
from leadgame.core.text import CONTROL

CACHE_FORMAT = 1
MAX_ENTRY_BYTES = 2 * MAX_FILE_BYTES
MAX_ENTRIES = 200  # entries kept; the least recently used go first
ENTRY_SUFFIX = ".json"
# The modules that decide what a compiled scenario is: an edit to any of them (in a checkout)
# makes every entry stale, as a new leadgame version does.
_COMPILER = ("model.py", "loader.py", "expressions.py", "templates.py", "compiled.py", "text.py")


class _Invalid(ValueError):
    """A cache entry that does not hold a valid compiled scenario."""


# --- loading ---------------------------------------------------------------------------------


def load(path: Path, catalogue: Path, cache: Path | None) -> Scenario:
    """The scenario at `path`, scored against the construct catalogue at `catalogue`: from its
    entry in the `cache` folder when nothing that went into it has changed, else loaded from
    its YAML (raising ScenarioError, as the loader does) and its entry written for next time."""
    path = Path(path)
    with collector_paused():
        key = _key(path, catalogue) if cache is not None else None
        if key is not None:
            scenario = _read(_entry_path(cache, path), path, key)
            if scenario is not None:
                return scenario
        from leadgame.core.loader import load_constructs, load_scenario  # only when there is YAML to read

        scenario = load_scenario(path, load_constructs(catalogue))
        if key is not None:
            _write(cache, _entry_path(cache, path), scenario, key)
        return scenario


@contextmanager
def collector_paused():
    """Loading makes a great many small objects and no garbage cycles worth chasing: the cyclic
    collector's passes over them made loading several times slower. What was built is frozen
    (kept out of every later collection) before the collector is back on, so turning it on does
    not walk it all either. (A freeze also keeps out whatever else lives at that moment: in the
    app, a watched file's reload may keep a closed screen's few objects to the end.)"""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def _key(path: Path, catalogue: Path) -> dict | None:
    """What an entry for `path` must have been made from (apart from the scenario's own files,
    whose hash the entry records): this leadgame, the file as named, this catalogue's content.
    None when any of it cannot be read (the loader then says why, if it matters)."""
    try:
        code = [f"{info.st_size}:{info.st_mtime_ns}" for info in (os.stat(Path(__file__).parent / name) for name in _COMPILER)]
        catalogue_hash = hashlib.sha256(_file(catalogue)).hexdigest()
    except (OSError, ValueError):
        return None
    return {"format": CACHE_FORMAT, "leadgame": __version__, "code": code, "path": str(path),
            "resolved": str(path.resolve()), "catalogue": catalogue_hash}


def _entry_path(cache: Path, path: Path) -> Path:
    name = hashlib.sha256(f"{path.resolve()}\0{path}".encode()).hexdigest()[:40]
    return Path(cache) / f"{name}{ENTRY_SUFFIX}"


def _file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes, read as the bounded reader reads (a link is followed to its file)."""
    from leadgame.core.saves import read_regular_file

    return read_regular_file(Path(path).resolve(), "scenario file", limit)


def _content_hash(path: Path, includes: list[str]) -> str:
    """The scenario's content hash as the loader makes it: its file, then each included file."""
    digest = hashlib.sha256(_file(path))
    total = 0
    for included in includes:
        data = _file(Path(included))
        total += len(data)
        if total > MAX_FILE_BYTES:
            raise _Invalid("the included files are larger than a scenario may be")
        digest.update(data)
    return digest.hexdigest()


def _read(entry: Path, path: Path, key: dict) -> Scenario | None:
    """The scenario in `entry`, or None when there is none, it is stale or it fails a check."""
    from leadgame.core.saves import read_json

    try:
        if not entry.is_file():
            return None
        data = read_json(entry, "compiled scenario", MAX_ENTRY_BYTES)
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        includes, content_hash = data.get("includes"), data.get("content_hash")
        if not (isinstance(includes, list) and len(includes) <= MAX_INCLUDES and all(type(i) is str for i in includes)):
            return None
        if _content_hash(path, includes) != content_hash:
            return None
        scenario = _Rebuilder().scenario(data.get("scenario"), str(path), content_hash, tuple(includes))
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None  # unreadable, refused by a check (a ValueError) or of a shape none expected: rebuilt
    try:
        os.utime(entry)  # recently used: pruning keeps it
    except OSError:
        pass
    return scenario


# --- writing ---------------------------------------------------------------------------------


def _write(cache: Path, entry: Path, scenario: Scenario, key: dict) -> None:
    """Keep `scenario` as the entry for its file; a cache that cannot be written is no cache."""
    from leadgame.core.saves import atomic_write, remove_temporaries

    data = {"key": key, "content_hash": scenario.content_hash, "includes": list(scenario.includes),
            "scenario": _encode(scenario)}
    try:
        Path(cache).mkdir(parents=True, exist_ok=True)
        remove_temporaries(entry)  # what a writer killed mid-write left
        atomic_write(entry, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        _prune(Path(cache))
    except OSError:
        pass


def _prune(cache: Path) -> None:
    entries = [path for path in cache.iterdir() if path.suffix == ENTRY_SUFFIX]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda path: path.stat().st_mtime)
    for path in entries[: len(entries) - MAX_ENTRIES]:
        path.unlink(missing_ok=True)


# The layout: each object a list of its fields in this order (a test holds these to the model).
# Effects are indices into the scenario's one table of distinct effects, each [kind, target,
# value] (a `set` or `add` takes its bounds from its variable's declaration); text is the text as
# written, or [source, [offset, line, column, ...]] when it has placeholders; a condition is its
# source, or null.
SCENE = ("id", "title", "text", "choices", "place", "date", "facilitator_notes", "facilitator_prompts", "is_passage",
         "order_fixed", "line", "column", "file")
CHOICE = ("id", "label", "routes", "condition", "effects", "consequence", "rationale", "ref", "real", "line", "column", "file")
ROUTE = ("to", "condition", "chance", "effects")
ENDING = ("id", "title", "text", "what_really_happened", "ref", "condition", "outcome", "real", "line", "column", "file")
VARIABLE = ("name", "start", "low", "high", "values", "line", "column")
CONSTRUCT = ("id", "name", "definition", "sections")
EFFECT = ("kind", "target", "value")  # and `low`, `high`: its variable's bounds
SOURCE = ("kind", "cite_as")
# A scenario's own fields in the entry; the rest are made on reading it: `initial_state` from the
# variables, `scored_constructs` from the choices, `path`, `content_hash` and `includes` from the key.
SCENARIO = ("id", "title", "summary", "place", "years", "role", "minutes", "intro", "learning_objectives", "sources",
            "reflection", "start", "scenes", "endings", "constructs", "format", "variables", "source")


def _encode(scenario: Scenario) -> dict:
    effects: dict[Effect, int] = {}
    data = {
        "id": scenario.id, "title": scenario.title, "summary": scenario.summary, "place": scenario.place,
        "years": scenario.years, "role": scenario.role, "minutes": scenario.minutes, "intro": scenario.intro,
        "learning_objectives": list(scenario.learning_objectives), "sources": list(scenario.sources),
        "reflection": list(scenario.reflection), "start": scenario.start, "format": scenario.format,
        "source": [scenario.source.kind, scenario.source.cite_as],
        "variables": [[v.name, v.start, v.low, v.high, list(v.values), v.line, v.column] for v in scenario.variables.values()],
        "constructs": [[c.id, c.name, c.definition, list(c.sections)] for c in scenario.constructs.values()],
        "scenes": [_encode_scene(scene, effects) for scene in scenario.scenes.values()],
        "endings": [[e.id, e.title, _encode_text(e.text), e.what_really_happened, e.ref, _source(e.condition), e.outcome,
                     e.real, e.line, e.column, e.file] for e in scenario.endings.values()],
    }
    data["effects"] = [[e.kind, e.target, e.value] for e in effects]
    return data


def _encode_scene(scene: Scene, table: dict[Effect, int]) -> list:
    def indices(effects: tuple[Effect, ...]) -> list[int]:
        return [table.setdefault(effect, len(table)) for effect in effects]

    choices = [[c.id, c.label, [[r.to, _source(r.condition), r.chance, indices(r.effects)] for r in c.routes],
                _source(c.condition), indices(c.effects), _encode_text(c.consequence), c.rationale, c.ref, c.real,
                c.line, c.column, c.file] for c in scene.choices]
    return [scene.id, scene.title, _encode_text(scene.text), choices, scene.place, scene.date, scene.facilitator_notes,
            list(scene.facilitator_prompts), scene.is_passage, scene.order_fixed, scene.line, scene.column, scene.file]


def _source(condition: Expression | None) -> str | None:
    return condition.source if condition is not None else None


def _encode_text(text: str) -> str | list:
    """Text as written; for text with placeholders, also where each placeholder's parts are in
    the file, keyed by their offset in the text (what the checker's findings point at)."""
    if not isinstance(text, templates.Template):
        return text
    places: list[int] = []
    for where, offset in zip(_positions(text.parts), _positions(templates.parse(str(text)).parts)):
        places += [offset[1] - 1, *where]  # parsed without a file, a position is (1, offset + 1)
    return [str(text), places]


def _positions(parts: tuple) -> list[tuple[int, int]]:
    found = []
    for part in parts:
        if isinstance(part, templates.Interpolation):
            found.append(part.at)
        elif isinstance(part, templates.Conditional):
            found += [part.at, part.then_at, part.otherwise_at, *_positions(part.then), *_positions(part.otherwise or ())]
    return found


# --- rebuilding, with every value checked ------------------------------------------------------


class _Rebuilder:
    """Model objects from an entry's plain data; raises _Invalid at a value that a valid scenario
    could not hold. The texts, ids and places of scenes, choices and endings are gathered as
    they are read and checked together at the end, before any object is handed out."""

    def __init__(self):
        self.kinds: dict[str, expressions.Kind] = {}
        self.variables: dict[str, Variable] = {}
        self.constructs: dict[str, Construct] = {}
        self.effect_table: list[Effect] = []
        self.format = 2
        self.checked: set[str] = set()  # conditions already checked against the variables
        self.targets: set[str] = set()
        self.uses_end = False
        self.scored: set[str] = set()
        self.texts: list = []  # to be text a scenario may hold
        self.ids: list = []  # to be ids
        self.places: list = []  # to be lines and columns

    def scenario(self, data: object, path: str, content_hash: str, includes: tuple[str, ...]) -> Scenario:
        data = _mapping(data)
        self.format = _one_of(data["format"], (1, 2))
        self.variables = {v.name: v for v in map(self.variable, _list(data["variables"]))}
        self.kinds = {name: variable.values or variable.kind for name, variable in self.variables.items()}
        self.constructs = {c.id: c for c in map(self.construct, _list(data["constructs"]))}
        self.effect_table = [self.effect(item) for item in _list(data["effects"])]
        scenes = self.unique(map(self.scene, _list(data["scenes"])))
        endings = self.unique(map(self.ending, _list(data["endings"])))
        self.check_gathered()
        if not scenes or not endings or scenes.keys() & endings.keys() or END in scenes.keys() | endings.keys():
            raise _Invalid("scenes and endings must be there, share no id and leave `end` to routes")
        start = _identifier(data["start"])
        if start not in scenes or not self.targets <= scenes.keys() | endings.keys():
            raise _Invalid("a route or the start leads nowhere")
        if self.uses_end and list(endings.values())[-1].condition is not None:
            raise _Invalid("`end` is used but the last ending has a condition")
        scored = sorted(self.scored)
        if scored != sorted(self.constructs):
            raise _Invalid("the constructs kept are not the constructs scored")
        kind, cite_as = _list(data["source"], len(SOURCE))
        if _one_of(kind, SOURCE_KINDS) != "paper" and not _text(cite_as).strip():
            raise _Invalid("a case not from the paper needs `cite_as`")
        return Scenario(
            id=_identifier(data["id"], SCENARIO_ID),
            title=_text(data["title"]), summary=_text(data["summary"]), place=_text(data["place"]),
            years=_text(data["years"]), role=_text(data["role"]), minutes=_integer(data["minutes"], 1, 600),
            intro=_text(data["intro"]), learning_objectives=_texts(data["learning_objectives"]),
            sources=_texts(data["sources"]), reflection=_texts(data["reflection"]),
            initial_state=frozen_map({name: variable.start for name, variable in self.variables.items()}),
            start=start, scenes=frozen_map(scenes), endings=frozen_map(endings),
            constructs=frozen_map({c: self.constructs[c] for c in scored}), path=path, content_hash=content_hash,
            scored_constructs=tuple(scored), format=self.format, variables=frozen_map(self.variables),
            source=Source(kind, _text(cite_as)), includes=includes,
        )

    def check_gathered(self) -> None:
        _plain(*self.texts)
        if not all(map(ID.match, self.ids)):  # a value that is not text raises TypeError: invalid too
            raise _Invalid("expected an id")
        if self.places and ({type(place) for place in self.places} != {int} or min(self.places) < 0):
            raise _Invalid("expected lines and columns")

    @staticmethod
    def unique(items) -> dict:
        found = {}
        for item in items:
            if item.id in found:
                raise _Invalid(f"'{item.id}' twice")
            found[item.id] = item
        return found

    def variable(self, data: object) -> Variable:
        name, start, low, high, values, line, column = _list(data, len(VARIABLE))
        name, values = _identifier(name), tuple(_identifier(v) for v in _list(values))
        low, high = (None if b is None else _integer(b, -MAX_BOUND, MAX_BOUND) for b in (low, high))
        if values:
            if low is not None or high is not None or start not in values or len(set(values)) != len(values):
                raise _Invalid(f"listed variable '{name}'")
        elif type(start) is bool:
            if low is not None or high is not None:
                raise _Invalid(f"true/false variable '{name}' with bounds")
        elif type(start) is not int or not _within(start, low, high) or (low is not None and high is not None and low > high):
            raise _Invalid(f"number variable '{name}'")
        self.places += (line, column)
        return Variable(name, start, low, high, values, line, column)

    def construct(self, data: object) -> Construct:
        construct_id, name, definition, sections = _list(data, len(CONSTRUCT))
        self.texts += (name, definition)
        return Construct(_identifier(construct_id), name, definition, _texts(sections))

    def effect(self, data: object) -> Effect:
        kind, target, value = _list(data, len(EFFECT))
        if kind == "score":
            if target not in self.constructs or type(value) is not int or not SCORE_RANGE[0] <= value <= SCORE_RANGE[1]:
                raise _Invalid(f"score of '{target}'")
            return Effect("score", target, value)
        variable = self.variables.get(target) if type(target) is str else None
        if kind not in ("set", "add") or variable is None or not _fits(variable, kind, value):
            raise _Invalid(f"{kind} of '{target}'")
        return Effect(kind, target, value, variable.low, variable.high)

    def effects(self, indices: object, scores: bool = True) -> tuple[Effect, ...]:
        if not indices:
            return ()
        table = self.effect_table
        if type(indices) is not list or not all(type(i) is int and 0 <= i < len(table) for i in indices):
            raise _Invalid("effects that are not in the table")
        effects = tuple(table[i] for i in indices)
        for effect in effects:
            if effect.kind == "score":
                if not scores:
                    raise _Invalid("a route that scores")
                self.scored.add(effect.target)
        return effects

    def scene(self, data: object) -> Scene:
        if type(data) is not list or len(data) != len(SCENE):
            raise _Invalid("a scene")
        (scene_id, title, text, choices, place, date, notes, prompts, is_passage, order_fixed, line, column, file) = data
        choices = tuple(map(self.choice, _list(choices)))
        if not choices or len({c.id for c in choices}) != len(choices) or sum(1 for c in choices if c.real) > 1:
            raise _Invalid("a scene needs choices with ids of their own, at most one the real leaders'")
        if type(is_passage) is not bool or (is_passage and (len(choices) != 1 or choices[0].id != CONTINUE)):
            raise _Invalid("a passage offers one way on")
        if type(order_fixed) is not bool:
            raise _Invalid("a scene's order")
        self.texts += (title, place, date, notes, file, *_list(prompts))
        self.ids.append(scene_id)
        self.places += (line, column)
        return Scene(scene_id, title, self.story_text(text), choices, place, date, notes, tuple(prompts), is_passage,
                     order_fixed, line, column, file)

    def choice(self, data: object) -> Choice:
        if type(data) is not list or len(data) != len(CHOICE):
            raise _Invalid("a choice")
        (choice_id, label, routes, condition, effects, consequence, rationale, ref, real, line, column, file) = data
        routes = tuple(map(self.route, _list(routes)))
        if not routes or routes[-1].condition is not None or routes[-1].chance is not None:
            raise _Invalid("a choice needs routes, the last one unconditional")
        self.texts += (label, rationale, ref, real, file)
        self.ids.append(choice_id)
        self.places += (line, column)
        return Choice(choice_id, label, routes, self.condition(condition) if condition is not None else None,
                      self.effects(effects), self.story_text(consequence), rationale, ref, real, line, column, file)

    def route(self, data: object) -> Route:
        if type(data) is not list or len(data) != len(ROUTE):
            raise _Invalid("a route")
        to, condition, chance, effects = data
        if to == END:
            self.uses_end = True
        else:
            self.targets.add(to)  # each one a scene or ending id, checked when all are known
        if chance is not None:
            _integer(chance, 1, 99)
        return Route(to, self.condition(condition) if condition is not None else None, chance,
                     self.effects(effects, scores=False))

    def ending(self, data: object) -> Ending:
        ending_id, title, text, what_really_happened, ref, condition, outcome, real, line, column, file = _list(data, len(ENDING))
        if outcome:
            _one_of(outcome, OUTCOMES)
        self.texts += (title, what_really_happened, ref, outcome, real, file)
        self.ids.append(ending_id)
        self.places += (line, column)
        return Ending(ending_id, title, self.story_text(text), what_really_happened, ref,
                      self.condition(condition), outcome, real, line, column, file)

    def condition(self, source: object) -> Expression | None:
        if source is None:
            return None
        expression = expressions.parse(_text(source))  # parsed once per distinct source
        if source not in self.checked:
            self.check_condition(expression)
            self.checked.add(source)
        return expression

    def check_condition(self, expression: Expression) -> None:
        if not expression.names <= self.variables.keys() or expressions.type_problems(expression, self.kinds):
            raise _Invalid(f"condition `{expression.source}`")

    def story_text(self, data: object) -> str:
        if type(data) is str:
            self.texts.append(data)
            return data
        source, places = _list(data, 2)
        places = _list(places)
        if self.format < 2 or len(places) % 3:
            raise _Invalid("text with placeholders in a format-1 file")
        table = {places[i]: _places(places[i + 1], places[i + 2]) for i in range(0, len(places), 3)}
        template = templates.parse(_text(source), _lookup(table))
        if not isinstance(template, templates.Template) or not template.names <= self.variables.keys():
            raise _Invalid("text with placeholders")
        for conditional in template.conditionals:
            self.condition(conditional.condition.source)
        return template


def _lookup(table: dict[int, tuple[int, int]]) -> Callable[[int], tuple[int, int]]:
    def locate(offset: int) -> tuple[int, int]:
        if offset not in table:
            raise _Invalid("a placeholder the entry does not place")
        return table[offset]

    return locate


def _fits(variable: Variable, kind: str, value: object) -> bool:
    """Whether a `set` or `add` of `value` is one the loader would accept for `variable`."""
    if kind == "add":
        return variable.kind == "int" and type(value) is int and abs(value) <= 10**12
    if variable.kind == "text":
        return value in variable.values
    if variable.kind == "bool":
        return type(value) is bool
    return type(value) is int and _within(value, variable.low, variable.high)


def _within(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _mapping(data: object) -> dict:
    if type(data) is not dict:
        raise _Invalid("expected a mapping")
    return data


def _list(data: object, length: int | None = None) -> list:
    if type(data) is not list or (length is not None and len(data) != length):
        raise _Invalid("expected a list" + (f" of {length}" if length else ""))
    return data


def _plain(*values: object) -> None:
    """Raise unless every value is text a scenario may hold: within the length limit, and free of
    the control characters that could reach a terminal."""
    for value in values:
        if type(value) is not str or len(value) > MAX_TEXT_CHARS:
            raise _Invalid("expected text")
    if CONTROL.search("".join(values)):
        raise _Invalid("text with a control character")


def _text(value: object) -> str:
    _plain(value)
    return value


def _texts(value: object) -> tuple[str, ...]:
    values = tuple(_list(value))
    _plain(*values)
    return values


def _identifier(value: object, pattern=ID) -> str:
    if type(value) is not str or not pattern.match(value):
        raise _Invalid("expected an id")
    return value


def _integer(value: object, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise _Invalid(f"expected a whole number from {low} to {high}")
    return value


def _places(line: object, column: object) -> tuple[int, int]:
    """A (line, column) place in a file."""
    if type(line) is not int or type(column) is not int or line < 0 or column < 0:
        raise _Invalid("expected a line and column")
    return line, column


def _one_of(value: object, allowed: tuple) -> object:
    if value not in allowed or type(value) is bool:
        raise _Invalid(f"expected one of {allowed}")
    return value
