"""Room mode: the facilitator's projector screen for a whole room playing one scenario.

At each decision the facilitator shows or hides the notes and prompts (n), runs a countdown
(space, x to extend, r to reset), enters the room's votes (1-9 or arrows to pick an option,
+ and - or e to type a count), writes a note (m) and advances on the majority (Enter), breaking
a tie when there is one. Everything is saved after every change by core.workshop.

A live room (`--live`) adds the join panel (QR code, address, session code, how many joined),
opens and closes voting for learners' devices (v; starting the countdown opens it, time running
out closes it) and counts their votes in the tally as they arrive. The notes and prompts then go
to the presenter view instead of the projector, and the debrief steps through the room's answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Digits, Footer, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from leadgame.core.debrief import cited, to_markdown
from leadgame.core.engine import Outcome
from leadgame.core.saves import SaveError
from leadgame.core.text import markdown_text
from leadgame.core.workshop import Tie, WorkshopError, WorkshopSession, clock_text, room_markdown
from leadgame.tui.themes import THEMES, next_theme
from leadgame.tui.widgets.bars import ProfileBars
from leadgame.workshop.widgets import JoinPanel, VoteChart

if TYPE_CHECKING:
    from leadgame.workshop.live.server import LiveRoom

DECIDING, OUTCOME, PASSAGE = "deciding", "outcome", "passage"
DEFAULT_EXTEND = 60


def notes_markdown(scene) -> str:
    """A scene's facilitator notes and discussion prompts, as Markdown."""
    parts = [scene.facilitator_notes.strip() or "_No facilitator notes for this scene._"]
    if scene.facilitator_prompts:
        parts += ["", "**Discussion prompts**", ""] + [f"- {prompt}" for prompt in scene.facilitator_prompts]
    return "\n".join(parts)


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
        Binding("v", "voting", "Voting"),
        Binding("j", "join_code", "QR code", show=False),
        Binding("n", "notes", "Notes"),
        Binding("m", "note", "Note"),
        Binding("pageup", "scroll_story(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_story(1)", "Scroll", key_display="PgDn"),
        Binding("home", "scroll_story(-2)", "Top", show=False),
        Binding("end", "scroll_story(2)", "Bottom", show=False),
    ]

    def __init__(self, game: WorkshopSession, extend_seconds: int = DEFAULT_EXTEND, live: LiveRoom | None = None) -> None:
        super().__init__()
        self.game = game
        self.extend_seconds = extend_seconds
        self.live = live
        self.phase = DECIDING
        self.selected = 0
        self.notes_shown = False
        self.qr_shown = True
        self.last: Outcome | None = None
        self.rang = False
        self._shown_record = None  # the record last drawn: a new one means votes or answers came in
        self._shown: dict[str, object] = {}  # what each changing widget shows, so a tick redraws only what changed

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
                if self.live is not None:
                    yield JoinPanel(self.live.url, self.live.join_url, self.game.code, id="room-join")
                yield Digits("00:00", id="room-timer")
                yield Static(id="room-timer-state", markup=False)
                yield VoteChart(id="room-votes")
                yield Static(id="room-note", markup=False)
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        if self.game.record.showing_outcome and self.game.last_outcome() is not None:
            await self.decided(self.game.last_outcome())  # resumed while the room read a consequence
        else:
            await self.show_scene()
        self.set_interval(0.25 if self.live else 0.5, self.tick)

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
        self.refresh_bindings()  # the keys offered change with the phase, and only then
        self.query_one("#room-story", VerticalScroll).scroll_home(animate=False)

    def notes_markdown(self) -> str:
        return notes_markdown(self.game.state.scene)

    def show_status(self) -> None:
        status = [f"Session {self.game.code}"]
        if self.phase == DECIDING:
            status.append(f"Decision {self.game.decision_number}")
            if self.live is not None:
                status.append("Voting open" if self.game.voting_open else "Voting closed · v opens")
        if self.live is not None and self.live.problem:
            status.append(self.live.problem)
        self.show("#room-status", "  ·  ".join(status))
        if self.live is not None:
            self.query_one(JoinPanel).show(len(self.game.record.devices), self.live.connected, self.qr_shown)

    def refresh_room(self) -> None:
        self._shown_record = self.game.record
        deciding = self.phase == DECIDING
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
        self.show("#room-note", Text.assemble(("Note: ", "bold"), note) if note else "")
        self.query_one("#room-note").display = bool(note)
        self.show_timer()

    def show(self, selector: str, content) -> None:
        """Update a Static or the Digits only when what it shows changes: every update lays the
        screen out again, and the room's ticks and votes would otherwise do that many times a second."""
        if self._shown.get(selector) != content:
            self._shown[selector] = content
            self.query_one(selector).update(content)

    def tick(self) -> None:
        """Twice a second (four times when live): the countdown, and any votes that came in."""
        if self.game.record is not self._shown_record and self.phase == DECIDING:
            self.refresh_room()
        else:
            self.show_timer()

    def show_timer(self) -> None:
        self.show_status()
        timer = self.game.timer
        if self.phase == OUTCOME:
            self.show("#room-timer", clock_text(self.game.record.decisions[-1].seconds))
            self.show("#room-timer-state", "Time the room took · Enter to go on")
            self.query_one("#room-timer").set_class(False, "-expired")
            return
        self.show("#room-timer", clock_text(timer.remaining))
        if self.phase != DECIDING:
            state = ""
        elif timer.expired:
            state = "Time is up"
            if not self.rang:
                self.rang = True
                self.app.bell()
        else:
            state = "Running · Space pauses" if timer.running else "Paused · Space starts"
        self.show("#room-timer-state", state)
        self.query_one("#room-timer").set_class(timer.expired and self.phase == DECIDING, "-expired")

    # --- the facilitator's moves ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("select", "pick", "vote", "enter_votes", "timer", "extend", "reset_timer", "note"):
            return self.phase == DECIDING
        if action == "voting":
            return self.phase == DECIDING and self.live is not None
        if action == "join_code":
            return self.live is not None
        if action == "notes":  # a live room has a presenter view for them, off the projector
            return self.phase != OUTCOME and self.live is None
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
        """Start or pause the countdown; in a live room starting it also opens voting."""
        timer = self.game.timer
        timer.toggle()
        if self.live is not None and timer.running and not self.game.record.voting_open:
            self.save(lambda: self.game.set_voting(True))
        else:
            self.save(self.game.write)

    def action_extend(self) -> None:
        self.game.timer.extend(self.extend_seconds)
        self.rang = False
        self.save(self.game.write)  # an extension outlives a crash like a vote does

    def action_reset_timer(self) -> None:
        self.game.timer.reset()
        self.rang = False
        self.save(self.game.write)

    def action_voting(self) -> None:
        opening = not self.game.record.voting_open
        self.save(lambda: self.game.set_voting(opening))
        if opening and self.game.timer.expired:
            self.notify("Time is up: x adds time and voting opens again.", severity="warning", markup=False)

    def action_join_code(self) -> None:
        self.qr_shown = not self.qr_shown
        self.show_status()

    def action_scroll_story(self, step: int) -> None:
        story = self.query_one("#room-story", VerticalScroll)
        {-1: story.scroll_page_up, 1: story.scroll_page_down, -2: story.scroll_home, 2: story.scroll_end}[step](animate=False)

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
        self.refresh_bindings()
        self.call_after_refresh(self.query_one("#room-story", VerticalScroll).scroll_to_widget,
                                self.query_one("#room-outcome"), animate=False, top=True)

    async def next_scene(self) -> None:
        try:
            self.game.move_on()
        except (SaveError, WorkshopError, OSError) as error:
            self.notify(f"Could not save: {error}", severity="error", markup=False)
        if self.game.finished:
            self.app.switch_screen(RoomDebriefScreen(self.game, self.live))
        else:
            await self.show_scene()


