"""The app never waits for the LRS: with one that holds every request open, a whole game is
played by keyboard to the debrief while the sender's first request is still waiting."""

from __future__ import annotations

from tui_helpers import STANDARD_RUN, play_through, settle

from leadgame import locations
from leadgame.lrs import config as settings
from leadgame.lrs.outbox import Outbox
from leadgame.lrs.recorder import Recorder
from leadgame.tui.app import LeadgameApp
from leadgame.tui.screens.debrief import DebriefScreen
from support import HangingLrs


async def test_the_app_answers_every_key_while_the_lrs_hangs(new_game):
    lrs = HangingLrs()
    recorder = Recorder(settings.load(environ={"LEADGAME_LRS_ENDPOINT": lrs.endpoint, "LEADGAME_LRS_TIMEOUT": "300"}), locations.saves_dir(),
                        device="9b2f3c1e-0000-4000-8000-000000000001")
    try:
        game = new_game()
        app = LeadgameApp(game)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await play_through(pilot, STANDARD_RUN)
            assert isinstance(app.screen, DebriefScreen) and game.finished
            assert lrs.requests >= 1 and lrs.answered == 0  # the sender has been waiting on it all along
        status = Outbox(locations.saves_dir()).status()
        assert status.verbs == {"launched": 1, "answered": 3, "completed": 1}
    finally:
        recorder.close(0)
        lrs.release()
