"""The scenario picker: each case's setting, the learner's role, objectives and playing time."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static

from leadgame.library import Entry
from leadgame.tui.messages import Chosen
from leadgame.tui.widgets.choices import ChoiceList
from leadgame.tui.widgets.prose import Prose
from leadgame.tui.widgets.keybar import KeyBar


def describe(entry: Entry) -> str:
    """The details panel for one scenario file, as Markdown (scenario text is Markdown too)."""
    scenario = entry.scenario
    if scenario is None:
        count = len(entry.error.problems) if entry.error else 0
        return (f"## {entry.path.name}\n\nThis file has {count} problem(s) and cannot be played yet. "
                f"Run `leadgame validate {entry.path}` to see them.")
    parts = [
        f"## {scenario.title}", "",
        f"**Setting:** {scenario.place}, {scenario.years}  ",
        f"**You are:** {scenario.role}  ",
        f"**Time:** about {scenario.minutes} minutes", "",
        scenario.summary.strip(), "",
    ]
    if scenario.learning_objectives:
        parts += ["**You will practise**", ""]
        parts += [f"- {objective.strip()}" for objective in scenario.learning_objectives]
    return "\n".join(parts)


class PickerScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", tooltip="Back to the title screen")]

    def compose(self) -> ComposeResult:
        yield Static("Choose a case study", classes="screen-heading", markup=False)
        with Horizontal(id="picker"):
            yield ChoiceList(id="picker-list")
            with VerticalScroll(id="picker-details"):  # Tab, then the arrows, to read a long one
                yield Prose("Loading the case studies…", id="picker-about")
        yield KeyBar()

    def on_mount(self) -> None:
        self.entries: list[Entry] = []
        self.watch(self.app, "entries", self.show_entries, init=False)
        if self.app.entries is not None:
            self.show_entries(self.app.entries)

    def show_entries(self, entries: list[Entry] | None) -> None:
        if entries is None:
            return
        self.entries = list(entries)
        choices = self.query_one("#picker-list", ChoiceList)
        choices.show(
            (str(index), entry.scenario.title if entry.scenario else f"{entry.path.name} (has problems)")
            for index, entry in enumerate(self.entries)
        )
        if not self.entries:
            message = self.app.library_problem or "No case studies found. Check the scenarios folder (LEADGAME_SCENARIOS)."
            self.query_one("#picker-about", Prose).show(message)
        choices.focus()

    @on(OptionList.OptionHighlighted, "#picker-list")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.query_one("#picker-about", Prose).show(describe(self.entries[int(event.option.id)]))

    @on(Chosen)
    def chosen(self, event: Chosen) -> None:
        entry = self.entries[int(event.option_id)]
        if entry.scenario is None:
            self.notify(f"{entry.path.name} cannot be played until its problems are fixed.", severity="error", markup=False)
            return
        from leadgame.tui.screens.modals import ModeScreen

        scenario = entry.scenario

        def start(coached: bool | None) -> None:
            if coached is None:
                return
            from leadgame import locations
            from leadgame.core.session import Session

            from leadgame.core.saves import SaveError

            try:
                game = Session.new(scenario, locations.saves_dir(), seed=self.app.seed, coached=coached, **self.app.game_tags())
            except (SaveError, OSError) as error:
                self.notify(f"Could not start a saved game: {error}", severity="error", markup=False)
                return
            self.app.open_game(game)

        self.app.push_screen(ModeScreen(scenario.title), start)
