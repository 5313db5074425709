"""`leadgame` opens the Textual app on a terminal, and plain mode otherwise (a pipe, --plain, or
a terminal that says it is dumb); `play PATH --watch` needs the app."""

from __future__ import annotations

import sys
from pathlib import Path

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


class Calls(list):
    watch = None


@pytest.fixture
def opened(monkeypatch):
    """Record what would have been run instead of running it (and the file the app would watch)."""
    calls = Calls()
    import leadgame.plain
    import leadgame.tui.app

    def run_tui(game=None, notes=(), watch=None, seed=None):
        calls.append(("tui", game))
        calls.watch = watch
        calls.seed = seed
        return 0

    monkeypatch.setattr(leadgame.tui.app, "run_tui", run_tui)
    monkeypatch.setattr(leadgame.plain, "run", lambda game, notes=(), console=None, script=None: calls.append(("plain", game)) or 0)
    return calls


def terminal(monkeypatch, tty: bool, term: str | None = "xterm-256color") -> None:
    if term is None:
        monkeypatch.delenv("TERM", raising=False)
    else:
        monkeypatch.setenv("TERM", term)
    monkeypatch.setattr(sys, "stdin", FakeTTY(sys.stdin, tty))
    monkeypatch.setattr(sys, "stdout", FakeTTY(sys.stdout, tty))


def test_a_terminal_gets_the_app(monkeypatch, opened):
    terminal(monkeypatch, True)
    assert cli.main(["play", str(FIXTURE_SCENARIOS / "mini.yaml"), "--save", "t1"]) == 0
    assert opened[0][0] == "tui" and opened[0][1].save.name == "t1"


def test_no_scenario_on_a_terminal_opens_the_title_screen(monkeypatch, opened):
    terminal(monkeypatch, True)
    assert cli.main([]) == 0
    assert opened == [("tui", None)] and opened.seed is None  # each game its own seed
    assert cli.main(["play", "--seed", "5"]) == 0
    assert opened.seed == 5  # games started from the title screen use it


def test_plain_flag_or_a_pipe_keeps_plain_mode(monkeypatch, opened):
    terminal(monkeypatch, True)
    assert cli.main(["play", str(FIXTURE_SCENARIOS / "mini.yaml"), "--plain", "--save", "t2"]) == 0
    terminal(monkeypatch, False)
    assert cli.main(["play", str(FIXTURE_SCENARIOS / "mini.yaml"), "--save", "t3"]) == 0
    assert [kind for kind, _ in opened] == ["plain", "plain"]
    assert cli.main([]) == cli.EXIT_USAGE  # no terminal, no scenario: the usage error as before


@pytest.mark.parametrize("term", ["dumb", "unknown"])
def test_a_dumb_terminal_gets_plain_mode_with_a_note(monkeypatch, opened, capsys, term):
    terminal(monkeypatch, True, term)
    assert cli.main(["play", str(FIXTURE_SCENARIOS / "mini.yaml"), "--save", "t4"]) == 0
    assert [kind for kind, _ in opened] == ["plain"]
    note = capsys.readouterr().err.strip()
    assert note == (f"leadgame: TERM={term} says this terminal cannot draw a full screen, so this is plain mode "
                    "(set TERM, e.g. TERM=xterm-256color, for the full-screen app)")
    terminal(monkeypatch, True, None)  # no TERM at all: the app, which copes (see test_tui_terminals)
    assert cli.main(["play", str(FIXTURE_SCENARIOS / "mini.yaml"), "--save", "t5"]) == 0
    assert opened[-1][0] == "tui" and capsys.readouterr().err == ""


def test_watch_opens_the_app_on_the_scenario_file(monkeypatch, opened):
    terminal(monkeypatch, True)
    path = FIXTURE_SCENARIOS / "mini.yaml"
    assert cli.main(["play", str(path), "--watch", "--save", "w1"]) == 0
    assert opened[0][0] == "tui" and opened.watch == Path(str(path))
    assert cli.main(["play", str(path), "--save", "w2"]) == 0
    assert opened.watch is None  # only when asked


@pytest.mark.parametrize("args, tty, term, words", [
    (["--plain"], True, "xterm", "--watch reloads the full-screen app as you edit, and --plain asks for plain mode"),
    ([], False, "xterm", "and input or output is not a terminal"),
    ([], True, "dumb", "and TERM=dumb says this terminal cannot draw a full screen"),
], ids=["plain", "pipe", "dumb"])
def test_watch_without_the_app_is_a_usage_error(monkeypatch, opened, capsys, args, tty, term, words):
    terminal(monkeypatch, tty, term)
    assert cli.main(["play", str(FIXTURE_SCENARIOS / "mini.yaml"), "--watch", *args]) == cli.EXIT_USAGE
    error = capsys.readouterr().err
    assert words in error and error.count("\n") == 1 and opened == []


def test_watch_needs_a_scenario(monkeypatch, opened, capsys):
    terminal(monkeypatch, True)
    assert cli.main(["play", "--watch"]) == cli.EXIT_USAGE
    assert "--watch needs a scenario file to watch" in capsys.readouterr().err


def test_a_script_takes_the_game_to_its_point_before_the_app_opens(monkeypatch, opened, tmp_path):
    from support import FOLLOWS

    terminal(monkeypatch, True)
    script = tmp_path / "path.txt"
    script.write_text("cafe\n", encoding="utf-8")
    assert cli.main(["play", str(FOLLOWS), "--script", str(script), "--no-save"]) == 0
    (kind, game), = opened
    assert kind == "tui" and game.state.choice_log == ("cafe",) and game.state.node == "spring"
    assert not game.persist and not any(locations_saves().glob("*.json"))


def locations_saves():
    from leadgame import locations

    folder = locations.saves_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder
