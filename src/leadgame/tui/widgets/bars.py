"""Construct profiles drawn as scales: each construct's 0-to-10 line with its ends and middle
marked, a ● where the learner stands and a ◆ where the real leaders' path stands.

Marks are glyphs, so a profile still reads under NO_COLOR and in a monochrome terminal; colour
only comes from theme variables via component classes. Equal positions always fall on the same
cell, and nothing is cut: a window too narrow for a row on one line gets it on two.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from leadgame.core.debrief import standing_words
from leadgame.core.scoring import SCALE, ConstructScore

YOU, REAL, BOTH = "●", "◆", "◈"
LINE, LEFT, RIGHT, MIDDLE = "─", "├", "┤", "┼"
MIN_SCALE, MAX_SCALE = 15, 31  # cells; always odd, so the middle has a cell of its own
GAPS = 9  # "  0 " before a scale, " 10  " after it


def legend(with_real: bool) -> str:
    parts = [f"{YOU} you", f"{REAL} the real leaders' path", f"{BOTH} both"] if with_real else [f"{YOU} you"]
    return "   ".join(parts + [f"{MIDDLE} the middle ({SCALE // 2})"])


def cell(on_scale: int, width: int) -> int:
    """The cell of a position told "7 of 10" on a scale `width` cells wide: the mark is where the
    words say, so two positions told alike always share a cell."""
    return round(max(0, min(SCALE, on_scale)) / SCALE * (width - 1))


class ProfileBars(Widget):
    """A profile in the order given (the core's: most distinctive first), one scale per
    construct, with the real leaders' positions when there are any."""

    COMPONENT_CLASSES = {"bars--name", "bars--line", "bars--you", "bars--real", "bars--words", "bars--untested"}

    DEFAULT_CSS = """
    ProfileBars {
        height: auto;
        & > .bars--name { text-style: bold; }
        & > .bars--line { color: $foreground 60%; }
        & > .bars--you { color: $text-accent; text-style: bold; }
        & > .bars--real { color: $text-secondary; text-style: bold; }
        & > .bars--words { color: $foreground; }
        & > .bars--untested { color: $foreground 50%; }
    }
    """

    def __init__(self, scores: Sequence[ConstructScore] = (), real: Mapping[str, ConstructScore] | None = None,
                 *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.scores = tuple(scores)
        self.real = dict(real or {})

    def update(self, scores: Sequence[ConstructScore], real: Mapping[str, ConstructScore] | None = None) -> None:
        self.scores = tuple(scores)
        self.real = dict(real or {})
        self.refresh(layout=True)

    def style(self, part: str) -> Style:
        return self.get_component_rich_style(f"bars--{part}")

    def words(self, score: ConstructScore) -> str:
        """Beside a scale, the same words as plain mode's, a little shorter: "7 of 10 (4
        decisions) · real leaders 8" (the legend above says what the marks are)."""
        real = self.real.get(score.construct.id) if self.real else None
        if score.on_scale is None:
            mine = standing_words(score, None)
        else:
            mine = f"{score.on_scale} of {SCALE} ({score.decisions} decision{'s' if score.decisions != 1 else ''})"
        if real is None:
            return mine
        return f"{mine} · real leaders {'—' if real.on_scale is None else real.on_scale}"

    def scale(self, score: ConstructScore, width: int) -> Text:
        """"0 ├──────┼──●──┤ 10": the whole scale drawn, the marks on it."""
        cells = [LINE] * width
        cells[0], cells[-1], cells[width // 2] = LEFT, RIGHT, MIDDLE
        styles = ["line"] * width
        real = self.real.get(score.construct.id)
        marks = []
        if real is not None and real.on_scale is not None:
            marks.append((cell(real.on_scale, width), REAL, "real"))
        if score.on_scale is not None:
            marks.append((cell(score.on_scale, width), YOU, "you"))
        for index, mark, part in marks:
            both = cells[index] in (REAL, YOU)
            cells[index], styles[index] = (BOTH, "you") if both else (mark, part)
        text = Text("0 ", style=self.style("line"), end="")
        for glyph, part in zip(cells, styles):
            text.append(glyph, style=self.style(part if score.tested or part != "line" else "untested"))
        text.append(f" {SCALE}", style=self.style("line"))
        return text

    def render(self) -> Text:
        return self.drawn(self.content_size.width or self.size.width or 80)

    def drawn(self, width: int) -> Text:
        width = max(20, width)
        if not self.scores:
            return Text("No construct is scored in this scenario.", style=self.style("words"))
        name_width = max(len(s.construct.name) for s in self.scores)
        words_width = max(len(self.words(s)) for s in self.scores)
        one_line = min(MAX_SCALE, width - name_width - words_width - GAPS)
        lines = []
        if one_line >= MIN_SCALE:
            size = one_line - (1 - one_line % 2)
            for score in self.scores:
                line = Text(score.construct.name.ljust(name_width) + "  ", style=self.style("name"), end="")
                line.append_text(self.scale(score, size))
                line.append("  " + self.words(score), style=self.style("words" if score.tested else "untested"))
                lines.append(line)
        else:  # the name on a line of its own and the scale below it, with its words beside it if
            # they fit; else the words go up beside the name
            beside = min(MAX_SCALE, width - words_width - GAPS)
            size = beside if beside >= MIN_SCALE else min(MAX_SCALE, width - GAPS)
            size -= 1 - size % 2
            for score in self.scores:
                name = Text(score.construct.name, style=self.style("name"), end="")
                line = Text("  ", end="") + self.scale(score, size)
                words = Text(self.words(score), style=self.style("words" if score.tested else "untested"))
                if beside >= MIN_SCALE:
                    lines += [name, line + Text("  ") + words]
                else:
                    lines += [name + Text(": ") + words, line]
        return Text("\n").join(lines)

    def get_content_height(self, container, viewport, width: int) -> int:
        """Rows wrap at the widget's width (a long name and its words on a narrow window)."""
        return len(self.drawn(width).wrap(self.app.console, max(1, width)))
