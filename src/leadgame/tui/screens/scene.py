"""The scene screen: the narrative, the choices, the consequence of each decision, and (in
coached mode) its reasoning, where the source says so and construct changes; your decisions alongside.

The choices wait until the learner has reached the end of the text (or it fits): an option can
rest on a sentence below the fold. The side panel follows the latest decision, and below about
100 columns it folds away behind `t`, leaving the story the width. `n` writes a note on the
decision at hand, kept with the game and shown in the debrief beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Awaitable, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from leadgame.core.debrief import decisions_made, signed, timeline
from leadgame.core.saves import SaveError
from leadgame.tui.messages import Chosen
from leadgame.tui.screens.modals import DECISION, NOTE
from leadgame.tui.widgets.choices import ChoiceList
from leadgame.tui.widgets.prose import Prose
from leadgame.tui.widgets.timeline import ConstructTotals, Timeline
from leadgame.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from leadgame.core.engine import Outcome
    from leadgame.core.model import Choice
    from leadgame.core.session import Session

DECIDING, OUTCOME, ENDING = "deciding", "outcome", "ending"
NEXT, DEBRIEF = "next", "debrief"
READ_ON = "▼ Read on (↓, PgDn or Enter): the choices follow the text"
FIRST_RUN = "  ◀ your first run's choice"


def variables_text(variables) -> str:
    """One line per story variable, as an author writes values: `trust  2`, `ready  false`."""
    width = max((len(name) for name in variables), default=0)
    shown = {True: "true", False: "false"}
    return "\n".join(f"{name:<{width}}  {shown.get(value, value) if isinstance(value, bool) else value}"
                     for name, value in variables.items()) or "No variables."


def coach_detail(game: Session, outcome: Outcome) -> Text:
    text = Text()
    if outcome.choice.ref:
        text.append(f"{game.scenario.source.reference_line(outcome.choice.ref)}\n", style="italic")
    for construct, delta in outcome.score_changes.items():
        name = game.scenario.constructs[construct].name if construct in game.scenario.constructs else construct
        text.append(f"{signed(delta):>3}  ", style="bold")
        text.append(f"{name}\n")
    if not outcome.score_changes:
        text.append("No construct moved.\n")
    text.rstrip()
    return text


class SceneScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "note", "Note", tooltip="Write a note on this decision; the debrief shows it beside the decision"),
        Binding("c", "toggle_coached", "Coached", tooltip="Coached mode on or off: the reasoning after each decision"),
        Binding("s", "toggle_constructs", "Scores", tooltip="Show or hide the construct scores so far (coached mode)"),
        Binding("t", "toggle_side", "Decisions", tooltip="Show or hide your decisions so far"),
        Binding("escape", "to_title", "Title", show=False, tooltip="Back to the title screen; the game stays saved"),
        Binding("pageup", "scroll_story(-1)", "Back up", show=False, tooltip="Scroll the story up"),
        Binding("pagedown", "scroll_story(1)", "More", show=False, tooltip="Scroll the story down"),
        Binding("enter", "read_on", "Read on", show=False, tooltip="Read on to the choices"),
    ]

    def __init__(self, game: Session) -> None:
        super().__init__()
        self.game = game
        self.phase = DECIDING
        self.last: Outcome | None = None
        self.show_constructs = True
        self.typical: int | None = None  # decisions in a typical playthrough, once worked out
        self.revealed = False  # the learner has reached the end of what is on screen
        self.measured = False  # the screen has been laid out since the text last changed
        first = game.origin() if game.save.origin else None
        self.first_run = first.history if first is not None else ()  # a what-if's first run, to mark its choices

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_constructs" and not self.game.coached:
            return False  # the construct panel belongs to coached mode
        if action == "read_on":
            return not self.revealed
        return True

    def compose(self) -> ComposeResult:
        with Horizontal(id="scene-bar", classes="bar"):
            yield Static(self.game.scenario.title, id="scene-scenario", markup=False)
            yield Static(id="scene-status", markup=False)
        with Horizontal(id="scene-body"):
            with VerticalScroll(id="story"):
                yield Static(id="scene-title", markup=False)
                yield Static(id="scene-when", markup=False)
                yield Prose(id="narrative")
                with Vertical(id="outcome"):
                    yield Static(id="outcome-choice", markup=False)
                    yield Prose(id="consequence")
                    with Vertical(id="coach"):
                        yield Static("Coach", classes="panel-heading", markup=False)
                        yield Prose(id="coach-rationale")
                        yield Static(id="coach-detail", markup=False)
            with VerticalScroll(id="side"):
                with Vertical(id="timeline-panel"):
                    yield Static("Your decisions", classes="panel-heading", markup=False)
                    yield Timeline(id="timeline")
                with Vertical(id="constructs"):
                    yield Static("Constructs so far", classes="panel-heading", markup=False)
                    yield ConstructTotals(id="construct-totals")
                with Vertical(id="variables-panel"):  # for an author watching the file: the story state now
                    yield Static("Story state", classes="panel-heading", markup=False)
                    yield Static(id="variables", markup=False)
        yield ChoiceList(id="choices")
        yield KeyBar()

    async def on_mount(self) -> None:
        self.app.current = self.game
        self.watch(self.query_one("#story"), "scroll_y", self.story_scrolled, init=False)
        self.screen_layout_refresh_signal.subscribe(self, self.laid_out)
        if self.game.finished:
            await self.show_ending()
        else:
            await self.show_scene()
        self.work_out_pace()

    def on_screen_resume(self) -> None:
        self.app.current = self.game

    @work(thread=True, exclusive=True, group="pace")
    def work_out_pace(self) -> None:
        from leadgame import locations
        from leadgame.core.pace import cached_typical_decisions

        typical = cached_typical_decisions(self.game.scenario, locations.cache_dir() if self.game.persist else None)
        self.app.call_from_thread(self.pace_known, typical)

    def pace_known(self, typical: int) -> None:
        self.typical = typical
        self.refresh_panels()

    # --- what is on screen ------------------------------------------------------------------

    async def show_scene(self) -> None:
        scene = self.game.state.scene
        self.phase = DECIDING
        self.query_one("#scene-title", Static).update(scene.title)
        self.set_when(" · ".join(part for part in (scene.place, scene.date) if part))
        self.query_one("#narrative", Prose).show(self.game.state.text)
        self.query_one("#outcome").display = False
        self.query_one("#choices", ChoiceList).show((c.id, self.option_label(c)) for c in self.game.choices())
        self.refresh_panels()
        self.query_one("#story", VerticalScroll).scroll_home(animate=False, immediate=True)
        self.hold_choices()

    def option_label(self, choice: Choice) -> str | Text:
        """An option's label; in a what-if, the first run's choice at this same moment is marked."""
        step = len(self.game.state.history)
        if step < len(self.first_run) and self.first_run[step].scene == self.game.state.node \
                and self.first_run[step].choice == choice.id and step >= self.game.save.branched_at:
            return Text.assemble(choice.label, (FIRST_RUN, "italic dim"))
        return choice.label

    async def show_outcome(self, outcome: Outcome) -> None:
        self.phase = OUTCOME
        self.last = outcome
        self.query_one("#outcome-choice", Static).update(Text.assemble(("You chose: ", "bold"), outcome.choice.label))
        self.query_one("#consequence", Prose).show(outcome.consequence)
        await self.show_coach()
        self.query_one("#outcome").display = True
        label = "See how it ends" if self.game.finished else "Continue"
        self.query_one("#choices", ChoiceList).show([(NEXT, label)])
        self.refresh_panels()
        story = self.query_one("#story", VerticalScroll)
        self.call_after_refresh(story.scroll_to_widget, self.query_one("#outcome"), animate=False, top=True)
        self.hold_choices()

    async def show_coach(self) -> None:
        coach = self.query_one("#coach")
        coach.display = bool(self.game.coached and self.last is not None)
        if coach.display:
            self.query_one("#coach-rationale", Prose).show(self.last.choice.rationale or "_No reasoning recorded for this choice._")
            self.query_one("#coach-detail", Static).update(coach_detail(self.game, self.last))

    async def show_ending(self) -> None:
        ending = self.game.state.ending
        self.phase = ENDING
        self.query_one("#scene-title", Static).update(f"Ending: {ending.title}")
        self.set_when("")
        self.query_one("#narrative", Prose).show(self.game.state.text)
        self.query_one("#outcome").display = False
        self.query_one("#choices", ChoiceList).show([(DEBRIEF, "Go to the debrief")])
        self.refresh_panels()
        self.query_one("#story", VerticalScroll).scroll_home(animate=False, immediate=True)
        self.hold_choices()

    def set_when(self, when: str) -> None:
        widget = self.query_one("#scene-when", Static)
        widget.update(when)
        widget.display = bool(when)

    # --- the choices wait for the end of the text ---------------------------------------------

    def hold_choices(self) -> None:
        """Hide the choices until the learner reaches the end of what is on screen; a text that
        fits shows them at once (checked once the new text is laid out). Held, they keep their
        place unseen and their box says how to read on, so nothing moves when they appear (and
        nothing is laid out again: only the box is redrawn)."""
        self.revealed = False
        self.measured = False
        choices = self.query_one("#choices", ChoiceList)
        choices.hold(True)
        choices.border_title = READ_ON

    def laid_out(self, _screen) -> None:
        """After every layout (new text, a resized window): the sizes are now the text's own.
        The focus moves only now, and only if it must: each move restyles what it leaves."""
        first = not self.measured
        self.measured = True
        self.story_scrolled()
        story = self.query_one("#story")
        if first and not self.revealed and self.focused is not story:
            story.focus()  # the arrows and Enter read on

    def story_scrolled(self, *_ignored) -> None:
        story = self.query_one("#story", VerticalScroll)
        if not self.revealed and self.measured and story.scroll_y >= story.max_scroll_y:
            self.reveal_choices()

    def reveal_choices(self) -> None:
        self.revealed = True
        choices = self.query_one("#choices", ChoiceList)
        choices.hold(False)
        choices.border_title = ""
        if self.focused is not choices:
            choices.focus()
        self.refresh_bindings()

    def action_read_on(self) -> None:
        story = self.query_one("#story", VerticalScroll)
        story.scroll_page_down(animate=False)

    # --- the panels beside the story ------------------------------------------------------------

    def status_words(self) -> str:
        decided = decisions_made(self.game.state)
        parts = []
        if self.phase == DECIDING and not self.game.state.scene.is_passage:
            number = decided + 1
            if self.typical and number <= self.typical:
                parts.append(f"Decision {number} of about {self.typical}")
            else:
                parts.append(f"Decision {number}" + (" (a longer path than most)" if self.typical else ""))
        elif self.phase == ENDING:
            parts.append("The end")
        parts.append("Coached" if self.game.coached else "Standard")
        if self.game.save.origin:
            parts.append("What if")
        if self.watching:
            parts.append("Watching the file")
        return "  ·  ".join(parts)

    def refresh_panels(self) -> None:
        self.query_one("#scene-status", Static).update(self.status_words())
        self.query_one("#timeline", Timeline).show(timeline(self.game.state), set(self.game.save.notes))
        constructs = self.query_one("#constructs")
        constructs.display = self.game.coached and self.show_constructs
        if constructs.display:
            self.update_constructs()
        variables = self.query_one("#variables-panel")
        variables.display = self.watching
        if self.watching:
            self.query_one("#variables", Static).update(variables_text(self.game.state.variables))
        self.call_after_refresh(self.follow_latest)

    @property
    def watching(self) -> bool:
        """Whether an author is watching the scenario file (play --watch)."""
        return getattr(self.app, "watcher", None) is not None

    def follow_latest(self) -> None:
        """Scroll the side panel so the latest decision sits at the bottom of its view (the
        construct panel below it is a scroll away)."""
        side = self.query_one("#side", VerticalScroll)
        end = self.query_one("#timeline-panel").virtual_region.bottom
        side.scroll_to(y=max(0, end - side.scrollable_content_region.height), animate=False)

    def update_constructs(self) -> None:
        from leadgame.core.scoring import profile

        scores = {score.construct.id: score for score in profile(self.game.state)}
        ordered = [scores[c] for c in self.game.scenario.scored_constructs if c in scores]
        self.query_one("#construct-totals", ConstructTotals).show(ordered)

    async def reload(self, game: Session) -> None:
        """Carry on with `game`, the same game replayed on an edited scenario file (play --watch):
        the same moment where the path still fits (a consequence stays on screen, in its new
        words), else where the replay stopped."""
        from leadgame.tui.watch import last_outcome

        same_path = game.state.choice_log == self.game.state.choice_log
        self.game = game
        self.app.current = game
        self.query_one("#scene-scenario", Static).update(game.scenario.title)
        outcome = last_outcome(game.state) if self.phase == OUTCOME and same_path else None
        if outcome is not None:
            await self.show_outcome(outcome)
        else:
            await self.advance()

    # --- the learner's moves ----------------------------------------------------------------

    @on(Chosen)
    async def chosen(self, event: Chosen) -> None:
        if not self.revealed:
            return
        if self.phase == DECIDING:
            await self.decide(event.option_id)
        elif self.phase == OUTCOME:
            await self.advance()
        else:
            self.app.show_debrief(self.game)

    async def decide(self, choice_id: str) -> None:
        """Take a choice. Only a saved decision moves the game on: when the save fails, say why
        and offer to try again or to keep the game in another file."""
        try:
            outcome = self.game.choose(choice_id)
        except SaveError as error:
            self.save_failed(error, lambda: self.decide(choice_id))
            return
        if outcome.consequence.strip() or (self.game.coached and outcome.choice.rationale):
            await self.show_outcome(outcome)
        else:
            await self.advance()

    def save_failed(self, error: SaveError, again: Callable[[], Awaitable[None]], what: str = DECISION) -> None:
        """Say why a save failed (the game is as it was) and offer to try `again`, or to keep
        the game in another file and then try again."""
        from leadgame.tui.screens.modals import SaveFailed

        self.app.push_screen(SaveFailed(str(error), what), lambda answer: self.after_failed_save(answer, again, what))

    async def after_failed_save(self, answer: str | None, again: Callable[[], Awaitable[None]], what: str) -> None:
        if answer == "retry":
            await again()
        elif answer == "save-as":
            from pathlib import Path

            from leadgame.tui.screens.modals import ExportScreen

            suggestion = Path.home() / f"{self.game.save.name}.json"
            words = "A folder you can write to, and a file name for the game. Enter to save, Esc to cancel."
            self.app.push_screen(ExportScreen(suggestion, "Save this game somewhere else", words),
                                 lambda path: self.save_elsewhere(path, again, what))

    async def save_elsewhere(self, path, again: Callable[[], Awaitable[None]], what: str) -> None:
        if path is None:
            return
        from leadgame.core.saves import name_of

        try:
            self.game.move_to(path.parent, name_of(path))
        except SaveError as error:
            self.save_failed(error, again, what)
            return
        self.notify(f"This game is now saved in {path.parent / (self.game.save.name + '.json')}", timeout=8, markup=False)
        await again()

    async def advance(self) -> None:
        if self.game.finished:
            await self.show_ending()
        else:
            await self.show_scene()

    def note_step(self) -> int:
        """The step a note written now belongs to: the decision on screen, or (once it is made,
        and at the ending) the last one made."""
        history = len(self.game.state.history)
        return history if self.phase == DECIDING else max(0, history - 1)

    def action_note(self) -> None:
        from leadgame.tui.screens.modals import NoteScreen

        step = self.note_step()
        history = self.game.state.history
        scene = self.game.state.scene if self.phase == DECIDING else self.game.scenario.scenes.get(history[step].scene) if history else None
        heading = f"Your note on: {scene.title}" if scene is not None else "Your note"

        async def written(text: str | None) -> None:
            if text is not None:
                await self.keep_note(step, text)

        self.app.push_screen(NoteScreen(heading, self.game.save.notes.get(step, "")), written)

    async def keep_note(self, step: int, text: str) -> None:
        """Keep a note (an empty one removes it); a failed save offers to try again."""
        try:
            self.game.set_note(step, text)
        except SaveError as error:
            self.save_failed(error, lambda: self.keep_note(step, text), NOTE)
            return
        self.notify("Your note is kept with this decision." if text else "Note removed.", timeout=3)
        self.refresh_panels()

    async def action_toggle_coached(self) -> None:
        try:
            self.game.set_coached(not self.game.coached)
        except SaveError as error:
            self.notify(f"Could not switch modes: {error}", severity="error", markup=False)
            return
        self.notify("Coached mode: the reasoning follows each decision." if self.game.coached
                    else "Standard mode: construct scores wait for the debrief.", timeout=3)
        if self.phase == OUTCOME:
            await self.show_coach()
        self.refresh_panels()
        self.refresh_bindings()

    def action_toggle_constructs(self) -> None:
        if not self.game.coached:
            self.notify("Construct scores show in coached mode: press c to switch.", timeout=3)
            return
        self.show_constructs = not self.show_constructs
        self.refresh_panels()

    def action_toggle_side(self) -> None:
        """Fold the side panel away or bring it back: by default it shows on a wide window and
        folds on a narrow one, so the toggle remembers which way the learner turned it."""
        side = self.query_one("#side")
        shown = side.styles.display != "none"
        side.set_class(shown, "-closed")
        side.set_class(not shown, "-open")
        self.refresh_panels()

    def action_scroll_story(self, direction: int) -> None:
        story = self.query_one("#story", VerticalScroll)
        story.scroll_page_down() if direction > 0 else story.scroll_page_up()

    def action_to_title(self) -> None:
        self.notify("Your game is saved: Continue picks it up." if self.game.persist else "This test run is not saved.", timeout=3)
        self.app.go_to_title()

    def commands(self):
        yield SystemCommand("Note", "Write a note on this decision (n)", self.action_note)
        yield SystemCommand("Coached mode", "Switch coached mode on or off (c)", self.action_toggle_coached)
        yield SystemCommand("Construct panel", "Show or hide the constructs so far, in coached mode (s)", self.action_toggle_constructs)
        yield SystemCommand("Your decisions", "Show or hide your decisions so far (t)", self.action_toggle_side)
        yield SystemCommand("Back to the title", "Your game stays saved (Esc)", self.action_to_title)
