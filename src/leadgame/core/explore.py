"""Exhaustive exploration of a scenario's reachable states.

A state is (scene or ending id, story variables): construct scores never gate choices, so they
are left out of the state. Variables that nothing downstream can read any more are dropped from
the state too (a liveness analysis, as compilers do), so flags that only matter in one act stop
multiplying the states of the next; the graph stays small. Exploration finds what is reachable, dead
ends and loops, then walks the graph backwards from the endings to get, for every complete
playthrough, the number of decisions and the range of each construct's total. Scoring uses
those ranges to place a learner's profile; the tests and the checker use the rest.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from operator import add, itemgetter

from leadgame.core.engine import apply_effects, possible_moves
from leadgame.core.model import END, Scenario
from leadgame.core.templates import evaluated

MAX_STATES = 2_000_000

StateKey = tuple[str, tuple]


class ExplorationLimit(RuntimeError):
    pass


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


def explore(scenario: Scenario, max_states: int = MAX_STATES, prune: bool = True, conditions: bool = True,
            paths: bool = True, endings: bool = True, fold: bool = True) -> Exploration:
    """Explore every reachable state. The debrief needs only construct ranges, so it can skip
    recording condition values (`conditions=False`), counting paths (`paths=False`) and telling
    endings apart (`endings=False`: every `end` is one terminal, and `reachable_endings` says
    only "end"); `fold=False` stops after finding what is reachable (no paths, ranges or loops);
    `prune=False` keeps dead variables (for cross-checking the pruning)."""
    result = Exploration(scenario)
    graph, start = _build_graph(scenario, result, max_states, prune, conditions and endings, endings)
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


def _build_graph(scenario: Scenario, result: Exploration, max_states: int, prune: bool, conditions: bool,
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
                    if len(seen) > max_states:
                        raise ExplorationLimit(f"more than {max_states} reachable states")
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


def survey(scenario: Scenario, max_states: int = MAX_STATES) -> Exploration:
    """Everything the checker reports, in two passes that are each far smaller than one pass
    doing both: the shape of the story (paths, ranges, loops, dead ends, options) explored
    without the variables only endings read, then which endings and condition outcomes occur."""
    shape = explore(scenario, max_states, conditions=False, endings=False)
    detail = explore(scenario, max_states, fold=False)
    shape.reachable_endings = detail.reachable_endings
    shape.condition_values = detail.condition_values
    shape.text_values = detail.text_values
    shape.states = detail.states
    return shape


RANGES_CACHE_VERSION = 1


def construct_ranges(scenario: Scenario, cache_dir: Path | None = None) -> dict[str, tuple[int, int]]:
    """Each scored construct's achievable (lowest, highest) total over every playthrough.

    Exploring a rich scenario takes a second or two; with `cache_dir` the answer is kept in a
    small JSON file named by the scenario's content hash, so it is worked out once per edit of
    the file rather than once per debrief or report. A damaged cache file is simply ignored."""
    path = None
    if cache_dir is not None and scenario.content_hash:
        path = Path(cache_dir) / f"ranges-{RANGES_CACHE_VERSION}-{scenario.content_hash[:40]}.json"
        cached = _read_ranges(path, scenario)
        if cached is not None:
            return cached
    ranges = explore(scenario, conditions=False, paths=False, endings=False).construct_ranges
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            from leadgame.core.saves import atomic_write

            atomic_write(path, json.dumps({c: list(r) for c, r in ranges.items()}))
        except OSError:
            pass  # a read-only folder only costs the next debrief the same wait
    return ranges


def _read_ranges(path: Path, scenario: Scenario) -> dict[str, tuple[int, int]] | None:
    try:
        if path.stat().st_size > 64_000:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or set(data) != set(scenario.scored_constructs):
        return None
    ranges = {}
    for construct, pair in data.items():
        if not (isinstance(pair, list) and len(pair) == 2 and all(type(v) is int for v in pair) and pair[0] <= pair[1]):
            return None
        ranges[construct] = (pair[0], pair[1])
    return ranges
