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
    failures += [f"loop through {' -> '.join(loop)}" for loop in exploration.loops]
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
