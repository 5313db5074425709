"""Room mode: the facilitator's projector screen for a whole room playing one scenario.

At each decision the facilitator shows or hides the notes and prompts (n), runs a countdown
(space, x to extend, r to reset), enters the room's votes (1-9 or arrows to pick an option,
+ and - or e to type a count), writes a note (m) and advances on the majority (Enter), breaking
a tie when there is one. Everything is saved after every change by core.workshop.
"""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Digits, Footer, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from leadgame.core.debrief import to_markdown
from leadgame.core.engine import Outcome
from leadgame.core.saves import SaveError
from leadgame.core.workshop import Tie, WorkshopError, WorkshopSession, clock_text, room_markdown
from leadgame.tui.themes import THEMES, next_theme
from leadgame.tui.widgets.bars import ProfileBars
from leadgame.workshop.widgets import VoteChart

DECIDING, OUTCOME, PASSAGE = "deciding", "outcome", "passage"
DEFAULT_EXTEND = 60


class TextPrompt(ModalScreen[str | None]):
    """One line of text (a note, a vote count); Enter keeps it, Escape cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, heading: str, value: str = "", placeholder: str = "", numeric: bool = False) -> None:
        super().__init__()
        self.heading, self.value, self.placeholder, self.numeric = heading, value, placeholder, numeric

    def compose(self) -> ComposeResult:
        with Vertical(classes="room-dialog"):
            yield Static(self.heading, classes="room-dialog-heading", markup=False)
            yield Input(self.value, placeholder=self.placeholder, type="integer" if self.numeric else "text",
                        max_length=4000, id="prompt-input")
            yield Static("Enter to keep · Escape to cancel", classes="room-dialog-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TieBreak(ModalScreen[str | None]):
    """The vote is tied: the facilitator picks one of the tied options."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, options: Sequence[tuple[str, str]], votes: int) -> None:
        super().__init__()
        self.options, self.votes = tuple(options), votes

    def compose(self) -> ComposeResult:
        with Vertical(classes="room-dialog"):
            yield Static("The room is tied", classes="room-dialog-heading", markup=False)
            yield Static(f"These options have {self.votes} vote{'s' if self.votes != 1 else ''} each. "
                         "Break the tie: choose one and press Enter.", markup=False)
            yield OptionList(*(Option(Text(label), id=choice_id) for choice_id, label in self.options), id="tie-options")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RoomScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "advance", "Decide / next", key_display="Enter", priority=True),
        Binding("up", "select(-1)", "Up", show=False),
        Binding("down", "select(1)", "Down", show=False),
        *(Binding(str(n), f"pick({n - 1})", str(n), show=False) for n in range(1, 10)),
        Binding("plus,equals_sign,right", "vote(1)", "Vote", key_display="+"),
        Binding("minus,left", "vote(-1)", "Unvote", key_display="-"),
        Binding("e", "enter_votes", "Count"),
        Binding("space", "timer", "Timer", key_display="Space"),
        Binding("x", "extend", "Extend"),
        Binding("r", "reset_timer", "Reset timer", show=False),
        Binding("n", "notes", "Notes"),
        Binding("m", "note", "Note"),
    ]

    def __init__(self, game: WorkshopSession, extend_seconds: int = DEFAULT_EXTEND) -> None:
        super().__init__()
        self.game = game
        self.extend_seconds = extend_seconds
        self.phase = DECIDING
        self.selected = 0
        self.notes_shown = False
        self.last: Outcome | None = None
        self.rang = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="room-bar"):
            yield Static(self.game.scenario.title, id="room-scenario", markup=False)
            yield Static(id="room-status", markup=False)
        with Horizontal(id="room-body"):
            with VerticalScroll(id="room-story", can_focus=False):
                yield Static(id="room-title", markup=False)
                yield Static(id="room-when", markup=False)
                yield Markdown(id="room-narrative", open_links=False)
                with Vertical(id="room-outcome"):
                    yield Static(id="room-chosen", markup=False)
                    yield Markdown(id="room-consequence", open_links=False)
                with Vertical(id="room-notes"):
                    yield Static("Facilitator notes", classes="room-heading", markup=False)
                    yield Markdown(id="room-notes-text", open_links=False)
            with Vertical(id="room-side"):
                yield Digits("00:00", id="room-timer")
                yield Static(id="room-timer-state", markup=False)
                yield VoteChart(id="room-votes")
                yield Static(id="room-note", markup=False)
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        await self.show_scene()
        self.set_interval(0.5, self.tick)

    # --- what is on screen ------------------------------------------------------------------

    async def show_scene(self) -> None:
        scene = self.game.state.scene
        self.phase = PASSAGE if scene.is_passage else DECIDING
        self.selected = 0
        self.rang = False
        self.query_one("#room-title", Static).update(scene.title)
        when = " · ".join(part for part in (scene.place, scene.date) if part)
        self.query_one("#room-when", Static).update(when)
        self.query_one("#room-when").display = bool(when)
        await self.query_one("#room-narrative", Markdown).update(self.game.state.text)
        self.query_one("#room-outcome").display = False
        await self.query_one("#room-notes-text", Markdown).update(self.notes_markdown())
        self.refresh_room()
        self.query_one("#room-story", VerticalScroll).scroll_home(animate=False)

    def notes_markdown(self) -> str:
        scene = self.game.state.scene
        parts = [scene.facilitator_notes.strip() or "_No facilitator notes for this scene._"]
        if scene.facilitator_prompts:
            parts += ["", "**Discussion prompts**", ""] + [f"- {prompt}" for prompt in scene.facilitator_prompts]
        return "\n".join(parts)

    def refresh_room(self) -> None:
        deciding = self.phase == DECIDING
        status = [f"Session {self.game.code}"]
        if deciding:
            status.append(f"Decision {self.game.decision_number}")
        self.query_one("#room-status", Static).update("  ·  ".join(status))
        self.query_one("#room-notes").display = self.notes_shown and self.phase != OUTCOME
        chart = self.query_one("#room-votes", VoteChart)
        side = self.query_one("#room-side")
        side.display = self.phase != PASSAGE
        if deciding:
            votes = self.game.votes()
            rows = [(c.id, c.label, votes[c.id]) for c in self.game.choices()]
            chart.show(rows, self.selected, self.game.leaders())
        elif self.phase == OUTCOME and self.last is not None:
            decision = self.game.record.decisions[-1]
            scene = self.last.scene
            labels = {c.id: c.label for c in scene.choices}
            chart.show([(cid, labels.get(cid, cid), n) for cid, n in decision.votes.items()], -1, (), decision.choice)
        note = self.game.note if deciding else ""
        self.query_one("#room-note", Static).update(Text.assemble(("Note: ", "bold"), note) if note else "")
        self.query_one("#room-note").display = bool(note)
        self.refresh_bindings()
        self.tick()

    def tick(self) -> None:
        timer = self.game.timer
        if self.phase == OUTCOME:
            self.query_one("#room-timer", Digits).update(clock_text(self.game.record.decisions[-1].seconds))
            self.query_one("#room-timer-state", Static).update("Time the room took · Enter to go on")
            self.query_one("#room-timer").set_class(False, "-expired")
            return
        self.query_one("#room-timer", Digits).update(clock_text(timer.remaining))
        if self.phase != DECIDING:
            state = ""
        elif timer.expired:
            state = "Time is up"
            if not self.rang:
                self.rang = True
                self.app.bell()
        else:
            state = "Running · Space pauses" if timer.running else "Paused · Space starts"
        self.query_one("#room-timer-state", Static).update(state)
        self.query_one("#room-timer").set_class(timer.expired and self.phase == DECIDING, "-expired")

    # --- the facilitator's moves ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("select", "pick", "vote", "enter_votes", "timer", "extend", "reset_timer", "note"):
            return self.phase == DECIDING
        if action == "notes":
            return self.phase != OUTCOME
        return True

    def action_select(self, step: int) -> None:
        count = len(self.game.choices())
        self.selected = (self.selected + step) % count
        self.refresh_room()

    def action_pick(self, index: int) -> None:
        if index < len(self.game.choices()):
            self.selected = index
            self.refresh_room()

    def selected_choice(self) -> str:
        return self.game.choices()[self.selected].id

    def save(self, change) -> None:
        """Make a change that saves the session; say so on screen if the save fails."""
        try:
            change()
        except (SaveError, WorkshopError, OSError) as error:
            self.notify(f"Could not save: {error}", severity="error", markup=False)
        self.refresh_room()

    def action_vote(self, delta: int) -> None:
        choice = self.selected_choice()
        self.save(lambda: self.game.add_vote(choice, delta))

    def action_enter_votes(self) -> None:
        choice = self.game.choices()[self.selected]

        def entered(value: str | None) -> None:
            if value is None or not value.strip():
                return
            try:
                count = int(value)
            except ValueError:
                self.notify("Type a whole number of votes.", severity="warning")
                return
            self.save(lambda: self.game.set_votes(choice.id, count))

        self.app.push_screen(TextPrompt(f"Votes for {self.selected + 1}. {choice.label}",
                                        str(self.game.votes()[choice.id]), numeric=True), entered)

    def action_timer(self) -> None:
        self.game.timer.toggle()
        self.tick()

    def action_extend(self) -> None:
        self.game.timer.extend(self.extend_seconds)
        self.rang = False
        self.tick()

    def action_reset_timer(self) -> None:
        self.game.timer.reset()
        self.rang = False
        self.tick()

    def action_notes(self) -> None:
        self.notes_shown = not self.notes_shown
        self.refresh_room()

    def action_note(self) -> None:
        def written(value: str | None) -> None:
            if value is not None:
                self.save(lambda: self.game.set_note(value))

        self.app.push_screen(TextPrompt("Your note on this decision", self.game.note, "What the room said, what to come back to"), written)

    async def action_advance(self) -> None:
        if self.phase == OUTCOME:
            await self.next_scene()
            return
        try:
            outcome = self.game.advance()
        except Tie as tie:
            labels = {c.id: c.label for c in self.game.choices()}
            votes = self.game.votes()[tie.leaders[0]]

            async def broken(choice: str | None) -> None:
                if choice is not None:
                    await self.decided(self.game.advance(tie_break=choice))

            self.app.push_screen(TieBreak([(c, labels[c]) for c in tie.leaders], votes), broken)
            return
        except (SaveError, WorkshopError, OSError) as error:
            self.notify(f"Could not save: {error}", severity="error", markup=False)
            return
        await self.decided(outcome)

    async def decided(self, outcome: Outcome) -> None:
        self.last = outcome
        if outcome.scene.is_passage:
            await self.next_scene()
            return
        self.phase = OUTCOME
        decision = self.game.record.decisions[-1]
        tie = " (tie broken by the facilitator)" if decision.tie_break else ""
        self.query_one("#room-chosen", Static).update(
            Text.assemble(("The room chose: ", "bold"), outcome.choice.label, f" — {decision.votes.get(decision.choice, 0)} of {decision.total} votes{tie}"))
        await self.query_one("#room-consequence", Markdown).update(outcome.consequence or "")
        self.query_one("#room-outcome").display = True
        self.refresh_room()
        self.call_after_refresh(self.query_one("#room-story", VerticalScroll).scroll_to_widget,
                                self.query_one("#room-outcome"), animate=False, top=True)

    async def next_scene(self) -> None:
        if self.game.finished:
            self.app.switch_screen(RoomDebriefScreen(self.game))
        else:
            await self.show_scene()


