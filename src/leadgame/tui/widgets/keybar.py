"""The key bar along the bottom of every screen: the keys that screen answers to, drawn as one
line of text. Textual's Footer builds a widget per key and rebuilds them all whenever focus or
bindings change, which made every key press pay for restyling a dozen widgets; this bar only
redraws its line. A click on a key presses it."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from leadgame.tui.keys import key_name


class KeyBar(Widget):
    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--disabled"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        & > .keybar--key { color: $footer-key-foreground; text-style: bold; }
        & > .keybar--description { color: $footer-description-foreground; }
        & > .keybar--disabled { color: $foreground 40%; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.spans: list[tuple[int, int, str]] = []  # (first cell, last cell + 1, key) for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def shown(self) -> list[tuple[str, str, str, bool]]:
        """(key, its name, what it does, enabled) for each binding the screen shows, one per action."""
        seen, keys = set(), []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((key, self.app.get_key_display(binding), binding.description, active.enabled))
        return keys

    def render(self) -> Text:
        text, spans = Text(no_wrap=True, overflow="crop", end=""), []
        for key, name, description, enabled in self.shown():
            start = len(text) + 1
            text.append(f" {name}", style=self.get_component_rich_style("keybar--key" if enabled else "keybar--disabled"))
            text.append(f" {description} ", style=self.get_component_rich_style("keybar--description" if enabled else "keybar--disabled"))
            spans.append((start, len(text), key))
        palette = f" {key_name(self.app.COMMAND_PALETTE_BINDING)} commands "
        width = self.size.width
        if self.app.ENABLE_COMMAND_PALETTE and len(text) + len(palette) + 2 <= width:
            gap = width - len(text) - len(palette)
            text.append(" " * gap)
            spans.append((len(text), len(text) + len(palette), self.app.COMMAND_PALETTE_BINDING))
            text.append(palette, style=self.get_component_rich_style("keybar--description"))
        self.spans = spans
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self.spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
