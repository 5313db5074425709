"""Hanging indents for terminal text: a marker column, and text that wraps under itself."""

from __future__ import annotations

from typing import Sequence

from rich.table import Table
from rich.text import Text


def hanging(rows: Sequence[tuple[str, Text]], marker_width: int | None = None, expand: bool = False) -> Table:
    """Rows of (marker, text), e.g. ("2.", label): the text wraps under itself, not the marker."""
    grid = Table.grid(padding=(0, 1), expand=expand)
    grid.add_column(no_wrap=True, justify="right", style="bold", width=marker_width)
    grid.add_column(ratio=1)
    for marker, text in rows:
        grid.add_row(marker, text)
    return grid
