"""A game in progress: the engine state plus its save, autosaved after every decision.

Plain mode, the TUI and workshops all play through a Session, so none of them decides for
itself when or how a game is saved.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Mapping

from leadgame.core import engine
from leadgame.core.engine import Outcome, State
from leadgame.core.model import Choice, Scenario, Value
from leadgame.core import hooks, locks
from leadgame.core.text import clean_text
from leadgame.core.saves import (
    MAX_NOTE_CHARS, MAX_SET_ASIDE, SaveError, SaveGame, SetAside, file_problem, lock_path, now, read_save, remove_temporaries,
    resume, save_path, trail_of, write_save,
)


NOT_SAVED = "This was a test run: nothing was saved."


def fresh_seed() -> int:
    """A new game's seed: it fixes the order options appear in and any chance events, so each
    playthrough differs while a resumed or replayed one repeats exactly."""
    return secrets.randbelow(2**31)


class Session:
    def __init__(self, scenario: Scenario, state: State, save: SaveGame, folder: Path, persist: bool = True,
                 start_variables: Mapping[str, Value] | None = None):
        """`persist=False` is a test run an author asked not to keep: nothing is written or locked.
        `start_variables` are the starting values such a run was given (`play --set`)."""
        self._lock = None
        if persist:
            self._lock = _lock(folder, save.name)
            remove_temporaries(save_path(folder, save.name), locked=True)  # ours alone now: whatever a crash left goes
        self.scenario = scenario
        self.state = state
        self.save = save
        self.folder = Path(folder)
        self._origin: State | None = None  # a what-if's first run, read when first asked for
        self.set_aside_now: SetAside | None = None  # what this resume could not replay (see resume)
        self.persist = persist
        self.start_variables = dict(start_variables or {})

    # --- starting ---------------------------------------------------------------------------

    @classmethod
    def new(cls, scenario: Scenario, folder: Path, name: str | None = None, seed: int | None = None,
            coached: bool = False, team: str = "", session: str = "", start_scene: str = "",
            learner: str = "", replace_existing: bool = False, persist: bool = True,
            start_variables: Mapping[str, Value] | None = None) -> "Session":
        """A new game, saved at once (unless `persist` is False); raises engine.InvalidChoice for
        an unknown start scene. A game already saved under `name` is never replaced unless
        `replace_existing` is given, and never by a game of another scenario (the replaced one
        stays as the newest backup)."""
        seed = fresh_seed() if seed is None else seed
        state = engine.start(scenario, seed, start_scene, start_variables)
        name = name or unused_name(folder, scenario.id)
        save = SaveGame(name, scenario.id, scenario.content_hash, seed, coached=coached,
                        scenario_path=scenario.path, team=team, session=session, start_scene=start_scene,
                        learner=learner)
        game = cls(scenario, state, save, folder, persist, start_variables)
        try:
            if persist:
                _may_replace(save_path(folder, name), scenario, replace_existing)
            game.write()
        except BaseException:
            game.close()
            raise
        return game

    @classmethod
    def resume(cls, scenario: Scenario, folder: Path, save: SaveGame, persist: bool = True,
               start_variables: Mapping[str, Value] | None = None) -> tuple["Session", tuple[str, ...]]:
        """The game where its decisions lead on the scenario as it is now, with notes on what an
        edit changed. Nothing is written until the learner goes on: decisions that no longer
        replay (`set_aside_now`) are then kept in the save, set aside, never dropped.
        `start_variables` are starting values an author set for a test run (never saved)."""
        resumed = resume(scenario, save, start_variables)
        state = resumed.replay.state
        kept = save.set_aside
        if resumed.set_aside and not any((e.kept, e.decisions) == (resumed.set_aside.kept, resumed.set_aside.decisions) for e in kept):
            kept = (*kept, resumed.set_aside)[-MAX_SET_ASIDE:]
        notes = save.notes
        if resumed.set_aside:  # the notes on decisions set aside go with them
            notes = {step: text for step, text in notes.items() if step < resumed.set_aside.kept}
        save = replace(save, choices=state.choice_log, trail=trail_of(state), finished=state.finished,
                       scenario_hash=scenario.content_hash, scenario_path=scenario.path,
                       start_scene=resumed.start_scene, set_aside=kept, notes=notes)
        game = cls(scenario, state, save, folder, persist, start_variables)
        game.set_aside_now = resumed.set_aside
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
        """Take a choice and save it. When the save fails (SaveError) the game stays where it
        was, so the learner can try again: a decision is made only once it is saved."""
        state, outcome = engine.choose(self.state, choice_id)
        self._commit(replace(self.save, choices=state.choice_log, trail=trail_of(state), finished=state.finished), state)
        return outcome

    def set_coached(self, coached: bool) -> None:
        self._commit(replace(self.save, coached=coached))

    def set_feeling(self, text: str) -> None:
        self._commit(replace(self.save, feeling=clean_text(text, MAX_NOTE_CHARS)))

    def set_note(self, step: int, text: str) -> None:
        """Keep (or, when `text` is empty, drop) the learner's note on one step of the path."""
        notes = {**self.save.notes, step: clean_text(text, MAX_NOTE_CHARS)}
        self._commit(replace(self.save, notes={k: v for k, v in notes.items() if v}))

    def set_answer(self, question: str, text: str) -> None:
        answers = {**self.save.answers, question: clean_text(text, MAX_NOTE_CHARS)}
        self._commit(replace(self.save, answers={k: v for k, v in answers.items() if v}))

    def write(self) -> Path | None:
        return self._commit(self.save)

    def move_to(self, folder: Path, name: str) -> Path:
        """Keep this game in another file from now on ("save as", when its own folder cannot be
        written): never over another game; the old file, if any, stays as it was."""
        lock = _lock(folder, name)
        try:
            _may_replace(save_path(folder, name), self.scenario, replace_existing=False)
            path = write_save(folder, replace(self.save, name=name))
        except BaseException:
            locks.release(lock)
            raise
        locks.release(self._lock)
        self._lock, self.folder, self.save = lock, Path(folder), replace(self.save, name=name)
        hooks.progressed(self)
        return path

    def _commit(self, save: SaveGame, state: State | None = None) -> Path | None:
        """Save first, then take the change: a decision is made only once it is on disk. Listeners
        (learning records) hear of it only then, and never of a run that is not kept."""
        path = write_save(self.folder, save) if self.persist else None
        self.save = save
        self.state = state or self.state
        if path is not None:
            hooks.progressed(self)
        return path

    def close(self) -> None:
        """Let other processes open this game (ending the process does the same)."""
        if self._lock is not None:
            locks.release(self._lock)

    # --- after the ending -------------------------------------------------------------------

    def debrief(self):
        from leadgame.core.debrief import build_debrief

        return build_debrief(self.state, self.save.feeling, save=self.save, origin=self.origin())

    def origin(self) -> State | None:
        """For a what-if replay, the game it branched from as it stands in its save (None when
        this is no replay, or that save is gone or no longer fits the scenario)."""
        if not self.save.origin:
            return None
        if self._origin is None:
            self._origin = origin_state(self.scenario, self.folder, self.save)
        return self._origin

    def branch(self, steps_kept: int, name: str | None = None) -> "Session":
        """What if: a new game replaying this one's first `steps_kept` steps (passages count),
        saved with a note of where it came from, so its label and comparison outlive the app."""
        kept = self.state.choice_log[:steps_kept]
        replayed = engine.replay(self.scenario, self.save.seed, kept, self.save.start_scene, self.start_variables)
        name = name or unused_name(self.folder, f"{self.save.name}-whatif")
        notes = {step: text for step, text in self.save.notes.items() if step < steps_kept}
        save = replace(self.save, name=name, choices=replayed.state.choice_log, trail=trail_of(replayed.state),
                       finished=replayed.state.finished, feeling="", set_aside=(), answers={}, notes=notes,
                       origin=self.save.name, branched_at=steps_kept, created=now(), updated=now())
        game = Session(self.scenario, replayed.state, save, self.folder, self.persist, self.start_variables)
        game._origin = self.state
        try:
            if self.persist:
                _may_replace(save_path(self.folder, name), self.scenario, replace_existing=False)
            game.write()
        except BaseException:
            game.close()
            raise
        return game


