"""The scenario model: small immutable objects the loader builds and the engine reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Mapping

from leadgame.core.expressions import Expression

Value = int | bool

# The reserved `next` target that lets the endings' own conditions pick the ending.
END = "end"
# The id of the one pseudo-choice a passage scene offers.
CONTINUE = "continue"
# `real: silent` on a choice: the real leaders' path continues this way, but the paper does
# not report what they chose at this juncture.
SILENT = "silent"
# An ending's author-set outcome, strongest first.
OUTCOMES = ("strongest", "strong", "mixed", "weak", "weakest")


def frozen_map(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Construct:
    id: str
    name: str
    definition: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Effect:
    """One change a choice makes: a construct delta, or a story-state assignment or addition."""

    kind: str  # "score" | "set" | "add"
    target: str
    value: Value


@dataclass(frozen=True)
class Route:
    """One candidate destination: taken when its condition holds and its chance roll succeeds."""

    to: str
    condition: Expression | None = None
    chance: int | None = None  # percent, 1..99


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
    real: str = ""  # the paper section reporting that the real leaders chose this, or SILENT
    line: int = 0

    @cached_property
    def scores(self) -> Mapping[str, int]:
        return {e.target: int(e.value) for e in self.effects if e.kind == "score"}

    @property
    def net(self) -> int:
        """The sum of the choice's construct deltas: what a learner hunting for points sees."""
        return sum(self.scores.values())


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
    order_fixed: bool = False  # `order: fixed`: the options are a natural sequence, never shuffled
    line: int = 0

    @property
    def real_choice(self) -> Choice | None:
        """The option the real leaders' path takes here, if the author declared one."""
        return next((c for c in self.choices if c.real), None)


@dataclass(frozen=True)
class Ending:
    id: str
    title: str
    text: str
    what_really_happened: str
    ref: str = ""
    condition: Expression | None = None
    outcome: str = ""  # one of OUTCOMES, set by the author
    real: str = ""  # the paper section, when this ending tells what really happened
    line: int = 0


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

    def node(self, node_id: str) -> Scene | Ending | None:
        return self.scenes.get(node_id) or self.endings.get(node_id)
