"""The debrief and the play around it, driven by keyboard through Pilot: notes at any scene,
answers that survive reopening, what-if from a reopened save with its label, compare and
export; the choices waiting for the end of the text, the side panel folding and following,
and the header's sense of how far there is to go."""

from __future__ import annotations

import re

from tui_helpers import (FIXTURE_SCENARIOS, drawn_lines, drawn_text, STANDARD_RUN, choose, finish_what_if, play_through, press, long_scene,
                         read_save_json, screen_text, settle, text_of)

from leadgame import locations
from leadgame.tui.app import LeadgameApp
from leadgame.tui.screens.compare import CompareScreen
from leadgame.tui.screens.debrief import DebriefScreen
from leadgame.tui.screens.modals import ExportedScreen, NoteScreen
from leadgame.tui.screens.saved import SavedGamesScreen
from leadgame.tui.screens.scene import READ_ON, SceneScreen
from leadgame.tui.screens.title import TitleScreen
from leadgame.tui.widgets.answer import AnswerBox
from leadgame.tui.widgets.choices import ChoiceList
from leadgame.tui.widgets.path import JunctureView

SIZE = (100, 30)


async def write_note(pilot, words: str) -> None:
    await press(pilot, "n")
    assert isinstance(pilot.app.screen, NoteScreen)
    await pilot.press(*words)
    await press(pilot, "escape")


async def test_notes_at_any_scene_are_kept_and_shown_in_the_debrief(new_game):
    game = new_game("noted")
    app = LeadgameApp(game)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await write_note(pilot, "Which audience first?")
        assert isinstance(app.screen, SceneScreen) and read_save_json("noted")["notes"] == {"0": "Which audience first?"}
        await choose(pilot, "stark")
        await press(pilot, "n")  # the consequence is showing: the note is the same decision's, ready to edit
        assert app.screen.query_one("#note-box", AnswerBox).text == "Which audience first?"
        await pilot.press(*" Too stark.")
        await press(pilot, "escape", "enter")
        await choose(pilot, "share-now")
        await press(pilot, "enter")
        assert app.screen.game.state.scene.is_passage
        await write_note(pilot, "Winter already")
        assert "✎" in drawn_text(app.screen.query_one("#timeline"))
        await play_through(pilot, ("continue", "continue", "cede"))
        assert isinstance(app.screen, DebriefScreen)
        first = app.screen.query_one("#step-0", JunctureView)
        assert "✎ Your note: Which audience first? Too stark." in text_of(first)
        assert "Then: Winter" in text_of(app.screen.query_one("#step-2", JunctureView))
        assert "Winter already" in text_of(app.screen.query_one("#step-2", JunctureView))
    assert read_save_json("noted")["notes"] == {"0": "Which audience first? Too stark.", "2": "Winter already"}


async def test_answers_are_saved_on_leaving_a_box_and_come_back_on_reopening(new_game):
    new_game("answered", choices=STANDARD_RUN)
    app = LeadgameApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2", "enter")  # Continue, the one saved game: its debrief
        assert isinstance(app.screen, DebriefScreen)
        body = app.screen.query_one("#debrief")
        await press(pilot, "7")  # there is no seventh section here: nothing moves
        assert body.scroll_y == 0
        await press(pilot, "6")  # the last section, what next, by its number
        assert body.scroll_y == min(body.max_scroll_y, app.screen.query_one("#section-6").virtual_region.y) > 0
        await press(pilot, "tab")  # into the nearest box on screen: the first question's
        assert app.focused is app.screen.query_one("#answer-1", AnswerBox)
        await press(pilot, "shift+tab", "tab")  # back to how it felt, and on again
        assert app.focused is app.screen.query_one("#answer-1", AnswerBox)
        await pilot.press(*"Housing says yes")
        await press(pilot, "enter")  # a new line, not the end of the answer
        await pilot.press(*"then waits")
        await press(pilot, "escape")
        assert isinstance(app.screen, DebriefScreen) and app.focused is app.screen.query_one("#debrief")
    question = read_save_json("answered")["answers"]
    assert list(question.values()) == ["Housing says yes\nthen waits"]

    again = LeadgameApp()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2", "enter")
        assert again.screen.query_one("#answer-1", AnswerBox).text == "Housing says yes\nthen waits"


