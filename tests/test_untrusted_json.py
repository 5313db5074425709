"""Untrusted JSON: every file leadgame reads back (saves, room sessions, caches) goes through one
bounded reader, so a hostile or broken file gets a message naming it, never a traceback or a hang."""

from __future__ import annotations

import json
import os
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadgame import library
from leadgame.core.saves import SaveError, list_saves, read_json, read_save
from leadgame.core.session import Session
from leadgame.core.text import CONTROL
from leadgame.core.workshop import WorkshopError, WorkshopSession, read_workshop, workshop_file
from leadgame.report import build_report, render
from support import FIXTURE_SCENARIOS, MINI, run_cli

ENV = {"LEADGAME_SCENARIOS": str(FIXTURE_SCENARIOS)}
DEEP = "[" * 50_000 + "]" * 50_000
HUGE_NUMBER = '{"format_version": 2, "name": "n", "scenario_id": "mini-pilot", "choices": [], "seed": ' + "9" * 5000 + "}"


def _save_data(**changes) -> dict:
    data = {"format_version": 2, "name": "ok", "scenario_id": "mini-pilot", "scenario_hash": "", "seed": 0,
            "choices": ["stark"], "coached": False, "finished": False, "feeling": "", "scenario_path": "",
            "team": "", "session": "", "start_scene": "", "created": "", "updated": ""}
    return {**data, **changes}


def _room_data(**changes) -> dict:
    data = {"kind": "leadgame-workshop", "format_version": 1, "code": "ROOM1", "scenario_id": "mini-pilot",
            "seed": 0, "timer_seconds": 90,
            "decisions": [{"scene": "panel", "choice": "stark", "votes": {"stark": 3, "ambition": 1}, "seconds": 12.0,
                           "note": "", "tie_break": False, "passage": False}],
            "pending": {"votes": {}, "note": "", "seconds": 0, "timer_elapsed": 0, "timer_extra": 0},
            "feeling": "", "finished": False, "created": "", "updated": ""}
    return {**data, **changes}


@pytest.mark.parametrize("content, words", [
    (DEEP, "nested too deeply"),
    ('{"a": ' * 40 + "1" + "}" * 40, "nested too deeply"),
    (HUGE_NUMBER, "number too long"),
    ('{"seconds": NaN}', "NaN"),
    ('{"seconds": Infinity}', "Infinity"),
    ('{"seconds": -Infinity}', "Infinity"),
    ('{"seconds": 1e999}', "too large"),
], ids=["deep", "deep-objects", "huge-int", "nan", "infinity", "minus-infinity", "huge-float"])
def test_the_reader_refuses_what_would_crash_or_mislead(tmp_path, content, words):
    path = tmp_path / "hostile.json"
    path.write_text(content)
    with pytest.raises(SaveError) as error:
        read_json(path)
    assert words in str(error.value) and str(path) in str(error.value)


def test_the_reader_never_waits_on_a_pipe_or_reads_a_device(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    refusals: list[str] = []

    def read() -> None:
        try:
            read_json(fifo)
        except SaveError as error:
            refusals.append(str(error))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=5)
    waited = reader.is_alive()
    if waited:  # it waits for something to write to the pipe: be that, so that it ends
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=5)
    assert not waited, "the reader waited on a pipe"
    assert len(refusals) == 1 and "not a regular file" in refusals[0]
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(SaveError, match="not a regular file"):
        read_json(tmp_path / "folder.json")


@pytest.mark.parametrize("content", [DEEP, HUGE_NUMBER], ids=["deep", "huge-int"])
def test_resume_and_report_explain_a_hostile_save(isolated_saves, content):
    isolated_saves.mkdir()
    (isolated_saves / "bad.json").write_text(content)
    named = run_cli("play", "--plain", "--resume", "bad", env=ENV)
    assert named.returncode == 2 and "bad.json" in named.stderr and "Traceback" not in named.stderr
    newest = run_cli("play", "mini-pilot", "--plain", "--resume", env=ENV)
    assert newest.returncode == 2 and "no unfinished saved game" in newest.stderr and "Traceback" not in newest.stderr
    report = run_cli("report", str(isolated_saves), env=ENV)
    assert report.returncode == 0 and "skipped" in report.stdout and "Traceback" not in report.stderr


