"""Hanging indents for terminal text: a marker column, and text that wraps under itself."""

from __future__ import annotations

from typing import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text


class Hanging:
    """Rows of (marker, text), e.g. ("2.", label): each marker bold and right-aligned in a column
    as wide as the widest (or `marker_width`), a space, then the text, wrapping under itself and
    not under the marker. The text column is as wide as the longest line, within the width
    there is (all of it with `expand`). What a two-column Rich grid draws, at a fraction of the
    cost: an option list or a timeline draws it again on every change of scene."""

    def __init__(self, rows: Sequence[tuple[str, Text]], marker_width: int | None = None, expand: bool = False):
        self.rows = list(rows)
        self.marker_width = marker_width or max((cell_len(marker) for marker, _ in self.rows), default=0)
        self.expand = expand
        self._drawn: dict[tuple[int, int], Text] = {}  # a screen measures, then draws, at the same width

    def _widest(self) -> int:
        return max((cell_len(line) for _, text in self.rows for line in text.plain.split("\n")), default=0)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        gutter = self.marker_width + 1
        widest = options.max_width if self.expand else min(options.max_width, gutter + self._widest())
        return Measurement(min(widest, gutter + 1), widest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (id(console), options.max_width)
        if key not in self._drawn:
            self._drawn[key] = self._draw(console, options.max_width)
        yield self._drawn[key]

    def _draw(self, console: Console, available: int) -> Text:
        gutter = self.marker_width + 1
        room = max(1, available - gutter)
        width = room if self.expand else min(room, self._widest())
        lines = []
        for marker, text in self.rows:
            for index, line in enumerate(text.wrap(console, width)):
                line.align("left", width)
                lines.append(Text.assemble((marker.rjust(self.marker_width) if index == 0 else " " * self.marker_width, "bold"), " ", line))
        return Text("\n", no_wrap=True).join(lines) if lines else Text()


def hanging(rows: Sequence[tuple[str, Text]], marker_width: int | None = None, expand: bool = False) -> Hanging:
    """Rows of (marker, text), e.g. ("2.", label): the text wraps under itself, not the marker."""
    return Hanging(rows, marker_width, expand)
