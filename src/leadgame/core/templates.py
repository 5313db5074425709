"""Text that follows the story: `{trust}` and `{cafe_funded: Lena came to the café.|Lena stayed away.}`.

In a format-2 scenario, scene text, consequences and ending text may hold two kinds of
placeholder, in the spirit of ink's `{flag: a|b}` and ChoiceScript's `${var}`:

- `{name}` shows the value of a whole-number or listed-text variable;
- `{condition: shown when true}` or `{condition: shown when true|shown when false}`, where the
  condition is the same small language as `if:` and either branch may hold placeholders of its own.

`\\{`, `\\}` and `\\|` stand for the characters themselves. Text is parsed once, at load, into a
small tree kept on a `Template` (a `str` of the author's source, so anything that only stores or
compares text is unaffected); `render` turns it into what the learner reads, a pure function of
the template and the story variables. Nothing is ever evaluated as code, and nesting is bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

from leadgame.core import expressions
from leadgame.core.expressions import Expression

MAX_NESTING = 8
ESCAPABLE = "{}|"
_SPECIAL = re.compile(r"[{}|\\]")
_NAME = re.compile(r"\s*([a-z0-9][a-z0-9_-]{0,63})\s*$")


class TemplateError(ValueError):
    """Text that cannot be parsed; `offset` is where in the text (0-based) the problem is, and
    `expression` is set when the problem lies inside a condition."""

    def __init__(self, message: str, offset: int, expression: bool = False):
        super().__init__(message)
        self.offset = offset
        self.expression = expression


Position = tuple[int, int]  # (line, column) in the file, 1-based


@dataclass(frozen=True, eq=False)  # compared by identity: each placeholder is one place in one file
class Interpolation:
    name: str
    at: Position  # of the `{`


@dataclass(frozen=True, eq=False)
class Conditional:
    condition: Expression
    then: tuple  # parts shown when the condition holds
    otherwise: tuple | None  # parts shown when it does not (None: nothing)
    at: Position  # of the `{`
    then_at: Position  # of the text after `:`
    otherwise_at: Position  # of the text after `|`, or of the closing `}` when there is no `|`


class Template(str):
    """A text with placeholders: the author's source as a `str`, plus its parsed parts."""

    parts: tuple
    names: frozenset[str]
    conditionals: tuple[Conditional, ...]  # every conditional, outer ones first

    def __new__(cls, source: str, parts: tuple):
        template = super().__new__(cls, source)
        template.parts = parts
        found: list[Conditional] = []
        names: set[str] = set()
        _collect(parts, found, names)
        template.conditionals = tuple(found)
        template.names = frozenset(names)
        return template


def _collect(parts: tuple, found: list[Conditional], names: set[str]) -> None:
    for part in parts:
        if isinstance(part, Interpolation):
            names.add(part.name)
        elif isinstance(part, Conditional):
            found.append(part)
            names.update(part.condition.names)
            _collect(part.then, found, names)
            _collect(part.otherwise or (), found, names)


def has_placeholders(text: str) -> bool:
    return any(not isinstance(part, str) for part in getattr(text, "parts", ()))


def parse(source: str, locate: Callable[[int], Position] | None = None) -> str:
    """`source` as a Template, or unchanged when it holds nothing to parse; raises TemplateError.
    `locate` turns an offset in `source` into its place in the file, for the checker's findings."""
    if not _SPECIAL.search(source):
        return source
    parts, _ = _Parser(source, locate or _offset_only).parts(0, 0, top=True)
    return Template(source, parts)


def _offset_only(offset: int) -> Position:
    return (1, offset + 1)


