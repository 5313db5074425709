"""Side panels during play: the decisions so far, and (coached) each construct's running total."""

from __future__ import annotations

from typing import Collection, Sequence

from rich.cells import cell_len
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from leadgame.core.debrief import TimelineEntry
from leadgame.core.scoring import ConstructScore
from leadgame.tui.widgets.hanging import hanging


def timeline_rows(entries: Sequence[TimelineEntry], noted: Collection[int] = ()) -> list[tuple[str, Text]]:
    """The decisions so far, oldest first, as (number, words) rows; ✎ marks one with a note
    (`noted`: 0-based steps)."""
    rows = []
    for number, entry in enumerate((entry for entry in entries if entry.decision), start=1):
        text = Text()
        text.append(entry.scene_title, style="bold")  # the title only: the choice is read in plain weight
        if entry.step - 1 in noted:
            text.append(" ✎", style="bold")
        if entry.when:
            text.append(f"\n{entry.when}", style="dim")
        text.append(f"\n{entry.choice_label}")
        rows.append((f"{number}.", text))
    return rows


NO_DECISIONS = Text("No decisions yet.", style="italic")


class Timeline(Widget):
    """A panel listing every decision taken so far, oldest first.

    It grows by a decision at a time, and is drawn a line at a time from the lines each
    decision was last drawn as: a new decision draws only itself, where redrawing the whole
    list through Rich cost a choice several milliseconds on every layout."""

    DEFAULT_CSS = """
    Timeline { height: auto; }
    """

    def __init__(self, entries: Sequence[TimelineEntry] = (), *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.shown: tuple = (tuple(entries), ())
        self.rows = timeline_rows(entries)
        self._drawn: dict[tuple, list[Strip]] = {}  # (marker, words, marker width, width, style) -> its lines
        self._lines: tuple[int, list[Strip]] | None = None  # the whole list, at a width

    def show(self, entries: Sequence[TimelineEntry], noted: Collection[int] = ()) -> None:
        """Redraw, unless nothing changed (a consequence and the next scene share one timeline)."""
        key = (tuple(entries), tuple(sorted(noted)))
        if key != self.shown:
            self.shown = key
            self.rows = timeline_rows(entries, noted)
            self._lines = None
            self.refresh(layout=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None  # drawn in the old colours

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self.lines(width)
        return lines[y] if y < len(lines) else Strip.blank(width, self.rich_style)

    def lines(self, width: int) -> list[Strip]:
        if self._lines is None or self._lines[0] != width:
            self._lines = (width, self._draw_all(width, self.rich_style))
        return self._lines[1]

    def _draw_all(self, width: int, style: Style) -> list[Strip]:
        if not self.rows:
            return self._draw(NO_DECISIONS, width, style)
        marker_width = max(cell_len(marker) for marker, _ in self.rows)
        drawn, lines = {}, []
        for marker, words in self.rows:
            key = (marker, words.markup, marker_width, width, style)
            drawn[key] = self._drawn.get(key) or self._draw(hanging([(marker, words)], marker_width), width, style)
            lines.extend(drawn[key])
        self._drawn = drawn  # only the rows still shown are kept
        return lines

    def _draw(self, renderable: RenderableType, width: int, style: Style) -> list[Strip]:
        console = self.app.console
        options = console.options.update_width(max(1, width))
        return [Strip(Segment.apply_style(line, style), width)
                for line in console.render_lines(renderable, options, pad=True)]


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