class RoomDebriefScreen(Screen[None]):
    """The room's debrief: the ending, what really happened, the profile, how the room voted
    and the roads not taken."""

    BINDINGS = [Binding("m", "feeling", "Room's note"), Binding("pageup", "scroll(-1)", "Up", show=False),
                Binding("pagedown", "scroll(1)", "Down", key_display="PgDn"),
                Binding("left,comma", "answer(-1)", "Previous answer", key_display="←"),
                Binding("right,full_stop", "answer(1)", "Next answer", key_display="→")]

    def __init__(self, game: WorkshopSession, live: LiveRoom | None = None) -> None:
        super().__init__()
        self.game = game
        self.live = live
        self.answer_index = 0
        self._answers_shown = -1  # how many answers were there when last drawn

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
            with Vertical(id="room-answers"):
                yield Static("Answers from the room", classes="room-heading", markup=False)
                yield Static(id="room-answer-where", classes="room-words", markup=False)
                yield Static(id="room-answer-question", markup=False)
                yield Static(id="room-answer", markup=False)
            yield Markdown(id="room-debrief-votes", open_links=False)
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        await self.show()
        self.show_answer()
        self.set_interval(0.5, self.follow_answers)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return bool(self.game.record.answers)
        return True

    def follow_answers(self) -> None:
        if len(self.game.record.answers) != self._answers_shown:
            self.show_answer()
            self.refresh_bindings()

    def show_answer(self) -> None:
        """One answer at a time, large, with its question: the facilitator steps through them.
        Answers are learners' own words, shown as plain text (never markup)."""
        answers = self.game.record.answers
        self._answers_shown = len(answers)
        panel = self.query_one("#room-answers")
        panel.display = self.live is not None or bool(answers)
        where = self.query_one("#room-answer-where", Static)
        if not answers:
            where.update("No answers yet. Learners answer the questions below on their own devices.")
            self.query_one("#room-answer-question", Static).update("")
            self.query_one("#room-answer", Static).update("")
            return
        self.answer_index = max(0, min(self.answer_index, len(answers) - 1))
        answer = answers[self.answer_index]
        questions = self.game.scenario.reflection
        where.update(f"Answer {self.answer_index + 1} of {len(answers)} · ← and → step through them")
        question = questions[answer.question] if 0 <= answer.question < len(questions) else ""
        self.query_one("#room-answer-question", Static).update(Text(question, style="italic"))
        self.query_one("#room-answer", Static).update(Text(answer.text))

    def action_answer(self, step: int) -> None:
        self.answer_index += step
        self.show_answer()

    async def show(self) -> None:
        debrief = self.game.debrief()
        ending = debrief.ending
        parts = [f"# Ending: {ending.title}", "", debrief.ending_text.strip(), ""]
        if self.game.record.feeling:
            parts += ["## How it felt in the room", "", markdown_text(self.game.record.feeling), ""]
        source = debrief.source
        parts += [f"## {source.outcome_heading}{cited(ending.ref, source)}", "", ending.what_really_happened.strip() or "_Not recorded._", ""]
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
                 theme: str = "", live: LiveRoom | None = None) -> None:
        super().__init__()
        self.game = game
        self.opening_notes = tuple(notes)
        self.extend_seconds = extend_seconds
        self.start_theme = theme
        self.live = live

    async def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        if self.start_theme:
            self.theme = self.start_theme
        if self.live is not None:
            await self.live.start()
        if self.game.finished and not self.game.record.showing_outcome:
            self.push_screen(RoomDebriefScreen(self.game, self.live))
        else:
            self.push_screen(RoomScreen(self.game, self.extend_seconds, self.live))
        for note in self.opening_notes:
            self.notify(note, title="Resumed", severity="warning", timeout=12, markup=False)

    async def on_unmount(self) -> None:
        if self.live is not None:
            await self.live.stop()

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


def run_workshop(game: WorkshopSession, notes: Sequence[str] = (), extend_seconds: int = DEFAULT_EXTEND,
                 live: LiveRoom | None = None) -> int:
    app = WorkshopApp(game, notes, extend_seconds, live=live)
    app.run()
    if game.finished:
        print(f"The session is saved in {game.path}. Report on it with: leadgame report {game.path.parent}")
    else:
        print(f"Session {game.code} is saved. Resume with: leadgame workshop {game.scenario.id} --session {game.code}")
    return app.return_code or 0


def debrief_markdown(game: WorkshopSession) -> str:
    """The room's whole debrief as Markdown (for export and plain output)."""
    return to_markdown(game.debrief()) + "\n" + room_markdown(game)
