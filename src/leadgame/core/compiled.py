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

from leadgame import __version__
from leadgame.core import expressions, templates
from leadgame.core.model import (
    CONTINUE,
    END,
    ID,
    MAX_BOUND,
    MAX_FILE_BYTES,
    LARGEST_NUMBER,
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


def load(path: Path, catalogue: Path, cache: Path) -> Scenario:
    """The scenario at `path`, scored against the construct catalogue at `catalogue`: from its
    entry in the `cache` folder when nothing that went into it has changed, else loaded from
    its YAML (raising ScenarioError, as the loader does) and its entry written for next time."""
    path = Path(path)
    with collector_paused():
        key = _key(path, catalogue)
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
    name = hashlib.sha256(f"{path.resolve()}\0{path}".encode()).hexdigest()
    return Path(cache) / f"{name}{ENTRY_SUFFIX}"


def _file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes, read as the bounded reader reads (a link is followed to its file)."""
    from leadgame.core.saves import read_regular_file

    return read_regular_file(Path(path).resolve(), "scenario file", limit)


def _content_hash(path: Path, includes: list[str]) -> str:
    """The scenario's content hash as the loader makes it: its file, then each included file,
    which together may be no larger than the loader allows (each read within what is left)."""
    digest = hashlib.sha256(_file(path))
    left = MAX_FILE_BYTES
    for included in includes:
        data = _file(Path(included), left)
        left -= len(data)
        digest.update(data)
    return digest.hexdigest()


def _read(entry: Path, path: Path, key: dict) -> Scenario | None:
    """The scenario in `entry`, or None when there is none, it is stale or it fails a check."""
    from leadgame.core.saves import read_json

    try:
        if not entry.is_file():
            return None
        data = read_json(entry, "compiled scenario", MAX_ENTRY_BYTES)
        if type(data) is not dict or data.get("key") != key:
            return None
        includes, content_hash = _list(data.get("includes")), data.get("content_hash")
        if len(includes) > MAX_INCLUDES:
            return None
        if _content_hash(path, includes) != content_hash:
            return None
        scenario = _Rebuilder(data.get("scenario")).scenario(str(path), content_hash, tuple(includes))
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        # Unreadable, refused by a check (a ValueError) or of a shape none expected: a value of
        # the wrong type fails where it is used (TypeError, AttributeError), a list of the wrong
        # length where it is unpacked (ValueError), an index past a list's end (IndexError).
        return None
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
    """Model objects from an entry's plain data; raises _Invalid (or the error a value of the
    wrong shape raises where it is used) at a value that a valid scenario could not hold. The
    texts of scenes, choices and endings are gathered as they are read and checked together."""

    def __init__(self, data: object):
        self.texts: list = []  # to be text a scenario may hold
        self.checked: set[str] = set()  # conditions already checked against the variables
        self.targets: set[str] = set()  # where routes lead: scene and ending ids, or `end`
        self.scored: set[str] = set()
        self.data = _mapping(data)
        self.format = _integer(self.data["format"], 1, 2)
        self.variables = {v.name: v for v in map(self.variable, _list(self.data["variables"]))}
        self.kinds = {name: variable.values or variable.kind for name, variable in self.variables.items()}
        self.constructs = {c.id: c for c in map(self.construct, _list(self.data["constructs"]))}
        self.effect_table = [self.effect(item) for item in _list(self.data["effects"])]

    def scenario(self, path: str, content_hash: str, includes: tuple[str, ...]) -> Scenario:
        data = self.data
        scenes = self.unique(map(self.scene, _list(data["scenes"])))
        endings = self.unique(map(self.ending, _list(data["endings"])))
        _plain(*self.texts)
        nodes = scenes.keys() | endings.keys()
        if not endings or scenes.keys() & endings.keys() or END in nodes:
            raise _Invalid  # endings there, sharing no id with a scene, and `end` left to routes
        start = data["start"]
        if start not in scenes or not self.targets - {END} <= nodes:
            raise _Invalid  # the start and every route lead somewhere
        if END in self.targets and list(endings.values())[-1].condition is not None:
            raise _Invalid  # `end` picks the first ending whose condition holds: the last has none
        scored = sorted(self.scored)
        if scored != sorted(self.constructs):
            raise _Invalid  # the constructs kept are the constructs scored
        kind, cite_as = _list(data["source"])
        if _one_of(kind, SOURCE_KINDS) != "paper" and not _text(cite_as).strip():
            raise _Invalid  # a case not from the paper says how its references are cited
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

    @staticmethod
    def unique(items) -> dict:
        found = {}
        for item in items:
            if item.id in found:
                raise _Invalid
            found[item.id] = item
        return found

    def variable(self, data: object) -> Variable:
        name, start, low, high, values, line, column = _list(data)
        low, high = (None if bound is None else _integer(bound, -MAX_BOUND, MAX_BOUND) for bound in (low, high))
        values = tuple(map(_identifier, _list(values)))
        if values:
            if low is not None or high is not None or start not in values or len(set(values)) != len(values):
                raise _Invalid  # listed text: one of its values, each listed once, and no bounds
        elif type(start) is bool:
            if low is not None or high is not None:
                raise _Invalid  # true/false has no bounds
        elif not _number(start) or not _within(start, low, high):
            raise _Invalid  # a whole number within its bounds (so no bounds the wrong way round)
        return Variable(_identifier(name), start, low, high, values, *_places(line, column))

    def construct(self, data: object) -> Construct:
        construct_id, name, definition, sections = _list(data)
        self.texts += (name, definition)
        return Construct(_identifier(construct_id), name, definition, _texts(sections))

    def effect(self, data: object) -> Effect:
        kind, target, value = _list(data)
        if kind == "score":
            if target not in self.constructs or type(value) is not int or not SCORE_RANGE[0] <= value <= SCORE_RANGE[1]:
                raise _Invalid
            return Effect("score", target, value)
        variable = self.variables.get(target)
        if kind not in ("set", "add") or variable is None or not _fits(variable, kind, value):
            raise _Invalid
        return Effect(kind, target, value, variable.low, variable.high)

    def effects(self, indices: object) -> tuple[Effect, ...]:
        """The effects at `indices` in the entry's table (an index past its end raises IndexError)."""
        if indices == []:
            return ()  # as most choices and routes have
        if type(indices) is not list or not all(type(i) is int and i >= 0 for i in indices):
            raise _Invalid
        effects = tuple(self.effect_table[i] for i in indices)
        self.scored.update(effect.target for effect in effects if effect.kind == "score")
        return effects

    def scene(self, data: object) -> Scene:
        scene_id, title, text, choices, place, date, notes, prompts, is_passage, order_fixed, line, column, file = _list(data)
        choices = tuple(map(self.choice, _list(choices)))
        if not choices or len({c.id for c in choices}) != len(choices) or sum(1 for c in choices if c.real) > 1:
            raise _Invalid  # choices with ids of their own, at most one the real leaders'
        if type(is_passage) is not bool or (is_passage and (len(choices) != 1 or choices[0].id != CONTINUE)):
            raise _Invalid  # a passage offers one way on
        if type(order_fixed) is not bool:
            raise _Invalid
        self.texts += (title, place, date, notes, file, *_list(prompts))
        return Scene(_identifier(scene_id), title, self.story_text(text), choices, place, date, notes, tuple(prompts),
                     is_passage, order_fixed, *_places(line, column), file)

    def choice(self, data: object) -> Choice:
        choice_id, label, routes, condition, effects, consequence, rationale, ref, real, line, column, file = _list(data)
        routes = tuple(map(self.route, _list(routes)))
        if routes[-1].condition is not None or routes[-1].chance is not None:  # no routes: IndexError
            raise _Invalid  # the last route is taken when no other is
        self.texts += (label, rationale, ref, real, file)
        return Choice(_identifier(choice_id), label, routes, self.condition(condition), self.effects(effects),
                      self.story_text(consequence), rationale, ref, real, *_places(line, column), file)

    def route(self, data: object) -> Route:
        to, condition, chance, effects = _list(data)
        self.targets.add(to)  # each a scene or ending id, or `end`: checked when all are known
        if chance is not None:
            _integer(chance, 1, 99)
        effects = self.effects(effects)
        if any(effect.kind == "score" for effect in effects):
            raise _Invalid  # a route sets and adds; only a choice scores
        return Route(to, self.condition(condition), chance, effects)

    def ending(self, data: object) -> Ending:
        ending_id, title, text, what_really_happened, ref, condition, outcome, real, line, column, file = _list(data)
        self.texts += (title, what_really_happened, ref, real, file)
        return Ending(_identifier(ending_id), title, self.story_text(text), what_really_happened, ref,
                      self.condition(condition), _one_of(outcome, ("", *OUTCOMES)), real, *_places(line, column), file)

    def condition(self, source: object) -> Expression | None:
        if source is None:
            return None
        expression = expressions.parse(_text(source))  # parsed once per distinct source
        if source not in self.checked:
            if not expression.names <= self.variables.keys() or expressions.type_problems(expression, self.kinds):
                raise _Invalid
            self.checked.add(source)
        return expression

    def story_text(self, data: object) -> str:
        if type(data) is str:
            self.texts.append(data)
            return data
        source, places = _list(data)
        if self.format < 2:
            raise _Invalid  # text with placeholders needs format 2
        places = _list(places)  # offset, line, column for each placeholder's part (a part short: IndexError)
        table = {places[i]: _places(places[i + 1], places[i + 2]) for i in range(0, len(places), 3)}
        template = templates.parse(_text(source), table.__getitem__)  # a placeholder not placed: KeyError
        if not isinstance(template, templates.Template):
            raise _Invalid  # text without placeholders is kept as written
        if not template.names <= self.variables.keys():
            raise _Invalid
        for conditional in template.conditionals:
            self.condition(conditional.condition.source)
        return template