@pytest.mark.parametrize("seconds", ["NaN", "Infinity"])
def test_a_room_session_with_impossible_seconds_is_skipped_not_fatal(isolated_saves, seconds):
    folder = isolated_saves / "workshops" / "ROOM1"
    folder.mkdir(parents=True)
    text = json.dumps(_room_data()).replace('"seconds": 12.0', f'"seconds": {seconds}')
    (folder / "workshop.json").write_text(text)
    report = run_cli("report", str(isolated_saves), env=ENV)
    assert report.returncode == 0, report.stderr
    assert "1 file skipped" in report.stdout and f"{seconds} is not a number" in " ".join(report.stdout.split())


def test_a_pipe_named_like_a_save_blocks_nothing(isolated_saves):
    isolated_saves.mkdir()
    os.mkfifo(isolated_saves / "waiting.json")
    resumed = run_cli("play", "mini-pilot", "--plain", "--resume", env=ENV, timeout=30)
    assert resumed.returncode == 2 and "no unfinished saved game" in resumed.stderr
    report = run_cli("report", str(isolated_saves), env=ENV, timeout=30)
    assert report.returncode == 0 and "not a regular file" in " ".join(report.stdout.split())


@pytest.mark.slow
async def test_the_app_title_screen_survives_a_hostile_save(isolated_saves, monkeypatch):
    from leadgame import locations
    from leadgame.tui.app import LeadgameApp

    monkeypatch.setenv(locations.SCENARIOS_ENV, str(FIXTURE_SCENARIOS))
    isolated_saves.mkdir()
    (isolated_saves / "deep.json").write_text(DEEP)
    (isolated_saves / "huge.json").write_text(HUGE_NUMBER)
    app = LeadgameApp()
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
        assert app.is_running
        assert app.screen.query_one("#title-menu").labels["continue"] == "Continue a saved game (none yet)"


# --- the held-out style of attack: generated hostile files against every reader ------------------

_nasty = st.sampled_from(["\x1b]0;owned\x07\x1b[2J", "\u202egnp.exe", "[click](http://evil.example)", "![x](http://e/i.png)",
                          "=HYPERLINK(\"http://e\")", "\x00=1+1", "\n=1+1", "<script>x</script>", "a|b\nc", "..", "x" * 70])
_words = st.one_of(_nasty, st.text(max_size=12), st.builds(lambda a, b: a + b, _nasty, st.text(max_size=4)))
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False, allow_infinity=False),
                     _words)
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
_ids = st.one_of(st.sampled_from(["stark", "ambition", "share-now", "share-later", "continue", "cede", "panel", "x" * 64]),
                 _words)


def _well_typed_or(strategy, wrong=_values):
    """Mostly a value of the right type (so the reader gets past its type checks and the text
    reaches the outputs), sometimes anything at all."""
    return st.one_of(strategy, strategy, strategy, wrong)


def _hostile_save():
    fields = {"name": _well_typed_or(_words), "scenario_id": _well_typed_or(st.one_of(st.just("mini-pilot"), _words)),
              "scenario_hash": _well_typed_or(_words), "seed": _well_typed_or(st.integers(0, 2**31)),
              "choices": _well_typed_or(st.lists(_ids, max_size=8)), "feeling": _well_typed_or(_words),
              "team": _well_typed_or(_words), "session": _well_typed_or(_words), "finished": _well_typed_or(st.booleans()),
              "start_scene": _well_typed_or(st.one_of(st.just(""), _ids)),
              "format_version": _well_typed_or(st.sampled_from([1, 2, 3])),
              "trail": _well_typed_or(st.lists(st.lists(_ids, min_size=2, max_size=2), max_size=8)),
              "set_aside": _well_typed_or(st.lists(st.fixed_dictionaries(
                  {"when": _words, "kept": st.integers(-3, 10), "reason": _words,
                   "decisions": st.lists(st.fixed_dictionaries({"scene": _ids, "choice": _ids, "text": _words}), max_size=3)}),
                  max_size=3))}
    dropped = st.sets(st.sampled_from(sorted(_save_data())), max_size=3)
    return st.builds(lambda d, gone: {k: v for k, v in {**_save_data(), **d}.items() if k not in gone},
                     st.fixed_dictionaries({}, optional=fields), dropped)


