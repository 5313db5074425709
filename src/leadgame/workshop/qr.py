"""A QR code drawn with text, for a terminal: two rows of modules per line of half blocks.

Dark modules are drawn as the characters' foreground, so the widget showing it must set a dark
foreground on a light background whatever the theme (a reversed code does not scan everywhere).
"""

from __future__ import annotations

UPPER, LOWER, BOTH, NEITHER = "▀", "▄", "█", " "
QUIET = 2  # modules of light border: the standard asks 4, phone cameras read 2 on a screen


def qr_lines(data: str, quiet: int = QUIET) -> list[str]:
    import segno

    code = segno.make(data, error="l", micro=False)
    matrix = [list(row) for row in code.matrix]
    size = len(matrix)
    blank = [0] * (size + 2 * quiet)
    rows = [blank] * quiet + [[0] * quiet + row + [0] * quiet for row in matrix] + [blank] * quiet
    if len(rows) % 2:
        rows.append(blank)
    lines = []
    for top, bottom in zip(rows[0::2], rows[1::2]):
        lines.append("".join((BOTH if b else UPPER) if t else (LOWER if b else NEITHER) for t, b in zip(top, bottom)))
    return lines
