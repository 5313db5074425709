"""Helpers for the room-mode tests: a clock the test moves by hand, and a new room session."""

from __future__ import annotations

from pathlib import Path

from leadgame import library
from leadgame.core.workshop import WorkshopSession
from support import MINI


class FakeClock:
    """Seconds that pass only when a test says so: timers and time taken are deterministic."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def mini_scenario():
    return library.load(MINI)


def new_room(saves: Path, clock: FakeClock, code: str = "ROOM1", timer: int = 90) -> WorkshopSession:
    return WorkshopSession.new(mini_scenario(), saves, code, seed=0, timer_seconds=timer, clock=clock)
