"""Learning-design analysis for `leadgame check`: is each decision a dilemma, or can the
"right answer" be found without thinking?

Plays a scenario the ways a learner gaming it would (always the k-th option, the longest or the
shortest label, the highest immediate net score) and the way the real leaders did, and places
each against seeded random play. It also measures what no single playthrough shows: decisions
with a clear winner, the best option's position and label length, whether longer paths score
differently, detours that pay, and constructs that can barely move.

Profiles are compared by their mean position (scoring.mean_position): a number for authors
checking a design, never a grade shown to a learner.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from statistics import fmean, pstdev
from typing import Callable

from leadgame.core import engine
from leadgame.core.explore import Exploration
from leadgame.core.model import Choice, Scenario
from leadgame.core.real import real_path
from leadgame.core.scoring import ConstructScore, mean_position, profile_of

RANDOM_RUNS = 400
STRATEGY_SEEDS = range(8)  # chance routes: each strategy is played under several seeds
MAX_STEPS = 10_000
LOOP_RETURNS = 3  # chance routes can leave a loop on a later pass, so a return or two is allowed
CLEAR_MARGIN = 2  # a clear winner's net beats every alternative by this much
CLEAR_SHARE = 0.2  # more clear winners than this share of decisions is an error
TOP_QUARTER = 75.0
MAX_R = 0.15
MIN_SPAN = 4
# Below this many decisions per playthrough (median), a strategy's percentile among random
# playthroughs says little: a three-decision story has only a dozen paths.
MIN_DECISIONS_TO_RANK = 6
MIN_DECISIONS_FOR_BIAS = 4
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")

NO_REAL_MARKS = "no option is marked `real:`"

Picker = Callable[[tuple[Choice, ...]], Choice]


@dataclass(frozen=True)
class Played:
    """One way of playing, summed up over several seeds."""

    profile: dict[str, float | None]  # construct -> mean position over the seeds
    mean: float | None  # the profile's mean position
    ending: str  # the ending reached most often
    endings: Counter
    percentile: float  # where `mean` falls in seeded random play (0..100)

    def to_dict(self) -> dict:
        return {"profile": {c: _round(v) for c, v in self.profile.items()}, "mean": _round(self.mean),
                "ending": self.ending, "percentile": round(self.percentile, 1)}


@dataclass
class Design:
    scenario: Scenario
    random_means: list[float] = field(default_factory=list)
    random_decisions: list[int] = field(default_factory=list)
    strategies: dict[str, Played] = field(default_factory=dict)
    real: Played | None = None
    real_stopped: str = ""
    clear_winners: list[tuple[str, str, int]] = field(default_factory=list)  # (scene, choice, margin)
    decision_scenes: int = 0
    position_bias: dict[int, int] = field(default_factory=dict)  # 1-based position of the unique best -> decisions
    length_bias: dict[str, float] = field(default_factory=dict)
    path_length_r: float = 0.0
    detours: list[tuple[str, str, str]] = field(default_factory=list)  # (scene, choice, detour scene)
    narrow: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def rankable(self) -> bool:
        """Whether playthroughs are long enough for percentiles of random play to mean much."""
        median = _median([float(d) for d in self.random_decisions])
        return median is not None and median >= MIN_DECISIONS_TO_RANK

    def to_dict(self) -> dict:
        return {
            "strategies": {name: played.to_dict() for name, played in self.strategies.items()},
            "clear_winners": [{"scene": s, "choice": c, "margin": m} for s, c, m in self.clear_winners],
            "position_bias": {str(k): v for k, v in sorted(self.position_bias.items())},
            "length_bias": {k: round(v, 3) for k, v in self.length_bias.items()},
            "path_length_r": round(self.path_length_r, 3),
            "real_path": self.real.to_dict() if self.real else {"stopped": self.real_stopped},
            "random_play": {"runs": len(self.random_means), "median": _round(_median(self.random_means))},
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _median(values: list[float]) -> float | None:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else None


def net(choice: Choice) -> int:
    return sum(choice.scores.values())


# --- playing -----------------------------------------------------------------------------------


def play(scenario: Scenario, pick: Picker, seed: int) -> engine.State:
    """One playthrough, given up (unfinished) once it is plainly going round a loop: back in
    the same scene with the same story state more than LOOP_RETURNS times. A strategy such as
    "always the first option" may never leave a loop, and walking it to MAX_STEPS cost minutes."""
    state = engine.start(scenario, seed)
    visits: Counter = Counter()
    for _ in range(MAX_STEPS):
        if state.finished:
            break
        here = (state.node, tuple(state.variables.items()))
        visits[here] += 1
        if visits[here] > LOOP_RETURNS:
            break
        state, _ = engine.choose(state, pick(engine.available_choices(state)).id)
    return state


def _random_picker(rng: random.Random) -> Picker:
    return lambda choices: rng.choice(choices)


def positional(k: int) -> Picker:
    return lambda choices: choices[min(k, len(choices) - 1)]


def _first_max(choices: tuple[Choice, ...], key: Callable[[Choice], float]) -> Choice:
    best = max(key(c) for c in choices)
    return next(c for c in choices if key(c) == best)


STRATEGY_PICKERS: dict[str, Picker] = {
    "longest label": lambda choices: _first_max(choices, lambda c: len(c.label)),
    "shortest label": lambda choices: _first_max(choices, lambda c: -len(c.label)),
    "highest immediate net": lambda choices: _first_max(choices, net),
}
LABEL_STRATEGIES = ("longest label", "shortest label")
GREEDY = "highest immediate net"


def percentile(value: float | None, population: list[float]) -> float:
    if value is None or not population:
        return 0.0
    below = sum(1 for v in population if v < value)
    equal = sum(1 for v in population if v == value)
    return 100.0 * (below + equal / 2) / len(population)


def summarise(scenario: Scenario, states: list[engine.State], random_means: list[float], spreads: dict) -> Played:
    profiles = [profile_of(scenario, s.history, spreads) for s in states]
    by_construct: dict[str, list[float]] = {}
    for scores in profiles:
        for score in scores:
            if score.position is not None:
                by_construct.setdefault(score.construct.id, []).append(score.position)
    means = [m for m in (mean_position(p) for p in profiles) if m is not None]
    endings = Counter(s.node for s in states if s.finished)
    mean = fmean(means) if means else None
    profile = {c: (fmean(by_construct[c]) if c in by_construct else None) for c in scenario.scored_constructs}
    ending = endings.most_common(1)[0][0] if endings else ""
    return Played(profile, mean, ending, endings, percentile(mean, random_means))


# --- the analysis ------------------------------------------------------------------------------


def analyse(scenario: Scenario, exploration: Exploration, runs: int = RANDOM_RUNS, seed: int = 0) -> Design:
    design = Design(scenario)
    spreads: dict = {}
    _random_play(design, runs, seed, spreads)
    most_options = max((len(s.choices) for s in scenario.scenes.values() if not s.is_passage), default=1)
    pickers = {f"always the {ORDINALS[k] if k < len(ORDINALS) else f'{k + 1}th'} option": positional(k)
               for k in range(most_options)}
    pickers.update(STRATEGY_PICKERS)
    for name, pick in pickers.items():
        states = [play(scenario, pick, s) for s in STRATEGY_SEEDS]
        design.strategies[name] = summarise(scenario, states, design.random_means, spreads)
    _real(design, spreads)
    _decisions(design, exploration)
    design.detours = detours(scenario, exploration)
    design.narrow = {c: r for c, r in exploration.construct_ranges.items() if r[1] - r[0] < MIN_SPAN}
    return design


def _random_play(design: Design, runs: int, seed: int, spreads: dict) -> None:
    scenario = design.scenario
    for index in range(runs):
        rng = random.Random(f"{seed}:{index}")
        state = play(scenario, _random_picker(rng), rng.randrange(2**31))
        mean = mean_position(profile_of(scenario, state.history, spreads))
        if mean is None:
            continue
        design.random_means.append(mean)
        design.random_decisions.append(sum(1 for step in state.history if not scenario.scenes[step.scene].is_passage))
    design.path_length_r = correlation(design.random_decisions, design.random_means)


def correlation(xs: list[float], ys: list[float]) -> float:
    """Pearson's r; 0 when either side does not vary."""
    if len(xs) < 2 or pstdev(xs) == 0 or pstdev(ys) == 0:
        return 0.0
    mx, my = fmean(xs), fmean(ys)
    cov = fmean((x - mx) * (y - my) for x, y in zip(xs, ys))
    return cov / (pstdev(xs) * pstdev(ys))


