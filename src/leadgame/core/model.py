"""The scenario model: small immutable objects the loader builds and the engine reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Mapping

from leadgame.core.expressions import Expression

Value = int | bool | str  # str: a listed-text variable (format 2), one of its declared values

# The reserved `next` target that lets the endings' own conditions pick the ending.
END = "end"
# The id of the one pseudo-choice a passage scene offers.
CONTINUE = "continue"


def frozen_map(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Construct:
    id: str
    name: str
    definition: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Variable:
    """A story-state variable as declared: its starting value and, in format 2, the bounds an
    `add` is clamped to (numbers) or the values it may hold (listed text)."""

    name: str
    start: Value
    low: int | None = None
    high: int | None = None
    values: tuple[str, ...] = ()
    line: int = 0
    column: int = 0

    @property
    def kind(self) -> str:
        """"bool", "int" or "text"."""
        if isinstance(self.start, bool):
            return "bool"
        return "text" if isinstance(self.start, str) else "int"


@dataclass(frozen=True)
class Effect:
    """One change a choice, passage or route makes: a construct delta, or a story-state
    assignment or addition (an addition is clamped to the variable's declared bounds)."""

    kind: str  # "score" | "set" | "add"
    target: str
    value: Value
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Route:
    """One candidate destination: taken when its condition holds and its chance roll succeeds."""

    to: str
    condition: Expression | None = None
    chance: int | None = None  # percent, 1..99
    effects: tuple[Effect, ...] = ()  # applied when this route is taken (format 2)


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    routes: tuple[Route, ...]
    condition: Expression | None = None
    effects: tuple[Effect, ...] = ()
    consequence: str = ""
    rationale: str = ""
    ref: str = ""
    line: int = 0
    column: int = 0

    @cached_property
    def scores(self) -> Mapping[str, int]:
        return {e.target: int(e.value) for e in self.effects if e.kind == "score"}


@dataclass(frozen=True)
class Scene:
    id: str
    title: str
    text: str
    choices: tuple[Choice, ...]
    place: str = ""
    date: str = ""
    facilitator_notes: str = ""
    facilitator_prompts: tuple[str, ...] = ()
    is_passage: bool = False  # no decision: one "continue" choice to the scene-level `next`
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Ending:
    id: str
    title: str
    text: str
    what_really_happened: str
    ref: str = ""
    condition: Expression | None = None
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    summary: str
    place: str
    years: str
    role: str
    minutes: int
    intro: str
    learning_objectives: tuple[str, ...]
    sources: tuple[str, ...]
    reflection: tuple[str, ...]
    initial_state: Mapping[str, Value]
    start: str
    scenes: Mapping[str, Scene]
    endings: Mapping[str, Ending]
    constructs: Mapping[str, Construct]
    path: str = ""
    content_hash: str = ""
    scored_constructs: tuple[str, ...] = field(default=())
    format: int = 1
    variables: Mapping[str, Variable] = field(default_factory=frozen_map)

    def node(self, node_id: str) -> Scene | Ending | None:
        return self.scenes.get(node_id) or self.endings.get(node_id)
