"""A save belongs to its file: the file name is the game, a copy is a game of its own, a named
save is never replaced by accident, backups are generations, and restoring one says what it does."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from leadgame.core.saves import BACKUPS, SaveGame, backup_path, read_save, write_save
from leadgame.core.workshop import WorkshopSession, read_workshop, workshop_file
from support import FIXTURE_SCENARIOS, MINI, REPO, Terminal, environment, run_cli

ENV = {"LEADGAME_SCENARIOS": str(FIXTURE_SCENARIOS)}


def choices(folder, name):
    return json.loads((folder / f"{name}.json").read_text())["choices"]


def test_resuming_a_copied_save_plays_the_copy_and_leaves_the_original(isolated_saves):
    assert run_cli("play", "mini-pilot", "--plain", "--save", "mine", input="stark\nq\n", env=ENV).returncode == 0
    shutil.copy(isolated_saves / "mine.json", isolated_saves / "mine-try.json")
    result = run_cli("play", "--plain", "--resume", "mine-try", input="share-later\nq\n", env=ENV)
    assert result.returncode == 0, result.stderr
    assert "Saved as 'mine-try'" in result.stdout
    assert choices(isolated_saves, "mine") == ["stark"]
    assert choices(isolated_saves, "mine-try") == ["stark", "share-later"]
    assert read_save(isolated_saves / "mine-try.json").name == "mine-try"


def test_a_copied_workshop_folder_is_a_session_of_its_own(isolated_saves, mini):
    room = WorkshopSession.new(mini, isolated_saves, "ROOM1")
    room.set_votes("stark", 4)
    room.close()
    shutil.copytree(isolated_saves / "workshops" / "ROOM1", isolated_saves / "workshops" / "ROOM2")
    copy, _ = WorkshopSession.resume(mini, isolated_saves, read_workshop(workshop_file(isolated_saves, "ROOM2")))
    assert copy.code == "ROOM2"
    copy.set_votes("ambition", 9)
    copy.close()
    assert read_workshop(workshop_file(isolated_saves, "ROOM1")).pending_votes == {"stark": 4}
    assert read_workshop(workshop_file(isolated_saves, "ROOM2")).pending_votes == {"stark": 4, "ambition": 9}


def test_session_codes_compare_without_case(isolated_saves, mini):
    WorkshopSession.new(mini, isolated_saves, "k7qx2m").close()
    assert [p.name for p in (isolated_saves / "workshops").iterdir()] == ["K7QX2M"]
    assert workshop_file(isolated_saves, "k7QX2m") == isolated_saves / "workshops" / "K7QX2M" / "workshop.json"
    with Terminal("workshop", "--session", "k7qx2m", env=environment(**ENV, LEADGAME_SAVES=str(isolated_saves))) as terminal:
        terminal.wait_for("Session K7QX2M")
        terminal.type("q")
        assert terminal.finish() == 0
    assert "Resume with: leadgame workshop mini-pilot --session K7QX2M" in terminal.text


def test_save_existing_refuses_then_replaces_only_when_told_and_never_across_scenarios(isolated_saves):
    assert run_cli("play", "mini-pilot", "--plain", "--save", "taken", input="stark\nshare-later\nq\n", env=ENV).returncode == 0
    again = run_cli("play", "mini-pilot", "--plain", "--save", "taken", input="q\n", env=ENV)
    assert again.returncode == 2 and "already saved as 'taken'" in again.stderr and "--replace" in again.stderr
    assert choices(isolated_saves, "taken") == ["stark", "share-later"]
    other = run_cli("play", "barnet-troubled-families", "--plain", "--save", "taken", "--replace", input="q\n",
                    env={"LEADGAME_SCENARIOS": str(REPO / "scenarios")})
    assert other.returncode == 2 and "another scenario ('mini-pilot')" in other.stderr
    assert choices(isolated_saves, "taken") == ["stark", "share-later"]
    replaced = run_cli("play", "mini-pilot", "--plain", "--save", "taken", "--replace", input="q\n", env=ENV)
    assert replaced.returncode == 0, replaced.stderr
    assert choices(isolated_saves, "taken") == []
    assert read_save(backup_path(isolated_saves / "taken.json")).choices == ("stark", "share-later")


def test_backups_keep_the_last_generations(tmp_path):
    for count in range(BACKUPS + 2):
        write_save(tmp_path, SaveGame("g", "mini-pilot", choices=("c",) * count))
    path = tmp_path / "g.json"
    assert len(read_save(path).choices) == BACKUPS + 1
    assert [len(read_save(backup_path(path, g)).choices) for g in range(1, BACKUPS + 1)] == [BACKUPS, BACKUPS - 1, BACKUPS - 2]
    assert not backup_path(path, BACKUPS + 1).exists()


def test_use_backup_on_a_healthy_save_says_what_it_restores_and_needs_yes(isolated_saves):
    assert run_cli("play", "mini-pilot", "--plain", "--save", "fine", input="stark\nshare-now\nq\n", env=ENV).returncode == 0
    refused = run_cli("play", "--plain", "--resume", "fine", "--use-backup", input="", env=ENV)
    assert refused.returncode == 2
    words = " ".join(refused.stderr.split())
    assert "holds 1 choice" in words and "current save is readable and holds 2 choices" in words
    assert "goes back 1 choice" in words and "Add --yes" in words
    assert choices(isolated_saves, "fine") == ["stark", "share-now"] and not list(isolated_saves.glob("fine.json.*-*"))
    restored = run_cli("play", "--plain", "--resume", "fine", "--use-backup", "--yes", input="q\n", env=ENV)
    assert restored.returncode == 0, restored.stderr
    assert choices(isolated_saves, "fine") == ["stark"]
    (kept,) = isolated_saves.glob("fine.json.replaced-*")  # readable, so not called damaged
    assert json.loads(kept.read_text())["choices"] == ["stark", "share-now"]


def test_use_backup_asks_at_a_terminal_and_no_changes_nothing(isolated_saves):
    assert run_cli("play", "mini-pilot", "--plain", "--save", "asked", input="stark\nshare-now\nq\n", env=ENV).returncode == 0
    env = environment(**ENV, LEADGAME_SAVES=str(isolated_saves), TERM="dumb")
    with Terminal("play", "--plain", "--resume", "asked", "--use-backup", env=env) as terminal:
        terminal.wait_for("Restore the backup? [y/N]")
        terminal.type("n\n")
        assert terminal.finish() == 2
    assert "nothing was changed" in terminal.text
    assert choices(isolated_saves, "asked") == ["stark", "share-now"]


NEW_GAME = """
import sys
from pathlib import Path
from leadgame import library
from leadgame.core.session import Session
scenario = library.load(Path(sys.argv[2]))
sys.stdin.readline()  # every process waits here, then all start at once
game = Session.new(scenario, Path(sys.argv[1]))
print(game.save.name, flush=True)
"""


def test_twenty_games_started_in_the_same_second_get_twenty_saves(tmp_path):
    starters = [subprocess.Popen([sys.executable, "-c", NEW_GAME, str(tmp_path), str(MINI)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(20)]
    for starter in starters:  # each has loaded leadgame and the scenario: let them go together
        starter.stdin.write("go\n")
        starter.stdin.flush()
    results = [starter.communicate(timeout=60) for starter in starters]
    assert all(starter.returncode == 0 for starter in starters), [err for _, err in results if err][:1]
    names = {out.strip() for out, _ in results}
    assert len(names) == 20
    assert sorted(p.stem for p in tmp_path.glob("*.json")) == sorted(names)
