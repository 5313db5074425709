"""A game in progress: the engine state plus its save, autosaved after every decision.

Plain mode, the TUI and workshops all play through a Session, so none of them decides for
itself when or how a game is saved.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Mapping

from leadgame.core import engine
from leadgame.core.engine import Outcome, State
from leadgame.core.model import Choice, Scenario, Value
from leadgame.core import locks
from leadgame.core.text import clean_text
from leadgame.core.saves import MAX_NOTE_CHARS, SaveError, SaveGame, lock_path, resume, save_path, write_save


NOT_SAVED = "This was a test run: nothing was saved."
CACHE_FOLDER = ".cache"  # inside the saves folder: construct ranges worked out once per scenario edit


class Session:
    def __init__(self, scenario: Scenario, state: State, save: SaveGame, folder: Path, persist: bool = True,
                 start_variables: Mapping[str, Value] | None = None):
        """`persist=False` is a test run an author asked not to keep: nothing is written or locked.
        `start_variables` are the starting values such a run was given (`play --set`)."""
        self._lock = None
        if persist:
            try:
                self._lock = locks.acquire(lock_path(folder, save.name))
            except locks.LockedElsewhere:
                raise SaveError(
                    f"the game '{save.name}' is open in another leadgame window; close it there, or start a new game"
                ) from None
        self.scenario = scenario
        self.state = state
        self.save = save
        self.folder = Path(folder)
        self.persist = persist
        self.start_variables = dict(start_variables or {})
        self._ranges: dict[str, tuple[int, int]] | None = None

    # --- starting ---------------------------------------------------------------------------

    @classmethod
    def new(cls, scenario: Scenario, folder: Path, name: str | None = None, seed: int = 0,
            coached: bool = False, team: str = "", session: str = "", start_scene: str = "",
            persist: bool = True, start_variables: Mapping[str, Value] | None = None) -> "Session":
        """A new game, saved at once (unless `persist` is False); raises engine.InvalidChoice for
        an unknown start scene."""
        state = engine.start(scenario, seed, start_scene, start_variables)
        name = name or unused_name(folder, scenario.id)
        save = SaveGame(name, scenario.id, scenario.content_hash, seed, coached=coached,
                        scenario_path=scenario.path, team=team, session=session, start_scene=start_scene)
        game = cls(scenario, state, save, folder, persist, start_variables)
        game.write()
        return game

    @classmethod
    def resume(cls, scenario: Scenario, folder: Path, save: SaveGame, persist: bool = True,
               start_variables: Mapping[str, Value] | None = None) -> tuple["Session", tuple[str, ...]]:
        resumed = resume(scenario, save, start_variables)
        state = resumed.replay.state
        save = replace(save, choices=state.choice_log, finished=state.finished,
                       scenario_hash=scenario.content_hash, scenario_path=scenario.path)
        game = cls(scenario, state, save, folder, persist, start_variables)
        if resumed.notes:
            game.write()
        return game, resumed.notes

    # --- playing ----------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def coached(self) -> bool:
        return self.save.coached

    def choices(self) -> tuple[Choice, ...]:
        return engine.available_choices(self.state)

    def choose(self, choice_id: str) -> Outcome:
        self.state, outcome = engine.choose(self.state, choice_id)
        self.save = replace(self.save, choices=self.state.choice_log, finished=self.state.finished)
        self.write()
        return outcome

    def set_coached(self, coached: bool) -> None:
        self.save = replace(self.save, coached=coached)
        self.write()

    def set_feeling(self, text: str) -> None:
        self.save = replace(self.save, feeling=clean_text(text, MAX_NOTE_CHARS))
        self.write()

    def write(self) -> Path | None:
        return write_save(self.folder, self.save) if self.persist else None

    def close(self) -> None:
        """Let other processes open this game (ending the process does the same)."""
        if self._lock is not None:
            locks.release(self._lock)

    # --- after the ending -------------------------------------------------------------------

    def ranges(self) -> dict[str, tuple[int, int]]:
        if self._ranges is None:
            from leadgame.core.explore import construct_ranges  # not needed until the debrief: keeps start-up quick

            self._ranges = construct_ranges(self.scenario, self.folder / CACHE_FOLDER if self.persist else None)
        return self._ranges

    def debrief(self):
        from leadgame.core.debrief import build_debrief

        return build_debrief(self.state, self.save.feeling, self.ranges())

    def branch(self, decisions_kept: int, name: str | None = None) -> "Session":
        """What if: a new game replaying this one's first `decisions_kept` choices."""
        kept = self.state.choice_log[:decisions_kept]
        replayed = engine.replay(self.scenario, self.save.seed, kept, self.save.start_scene, self.start_variables)
        name = name or unused_name(self.folder, f"{self.save.name}-whatif")
        save = replace(self.save, name=name, choices=replayed.state.choice_log,
                       finished=replayed.state.finished, feeling="")
        game = Session(self.scenario, replayed.state, save, self.folder, self.persist, self.start_variables)
        game._ranges = self._ranges
        game.write()
        return game


def unused_name(folder: Path, stem: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{stem}-{stamp}"[:72]
    name, counter = base, 1
    while save_path(Path(folder), name).exists():
        counter += 1
        name = f"{base}-{counter}"
    return name
