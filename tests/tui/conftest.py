"""Fixtures for the TUI tests: the fixture scenario on the search path, a saves folder per test
(from the root conftest), a working folder for exports, and helpers to drive the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import FIXTURE_SCENARIOS

from leadgame import locations
from leadgame.core.session import Session


@pytest.fixture(autouse=True)
def fixture_library(monkeypatch, tmp_path) -> Path:
    monkeypatch.setenv(locations.SCENARIOS_ENV, str(FIXTURE_SCENARIOS))
    monkeypatch.chdir(tmp_path)  # exports land here
    return FIXTURE_SCENARIOS


@pytest.fixture
def mini_scenario():
    from leadgame import library

    return library.load(FIXTURE_SCENARIOS / "mini.yaml")


@pytest.fixture
def new_game(mini_scenario):
    """A new game of the fixture scenario with a fixed save name; `choices` are played first."""

    def make(name: str = "fixture", coached: bool = False, choices: tuple[str, ...] = ()) -> Session:
        game = Session.new(mini_scenario, locations.saves_dir(), name=name, seed=0, coached=coached)
        for choice in choices:
            game.choose(choice)
        return game

    return make
