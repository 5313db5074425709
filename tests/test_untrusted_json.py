"""Untrusted JSON: every file leadgame reads back (saves, room sessions, caches) goes through one
bounded reader, so a hostile or broken file gets a message naming it, never a traceback or a hang."""

from __future__ import annotations

import json
import os

import pytest

from leadgame.core import explore
from leadgame.core.saves import SaveError, read_json
from support import FIXTURE_SCENARIOS, run_cli

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
    with pytest.raises(SaveError, match="not a regular file"):
        read_json(fifo)
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


def test_a_damaged_ranges_cache_is_ignored(mini, tmp_path):
    first = explore.construct_ranges(mini, tmp_path)
    (cached,) = tmp_path.glob("ranges-*.json")
    cached.write_text(DEEP)
    assert explore.construct_ranges(mini, tmp_path) == first
    cached.unlink()
    os.mkfifo(cached)
    assert explore.construct_ranges(mini, tmp_path) == first


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
