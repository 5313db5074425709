"""Shared fixtures: every test gets its own saves folder, and fixture scenarios of its own."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from leadgame.core.loader import load_constructs, load_scenario
from support import FIXTURE_SCENARIOS, MINI


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


# What a test calls to start leadgame in another process (directly or through a helper here).
_OTHER_PROCESS = ("run_cli(", "Terminal(", "Popen(", "subprocess.run(", "run_faulty(")


def pytest_collection_modifyitems(items):
    """Mark the tests that start another process `subprocess`: mutation testing (which sees only
    this process) leaves them out, and `-m "not subprocess"` gives a quick in-process run."""
    for item in items:
        function = getattr(item, "function", None)
        try:
            source = inspect.getsource(function) if function is not None else ""
        except (OSError, TypeError):
            continue
        if any(call in source for call in _OTHER_PROCESS):
            item.add_marker(pytest.mark.subprocess)