def saved_debrief(scenario: Scenario, folder: Path, save: SaveGame):
    """The debrief of a saved game, read without opening it (it may be open in a window)."""
    from leadgame.core.debrief import build_debrief

    state = resume(scenario, save).replay.state
    origin = origin_state(scenario, folder, save) if save.origin else None
    return build_debrief(state, save.feeling, save=save, origin=origin)


def origin_state(scenario: Scenario, folder: Path, save: SaveGame) -> State | None:
    """The game a what-if replay branched from, replayed from its save; None if it cannot be."""
    try:
        origin = read_save(save_path(Path(folder), save.origin))
        return resume(scenario, origin).replay.state
    except (SaveError, OSError):
        return None


def _lock(folder: Path, name: str) -> Path:
    """Hold the game `name` in `folder` for this process; SaveError when another has it or the
    folder cannot be used."""
    try:
        return locks.acquire(lock_path(folder, name))
    except locks.LockedElsewhere:
        raise SaveError(f"the game '{name}' is open in another leadgame window; close it there, or start a new game") from None
    except OSError as error:
        raise SaveError(f"could not open the game '{name}': {file_problem(error, Path(folder))}") from None


def _may_replace(path: Path, scenario: Scenario, replace_existing: bool) -> None:
    """Refuse to start a new game over a saved one, unless told to and it is the same scenario."""
    if not path.exists() and not path.is_symlink():
        return
    name = path.stem
    try:
        existing = read_save(path)
    except SaveError as error:
        raise SaveError(f"{error}\nA game is already saved as '{name}' and cannot be read; leadgame will not start "
                        f"over it. Choose another name, or see `leadgame play --resume {name} --use-backup`.") from None
    if existing.scenario_id != scenario.id:
        raise SaveError(f"a game of another scenario ('{existing.scenario_id}') is saved as '{name}'; "
                        "choose another name for this one")
    if not replace_existing:
        raise SaveError(f"a game is already saved as '{name}' ({len(existing.choices)} choices made); continue it with "
                        f"`leadgame play --resume {name}`, choose another name, or add --replace to start it again "
                        "(the old game is kept as its backup)")


def unused_name(folder: Path, stem: str) -> str:
    """A new save name: the stem, the time and a random tag, so games started in the same second
    (a room of learners pressing Enter together) never share a name."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    while True:
        name = f"{stem[:52].rstrip('-_.')}-{stamp}-{secrets.token_hex(3)}"
        if not save_path(Path(folder), name).exists():
            return name
