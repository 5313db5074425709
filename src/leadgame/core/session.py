"""A game in progress: the engine state plus its save, autosaved after every decision.

Plain mode, the TUI and workshops all play through a Session, so none of them decides for
itself when or how a game is saved.
"""

from __future__ import annotations

from dataclasses import replace
import secrets
from datetime import datetime
from pathlib import Path

from leadgame.core import engine
from leadgame.core.engine import Outcome, State
from leadgame.core.model import Choice, Scenario
from leadgame.core import hooks, locks
from leadgame.core.text import clean_text
from leadgame.core.saves import MAX_NOTE_CHARS, SaveError, SaveGame, lock_path, resume, save_path, write_save


def fresh_seed() -> int:
    """A new game's seed: it fixes the order options appear in and any chance events, so each
    playthrough differs while a resumed or replayed one repeats exactly."""
    return secrets.randbelow(2**31)


class Session:
    def __init__(self, scenario: Scenario, state: State, save: SaveGame, folder: Path):
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

    # --- starting ---------------------------------------------------------------------------

    @classmethod
    def new(cls, scenario: Scenario, folder: Path, name: str | None = None, seed: int | None = None,
            coached: bool = False, team: str = "", session: str = "", start_scene: str = "") -> "Session":
        """A new game, saved at once; raises engine.InvalidChoice for an unknown start scene."""
        seed = fresh_seed() if seed is None else seed
        state = engine.start(scenario, seed, start_scene)
        name = name or unused_name(folder, scenario.id)
        save = SaveGame(name, scenario.id, scenario.content_hash, seed, coached=coached,
                        scenario_path=scenario.path, team=team, session=session, start_scene=start_scene)
        game = cls(scenario, state, save, folder)
        game.write()
        return game

    @classmethod
    def resume(cls, scenario: Scenario, folder: Path, save: SaveGame) -> tuple["Session", tuple[str, ...]]:
        resumed = resume(scenario, save)
        state = resumed.replay.state
        save = replace(save, choices=state.choice_log, finished=state.finished,
                       scenario_hash=scenario.content_hash, scenario_path=scenario.path)
        game = cls(scenario, state, save, folder)
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
        return engine.ordered_choices(self.state)

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

    def write(self) -> Path:
        path = write_save(self.folder, self.save)
        hooks.progressed(self)
        return path

    def close(self) -> None:
        """Let other processes open this game (ending the process does the same)."""
        locks.release(self._lock)

    # --- after the ending -------------------------------------------------------------------

    def debrief(self):
        from leadgame.core.debrief import build_debrief

        return build_debrief(self.state, self.save.feeling)

    def branch(self, decisions_kept: int, name: str | None = None) -> "Session":
        """What if: a new game replaying this one's first `decisions_kept` choices."""
        kept = self.state.choice_log[:decisions_kept]
        replayed = engine.replay(self.scenario, self.save.seed, kept, self.save.start_scene)
        name = name or unused_name(self.folder, f"{self.save.name}-whatif")
        save = replace(self.save, name=name, choices=replayed.state.choice_log,
                       finished=replayed.state.finished, feeling="")
        game = Session(self.scenario, replayed.state, save, self.folder)
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
