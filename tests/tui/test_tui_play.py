"""The app driven by keyboard through Pilot: a whole game to the debrief, saved games, quitting
and resuming, what if, coached mode, help, the command palette and export."""

from __future__ import annotations

import gc

import pytest
from textual.widgets import Input
from tui_helpers import STANDARD_RUN, WHAT_IF_RUN, choose, fix_dates, play_through, press, read_save_json, settle, text_of, drawn_text

from leadgame import locations
from leadgame.core.saves import list_saves
from leadgame.tui.app import LeadgameApp
from leadgame.tui.screens.compare import CompareScreen
from leadgame.tui.screens.debrief import DebriefScreen
from leadgame.tui.screens.help import HelpScreen
from leadgame.tui.screens.modals import ConfirmQuit, ExportedScreen, ExportScreen, ModeScreen, WhatIfScreen
from leadgame.tui.screens.picker import PickerScreen
from leadgame.tui.screens.saved import SavedGamesScreen
from leadgame.tui.screens.scene import SceneScreen
from leadgame.tui.screens.title import TitleScreen
from leadgame.tui.widgets.answer import AnswerBox
from leadgame.tui.widgets.bars import ProfileBars
from leadgame.tui.widgets.choices import ChoiceList
from leadgame.tui.widgets.path import JunctureView
from leadgame.tui.widgets.pathtext import PathText

SIZE = (100, 30)


def only_save():
    saves, problems = list_saves(locations.saves_dir())
    assert not problems and len(saves) == 1
    return saves[0][1]


