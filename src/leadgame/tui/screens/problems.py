"""The problems in a watched scenario file (`leadgame play PATH --watch`), listed in place of
a crash while the author fixes them: one line each, `file:line:column: CODE [key] message`."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from leadgame.core.problems import Problem


def problems_text(problems: Sequence[Problem]) -> str:
    """One line a problem, exactly as `leadgame validate` prints it."""
    return "\n".join(str(problem) for problem in problems)


class ProblemsScreen(ModalScreen[None]):
    """Shown while the watched file cannot be loaded; taken away when it loads again."""

    BINDINGS = [Binding("escape", "close", "Keep playing", tooltip="Hide the problems and play on with the version loaded before")]

    def __init__(self, path: Path, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.path = Path(path)
        self.problems = tuple(problems)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog problems-dialog"):  # a long list scrolls, in any window
            yield Static(id="problems-heading", classes="dialog-heading", markup=False)
            yield Static("The game waits for a fix: save the file and it reloads, keeping your path. "
                         "Escape plays on with the version loaded before.", classes="dialog-words", markup=False)
            yield Static(id="problems-list", markup=False)

    def on_mount(self) -> None:
        self.show(self.problems)

    def show(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        self.query_one("#problems-heading", Static).update(f"{self.path.name}: {count} problem{'s' if count != 1 else ''}")
        self.query_one("#problems-list", Static).update(problems_text(self.problems))

    def action_close(self) -> None:
        self.dismiss(None)
