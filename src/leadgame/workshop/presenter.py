"""The presenter view: `leadgame workshop --presenter CODE`, on the facilitator's own screen.

It reads the room session file and follows it (twice a second, when the file changes), so it
is a view of the room's state like every other: it changes nothing, takes no lock and can be
opened, closed and reopened at will. It shows what the projector should not: the facilitator
notes and discussion prompts (scrollable from the keyboard), the live tally, the countdown as last
saved, the room's answers at the debrief, and the secret presenter link for a phone or tablet.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Markdown, Static

from leadgame.core import engine
from leadgame.core.workshop import WorkshopError, WorkshopRecord, offered, read_workshop, tally
from leadgame.tui.themes import THEMES, next_theme
from leadgame.workshop.app import notes_markdown

FOLLOW_INTERVAL = 0.5


class PresenterApp(App[int]):
    CSS_PATH = "workshop.tcss"
    TITLE = "leadgame presenter"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("p", "link", "Presenter link"),
        Binding("f2", "cycle_theme", "Theme", show=False),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.seen: int | None = None  # the file's modification time when last read
        self.scenario = None
        self.link_shown = False
        self.record: WorkshopRecord | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="room-bar"):
            yield Static("Presenter view", id="room-scenario", markup=False)
            yield Static(id="room-status", markup=False)
        with VerticalScroll(id="presenter-body"):
            yield Static(id="presenter-link", markup=False)
            yield Static(id="room-title", markup=False)
            yield Static(id="presenter-votes", markup=False)
            yield Markdown(id="presenter-notes", open_links=False)
            yield Static(id="presenter-answers", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.query_one("#presenter-body").focus()  # arrows, PgUp/PgDn, Home/End scroll the notes
        self.follow()
        self.set_interval(FOLLOW_INTERVAL, self.follow)

    def follow(self) -> None:
        try:
            stamp = self.path.stat().st_mtime_ns
        except OSError:
            self.query_one("#room-status", Static).update(f"{self.path} is gone")
            return
        if stamp == self.seen:
            return
        try:
            record = read_workshop(self.path)
            if self.scenario is None or self.scenario.id != record.scenario_id:
                self.scenario = _scenario(record)
        except WorkshopError as error:
            self.query_one("#room-status", Static).update(str(error))
            return
        self.seen, self.record = stamp, record
        self.call_later(self.show)

    async def show(self) -> None:
        record, scenario = self.record, self.scenario
        state = engine.replay(scenario, record.seed, record.choices).state
        self.query_one("#room-scenario", Static).update(f"Presenter view · {scenario.title}")
        status = [f"Session {record.code}", f"{len(record.devices)} joined"]
        scene = state.scene
        deciding = scene is not None and not scene.is_passage and not record.showing_outcome
        if deciding and record.live_url:
            status.append("Voting open" if record.voting_open else "Voting closed")
        self.query_one("#room-status", Static).update("  ·  ".join(status))
        self.show_link()
        title = self.query_one("#room-title", Static)
        votes = self.query_one("#presenter-votes", Static)
        notes = self.query_one("#presenter-notes", Markdown)
        if record.showing_outcome and state.history:
            step = state.history[-1]
            title.update(f"The room is reading the outcome of {scenario.scenes[step.scene].title}")
            votes.update("")
            await notes.update("")
        elif scene is not None:
            title.update(scene.title)
            options = offered(state) if deciding else ()
            counts = tally(record, options)
            total = sum(counts.values())
            lines = [Text(f"Votes so far: {total} ({len(record.device_votes)} from devices)", style="bold")] if deciding else []
            for number, choice in enumerate(options, start=1):
                lines.append(Text(f"{number}. {choice.label}: {counts[choice.id]}"))
            votes.update(Text("\n").join(lines))
            await notes.update(notes_markdown(scene))
        else:
            ending = state.ending
            title.update(f"Debrief: {ending.title if ending else ''}")
            votes.update("")
            await notes.update("")
        self.query_one("#presenter-answers", Static).update(_answers(record, scenario.reflection) if state.finished else "")

    def show_link(self) -> None:
        record = self.record
        box = self.query_one("#presenter-link", Static)
        if not (record and record.live_url and record.presenter_secret):
            box.update("")
            return
        link = f"{record.live_url}/presenter/{record.presenter_secret}"
        lines = [Text.assemble(("Presenter page: ", "bold"), link)]
        if self.link_shown:
            from leadgame.workshop.qr import qr_lines

            lines += [Text(line, style="black on white") for line in qr_lines(link)]
        box.update(Text("\n").join(lines))

    def action_link(self) -> None:
        self.link_shown = not self.link_shown
        self.show_link()

    def action_cycle_theme(self) -> None:
        self.theme = next_theme(self.theme)


def _answers(record: WorkshopRecord, questions: tuple[str, ...]) -> Text:
    lines = [Text(f"Answers from the room: {len(record.answers)}", style="bold")]
    for index, question in enumerate(questions):
        lines.append(Text(question, style="italic"))
        lines += [Text(f"  - {a.text}") for a in record.answers if a.question == index]
    return Text("\n").join(lines)


def _scenario(record: WorkshopRecord):
    from leadgame import library
    from leadgame.core.problems import ScenarioError

    try:
        return library.load(library.find(record.scenario_path or record.scenario_id))
    except (library.NotFound, ScenarioError) as error:
        raise WorkshopError(f"cannot load the session's scenario '{record.scenario_id}': {error}") from None


def run_presenter(path: Path) -> int:
    app = PresenterApp(path)
    app.run()
    return app.return_code or 0
