"""The scenario model: small immutable objects the loader builds and the engine reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from leadgame.core.expressions import Expression

Value = int | bool | str  # str: a listed-text variable (format 2), one of its declared values

# The reserved `next` target that lets the endings' own conditions pick the ending.
END = "end"
# The id of the one pseudo-choice a passage scene offers.
CONTINUE = "continue"
# `real: silent` on a choice: the real leaders' path continues this way, but the paper does
# not report what they chose at this juncture.
SILENT = "silent"
# An ending's author-set outcome, strongest first.
OUTCOMES = ("strongest", "strong", "mixed", "weak", "weakest")

# What a valid scenario may hold and how its ids are spelt: the loader holds YAML to these, and
# a compiled scenario read back from the cache is held to them again.
MAX_FILE_BYTES = 32 * 1024 * 1024  # a scenario file, and it with the files it includes
MAX_TEXT_CHARS = 20_000
SCORE_RANGE = (-3, 3)
MAX_BOUND = 10**6  # a number variable's `min` and `max`
MAX_INCLUDES = 100
MAX_NUMBER_CHARS = 12  # a whole number as written in YAML
LARGEST_NUMBER = 0xFFFFFFFFFF  # the largest that fits in those 12 characters (in hexadecimal)
# Whole-string patterns end at \Z: `$` would also match before a final line break.
ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}\Z")
SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")


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

    def read(self, text: str) -> Value:
        """A value typed by an author (`play --set trust=2`), checked as a `set:` would be;
        raises ValueError saying what the variable holds."""
        text = text.strip()
        if self.kind == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError(f"'{self.name}' holds true or false, not '{text[:40]}'")
            return text.lower() == "true"
        if self.kind == "text":
            if text not in self.values:
                raise ValueError(f"'{self.name}' holds one of {', '.join(self.values)}, not '{text[:40]}'")
            return text
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"'{self.name}' holds a whole number, not '{text[:40]}'") from None
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise ValueError(f"'{self.name}' is kept {bounds_words(self.low, self.high)}; {value} is outside")
        return value


def bounds_words(low: int | None, high: int | None) -> str:
    """A number variable's bounds in words: `between 0 and 5`, `at least 0`."""
    if low is not None and high is not None:
        return f"between {low} and {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


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
    real: str = ""  # the paper section reporting that the real leaders chose this, or SILENT
    line: int = 0
    column: int = 0
    file: str = ""  # the included file it is written in; "" for the scenario's own file
    # Made with the choice, not on first use: a scenario is frozen out of the garbage collector's
    # passes once loaded, and anything added to it later would be walked on every full pass.
    scores: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scores", frozen_map({e.target: int(e.value) for e in self.effects if e.kind == "score"}))

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
    column: int = 0
    file: str = ""  # the included file it is written in; "" for the scenario's own file

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
    column: int = 0
    file: str = ""  # the included file it is written in; "" for the scenario's own file


SOURCE_KINDS = ("paper", "report", "fiction")
# The debrief's heading over `what_really_happened`: for a real case, and for an invented one.
OUTCOME_HEADINGS = ("What really happened", "What tends to happen in cases like this")


@dataclass(frozen=True)
class Source:
    """Where a case comes from, and so how its `ref:`s are cited in coached mode, the debrief and
    reports. The default is the Systems Leadership source paper, cited by section."""

    kind: str = "paper"  # "paper" | "report" (another published account) | "fiction" (an invented case)
    cite_as: str = ""  # how a reference is introduced for a report or fiction: "Early Help review"

    def cite(self, ref: str) -> str:
        """A reference as the debrief shows it inline: `paper §2.5`, `Early Help review, 3.2`."""
        if not ref:
            return ""
        return f"paper §{ref}" if self.kind == "paper" else f"{self.cite_as}, {ref}"

    def reference_line(self, ref: str) -> str:
        """The coached-mode line under a decision's reasoning: `paper §2.5` (the paper's one
        wording everywhere), `Source: Early Help review, 3.2`."""
        if not ref:
            return ""
        return self.cite(ref) if self.kind == "paper" else f"Source: {self.cite(ref)}"

    @property
    def outcome_heading(self) -> str:
        """The debrief's heading over an ending's `what_really_happened`."""
        return OUTCOME_HEADINGS[1] if self.kind == "fiction" else OUTCOME_HEADINGS[0]

    @property
    def called(self) -> str:
        """The source in a sentence: "the paper is silent", "the source reports"."""
        return "the paper" if self.kind == "paper" else "the source"

    @property
    def has_real_leaders(self) -> bool:
        """Whether the case happened, so real leaders' choices can stand beside the learner's."""
        return self.kind != "fiction"


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
    source: Source = field(default_factory=Source)
    includes: tuple[str, ...] = ()  # the files `include:` reads, in order

    def node(self, node_id: str) -> Scene | Ending | None:
        return self.scenes.get(node_id) or self.endings.get(node_id)
