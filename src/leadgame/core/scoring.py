"""The construct profile: for each construct, where the learner's choices sat among the options
they actually had, averaged over the decisions that tested it. A profile, not a grade.

A decision tests a construct when its options differ on it. The chosen option's place there is
0.0 if it was the option that did least for the construct, 1.0 if it did most, and in between
in proportion. A construct's position is the mean of those places, so a longer path neither
raises nor lowers it: a detour adds decisions to the mean, not points to a sum. The raw deltas
stay as the evidence trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import Iterable, Mapping

from leadgame.core.engine import State, Step
from leadgame.core.model import Choice, Construct, Scenario

SCALE = 10  # positions are told as "7 of 10"


@dataclass(frozen=True)
class Evidence:
    step: int  # 1-based position in the history (passages included)
    decision: int  # 1-based decision number, as the learner counts them (passages excluded)
    scene_title: str
    choice_label: str
    delta: int
    rationale: str
    ref: str
    place: float | None  # where the choice sat among the options on offer (0..1); None if they did not differ


@dataclass(frozen=True)
class ConstructScore:
    construct: Construct
    position: float | None  # mean place over the decisions that tested it; None if none did
    decisions: int  # how many decisions stand behind the position
    total: int  # the raw sum of deltas, kept for the evidence trail
    evidence: tuple[Evidence, ...]

    @property
    def tested(self) -> bool:
        return self.position is not None

    @property
    def on_scale(self) -> int | None:
        """The position told on a 0..SCALE scale ("7 of 10")."""
        return None if self.position is None else round(self.position * SCALE)


def option_spread(scenario: Scenario, scene_id: str, offered: Iterable[str]) -> dict[str, tuple[int, int]]:
    """For one decision, each construct's (lowest, highest) delta among the options on offer;
    a construct an option does not score counts 0 for it."""
    choices = [c for c in scenario.scenes[scene_id].choices if c.id in set(offered)]
    constructs = {construct for choice in choices for construct in choice.scores}
    return {c: (min(x.scores.get(c, 0) for x in choices), max(x.scores.get(c, 0) for x in choices)) for c in constructs}


def place(choice: Choice, construct: str, spread: Mapping[str, tuple[int, int]]) -> float | None:
    low, high = spread.get(construct, (0, 0))
    if high == low:
        return None
    return (choice.scores.get(construct, 0) - low) / (high - low)


def profile(state: State) -> tuple[ConstructScore, ...]:
    """Every scored construct, most strongly expressed first (then by name); untested last."""
    return profile_of(state.scenario, state.history)


def profile_of(scenario: Scenario, history: Iterable[Step],
               spreads: dict[tuple, dict[str, tuple[int, int]]] | None = None) -> tuple[ConstructScore, ...]:
    """The profile of a history; `spreads` may carry each decision's option spread from one
    call to the next (an author's check scores thousands of playthroughs of one scenario)."""
    trail: dict[str, list[Evidence]] = {c: [] for c in scenario.scored_constructs}
    decision = 0
    spreads = {} if spreads is None else spreads
    for index, step in enumerate(history, start=1):
        scene = scenario.scenes[step.scene]
        decision += not scene.is_passage
        choice = next(c for c in scene.choices if c.id == step.choice)
        key = (step.scene, step.offered)
        spread = spreads.get(key)
        if spread is None:
            spread = spreads[key] = option_spread(scenario, step.scene, step.offered or (step.choice,))
        for construct in trail.keys() & (spread.keys() | choice.scores.keys()):
            where = place(choice, construct, spread)
            delta = choice.scores.get(construct, 0)
            if where is not None or delta:
                trail[construct].append(Evidence(index, decision, scene.title, choice.label, delta,
                                                 choice.rationale, choice.ref, where))
    scores = [_score(scenario.constructs[c], trail[c]) for c in scenario.scored_constructs if c in scenario.constructs]
    return tuple(sorted(scores, key=lambda s: (s.position is None, -(s.position or 0), s.construct.name)))


def _score(construct: Construct, evidence: list[Evidence]) -> ConstructScore:
    places = [item.place for item in evidence if item.place is not None]
    position = fmean(places) if places else None
    return ConstructScore(construct, position, len(places), sum(item.delta for item in evidence), tuple(evidence))


def mean_position(scores: Iterable[ConstructScore]) -> float | None:
    """One number for a whole profile, for authors' checks of a scenario's design (which
    strategies do well); never shown to a learner as a grade."""
    positions = [s.position for s in scores if s.position is not None]
    return fmean(positions) if positions else None
