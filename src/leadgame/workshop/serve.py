"""Browser play: `leadgame serve` runs the game for web browsers through textual-serve.

Each browser tab gets its own leadgame process (`leadgame serve --learner`), which first asks
the learner's name and keeps that learner's games in a folder of their own under the saves
folder (`web/<name>/`), autosaved after every decision: a closed tab loses nothing, and the
same name on return finds the game under "Continue". There is no login, so the server listens
on this computer only unless a host is given, and belongs on a trusted network.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from leadgame import locations
from leadgame.tui import app as tui_app
from leadgame.tui.app import LeadgameApp

WEB_FOLDER = "web"
WARNING = ("leadgame serve has no login: anyone who can reach this address can play and read the games saved "
           "through it. Keep it on this computer or a trusted network (a training room, not the internet).")


class Missing(RuntimeError):
    """textual-serve is not installed."""


def learner_folder(base: Path, name: str) -> Path:
    from leadgame.core.workshop import safe_name

    return Path(base) / WEB_FOLDER / safe_name(name)


class NameScreen(ModalScreen[str]):
    """The first thing a browser learner sees: their name, which keeps their games apart."""

    BINDINGS = [Binding("escape", "nothing", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Welcome to leadgame", classes="dialog-heading", markup=False)
            yield Static("Type your name (or your team's) and press Enter. Your game is saved under it after "
                         "every decision; use the same name to carry on if the tab closes.", classes="dialog-words", markup=False)
            yield Input(placeholder="Your name", max_length=60, id="learner-name")
            yield Static(id="learner-problem", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        from leadgame.core.saves import SaveError
        from leadgame.core.workshop import safe_name

        try:
            safe_name(event.value)
        except SaveError:
            self.query_one("#learner-problem", Static).update("Please type a name with at least one letter or digit.")
            return
        self.dismiss(event.value)

    def action_nothing(self) -> None:
        pass


class BrowserApp(LeadgameApp):
    """The full game, after asking whose games these are."""

    CSS_PATH = Path(tui_app.__file__).with_name("leadgame.tcss")  # a subclass elsewhere: say where the sheet is

    def __init__(self, base: Path) -> None:
        super().__init__()
        self.base = Path(base)
        self.learner = ""

    def on_mount(self) -> None:
        # Textual runs LeadgameApp.on_mount too (after this one): ask once its title screen is up.
        self.call_later(self.push_screen, NameScreen(), self.named)

    def named(self, name: str | None) -> None:
        if not name:
            return
        self.learner = name
        os.environ[locations.SAVES_ENV] = str(learner_folder(self.base, name))
        self.sub_title = name


def run_learner() -> int:
    app = BrowserApp(locations.saves_dir())
    app.run()
    return app.return_code or 0


def command() -> str:
    """What textual-serve runs for each browser: this Python, this leadgame, learner mode."""
    return f"{shlex.quote(sys.executable)} -m leadgame.cli serve --learner"


def serve(host: str, port: int) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        raise Missing("browser play needs textual-serve: pip install textual-serve") from None
    print(WARNING, flush=True)
    print(f"Learners' games are saved in {locations.saves_dir() / WEB_FOLDER}, one folder per name.", flush=True)
    Server(command(), host=host, port=port, title="leadgame").serve()
    return 0
