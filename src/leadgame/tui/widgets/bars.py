"""Construct profiles as horizontal bars: one learner's profile, or two side by side.

Bars are drawn with full and light block characters, so the length still reads under NO_COLOR
and in a monochrome terminal; colour only comes from theme variables via component classes.
"""

from __future__ import annotations

from typing import Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from leadgame.core.scoring import SCALE, ConstructScore

FULL, EMPTY, UNTESTED = "█", "░", "·"
STACK_BELOW = 50  # narrower than this, a bar goes on the line below its construct's name
MAX_BAR = 40


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells with an ellipsis, or padded to it."""
    if width <= 0:
        return ""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


class BarsBase(Widget):
    """Shared drawing for the bar widgets; subclasses say which rows to draw."""

    COMPONENT_CLASSES = {"bars--name", "bars--filled", "bars--empty", "bars--score", "bars--heading"}

    DEFAULT_CSS = """
    BarsBase {
        height: auto;
        & > .bars--name { text-style: bold; }
        & > .bars--filled { color: $accent; }
        & > .bars--empty { color: $foreground 30%; }
        & > .bars--score { color: $foreground; }
        & > .bars--heading { text-style: bold underline; color: $foreground; }
    }
    """

    def style(self, part: str) -> Style:
        return self.get_component_rich_style(f"bars--{part}")

    def bar(self, position: float | None, width: int) -> Text:
        if position is None:
            return Text(UNTESTED * width, style=self.style("empty"), end="")
        filled = round(max(0.0, min(1.0, position)) * width)
        text = Text(FULL * filled, style=self.style("filled"), end="")
        text.append(EMPTY * (width - filled), style=self.style("empty"))
        return text

    def bar_and_score(self, score: ConstructScore, width: int) -> Text:
        text = self.bar(score.position, max(1, width - 6))
        shown = "  —" if score.on_scale is None else f"{score.on_scale:>3}"
        text.append(f" {shown}/{SCALE}", style=self.style("score"))
        return text


class ProfileBars(BarsBase):
    """One profile, strongest first (the order the core gives), one bar per construct."""

    def __init__(self, scores: Sequence[ConstructScore] = (), *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.scores = tuple(scores)

    def update(self, scores: Sequence[ConstructScore]) -> None:
        self.scores = tuple(scores)
        self.refresh(layout=True)

    def render(self) -> Text:
        width = max(10, self.content_size.width or self.size.width or 40)
        lines = []
        if width < STACK_BELOW:
            for score in self.scores:
                lines.append(Text(fit(score.construct.name, width), style=self.style("name"), end=""))
                lines.append(self.bar_and_score(score, width))
        else:
            name_width = min(max((len(s.construct.name) for s in self.scores), default=10), width // 2)
            for score in self.scores:
                line = Text(fit(score.construct.name, name_width) + " ", style=self.style("name"), end="")
                line.append_text(self.bar_and_score(score, min(MAX_BAR, width - name_width - 1)))
                lines.append(line)
        return Text("\n").join(lines)


class CompareBars(BarsBase):
    """Two profiles side by side, in the first profile's order, with a column each."""

    def __init__(self, first: Sequence[ConstructScore], second: Sequence[ConstructScore],
                 headings: tuple[str, str] = ("First run", "What if"), *, id: str | None = None):
        super().__init__(id=id)
        self.first = tuple(first)
        self.second = {s.construct.id: s for s in second}
        self.headings = headings

    def render(self) -> Text:
        width = max(30, self.content_size.width or self.size.width or 80)
        column = max(10, min(30, (width - 2) // 4))
        name_width = width - 2 * (column + 1)
        lines = [Text(" " * name_width, end="")]
        for heading in self.headings:
            lines[0].append(" " + fit(heading, column), style=self.style("heading"))
        for score in self.first:
            other = self.second.get(score.construct.id)
            line = Text(fit(score.construct.name, name_width), style=self.style("name"), end="")
            line.append(" ")
            line.append_text(self.bar_and_score(score, column))
            line.append(" ")
            line.append_text(self.bar_and_score(other, column) if other else Text(fit("—", column)))
            lines.append(line)
        return Text("\n").join(lines)
