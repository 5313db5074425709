"""The construct profile: each construct's total, placed within what the scenario makes achievable,
with the evidence trail of decisions that moved it. A profile, not a grade."""

from __future__ import annotations

from dataclasses import dataclass

from leadgame.core.engine import State
from leadgame.core.model import Construct


@dataclass(frozen=True)
class Evidence:
    step: int  # 1-based position in the history (passages included)
    decision: int  # 1-based decision number, as the learner counts them (passages excluded)
    scene_title: str
    choice_label: str
    delta: int
    rationale: str
    ref: str


@dataclass(frozen=True)
class ConstructScore:
    construct: Construct
    score: int
    low: int  # the lowest total any playthrough can reach
    high: int  # the highest
    evidence: tuple[Evidence, ...]

    @property
    def position(self) -> float:
        """Where the score sits in the achievable range, from 0.0 to 1.0."""
        if self.high == self.low:
            return 0.5
        return (self.score - self.low) / (self.high - self.low)


def construct_ranges(state: State) -> dict[str, tuple[int, int]]:
    from leadgame.core.explore import construct_ranges as explored_ranges

    return explored_ranges(state.scenario)


def profile(state: State, ranges: dict[str, tuple[int, int]] | None = None) -> tuple[ConstructScore, ...]:
    """Every scored construct, strongest first (by position in range, then name)."""
    scenario = state.scenario
    ranges = ranges if ranges is not None else construct_ranges(state)
    totals: dict[str, int] = {c: 0 for c in scenario.scored_constructs}
    trail: dict[str, list[Evidence]] = {c: [] for c in scenario.scored_constructs}
    decision = 0
    for index, step in enumerate(state.history, start=1):
        scene = scenario.scenes[step.scene]
        decision += not scene.is_passage
        choice = next(c for c in scene.choices if c.id == step.choice)
        for construct, delta in choice.scores.items():
            totals[construct] += delta
            trail[construct].append(Evidence(index, decision, scene.title, choice.label, delta, choice.rationale, choice.ref))
    scores = [
        ConstructScore(scenario.constructs[c], totals[c], *ranges.get(c, (totals[c], totals[c])), tuple(trail[c]))
        for c in scenario.scored_constructs
        if c in scenario.constructs
    ]
    return tuple(sorted(scores, key=lambda s: (-s.position, s.construct.name)))
