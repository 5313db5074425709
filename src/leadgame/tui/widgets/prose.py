"""Markdown prose (scene text, consequences, the debrief's sections) drawn by Rich inside one
widget. Textual's Markdown widget builds a widget per block, which makes every restyle (a
theme, projector mode, a dialog closing) cost tens of milliseconds more; prose needs none of
that. Links show their address and are never opened."""

from __future__ import annotations

from rich.markdown import Markdown
from textual.widgets import Static


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
        self.update(Markdown(source, hyperlinks=False) if source.strip() else "")