async def test_a_whole_game_by_keyboard_from_the_title_to_the_debrief():
    app = LeadgameApp(seed=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        await press(pilot, "enter")  # New game
        assert isinstance(app.screen, PickerScreen)
        await press(pilot, "enter")  # the fixture scenario
        assert isinstance(app.screen, ModeScreen)
        await press(pilot, "1")  # standard: a number key chooses at once
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.game.state.node == "panel" and not app.screen.game.coached
        await play_through(pilot, STANDARD_RUN)
        assert isinstance(app.screen, DebriefScreen)
        save = only_save()
        assert save.finished and save.choices == STANDARD_RUN
        # the page has the focus, so its keys work; Tab goes into the first box, how it felt
        assert app.focused is app.screen.query_one("#debrief")
        await press(pilot, "tab")
        assert app.focused is app.screen.query_one("#feeling", AnswerBox)
        await pilot.press(*"Rushed, then relieved")
        await press(pilot, "escape")  # out of the box: kept, and the page has the focus again
        assert only_save().feeling == "Rushed, then relieved"
        assert app.focused is app.screen.query_one("#debrief")
        assert app.screen.query_one("#profile", ProfileBars).scores
        cards = [view.juncture.entry for view in app.screen.query(JunctureView) if view.juncture.decision]
        assert [(e.number, e.scene_title) for e in cards] == [(1, "The scrutiny panel"), (2, "The Children's Trust Board"),
                                                              (3, "The pooled budget")]


async def test_number_keys_choose_at_once_and_arrows_then_enter_too(new_game):
    from leadgame.core import engine

    game = new_game()
    app = LeadgameApp(game)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        choices = app.screen.query_one("#choices", ChoiceList)
        shown = list(choices.labels)
        assert shown == [c.id for c in engine.ordered_choices(game.state)]  # the game's own order
        await press(pilot, "9")  # out of range: nothing happens
        assert choices.highlighted == 0 and game.state.history == ()
        await press(pilot, "2")
        assert game.state.choice_log == (shown[1],)
        assert game.state.history[0].offered == ("stark", "ambition")
        await press(pilot, "enter")  # past the consequence
        later = list(app.screen.query_one("#choices", ChoiceList).labels)
        await press(pilot, "down", "up", "down", "enter")
        assert game.state.choice_log == (shown[1], later[1])


async def test_number_keys_choose_on_the_title_menu_and_in_dialogs(new_game):
    new_game("kept", choices=("stark",))
    app = LeadgameApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3")  # How to play
        assert not isinstance(app.screen, TitleScreen)
        await press(pilot, "escape", "1")  # New game
        assert isinstance(app.screen, PickerScreen)
        await press(pilot, "1")
        assert isinstance(app.screen, ModeScreen)
        await press(pilot, "2")  # coached
        assert isinstance(app.screen, SceneScreen) and app.screen.game.coached


async def test_a_click_chooses_too(new_game):
    game = new_game()
    app = LeadgameApp(game)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        choices = app.screen.query_one("#choices", ChoiceList)
        second = list(choices.labels)[1]
        await pilot.click(choices, offset=(6, 2))  # the second option's row, inside the border
        await settle(pilot)
        assert game.state.choice_log == (second,)


async def test_continue_a_saved_game_from_the_title(new_game, india_time):
    new_game("older", choices=("ambition",))
    new_game("newer", choices=("stark", "share-later"))
    fix_dates("older", "2026-01-10T09:00:00+00:00")
    fix_dates("newer", "2026-01-12T09:00:00+00:00")
    app = LeadgameApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2")  # Continue
        assert isinstance(app.screen, SavedGamesScreen)
        rows = app.screen.rows
        assert [row.save.name for row in rows] == ["newer", "older"]  # newest first
        assert rows[0].title == "Mini: A Local Pilot"
        assert rows[0].progress == "2 decisions, now at: Winter"
        assert rows[1].progress == "1 decision, now at: The Children's Trust Board"
        assert (rows[0].when, rows[1].when) == ("12 Jan 2026, 14:30", "10 Jan 2026, 14:30")
        await press(pilot, "enter")
        assert isinstance(app.screen, SceneScreen)
        game = app.screen.game
        assert game.save.name == "newer" and game.state.node == "interlude"
        timeline = " ".join(drawn_text(app.screen.query_one("#timeline")).split())
        assert timeline.startswith("1. The scrutiny panel") and "Paint the perfect storm in stark terms" in timeline
        assert "2. The Children's Trust Board" in timeline and timeline.endswith("Build relationships first; data can wait")
        assert len([e for e in game.debrief().timeline if e.decision]) == 2


@pytest.fixture
def india_time():
    """The learner's clock in India, 5 h 30 ahead of UTC (a POSIX zone: no time zone database needed)."""
    import time

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "IST-5:30")
        time.tzset()
        yield
    time.tzset()


async def test_quit_mid_game_leaves_a_save_that_resumes(new_game):
    game = new_game("halfway")
    app = LeadgameApp(game)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose(pilot, "stark")  # saved at once
        await press(pilot, "ctrl+c")
        assert isinstance(app.screen, ConfirmQuit)
        await press(pilot, "n")  # stay
        assert isinstance(app.screen, SceneScreen)
        await press(pilot, "q")
        assert isinstance(app.screen, ConfirmQuit)
        await press(pilot, "enter")  # Quit
    assert app.return_code == 0
    assert read_save_json("halfway")["choices"] == ["stark"]

    again = LeadgameApp()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2", "enter")  # Continue -> the one saved game
        assert isinstance(again.screen, SceneScreen)
        resumed = again.screen.game
        assert resumed.save.name == "halfway" and resumed.state.node == "trust-board"
        await play_through(pilot, STANDARD_RUN[1:])
        assert isinstance(again.screen, DebriefScreen)
    assert read_save_json("halfway")["finished"] is True


async def test_escape_goes_back_to_the_title_and_the_game_stays_saved(new_game):
    game = new_game("paused", choices=("stark",))
    app = LeadgameApp(game)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, TitleScreen)
        assert app.screen.query_one("#title-menu", ChoiceList).labels["continue"] == "Continue a saved game (1)"


