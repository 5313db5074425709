"""Exhaustive exploration of a scenario's reachable states.

A state is (scene or ending id, story variables): construct scores never gate choices, so they
are left out of the state. Variables that nothing downstream can read any more are dropped from
the state too (a liveness analysis, as compilers do), so flags that only matter in one act stop
multiplying the states of the next; the graph stays small. Exploration finds what is reachable, dead
ends and loops, then walks the graph backwards from the endings to get, for every complete
playthrough, the number of decisions and the range of each construct's total, for the checker.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from operator import add, itemgetter

from leadgame.core.engine import apply_effects, possible_moves
from leadgame.core.model import END, Scenario
from leadgame.core.templates import evaluated

# One budget for every exploration (the checker and validate): a few hundred bytes a state, so the
# state count bounds memory and, at some 60,000 states a second here, time too; processor time
# bounds a state that is slow to work out, with room for a machine three times slower than this
# one to check the shipped cases (about 100,000 states and 3 s here). It is this process's
# processor time, so a busy machine does not change what is explored.
MAX_STATES = 200_000
MAX_SECONDS = 15.0
_CLOCK_EVERY = 2048  # states between looks at the clock

StateKey = tuple[str, tuple]


@dataclass(frozen=True)
class Budget:
    """How much one task may explore: at most `states` states, for at most `seconds` of processor
    time. `start()` fixes the deadline, so several passes of one task (as `survey` makes) share
    one budget."""

    states: int = MAX_STATES
    seconds: float = MAX_SECONDS
    deadline: float | None = None

    def start(self) -> "Budget":
        return self if self.deadline is not None else replace(self, deadline=time.process_time() + self.seconds)

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.process_time() > self.deadline


@dataclass(frozen=True)
class Multiplier:
    """A story variable that multiplies the states at a scene: the values it took there."""

    name: str
    values: int
    low: int
    high: int
    boolean: bool
    words: tuple[str, ...] = ()  # the values a listed-text variable took, which have no range

    def describe(self) -> str:
        if self.boolean:
            return self.name
        if self.words:
            return f"{self.name} ({self.values:,} values: {', '.join(self.words)})"
        return f"{self.name} ({self.values:,} values, {self.low} to {self.high})"


class ExplorationLimit(RuntimeError):
    """Exploring ran out of its budget. Says where the states piled up and which variables made
    them: `scene` holds the most states, `multipliers` the variables that differ between them."""

    def __init__(self, scenario: Scenario, explored: int, why: str, scene: str = "", at_scene: int = 0,
                 multipliers: tuple[Multiplier, ...] = ()):
        self.explored, self.why, self.scene, self.at_scene, self.multipliers = explored, why, scene, at_scene, multipliers
        node = scenario.scenes.get(scene)
        self.line = node.line if node else 1
        super().__init__(self._words())

    def _words(self) -> str:
        words = f"exploring stopped after {self.explored:,} states ({self.why})"
        if not self.multipliers:
            return words + "; simplify the story state"
        flags = [m for m in self.multipliers if m.boolean]
        numbers = [m for m in self.multipliers if not m.boolean and not m.words]
        named = ", ".join(m.describe() for m in self.multipliers[:30]) + (" and others" if len(self.multipliers) > 30 else "")
        words += (f"; so far scene '{self.scene}' alone was reached in {self.at_scene:,} different story states, because "
                  f"{len(self.multipliers)} variable(s) still to be read there can each take different values: {named}")
        advice = []
        if flags:
            advice.append(f"{len(flags)} true/false flags make up to {2 ** len(flags):,} combinations: set a flag back "
                          "once it has been read, or count them in one number with a small range")
        if numbers:
            advice.append("keep each number within bounds (e.g. add to it only `if:` it is below a cap)")
        if any(m.words for m in self.multipliers):
            advice.append("set listed text back to one value once it has been read")
        return words + ". To bound them: " + "; ".join(advice)


@dataclass(frozen=True)
class Loop:
    """One loop in the story: every scene a learner can go round, however many story states
    (variables' values) it was met in."""

    scenes: tuple[str, ...]  # the first cycle found, then any other scenes of the same loop
    trapped: bool  # in some state, no way from the loop to any ending
    cycle: tuple[str, ...] = ()  # one way round, in order


@dataclass(frozen=True)
class Edge:
    scene: str
    choice: str
    scores: dict[str, int]
    targets: tuple[StateKey, ...]


@dataclass
class Exploration:
    scenario: Scenario
    states: int = 0
    reachable_scenes: set[str] = field(default_factory=set)
    reachable_endings: set[str] = field(default_factory=set)
    reachable_choices: set[tuple[str, str]] = field(default_factory=set)
    dead_ends: set[str] = field(default_factory=set)
    lone_options: dict[str, set[str]] = field(default_factory=dict)  # decision -> the one option some states leave
    loops: list[Loop] = field(default_factory=list)
    decision_counts: Counter = field(default_factory=Counter)  # decisions per playthrough -> paths
    construct_ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    decision_points: list[tuple[str, tuple[Edge, ...]]] = field(default_factory=list)
    # Every value each condition took in a reachable state, keyed by where the condition sits:
    # ("choice", scene, choice) / ("route", scene, choice, index) / ("ending", ending).
    condition_values: dict[tuple, set[bool]] = field(default_factory=dict)
    # Every value each conditional in scene, consequence and ending text took where it was shown.
    text_values: dict = field(default_factory=dict)  # templates.Conditional -> set[bool]

    @property
    def paths(self) -> int:
        return sum(self.decision_counts.values())

    @property
    def decisions(self) -> dict[str, int]:
        if not self.decision_counts:
            return {"min": 0, "median": 0, "max": 0}
        counts = self.decision_counts
        return {"min": min(counts), "median": _weighted_median(counts), "max": max(counts)}

    def unreachable(self) -> list[str]:
        ids = [s for s in self.scenario.scenes if s not in self.reachable_scenes]
        return ids + [e for e in self.scenario.endings if e not in self.reachable_endings]


def _weighted_median(counts: Counter) -> int:
    """The lower median of values given as value -> how many times it occurs (path counts run to
    millions, so the values are never written out one by one)."""
    total, running = sum(counts.values()), 0
    for value in sorted(counts):
        running += counts[value]
        if 2 * running >= total:  # integers throughout: path counts outgrow floats
            return value
    return max(counts)


def explore(scenario: Scenario, budget: Budget | None = None, prune: bool = True, conditions: bool = True,
            paths: bool = True, endings: bool = True, fold: bool = True) -> Exploration:
    """Explore every reachable state, within `budget` (raises ExplorationLimit when it runs out,
    saying which variables multiplied the states). The debrief needs only construct ranges, so it can skip
    recording condition values (`conditions=False`), counting paths (`paths=False`) and telling
    endings apart (`endings=False`: every `end` is one terminal, and `reachable_endings` says
    only "end"); `fold=False` stops after finding what is reachable (no paths, ranges or loops);
    `prune=False` keeps dead variables (for cross-checking the pruning)."""
    result = Exploration(scenario)
    graph, start = _build_graph(scenario, result, (budget or Budget()).start(), prune, conditions and endings, endings)
    if not fold:
        return result
    loops: list[list[StateKey]] = []
    order = _post_order(graph, start, loops)
    finite = _fold_paths(graph, order, result, paths)
    result.loops = _scene_loops(loops, finite)
    return result


def _scene_loops(loops: list[list[StateKey]], finite: dict) -> list[Loop]:
    """The loops met in story states, grouped into loops of scenes: cycles that share a scene are
    one loop to an author (the same loop met with other variable values, or a wider way round)."""
    groups: list[Loop] = []
    for keys in loops:
        cycle = tuple(dict.fromkeys(key[0] for key in keys))
        trapped = all(finite.get(key) is None for key in keys)
        merged = Loop(cycle, trapped, cycle)
        for group in [g for g in groups if not set(g.scenes).isdisjoint(cycle)]:
            groups.remove(group)
            merged = Loop(tuple(dict.fromkeys(group.scenes + merged.scenes)), group.trapped or merged.trapped, group.cycle)
        groups.append(merged)
    return groups


def _freezer(names: tuple[str, ...]):
    """A function giving the values of a node's live variables, in the node's fixed order."""
    if not names:
        return lambda variables: ()
    if len(names) == 1:
        (name,) = names
        return lambda variables: (variables[name],)
    return itemgetter(*names)


def _text_names(text: str) -> frozenset[str]:
    return getattr(text, "names", frozenset())


def _overwritten(item) -> set[str]:
    return {e.target for e in item.effects if e.kind == "set"}


def live_variables(scenario: Scenario, endings_matter: bool = True, text: bool = False) -> dict[str, frozenset[str]]:
    """For each scene and ending, the variables some later condition may still read. When only
    scores matter (`endings_matter=False`), the endings' own conditions are not counted: endings
    carry no scores, so which one a playthrough reaches cannot change its construct totals. With
    `text`, what scene, consequence and ending text shows counts as a read too (the checker's
    question: which variants of each text can a learner see?)."""
    ending_reads = frozenset()
    if endings_matter:
        ending_reads = frozenset().union(*(e.condition.names for e in scenario.endings.values() if e.condition))
    live: dict[str, frozenset[str]] = {e: frozenset() for e in (*scenario.endings, END)}
    if text and endings_matter:
        live.update({e.id: _text_names(e.text) for e in scenario.endings.values()})
        ending_reads = ending_reads.union(*live.values())
    live.update({s: frozenset() for s in scenario.scenes})
    changed = True
    while changed:  # a fixpoint, so even a scenario with loops gets a sound answer
        changed = False
        for scene in scenario.scenes.values():
            reads: set[str] = set(_text_names(scene.text)) if text else set()
            for choice in scene.choices:
                shown = _text_names(choice.consequence) if text else frozenset()
                after: set[str] = set()
                for route in choice.routes:
                    after |= route.condition.names if route.condition else set()
                    arrival = ending_reads if route.to == END else live.get(route.to, frozenset())
                    after |= (arrival | shown) - _overwritten(route)
                reads |= (after - _overwritten(choice)) | (choice.condition.names if choice.condition else set())
            if reads != live[scene.id]:
                live[scene.id] = frozenset(reads)
                changed = True
    return live


def _build_graph(scenario: Scenario, result: Exploration, budget: Budget, prune: bool, conditions: bool,
                 endings_matter: bool = True) -> tuple[dict[StateKey, tuple[Edge, ...]], StateKey]:
    if prune:
        live = {node: tuple(sorted(names)) for node, names in live_variables(scenario, endings_matter, text=conditions).items()}
    else:
        everything = tuple(sorted(scenario.initial_state))
        live = {node: everything for node in (*scenario.scenes, *scenario.endings, END)}
    freeze = {node: _freezer(names) for node, names in live.items()}
    start: StateKey = (scenario.start, freeze[scenario.start](scenario.initial_state))
    decision_points: dict[tuple, tuple[Edge, ...]] = {}
    graph: dict[StateKey, tuple[Edge, ...]] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        key = frontier.pop()
        node, frozen = key
        if node in scenario.endings or node == END:
            result.reachable_endings.add(node)
            graph[key] = ()
            if conditions and node != END:
                _record_text(scenario.endings[node].text, dict(zip(live[node], frozen)), result.text_values)
            continue
        scene = scenario.scenes[node]
        result.reachable_scenes.add(node)
        variables = dict(zip(live[node], frozen))
        if conditions:
            _record_text(scene.text, variables, result.text_values)
        edges = []
        seen_values = result.condition_values
        for choice in scene.choices:
            if choice.condition is not None:
                allowed = choice.condition.evaluate(variables)
                if conditions:
                    seen_values.setdefault(("choice", node, choice.id), set()).add(allowed)
                if not allowed:
                    continue
            result.reachable_choices.add((node, choice.id))
            after = apply_effects(variables, choice)
            if conditions:
                _record_route_conditions(scenario, node, choice, after, seen_values)
            moves = tuple(possible_moves(scenario, choice.routes, after, endings_matter))
            if conditions:
                for _, arrival in moves:
                    _record_text(choice.consequence, arrival, result.text_values)
            targets = tuple(dict.fromkeys((dest, freeze[dest](arrival)) for dest, arrival in moves))
            edges.append(Edge(node, choice.id, choice.scores, targets))
            for target in targets:
                if target not in seen:
                    seen.add(target)
                    frontier.append(target)
                    if len(seen) % _CLOCK_EVERY == 0 or len(seen) > budget.states:
                        _check_budget(scenario, budget, seen, live)
        if not edges:
            result.dead_ends.add(node)
        elif len(edges) == 1 and len(scene.choices) >= 2:
            result.lone_options.setdefault(node, set()).add(edges[0].choice)
        if len(edges) >= 2:  # one entry per distinct set of options, not per state
            decision_points.setdefault((node, tuple(e.choice for e in edges)), tuple(edges))
        graph[key] = tuple(edges)
    result.states = len(graph)
    result.decision_points = [(node, edges) for (node, _), edges in decision_points.items()]
    return graph, start


def _check_budget(scenario: Scenario, budget: Budget, seen: set[StateKey], live: dict[str, tuple[str, ...]]) -> None:
    if len(seen) > budget.states:
        why = f"the limit of {budget.states:,} states, to bound memory"
    elif budget.out_of_time():
        why = f"the limit of {budget.seconds:g} seconds of processor time"
    else:
        return
    raise ExplorationLimit(scenario, len(seen), why, *_multipliers(scenario, seen, live))


def _multipliers(scenario: Scenario, seen: set[StateKey], live: dict[str, tuple[str, ...]]) -> tuple[str, int, tuple[Multiplier, ...]]:
    """The scene with the most states, how many, and what multiplies them: every variable still to
    be read there that some choice changes (the values each took there so far, most first)."""
    counts = Counter(node for node, _ in seen)
    order = {node: index for index, node in enumerate(scenario.scenes)}
    # The busiest scene; of several as busy, the one with the most still to read, then the first.
    scene = max(counts, key=lambda node: (counts[node], len(live[node]), -order.get(node, 0)))
    count = counts[scene]
    changed = {e.target for s in scenario.scenes.values() for c in s.choices for e in c.effects if e.kind in ("set", "add")}
    columns = dict(zip(live[scene], zip(*(values for node, values in seen if node == scene))))
    found = []
    for name in live[scene]:
        if name in changed:
            taken = set(columns.get(name, ())) or {scenario.initial_state[name]}
            if isinstance(scenario.initial_state[name], str):  # listed text: name its values
                found.append(Multiplier(name, len(taken), 0, 0, False, tuple(sorted(taken))))
                continue
            numbers = [int(v) for v in taken]
            boolean = isinstance(scenario.initial_state[name], bool)
            found.append(Multiplier(name, len(numbers), min(numbers), max(numbers), boolean))
    found.sort(key=lambda m: (m.boolean, 0 if m.boolean else -m.values, _natural(m.name)))  # numbers first, widest first
    return scene, count, tuple(found)


def _natural(name: str) -> tuple:
    """flag2 before flag10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))


def _record_route_conditions(scenario: Scenario, node: str, choice, after, seen_values) -> None:
    for index, route in enumerate(choice.routes):
        if route.condition is not None:
            seen_values.setdefault(("route", node, choice.id, index), set()).add(route.condition.evaluate(after))
        if route.to == END:
            arrival = apply_effects(after, route) if route.effects else after
            for ending in scenario.endings.values():
                if ending.condition is not None:
                    seen_values.setdefault(("ending", ending.id), set()).add(ending.condition.evaluate(arrival))


def _record_text(text: str, variables, text_values: dict) -> None:
    if getattr(text, "conditionals", None):
        for conditional, value in evaluated(text, variables):
            text_values.setdefault(conditional, set()).add(value)


def _post_order(graph, start: StateKey, loops: list[list[StateKey]]) -> list[StateKey]:
    """States children-first, recording any loop met on the way (iterative: graphs can be deep)."""
    order: list[StateKey] = []
    colour: dict[StateKey, int] = {}  # 1 on the stack, 2 done
    stack = [(start, iter(t for e in graph[start] for t in e.targets))]
    colour[start] = 1
    path = [start]
    while stack:
        key, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            path.pop()
            colour[key] = 2
            order.append(key)
        elif colour.get(child) == 1:
            loops.append(path[path.index(child):])
        elif child not in colour:
            colour[child] = 1
            path.append(child)
            stack.append((child, iter(t for e in graph[child] for t in e.targets)))
    return order


def _fold_paths(graph, order: list[StateKey], result: Exploration, paths: bool) -> dict[StateKey, tuple | None]:
    """Walking children first, each state's construct ranges over the paths from it to an ending
    (None when no ending can be reached from it) and, with `paths`, its decision-count histogram."""
    constructs = result.scenario.scored_constructs
    endings = {*result.scenario.endings, END}
    zero = (0,) * len(constructs)
    vectors: dict[tuple[str, str], tuple[int, ...]] = {}  # (scene, choice) -> score deltas
    histogram: dict[StateKey, dict[int, int]] = {}
    lows: dict[StateKey, tuple[int, ...] | None] = {}
    highs: dict[StateKey, tuple[int, ...]] = {}
    for key in order:
        edges = graph[key]
        if not edges:
            ending = key[0] in endings
            lows[key], highs[key] = (zero, zero) if ending else (None, zero)
            histogram[key] = {0: 1} if ending else {}
            continue
        extra = 1 if len(edges) >= 2 else 0
        counts: dict[int, int] = {}
        low = high = None
        for edge in edges:
            vector = vectors.get((edge.scene, edge.choice))
            if vector is None:
                vector = vectors[(edge.scene, edge.choice)] = tuple(edge.scores.get(c, 0) for c in constructs)
            for target in edge.targets:
                target_low = lows.get(target)
                if target_low is None:  # a dead end, or a loop still open: no finite path this way
                    continue
                if paths:
                    for decisions, count in histogram[target].items():
                        counts[decisions + extra] = counts.get(decisions + extra, 0) + count
                target_low = tuple(map(add, target_low, vector))
                target_high = tuple(map(add, highs[target], vector))
                low = target_low if low is None else tuple(map(min, low, target_low))
                high = target_high if high is None else tuple(map(max, high, target_high))
        histogram[key] = counts
        lows[key], highs[key] = low, high
    if order:
        start = order[-1]
        result.decision_counts = Counter(histogram[start])
        start_low, start_high = lows[start] or zero, highs[start] or zero
        result.construct_ranges = {c: (start_low[i], start_high[i]) for i, c in enumerate(constructs)}
    return lows


def survey(scenario: Scenario, budget: Budget | None = None) -> Exploration:
    """Everything the checker reports, in two passes that are each far smaller than one pass
    doing both: the shape of the story (paths, ranges, loops, dead ends, options) explored
    without the variables only endings read, then which endings and condition outcomes occur.
    Both passes share one budget."""
    budget = (budget or Budget()).start()
    shape = explore(scenario, budget, conditions=False, endings=False)
    detail = explore(scenario, budget, fold=False)
    shape.reachable_endings = detail.reachable_endings
    shape.condition_values = detail.condition_values
    shape.text_values = detail.text_values
    shape.states = detail.states
    return shape


def state_space_problem(scenario: Scenario) -> ExplorationLimit | None:
    """Why exploring this scenario would run out of its budget, found by the pass that meets the
    most states (endings told apart) doing the least with them; None when it fits."""
    try:
        explore(scenario, Budget(), conditions=False, paths=False, fold=False)
    except ExplorationLimit as limit:
        return limit
    return None
