"""The room screen's vote chart: one bar per option, long enough to read across a room.

Bars are full and light block characters, so the spread reads under NO_COLOR and in a
monochrome terminal; the selected option carries a pointer and the leaders a word, never only
a colour."""

from __future__ import annotations

import textwrap
from typing import Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

FULL, EMPTY = "█", "░"
MARK_WIDTH = len("  ◀ chosen")
MAX_ROWS = 12


class VoteChart(Widget):
    """Options as numbered rows, each with its bar, count and share of the room's votes."""

    COMPONENT_CLASSES = {"votes--label", "votes--selected", "votes--filled", "votes--empty", "votes--count", "votes--lead"}

    DEFAULT_CSS = """
    VoteChart {
        height: auto;
        & > .votes--label { color: $foreground; }
        & > .votes--selected { text-style: bold reverse; }
        & > .votes--filled { color: $accent; }
        & > .votes--empty { color: $foreground 30%; }
        & > .votes--count { text-style: bold; color: $foreground; }
        & > .votes--lead { text-style: bold; color: $success; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: tuple[tuple[str, str, int], ...] = ()  # (choice id, label, votes)
        self.selected = 0
        self.leaders: tuple[str, ...] = ()
        self.chosen = ""  # after the room has decided: the option it took

    def show(self, rows: Sequence[tuple[str, str, int]], selected: int, leaders: Sequence[str], chosen: str = "") -> None:
        new = (tuple(rows), selected, tuple(leaders), chosen)
        if new == (self.rows, self.selected, self.leaders, self.chosen):
            return
        labels_changed = [label for _, label, _ in new[0]] != [label for _, label, _ in self.rows]
        self.rows, self.selected, self.leaders, self.chosen = new
        self.refresh(layout=labels_changed)  # only new labels can change the chart's height

    def style(self, part: str) -> Style:
        return self.get_component_rich_style(f"votes--{part}")

    def window(self) -> range:
        """The rows drawn: all of them, or, for a very wide decision, MAX_ROWS around the selected
        one (a room reads a dozen bars, and drawing thousands would slow every vote)."""
        if len(self.rows) <= MAX_ROWS:
            return range(len(self.rows))
        first = min(max(0, max(self.selected, 0) - MAX_ROWS // 2), len(self.rows) - MAX_ROWS)
        return range(first, first + MAX_ROWS)

    def render(self) -> Text:
        width = max(24, self.content_size.width or self.size.width or 60)
        total = sum(votes for _, _, votes in self.rows)
        lines = []
        shown = self.window()
        if shown.start:
            lines.append(Text(f"  ↑ {shown.start:,} more option{'s' if shown.start != 1 else ''}", style=self.style("label")))
        for index in shown:
            choice_id, label, votes = self.rows[index]
            pointer = "▶" if index == self.selected and not self.chosen else " "
            label_style = self.style("selected" if pointer == "▶" else "label")
            for number, part in enumerate(textwrap.wrap(label, max(10, width - 5)) or [""]):
                head = Text(f"{pointer} {index + 1}  " if number == 0 else "     ", style=self.style("count"), end="")
                head.append(part, style=label_style)
                lines.append(head)
            share = votes / total if total else 0.0
            if self.chosen:
                mark = "  ◀ chosen" if choice_id == self.chosen else ""
            else:
                mark = "  ◀ leads" if total and choice_id in self.leaders and len(self.leaders) == 1 else (
                    "  ◀ tied" if total and choice_id in self.leaders else "")
            figures = f" {votes:>3}  {share:>4.0%}"
            bar_width = max(4, width - 5 - len(figures) - MARK_WIDTH)  # one length for every row, to compare
            filled = round(share * bar_width)
            bar = Text("     ", end="")
            bar.append(FULL * filled, style=self.style("filled"))
            bar.append(EMPTY * (bar_width - filled), style=self.style("empty"))
            bar.append(figures, style=self.style("count"))
            bar.append(mark, style=self.style("lead"))
            lines.append(bar)
        below = len(self.rows) - shown.stop
        if below:
            lines.append(Text(f"  ↓ {below:,} more option{'s' if below != 1 else ''}", style=self.style("label")))
        lines.append(Text(f"{total} vote{'s' if total != 1 else ''} entered", style=self.style("label")))
        return Text("\n").join(lines)


class JoinPanel(Widget):
    """How the room joins a live session: a QR code, the address, the session code, and how
    many devices have joined. The code is dark on light whatever the theme, so it scans."""

    DEFAULT_CSS = """
    JoinPanel {
        height: auto;
        margin: 0 0 1 0;
        & > .join--qr { color: black; background: white; }
        & > .join--code { text-style: bold; color: $accent; }
        & > .join--words { color: $foreground; }
        & > .join--muted { color: $text-muted; }
    }
    """

    COMPONENT_CLASSES = {"join--qr", "join--code", "join--words", "join--muted"}

    def __init__(self, url: str, join_url: str, code: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.url, self.join_url, self.code = url, join_url, code
        self.joined = self.connected = 0
        self.qr_shown = True
        self._qr: list[str] | None = None

    def show(self, joined: int, connected: int, qr_shown: bool) -> None:
        if (joined, connected, qr_shown) != (self.joined, self.connected, self.qr_shown):
            self.joined, self.connected, self.qr_shown = joined, connected, qr_shown
            self.refresh(layout=True)

    def render(self) -> Text:
        from leadgame.workshop.qr import qr_lines

        lines = []
        if self.qr_shown:
            if self._qr is None:
                self._qr = qr_lines(self.join_url)
            qr = self.get_component_rich_style("join--qr")
            lines += [Text(line, style=qr) for line in self._qr]
        words = self.get_component_rich_style("join--words")
        line = Text("Join at ", style=words)
        line.append(self.url, style=self.get_component_rich_style("join--code"))
        lines.append(line)
        code = Text("Session code ", style=words)
        code.append(" ".join(self.code), style=self.get_component_rich_style("join--code"))
        lines.append(code)
        lines.append(Text(f"{self.joined} joined · {self.connected} connected now",
                          style=self.get_component_rich_style("join--muted")))
        return Text("\n").join(lines)