def _real(design: Design, spreads: dict) -> None:
    scenario = design.scenario
    if not any(c.real for s in scenario.scenes.values() for c in s.choices):
        design.real_stopped = NO_REAL_MARKS
        return
    paths = [real_path(scenario, s) for s in STRATEGY_SEEDS]
    stopped = next((p.stopped for p in paths if p.stopped), "")
    if stopped:
        design.real_stopped = stopped
        return
    design.real = summarise(scenario, [p.state for p in paths], design.random_means, spreads)


def _decisions(design: Design, exploration: Exploration) -> None:
    """Clear winners per decision (as reachable), and the best option's position and length in
    each decision scene as authored."""
    scenario = design.scenario
    winners: dict[str, tuple[str, int]] = {}
    for scene_id, edges in exploration.decision_points:
        offered = [c for c in scenario.scenes[scene_id].choices if c.id in {e.choice for e in edges}]
        ranked = sorted(offered, key=net, reverse=True)
        margin = net(ranked[0]) - net(ranked[1])
        if margin >= CLEAR_MARGIN and margin > winners.get(scene_id, ("", 0))[1]:
            winners[scene_id] = (ranked[0].id, margin)
    design.clear_winners = [(scene, choice, margin) for scene, (choice, margin) in winners.items()]
    decisions = [s for s in scenario.scenes.values() if not s.is_passage and len(s.choices) > 1]
    design.decision_scenes = len(decisions)
    positions: Counter = Counter()
    best_longest = real_longest = unique_best = with_real = 0
    for scene in decisions:
        nets = [net(c) for c in scene.choices]
        longest = max(scene.choices, key=lambda c: len(c.label))
        if nets.count(max(nets)) == 1:
            best = scene.choices[nets.index(max(nets))]
            unique_best += 1
            positions[nets.index(max(nets)) + 1] += 1
            best_longest += best is longest
        if scene.real_choice is not None:
            with_real += 1
            real_longest += scene.real_choice is longest
    design.position_bias = dict(positions)
    design.length_bias = {"best_longest": best_longest / unique_best if unique_best else 0.0,
                          "real_longest": real_longest / with_real if with_real else 0.0}


