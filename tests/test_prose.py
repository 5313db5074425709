"""Scenario prose in plain mode: shown exactly as rich.markdown shows it, without loading a
Markdown parser for paragraphs and emphasis; anything more still goes to rich.markdown."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from rich.console import Console
from rich.markdown import Markdown

from leadgame import library, prose
from support import FOLLOWS, MINI, REPO

TRICKY = [
    "", "   ", "a *b* c", "a **b** c", "**a *b* c**", "*a **b** c*", "5 * 3 = 15", "it's 5* better",
    "snake_case_name", "_under_ score", "__strong__ words", "(*in brackets*)", "“*quoted*”", "*a*’s",
    "one\ntwo\n\n\nthree", "  led\n  lines  \n", "a \nb", "*x * y*", "**a * b**", "_a _ b_",
    # Markdown beyond prose: rich.markdown renders these itself
    "- a list\n- of two", "# A heading", "> quoted", "`code`", "a  \nhard break",
    "1. first", "a*b*c", "***both***", "*open only", "**a*", "_a *b_ c*", "a &amp; b", "x\\*y", "~~gone~~",
]


def scenario_texts() -> list[str]:
    texts = []
    for path in [*sorted((REPO / "scenarios").glob("*.yaml")), MINI, FOLLOWS]:
        if path.name == "constructs.yaml":
            continue
        scenario = library.load(path)
        texts += [scenario.intro, *(e.text for e in scenario.endings.values()), *(e.what_really_happened for e in scenario.endings.values())]
        for scene in scenario.scenes.values():
            texts += [scene.text, *(c.consequence for c in scene.choices), *(f"**Coach:** {c.rationale}" for c in scene.choices)]
    return [str(text) for text in texts]


def shown(renderable, width: int, colour: bool) -> str:
    console = Console(file=io.StringIO(), width=width, force_terminal=colour, color_system="truecolor" if colour else None,
                      no_color=not colour)
    console.print(renderable)
    return console.file.getvalue()


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
def test_prose_shows_as_rich_markdown_shows_it(colour):
    texts = scenario_texts() + TRICKY
    for width in (40, 100):
        for text in texts:
            assert shown(prose.markdown(text), width, colour) == shown(Markdown(text), width, colour), text
    fast = [text for text in texts if isinstance(prose.markdown(text), prose.Prose)]
    assert len(fast) > 0.9 * len(scenario_texts())  # what scenarios are written in needs no parser


def test_more_than_prose_goes_to_rich_markdown():
    assert isinstance(prose.markdown("You are **the Director**, *for now*."), prose.Prose)
    for text in ("- a list", "# A heading", "[a link](http://x)", "a*b*c", "*open only", "**a*"):
        assert isinstance(prose.markdown(text), Markdown), text


def test_plain_mode_reaches_its_first_prompt_without_a_markdown_parser():
    barnet = REPO / "scenarios" / "barnet-troubled-families.yaml"
    code = ("import sys\nfrom leadgame.cli import main\n"
            f"main(['play', {str(barnet)!r}, '--plain', '--no-save'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('markdown_it', 'yaml', 'textual')))\n")
    env = {**os.environ, "NO_COLOR": "1"}
    for _ in range(2):  # the first run may compile the scenario
        result = subprocess.run([sys.executable, "-c", code], input="", capture_output=True, text=True, env=env, timeout=60)
    assert "[Enter]" in result.stdout and result.stdout.rstrip().endswith("[]")
