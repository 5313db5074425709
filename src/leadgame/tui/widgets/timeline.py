"""The decisions so far: scene, place and date, and what the learner chose."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.widgets import Static

from leadgame.core.debrief import TimelineEntry


def timeline_text(entries: Sequence[TimelineEntry]) -> Text:
    decisions = [entry for entry in entries if entry.decision]
    if not decisions:
        return Text("No decisions yet.", style="italic")
    text = Text()
    for number, entry in enumerate(decisions, start=1):
        if number > 1:
            text.append("\n")
        text.append(f"{number}. {entry.scene_title}\n", style="bold")
        if entry.when:
            text.append(f"   {entry.when}\n", style="dim")
        text.append(f"   {entry.choice_label}")
    return text


class Timeline(Static):
    """A panel listing every decision taken so far, oldest first."""

    DEFAULT_CSS = """
    Timeline { height: auto; }
    """

    def __init__(self, entries: Sequence[TimelineEntry] = (), *, id: str | None = None, classes: str | None = None):
        super().__init__(timeline_text(entries), id=id, classes=classes, markup=False)

    def show(self, entries: Sequence[TimelineEntry]) -> None:
        self.update(timeline_text(entries))