def detours(scenario: Scenario, exploration: Exploration) -> list[tuple[str, str, str]]:
    """Options that lead, through passages, to a decision no alternative leads to, where the
    option's net plus the best net there beats every alternative's net: a mistake that pays."""
    found = []
    for scene_id, edges in exploration.decision_points:
        offered = [c for c in scenario.scenes[scene_id].choices if c.id in {e.choice for e in edges}]
        reach = {c.id: _next_decisions(scenario, c) for c in offered}
        for choice in offered:
            others = [o for o in offered if o is not choice]
            elsewhere = set().union(*(reach[o.id] for o in others)) if others else set()
            best_other = max((net(o) for o in others), default=0)
            for detour in sorted(reach[choice.id] - elsewhere):
                best_there = max((net(c) for c in scenario.scenes[detour].choices), default=0)
                if net(choice) + best_there > best_other and net(choice) < best_other:
                    found.append((scene_id, choice.id, detour))
    return sorted(set(found))


def _next_decisions(scenario: Scenario, choice: Choice) -> set[str]:
    """The decision scenes an option can lead to next, following passages."""
    found: set[str] = set()
    seen: set[str] = set()
    stack = [route.to for route in choice.routes]
    while stack:
        node = stack.pop()
        scene = scenario.scenes.get(node)
        if scene is None or node in seen:
            continue
        seen.add(node)
        if scene.is_passage:
            stack += [route.to for route in scene.choices[0].routes]
        else:
            found.add(node)
    return found


def strongest_endings(scenario: Scenario) -> set[str]:
    return {e.id for e in scenario.endings.values() if e.outcome == "strongest"}


def positional_names(design: Design) -> list[str]:
    return [name for name in design.strategies if name.startswith("always the ")]


def describe(played: Played) -> str:
    mean = "no tested construct" if played.mean is None else f"mean position {played.mean:.2f}"
    return f"{mean}, {played.percentile:.0f}th percentile of random play, ending '{played.ending}'"


def profile_scores(scores: tuple[ConstructScore, ...]) -> dict[str, float | None]:
    return {s.construct.id: s.position for s in scores}
