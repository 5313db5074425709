"""The real leaders' path: the choices the source reports its leaders made, declared by the
author with `real:` on an option at each juncture the source reports (`real: silent` where the
path must go on but the source says nothing), played through the engine like any other path.

It is one path among many, shown beside the learner's own: never an answer key.
"""

from __future__ import annotations

from dataclasses import dataclass

from leadgame.core import engine
from leadgame.core.model import SILENT, Choice, Scenario, Scene

MAX_STEPS = 10_000  # a loop of real choices must not hang a debrief


@dataclass(frozen=True)
class RealPath:
    state: engine.State
    stopped: str = ""  # why the path could not go on, in words for an author; "" when it ended

    @property
    def complete(self) -> bool:
        return not self.stopped and self.state.finished


def real_choice(scene: Scene, offered: tuple[Choice, ...]) -> Choice | None:
    """The option the real leaders' path takes here among those on offer: the one marked
    `real`, or a passage's only way on."""
    if scene.is_passage:
        return offered[0] if offered else None
    return next((c for c in offered if c.real), None)


def reported(choice: Choice | None) -> bool:
    """Whether the source reports this choice (rather than the path going on in silence)."""
    return bool(choice and choice.real and choice.real != SILENT)


def real_path(scenario: Scenario, seed: int = 0) -> RealPath:
    state = engine.start(scenario, seed)
    for _ in range(MAX_STEPS):
        if state.finished:
            return RealPath(state)
        scene = state.scene
        choice = real_choice(scene, engine.available_choices(state))
        if choice is None:
            return RealPath(state, f"scene '{scene.id}' has no option marked `real:` that is available on this path")
        state, _ = engine.choose(state, choice.id)
    return RealPath(state, f"the real path runs past {MAX_STEPS} steps without ending")
