"""Helpers shared by the TUI tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from leadgame import locations

FIXTURE_SCENARIOS = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"

# The fixture scenario with seed 0: stark -> share-now -> (winter) -> the commander moves -> cede.
STANDARD_RUN = ("stark", "share-now", "continue", "continue", "cede")


def read_save_json(name: str) -> dict:
    return json.loads((locations.saves_dir() / f"{name}.json").read_text(encoding="utf-8"))


def fix_dates(name: str, when: str = "2026-01-15T09:30:00+00:00") -> None:
    """Give a save a fixed date, so a screen that shows it is the same on every run."""
    path = locations.saves_dir() / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["created"] = data["updated"] = when
    path.write_text(json.dumps(data), encoding="utf-8")


async def settle(pilot) -> None:
    """Let the screen catch up: the scenario library loaded, every worker done (saved games,
    debrief building) and Markdown updates rendered. Screenshots wait on this too."""
    app = pilot.app
    for _ in range(500):
        await pilot.pause()
        busy = any(worker.is_running or worker.state.name == "PENDING" for worker in app.workers)
        if app.entries is not None and not busy:
            break
        await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    """Press keys one at a time, letting each screen settle (Markdown updates are async)."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


# Keys that play the fixture scenario (seed 0) from its first scene to the debrief, by number
# and Enter: a decision, then Enter past its consequence; passages need only Enter.
KEYS_TO_DEBRIEF = (
    "1", "enter", "enter",  # the scrutiny panel: stark, then past the consequence
    "1", "enter", "enter",  # the trust board: share now
    "enter",  # winter (a passage)
    "enter",  # the commander moves on (a passage)
    "1", "enter", "enter",  # the pooled budget: confront is not offered (trust < 1), so 1 is cede
    "enter",  # the ending: go to the debrief
)
