"""Browser play: `leadgame serve` runs the game for web browsers through textual-serve.

Each browser tab gets its own leadgame process (`leadgame serve --learner`), which first asks
the learner's name (and, optionally, their team and workshop code) and keeps that learner's
games in a folder of their own under the saves folder (`web/<name>/`), autosaved after every
decision: a closed tab loses nothing, and the same name on return finds the game under
"Continue". A name keeps its letters in any script and is compared without case, so "Alice
Smith" finds "alice smith"'s games, while José and Jos stay apart.

A learner's games are theirs: the server gives each browser a random key in a cookie, and the
first browser to use a name owns it (the folder keeps a hash of the key). Another browser typing
the same name is asked to choose another. There is still no login, so the server listens on this
computer only unless a host is given, and belongs on a trusted network.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shlex
import sys
import unicodedata
from contextvars import ContextVar
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from leadgame import locations
from leadgame.core.text import clean_text
from leadgame.tui import app as tui_app
from leadgame.tui.app import LeadgameApp

WEB_FOLDER = "web"
OWNER_FILE = ".owner.json"
KEY_ENV = "LEADGAME_BROWSER_KEY"  # how the server hands a browser's key to that browser's process
COOKIE = "leadgame_browser"
COOKIE_SECONDS = 365 * 24 * 3600
MAX_NAME = 60
_KEY = re.compile(r"^[A-Za-z0-9_-]{32,64}\Z")
WARNING = ("leadgame serve has no login: anyone who can reach this address can play. Each browser keeps its own "
           "learners' games, but keep it on this computer or a trusted network (a training room, not the internet).")


class Missing(RuntimeError):
    """textual-serve is not installed."""


class NameTaken(ValueError):
    """Another browser owns this name."""


# --- names and their folders ----------------------------------------------------------------------


def learner_key(name: str) -> str:
    """The folder a name's games live in: its letters and digits in any script, case-folded,
    everything else a single '-'. Empty when the name has no letter or digit."""
    text = unicodedata.normalize("NFKC", clean_text(name, MAX_NAME)).casefold()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text).split())[:MAX_NAME]


def learner_folder(base: Path, name: str) -> Path:
    key = learner_key(name)
    if not key:
        raise ValueError("a name needs at least one letter or digit")
    return Path(base) / WEB_FOLDER / key


def _fingerprint(browser_key: str) -> str:
    return hashlib.sha256(browser_key.encode()).hexdigest()


def claim(base: Path, name: str, browser_key: str) -> Path:
    """The folder for `name`'s games, if this browser may use it: the first browser to use a
    name owns it; any other gets NameTaken. Raises ValueError for a name without letters or a
    browser without a key."""
    if not _KEY.match(browser_key or ""):
        raise ValueError("this browser sent no key: reload the page (cookies must be allowed for this site)")
    folder = learner_folder(base, name)
    folder.mkdir(parents=True, exist_ok=True)
    owner = folder / OWNER_FILE
    record = json.dumps({"name": clean_text(name, MAX_NAME), "browser": _fingerprint(browser_key)})
    try:
        with open(owner, "x", encoding="utf-8") as handle:  # exclusive: two browsers cannot both claim it
            handle.write(record)
        return folder
    except FileExistsError:
        pass
    try:
        held = json.loads(owner.read_text(encoding="utf-8")[:4096]).get("browser", "")
    except (OSError, ValueError, AttributeError):
        held = ""
    if not secrets.compare_digest(str(held), _fingerprint(browser_key)):
        raise NameTaken(name)
    return folder


# --- the learner's process ------------------------------------------------------------------------


class NameScreen(ModalScreen[tuple[str, str, str]]):
    """The first thing a browser learner sees: their name, which keeps their games apart, and
    optionally their team and the workshop's code, which their games carry into reports."""

    BINDINGS = [Binding("escape", "nothing", show=False)]

    def __init__(self, base: Path) -> None:
        super().__init__()
        self.base = Path(base)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Welcome to leadgame", classes="dialog-heading", markup=False)
            yield Static("Type your name and press Enter. Your games are saved under it after every decision; "
                         "come back in this browser with the same name to carry on.", classes="dialog-words", markup=False)
            yield Input(placeholder="Your name", max_length=MAX_NAME, id="learner-name")
            yield Input(placeholder="Your team (optional)", max_length=MAX_NAME, id="learner-team")
            yield Input(placeholder="Workshop code (optional)", max_length=20, id="learner-session")
            yield Static(id="learner-problem", markup=False)

    def on_mount(self) -> None:
        self.query_one("#learner-name", Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        name = self.query_one("#learner-name", Input).value
        problem = self.query_one("#learner-problem", Static)
        try:
            claim(self.base, name, os.environ.get(KEY_ENV, ""))
        except NameTaken:
            problem.update(f"Another browser's games are saved under “{clean_text(name, MAX_NAME)}”. If they are "
                           "yours, open leadgame in the browser you used before; otherwise add to your name "
                           "(a surname or an initial).")
            return
        except (ValueError, OSError) as error:
            if not learner_key(name):
                error = "Please type a name with at least one letter or digit."
            problem.update(str(error))
            return
        team = clean_text(self.query_one("#learner-team", Input).value, MAX_NAME)
        session = clean_text(self.query_one("#learner-session", Input).value, 20)
        self.dismiss((clean_text(name, MAX_NAME), team, session))

    def action_nothing(self) -> None:
        pass


class BrowserApp(LeadgameApp):
    """The full game, after asking whose games these are."""

    CSS_PATH = Path(tui_app.__file__).with_name("leadgame.tcss")  # a subclass elsewhere: say where the sheet is

    def __init__(self, base: Path) -> None:
        super().__init__()
        self.base = Path(base)
        self.learner = self.team = self.session = ""

    def on_mount(self) -> None:
        # Textual runs LeadgameApp.on_mount too (after this one): ask once its title screen is up.
        self.call_later(self.push_screen, NameScreen(self.base), self.named)

    def named(self, answer: tuple[str, str, str] | None) -> None:
        if not answer:
            return
        self.learner, self.team, self.session = answer
        os.environ[locations.SAVES_ENV] = str(learner_folder(self.base, self.learner))
        self.sub_title = " · ".join(part for part in answer if part)

    def game_tags(self) -> dict[str, str]:
        return {"learner": self.learner, "team": self.team, "session": self.session}


def run_learner() -> int:
    app = BrowserApp(locations.saves_dir())
    app.run()
    return app.return_code or 0


def command() -> str:
    """What textual-serve runs for each browser: this Python, this leadgame, learner mode."""
    return f"{shlex.quote(sys.executable)} -m leadgame.cli serve --learner"


# --- the server -------------------------------------------------------------------------------------

_browser_key: ContextVar[str] = ContextVar("leadgame browser key", default="")


def browser_key(cookie: str | None) -> str:
    return cookie if cookie and _KEY.match(cookie) else ""


def learner_server(command_line: str, host: str, port: int, url: str):
    """textual-serve's server, plus a key per browser: the page sets a random key in a cookie,
    and the process started for that browser's socket gets it in its environment."""
    import textual_serve.server as served
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    class LearnerAppService(AppService):
        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment = super()._build_environment(width, height)
            environment[KEY_ENV] = _browser_key.get()
            return environment

    class LearnerServer(Server):
        async def handle_index(self, request):
            response = await super().handle_index(request)
            if not browser_key(request.cookies.get(COOKIE)):
                response.set_cookie(COOKIE, secrets.token_urlsafe(32), max_age=COOKIE_SECONDS, httponly=True,
                                    samesite="Strict", path="/")
            return response

        async def handle_websocket(self, request):
            # The app process starts inside this request's task, so it sees this browser's key.
            _browser_key.set(browser_key(request.cookies.get(COOKIE)))
            return await super().handle_websocket(request)

    # textual-serve (pinned below 2) makes its AppService by this module-level name.
    served.AppService = LearnerAppService
    return LearnerServer(command_line, host=host, port=port, title="leadgame", public_url=url)


def serve(host: str, port: int, url: str | None = None) -> int:
    from leadgame.workshop.address import public_url

    try:
        import textual_serve  # noqa: F401
    except ImportError:
        raise Missing("browser play needs textual-serve: pip install textual-serve") from None
    address = public_url(host, port, url)  # never 0.0.0.0: browsers will not load a page's parts from there
    print(WARNING, flush=True)
    print(f"Learners open {address} in a browser.", flush=True)
    print(f"Learners' games are saved in {locations.saves_dir() / WEB_FOLDER}, one folder per name.", flush=True)
    learner_server(command(), host, port, address).serve()
    return 0
