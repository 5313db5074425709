"""Audit a scenario against the case-study requirements; also run as a script by authors.

    python tests/scenario_audit.py scenarios/FILE.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path

from leadgame.core.audit import dominated_choices, one_way_constructs, scene_words, total_words
from leadgame.core.explore import explore
from leadgame.core.loader import load_constructs, load_scenario
from leadgame.core.problems import ScenarioError

MIN_SCENES, MIN_DECISIONS, MIN_ENDINGS, MAX_SCENE_WORDS = 30, 10, 4, 180


def audit(path: Path) -> tuple[dict, list[str]]:
    """Figures and a list of failures (empty when the scenario meets every requirement)."""
    catalogue = load_constructs(path.parent / "constructs.yaml")
    scenario = load_scenario(path, catalogue)
    exploration = explore(scenario)
    failures: list[str] = []
    decisions = exploration.decisions
    figures = {
        "scenes": len(scenario.scenes),
        "endings": len(scenario.endings),
        "decisions": decisions,
        "paths": exploration.paths,
        "states": exploration.states,
        "words": total_words(scenario),
        "constructs": list(scenario.scored_constructs),
    }
    if len(scenario.scenes) < MIN_SCENES:
        failures.append(f"only {len(scenario.scenes)} scenes (need {MIN_SCENES})")
    if len(scenario.endings) < MIN_ENDINGS:
        failures.append(f"only {len(scenario.endings)} endings (need {MIN_ENDINGS})")
    if decisions["min"] < MIN_DECISIONS:
        failures.append(f"some path has only {decisions['min']} decisions (need {MIN_DECISIONS})")
    failures += [f"unreachable: {node}" for node in exploration.unreachable()]
    failures += [f"dead end at scene {scene}" for scene in sorted(exploration.dead_ends)]
    failures += [f"loop through {' -> '.join(loop.scenes)}" for loop in exploration.loops]
    failures += [f"choice {d.scene}/{d.choice} dominates {', '.join(d.over)}" for d in dominated_choices(exploration)]
    failures += [f"construct {c} {how}" for c, how in one_way_constructs(exploration).items()]
    for scene_id, count in scene_words(scenario).items():
        if count > MAX_SCENE_WORDS:
            failures.append(f"scene {scene_id} has {count} words (limit {MAX_SCENE_WORDS})")
    for scene_id, choices in exploration.decision_points:
        scene = scenario.scenes[scene_id]
        if not scene.facilitator_notes or not scene.facilitator_prompts:
            failures.append(f"decision scene {scene_id} lacks facilitator notes or prompts")
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if not scene.is_passage and (not choice.rationale or not choice.ref):
                failures.append(f"choice {scene.id}/{choice.id} lacks rationale or ref")
    for ending in scenario.endings.values():
        if not ending.what_really_happened.strip():
            failures.append(f"ending {ending.id} lacks what_really_happened")
    return figures, sorted(set(failures))


def main(argv: list[str]) -> int:
    status = 0
    for name in argv:
        try:
            figures, failures = audit(Path(name))
        except ScenarioError as error:
            print("\n".join(str(p) for p in error.problems))
            status = 1
            continue
        print(f"{name}: {figures}")
        for failure in failures:
            print(f"  FAIL {failure}")
        status |= bool(failures)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def paths_to_endings(scenario, seeds=range(8)) -> dict[str, tuple[int, tuple[str, ...]]]:
    """For each ending, a seed and a choice log that reaches it, found by playing the engine."""
    from leadgame.core import engine

    found: dict[str, tuple[int, tuple[str, ...]]] = {}
    for seed in seeds:
        seen = set()
        stack = [engine.start(scenario, seed)]
        while stack and len(found) < len(scenario.endings):
            state = stack.pop()
            key = (state.node, tuple(sorted(state.variables.items())), len(state.history))
            if key in seen:
                continue
            seen.add(key)
            if state.finished:
                found.setdefault(state.node, (seed, state.choice_log))
                continue
            for choice in engine.available_choices(state):
                stack.append(engine.choose(state, choice.id)[0])
        if len(found) == len(scenario.endings):
            break
    return found


def plain_input(scenario, seed: int, log: tuple[str, ...], feeling: str = "") -> str:
    """The lines a learner would type in plain mode to make these choices."""
    lines = []
    for step in _steps(scenario, seed, log):
        lines.append("" if step[0].is_passage else step[1])
    return "\n".join(lines + [feeling]) + "\n"


def _steps(scenario, seed, log):
    from leadgame.core import engine

    state = engine.start(scenario, seed)
    for choice_id in log:
        yield state.scene, choice_id
        state, _ = engine.choose(state, choice_id)
