"""kill -9 at random moments across plain play, room mode and reports leaves no game lost or
corrupted and, once the games are opened again, no temporary file behind.

The loop itself is benchmarks/kill_loop.py; LEADGAME_KILL_LOOPS sets how many kills the suite
runs (50 by default, about 20 seconds)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from leadgame.core.saves import SaveGame, remove_temporaries, write_save
from leadgame.core.session import Session
from leadgame.core.workshop import WorkshopSession
from support import FIXTURE_SCENARIOS, REPO

KILLS = int(os.environ.get("LEADGAME_KILL_LOOPS", "50"))


def test_kill_minus_nine_loses_and_corrupts_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("LEADGAME_SCENARIOS", str(FIXTURE_SCENARIOS))  # as the loop sets it; undone after the test
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import kill_loop
    finally:
        sys.path.pop(0)
    tally = kill_loop.run(KILLS, seed=1, folder=tmp_path)
    assert tally.iterations == KILLS and min(tally.kills.values()) >= KILLS // 3
    assert (tally.lost, tally.corrupted, tally.stray) == ([], [], []), tally.line()
    assert tally.mid_game > 0, "some kills must land mid-game, or the loop proves little"


def _leftovers(folder, name):
    """What a crash leaves: a temporary file of a save and the staging file of a backup."""
    made = [folder / f".{name}.{999_999}.abcd1234.tmp", folder / f".{name}.bak2.tmp", folder / f".{name}.xyz_0987.tmp"]
    for path in made:
        path.write_text("{")
    return made


def test_opening_a_game_removes_what_a_crash_left_and_nothing_else(mini, tmp_path):
    write_save(tmp_path, SaveGame("g", "mini-pilot"))
    write_save(tmp_path, SaveGame("g.json.bak", "mini-pilot"))  # a save whose name looks like a backup's
    mine = _leftovers(tmp_path, "g.json")
    theirs = _leftovers(tmp_path, "g.json.bak.json")
    from leadgame.core.saves import read_save

    Session.resume(mini, tmp_path, read_save(tmp_path / "g.json"))[0].close()
    assert not any(path.exists() for path in mine)
    assert all(path.exists() for path in theirs), "another game's files are not ours to remove"


def test_without_the_lock_only_a_dead_writers_or_an_old_temporary_goes(tmp_path):
    target = tmp_path / "report.html"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
        of_the_dead = tmp_path / f".report.html.{dead}.abcd1234.tmp"
        of_the_living = tmp_path / f".report.html.{live.pid}.abcd1234.tmp"
        old = tmp_path / ".report.html.oldoldol.tmp"
        for path in (of_the_dead, of_the_living, old):
            path.write_text("<html")
        os.utime(old, (time.time() - 3600, time.time() - 3600))
        remove_temporaries(target)
        assert not of_the_dead.exists() and not old.exists()
        assert of_the_living.exists(), "a writer still at work keeps its file"
    finally:
        live.kill()
        live.wait()


def test_opening_a_room_session_removes_what_a_crash_left(mini, tmp_path):
    room = WorkshopSession.new(mini, tmp_path, "KILLED")
    room.close()
    folder = tmp_path / "workshops" / "KILLED"
    mine = _leftovers(folder, "workshop.json")
    from leadgame.core.workshop import read_workshop, workshop_file

    WorkshopSession.resume(mini, tmp_path, read_workshop(workshop_file(tmp_path, "KILLED")))[0].close()
    assert not any(path.exists() for path in mine)


def test_a_session_killed_in_its_first_write_leaves_nothing_once_sessions_are_listed(tmp_path):
    from leadgame.core.workshop import find_workshops

    folder = tmp_path / "workshops" / "NEVERSAVED"
    folder.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    torn = folder / f".workshop.json.{dead}.abcd1234.tmp"
    torn.write_text('{"code": "NEVERSAVED", "deci')
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        starting = tmp_path / "workshops" / "STARTING"
        starting.mkdir()
        in_progress = starting / f".workshop.json.{live.pid}.abcd1234.tmp"
        in_progress.write_text("{")
        assert find_workshops(tmp_path) == []
        assert not torn.exists(), "nothing will ever open that session to tidy it"
        assert in_progress.exists(), "a room writing its first save keeps its file"
    finally:
        live.kill()
        live.wait()
