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
REPO = TESTS.parent


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `leadgame` as a user would, in a fresh process."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "leadgame.cli", *args],
        input=input, capture_output=True, text=True, env=full_env, timeout=timeout, cwd=REPO,
    )


def flags_scenario(folder: Path, flags: int, growing: bool = False) -> Path:
    """A valid scenario whose story state explodes (benchmarks/generate.py), with its catalogue."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    (Path(folder) / "constructs.yaml").write_text((FIXTURE_SCENARIOS / "constructs.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return generate.write_flags(Path(folder), flags, growing)
