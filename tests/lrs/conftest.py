"""The LRS tests: the fixture scenarios on the search path (Ralph and its accounts are the root
conftest's `ralph` and `lrs` fixtures)."""

from __future__ import annotations

import pytest

from leadgame import locations
from support import FIXTURE_SCENARIOS


@pytest.fixture(autouse=True)
def fixture_library(monkeypatch):
    monkeypatch.setenv(locations.SCENARIOS_ENV, str(FIXTURE_SCENARIOS))
