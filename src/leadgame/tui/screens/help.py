"""The key list (`?`) and the how-to-play page."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from leadgame.tui.keys import described, key_name
from leadgame.tui.widgets.prose import Prose
from leadgame.tui.text import HELP_NOTES, HOW_TO_PLAY
from leadgame.tui.widgets.keybar import KeyBar


def binding_rows(screen: Screen) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding active on `screen` that a learner uses, keys
    sharing a meaning together, named in the app's one style."""
    grouped: dict[str, list[str]] = {}
    for key, active in screen.active_bindings.items():
        description = described(active.binding)
        if not description:
            continue
        keys = grouped.setdefault(description, [])
        if key_name(key) not in keys:
            keys.append(key_name(key))
    rows = []
    for description, keys in grouped.items():
        if len(keys) > 3 and all(k.isdigit() for k in keys):  # 1, 2, ... 9 read as one range
            keys = [f"{keys[0]}–{keys[-1]}"]
        rows.append((" / ".join(keys), description))
    return rows


def keys_text(rows: list[tuple[str, str]]) -> Table:
    """Keys in a column of their own; a long description wraps under itself, not under the keys."""
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    for keys, description in rows:
        grid.add_row(keys, Text(description))
    return grid


class HelpScreen(ModalScreen[None]):
    """Every key binding of the screen beneath, and notes on reading, themes and plain mode."""

    BINDINGS = [Binding("escape,question_mark", "close", "Close help", tooltip="Close this list")]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Static("Keys  (Esc closes; scroll for more)", classes="dialog-heading", markup=False)
            with VerticalScroll(id="help-body"):
                yield Static(keys_text(self.rows), id="help-keys", markup=False)
                yield Prose(HELP_NOTES, id="help-notes")

    def action_close(self) -> None:
        self.dismiss(None)


class HowToScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", tooltip="Back to the title screen")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="howto"):
            yield Prose(HOW_TO_PLAY + "\n" + HELP_NOTES, id="howto-text")
        yield KeyBar()
