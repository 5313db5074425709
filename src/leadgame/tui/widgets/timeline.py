"""Side panels during play: the decisions so far, and (coached) each construct's running total."""

from __future__ import annotations

from typing import Collection, Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from leadgame.core.debrief import TimelineEntry
from leadgame.core.scoring import ConstructScore
from leadgame.tui.widgets.hanging import hanging


def timeline_text(entries: Sequence[TimelineEntry], noted: Collection[int] = ()) -> Text | Table:
    """The decisions so far, oldest first; ✎ marks one with a note (`noted`: 0-based steps)."""
    decisions = [entry for entry in entries if entry.decision]
    if not decisions:
        return Text("No decisions yet.", style="italic")
    rows = []
    for number, entry in enumerate(decisions, start=1):
        text = Text(entry.scene_title, style="bold")
        if entry.step - 1 in noted:
            text.append(" ✎", style="bold")
        if entry.when:
            text.append(f"\n{entry.when}", style="dim")
        text.append(f"\n{entry.choice_label}")
        rows.append((f"{number}.", text))
    return hanging(rows)


class Timeline(Static):
    """A panel listing every decision taken so far, oldest first."""

    DEFAULT_CSS = """
    Timeline { height: auto; }
    """

    def __init__(self, entries: Sequence[TimelineEntry] = (), *, id: str | None = None, classes: str | None = None):
        super().__init__(timeline_text(entries), id=id, classes=classes, markup=False)
        self.shown: tuple = (tuple(entries), ())

    def show(self, entries: Sequence[TimelineEntry], noted: Collection[int] = ()) -> None:
        """Redraw, unless nothing changed (a consequence and the next scene share one timeline)."""
        key = (tuple(entries), tuple(sorted(noted)))
        if key != self.shown:
            self.shown = key
            self.update(timeline_text(entries, noted))


class ConstructTotals(Static):
    """Coached mode: each scored construct's position so far (of 10), in the scenario's own order."""

    DEFAULT_CSS = """
    ConstructTotals { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show(self, scores: Sequence[ConstructScore]) -> None:
        self.update(hanging([("–" if score.on_scale is None else str(score.on_scale), Text(score.construct.name))
                             for score in scores]))