class _Parser:
    def __init__(self, source: str, locate: Callable[[int], Position]):
        self.source = source
        self.locate = locate

    def parts(self, position: int, depth: int, top: bool = False) -> tuple[tuple, int]:
        """Parts from `position` up to a closing `}` or branch `|` (not consumed), or the end."""
        source = self.source
        parts: list = []
        literal: list[str] = []
        while True:
            match = _SPECIAL.search(source, position)
            stop = match.start() if match else len(source)
            literal.append(source[position:stop])
            if match is None:
                position = stop
                break
            char = match.group()
            if char == "\\":
                following = source[stop + 1: stop + 2]
                if following and following in ESCAPABLE:
                    literal.append(following)
                    position = stop + 2
                else:
                    literal.append("\\")
                    position = stop + 1
                continue
            if char == "{":
                if depth >= MAX_NESTING:
                    raise TemplateError(f"conditional text nested deeper than {MAX_NESTING} levels", stop)
                text = "".join(literal)
                if text:
                    parts.append(text)
                literal = []
                placeholder, position = self.placeholder(stop, depth + 1)
                parts.append(placeholder)
                continue
            if top and char == "}":
                raise TemplateError("a `}` closes nothing; write `\\}` for the character itself", stop)
            if top:  # a `|` outside any placeholder is just a character
                literal.append("|")
                position = stop + 1
                continue
            position = stop
            break
        text = "".join(literal)
        if text:
            parts.append(text)
        return tuple(parts), position

    def placeholder(self, opening: int, depth: int):
        """The placeholder whose `{` is at `opening`, and the position after its `}`."""
        source = self.source
        colon = _first_of(source, ":{}|\n", opening + 1)
        if colon is None or source.find("}", opening) == -1:
            raise TemplateError("a `{` is never closed; write `\\{` for the character itself", opening)
        mark = source[colon]
        if mark == "}":
            return self.interpolation(opening, colon), colon + 1
        if mark != ":":
            raise TemplateError("write `{name}` to show a variable, or `{condition: text|other text}`", opening)
        condition = self.condition(opening, colon)
        then_start = colon + 1
        while then_start < len(source) and source[then_start] == " ":
            then_start += 1
        then, position = self.parts(colon + 1, depth)
        otherwise = None
        otherwise_start = position
        if position < len(source) and source[position] == "|":
            otherwise_start = position + 1
            otherwise, position = self.parts(otherwise_start, depth)
            if position < len(source) and source[position] == "|":
                raise TemplateError("conditional text takes at most two branches, `{condition: if true|if false}`; "
                                    "nest another `{…}` for more", position)
        if position >= len(source):
            raise TemplateError("a `{` is never closed; write `\\{` for the character itself", opening)
        locate = self.locate
        return Conditional(condition, then, otherwise, locate(opening), locate(then_start), locate(otherwise_start)), position + 1

    def interpolation(self, opening: int, closing: int) -> Interpolation:
        inside = self.source[opening + 1: closing]
        match = _NAME.match(inside)
        if not match:
            if not inside.strip():
                raise TemplateError("empty `{}`: put a variable name inside, or write `\\{\\}`", opening)
            raise TemplateError("write `{name}` to show a variable, or `{condition: text|other text}`", opening)
        return Interpolation(match.group(1), self.locate(opening))

    def condition(self, opening: int, colon: int) -> Expression:
        source = self.source[opening + 1: colon]
        leading = len(source) - len(source.lstrip())
        try:
            return expressions.parse(source)
        except expressions.ExpressionError as error:
            raise TemplateError(str(error), opening + 1 + leading + error.column - 1, expression=True) from None


def _first_of(source: str, characters: str, start: int) -> int | None:
    best = None
    for char in characters:
        found = source.find(char, start, best if best is not None else len(source))
        if found != -1:
            best = found
    return best


# --- reading a template ---------------------------------------------------------------------


def render(text: str, variables: Mapping[str, object]) -> str:
    """What the learner reads: `text` with its placeholders filled from `variables`."""
    parts = getattr(text, "parts", None)
    if parts is None:
        return text
    out: list[str] = []
    _render(parts, variables, out, False)
    return "".join(out)


def _render(parts: tuple, variables: Mapping[str, object], out: list[str], boundary: bool) -> None:
    """Append the rendered parts to `out`. As in ink, spaces never double up where conditional
    text starts or ends: `Lena {cafe: came|stayed away}.` reads the same either way, and an
    empty branch leaves one space, not two."""
    for part in parts:
        if type(part) is str:
            if boundary and part[0] == " " and (not out or out[-1][-1] in " \n"):
                part = part.lstrip(" ")
            if part:
                out.append(part)
            boundary = False
        elif isinstance(part, Interpolation):
            out.append(str(variables[part.name]))
            boundary = False
        else:
            branch = part.then if part.condition.evaluate(variables) else part.otherwise
            _render(branch or (), variables, out, True)
            boundary = True


def evaluated(text: str, variables: Mapping[str, object]) -> Iterator[tuple[Conditional, bool]]:
    """Each conditional a render of `text` with `variables` decides, with how it decides: the
    checker records these over every reachable state to find text no state can show."""
    stack = [getattr(text, "parts", ())]
    while stack:
        for part in stack.pop():
            if isinstance(part, Conditional):
                value = part.condition.evaluate(variables)
                yield part, value
                branch = part.then if value else part.otherwise
                if branch:
                    stack.append(branch)


def longest(text: str) -> str:
    """The text with each conditional replaced by its longer branch and each `{name}` by the
    name: what a word count should see."""
    parts = getattr(text, "parts", None)
    if parts is None:
        return text
    return _longest(parts)


def _longest(parts: tuple) -> str:
    out = []
    for part in parts:
        if type(part) is str:
            out.append(part)
        elif isinstance(part, Interpolation):
            out.append(part.name)
        else:
            branches = [_longest(part.then), _longest(part.otherwise or ())]
            out.append(max(branches, key=lambda branch: len(branch.split())))
    return "".join(out)


def escape(text: str) -> str:
    """Literal text written so that a format-2 reader shows it unchanged: a backslash before
    every brace, and before a bar that follows a backslash (which would otherwise escape it)."""
    out = []
    previous = ""
    for char in text:
        if char in "{}" or (char == "|" and previous == "\\"):
            out.append("\\")
        out.append(char)
        previous = char
    return "".join(out)
