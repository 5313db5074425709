"""Scenario prose on screen: Markdown drawn as one widget."""

from __future__ import annotations

from textual.widgets import Static

from leadgame.prose import markdown


class StoryText(Static):
    """A scene's narrative, a consequence or the coach's reasoning. Prose (paragraphs with
    emphasis) is drawn in one piece, as plain mode draws it, so a new scene costs one repaint
    rather than a tree of Markdown widgets built and laid out afresh; richer Markdown is drawn
    by Rich's Markdown. `source` is the Markdown shown."""

    def __init__(self, source: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.source = ""
        self.show(source)

    def show(self, source: str) -> None:
        """Show `source` (Markdown); with nothing to show, take no room at all."""
        self.source = source
        self.display = bool(source.strip())
        self.update(markdown(source))
