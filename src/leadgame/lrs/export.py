"""Games already on disk as statements: `leadgame lrs export PATHS`.

Every save and room session under the paths is replayed (as a cohort report reads them) and its
statements, stamped with the save's own times, join the outbox; with an LRS configured they are
sent as they go, so a large export never holds more than a few thousand statements at once.
They join the outbox a few hundred at a time: a crash part-way loses nothing the saves do not
still hold, and exporting again makes the rest.
Statement ids come from the games themselves: exporting twice, or exporting games that were
recorded live, adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from leadgame.lrs.outbox import Outbox
from leadgame.lrs.statements import Profile, from_room, from_save
from leadgame.report.collect import ROOM, Scenarios, read_games

SEND_EVERY = 2000  # statements queued between sends during an export
QUEUE_EVERY = 500  # statements made between appends to the outbox (each one flushed to disk)


@dataclass
class Exported:
    games: int = 0
    statements: int = 0  # made from the games
    queued: int = 0  # new to the outbox (the rest were queued or sent before)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def export(paths: list[Path], profile: Profile, outbox: Outbox, send: Callable[[], None] | None = None) -> Exported:
    """Queue the statements of every game under `paths`; `send` is called every SEND_EVERY new
    statements and at the end (raises whatever it raises: the outbox keeps the rest).
    Raises OutboxFull when the outbox can take no more."""
    exported = Exported()
    made: list[dict] = []
    waiting = 0

    def queue() -> int:
        added = outbox.add(made)
        exported.queued += added
        made.clear()
        return added

    for path, loaded in read_games(paths, Scenarios()):
        if isinstance(loaded, str):
            exported.skipped.append((path, loaded))
            continue
        state = loaded.replay.state
        play = from_room(loaded.record, state) if loaded.kind == ROOM else from_save(loaded.record, state)
        before = len(made)
        made.extend(profile.statements(play))
        exported.games += 1
        exported.statements += len(made) - before
        if len(made) >= QUEUE_EVERY:
            waiting += queue()
        if send is not None and waiting >= SEND_EVERY:
            send()
            waiting = 0
    waiting += queue()
    if send is not None and waiting:
        send()
    return exported
