"""The app and learning records: it never waits for the LRS (with one that holds every request
open, a whole game is played by keyboard to the debrief while the sender's first request is still
waiting), and a what-if replay started from the debrief reaches a real LRS as a game of its own."""

from __future__ import annotations

from collections import Counter

from tui_helpers import STANDARD_RUN, WHAT_IF_RUN, play_through, press, settle

from leadgame import locations
from leadgame.core.saves import read_save
from leadgame.lrs import config as settings
from leadgame.lrs import statements as xs
from leadgame.lrs.outbox import Outbox
from leadgame.lrs.recorder import Recorder
from leadgame.tui.app import LeadgameApp
from leadgame.tui.screens.debrief import DebriefScreen
from leadgame.tui.screens.scene import SceneScreen
from support import HangingLrs, run_cli


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


async def test_a_what_if_replay_reaches_the_lrs_as_a_game_of_its_own(new_game, lrs):
    env = lrs.env(LEADGAME_LRS_ACTOR="account", LEADGAME_LRS_ACCOUNT_NAME="staff-4711",
                  LEADGAME_LRS_ACCOUNT_HOMEPAGE="https://lms.example.org")
    recorder = Recorder(settings.load(environ=env), locations.saves_dir(), send=False)
    try:
        first = new_game("first", choices=STANDARD_RUN)
        app = LeadgameApp(first)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await press(pilot, "w", "2")  # what if: replay from the second decision
            assert isinstance(app.screen, SceneScreen)
            branch = app.screen.game
            await play_through(pilot, WHAT_IF_RUN)
            assert isinstance(app.screen, DebriefScreen) and branch.finished
    finally:
        recorder.close(0)
    pushed = run_cli("lrs", "push", env=env)
    assert pushed.returncode == 0, pushed.stderr
    ours, theirs = (xs.save_registration(read_save(locations.saves_dir() / f"{n}.json")) for n in ("first", branch.save.name))
    assert ours != theirs
    for registration, path in ((ours, ["stark", "share-now", "cede"]), (theirs, ["stark", "share-later", "cede"])):
        stored = lrs.statements(registration=registration)
        assert Counter(s["verb"]["display"]["en"] for s in stored) == {"launched": 1, "answered": 3, "completed": 1}
        answers = sorted((s for s in stored if s["verb"]["id"] == xs.ANSWERED), key=lambda s: s["context"]["extensions"][xs.STEP])
        assert [s["result"]["response"] for s in answers] == path
        assert {s["context"]["extensions"].get(xs.BRANCHED_AT) for s in stored} == ({1} if registration == theirs else {None})
    from_saves = run_cli("report", str(locations.saves_dir()), "--format", "md", env=env)
    from_lrs = run_cli("report", "--lrs", "--format", "md", env=env)
    assert "2 learner runs" in from_lrs.stdout and from_lrs.stdout == from_saves.stdout
