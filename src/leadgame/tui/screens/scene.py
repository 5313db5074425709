"""The scene screen: the narrative, the choices, the consequence of each decision, and (in
coached mode) its reasoning, paper section and construct changes; a timeline alongside."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from leadgame.core.debrief import signed, timeline
from leadgame.core.saves import SaveError
from leadgame.tui.messages import Chosen
from leadgame.tui.widgets.choices import ChoiceList
from leadgame.tui.widgets.story import StoryText
from leadgame.tui.widgets.timeline import ConstructTotals, Timeline

if TYPE_CHECKING:
    from leadgame.core.engine import Outcome
    from leadgame.core.session import Session

DECIDING, OUTCOME, ENDING = "deciding", "outcome", "ending"
NEXT, DEBRIEF = "next", "debrief"


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
        Binding("c", "toggle_coached", "Coached", tooltip="Coached mode on or off: the reasoning after each decision"),
        Binding("s", "toggle_constructs", "Scores", tooltip="Show or hide the construct scores so far (coached mode)"),
        Binding("t", "toggle_timeline", "Timeline", tooltip="Show or hide your decisions so far"),
        Binding("escape", "to_title", "Title", show=False, tooltip="Back to the title screen; the game stays saved"),
        Binding("pageup", "scroll_story(-1)", "Back up", show=False, tooltip="Scroll the story up"),
        Binding("pagedown", "scroll_story(1)", "More", key_display="PgDn", tooltip="Scroll the story down"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_constructs" and not self.game.coached:
            return False  # the construct panel belongs to coached mode
        return True

    def __init__(self, game: Session, origin: Session | None = None) -> None:
        super().__init__()
        self.game = game
        self.origin = origin  # the game this one branched from, for "what if" comparison
        self.phase = DECIDING
        self.last: Outcome | None = None
        self.show_constructs = True

    def compose(self) -> ComposeResult:
        with Horizontal(id="scene-bar", classes="bar"):
            yield Static(self.game.scenario.title, id="scene-scenario", markup=False)
            yield Static(id="scene-status", markup=False)
        with Horizontal(id="scene-body"):
            with VerticalScroll(id="story", can_focus=False):
                yield Static(id="scene-title", markup=False)
                yield Static(id="scene-when", markup=False)
                yield StoryText(id="narrative")
                with Vertical(id="outcome"):
                    yield Static(id="outcome-choice", markup=False)
                    yield StoryText(id="consequence")
                    with Vertical(id="coach"):
                        yield Static("Coach", classes="panel-heading", markup=False)
                        yield StoryText(id="coach-rationale")
                        yield Static(id="coach-detail", markup=False)
            with VerticalScroll(id="side", can_focus=False):
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
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self.app.current = self.game
        if self.game.finished:
            await self.show_ending()
        else:
            await self.show_scene()
        self.query_one("#choices").focus()

    def on_screen_resume(self) -> None:
        self.app.current = self.game

    # --- what is on screen ------------------------------------------------------------------

    async def show_scene(self) -> None:
        scene = self.game.state.scene
        self.phase = DECIDING
        self.query_one("#scene-title", Static).update(scene.title)
        self.set_when(" · ".join(part for part in (scene.place, scene.date) if part))
        self.query_one("#narrative", StoryText).show(self.game.state.text)
        self.query_one("#outcome").display = False
        self.query_one("#choices", ChoiceList).show((c.id, c.label) for c in self.game.choices())
        self.refresh_panels()
        self.query_one("#story", VerticalScroll).scroll_home(animate=False, immediate=True)

    async def show_outcome(self, outcome: Outcome) -> None:
        self.phase = OUTCOME
        self.last = outcome
        self.query_one("#outcome-choice", Static).update(Text.assemble(("You chose: ", "bold"), outcome.choice.label))
        self.query_one("#consequence", StoryText).show(outcome.consequence)
        await self.show_coach()
        self.query_one("#outcome").display = True
        label = "See how it ends" if self.game.finished else "Continue"
        self.query_one("#choices", ChoiceList).show([(NEXT, label)])
        self.refresh_panels()
        outcome_box = self.query_one("#outcome")
        self.refresh(layout=True)  # lay the outcome out before the scroll to it below looks where it is
        self.call_after_refresh(self.query_one("#story", VerticalScroll).scroll_to_widget, outcome_box, animate=False, top=True)

    async def show_coach(self) -> None:
        coach = self.query_one("#coach")
        coach.display = bool(self.game.coached and self.last is not None)
        if coach.display:
            self.query_one("#coach-rationale", StoryText).show(self.last.choice.rationale or "_No reasoning recorded for this choice._")
            self.query_one("#coach-detail", Static).update(coach_detail(self.game, self.last))

    async def show_ending(self) -> None:
        ending = self.game.state.ending
        self.phase = ENDING
        self.query_one("#scene-title", Static).update(f"Ending: {ending.title}")
        self.set_when("")
        self.query_one("#narrative", StoryText).show(self.game.state.text)
        self.query_one("#outcome").display = False
        self.query_one("#choices", ChoiceList).show([(DEBRIEF, "Go to the debrief")])
        self.refresh_panels()
        self.query_one("#story", VerticalScroll).scroll_home(animate=False, immediate=True)

    def set_when(self, when: str) -> None:
        widget = self.query_one("#scene-when", Static)
        widget.update(when)
        widget.display = bool(when)

    def refresh_panels(self) -> None:
        entries = timeline(self.game.state)
        decided = sum(1 for entry in entries if entry.decision)
        parts = []
        if self.phase == DECIDING and not self.game.state.scene.is_passage:
            parts.append(f"Decision {decided + 1}")
        elif self.phase == ENDING:
            parts.append("The end")
        parts.append("Coached" if self.game.coached else "Standard")
        if self.origin is not None:
            parts.append("What-if replay")
        watching = getattr(self.app, "watcher", None) is not None
        if watching:
            parts.append("Watching the file")
        self.query_one("#scene-status", Static).update("  ·  ".join(parts))
        self.query_one("#timeline", Timeline).show(entries)
        constructs = self.query_one("#constructs")
        constructs.display = self.game.coached and self.show_constructs
        if constructs.display:
            self.update_constructs()
        variables = self.query_one("#variables-panel")
        variables.display = watching
        if watching:
            self.query_one("#variables", Static).update(variables_text(self.game.state.variables))
        side = self.query_one("#side")
        side.display = self.query_one("#timeline-panel").display or constructs.display or variables.display

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
        if self.phase == DECIDING:
            await self.decide(event.option_id)
        elif self.phase == OUTCOME:
            await self.advance()
        else:
            self.app.show_debrief(self.game, self.origin)

    async def decide(self, choice_id: str) -> None:
        """Take a choice. Only a saved decision moves the game on: when the save fails, say why
        and offer to try again or to keep the game in another file."""
        try:
            outcome = self.game.choose(choice_id)
        except SaveError as error:
            from leadgame.tui.screens.modals import SaveFailed

            self.app.push_screen(SaveFailed(str(error)), lambda answer: self.after_failed_save(answer, choice_id))
            return
        if outcome.consequence.strip() or (self.game.coached and outcome.choice.rationale):
            await self.show_outcome(outcome)
        else:
            await self.advance()

    async def after_failed_save(self, answer: str | None, choice_id: str) -> None:
        if answer == "retry":
            await self.decide(choice_id)
        elif answer == "save-as":
            from pathlib import Path

            from leadgame.tui.screens.modals import ExportScreen

            suggestion = Path.home() / f"{self.game.save.name}.json"
            words = "A folder you can write to, and a file name for the game. Enter to save, Escape to cancel."
            self.app.push_screen(ExportScreen(suggestion, "Save this game somewhere else", words),
                                 lambda path: self.save_elsewhere(path, choice_id))

    async def save_elsewhere(self, path, choice_id: str) -> None:
        if path is None:
            return
        from leadgame.core.saves import name_of

        try:
            self.game.move_to(path.parent, name_of(path))
        except SaveError as error:
            from leadgame.tui.screens.modals import SaveFailed

            self.app.push_screen(SaveFailed(str(error)), lambda answer: self.after_failed_save(answer, choice_id))
            return
        self.notify(f"This game is now saved in {path.parent / (self.game.save.name + '.json')}", timeout=8, markup=False)
        await self.decide(choice_id)

    async def advance(self) -> None:
        if self.game.finished:
            await self.show_ending()
        else:
            await self.show_scene()

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

    def action_toggle_timeline(self) -> None:
        panel = self.query_one("#timeline-panel")
        panel.display = not panel.display
        self.refresh_panels()

    def action_scroll_story(self, direction: int) -> None:
        story = self.query_one("#story", VerticalScroll)
        story.scroll_page_down() if direction > 0 else story.scroll_page_up()

    def action_to_title(self) -> None:
        self.notify("Your game is saved: Continue picks it up.", timeout=3)
        self.app.go_to_title()

    def commands(self):
        yield SystemCommand("Coached mode", "Switch coached mode on or off (c)", self.action_toggle_coached)
        yield SystemCommand("Construct panel", "Show or hide the constructs so far, in coached mode (s)", self.action_toggle_constructs)
        yield SystemCommand("Timeline", "Show or hide your decisions so far (t)", self.action_toggle_timeline)
        yield SystemCommand("Back to the title", "Your game stays saved (Escape)", self.action_to_title)
