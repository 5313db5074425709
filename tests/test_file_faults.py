"""File-system faults (a read-only folder, a full disk, a file where the folder should be) get a
message naming the folder and the problem, never a traceback, and lose no decision."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys

import pytest

from leadgame.core import saves
from leadgame.core.workshop import WorkshopError, WorkshopSession, read_workshop, workshop_file
from support import FIXTURE_SCENARIOS, REPO, run_cli

ENV = {"LEADGAME_SCENARIOS": str(FIXTURE_SCENARIOS)}

# leadgame as a user runs it, on a folder that fails as a read-only folder or a full disk does
# (the tests run as any user, root included, so the fault is made rather than found).
FAULTY = """
import errno, os, sys, tempfile
code, target = int(sys.argv[1]), os.path.realpath(sys.argv[2])
real = tempfile.mkstemp
def mkstemp(*args, dir=None, **kwargs):
    if dir is not None and os.path.realpath(dir).startswith(target):
        raise OSError(code, os.strerror(code))
    return real(*args, dir=dir, **kwargs)
tempfile.mkstemp = mkstemp
from leadgame.cli import main
sys.exit(main(sys.argv[3:]))
"""


def run_faulty(code: int, folder, *args: str, input: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, **ENV, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-c", FAULTY, str(code), str(folder), *args], input=input,
                          capture_output=True, text=True, env=env, timeout=60, cwd=REPO)


@pytest.mark.parametrize("code, words", [(errno.EROFS, "cannot be written to"), (errno.EACCES, "cannot be written to"),
                                         (errno.ENOSPC, "is full")], ids=["read-only", "no-permission", "full-disk"])
def test_a_new_game_that_cannot_be_saved_says_why(isolated_saves, code, words):
    result = run_faulty(code, isolated_saves, "play", "mini-pilot", "--plain", "--save", "g", input="stark\n")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert words in result.stderr and str(isolated_saves) in result.stderr


def test_a_full_disk_mid_game_keeps_the_game_where_it_was(isolated_saves):
    assert run_cli("play", "mini-pilot", "--plain", "--save", "g", input="stark\nq\n", env=ENV).returncode == 0
    result = run_faulty(errno.ENOSPC, isolated_saves, "play", "--plain", "--resume", "g", input="share-now\n\nq\n")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    text = " ".join(result.stdout.split())
    assert text.count("Your decision was not saved") == 2 and "is full. The game has not moved on." in text
    assert json.loads((isolated_saves / "g.json").read_text())["choices"] == ["stark"]


def test_a_file_where_the_saves_folder_should_be(tmp_path):
    blocker = tmp_path / "saves"
    blocker.write_text("not a folder")
    for args in (("play", "mini-pilot", "--plain"), ("play", "mini-pilot", "--plain", "--save", "x")):
        result = run_cli(*args, input="stark\n", env={**ENV, "LEADGAME_SAVES": str(blocker)})
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "a file stands where the folder" in " ".join(result.stderr.split())
    nested = run_cli("play", "mini-pilot", "--plain", input="stark\n", env={**ENV, "LEADGAME_SAVES": str(blocker / "inner")})
    assert nested.returncode == 2 and "a file stands where the folder" in " ".join(nested.stderr.split())


def test_a_report_into_a_read_only_folder_says_so(isolated_saves, tmp_path):
    assert run_cli("play", "mini-pilot", "--plain", "--save", "g", input="stark\nq\n", env=ENV).returncode == 0
    out = tmp_path / "out"
    out.mkdir()
    result = run_faulty(errno.EROFS, out, "report", str(isolated_saves), "-o", str(out / "r.md"), "--format", "md")
    assert result.returncode == 2 and "cannot be written to" in result.stderr and "Traceback" not in result.stderr


def test_a_room_never_moves_on_from_a_vote_it_could_not_save(mini, tmp_path, monkeypatch):
    room = WorkshopSession.new(mini, tmp_path, "FULL")
    room.set_votes("stark", 3)

    def full(path, text, keep_backup=False):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("leadgame.core.workshop.atomic_write", full)
    with pytest.raises(WorkshopError, match="is full"):
        room.advance()
    assert room.state.node == "panel" and room.record.decisions == () and room.votes()["stark"] == 3
    with pytest.raises(WorkshopError):
        room.set_votes("ambition", 2)
    assert room.votes()["ambition"] == 0, "what the room sees is what is saved"
    monkeypatch.setattr("leadgame.core.workshop.atomic_write", saves.atomic_write)
    room.advance()
    room.close()
    assert read_workshop(workshop_file(tmp_path, "FULL")).choices == ("stark",)
