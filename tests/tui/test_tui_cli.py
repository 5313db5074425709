"""`leadgame` opens the Textual app on a terminal, and plain mode otherwise."""

from __future__ import annotations

import sys

import pytest
from tui_helpers import FIXTURE_SCENARIOS

from leadgame import cli


class FakeTTY:
    def __init__(self, stream, tty: bool):
        self.stream, self.tty = stream, tty

    def isatty(self) -> bool:
        return self.tty

    def __getattr__(self, name):
        return getattr(self.stream, name)


@pytest.fixture
def opened(monkeypatch):
    """Record what would have been run instead of running it."""
    calls = []
    import leadgame.plain
    import leadgame.tui.app

    monkeypatch.setattr(leadgame.tui.app, "run_tui", lambda game=None, notes=(): calls.append(("tui", game)) or 0)
    monkeypatch.setattr(leadgame.plain, "run", lambda game, notes=(), console=None: calls.append(("plain", game)) or 0)
    return calls


def terminal(monkeypatch, tty: bool) -> None:
    monkeypatch.setattr(sys, "stdin", FakeTTY(sys.stdin, tty))
    monkeypatch.setattr(sys, "stdout", FakeTTY(sys.stdout, tty))


def test_a_terminal_gets_the_app(monkeypatch, opened):
    terminal(monkeypatch, True)
    assert cli.main(["play", str(FIXTURE_SCENARIOS / "mini.yaml"), "--save", "t1"]) == 0
    assert opened[0][0] == "tui" and opened[0][1].save.name == "t1"


def test_no_scenario_on_a_terminal_opens_the_title_screen(monkeypatch, opened):
    terminal(monkeypatch, True)
    assert cli.main([]) == 0
    assert opened == [("tui", None)]


def test_plain_flag_or_a_pipe_keeps_plain_mode(monkeypatch, opened):
    terminal(monkeypatch, True)
    assert cli.main(["play", str(FIXTURE_SCENARIOS / "mini.yaml"), "--plain", "--save", "t2"]) == 0
    terminal(monkeypatch, False)
    assert cli.main(["play", str(FIXTURE_SCENARIOS / "mini.yaml"), "--save", "t3"]) == 0
    assert [kind for kind, _ in opened] == ["plain", "plain"]
    assert cli.main([]) == cli.EXIT_USAGE  # no terminal, no scenario: the usage error as before
