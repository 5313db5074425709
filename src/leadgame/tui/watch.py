"""`leadgame play PATH --watch`: notice when an author saves the scenario file, and carry the
game on in the new version (no Textual here, so it is tested on its own).

Noticing is one `stat` of the scenario and of its construct catalogue per poll: the app's
timer asks `FileWatch.changed()` twice a second, and only a change costs a load (tens of
milliseconds for the largest shipped scenario). Carrying on is `Session.resume` semantics: the
choice log is replayed as far as it still fits, and the replay says where it stopped.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from leadgame import locations

if TYPE_CHECKING:
    from leadgame.core.engine import Outcome, State
    from leadgame.core.model import Scenario
    from leadgame.core.session import Session

Signature = tuple[tuple[int, int, int] | None, ...]


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None  # missing for now (an editor mid-save) or unreadable: the load will say which
    return found.st_mtime_ns, found.st_size, found.st_ino


class FileWatch:
    """The scenario file, the files it includes and its catalogue, by modification time, size
    and inode."""

    def __init__(self, path: Path, includes: tuple[str, ...] = ()) -> None:
        self.path = Path(path)
        self.files: tuple[Path, ...] = ()
        self.follow(includes)

    def follow(self, includes: tuple[str, ...]) -> None:
        """Watch these included files from now on (as the last good load of the scenario lists them)."""
        self.files = (self.path, *map(Path, includes), locations.catalogue_for(self.path))
        self.signature = self.read()

    def read(self) -> Signature:
        return tuple(_stat(path) for path in self.files)

    def changed(self) -> bool:
        """True once for each change since the last call."""
        now = self.read()
        if now == self.signature:
            return False
        self.signature = now
        return True

    def owns(self, scenario: Scenario) -> bool:
        """Whether a game of `scenario` was loaded from the watched file."""
        return bool(scenario.path) and _same_file(Path(scenario.path), self.path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def reload_session(game: Session, scenario: Scenario, log: tuple[str, ...]) -> tuple[Session, tuple[str, ...]]:
    """The game replayed on the edited scenario: `log` (its choices, or a longer path it had
    before an edit cut it short) applied as far as it still fits. The save is rewritten and
    the old session let go. Raises SaveError or OSError when the save cannot be written."""
    from leadgame.core.session import Session

    # The author may rename the scenario's id as they work: it is still this game. An empty
    # hash keeps resume from saying "the file has changed", which the author knows.
    save = replace(game.save, scenario_id=scenario.id, scenario_hash="", choices=tuple(log))
    fresh, notes = Session.resume(scenario, game.folder, save, game.persist, game.start_variables)
    fresh.write()
    game.close()
    return fresh, notes


def last_outcome(state: State) -> Outcome | None:
    """The outcome of the latest step of `state`, rebuilt from the scenario it now belongs to."""
    from leadgame.core.engine import Outcome

    if not state.history:
        return None
    step = state.history[-1]
    scene = state.scenario.scenes.get(step.scene)
    choice = next((c for c in scene.choices if c.id == step.choice), None) if scene else None
    if choice is None:
        return None
    return Outcome(scene, choice, step.destination, choice.scores, step.variables)


def _plain(item):
    """A scene, ending or choice without its line number, so moving it in the file is no change."""
    if hasattr(item, "choices"):
        return replace(item, line=0, column=0, choices=tuple(replace(c, line=0, column=0) for c in item.choices))
    return replace(item, line=0, column=0)


def describe_changes(old: Scenario, new: Scenario) -> str:
    """What an edit changed, in one line an author can read: scenes and endings added, removed
    or changed, and the scenario's own details."""
    parts = []
    for kind, before, after in (("scene", old.scenes, new.scenes), ("ending", old.endings, new.endings)):
        added = [i for i in after if i not in before]
        removed = [i for i in before if i not in after]
        changed = [i for i in after if i in before and _plain(after[i]) != _plain(before[i])]
        for verb, ids in (("changed", changed), ("added", added), ("removed", removed)):
            if ids:
                plural = "s" if len(ids) > 1 else ""
                parts.append(f"{kind}{plural} {', '.join(repr(i) for i in ids)} {verb}")
    fields = ("id", "title", "intro", "start", "initial_state", "reflection", "summary", "role", "place", "years")
    details = [name for name in fields if getattr(old, name) != getattr(new, name)]
    if details:
        parts.append(f"{', '.join(details)} changed")
    if old.constructs != new.constructs:
        parts.append("constructs changed")
    words = "; ".join(parts) or "nothing the game shows changed"
    return words[0].upper() + words[1:]
