"""Paths and helpers shared by the tests (imported by name; conftest modules are not importable
reliably once several folders have one)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
FIXTURE_SCENARIOS = FIXTURES / "scenarios"
MINI = FIXTURE_SCENARIOS / "mini.yaml"
FOLLOWS = FIXTURES / "follows" / "follows.yaml"  # format 2: text that follows the story state
REPO = TESTS.parent


def scenario_header(version: int = 1, state: str = "  trust: 0\n") -> str:
    """The top of a small scenario file, up to its scenes: every required key, the given
    `format` and `state:` lines, and `start: one`."""
    return (f"format: {version}\nid: t\ntitle: T\nsummary: s\nplace: p\nyears: \"2010\"\nrole: r\nminutes: 5\n"
            f"intro: i\nlearning_objectives: [a]\nsources: [b]\nreflection: [c]\nstate:\n{state}start: one\n")


ENDING_TAIL = "endings:\n  - id: fin\n    title: F\n    text: t\n    what_really_happened: w\n"


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `leadgame` as a user would, in a fresh process."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "leadgame.cli", *args],
        input=input, capture_output=True, text=True, env=full_env, timeout=timeout, cwd=REPO,
    )