class RoomDebriefScreen(Screen[None]):
    """The room's debrief: the ending, what really happened, the profile, how the room voted
    and the roads not taken."""

    BINDINGS = [Binding("m", "feeling", "Room's note"), Binding("pageup", "scroll(-1)", "Up", show=False),
                Binding("pagedown", "scroll(1)", "Down", key_display="PgDn")]

    def __init__(self, game: WorkshopSession) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        with Horizontal(id="room-bar"):
            yield Static(f"Debrief: {self.game.scenario.title}", id="room-scenario", markup=False)
            yield Static(f"Session {self.game.code}", id="room-status", markup=False)
        with VerticalScroll(id="room-debrief"):
            yield Markdown(id="room-debrief-story", open_links=False)
            yield Static("The room's profile", classes="room-heading", markup=False)
            yield Static("Where each construct landed in the range this scenario allows. A profile, not a grade.",
                         classes="room-words", markup=False)
            yield ProfileBars(id="room-profile")
            yield Markdown(id="room-debrief-votes", open_links=False)
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        await self.show()

    async def show(self) -> None:
        debrief = self.game.debrief()
        ending = debrief.ending
        parts = [f"# Ending: {ending.title}", "", debrief.ending_text.strip(), ""]
        if self.game.record.feeling:
            parts += ["## How it felt in the room", "", self.game.record.feeling, ""]
        ref = f" ({debrief.source.cite(ending.ref)})" if ending.ref else ""
        parts += [f"## {debrief.source.outcome_heading}{ref}", "", ending.what_really_happened.strip() or "_Not recorded._", ""]
        await self.query_one("#room-debrief-story", Markdown).update("\n".join(parts))
        self.query_one("#room-profile", ProfileBars).update(debrief.profile)
        questions = "\n".join(f"- {q}" for q in debrief.reflection)
        await self.query_one("#room-debrief-votes", Markdown).update(
            room_markdown(self.game) + ("\n## What next: questions for your own place\n\n" + questions if questions else ""))

    def action_feeling(self) -> None:
        async def written(value: str | None) -> None:
            if value is not None:
                self.game.set_feeling(value)
                await self.show()

        self.app.push_screen(TextPrompt("How did that feel in the room?", self.game.record.feeling), written)

    def action_scroll(self, step: int) -> None:
        scroller = self.query_one("#room-debrief", VerticalScroll)
        scroller.scroll_page_down() if step > 0 else scroller.scroll_page_up()


