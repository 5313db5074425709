"""The engine: pure transitions over an immutable State.

`start(scenario, seed)` -> State; `available_choices(state)`; `choose(state, choice_id)` ->
(State, Outcome). No I/O, no clock, no global randomness: a `chance` route rolls a number
derived from the seed and the step, so replaying the same choices gives the same story.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Iterable, Iterator, Mapping

from leadgame.core.model import END, Choice, Ending, Route, Scenario, Scene, Value, frozen_map
from leadgame.core.templates import render


class InvalidChoice(ValueError):
    """The choice id is not available in the current scene."""


@dataclass(frozen=True, slots=True)
class Step:
    """One decision in the history: where the learner was, what they chose, where it led, and
    which options were on offer then (the profile places a choice among the options it beat).

    A long game keeps every step alive, and each object that can hold others is one more for
    the cyclic garbage collector to walk on every pass: so a step has no `__dict__` and keeps
    the story state after it as a plain dict of plain values (which the collector does not
    track), handed out read-only."""

    scene: str
    choice: str
    destination: str
    offered: tuple[str, ...] = ()  # the options on offer when it was made
    values: dict[str, Value] = field(default_factory=dict, compare=False, repr=False)  # the story state after it

    @property
    def variables(self) -> Mapping[str, Value]:
        """The story state after this step, read-only."""
        return MappingProxyType(self.values)


class History(Sequence):
    """The steps taken, oldest first. Persistent: each State's history is its predecessor's
    plus one step, sharing the rest, so taking a step costs the same at step 10 and at step
    10,000 and no State can change another's. Reads like a tuple (and equals one)."""

    __slots__ = ("_before", "_last", "_length")

    def __init__(self, steps: Iterable[Step] = ()):
        self._before: History | None = None
        self._last: Step | None = None
        self._length = 0
        for step in steps:
            self._before, self._last, self._length = self._linked(), step, self._length + 1

    def _linked(self) -> History | None:
        """This history as the part before a new step (None when empty)."""
        if not self._length:
            return None
        link = History.__new__(History)
        link._before, link._last, link._length = self._before, self._last, self._length
        return link

    def add(self, step: Step) -> History:
        """A new history: these steps and then `step`. This one is unchanged."""
        added = History.__new__(History)
        added._before, added._last, added._length = self if self._length else None, step, self._length + 1
        return added

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Step]:
        return iter(self._steps())

    def __reversed__(self) -> Iterator[Step]:
        link = self
        while link is not None and link._length:
            yield link._last
            link = link._before

    def _steps(self) -> list[Step]:
        steps = list(reversed(self))
        steps.reverse()
        return steps

    def __getitem__(self, index):
        if isinstance(index, int) and index in (-1, self._length - 1) and self._length:
            return self._last  # the step just taken: what callers ask for most
        if isinstance(index, slice):
            return tuple(self._steps()[index])
        return self._steps()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (History, tuple)):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"History({tuple(self)!r})"


@dataclass(frozen=True)
class State:
    scenario: Scenario = field(repr=False, compare=False)
    seed: int
    node: str
    variables: Mapping[str, Value]
    history: History = field(default_factory=History)

    @property
    def scene(self) -> Scene | None:
        return self.scenario.scenes.get(self.node)

    @property
    def ending(self) -> Ending | None:
        return self.scenario.endings.get(self.node)

    @property
    def finished(self) -> bool:
        return self.node in self.scenario.endings

    @property
    def choice_log(self) -> tuple[str, ...]:
        return tuple(step.choice for step in self.history)

    @property
    def text(self) -> str:
        """The text of the scene or ending the learner is at, as this state shows it."""
        node = self.scene or self.ending
        return render(node.text, self.variables) if node is not None else ""


@dataclass(frozen=True)
class Outcome:
    scene: Scene
    choice: Choice
    destination: str
    score_changes: Mapping[str, int]
    variables: Mapping[str, Value] = field(default_factory=frozen_map)  # the story state after the choice

    @property
    def consequence(self) -> str:
        """The consequence as the learner reads it, in the story state the choice left."""
        return render(self.choice.consequence, self.variables)


