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


class SaveFailed(Dialog[str]):
    """A decision could not be saved, so the game has not moved on: "retry", "save-as" (keep the
    game in another file) or "stay" (on this decision, to try again later)."""

    def __init__(self, problem: str) -> None:
        super().__init__(
            "Your decision was not saved",
            f"{problem}\nThe game has not moved on: nothing is lost.",
            (("retry", "Try again"), ("save-as", "Save this game somewhere else…"), ("stay", "Not now: stay on this decision")),
        )

    @on(Chosen)
    def chosen(self, event: Chosen) -> None:
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss("stay")


class ContinueAfterEdit(Dialog[bool]):
    """The scenario was edited and some of the game's decisions no longer replay: go on from
    the last one that holds (True), or leave the save as it is (False)."""

    def __init__(self, kept: int, notes: Sequence[str]) -> None:
        super().__init__(
            "The scenario has changed",
            "\n".join(notes),
            (("continue", f"Continue from decision {kept}; the later ones stay in the save, set aside"),
             ("leave", "Leave the game as it is, and go back to the title")),
        )

    @on(Chosen)
    def chosen(self, event: Chosen) -> None:
        self.dismiss(event.option_id == "continue")

    def action_cancel(self) -> None:
        self.dismiss(False)


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
    """Ask where to write a file (the debrief, or a game whose folder cannot be written); the
    result is the path typed, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggestion: Path, heading: str = "Export the debrief",
                 words: str = "A Markdown file you can keep. Enter to save, Escape to cancel.") -> None:
        super().__init__()
        self.suggestion, self.heading, self.words = suggestion, heading, words

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="dialog-heading", markup=False)
            yield Static(self.words, classes="dialog-words", markup=False)
            yield Input(str(self.suggestion), id="export-path")

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = not self.app.is_headless

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.dismiss(Path(text).expanduser() if text else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