class WorkshopApp(App[int]):
    CSS_PATH = "workshop.tcss"
    TITLE = "leadgame workshop"
    BINDINGS = [
        Binding("q", "quit_room", "Quit"),
        Binding("ctrl+c,ctrl+q", "quit_room", "Quit", show=False, priority=True),
        Binding("f2", "cycle_theme", "Theme", show=False),
    ]

    def __init__(self, game: WorkshopSession, notes: Sequence[str] = (), extend_seconds: int = DEFAULT_EXTEND,
                 theme: str = "") -> None:
        super().__init__()
        self.game = game
        self.opening_notes = tuple(notes)
        self.extend_seconds = extend_seconds
        self.start_theme = theme

    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        if self.start_theme:
            self.theme = self.start_theme
        if self.game.finished:
            self.push_screen(RoomDebriefScreen(self.game))
        else:
            self.push_screen(RoomScreen(self.game, self.extend_seconds))
        for note in self.opening_notes:
            self.notify(note, title="Resumed", severity="warning", timeout=12, markup=False)

    def action_quit_room(self) -> None:
        try:
            self.game.timer.pause()
            self.game.write()  # keep the countdown and the time spent; every vote is already saved
        except (SaveError, WorkshopError, OSError) as error:
            self.notify(f"Could not save: {error}", severity="error", markup=False)
            return
        self.exit(0)

    def action_cycle_theme(self) -> None:
        self.theme = next_theme(self.theme)


def run_workshop(game: WorkshopSession, notes: Sequence[str] = (), extend_seconds: int = DEFAULT_EXTEND) -> int:
    app = WorkshopApp(game, notes, extend_seconds)
    app.run()
    if game.finished:
        print(f"The session is saved in {game.path}. Report on it with: leadgame report {game.path.parent}")
    else:
        print(f"Session {game.code} is saved. Resume with: leadgame workshop {game.scenario.id} --session {game.code}")
    return app.return_code or 0


def debrief_markdown(game: WorkshopSession) -> str:
    """The room's whole debrief as Markdown (for export and plain output)."""
    return to_markdown(game.debrief()) + "\n" + room_markdown(game)
