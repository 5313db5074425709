"""The app never moves on from a decision it could not save: it says why, and offers to try
again or to keep the game in another file."""

from __future__ import annotations

import errno
import os

from support import Terminal, environment
from tui_helpers import FIXTURE_SCENARIOS, choose, press, settle

from leadgame.core import saves
from leadgame.core.saves import read_save
from leadgame.tui.app import LeadgameApp
from leadgame.tui.screens.modals import ExportScreen, SaveFailed
from leadgame.tui.screens.scene import SceneScreen

SIZE = (100, 30)


def failing_in(folder, monkeypatch, code=errno.ENOSPC):
    """Every save written into `folder` fails as on a full disk (or with another error)."""
    real = saves.atomic_write

    def atomic_write(path, text, keep_backup=False):
        if path.parent == folder:
            raise OSError(code, os.strerror(code))
        return real(path, text, keep_backup)

    monkeypatch.setattr(saves, "atomic_write", atomic_write)
    return lambda: monkeypatch.setattr(saves, "atomic_write", real)


async def test_a_failed_save_keeps_the_game_where_it_was_and_retry_moves_on(new_game, isolated_saves, monkeypatch):
    game = new_game("full-disk")
    heal = failing_in(isolated_saves, monkeypatch)
    app = LeadgameApp(game)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose(pilot, "stark")
        assert isinstance(app.screen, SaveFailed)
        assert "the disk that holds" in str(app.screen.query_one(".dialog-words").render())
        assert game.state.choice_log == () and game.state.node == "panel"
        await press(pilot, "down", "down", "enter")  # not now
        assert isinstance(app.screen, SceneScreen) and app.screen.phase == "deciding"
        await press(pilot, "enter")  # the same option again: still a choice of this scene, no crash
        assert isinstance(app.screen, SaveFailed) and app.is_running
        heal()
        await press(pilot, "enter")  # try again
        assert isinstance(app.screen, SceneScreen) and app.screen.phase == "outcome"
    assert read_save(isolated_saves / "full-disk.json").choices == ("stark",)


async def test_save_as_keeps_the_game_in_another_folder(new_game, isolated_saves, tmp_path, monkeypatch):
    game = new_game("read-only", choices=("stark",))
    failing_in(isolated_saves, monkeypatch, errno.EROFS)
    elsewhere = tmp_path / "rescue"
    app = LeadgameApp(game)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose(pilot, "share-now")
        assert isinstance(app.screen, SaveFailed)
        assert "cannot be written to" in str(app.screen.query_one(".dialog-words").render())
        await press(pilot, "down", "enter")
        assert isinstance(app.screen, ExportScreen)
        field = app.screen.query_one("#export-path")
        field.value = str(elsewhere / "rescued.json")
        await press(pilot, "enter")
        assert isinstance(app.screen, SceneScreen) and app.screen.phase == "outcome"
    assert read_save(elsewhere / "rescued.json").choices == ("stark", "share-now")
    assert read_save(isolated_saves / "read-only.json").choices == ("stark",)
    assert game.save.name == "rescued"


async def test_a_note_that_cannot_be_saved_is_offered_again_not_lost(new_game, isolated_saves, monkeypatch):
    game = new_game("full-note")
    heal = failing_in(isolated_saves, monkeypatch)
    app = LeadgameApp(game)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        await pilot.press(*"Who is in the room?")
        await press(pilot, "escape")  # leaving the note box keeps it: the save fails
        assert isinstance(app.screen, SaveFailed)
        assert str(app.screen.query_one(".dialog-heading").render()) == "Your note was not saved"
        assert game.save.notes == {}  # the game is as it was
        heal()
        await press(pilot, "enter")  # try again
        assert isinstance(app.screen, SceneScreen) and game.save.notes == {0: "Who is in the room?"}
    assert read_save(isolated_saves / "full-note.json").notes == {0: "Who is in the room?"}


def test_a_file_where_the_saves_folder_should_be_gets_a_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    env = environment(LEADGAME_SCENARIOS=str(FIXTURE_SCENARIOS), LEADGAME_SAVES=str(blocker), TERM="xterm-256color")
    with Terminal("play", "mini-pilot", env=env) as terminal:
        status = terminal.finish()
    assert status == 2 and "Traceback" not in terminal.text
    assert "a file stands where the folder" in " ".join(terminal.text.split())