def _hostile_room():
    decision = st.fixed_dictionaries({"scene": _ids, "choice": _ids},
                                     optional={"votes": _well_typed_or(st.dictionaries(_ids, st.integers(-5, 10**6), max_size=4)),
                                               "seconds": _well_typed_or(st.floats(-1e300, 1e300)), "note": _well_typed_or(_words),
                                               "passage": _well_typed_or(st.booleans()), "tie_break": _well_typed_or(st.booleans())})
    fields = {"decisions": _well_typed_or(st.lists(decision, max_size=6)), "seed": _well_typed_or(st.integers(0, 2**31)),
              "code": _well_typed_or(_words), "timer_seconds": _well_typed_or(st.integers(-10, 10**9)), "pending": _values,
              "scenario_id": _well_typed_or(st.one_of(st.just("mini-pilot"), _words)), "feeling": _well_typed_or(_words)}
    return st.fixed_dictionaries({}, optional=fields).map(lambda d: {**_room_data(), **d})


_framings = st.sampled_from(["plain"] * 6 + ["deep", "nan", "huge-int", "truncated"])


def _encode(data, framing: str) -> str:
    text = json.dumps(data)
    if framing == "deep":
        return text[:-1] + ', "x": ' + "[" * 3000 + "]" * 3000 + "}"
    if framing == "nan":
        return text[:-1] + ', "x": NaN}'
    if framing == "huge-int":
        return text[:-1] + ', "x": ' + "1" * 4400 + "}"
    if framing == "truncated":
        return text[: len(text) // 2]
    return text


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(save=_hostile_save(), room=_hostile_room(), save_framing=_framings, room_framing=_framings,
       file_name=st.sampled_from(["game", "Ada Smith", "x\x1b[2J", "\u202egnp", "-=1+1"]))
def test_hostile_saves_and_rooms_never_crash_any_reader(tmp_path_factory, save, room, save_framing, room_framing, file_name):
    from leadgame.tui.screens.saved import saved_games

    folder = tmp_path_factory.mktemp("hostile")
    game_file = folder / f"{file_name}.json"
    game_file.write_text(_encode(save, save_framing))
    (folder / "workshops" / "ROOM1").mkdir(parents=True)
    (folder / "workshops" / "ROOM1" / "workshop.json").write_text(_encode(room, room_framing))
    scenario = library.load(MINI)
    try:
        game = read_save(game_file)
    except SaveError:
        pass
    else:
        try:
            Session.resume(scenario, folder, game)[0].close()
        except SaveError:
            pass
    list_saves(folder)
    saved_games(folder, [library.Entry(MINI, scenario)])
    try:
        record = read_workshop(workshop_file(folder, "ROOM1"))
    except WorkshopError:
        pass
    else:
        try:
            WorkshopSession.resume(scenario, folder, record)[0].close()
        except WorkshopError:
            pass
    os.environ[library.locations.SCENARIOS_ENV] = str(FIXTURE_SCENARIOS)
    try:
        report = build_report([folder])
        for fmt in ("md", "csv", "html", "text"):
            out = render(report, fmt, to_terminal=False)
            assert not CONTROL.search(out), (fmt, CONTROL.search(out))
    finally:
        del os.environ[library.locations.SCENARIOS_ENV]