def start(scenario: Scenario, seed: int = 0, at: str = "", variables: Mapping[str, Value] | None = None) -> State:
    """A new game at the scenario's start; for authors testing a branch, at scene `at` (or at
    an ending, to preview it) with some `variables` set to other starting values."""
    if at and scenario.node(at) is None:
        raise InvalidChoice(f"there is no scene or ending '{at}'")
    return State(scenario, seed, at or scenario.start, frozen_map({**scenario.initial_state, **(variables or {})}))


def available_choices(state: State) -> tuple[Choice, ...]:
    scene = state.scene
    if scene is None:
        return ()
    return tuple(c for c in scene.choices if c.condition is None or c.condition.evaluate(state.variables))


def ordered_choices(state: State) -> tuple[Choice, ...]:
    """The available choices in the order the learner sees them: shuffled by the game's seed
    (so the position of an option is never a clue, and a resumed or replayed game shows the
    same order), or as authored where the scene pins its order (`order: fixed`)."""
    scene = state.scene
    return () if scene is None else in_display_order(scene, state.seed, available_choices(state))


def in_display_order(scene: Scene, seed: int, choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """`choices` of `scene` in the order a game with `seed` shows them (for a debrief that
    redraws a decision as the learner saw it)."""
    if scene.order_fixed or len(choices) < 2:
        return tuple(choices)
    return tuple(sorted(choices, key=lambda choice: _shuffle_key(seed, scene.id, choice.id)))


def _shuffle_key(seed: int, scene_id: str, choice_id: str) -> bytes:
    return hashlib.sha256(f"order:{seed}:{scene_id}:{choice_id}".encode()).digest()


def choose(state: State, choice_id: str) -> tuple[State, Outcome]:
    offered = available_choices(state)
    choice = next((c for c in offered if c.id == choice_id), None)
    if choice is None:
        raise InvalidChoice(f"'{choice_id}' is not available in scene '{state.node}'")
    variables = apply_effects(state.variables, choice)
    roll = _roller(state.seed, len(state.history), state.node)
    destination, values = take_route(state.scenario, choice.routes, variables, roll)
    values = dict(values)  # the step's own, never changed
    variables = MappingProxyType(values)
    step = Step(state.node, choice.id, destination, tuple(c.id for c in offered), values)
    new_state = State(state.scenario, state.seed, destination, variables, state.history.add(step))
    return new_state, Outcome(state.scene, choice, destination, choice.scores, variables)


def apply_effects(variables: Mapping[str, Value], source: Choice | Route) -> dict[str, Value]:
    """The variables after the `set` and `add` effects of a choice (or passage) or a route."""
    updated = dict(variables)
    for effect in source.effects:
        if effect.kind == "set":
            updated[effect.target] = effect.value
        elif effect.kind == "add" and effect.target in updated:  # exploration drops dead variables
            value = int(updated[effect.target]) + int(effect.value)
            if effect.low is not None and value < effect.low:
                value = effect.low
            if effect.high is not None and value > effect.high:
                value = effect.high
            updated[effect.target] = value
    return updated


def take_route(scenario: Scenario, routes: tuple[Route, ...], variables: Mapping[str, Value],
               roll: Callable[[int, int], bool]) -> tuple[str, Mapping[str, Value]]:
    """The destination and the variables on arrival: the first route whose condition holds and
    whose chance roll succeeds is taken, and its own effects applied."""
    for index, route in enumerate(routes):
        if route.condition is not None and not route.condition.evaluate(variables):
            continue
        if route.chance is not None and not roll(index, route.chance):
            continue
        return _arrive(scenario, route, variables)
    return _arrive(scenario, routes[-1], variables)  # unreachable for loaded files: last route is unconditional


def possible_moves(scenario: Scenario, routes: tuple[Route, ...], variables: Mapping[str, Value],
                   pick_ending: bool = True) -> Iterator[tuple[str, Mapping[str, Value]]]:
    """Every (destination, variables on arrival) some roll could give: what `take_route` may
    return, for exploration. With `pick_ending=False`, a route to `end` yields `end` itself."""
    for route in routes:
        if route.condition is not None and not route.condition.evaluate(variables):
            continue
        if pick_ending or route.to != END:
            yield _arrive(scenario, route, variables)
        else:
            yield END, apply_effects(variables, route) if route.effects else variables
        if route.chance is None:
            return


def _arrive(scenario: Scenario, route: Route, variables: Mapping[str, Value]) -> tuple[str, Mapping[str, Value]]:
    if route.effects:
        variables = apply_effects(variables, route)
    return _target(scenario, route, variables), variables


def _target(scenario: Scenario, route: Route, variables: Mapping[str, Value]) -> str:
    return ending_for(scenario, variables) if route.to == END else route.to


def ending_for(scenario: Scenario, variables: Mapping[str, Value]) -> str:
    endings = list(scenario.endings.values())
    for ending in endings:
        if ending.condition is None or ending.condition.evaluate(variables):
            return ending.id
    return endings[-1].id


def _roller(seed: int, step: int, scene: str) -> Callable[[int, int], bool]:
    def roll(route_index: int, chance: int) -> bool:
        digest = hashlib.sha256(f"{seed}:{step}:{scene}:{route_index}".encode()).digest()
        return int.from_bytes(digest[:4], "big") % 100 < chance

    return roll


@dataclass(frozen=True)
class Replay:
    state: State
    applied: int
    problem: str = ""  # why replay stopped early, in words for the learner


def replay(scenario: Scenario, seed: int, choice_ids: tuple[str, ...] | list[str], at: str = "",
           variables: Mapping[str, Value] | None = None) -> Replay:
    """Apply a logged sequence of choice ids as far as it still fits the scenario."""
    if at and scenario.node(at) is None:
        return Replay(start(scenario, seed), 0, f"the starting scene '{at}' no longer exists")
    state = start(scenario, seed, at, variables)
    for index, choice_id in enumerate(choice_ids):
        if state.finished:
            return Replay(state, index, f"the story ended after {decisions_made(state)} decisions; "
                                        f"{len(choice_ids) - index} later steps were dropped")
        if state.scene is None:
            return Replay(state, index, f"scene '{state.node}' no longer exists")
        try:
            state, _ = choose(state, choice_id)
        except InvalidChoice:
            title = state.scene.title
            what = "the way on" if state.scene.is_passage else f"decision {decisions_made(state) + 1}"
            return Replay(state, index, f"{what} ('{choice_id}') is no longer offered in '{title}'; you continue from there")
    return Replay(state, len(choice_ids))


def decisions_made(state: State) -> int:
    """Decisions in the history, numbered as the learner counts them (passages are not decisions)."""
    return sum(1 for step in state.history if not state.scenario.scenes[step.scene].is_passage)


class ScriptError(ValueError):
    """A line of a test script that does not fit the story; `line` is its 1-based number."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def follow_script(state: State, lines: list[tuple[int, str]]) -> list[tuple[str, bool]]:
    """The steps a test script means, as (choice id, whether it continues a passage): its choice
    ids (each given with its line number), with every passage on the way continued through.
    Raises ScriptError where a line does not fit the story."""
    log: list[tuple[str, bool]] = []
    for line, choice_id in lines:
        while state.scene is not None and state.scene.is_passage:
            log.append((state.scene.choices[0].id, True))
            state, _ = choose(state, log[-1][0])
        if state.finished:
            raise ScriptError(line, f"'{choice_id}': the story has already ended (at '{state.node}')")
        offered = [choice.id for choice in available_choices(state)]
        if choice_id not in offered:
            raise ScriptError(line, f"'{choice_id}' is not offered in scene '{state.node}' ({state.scene.title}); "
                                    f"offered here: {', '.join(offered)}")
        log.append((choice_id, False))
        state, _ = choose(state, choice_id)
    return log
