"""Small dialogs, each a ModalScreen with a typed result."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from leadgame.tui.messages import Chosen
from leadgame.tui.widgets.choices import ChoiceList

if TYPE_CHECKING:
    from leadgame.core.debrief import TimelineEntry
    from leadgame.core.session import Session


T = TypeVar("T")


class Dialog(ModalScreen[T]):
    """A centred box with a heading, some words and a ChoiceList; Escape cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, heading: str, words: str, options: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.heading, self.words, self.options = heading, words, tuple(options)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="dialog-heading", markup=False)
            if self.words:
                yield Static(self.words, classes="dialog-words", markup=False)
            yield ChoiceList(self.options, classes="dialog-choices")

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmQuit(Dialog[bool]):
    BINDINGS = [Binding("q,y", "answer(True)", "Quit"), Binding("n,escape", "answer(False)", "Stay")]

    def __init__(self, game: Session | None) -> None:
        if game is None:
            words = ""
        elif not game.persist:
            from leadgame.core.session import NOT_SAVED

            words = NOT_SAVED
        elif game.finished:
            words = f"Your game and debrief note are saved as '{game.save.name}'."
        else:
            words = (f"Your game is saved as '{game.save.name}'. Pick Continue on the title screen, "
                     f"or run: leadgame play --resume {game.save.name}")
        super().__init__("Quit leadgame?", words, (("quit", "Quit"), ("stay", "Stay")))

    def action_answer(self, quit: bool) -> None:
        self.dismiss(quit)

    @on(Chosen)
    def chosen(self, event: Chosen) -> None:
        self.dismiss(event.option_id == "quit")


class ModeScreen(Dialog[bool | None]):
    """Standard (False) or coached (True); None if the learner backs out."""

    def __init__(self, title: str) -> None:
        super().__init__(
            title,
            "How do you want to play? You can switch later with c.",
            (
                ("standard", "Standard: consequences in the story; construct scores wait for the debrief"),
                ("coached", "Coached: after each decision, the reasoning, the paper section and the construct changes"),
            ),
        )

    @on(Chosen)
    def chosen(self, event: Chosen) -> None:
        self.dismiss(event.option_id == "coached")


class WhatIfScreen(Dialog[int | None]):
    """Pick a past decision; the result is how many choices to keep before it (for Session.branch)."""

    def __init__(self, decisions: Sequence[TimelineEntry]) -> None:
        super().__init__(
            "What if…",
            "Replay from which decision? Your first game stays as it is; the replay is saved as a new game.",
            [(str(entry.step - 1), f"{entry.scene_title}: you chose “{entry.choice_label}”") for entry in decisions],
        )

    @on(Chosen)
    def chosen(self, event: Chosen) -> None:
        self.dismiss(int(event.option_id))


class ExportScreen(ModalScreen[Path | None]):
    """Ask where to write the debrief; the result is the path typed, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggestion: Path) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Export the debrief", classes="dialog-heading", markup=False)
            yield Static("A Markdown file you can keep. Enter to save, Escape to cancel.", classes="dialog-words", markup=False)
            yield Input(str(self.suggestion), id="export-path")

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = not self.app.is_headless

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.dismiss(Path(text).expanduser() if text else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
