"""A file path shown whole: broken between its parts ("/" and "-"), never in the middle of a
word, so the learner can read it and find the file."""

from __future__ import annotations

import re

from rich.text import Text
from textual.widget import Widget

_PARTS = re.compile(r"[^/\-]*[/\-]|[^/\-]+$")


def wrap_path(path: str, width: int) -> list[str]:
    """`path` in lines of at most `width` cells, each break after a '/' or '-'; a single part
    wider than `width` is the only thing ever cut."""
    width = max(1, width)
    lines, line = [], ""
    for part in _PARTS.findall(path):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        while len(part) > width:
            lines.append(part[:width])
            part = part[width:]
        line += part
    return lines + [line] if line else lines


class PathText(Widget):
    DEFAULT_CSS = """
    PathText { height: auto; text-style: bold; }
    """

    def __init__(self, path: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.path = path

    def render(self) -> Text:
        return Text("\n".join(wrap_path(self.path, self.content_size.width or 80)))

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(wrap_path(self.path, width))
