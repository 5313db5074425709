"""Shared fixtures: every test gets its own saves folder, and fixture scenarios of its own; the
tests that need a real LRS get one Ralph for the whole run (it takes seconds to start) and an
account of their own on it; the session keeps its compiled scenarios in a folder of its own,
never the user's cache."""

from __future__ import annotations

import inspect
import os
from pathlib import Path

import pytest
from hypothesis import is_hypothesis_test

from leadgame.core import expressions
from leadgame.core.loader import load_constructs, load_scenario
from support import FIXTURE_SCENARIOS, MINI


def pytest_sessionstart(session):
    """Each run starts with no condition parsed: mutation testing runs each change in a process
    forked from one that has run the tests already, whose parsed conditions would hide a change
    to the parser from every test."""
    expressions.parse.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def isolated_cache(tmp_path_factory) -> Path:
    cache = tmp_path_factory.mktemp("compiled")
    os.environ["LEADGAME_CACHE"] = str(cache)
    return cache


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """A compiled-scenario cache of the test's own, empty."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("LEADGAME_CACHE", str(folder))
    return folder


@pytest.fixture(autouse=True)
def isolated_saves(tmp_path, monkeypatch) -> Path:
    saves = tmp_path / "saves"
    monkeypatch.setenv("LEADGAME_SAVES", str(saves))
    # Settings of the test's own: no developer's LRS settings reach a test.
    monkeypatch.setenv("LEADGAME_CONFIG", str(tmp_path / "config" / "config.toml"))
    for name in [n for n in os.environ if n.startswith("LEADGAME_LRS_")]:
        monkeypatch.delenv(name)
    return saves


@pytest.fixture(scope="session")
def catalogue():
    return load_constructs(FIXTURE_SCENARIOS / "constructs.yaml")


@pytest.fixture(scope="session")
def mini(catalogue):
    return load_scenario(MINI, catalogue)


@pytest.fixture(scope="session")
def ralph(tmp_path_factory):
    from lrs_helpers import RalphLrs

    lrs = RalphLrs(tmp_path_factory.mktemp("ralph"))
    lrs.start()
    try:
        yield lrs
    finally:
        lrs.stop()


@pytest.fixture
def lrs(ralph):
    """An account on the running Ralph whose statements file is this test's alone."""
    if ralph.process is None:  # a test that stopped it failed before starting it again
        ralph.start()
    return ralph.account()


# What a test calls to start leadgame in another process (directly or through a helper here).
_OTHER_PROCESS = ("run_cli(", "Terminal(", "Popen(", "subprocess.run(", "run_faulty(")


def pytest_collection_modifyitems(items):
    """Mark the tests that start another process `subprocess`: mutation testing (which sees only
    this process) leaves them out, and `-m "not subprocess"` gives a quick in-process run.

    The tests run in the order they are written, property-based ones (the slowest, and the least
    direct in naming what broke) last, whatever order they were named in: mutation testing names
    the tests that reach a change in no order and stops at the first that fails."""
    written = {item: index for index, item in enumerate(items)}
    items.sort(key=lambda item: (is_hypothesis_test(getattr(item, "obj", None)), str(item.path), item.location[1], written[item]))
    for item in items:
        function = getattr(item, "function", None)
        try:
            source = inspect.getsource(function) if function is not None else ""
        except (OSError, TypeError):
            continue
        if any(call in source for call in _OTHER_PROCESS):
            item.add_marker(pytest.mark.subprocess)
