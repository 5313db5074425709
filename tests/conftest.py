"""Shared fixtures: every test gets its own saves folder, and fixture scenarios of its own; the
session keeps its compiled scenarios in a folder of its own, never the user's cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from leadgame.core.loader import load_constructs, load_scenario
from support import FIXTURE_SCENARIOS, MINI


@pytest.fixture(autouse=True, scope="session")
def isolated_cache(tmp_path_factory) -> Path:
    cache = tmp_path_factory.mktemp("compiled")
    os.environ["LEADGAME_CACHE"] = str(cache)
    return cache


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
