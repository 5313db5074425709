"""A slow LRS never slows play: with an LRS that holds every request open, a whole game is played
to its end in plain mode while the sender's first request is still waiting (the app's own test
is in tests/tui/test_tui_records.py)."""

from __future__ import annotations

from lrs_helpers import PlainGame

from leadgame.lrs.outbox import Outbox
from support import HangingLrs


def slow_lrs(lrs: HangingLrs) -> dict[str, str]:
    """Settings for the hanging LRS, patient enough (300 s) that anything waiting on it would
    wait until it answers, which it does only after the game."""
    return {"LEADGAME_LRS_ENDPOINT": lrs.endpoint, "LEADGAME_LRS_TIMEOUT": "300"}


def test_plain_mode_prompts_never_wait_for_a_hanging_lrs(isolated_saves):
    lrs = HangingLrs()
    try:
        game = PlainGame("mini-pilot", "--plain", "--seed", "0", "--save", "Ada", env=slow_lrs(lrs))
        for line in ("n", "Quick, before the panel", "stark", "share-now", "", "", "cede", "Calm enough", "Housing"):
            game.answer(line)  # each prompt must come within seconds though the LRS has answered nothing
        assert "Your game and note are saved" in game.text
        assert lrs.requests >= 1 and lrs.answered == 0  # the sender was waiting on it all along
        assert game.finish() == 0, game.errors
    finally:
        lrs.release()
    assert Outbox(isolated_saves).status().queued == 8  # nothing sent, nothing lost (the note and answer too)