async def test_what_if_replays_from_an_earlier_decision_and_compares(new_game):
    game = new_game("first", choices=STANDARD_RUN)
    app = LeadgameApp(game)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await press(pilot, "w")
        assert isinstance(app.screen, WhatIfScreen)
        await press(pilot, "2")  # replay from the second decision (the trust board)
        assert isinstance(app.screen, SceneScreen)
        branch = app.screen.game
        assert branch.save.name != "first" and branch.state.node == "trust-board"
        assert branch.state.choice_log == ("stark",)
        assert (branch.save.origin, branch.save.branched_at) == ("first", 1)
        choices = app.screen.query_one("#choices", ChoiceList)
        assert "first run's choice" in choices.labels["share-now"]  # the original choice is marked
        assert "first run's choice" not in choices.labels["share-later"]
        assert "What if" in str(app.screen.query_one("#scene-status").render())
        await play_through(pilot, WHAT_IF_RUN)  # share later, this time
        assert isinstance(app.screen, DebriefScreen) and app.screen.is_what_if
        assert "replayed from decision 2 of 'first'" in str(app.screen.query_one("#debrief-about").render())
        await press(pilot, "m")
        assert isinstance(app.screen, CompareScreen)
        comparison = app.screen.comparison
        assert (comparison.shared, comparison.parting) == (1, 2)
        paths = text_of(app.screen.query_one("#compare-paths"))
        assert "First run" in paths and "What if" in paths and "they part" in paths
        changes = {c.construct.id: c.change for c in comparison.changes}
        assert changes["information_sharing"] == -10 and changes["ceding_power"] == 0
        assert "−10" in text_of(app.screen.query_one("#compare-changes"))
        await press(pilot, "escape")
        assert isinstance(app.screen, DebriefScreen)
    assert read_save_json("first")["choices"] == list(STANDARD_RUN)  # the first game is untouched
    assert read_save_json(branch.save.name)["choices"] == ["stark", "share-later", "continue", "continue", "cede"]


async def test_coached_mode_shows_reasoning_and_can_be_toggled(new_game):
    game = new_game("coach")
    app = LeadgameApp(game)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert not screen.query_one("#constructs").display  # standard: no numbers
        await press(pilot, "s")  # the panel needs coached mode
        assert not screen.query_one("#constructs").display
        await press(pilot, "c")
        assert game.coached and read_save_json("coach")["coached"] is True
        assert screen.query_one("#constructs").display
        await choose(pilot, "stark")
        assert screen.query_one("#coach").display
        assert "burning platform moves people" in screen.query_one("#coach-rationale").source
        detail = str(screen.query_one("#coach-detail").render())
        assert "paper §2.5" in detail and "+2" in detail and "Burning platform" in detail
        totals = [" ".join(line.split()) for line in text_of(screen.query_one("#construct-totals")).splitlines()]
        # after `stark`: the most it could do for the burning platform, the least for trust; the rest untested
        assert "10 Burning platform and burning ambition" in totals and "0 Trust and relationships" in totals
        assert "– Authorising environment" in totals and "– Information sharing" in totals
        await press(pilot, "s")
        assert not screen.query_one("#constructs").display
        await press(pilot, "c")
        assert not game.coached and not screen.query_one("#coach").display


async def test_help_lists_every_key_binding_and_mentions_plain_mode(new_game):
    app = LeadgameApp(new_game(coached=True))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = {description: keys for keys, description in app.screen.rows}
        for description in ("Choose the highlighted option", "Choose option 1 to 9", "Write a note on this decision; the debrief shows it beside the decision",
                            "Coached mode on or off: the reasoning after each decision",
                            "Show or hide the construct scores so far (coached mode)", "Show or hide your decisions so far",
                            "Back to the title screen; the game stays saved", "Every key, and notes on reading and plain mode",
                            "Quit; your game is saved and can be continued", "Projector mode: more space around the text"):
            assert description in keys, description
        assert keys["Choose option 1 to 9"] == "1–9"
        assert keys["Quit; your game is saved and can be continued"] == "Ctrl+C / Ctrl+Q / q"
        assert keys["Choose the highlighted option"] == "Enter"
        shown = " ".join(f"{k} {d}" for d, k in keys.items())
        for developer in ("super", "Focus Next", "Copy", "shift+tab", "^"):
            assert developer not in shown, developer
        notes = app.screen.query_one("#help-notes").source
        assert "--plain" in notes and "font size" in notes
        await press(pilot, "escape")
        assert isinstance(app.screen, SceneScreen)


