"""The title screen: start a case study, continue a saved game, read how to play."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from leadgame.tui.messages import Chosen
from leadgame.tui.text import TAGLINE
from leadgame.tui.widgets.choices import ChoiceList
from leadgame.tui.widgets.keybar import KeyBar

MENU = (
    ("new", "New game: choose a case study"),
    ("continue", "Continue a saved game"),
    ("howto", "How to play"),
    ("quit", "Quit"),
)


class TitleScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static("leadgame", id="title-name", markup=False)
            yield Static(TAGLINE, id="title-tagline", markup=False)
            yield ChoiceList(MENU, id="title-menu")
            yield Static("Loading the case studies…", id="title-status", markup=False)
            yield Static("? help   F2 theme   F3 projector   Ctrl+P commands", id="title-keys", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.app, "entries", self.show_library, init=False)
        if self.app.entries is not None:
            self.show_library(self.app.entries)

    def on_screen_resume(self) -> None:
        self.count_saves()

    def show_library(self, entries) -> None:
        if entries is None:
            return
        playable = sum(1 for entry in entries if entry.scenario is not None)
        words = f"{playable} case {'study' if playable == 1 else 'studies'} ready."
        if self.app.library_problem:
            words = self.app.library_problem
        self.query_one("#title-status", Static).update(words)

    @work(thread=True, exclusive=True, group="saves")
    def count_saves(self) -> None:
        from leadgame import locations
        from leadgame.core.saves import list_saves

        saves, _ = list_saves(locations.saves_dir())
        self.app.call_from_thread(self.show_saves, len(saves))

    def show_saves(self, count: int) -> None:
        label = f"Continue a saved game ({count})" if count else "Continue a saved game (none yet)"
        self.query_one("#title-menu", ChoiceList).relabel("continue", label)

    @on(Chosen)
    def chosen(self, event: Chosen) -> None:
        if event.option_id == "new":
            from leadgame.tui.screens.picker import PickerScreen

            self.app.push_screen(PickerScreen())
        elif event.option_id == "continue":
            from leadgame.tui.screens.saved import SavedGamesScreen

            self.app.push_screen(SavedGamesScreen())
        elif event.option_id == "howto":
            from leadgame.tui.screens.help import HowToScreen

            self.app.push_screen(HowToScreen())
        elif event.option_id == "quit":
            self.app.action_request_quit()

    def commands(self):
        yield SystemCommand("New game", "Choose a case study to play", lambda: self.post_message(Chosen("new")))
        yield SystemCommand("Continue", "Continue a saved game", lambda: self.post_message(Chosen("continue")))
        yield SystemCommand("How to play", "A short guide to the game", lambda: self.post_message(Chosen("howto")))
