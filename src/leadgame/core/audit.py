"""Learning-design rules over an explored scenario: dilemmas, not quizzes.

Used by the scenario tests today and by the authoring checker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leadgame.core.explore import Edge, Exploration
from leadgame.core.model import Scenario
from leadgame.core.templates import longest

_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Dominance:
    scene: str
    choice: str
    over: tuple[str, ...]


def dominated_choices(exploration: Exploration) -> list[Dominance]:
    """Options at least as good as every alternative on every construct, and better somewhere."""
    found: dict[tuple[str, str], Dominance] = {}
    for scene, edges in exploration.decision_points:
        constructs = sorted({c for e in edges for c in e.scores})
        for edge in edges:
            others = [o for o in edges if o.choice != edge.choice]
            if others and all(_dominates(edge, other, constructs) for other in others):
                found[(scene, edge.choice)] = Dominance(scene, edge.choice, tuple(o.choice for o in others))
    return list(found.values())


def _dominates(edge: Edge, other: Edge, constructs: list[str]) -> bool:
    mine = [edge.scores.get(c, 0) for c in constructs]
    theirs = [other.scores.get(c, 0) for c in constructs]
    return all(a >= b for a, b in zip(mine, theirs)) and mine != theirs


def one_way_constructs(exploration: Exploration) -> dict[str, str]:
    """Scored constructs that reachable choices can only raise, or only lower."""
    rises, falls = set(), set()
    scenario = exploration.scenario
    for scene_id, choice_id in exploration.reachable_choices:
        choice = next(c for c in scenario.scenes[scene_id].choices if c.id == choice_id)
        for construct, delta in choice.scores.items():
            (rises if delta > 0 else falls if delta < 0 else set()).add(construct)
    result = {}
    for construct in scenario.scored_constructs:
        if construct not in falls:
            result[construct] = "only rises"
        elif construct not in rises:
            result[construct] = "only falls"
    return result


def words(text: str) -> int:
    """Words in a text; conditional text counts its longest variant, as the longest a learner reads."""
    return len(_WORD.findall(longest(text)))


def scene_words(scenario: Scenario) -> dict[str, int]:
    return {scene.id: words(scene.text) for scene in scenario.scenes.values()}


def total_words(scenario: Scenario) -> int:
    parts = [scenario.intro, *scenario.reflection]
    for scene in scenario.scenes.values():
        parts += [scene.text, scene.facilitator_notes, *scene.facilitator_prompts]
        for choice in scene.choices:
            parts += [choice.label, choice.consequence, choice.rationale]
    for ending in scenario.endings.values():
        parts += [ending.text, ending.what_really_happened]
    return sum(words(p) for p in parts)
