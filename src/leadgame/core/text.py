"""Untrusted text: what may not reach a terminal, a report or a save."""

from __future__ import annotations

import re

# C0 and C1 controls (terminal escapes among them) except tab and newline, and the Unicode
# bidirectional overrides that can make text display differently from what it says.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str, limit: int = 4000) -> str:
    """Text typed or sent by a learner (a note, a team name) without control characters,
    trimmed and cut to `limit` characters."""
    return CONTROL.sub("", str(text)).strip()[:limit]


_MARKDOWN_SIGNS = re.compile(r"([\\`*_\[\]<>#|~])")
_LINE_MARKER = re.compile(r"^(\s*)(\d*)([-+=.)])", re.M)  # a list item or underline at a line's start


def markdown_literal(text: str) -> str:
    """Learner text placed in a Markdown document so that it reads as typed: no heading, list,
    link, emphasis or HTML of its own (the document's sections must stay the document's)."""
    return _LINE_MARKER.sub(r"\1\2\\\3", _MARKDOWN_SIGNS.sub(r"\\\1", text))
