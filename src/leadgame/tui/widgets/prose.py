"""Markdown prose (scene text, consequences, the debrief's sections) drawn by Rich inside one
widget. Textual's Markdown widget builds a widget per block, which makes every restyle (a
theme, projector mode, a dialog closing) cost tens of milliseconds more; prose needs none of
that. Plain paragraphs with emphasis are drawn as plain mode draws them, without a Markdown
parser; anything richer by Rich's Markdown. Links show their address and are never opened."""

from __future__ import annotations

from textual.widgets import Static

from leadgame.prose import markdown


class Prose(Static):
    DEFAULT_CSS = """
    Prose { height: auto; }
    """

    def __init__(self, source: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.show(source)

    def show(self, source: str) -> None:
        """Draw `source`, Markdown; an empty text draws nothing."""
        self.source = source
        self.update(markdown(source, hyperlinks=False) if source.strip() else "")
