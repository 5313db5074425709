"""The key list (`?`) and the how-to-play page."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Markdown, Static

from leadgame.tui.keys import described, key_name
from leadgame.tui.text import HELP_NOTES, HOW_TO_PLAY


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


def keys_text(rows: list[tuple[str, str]]) -> Text:
    width = max((len(keys) for keys, _ in rows), default=4) + 2
    text = Text()
    for keys, description in rows:
        text.append(keys.ljust(width), style="bold")
        text.append(description + "\n")
    return text


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
                yield Markdown(HELP_NOTES, id="help-notes")

    def action_close(self) -> None:
        self.dismiss(None)


class HowToScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", tooltip="Back to the title screen")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="howto"):
            yield Markdown(HOW_TO_PLAY + "\n" + HELP_NOTES, id="howto-text")
        yield Footer(compact=True)
