"""Untrusted text: what may not reach a terminal, a report or a save.

One rule for every string a learner or a file controls (a note, a team, a save's name or any
field of a save or room session): `clean_text` takes out control characters, terminal escapes
and bidirectional overrides. Each output then adds what its format needs on top of that rule:
`markdown_text` escapes Markdown's special characters, `csv_cell` keeps a spreadsheet from
running a cell as a formula, and HTML is escaped with `html.escape(clean_text(...))`.
"""

from __future__ import annotations

import re

# C0 and C1 controls (terminal escapes among them) except tab and newline, and the Unicode
# bidirectional overrides that can make text display differently from what it says.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"\s*[\t\n]\s*")

# Characters with a meaning somewhere in Markdown (CommonMark and GitHub's: emphasis, code,
# links and images, raw HTML and entities, tables, strikethrough, autolinks, lists and headings,
# `=` among them for a heading's underline when lines are joined).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-=.!|<>~&:@$^])")

# OWASP's CSV injection guard: a cell starting with any of these may run as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r\n\0")


def clean_text(text: object, limit: int = 4000) -> str:
    """Text typed or sent by a learner, or read from a file, without control characters, trimmed
    and cut to `limit` characters. Tabs and line breaks stay."""
    return CONTROL.sub("", str(text)).strip()[:limit]


def clean_line(text: object, limit: int = 4000) -> str:
    """`clean_text` on one line: tabs and line breaks become single spaces."""
    return _BREAKS.sub(" ", clean_text(text, limit))


def markdown_text(text: object) -> str:
    """Untrusted text for a Markdown document: one line, every special character escaped, so a
    team called `[win](http://x)` or `![](http://x/i.png)` stays words and never a link."""
    return _MARKDOWN.sub(r"\\\1", clean_line(text))


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula: numbers as they are, text cleaned to
    one line and prefixed with ' when it starts like a formula (checked before and after cleaning)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raw = str(value)
    text = clean_line(raw)
    return "'" + text if raw[:1] in FORMULA_STARTS or text[:1] in FORMULA_STARTS else text
