"""Story text for Rich: scenario prose rendered exactly as `rich.markdown` renders it, without
loading a Markdown parser for what prose uses.

Scenarios are written in paragraphs with the odd *emphasis* or **strong** word. That much is
read here, by CommonMark's own rules for emphasis. Anything more (lists, headings, links,
code, an emphasis that only the full rules can settle) goes to `rich.markdown`, imported then:
so plain text pays only for what it uses, and what it shows is what Markdown would show.
"""

from __future__ import annotations

import re
import unicodedata

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

# Markdown beyond paragraphs and emphasis: code, links, HTML, entities, escapes, strikethrough,
# tables, tabs, hard line breaks, and lines that start a heading, quote, list, rule or code block.
_MORE_THAN_PROSE = re.compile(
    r"[`\[\]<&\\~|\t]| {2,}\n"
    r"|^ {0,3}(?:[#>+=-]|\d{1,9}[.)]|\*(?:\s|$)|[*_](?: *[*_]){2,} *$)|^ {4}",
    re.MULTILINE,
)
_DELIMITERS = re.compile(r"\*+|_+")
# CommonMark's whitespace for emphasis (Unicode Zs and these), and its ASCII punctuation.
_WHITESPACE = frozenset("\t\n\x0b\x0c\r \xa0\u1680\u202f\u205f\u3000") | frozenset(map(chr, range(0x2000, 0x200B)))
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class _NotProse(Exception):
    """The text needs the full Markdown rules."""


def markdown(text: str, hyperlinks: bool = True) -> RenderableType:
    """`text` (Markdown) as a Rich renderable that shows it as `rich.markdown.Markdown` does
    (`hyperlinks`: whether links may be followed, or show their address)."""
    try:
        return Prose(_paragraphs(text))
    except _NotProse:
        from rich.markdown import Markdown

        return Markdown(text, hyperlinks=hyperlinks)


class Prose:
    """Paragraphs, each a list of (text, styles) runs, where styles are Markdown tags (`em`,
    `strong`) in the order they were opened."""

    def __init__(self, paragraphs: list[list[tuple[str, tuple[str, ...]]]]):
        self.paragraphs = paragraphs
        self._lines: dict[tuple[int, int], list] = {}  # a screen measures, then draws, at the same width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (id(console), options.max_width)
        if key not in self._lines:
            self._lines[key] = list(self._render(console, options))
        yield from self._lines[key]

    def _render(self, console: Console, options: ConsoleOptions) -> RenderResult:
        base = console.get_style("none") + console.get_style("markdown.paragraph", default="none")
        styles: dict[tuple[str, ...], object] = {(): base}
        for index, runs in enumerate(self.paragraphs):
            text = Text(justify="left")
            for words, tags in runs:
                if tags not in styles:
                    style = base
                    for tag in tags:
                        style += console.get_style(f"markdown.{tag}", default="none")
                    styles[tags] = style
                text.append(words, styles[tags])
            if index:
                yield Segment.line()
            yield from console.render(text, options.update(height=None))


def _paragraphs(text: str) -> list[list[tuple[str, tuple[str, ...]]]]:
    """The paragraphs (between blank lines), each line without its outer spaces."""
    if _MORE_THAN_PROSE.search(text):
        raise _NotProse
    paragraphs, lines = [], []
    for line in text.split("\n"):
        line = line.strip(" ")
        if line:
            lines.append(line)
        elif lines:
            paragraphs.append(_runs("\n".join(lines)))
            lines = []
    if lines:
        paragraphs.append(_runs("\n".join(lines)))
    return paragraphs


def _runs(content: str) -> list[tuple[str, tuple[str, ...]]]:
    """One paragraph's text as styled runs; line breaks inside it read as spaces."""
    runs: list[tuple[str, tuple[str, ...]]] = []
    open_tags: list[str] = []  # the delimiter runs of the emphases open here, innermost last
    position = 0
    for match in _DELIMITERS.finditer(content):
        start, end, run = match.start(), match.end(), match.group()
        opens, closes = _flanking(content, start, end)
        if not opens and not (closes and open_tags):
            continue  # a literal `*` or `_` (a closer with nothing open is one too), kept in the text
        if (opens and closes) or len(run) > 2 or (not opens and open_tags[-1] != run):
            raise _NotProse  # settled only by the full rules
        _add(runs, content[position:start], open_tags)
        position = end
        if opens:
            open_tags.append(run)
        else:
            open_tags.pop()
    _add(runs, content[position:], open_tags)
    if open_tags:
        raise _NotProse  # an emphasis never closed: the full rules decide what shows
    return runs


def _add(runs: list, words: str, open_tags: list[str]) -> None:
    """Words in the styles open, each line break a space of its own (as Markdown's soft break)."""
    tags = tuple("strong" if len(run) == 2 else "em" for run in open_tags)
    for index, line in enumerate(words.split("\n")):
        if index:
            runs.append((" ", tags))
        if line:
            runs.append((line, tags))


def _flanking(content: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether the delimiter run content[start:end] can open and can close emphasis (CommonMark:
    left- and right-flanking runs; `_` may not open or close inside a word)."""
    before = content[start - 1] if start else " "
    after = content[end] if end < len(content) else " "
    before_space, after_space = before in _WHITESPACE, after in _WHITESPACE
    before_punct, after_punct = _punctuation(before), _punctuation(after)
    left = not (after_space or (after_punct and not (before_space or before_punct)))
    right = not (before_space or (before_punct and not (after_space or after_punct)))
    if content[start] == "*":
        return left, right
    return left and (not right or before_punct), right and (not left or after_punct)


def _punctuation(char: str) -> bool:
    return char in _ASCII_PUNCTUATION or (char >= "\x80" and unicodedata.category(char)[0] in "PS")
