"""The LRS tests: one Ralph for the whole run (it takes seconds to start), an account of its own
for each test, and the fixture scenarios on the search path."""

from __future__ import annotations

import pytest
from lrs_helpers import RalphLrs

from leadgame import locations
from support import FIXTURE_SCENARIOS


@pytest.fixture(autouse=True)
def fixture_library(monkeypatch):
    monkeypatch.setenv(locations.SCENARIOS_ENV, str(FIXTURE_SCENARIOS))


@pytest.fixture(scope="session")
def ralph(tmp_path_factory):
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
