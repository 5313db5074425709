"""What if, compared: the first run's path and the replay's side by side, the decision where
they part marked, and each construct's position in both with the change between them."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from leadgame.core.debrief import Comparison, comparison_intro, entry_words, scale_words, signed
from leadgame.tui.widgets.keybar import KeyBar

PARTED = "▼ they part here"


def paths_table(comparison: Comparison) -> Table:
    table = Table(expand=True, show_edge=False, box=None, padding=(0, 1), header_style="bold")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("First run", ratio=1)
    table.add_column("What if", ratio=1)
    for number, one, two in comparison.rows():
        parted = number == comparison.parting
        marker = Text(f"{number}", style="bold" if parted else "")
        if number <= comparison.shared:
            table.add_row(marker, Text(entry_words(one)), Text("the same", style="dim"))
            continue
        if parted:
            table.add_row("", Text(PARTED, style="bold reverse"), "")
        table.add_row(marker, Text(entry_words(one), style="bold" if parted else ""),
                      Text(entry_words(two), style="bold" if parted else ""))
    return table


def changes_table(comparison: Comparison) -> Table:
    table = Table(expand=True, show_edge=False, box=None, padding=(0, 1), header_style="bold")
    table.add_column("Construct", ratio=1)
    for heading in ("First run", "What if", "Change"):
        table.add_column(heading, justify="right", no_wrap=True)
    for change in comparison.changes:
        moved = "" if change.change is None else ("no change" if change.change == 0 else signed(change.change))
        table.add_row(Text(change.construct.name), scale_words(change.first), scale_words(change.second),
                      Text(moved, style="bold" if change.change else "dim"))
    return table


class CompareScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", tooltip="Back to the what-if's debrief")]

    def __init__(self, comparison: Comparison, label: str = "") -> None:
        super().__init__()
        self.comparison, self.label = comparison, label

    def compose(self) -> ComposeResult:
        comparison = self.comparison
        yield Static("What if: your two paths, side by side", id="compare-bar", markup=False)
        with VerticalScroll(id="compare"):
            yield Static(comparison_intro(comparison, self.label), id="compare-summary", markup=False)
            yield Static("Your decisions", classes="section-heading", markup=False)
            yield Static(paths_table(comparison), id="compare-paths")
            yield Static(f"Endings: the first run “{comparison.first_ending}”; the what-if “{comparison.second_ending}”.",
                         id="compare-endings", classes="section-words", markup=False)
            yield Static("Each construct, of 10", classes="section-heading", markup=False)
            yield Static("Where each run's choices sat at the decisions that tested it; the change is the what-if's "
                         "position minus the first run's. A profile, not a grade.", classes="section-words", markup=False)
            yield Static(changes_table(comparison), id="compare-changes")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#compare").focus()
