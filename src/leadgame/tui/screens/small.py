"""Shown instead of the game while the terminal is smaller than the layout needs; the screen
beneath (and the game) is untouched, and comes back when the window grows again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 60, 16


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static(id="too-small", markup=False)

    def on_mount(self) -> None:
        self.describe()

    def on_resize(self) -> None:
        self.describe()

    def describe(self) -> None:
        width, height = self.app.size
        saved = "Your game is saved; q quits." if getattr(self.app, "current", None) is not None else "q quits."
        self.query_one("#too-small", Static).update(
            f"This window is too small for leadgame ({width}×{height}); it needs {MIN_WIDTH}×{MIN_HEIGHT}.\n\n"
            f"Make the window larger or the font smaller, and the game comes back where you left it. {saved}"
        )
