"""The learner's path as a picture: one card per decision, down a line, each told once: the
options as they were offered (the one taken marked ▶, the others dimmed, the real leaders' ◆),
what the real leaders chose, what the choice gained and cost, what followed and why, and the
learner's own note. A passage is one dimmed line on the way."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from leadgame.core.debrief import OTHER, SAME, Juncture, cited, signed
from leadgame.core.model import Source
from leadgame.tui.widgets.bars import REAL
from leadgame.tui.widgets.hanging import hanging

TAKEN, NOT_TAKEN, NOTE = "▶", "·", "✎"


def path_legend(with_real: bool) -> str:
    return f"{TAKEN} your choice   {NOT_TAKEN} not taken" + (f"   {REAL} the real leaders' choice" if with_real else "")


class JunctureView(Widget):
    COMPONENT_CLASSES = {"juncture--title", "juncture--when", "juncture--chosen", "juncture--other", "juncture--real",
                         "juncture--label", "juncture--note"}

    DEFAULT_CSS = """
    JunctureView {
        height: auto;
        border-left: thick $primary 60%;
        padding: 0 0 0 1;
        margin: 1 0 0 0;
        &.-passage { border-left: dashed $foreground 40%; margin: 0; }
        & > .juncture--title { text-style: bold; color: $text-primary; }
        & > .juncture--when { text-style: italic; color: $text-muted; }
        & > .juncture--chosen { text-style: bold; }
        & > .juncture--other { color: $text-muted; }
        & > .juncture--real { color: $text-secondary; text-style: bold; }
        & > .juncture--label { text-style: bold; }
        & > .juncture--note { color: $text-accent; }
    }
    """

    def __init__(self, juncture: Juncture, source: Source, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="" if juncture.decision else "-passage")
        self.juncture = juncture
        self.source = source  # the case's own wording for its references

    def style(self, part: str) -> Style:
        return self.get_component_rich_style(f"juncture--{part}")

    def render(self) -> RenderableType:
        juncture = self.juncture
        entry = juncture.entry
        if not juncture.decision:
            text = Text(f"Then: {entry.scene_title}", style=self.style("when"))
            return Group(text, *self.note()) if juncture.note else text
        parts: list[RenderableType] = [Text(f"{entry.number}. {entry.scene_title}", style=self.style("title"))]
        if entry.when:
            parts.append(Text(entry.when, style=self.style("when")))
        parts.append(hanging([self.option_row(option) for option in juncture.options]))
        real = self.real_words()
        if real:
            parts.append(real)
        changes = self.changes()
        if changes:
            parts.append(changes)
        if entry.consequence.strip():
            parts.append(Markdown(entry.consequence.strip()))
        if juncture.rationale.strip():
            parts.append(Markdown(f"*Why:* {juncture.rationale.strip()}{cited(juncture.ref, self.source)}"))
        parts += self.note()
        return Group(*parts)

    def option_row(self, option) -> tuple[str, Text]:
        text = Text(option.label, style=self.style("chosen" if option.chosen else "other"))
        if option.real:
            text.append(f"  {REAL} the real leaders", style=self.style("real"))
        return (TAKEN if option.chosen else NOT_TAKEN, text)

    def real_words(self) -> Text | None:
        """What the real leaders chose here (the ▶ above already says what the learner chose)."""
        real = self.juncture.real
        if real.kind in (SAME, OTHER):
            return Text.assemble(("The real leaders chose: ", self.style("label")),
                                 (real.words(self.source), self.style("real") if real.kind == OTHER else Style()))
        if real.kind:
            return Text(f"The real leaders: {real.words(self.source)}", style=self.style("when"))
        return None

    def changes(self) -> Text | None:
        juncture = self.juncture
        text = Text()
        for label, changes in (("Gained: ", juncture.gains), ("Cost: ", juncture.costs)):
            if changes:
                if text:
                    text.append("\n")
                text.append(label, style=self.style("label"))
                text.append(", ".join(f"{c.name} {signed(c.delta)}" for c in changes))
        return text or None

    def note(self) -> list[Text]:
        if not self.juncture.note:
            return []
        return [Text.assemble((f"{NOTE} Your note: ", self.style("label")), (self.juncture.note, self.style("note")))]
