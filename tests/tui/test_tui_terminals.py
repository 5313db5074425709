"""Terminals as learners have them: windows resized down to 40×12 and back (a "too small"
message, then the same screen and game), a missing or dumb TERM, and NO_COLOR.

The last tests run `leadgame play` as a user would, under a pseudo-terminal."""

from __future__ import annotations

import re

import pytest
from support import MINI, Terminal, environment
from textual.geometry import Size
from tui_helpers import STANDARD_RUN, choose, press, read_save_json, settle, text_of

from leadgame.tui.app import LeadgameApp
from leadgame.tui.screens.debrief import DebriefScreen
from leadgame.tui.screens.modals import ConfirmQuit
from leadgame.tui.screens.scene import SceneScreen
from leadgame.tui.widgets.answer import AnswerBox
from leadgame.tui.screens.small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from leadgame.tui.screens.title import TitleScreen

SIZE = (100, 30)


async def resize(pilot, width: int, height: int) -> None:
    """Resize, and wait until the screen on top has been laid out at the new size (Textual
    passes a resize on after a short timer)."""
    await pilot.resize_terminal(width, height)
    for _ in range(200):
        await pilot.pause(0.01)
        if pilot.app.screen.size == Size(width, height):
            break
    await settle(pilot)


def words(screen) -> str:
    return str(screen.query_one("#too-small").render())


@pytest.mark.parametrize("where", ["title", "scene", "debrief"])
async def test_too_small_then_back_to_the_same_screen_and_game(new_game, where):
    game = {"title": None, "scene": lambda: new_game(choices=("stark",)), "debrief": lambda: new_game(choices=STANDARD_RUN)}[where]
    game = game() if game else None
    expected = {"title": TitleScreen, "scene": SceneScreen, "debrief": DebriefScreen}[where]
    app = LeadgameApp(game)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.screen
        assert isinstance(before, expected)
        if where == "debrief":  # a feeling half typed, and the profile as it reads
            before.query_one("#feeling", AnswerBox).focus()
            await press(pilot, *"Tense")
            profile = text_of(before.query_one("#profile"))
        await resize(pilot, 40, 12)
        assert isinstance(app.screen, TooSmallScreen)
        assert "too small for leadgame (40×12); it needs 60×16" in words(app.screen)
        await press(pilot, "2", "enter")  # keys do not reach the game beneath
        await resize(pilot, 50, 14)
        assert "(50×14)" in words(app.screen)
        await resize(pilot, *SIZE)
        assert app.screen is before
        assert not any(isinstance(screen, TooSmallScreen) for screen in app.screen_stack)
        if where == "scene":
            assert game.state.choice_log == ("stark",) and before.phase == "deciding"
            await choose(pilot, "share-later")  # and the game plays on
            assert game.state.choice_log == ("stark", "share-later")
        elif where == "debrief":
            assert before.query_one("#feeling", AnswerBox).text == "Tense"  # nothing typed is lost
            assert text_of(before.query_one("#profile")) == profile and "Burning platform" in profile
            assert read_save_json("fixture")["choices"] == list(STANDARD_RUN)
        else:
            await press(pilot, "enter")
            assert not isinstance(app.screen, TitleScreen)  # the menu still works


async def test_the_limit_is_60_by_16_and_a_small_start_is_covered_too(new_game):
    app = LeadgameApp(new_game())
    async with app.run_test(size=(MIN_WIDTH - 1, MIN_HEIGHT)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert "Your game is saved" in words(app.screen)
        await resize(pilot, MIN_WIDTH, MIN_HEIGHT)
        assert isinstance(app.screen, SceneScreen)
        await resize(pilot, MIN_WIDTH, MIN_HEIGHT - 1)
        assert isinstance(app.screen, TooSmallScreen)


async def test_quit_still_works_while_too_small(new_game):
    app = LeadgameApp(new_game("tiny", choices=("ambition",)))
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await press(pilot, "q")
        assert isinstance(app.screen, ConfirmQuit)
        await press(pilot, "n")
        assert isinstance(app.screen, TooSmallScreen)
        await press(pilot, "q", "y")
    assert app.return_code == 0
    assert read_save_json("tiny")["choices"] == ["ambition"]


async def test_a_modal_opened_while_too_small_is_closed_first(new_game):
    app = LeadgameApp(new_game())
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        await resize(pilot, *SIZE)
        assert not isinstance(app.screen, (TooSmallScreen, SceneScreen))  # help stays on top
        await press(pilot, "escape")  # closing it uncovers the scene, not the message
        assert isinstance(app.screen, SceneScreen)


# --- under a pseudo-terminal -----------------------------------------------------------------

@pytest.mark.parametrize("term, no_color", [(None, None), ("xterm-256color", "1")], ids=["TERM-unset", "NO_COLOR"])
def test_the_app_runs_and_quits_cleanly_on_a_real_terminal(term, no_color):
    with Terminal("play", str(MINI), "--save", "on-a-pty", env=environment(TERM=term, NO_COLOR=no_color)) as terminal:
        terminal.wait_for("Paint the perfect storm")
        terminal.type("q")
        terminal.wait_for("Quit leadgame?")
        terminal.type("y")
        status = terminal.finish()
    assert status == 0, terminal.text[-3000:]
    assert "Saved as 'on-a-pty'. Resume with: leadgame play --resume on-a-pty" in terminal.text
    assert "Traceback" not in terminal.text
    if no_color:  # monochrome: every colour the app sends is a grey
        sent = colours(terminal.raw.decode("utf-8", "replace"))
        assert sent and all(colour == "grey" for colour in sent), sorted(set(sent))


def colours(raw: str) -> list[str]:
    """Each colour set by an SGR sequence: "grey" for the 256-colour grey ramp or an RGB grey,
    else the parameters that set it."""
    found = []
    for sequence in re.findall(r"\x1b\[([0-9;]*)m", raw):
        params = [int(p) if p else 0 for p in sequence.split(";")]
        while params:
            code = params.pop(0)
            if code in (38, 48) and params[:1] == [5]:
                index = params[1]
                del params[:2]
                found.append("grey" if index >= 232 or index in (0, 7, 8, 15, 16, 231) else f"{code};5;{index}")
            elif code in (38, 48) and params[:1] == [2]:
                r, g, b = params[1:4]
                del params[:4]
                found.append("grey" if r == g == b else f"{code};2;{r};{g};{b}")
            elif 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                found.append(str(code))
    return found


def test_a_dumb_terminal_gets_plain_mode_and_says_why():
    with Terminal("play", str(MINI), "--save", "dumb", env=environment(TERM="dumb", NO_COLOR="1")) as terminal:
        terminal.wait_for("Paint the perfect storm")
        terminal.type("q\n")
        status = terminal.finish()
    text = terminal.text
    assert status == 0, text[-3000:]
    assert "leadgame: TERM=dumb says this terminal cannot draw a full screen, so this is plain mode" in text
    assert "Saved as 'dumb'. Resume with: leadgame play --plain --resume dumb" in text
    assert "Traceback" not in text
    assert "\x1b" not in terminal.raw.decode("utf-8", "replace")  # not one escape sequence