async def test_the_command_palette_lists_the_apps_own_commands(new_game):
    app = LeadgameApp(new_game())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Note", "Coached mode", "Construct panel", "Your decisions", "Help", "Next theme", "Projector mode",
                      "Theme: High contrast, dark", "Quit"):
            assert title in titles
        assert "Keys" not in titles and "Screenshot" not in titles


async def test_export_writes_markdown_and_html_into_the_exports_folder(new_game):
    game = new_game("kept", choices=STANDARD_RUN)
    app = LeadgameApp(game)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "tab")
        await pilot.press(*"Tense")
        await press(pilot, "escape", "e")
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#export-path", Input).value == str(locations.exports_dir())
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportedScreen)
        # the confirmation shows every path whole, broken only between its parts
        shown = [str(view.render()) for view in app.screen.query(PathText)]
        assert shown[0].replace("\n", "") == f"{locations.exports_dir()}/"
        assert all(line.endswith(("/", "-")) for text in shown[:1] for line in text.splitlines()[:-1])
        assert [text.replace("\n", "") for text in shown[1:]] == ["kept-debrief.md", "kept-debrief.html"]
        await press(pilot, "enter")
        assert isinstance(app.screen, DebriefScreen)
    text = (locations.exports_dir() / "kept-debrief.md").read_text(encoding="utf-8")
    assert text.startswith("# Debrief: Mini: A Local Pilot") and "Tense" in text
    assert "Standard mode" in text and "## What really happened" in text
    page = (locations.exports_dir() / "kept-debrief.html").read_text(encoding="utf-8")
    assert "<h2>Your path beside the real leaders&#x27;</h2>" in page and "Tense" in page


async def test_themes_and_projector_mode(new_game):
    app = LeadgameApp(new_game())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = {app.theme}
        for _ in range(4):
            await press(pilot, "f2")
            seen.add(app.theme)
        assert {"textual-dark", "textual-light", "leadgame-contrast-dark", "leadgame-contrast-light"} <= seen
        await press(pilot, "f3")
        assert app.screen.has_class("-projector")
        await press(pilot, "f3")
        assert not app.screen.has_class("-projector")


async def test_the_title_screen_does_not_wait_for_the_scenarios(monkeypatch):
    import threading

    from leadgame import library

    release = threading.Event()
    real_entries = library.entries

    def slow_entries():
        release.wait(10)
        return real_entries()

    monkeypatch.setattr(library, "entries", slow_entries)
    app = LeadgameApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and app.entries is None
        assert "Loading" in str(app.screen.query_one("#title-status").render())
        release.set()
        await settle(pilot)
        assert app.entries is not None
        assert "1 case study ready" in str(app.screen.query_one("#title-status").render())



async def test_game_screens_load_behind_the_title_once_its_first_keys_are_answered(monkeypatch):
    """Importing the game screens competes with the title for the GIL: it waits for a quiet moment."""
    import asyncio

    from leadgame.tui import app as app_module

    preloads = []
    monkeypatch.setattr(app_module, "PRELOAD_DELAY", 1.5)
    monkeypatch.setattr(LeadgameApp, "preload_game_screens", lambda self: preloads.append(self.screen))
    app = LeadgameApp()
    async with app.run_test(size=SIZE) as pilot:
        while app.entries is None:
            await asyncio.sleep(0.01)
        await pilot.press("down")
        assert app.screen.query_one("#title-menu").highlighted == 1 and preloads == []
        await pilot.pause(2.0)
        assert preloads == [app.screen] and isinstance(app.screen, TitleScreen)