async def test_keys_typed_in_a_box_stay_in_the_box(new_game):
    first = new_game("first", choices=STANDARD_RUN)
    branch = finish_what_if(first)
    first.close()
    app = LeadgameApp(branch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "tab")
        await pilot.press(*"mew")  # m compares, w replays, e exports: not while writing
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert app.screen.query_one("#feeling", AnswerBox).text == "mew"
        await press(pilot, "escape")  # one Escape leaves the box, not the screen
        assert isinstance(app.screen, DebriefScreen)
        await press(pilot, "m")
        assert isinstance(app.screen, CompareScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, DebriefScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, TitleScreen)
        await press(pilot, "2", "1", "m")  # Continue: the what-if, and its comparison, are still there
        assert isinstance(app.screen, CompareScreen)
    assert read_save_json("first-whatif")["feeling"] == "mew"


async def test_a_what_if_reopened_from_continue_keeps_its_label_compare_and_export(new_game):
    first = new_game("first", choices=STANDARD_RUN)
    branch = finish_what_if(first)
    first.close()
    branch.close()
    app = LeadgameApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert isinstance(app.screen, SavedGamesScreen)
        progress = {row.save.name: row.progress for row in app.screen.rows}
        assert progress["first-whatif"] == "What if (from decision 2) · Finished after 3 decisions: Work still in progress"
        assert progress["first"] == "Finished after 3 decisions: Work still in progress"
        rows = [row.save.name for row in app.screen.rows]
        await press(pilot, str(rows.index("first-whatif") + 1))
        assert isinstance(app.screen, DebriefScreen) and app.screen.is_what_if
        assert "What if" in text_of(app.screen.query_one("#debrief-bar"))
        assert "replayed from decision 2 of 'first'" in text_of(app.screen.query_one("#debrief-about"))
        await press(pilot, "m")
        assert isinstance(app.screen, CompareScreen) and app.screen.comparison.parting == 2
        await press(pilot, "escape", "e", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportedScreen)
    text = (locations.exports_dir() / "first-whatif-debrief.md").read_text(encoding="utf-8")
    assert "What if: replayed from decision 2 of 'first'" in text
    assert "## What if" in text and "**They part here.**" in text


async def test_the_choices_wait_until_the_end_of_the_text_is_reached(tmp_path, monkeypatch):
    game = long_scene(tmp_path, monkeypatch)
    app = LeadgameApp(game)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        choices = screen.query_one("#choices", ChoiceList)
        labels = [game.scenario.scenes["panel"].choices[0].label, game.scenario.scenes["panel"].choices[1].label]
        shown = screen_text(app)
        assert READ_ON in shown and not any(label[:30] in shown for label in labels)  # held in place, unseen
        await press(pilot, "1", "2")  # no option can be chosen unseen
        assert game.state.history == ()
        for _ in range(20):
            if screen.revealed:
                break
            await press(pilot, "enter")  # Enter reads on, a page at a time
        shown = screen_text(app)
        assert READ_ON not in shown and all(label[:30] in shown for label in labels)
        story = screen.query_one("#story")
        assert story.scroll_y == story.max_scroll_y  # the last sentence is in view
        assert app.focused is choices
        await choose(pilot, "stark")
        assert game.state.choice_log == ("stark",)


async def test_a_held_list_draws_blank_lines_and_its_options_again_once_shown(new_game):
    """The list draws its held state itself: what it draws changes the moment it is held or shown
    (a browser is sent only what is redrawn)."""
    app = LeadgameApp(new_game())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        choices = app.screen.query_one("#choices", ChoiceList)
        labels = list(choices.labels.values())

        def drawn() -> str:
            return "\n".join(strip.text for strip in drawn_lines(choices))

        assert all(label in drawn() for label in labels)
        choices.hold(True)
        await pilot.pause()
        assert not any(label in drawn() for label in labels) and not drawn().strip(" ▊▎▔▁\n")
        choices.hold(False)
        await pilot.pause()
        assert all(label in drawn() for label in labels)


async def test_a_scene_that_fits_shows_its_choices_at_once(new_game):
    app = LeadgameApp(new_game())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert READ_ON not in shown and all(label in shown for label in app.screen.query_one("#choices").labels.values())


async def test_the_side_panel_folds_below_100_columns_and_follows_the_latest_decision(new_game):
    game = new_game("side", coached=True, choices=("stark", "share-now", "continue"))
    app = LeadgameApp(game)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        side = app.screen.query_one("#side")
        assert not side.display  # folded: the story has the width
        await press(pilot, "t")
        assert side.display
    # a long path (a shipped case, many decisions in): the latest is in view, not the first
    from leadgame import library
    from leadgame.core import engine
    from leadgame.core.session import Session
    from support import REPO

    scenario = library.load(REPO / "scenarios" / "bradford-total-place.yaml")
    long_game = Session.new(scenario, locations.saves_dir(), name="long", seed=0, coached=True)
    while sum(1 for step in long_game.state.history if not scenario.scenes[step.scene].is_passage) < 6:
        long_game.choose(engine.ordered_choices(long_game.state)[0].id)
    app = LeadgameApp(long_game)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        side = app.screen.query_one("#side")
        panel = app.screen.query_one("#timeline-panel")
        assert side.display
        view = side.scrollable_content_region.height
        assert 0 < side.scroll_y < panel.virtual_region.bottom <= side.scroll_y + view  # the latest decision in view
        assert side.max_scroll_y > side.scroll_y  # the constructs run on below
        side.focus()
        await press(pilot, "home")  # every panel scrolls from the keyboard
        assert side.scroll_y == 0
        await press(pilot, "t")
        assert not side.display


