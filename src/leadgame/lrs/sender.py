"""Sending the outbox: now, with progress (`leadgame lrs push`), or in the background as people play.

Batches go by POST. When the LRS refuses a batch (a conflict or an invalid statement), its
statements go one by one by PUT, so one bad statement never holds back the rest: a conflict
means the LRS already holds that event (statement ids are made from the event itself), and an
invalid statement is set aside with the LRS's reason. Wrong credentials or an unreachable LRS
stop the push; everything not yet accepted stays in the outbox.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Callable

from leadgame.core import locks
from leadgame.lrs.client import Client, Conflict, CredentialsRefused, LrsError, Refused
from leadgame.lrs.config import LrsConfig
from leadgame.lrs.outbox import Outbox

log = logging.getLogger("leadgame.lrs")
RETRY_FIRST, RETRY_MOST = 2.0, 300.0  # seconds between background attempts after a failure
Progress = Callable[[int, int], None]  # (statements done, statements queued at the start)

_one_sender = threading.Lock()


class Busy(LrsError):
    """Another leadgame process is sending this outbox right now."""


@dataclass
class Pushed:
    sent: int = 0  # accepted by the LRS now
    already: int = 0  # the LRS already held them
    refused: int = 0  # set aside as invalid

    @property
    def done(self) -> int:
        return self.sent + self.already + self.refused


def push(outbox: Outbox, config: LrsConfig, progress: Progress | None = None, client: Client | None = None) -> Pushed:
    """Send every queued statement; raises LrsError (Busy, CredentialsRefused, Unreachable)."""
    client = client or Client(config)
    with _one_sender:
        try:
            held = locks.acquire(outbox.send_lock)
        except locks.LockedElsewhere:
            raise Busy("another leadgame is sending these learning records now; try again in a moment") from None
        try:
            return _push(outbox, config, client, progress)
        finally:
            locks.release(held)


def _push(outbox: Outbox, config: LrsConfig, client: Client, progress: Progress | None) -> Pushed:
    total = outbox.pending() if progress else 0
    pushed = Pushed()
    batch: list[tuple[str, str]] = []
    for item in outbox.queued():
        batch.append(item)
        if len(batch) >= config.batch:
            _send(outbox, client, batch, pushed)
            batch = []
            if progress:
                progress(pushed.done, total)
    if batch:
        _send(outbox, client, batch, pushed)
    if progress:
        progress(pushed.done, total)
    if outbox.needs_compacting():
        outbox.compact()
    return pushed


def _send(outbox: Outbox, client: Client, batch: list[tuple[str, str]], pushed: Pushed) -> None:
    try:
        client.post([line for _, line in batch])
    except (Conflict, Refused):
        _send_singly(outbox, client, batch, pushed)
        return
    outbox.mark_sent([statement_id for statement_id, _ in batch])
    pushed.sent += len(batch)


def _send_singly(outbox: Outbox, client: Client, batch: list[tuple[str, str]], pushed: Pushed) -> None:
    accepted: list[str] = []
    try:
        for statement_id, line in batch:
            try:
                client.put(statement_id, line)
                pushed.sent += 1
            except Conflict:
                pushed.already += 1
            except Refused as error:
                outbox.refuse(line, str(error))
                pushed.refused += 1
                continue
            accepted.append(statement_id)
    finally:
        outbox.mark_sent(accepted)


class Background:
    """A daemon thread that sends the outbox whenever it is nudged, and retries (waiting longer
    each time, up to RETRY_MOST) while the LRS cannot be reached. Play never waits for it."""

    def __init__(self, outbox: Outbox, config: LrsConfig):
        self.outbox = outbox
        self.config = config
        self.problem = ""  # the last failure, in words ("" after a success)
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name="leadgame-lrs", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        self._idle.clear()
        self._wake.set()

    def flush(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the attempt under way; True if none is left."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        delay: float | None = None
        while True:
            self._wake.wait(timeout=delay)
            self._wake.clear()
            try:
                push(self.outbox, self.config)
                self.problem, delay = "", None
            except CredentialsRefused as error:
                self.problem, delay = str(error), RETRY_MOST
            except LrsError as error:
                self.problem, delay = str(error), min(RETRY_MOST, (delay or RETRY_FIRST / 2) * 2)
            except Exception as error:  # never let a bug here reach the game: note it and carry on
                self.problem, delay = f"{error.__class__.__name__}: {error}", RETRY_MOST
                log.warning("learning records could not be sent: %s", self.problem)
            if not self._wake.is_set():
                self._idle.set()
