"""Continue a saved game: newest first, with the scenario, progress and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from leadgame.core.saves import SaveGame
from leadgame.tui.messages import Chosen
from leadgame.tui.widgets.choices import ChoiceList
from leadgame.tui.widgets.keybar import KeyBar


@dataclass(frozen=True)
class SavedGame:
    path: Path
    save: SaveGame
    title: str
    progress: str
    scenario: object = None  # the scenario as the library loaded it, when it found it

    @property
    def when(self) -> str:
        try:
            moment = datetime.fromisoformat(self.save.updated).astimezone()
        except ValueError:
            return self.save.updated
        return moment.strftime("%d %b %Y, %H:%M")

    def label(self) -> Text:
        text = Text(self.title, style="bold")
        text.append(f"\n{self.progress} · {self.when}", style="not bold")
        return text


def progress(save: SaveGame, scenario) -> str:
    """How far a save has got, in words: replayed through the engine, never guessed."""
    if scenario is None:
        return f"{len(save.choices)} choices made (scenario not found)"
    from leadgame.core.saves import SaveError, resume

    try:
        state = resume(scenario, save).replay.state  # the saves' own replay rule, start scene and all
    except SaveError:
        return f"{len(save.choices)} choices made (belongs to another scenario)"
    from leadgame.core.debrief import branched_from, decisions_made

    decisions = decisions_made(state)
    made = f"{decisions} decision{'s' if decisions != 1 else ''}"
    mode = ", coached" if save.coached else ""
    replay = f"What if (from decision {branched_from(state, save)}) · " if save.origin else ""
    if state.finished:
        return f"{replay}Finished after {made}{mode}: {state.ending.title}"
    where = state.scene.title if state.scene else state.node
    return f"{replay}{made}{mode}, now at: {where}"


def saved_games(folder: Path, entries) -> tuple[list[SavedGame], list[str]]:
    from leadgame.core.saves import list_saves

    scenarios = {entry.scenario.id: entry.scenario for entry in entries if entry.scenario is not None}
    saves, problems = list_saves(folder)
    rows, drafts = [], {}
    for path, save in saves:
        scenario = scenarios.get(save.scenario_id) or _played_from(save, drafts)
        title = scenario.title if scenario else save.scenario_id
        rows.append(SavedGame(path, save, title, progress(save, scenario), scenario))
    return rows, problems


def _played_from(save: SaveGame, loaded: dict):
    """The scenario of a save played from a file off the search path (an author's draft),
    loaded once for all the saves that share it; None if it cannot be."""
    from leadgame import library
    from leadgame.core.problems import ScenarioError

    path = save.scenario_path
    if not path or not Path(path).is_file():
        return None
    if path not in loaded:
        try:
            loaded[path] = library.load(Path(path))
        except (ScenarioError, OSError):
            loaded[path] = None
    scenario = loaded[path]
    return scenario if scenario is not None and scenario.id == save.scenario_id else None


class SavedGamesScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", tooltip="Back to the title screen")]

    def compose(self) -> ComposeResult:
        yield Static("Continue a saved game", classes="screen-heading", markup=False)
        yield ChoiceList(id="saved-list")
        yield Static("Reading your saved games…", id="saved-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.rows: list[SavedGame] = []
        self.watch(self.app, "entries", self.read_saves, init=False)
        if self.app.entries is not None:
            self.read_saves(self.app.entries)

    @work(thread=True, exclusive=True, group="saves")
    def read_saves(self, entries) -> None:
        if entries is None:
            return
        from leadgame import locations

        rows, problems = saved_games(locations.saves_dir(), entries)
        self.app.call_from_thread(self.show_rows, rows, problems)

    def show_rows(self, rows: list[SavedGame], problems: list[str]) -> None:
        self.rows = rows
        self.query_one("#saved-list", ChoiceList).show((str(i), row.label()) for i, row in enumerate(rows))
        status = "Newest first. Enter to continue." if rows else "No saved games yet: start one with New game."
        if problems:
            status += f" {len(problems)} file(s) in the saves folder could not be read."
        self.query_one("#saved-status", Static).update(status)

    @on(Chosen)
    def chosen(self, event: Chosen) -> None:
        row = self.rows[int(event.option_id)]
        from leadgame import library, locations
        from leadgame.core.problems import ScenarioError
        from leadgame.core.saves import SaveError
        from leadgame.core.session import Session

        try:
            scenario = row.scenario or library.load(library.for_save(row.save))  # loaded already, or now
            game, notes = Session.resume(scenario, locations.saves_dir(), row.save)
        except (library.NotFound, SaveError, ScenarioError, OSError) as error:
            self.notify(str(error).splitlines()[0], title="Cannot continue this game", severity="error", markup=False)
            return
        self.app.open_game(game, notes)
