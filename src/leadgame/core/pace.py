"""How far a game has to go: the typical number of decisions in a playthrough of a scenario,
for the header's "Decision 5 of about 15".

Exploring every path can take seconds on a large scenario, so the figure is the median of a
few hundred seeded random playthroughs (tens of milliseconds), cached by the scenario's content
hash so each version of a scenario is measured once.
"""

from __future__ import annotations

import random
from pathlib import Path
from statistics import median

from leadgame.core import engine
from leadgame.core.debrief import decisions_made
from leadgame.core.model import Scenario

RUNS = 300
CACHE_FILE = "typical-decisions.json"
MAX_CACHED = 200  # versions of scenarios remembered; the oldest are forgotten first


def random_play(scenario: Scenario, rng: random.Random) -> engine.State:
    """One playthrough choosing uniformly at random at every step, with its own seed."""
    state = engine.start(scenario, rng.randrange(2**31))
    while not state.finished:
        state, _ = engine.choose(state, rng.choice(engine.available_choices(state)).id)
    return state


def typical_decisions(scenario: Scenario, runs: int = RUNS) -> int:
    """The median number of decisions over `runs` seeded random playthroughs (repeatable)."""
    rng = random.Random(f"pace:{scenario.id}")
    return round(median(decisions_made(random_play(scenario, rng)) for _ in range(runs)))


def cached_typical_decisions(scenario: Scenario, folder: Path | None) -> int:
    """`typical_decisions`, remembered in `folder` by content hash (`None`: a run that keeps
    nothing). A cache that cannot be read or written is measured again, never an error: the
    figure is a courtesy."""
    from leadgame.core.saves import SaveError, atomic_write, read_json

    if folder is None:
        return typical_decisions(scenario)
    path = Path(folder) / CACHE_FILE
    try:
        cached = read_json(path, "leadgame cache")
    except SaveError:
        cached = {}
    cached = cached if isinstance(cached, dict) else {}
    known = cached.get(scenario.content_hash)
    if isinstance(known, int) and not isinstance(known, bool) and known > 0:
        return known
    figure = typical_decisions(scenario)
    if scenario.content_hash:
        kept = list(cached.items())[-(MAX_CACHED - 1):]
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
            import json

            atomic_write(path, json.dumps({**dict(kept), scenario.content_hash: figure}))
        except OSError:
            pass
    return figure
