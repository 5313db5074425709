"""`leadgame play PATH --watch`: the app reloads an edited scenario file and keeps the learner's
path, lists the file's problems while it is broken, and carries on once it loads again.

The tests call `app.check_scenario()` themselves (the timer is set to wait an hour), so no test
depends on how fast the machine is; one test checks that the timer does call it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from tui_helpers import FIXTURE_SCENARIOS, STANDARD_RUN, choose, play_through, press, read_save_json, settle

from leadgame import library, locations
from leadgame.core.session import Session
from leadgame.tui.app import LeadgameApp
from leadgame.tui.screens.debrief import DebriefScreen
from leadgame.tui.screens.problems import ProblemsScreen
from leadgame.tui.screens.scene import OUTCOME, SceneScreen
from leadgame.tui.screens.title import TitleScreen
from leadgame.tui.watch import FileWatch, describe_changes
from leadgame.tui.widgets.prose import Prose

SIZE = (100, 30)
NEVER = 3600  # seconds: the tests look at the file themselves


@pytest.fixture
def watched(tmp_path) -> Path:
    """A copy of the fixture scenario (and its catalogue) for a test to edit."""
    folder = tmp_path / "authoring"
    folder.mkdir()
    for name in ("mini.yaml", "constructs.yaml"):
        shutil.copy(FIXTURE_SCENARIOS / name, folder / name)
    return folder / "mini.yaml"


def edit(path: Path, *pairs: tuple[str, str]) -> None:
    """Replace text in the file as an editor would, and move its clock on, so the change shows
    even on a file system whose times are coarse."""
    before = path.stat().st_mtime_ns
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def start(path: Path, name: str = "authoring", choices: tuple[str, ...] = ()) -> Session:
    game = Session.new(library.load(path), locations.saves_dir(), name=name, seed=0)
    for choice in choices:
        game.choose(choice)
    return game


def toasts(app) -> list[str]:
    return [notification.message for notification in app._notifications]


def narrative(app) -> str:
    return app.screen.query_one("#narrative", Prose).source


async def reload(app, pilot) -> bool:
    changed = await app.check_scenario()
    await settle(pilot)
    return changed


async def test_edit_break_fix_and_cut_the_path_while_playing(watched):
    app = LeadgameApp(start(watched), watch=watched, watch_interval=NEVER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await play_through(pilot, ("stark", "share-now"))  # on to Winter
        scene = app.screen
        assert isinstance(scene, SceneScreen) and scene.game.state.node == "interlude"
        assert "Watching the file" in str(scene.query_one("#scene-status").render())
        assert not await reload(app, pilot)  # nothing changed yet

        # 1. New words in the scene on screen: shown at once, the path kept.
        edit(watched, ("Months pass. Work goes on.", "Months pass. The snow comes early."))
        assert await reload(app, pilot)
        assert app.screen is scene and "The snow comes early." in narrative(app)
        assert scene.game.state.choice_log == ("stark", "share-now")
        assert "Scene 'interlude' changed; your path replayed." in toasts(app)[-1]
        assert read_save_json("authoring")["choices"] == ["stark", "share-now"]

        # 2. Broken: every problem listed with its line and column; no crash, the game waits.
        edit(watched, ("start: panel", "start: nowhere"), ("{burning_platform: 2,", "{burning_platform: 9,"))
        assert await reload(app, pilot)
        assert isinstance(app.screen, ProblemsScreen)
        listed = str(app.screen.query_one("#problems-list").render())
        assert f"{watched}:19:8: E-REF-SCENE" in listed
        assert f"{watched}:34:" in listed and "E-VALUE" in listed
        assert "2 problems" in str(app.screen.query_one("#problems-heading").render())
        assert scene in app.screen_stack and scene.game.state.choice_log == ("stark", "share-now")

        # 3. Fixed: the problems go, the game carries on where it was.
        edit(watched, ("start: nowhere", "start: panel"), ("{burning_platform: 9,", "{burning_platform: 2,"))
        assert await reload(app, pilot)
        assert app.screen is scene and scene.game.state.node == "interlude"
        assert "The snow comes early." in narrative(app)

        # 4. A choice the learner made is renamed: the replay stops there, and says so.
        edit(watched, ("- id: share-now", "- id: share-soon"))
        assert await reload(app, pilot)
        assert scene.game.state.choice_log == ("stark",) and scene.game.state.node == "trust-board"
        assert scene.query_one("#choices").labels.keys() == {"share-soon", "share-later"}
        note = toasts(app)[-1]
        assert "Replayed 1 of 2 decisions" in note
        assert "decision 2 ('share-now') is no longer offered in 'The Children's Trust Board'" in note
        assert read_save_json("authoring")["choices"] == ["stark"]

        # 5. Renamed back before choosing again: the longer path comes back.
        edit(watched, ("- id: share-soon", "- id: share-now"))
        assert await reload(app, pilot)
        assert scene.game.state.choice_log == ("stark", "share-now") and scene.game.state.node == "interlude"
        await press(pilot, "enter")  # play on in the reloaded game
        assert len(scene.game.state.choice_log) == 3


async def test_a_consequence_on_screen_shows_its_new_words(watched):
    app = LeadgameApp(start(watched), watch=watched, watch_interval=NEVER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose(pilot, "stark")  # its consequence is on screen
        scene = app.screen
        assert scene.phase == OUTCOME
        edit(watched, ("The panel is alarmed, and listens.", "The panel goes quiet, then listens."))
        assert await reload(app, pilot)
        assert scene.phase == OUTCOME and scene.game.state.choice_log == ("stark",)
        assert "goes quiet" in scene.query_one("#consequence", Prose).source
        await press(pilot, "enter")
        assert scene.game.state.node == "trust-board"


async def test_the_debrief_is_rebuilt_and_keeps_the_note_being_typed(watched):
    app = LeadgameApp(start(watched, choices=STANDARD_RUN), watch=watched, watch_interval=NEVER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await press(pilot, "tab")
        await pilot.press(*"Unsure")  # typed, not yet saved (that happens on leaving the box)
        edit(watched, ("Barnet's leaders wished", "Barnet's leaders later wished"))
        assert await reload(app, pilot)
        assert isinstance(app.screen, DebriefScreen) and app.screen.game.state.choice_log == STANDARD_RUN
        assert "Ending 'work-in-progress' changed" in toasts(app)[-1]
        assert any("later wished" in md.source for md in app.screen.query(Prose))
        assert app.screen.query_one("#feeling").text == "Unsure"
    assert read_save_json("authoring")["feeling"] == "Unsure"


async def test_away_from_the_game_nothing_is_replaced(watched):
    app = LeadgameApp(start(watched, choices=("ambition",)), watch=watched, watch_interval=NEVER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, TitleScreen)
        edit(watched, ("Months pass. Work goes on.", "Months pass."))
        assert await reload(app, pilot)
        assert isinstance(app.screen, TitleScreen)
        assert "picks it up when you open it" in toasts(app)[-1]


async def test_escape_hides_the_problems_and_the_old_version_plays_on(watched):
    app = LeadgameApp(start(watched), watch=watched, watch_interval=NEVER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        edit(watched, ("format: 1", "format: 1\nformat: 1"))
        assert await reload(app, pilot)
        assert "E-YAML-DUPKEY" in str(app.screen.query_one("#problems-list").render())
        await press(pilot, "escape")
        assert isinstance(app.screen, SceneScreen)
        await choose(pilot, "ambition")
        assert app.screen.game.state.choice_log == ("ambition",)


async def test_the_timer_looks_at_the_file(watched):
    app = LeadgameApp(start(watched), watch=watched, watch_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        edit(watched, ("The panel waits.", "The panel waits, arms folded."))
        for _ in range(200):  # at most ten seconds; a few ticks on any machine
            await pilot.pause(0.05)
            if "arms folded" in narrative(app):
                break
        assert "arms folded" in narrative(app)


def test_file_watch_sees_edits_replacements_and_removal(watched):
    watch = FileWatch(watched)
    assert watch.files == (watched, watched.with_name("constructs.yaml"))
    assert not watch.changed()
    edit(watched, ("Mini: A Local Pilot", "Mini: A Pilot"))
    assert watch.changed() and not watch.changed()
    edit(watched.with_name("constructs.yaml"), ("", ""))  # the catalogue counts too
    assert watch.changed()
    text = watched.read_text(encoding="utf-8")
    watched.unlink()
    assert watch.changed()  # gone (an editor mid-save, perhaps): the load will say so
    watched.write_text(text, encoding="utf-8")
    assert watch.changed()


def test_describe_changes_names_what_an_author_edited(watched):
    before = library.load(watched)
    edit(watched, ("\nscenes:\n", "\n# a comment moves every line down\nscenes:\n"))
    assert describe_changes(before, library.load(watched)) == "Nothing the game shows changed"
    edit(watched, ("Mini: A Local Pilot", "Mini: Another Pilot"), ("Months pass. Work goes on.", "Months pass."),
         ("Progress, but data sharing drags on.", "Progress."))
    assert describe_changes(before, library.load(watched)) == (
        "Scene 'interlude' changed; ending 'work-in-progress' changed; title changed")
