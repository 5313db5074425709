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

from leadgame.tui.messages import Chosen, Written
from leadgame.tui.widgets.choices import ChoiceList

if TYPE_CHECKING:
    from leadgame.core.debrief import TimelineEntry
    from leadgame.core.session import Session


T = TypeVar("T")


class Dialog(ModalScreen[T]):
    """A centred box with a heading, some words and a ChoiceList; Escape cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close this without choosing")]

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
    BINDINGS = [Binding("q,y", "answer(True)", "Quit", tooltip="Quit leadgame"),
                Binding("n,escape", "answer(False)", "Stay", tooltip="Stay in leadgame")]

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


DECISION, NOTE = "decision", "note"  # what SaveFailed could not save
_UNSAVED = {
    DECISION: ("The game has not moved on: nothing is lost.", "Not now: stay on this decision"),
    NOTE: ("The game is as it was; your note is not kept until it is saved.", "Not now: leave the note unsaved"),
}


class SaveFailed(Dialog[str]):
    """A decision (or a note) could not be saved, so the game is as it was: "retry", "save-as"
    (keep the game in another file) or "stay" (to try again later)."""

    def __init__(self, problem: str, what: str = DECISION) -> None:
        after, stay = _UNSAVED[what]
        super().__init__(
            f"Your {what} was not saved",
            f"{problem}\n{after}",
            (("retry", "Try again"), ("save-as", "Save this game somewhere else…"), ("stay", stay)),
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
                ("coached", "Coached: after each decision, the reasoning, where the source says so and the construct changes"),
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
            [(str(entry.step - 1), f"{entry.scene_title} — you chose “{entry.choice_label}”") for entry in decisions],
        )

    @on(Chosen)
    def chosen(self, event: Chosen) -> None:
        self.dismiss(int(event.option_id))


class ExportScreen(ModalScreen[Path | None]):
    """Ask where to write: the folder for an exported debrief, or the file for a game whose own
    folder cannot be written. The result is the path typed, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close this without writing anything")]

    def __init__(self, suggestion: Path, heading: str = "Export the debrief",
                 words: str = "A Markdown file and a printable HTML page, written into this folder. "
                              "Enter to export, Esc to cancel.") -> None:
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


class ExportedScreen(ModalScreen[None]):
    """Where the export went: every path whole, broken only between its parts."""

    BINDINGS = [Binding("enter,escape", "close", "Close", tooltip="Close this")]

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__()
        self.paths = tuple(paths)

    def compose(self) -> ComposeResult:
        from leadgame.tui.widgets.pathtext import PathText

        with Vertical(classes="dialog", id="exported"):
            yield Static("Debrief exported", classes="dialog-heading", markup=False)
            yield Static("Into the folder:", classes="dialog-words", markup=False)
            yield PathText(str(self.paths[0].parent) + "/", id="export-folder-written")
            yield Static("As:", classes="dialog-words", markup=False)
            for path in self.paths:
                yield PathText(path.name, classes="export-file")
            yield Static("Enter or Esc closes this.", classes="dialog-words", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    """The learner's note on the decision at hand; the result is the note (empty to drop it),
    or None when nothing changed. Esc closes and keeps what was written."""

    BINDINGS = [Binding("ctrl+s", "keep", "Keep", show=False, tooltip="Keep the note and close")]

    def __init__(self, heading: str, text: str) -> None:
        super().__init__()
        self.heading, self.text = heading, text

    def compose(self) -> ComposeResult:
        from leadgame.tui.widgets.answer import AnswerBox

        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="dialog-heading", markup=False)
            yield Static("For you: it is kept with your game and shown in the debrief beside this decision. "
                         "Esc closes and keeps it.", classes="dialog-words", markup=False)
            yield AnswerBox(self.text, key="note", placeholder="Your note", id="note-box")

    def on_mount(self) -> None:
        self.query_one("#note-box").focus()

    def action_keep(self) -> None:
        from leadgame.tui.widgets.answer import AnswerBox

        self.close(self.query_one("#note-box", AnswerBox).text)

    @on(Written)
    def written(self, event: Written) -> None:
        if event.leaving:
            self.close(event.text)

    def close(self, text: str) -> None:
        text = text.strip()
        self.dismiss(None if text == self.text.strip() else text)
