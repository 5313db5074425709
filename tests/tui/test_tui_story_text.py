"""The app shows text that follows the story (format 2): the scene, the consequence and the
ending as the learner's own story state words them, never the placeholders."""

from __future__ import annotations

from tui_helpers import choose, press, settle, text_of

from leadgame import library, locations
from leadgame.core.session import Session
from leadgame.tui.app import LeadgameApp
from leadgame.tui.screens.debrief import DebriefScreen
from leadgame.tui.widgets.prose import Prose
from support import FOLLOWS


async def test_the_app_shows_each_path_its_own_words():
    game = Session.new(library.load(FOLLOWS), locations.saves_dir(), name="follows", seed=0)
    app = LeadgameApp(game)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        narrative = app.screen.query_one("#narrative")
        assert "Trust stands at 1." in narrative.source
        await choose(pilot, "system")  # the case system; its consequence names the clamped trust
        assert "Trust is now 0." in app.screen.query_one("#consequence").source
        await press(pilot, "enter")
        assert "Lena, a mother of three, stayed at home." in app.screen.query_one("#narrative").source
        await press(pilot, "enter")  # Spring is a passage: one Enter to the review
        text = app.screen.query_one("#narrative").source
        assert "Nobody looks up." in text and "{" not in text
        await choose(pilot, "share")  # ask Lena
        await press(pilot, "enter")  # past her consequence, to the ending
        ending = app.screen.query_one("#narrative").source
        assert ending.startswith("The system works; the parents are not in it. {They were never asked.}")
        await press(pilot, "enter")
        assert isinstance(app.screen, DebriefScreen)
        await settle(pilot)
        debrief = app.screen
        system = text_of(debrief.query_one("#step-0"))  # the first decision on the path, told once
        assert "The system goes live. Trust is now 0." in system and "{trust}" not in system
        told = [prose.source for prose in debrief.query(Prose)]
        assert any(text.startswith("The system works; the parents are not in it.") for text in told)  # the ending
        assert not any("{trust" in text or "{stance" in text for text in told)
        headings = [str(heading.render()) for heading in debrief.query(".section-heading")]
        assert "2 · Your path" in headings and "5 · What tends to happen in cases like this (Café pilot notes, 2.6)" in headings
        assert "real leaders" not in text_of(debrief.query_one("#debrief")).replace("no real leaders' choices", "")
