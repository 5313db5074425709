"""Find a way to every ending of a scenario, and turn it into what a learner types in plain mode."""

from __future__ import annotations

from leadgame.core import engine


def paths_to_endings(scenario, seeds=range(8)) -> dict[str, tuple[int, tuple[str, ...]]]:
    """For each ending, a seed and a choice log that reaches it, found by playing the engine."""
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
    """The lines a learner would type in plain mode to make these choices: Enter for a passage,
    the choice id for a decision, then the note on how it felt."""
    lines = []
    state = engine.start(scenario, seed)
    for choice_id in log:
        lines.append("" if state.scene.is_passage else choice_id)
        state, _ = engine.choose(state, choice_id)
    return "\n".join(lines + [feeling]) + "\n"