async def test_the_decisions_panel_draws_each_decision_and_redraws_what_changes(new_game):
    """The panel draws a line at a time from each decision's own lines: a new decision, a note
    and a change of theme must each show in what is drawn, not only in what it would render."""
    game = new_game("drawn")
    app = LeadgameApp(game)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        timeline = app.screen.query_one("#timeline")
        assert [strip.text.rstrip() for strip in drawn_lines(timeline)] == ["No decisions yet."]
        await choose(pilot, "stark")
        assert [strip.text.rstrip() for strip in drawn_lines(timeline)][0] == "1. The scrutiny panel"
        await write_note(pilot, "Too stark")
        assert drawn_lines(timeline)[0].text.rstrip() == "1. The scrutiny panel ✎"
        await press(pilot, "enter")
        await choose(pilot, "share-now")
        lines = [strip.text.rstrip() for strip in drawn_lines(timeline)]
        assert lines[0] == "1. The scrutiny panel ✎" and lines[1].startswith("   ") and "2." not in lines[1]
        assert any(line.startswith("2. The Children's Trust Board") for line in lines)
        assert " ".join(" ".join(lines).split()).endswith("Start the data-sharing protocols now")
        assert all(strip.cell_length == timeline.size.width for strip in drawn_lines(timeline))
        weights = {strip.text.strip(): {bool(seg.style and seg.style.bold) for seg in strip if seg.text.strip()}
                   for strip in drawn_lines(timeline)}
        assert weights["1. The scrutiny panel ✎"] == {True}  # the scene's title in bold
        label = [line for line in weights if line and line in "Paint the perfect storm in stark terms"]
        assert label and all(weights[line] == {False} for line in label)  # the choice in plain weight
        before = drawn_lines(timeline)[0]
        await press(pilot, "f2")  # the next theme: the panel is drawn in its colours
        after = drawn_lines(timeline)[0]
        assert after.text == before.text
        background = {segment.style.bgcolor for segment in after if segment.style}
        assert background == {timeline.rich_style.bgcolor} != {segment.style.bgcolor for segment in before if segment.style}


async def test_the_header_says_how_far_there_is_to_go(new_game):
    app = LeadgameApp(new_game())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Decision 1 of about 3" in text_of(app.screen.query_one("#scene-status"))
        await choose(pilot, "stark")
        await press(pilot, "enter")
        assert "Decision 2 of about 3" in text_of(app.screen.query_one("#scene-status"))


async def test_theme_messages_use_human_names(new_game):
    app = LeadgameApp(new_game())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f2")
        messages = [n.message for n in app._notifications]
        assert messages[-1] == "Theme: Light"
        await press(pilot, "f2")
        assert [n.message for n in app._notifications][-1] == "Theme: High contrast, dark"


async def test_profile_scales_are_drawn_whole_and_marks_sit_where_the_words_say(new_game):
    app = LeadgameApp(new_game(choices=STANDARD_RUN))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bars = app.screen.query_one("#profile")
        for width in (40, 74, 100):  # a narrow window, 80 columns, a wide one
            lines = bars.drawn(width).plain.splitlines()
            for score in bars.scores:
                assert any(score.construct.name in line for line in lines)  # never cut
            scales = [re.search(r" 0 ([─├┤┼●◆◈]+) 10", " " + line) for line in lines]
            scales = [found for found in scales if found]
            assert len(scales) == len(bars.scores)
            assert len({found.start(1) for found in scales}) == 1  # every scale starts in one column
            assert len({len(found.group(1)) for found in scales}) == 1  # and is as long as the others
            for found, score in zip(scales, bars.scores):
                real = bars.real[score.construct.id]
                scale = found.group(1)
                assert scale.count("┼") + (scale[len(scale) // 2] in "●◆◈") == 1  # the middle is marked
                you = scale.find("●") if "●" in scale else scale.find("◈")
                assert you == round(score.on_scale / 10 * (len(scale) - 1))
                assert ("◈" in scale) == (score.on_scale == real.on_scale)  # told alike, drawn alike