def _fits(variable: Variable, kind: str, value: object) -> bool:
    """Whether a `set` or `add` of `value` is one the loader would accept for `variable`."""
    if kind == "add":
        return variable.kind == "int" and _number(value)
    if variable.kind == "text":
        return value in variable.values
    if variable.kind == "bool":
        return type(value) is bool
    return _number(value) and _within(value, variable.low, variable.high)


def _number(value: object) -> bool:
    """Whether `value` is a whole number the loader could have read."""
    return type(value) is int and abs(value) <= LARGEST_NUMBER


def _within(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _mapping(data: object) -> dict:
    if type(data) is not dict:
        raise _Invalid
    return data


def _list(data: object) -> list:
    """A list (a list of the wrong length fails where it is unpacked)."""
    if type(data) is not list:
        raise _Invalid
    return data


def _plain(*values: object) -> None:
    """Raise unless every value is text a scenario may hold: within the length limit, and free of
    the control characters that could reach a terminal (a value that is not text fails there)."""
    for value in values:
        if len(value) > MAX_TEXT_CHARS or CONTROL.search(value):
            raise _Invalid


def _text(value: object) -> str:
    _plain(value)
    return value


def _texts(value: object) -> tuple[str, ...]:
    values = tuple(_list(value))
    _plain(*values)
    return values


def _identifier(value: object, pattern=ID) -> str:
    if not pattern.match(value):  # a value that is not text: TypeError
        raise _Invalid
    return value


def _integer(value: object, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise _Invalid
    return value


def _places(line: object, column: object) -> tuple[int, int]:
    """A (line, column) place in a file, both counted from 1."""
    if type(line) is not int or type(column) is not int or line < 1 or column < 1:
        raise _Invalid
    return line, column


def _one_of(value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _Invalid
    return value
