"""What if, compared: the first run's profile and the replay's, side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from leadgame.tui.widgets.bars import CompareBars

if TYPE_CHECKING:
    from leadgame.core.debrief import Debrief
    from leadgame.core.session import Session


def shared_decisions(first: Debrief, second: Debrief) -> int:
    """How many decisions the two runs have in common from the start."""
    count = 0
    for a, b in zip(first.decisions, second.decisions):
        if (a.scene_title, a.choice_label) != (b.scene_title, b.choice_label):
            break
        count += 1
    return count


class CompareScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back to the debrief")]

    def __init__(self, first: Session, second: Session) -> None:
        super().__init__()
        self.first, self.second = first, second

    def compose(self) -> ComposeResult:
        yield Static("What if: your two profiles, side by side", id="compare-bar", markup=False)
        with VerticalScroll(id="compare"):
            yield Static("Working out both profiles…", id="compare-summary", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.build()

    @work(thread=True, exclusive=True, group="compare")
    def build(self) -> None:
        first, second = self.first.debrief(), self.second.debrief()
        self.app.call_from_thread(self.show, first, second)

    async def show(self, first: Debrief, second: Debrief) -> None:
        same = shared_decisions(first, second)
        summary = Text()
        summary.append(f"The same first {same} decision{'s' if same != 1 else ''}; then the runs part.\n")
        for label, debrief in (("First run", first), ("What if", second)):
            summary.append(f"{label}: ", style="bold")
            summary.append(f"{len(debrief.decisions)} decisions, ending “{debrief.ending.title if debrief.ending else '—'}”\n")
        summary.append("Each bar shows where a score sits in the range this scenario allows. A profile, not a grade.")
        self.query_one("#compare-summary", Static).update(summary)
        await self.query_one("#compare", VerticalScroll).mount(CompareBars(first.profile, second.profile, id="compare-bars"))
