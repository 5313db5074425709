"""Authors' tools in the app: the story-state panel while watching a file, decisions numbered as
the debrief numbers them when an edit cuts the path, test runs that save nothing, and a script
that takes the game to a point before the app opens."""

from __future__ import annotations

import os
import shutil

from textual.widgets import Static
from tui_helpers import choose, press, settle

from leadgame import library, locations
from leadgame.core.session import Session
from leadgame.tui.app import LeadgameApp
from support import FOLLOWS

SIZE = (110, 32)


def copy_follows(tmp_path):
    folder = tmp_path / "authoring"
    folder.mkdir()
    for name in ("follows.yaml", "constructs.yaml"):
        shutil.copy(FOLLOWS.parent / name, folder / name)
    return folder / "follows.yaml"


def panel(app) -> str:
    return str(app.screen.query_one("#variables", Static).render())


async def test_watching_shows_the_story_state_and_numbers_decisions_as_the_debrief_does(tmp_path):
    path = copy_follows(tmp_path)
    game = Session.new(library.load(path), locations.saves_dir(), name="watching", seed=0)
    app = LeadgameApp(game, watch=path, watch_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#variables-panel").display
        assert "trust        1" in panel(app) and "cafe_funded  false" in panel(app) and "stance       waiting" in panel(app)
        await choose(pilot, "cafe")
        await press(pilot, "enter", "enter")  # past its consequence; through Spring
        assert app.screen.game.state.node == "review"
        shown = panel(app)
        assert "trust        3" in shown and "cafe_funded  true" in shown and "stance       withdrawn" in shown
        await choose(pilot, "own")  # present it yourself: its consequence is on screen
        text = path.read_text(encoding="utf-8").replace("- id: own", "- id: present")
        path.write_text(text, encoding="utf-8")
        before = path.stat().st_mtime_ns
        os.utime(path, ns=(before + 10**9, before + 10**9))
        assert await app.check_scenario()
        await settle(pilot)
        note = [n.message for n in app._notifications][-1]
        # the third step ('own') is the second decision: Spring was a passage
        assert "Replayed 1 of 2 decisions: decision 2 ('own') is no longer offered in 'The review'" in note


async def test_an_unwatched_game_has_no_state_panel(new_game):
    app = LeadgameApp(new_game())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#variables-panel").display