async def test_scenario_text_with_brackets_is_shown_literally(tmp_path, monkeypatch):
    source = (locations.Path(__file__).resolve().parents[1] / "fixtures" / "scenarios")
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "constructs.yaml").write_text((source / "constructs.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = (source / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("label: Paint the perfect storm in stark terms", 'label: "Paint [bold]the storm[/] and [link=x]more["')
    text = text.replace("The panel is alarmed, and listens.", '"The panel [red]is[/red] alarmed ["')
    (folder / "mini.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv(locations.SCENARIOS_ENV, str(folder))
    app = LeadgameApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "enter", "1")
        assert isinstance(app.screen, SceneScreen)
        choices = app.screen.query_one("#choices", ChoiceList)
        assert choices.labels["stark"] == "Paint [bold]the storm[/] and [link=x]more["
        await choose(pilot, "stark")
        assert "Paint [bold]the storm[/]" in str(app.screen.query_one("#outcome-choice").render())


@pytest.mark.parametrize("size", [(60, 16), (80, 24), (160, 50)])
async def test_every_screen_fits_small_and_large_terminals(new_game, size):
    app = LeadgameApp(new_game(choices=STANDARD_RUN))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await press(pilot, "w", "1")
        assert isinstance(app.screen, SceneScreen)
        choices = app.screen.query_one("#choices", ChoiceList)
        assert choices.region.height >= 3 and app.screen.query_one("#story").region.height >= 5


def test_saved_game_progress_follows_a_game_begun_mid_story(mini_scenario, tmp_path):
    from leadgame.core.session import Session
    from leadgame.tui.screens.saved import progress

    game = Session.new(mini_scenario, tmp_path, name="branch", start_scene="conflict")
    game.choose("cede")
    assert progress(game.save, mini_scenario) == "Finished after 1 decision: Work still in progress"
    game.close()


async def test_playing_leaves_the_garbage_collector_mostly_idle(new_game):
    """A key press makes and drops tens of thousands of small objects; at Python's default
    threshold the collector ran 8 to 20 times a press (and now and then for 30-50 ms). While
    the app runs it collects far less often, and puts the threshold back when it closes."""
    before = gc.get_threshold()
    collections = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    app = LeadgameApp(new_game())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        gc.callbacks.append(count)
        try:
            await play_through(pilot, STANDARD_RUN)
        finally:
            gc.callbacks.remove(count)
        assert isinstance(app.screen, DebriefScreen)
    assert gc.get_threshold() == before
    assert len(collections) <= 3, collections  # a whole game to its debrief: 85 at the default


async def test_a_browser_learners_folder_lists_its_games_without_a_false_warning(new_game, monkeypatch):
    """`leadgame serve` keeps an owner record (.owner.json) in each learner's saves folder: the
    saved games list it as nothing, not as a file that could not be read."""
    from leadgame.workshop.serve import claim

    folder = claim(locations.saves_dir(), "Ana", "k" * 32)
    assert (folder / ".owner.json").is_file()
    game = new_game("anas-game")
    game.move_to(folder, "anas-game")
    monkeypatch.setenv(locations.SAVES_ENV, str(folder))  # as serve starts each learner's game
    assert list_saves(folder) == ([(folder / "anas-game.json", game.save)], [])
    app = LeadgameApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2")  # Continue
        await settle(pilot)
        assert isinstance(app.screen, SavedGamesScreen) and [row.save.name for row in app.screen.rows] == ["anas-game"]
        assert text_of(app.screen.query_one("#saved-status")).strip() == "Newest first. Enter to continue."
