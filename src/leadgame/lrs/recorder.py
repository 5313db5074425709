"""Recording games as they are played: the listener on core.hooks that fills the outbox.

Each time a game is saved, its statements are made again from the game itself and the new ones
(by id) are appended to the outbox, then the background sender is nudged. Making them from the
whole game rather than from the last event means whatever a save records (a decision, the
feeling after the ending, a note, a reflection answer) becomes a statement, and a statement missed by a crash is made
at the next save. A game whose recorded progress has not changed since the last look (a room
changing a vote count) costs one comparison. Core calls the listener only once a save is on
disk, and never for a run that is not kept (`play --no-save`): nothing is recorded that the
saves folder does not hold.
"""

from __future__ import annotations

import atexit
import logging
from datetime import datetime, timezone
from pathlib import Path

from leadgame import locations
from leadgame.core import hooks
from leadgame.lrs import config as settings
from leadgame.lrs.outbox import Outbox
from leadgame.lrs.sender import Background
from leadgame.lrs.statements import Profile, of_game

log = logging.getLogger("leadgame.lrs")
EXIT_WAIT = 3.0  # seconds a finished program gives the sender to deliver what is under way


class Recorder:
    def __init__(self, config: settings.LrsConfig, saves: Path, device: str = "", send: bool = True):
        self.config = config
        self.profile = Profile(config, device)
        self.outbox = Outbox(saves)
        self.sender = Background(self.outbox, config) if send and config.configured else None
        self.problem = ""
        self._seen: dict[str, tuple] = {}
        self._stop = hooks.listen(self)
        if self.sender is not None and self.outbox.queue_file.exists():
            self.sender.nudge()  # anything left queued by an earlier run goes now

    def __call__(self, game) -> None:
        try:
            play = of_game(game)
            progress = (len(play.state.history), play.state.finished, play.comments, tuple(play.notes.items()), play.mode,
                        play.team, play.set_aside, len(play.devices))
            if self._seen.get(play.registration) == progress:
                return
            added = self.outbox.add(self.profile.statements(play, _now()))
            self._seen[play.registration] = progress
        except Exception as error:  # a record must never cost a game: the save is already written
            self.problem = f"{error.__class__.__name__}: {error}"
            log.warning("learning record not queued: %s", self.problem)
            return
        if added and self.sender is not None:
            self.sender.nudge()

    def close(self, wait: float = EXIT_WAIT) -> None:
        self._stop()
        if self.sender is not None:
            self.sender.flush(wait)


def _now() -> str:
    """This moment, to the millisecond: decisions made within a second stay in order."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def start(config: settings.LrsConfig, saves: Path | None = None) -> Recorder:
    """Record every game this process plays (to the outbox; sent when an LRS is configured)."""
    device = settings.device_id() if config.actor == settings.ANONYMOUS else ""
    recorder = Recorder(config, Path(saves) if saves else locations.saves_dir(), device)
    atexit.register(recorder.close)
    return recorder
