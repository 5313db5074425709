"""Shared fixtures: every test gets its own saves folder, and fixture scenarios of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from leadgame.core.loader import load_constructs, load_scenario

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
FIXTURE_SCENARIOS = FIXTURES / "scenarios"
MINI = FIXTURE_SCENARIOS / "mini.yaml"
REPO = TESTS.parent


@pytest.fixture(autouse=True)
def isolated_saves(tmp_path, monkeypatch) -> Path:
    saves = tmp_path / "saves"
    monkeypatch.setenv("LEADGAME_SAVES", str(saves))
    return saves


@pytest.fixture(scope="session")
def catalogue():
    return load_constructs(FIXTURE_SCENARIOS / "constructs.yaml")


@pytest.fixture(scope="session")
def mini(catalogue):
    return load_scenario(MINI, catalogue)


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `leadgame` as a user would, in a fresh process."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "leadgame.cli", *args],
        input=input, capture_output=True, text=True, env=full_env, timeout=timeout, cwd=REPO,
    )
