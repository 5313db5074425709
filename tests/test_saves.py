"""Saves: round trip, determinism, resume after edits, crash safety, and names that stay put."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from support import FIXTURE_SCENARIOS
from leadgame.core import engine, saves
from leadgame.core.loader import load_scenario
from leadgame.core.saves import SaveError, SaveGame, list_saves, read_save, save_path, write_save
from leadgame.core.session import Session


def test_round_trip_keeps_every_field(tmp_path):
    aside = saves.SetAside("2024-05-01T10:00:00+00:00", 1, "the story changed",
                           (("trust-board", "share-later", "abc123def456"),), ((1, "Too slow"),))
    original = SaveGame(
        "run-1", "mini-pilot", "abc", seed=7, choices=("stark", "share-now"), coached=True, finished=True,
        feeling="Tense", scenario_path="/scenarios/mini.yaml", team="Reds", session="WS1", learner="Ann",
        start_scene="panel", created="2024-05-01T09:00:00+00:00", updated="2000-01-01T00:00:00+00:00",
        trail=(("panel", "0123456789ab"), ("trust-board", "ba9876543210")), set_aside=(aside,),
        notes={0: "Bold", 1: "Costly"}, answers={"Where do partners stall?": "At the budget"},
        origin="run-0", branched_at=1,
    )
    fields = [f.name for f in dataclasses.fields(SaveGame)]
    assert all(getattr(original, name) != getattr(SaveGame("x", "y"), name) for name in fields)  # none left at its default
    path = write_save(tmp_path, original)
    loaded = read_save(path)
    assert loaded == dataclasses.replace(original, updated=loaded.updated)
    assert loaded.updated != original.updated and loaded.updated >= loaded.created  # refreshed on every write
    data = json.loads(path.read_text())
    assert data["format_version"] == saves.FORMAT_VERSION == 4
    assert sorted(data) == sorted(["format_version", *fields])  # every field is written, nothing else


def test_session_autosaves_every_decision_and_resumes_identically(mini, tmp_path):
    game = Session.new(mini, tmp_path, name="g1", seed=4)
    for choice in ("stark", "share-now", "continue"):
        game.choose(choice)
        assert read_save(tmp_path / "g1.json").choices == game.state.choice_log
    resumed, notes = Session.resume(mini, tmp_path, read_save(tmp_path / "g1.json"))
    assert notes == ()
    assert resumed.state == game.state


def test_resume_after_the_author_edits_the_scenario(mini, catalogue, tmp_path):
    game = Session.new(mini, tmp_path, name="g2", seed=0)
    for choice in ("ambition", "share-later", "continue"):
        game.choose(choice)
    edited = tmp_path / "scenarios"
    edited.mkdir()
    text = (FIXTURE_SCENARIOS / "mini.yaml").read_text().replace("id: share-later", "id: relationships-first")
    (edited / "mini.yaml").write_text(text)
    changed = load_scenario(edited / "mini.yaml", catalogue)
    game.close()
    resumed, notes = Session.resume(changed, tmp_path, read_save(tmp_path / "g2.json"))
    assert resumed.state.node == "trust-board" and resumed.state.choice_log == ("ambition",)
    assert notes[0] == "The scenario file has changed since this game was saved."
    assert "Replayed 1 of 2 decisions" in notes[1] and "share-later" in notes[1]
    assert "kept in the save, set aside; you can continue from decision 1" in notes[1]
    assert read_save(tmp_path / "g2.json").choices == ("ambition", "share-later", "continue"), "nothing written yet"
    resumed.choose("share-now")
    saved = read_save(tmp_path / "g2.json")
    assert saved.choices == ("ambition", "share-now")
    (aside,) = saved.set_aside
    assert aside.kept == 1 and [choice for _, choice, _ in aside.decisions] == ["share-later", "continue"]
    resumed.choose("continue")  # one more decision: the dropped choices are still in the save itself
    assert read_save(tmp_path / "g2.json").set_aside == saved.set_aside


def test_crash_mid_write_leaves_the_previous_save_intact(tmp_path, monkeypatch):
    write_save(tmp_path, SaveGame("safe", "mini-pilot", "h", choices=("stark",)))

    def crash(*args, **kwargs):
        raise OSError("disk pulled out")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(SaveError, match="could not save the game 'safe'"):
        write_save(tmp_path, SaveGame("safe", "mini-pilot", "h", choices=("stark", "share-now")))
    assert read_save(tmp_path / "safe.json").choices == ("stark",)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["safe.json"]


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "a/b", "..", ".hidden", "", "x" * 200, "a\\b", "nul\x00", "name\n"])
def test_save_names_cannot_escape_the_saves_folder(tmp_path, name):
    with pytest.raises(SaveError):
        save_path(tmp_path, name)


def test_symlinked_saves_are_not_followed(tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text("{}")
    (tmp_path / "saves").mkdir()
    (tmp_path / "saves" / "link.json").symlink_to(target)
    with pytest.raises(SaveError, match="symbolic link"):
        write_save(tmp_path / "saves", SaveGame("link", "mini-pilot", "h"))
    assert target.read_text() == "{}"


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"format_version": 1, "name": "x", "scenario_id": "m", "choi', "not valid JSON"),
        ("[1, 2]", "not a leadgame save"),
        ('{"format_version": 99, "name": "x", "scenario_id": "m", "choices": []}', "newer leadgame"),
        ('{"format_version": 1, "name": "x", "scenario_id": "m", "choices": "oops"}', "'choices' should be list"),
        ('{"format_version": 1, "name": "x", "scenario_id": "m", "choices": [1]}', "list of choice ids"),
        ('{"format_version": 1, "scenario_id": "m", "choices": ["' + "x" * 65 + '"]}', "list of choice ids"),
        ('{"format_version": 4, "choices": []}', ": the save has no 'scenario_id'"),
        ('{"format_version": 4, "scenario_id": "m"}', ": the save has no 'choices'"),
        ('{"format_version": 4, "scenario_id": "m", "choices": [], "seed": true}', ": 'seed' should be int, found bool"),
        ('{"format_version": 4, "scenario_id": "m", "choices": [], "seed": "3"}', ": 'seed' should be int, found str"),
        ('{"format_version": 4, "scenario_id": 7, "choices": []}', ": 'scenario_id' should be str, found int"),
        ('{"format_version": 0, "scenario_id": "m", "choices": []}', ": unknown save format '0'"),
        ('{"format_version": true, "scenario_id": "m", "choices": []}', ": unknown save format 'True'"),
        ('{"format_version": "4", "scenario_id": "m", "choices": []}', ": unknown save format '4'"),
        ('{"format_version": 5, "scenario_id": "m", "choices": []}',
         ": made by a newer leadgame (save format 5); update leadgame to open it"),
        ('{"scenario_id": "m", "choices": []}', ": not a leadgame save"),
        ('{"format_version": 4, "scenario_id": "m", "choices": [], "notes": {"one": "a"}}',
         ": 'notes' should be keyed by step numbers"),
        ('{"format_version": 4, "scenario_id": "m", "choices": [], "answers": {' + ", ".join(f'"{n}": "a"' for n in range(501)) + "}}",
         ": 'answers' should map to text (at most 500 entries)"),
        ('{"format_version": 4, "scenario_id": "m", "choices": [], "set_aside": [{"kept": 1}]}',
         ": 'set_aside' must list the decisions an edit set aside"),
        ('[' * 30 + ']' * 30, ": not a leadgame save (nested too deeply)"),
        ('[' * 100_000 + ']' * 100_000, ": not a leadgame save (nested too deeply)"),  # deeper than Python parses
        ('{"format_version": "' + "v" * 25 + '", "scenario_id": "m", "choices": []}', ": unknown save format '" + "v" * 20 + "'"),
        ('{"format_version": 4, "scenario_id": "m", "choices": [], "seed": 1.5e3}', ": 'seed' should be int, found float"),
    ],
)
def test_damaged_saves_get_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(SaveError) as error:
        read_save(path)
    assert message in str(error.value) and str(error.value).startswith(str(path))


def test_listing_puts_the_most_recently_written_first_and_reports_damaged_files(tmp_path, monkeypatch):
    stamps = iter(f"2024-03-0{day}T12:00:00+00:00" for day in range(1, 10))
    monkeypatch.setattr(saves, "now", lambda: next(stamps))
    for name in ("bravo", "alpha", "charlie"):  # written on the 1st, 2nd and 3rd
        write_save(tmp_path, SaveGame(name, "mini-pilot", "h", created="2024-01-01", updated="2099-01-01T00:00:00+00:00"))
    write_save(tmp_path, read_save(tmp_path / "bravo.json"))  # played again on the 4th
    (tmp_path / "junk.json").write_text("not json")
    good, bad = list_saves(tmp_path)
    assert [(s.name, s.updated[:10]) for _, s in good] == [("bravo", "2024-03-04"), ("charlie", "2024-03-03"),
                                                           ("alpha", "2024-03-02")]
    assert [path.name for path, _ in good] == ["bravo.json", "charlie.json", "alpha.json"]
    assert len(bad) == 1 and bad[0].startswith(f"{tmp_path / 'junk.json'}:1:1: not valid JSON")
    assert list_saves(tmp_path / "none") == ([], [])


def test_what_if_branch_is_a_separate_save(mini, tmp_path):
    game = Session.new(mini, tmp_path, name="main", seed=0)
    for choice in ("stark", "share-now"):
        game.choose(choice)
    branch = game.branch(1, name="main-whatif")
    assert branch.state.choice_log == ("stark",)
    branch.choose("share-later")
    assert read_save(tmp_path / "main.json").choices == ("stark", "share-now")
    assert read_save(tmp_path / "main-whatif.json").choices == ("stark", "share-later")


# --- backups, temporary files and damaged saves, in this process (the command-line tests drive the same code) ---


def three_generations(folder):
    for choices in (("stark",), ("stark", "share-now"), ("stark", "share-now", "continue")):
        write_save(folder, SaveGame("g", "mini-pilot", "h", choices=choices))
    return folder / "g.json"


def test_every_write_keeps_the_last_generations_as_backups(tmp_path):
    path = three_generations(tmp_path)
    write_save(tmp_path, SaveGame("g", "mini-pilot", "h", choices=("ambition",)))
    held = {name: read_save(tmp_path / name).choices for name in ("g.json", "g.json.bak", "g.json.bak2", "g.json.bak3")}
    assert held == {"g.json": ("ambition",), "g.json.bak": ("stark", "share-now", "continue"),
                    "g.json.bak2": ("stark", "share-now"), "g.json.bak3": ("stark",)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json", "g.json.bak", "g.json.bak2", "g.json.bak3"]
    assert saves.name_of(tmp_path / "g.json.bak2") == "g" and saves.name_of(path) == "g"


def test_backups_are_copied_where_the_file_system_has_no_hard_links(tmp_path, monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    three_generations(tmp_path)
    assert read_save(tmp_path / "g.json.bak").choices == ("stark", "share-now")
    assert read_save(tmp_path / "g.json.bak2").choices == ("stark",)
    assert not (tmp_path / "g.json.bak").samefile(tmp_path / "g.json")


def test_the_temporary_file_is_written_beside_the_save_and_gone_after(tmp_path, monkeypatch):
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda source, target: renames.append((Path(source), Path(target))) or real_replace(source, target))
    write_save(tmp_path, SaveGame("g", "mini-pilot", "h"))
    (temporary, target), = renames
    assert target == tmp_path / "g.json" and temporary.parent == tmp_path  # a rename within one folder is atomic
    assert temporary.name.startswith(f".g.json.{os.getpid()}.") and temporary.name.endswith(".tmp")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json"]


def test_restoring_a_backup_keeps_the_damaged_save_beside_it(tmp_path):
    path = three_generations(tmp_path)
    path.write_text('{"format_version": 4, "scenario_id": "mini-pi')
    offer = saves.backup_offer(tmp_path, "g")
    assert offer.current is None and offer.backup.choices == ("stark", "share-now")
    words = offer.describe()
    assert words.startswith(f"The last backup of 'g' was saved at {offer.backup.updated[:10]} ")
    assert words.endswith(" UTC and holds 2 choices. The current save cannot be read (1:38: not valid JSON "
                          "(Unterminated string starting at); the file may be truncated); it is kept beside the restored one.")
    restored = saves.restore_backup(tmp_path, "g")
    assert restored.choices == read_save(path).choices == ("stark", "share-now")
    (damaged,) = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert re.fullmatch(r"g\.json\.damaged-\d{4}-\d\d-\d\dT\d{6}_0000", damaged.name)  # when, in a file name
    assert damaged.read_text() == '{"format_version": 4, "scenario_id": "mini-pi'


def test_restoring_over_a_readable_save_says_how_far_back_it_goes(tmp_path):
    three_generations(tmp_path)
    offer = saves.backup_offer(tmp_path, "g")
    assert offer.current_problem == "" and offer.describe().startswith("The last backup of 'g' was saved at ")
    assert offer.describe().endswith(" and holds 2 choices. The current save is readable and holds 3 choices, "
                                     "so restoring it goes back 1 choice; it is kept beside the restored one.")
    saves.restore_backup(tmp_path, "g")
    assert [p.name.split("-")[0] for p in tmp_path.iterdir() if ".replaced-" in p.name] == ["g.json.replaced"]
    (tmp_path / "g.json").unlink()
    assert "The current save does not exist; it is kept" in saves.backup_offer(tmp_path, "g").describe()
    for backup in tmp_path.glob("g.json.bak*"):
        backup.write_text("{}")
    with pytest.raises(SaveError, match=f"there is no readable backup of the game 'g' in {tmp_path}"):
        saves.backup_offer(tmp_path, "g")


def test_only_temporary_files_left_by_ended_writers_are_removed(tmp_path):
    with another_process() as ended, another_process() as live:
        ended.stdin.close()
        ended.wait(timeout=30)
        path = tmp_path / "g.json"
        path.write_text("{}")
        mine, theirs = f".g.json.{os.getpid()}.abcd1234.tmp", f".g.json.{live.pid}.abcd1234.tmp"
        left = {name: tmp_path / name for name in (f".g.json.{ended.pid}.abcd1234.tmp", mine, theirs, ".g.json.bak2.tmp",
                                                   ".other.json.9.abcd1234.tmp")}
        for file in left.values():
            file.write_text("partial")
        saves.remove_temporaries(path)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            ["g.json", mine, theirs, ".g.json.bak2.tmp", ".other.json.9.abcd1234.tmp"])  # live writers' and a name-less one stay
        old = time.time() - saves.STALE_SECONDS - 5
        os.utime(left[".g.json.bak2.tmp"], (old, old))
        saves.remove_temporaries(path)
        assert not left[".g.json.bak2.tmp"].exists() and left[theirs].exists()
        live.stdin.close()  # asking whether a writer is alive left it alone: it ends as it would have
        assert live.stdout.read() == "still here\n" and live.wait(timeout=30) == 0
        saves.remove_temporaries(path, locked=True)  # holding the lock: every one of this save's goes
        assert sorted(p.name for p in tmp_path.iterdir()) == [".other.json.9.abcd1234.tmp", "g.json"]


@contextlib.contextmanager
def another_process():
    """A Python process of this test's own (it waits for its input to end), stopped afterwards."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read(); print('still here')"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield child
    finally:
        child.stdin.close()
        child.wait(timeout=30)


def test_the_reader_names_each_file_problem(tmp_path):
    missing = tmp_path / "gone.json"
    assert_refused(missing, f"{missing}: no such leadgame save")
    (tmp_path / "real.json").write_text("{}")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    assert_refused(tmp_path / "link.json", f"{tmp_path / 'link.json'}: is a symbolic link; leadgame will not follow it")
    (tmp_path / "latin.json").write_bytes(b'{"feeling": "caf\xe9"}')
    assert_refused(tmp_path / "latin.json", f"{tmp_path / 'latin.json'}: not a leadgame save (not UTF-8 text)")
    (tmp_path / "folder.json").mkdir()
    assert_refused(tmp_path / "folder.json", f"{tmp_path / 'folder.json'}: not a regular file, so not a leadgame save")
    (tmp_path / "big.json").write_text("[" + " " * 100 + "]")
    with pytest.raises(SaveError, match=r"big.json: too large to be a room session$"):
        saves.read_json(tmp_path / "big.json", "room session", limit=100)
    assert saves.read_json(tmp_path / "big.json", "room session", limit=102) == []  # the limit itself is allowed


def assert_refused(path, message):
    with pytest.raises(SaveError) as error:
        saves.read_json(path)
    assert str(error.value) == message


@pytest.mark.parametrize("text, problem", [
    ('{"n": ' + "9" * 41 + "}", "a number too long (41 digits)"),
    ('{"n": 1.' + "5" * 40 + "}", "a number too large (1.555555555555555555…)"),
    ('{"n": 1e400}', "a number too large (1e400)"),
    ('{"n": NaN}', "NaN is not a number leadgame writes"),
    ("[" * 25 + "]" * 25, "nested too deeply"),
    ("[" + "[" * 24 + "]" * 24 + ", [1]]", "nested too deeply"),  # the deep part first, a shallow one after it
    ('{"n": 1' + "0" * 15 + "e400}", "a number too large (1" + "0" * 15 + "e400)"),  # 20 characters: shown whole
    ('{"n": 1' + "0" * 16 + "e400}", "a number too large (1" + "0" * 16 + "e40…)"),  # 21: cut to 20
])
def test_values_leadgame_never_writes_are_refused(tmp_path, text, problem):
    path = tmp_path / "odd.json"
    path.write_text(text)
    with pytest.raises(SaveError) as error:
        saves.read_json(path)
    assert str(error.value).startswith(f"{path}: ") and problem in str(error.value)


def test_the_deepest_json_leadgame_accepts_and_the_longest_number():
    assert saves.parse_json("[" * 24 + "]" * 24) == [[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]
    assert saves.parse_json('{"n": ' + "9" * 40 + ', "x": 2.5}') == {"n": int("9" * 40), "x": 2.5}
    assert saves.parse_json("[1." + "5" * 38 + "]") == [float("1." + "5" * 38)]  # a real number of 40 characters


def test_a_file_that_cannot_be_opened_says_so(tmp_path):
    import socket

    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock.json"))
        assert_refused(tmp_path / "sock.json", f"{tmp_path / 'sock.json'}: cannot be read (No such device or address)")


def test_an_old_save_reads_with_every_later_field_empty(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"format_version": 1, "name": "other", "scenario_id": "mini-pilot", "seed": 3,
                                "choices": ["stark"], "notes": {"0": "ignored: format 1 had none"}}))
    save = read_save(path)
    assert save == SaveGame("old", "mini-pilot", seed=3, choices=("stark",), created=save.created, updated=save.updated)
    assert (save.start_scene, save.trail, save.set_aside, save.notes, save.answers, save.origin, save.branched_at) == (
        "", (), (), {}, {}, "", 0)


def test_what_a_save_holds_is_cleaned_and_capped(tmp_path):
    aside = {"when": "2024", "kept": 0, "reason": "r", "decisions": [{"scene": "panel", "choice": "stark", "text": "t"}],
             "notes": [[0, "n"]]}
    data = {"format_version": 4, "scenario_id": "mini\x1b[2J-pilot", "choices": ["stark", "share-now"],
            "feeling": "  Tense\x07 ", "trail": [["panel", "a"]], "set_aside": [aside] * 25,
            "notes": {"0": "x" * 5000, "1": "\x1b"}, "answers": {"Q\x1b?": "A"}, "origin": "run-0", "branched_at": 99_999}
    path = tmp_path / "g.json"
    path.write_text(json.dumps(data))
    save = read_save(path)
    assert save.scenario_id == "mini[2J-pilot" and save.feeling == "Tense"
    data.update({key: "\x1b" + key + "\x07" for key in ("team", "session", "learner", "scenario_hash", "scenario_path",
                                                       "start_scene", "created", "updated")})
    data["answers"] = {"Q" * 5000: "A"}
    path.write_text(json.dumps(data))
    again = read_save(path)
    assert [getattr(again, key) for key in ("team", "session", "learner", "scenario_hash", "scenario_path", "start_scene",
                                            "created", "updated")] == [
        "team", "session", "learner", "scenario_hash", "scenario_path", "start_scene", "created", "updated"]
    assert again.answers == {"Q" * saves.MAX_NOTE_CHARS: "A"}
    data["team"] = "T" * 5000
    path.write_text(json.dumps(data))
    assert read_save(path).team == "T" * saves.MAX_NOTE_CHARS
    data = {**data, "team": "", "answers": {}}
    assert save.notes == {0: "x" * saves.MAX_NOTE_CHARS}  # the note cap; a note of nothing but a control character is dropped
    assert save.answers == {"Q?": "A"} and (save.origin, save.branched_at) == ("run-0", 99_999)
    assert save.trail == ()  # one pair for two choices: not this game's trail
    assert len(save.set_aside) == saves.MAX_SET_ASIDE and save.set_aside[0].decisions == (("panel", "stark", "t"),)
    assert save.set_aside[0].notes == ((0, "n"),)
    data["branched_at"] = 100_000
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match="'branched_at' should be a step number"):
        read_save(path)


@pytest.mark.parametrize("code, words", [
    (errno.EROFS, "the folder {} cannot be written to (it is read-only, or you lack permission)"),
    (errno.EACCES, "the folder {} cannot be written to (it is read-only, or you lack permission)"),
    (errno.EPERM, "the folder {} cannot be written to (it is read-only, or you lack permission)"),
    (errno.ENOSPC, "the disk that holds {} is full"),
    (errno.EDQUOT, "the disk that holds {} is full"),
    (errno.ENOTDIR, "a file stands where the folder {} (or one of the folders above it) should be"),
    (errno.EEXIST, "a file stands where the folder {} (or one of the folders above it) should be"),
    (errno.EIO, "{}: Input/output error"),
])
def test_a_save_that_cannot_be_written_says_why_in_words(tmp_path, monkeypatch, code, words):
    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(saves, "atomic_write", refuse)
    with pytest.raises(SaveError) as error:
        write_save(tmp_path, SaveGame("g", "mini-pilot"))
    assert str(error.value) == f"could not save the game 'g': {words.format(tmp_path)}"


def test_an_error_without_words_is_named_by_its_kind(tmp_path):
    assert saves.file_problem(PermissionError(), tmp_path) == f"{tmp_path}: PermissionError"


def test_a_save_is_written_into_a_folder_made_for_it(tmp_path):
    folder = tmp_path / "a" / "b" / "saves"
    assert write_save(folder, SaveGame("g", "mini-pilot")) == folder / "g.json" and read_save(folder / "g.json").name == "g"


def test_a_named_output_file_is_replaced_whole_and_a_device_or_link_written_through(tmp_path):
    report = tmp_path / "report.md"
    saves.write_output(report, "first")
    saves.write_output(report, "second ✓")
    assert report.read_text(encoding="utf-8") == "second ✓" and sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]
    saves.write_output(report, "third")
    kept = tmp_path / "kept.md"
    os.link(report, kept)  # another name for the old file: replacing the report leaves it as it was
    saves.write_output(report, "fourth")
    assert kept.read_text(encoding="utf-8") == "third" and report.read_text(encoding="utf-8") == "fourth"
    kept.unlink()
    link = tmp_path / "latest.md"
    link.symlink_to(report)
    saves.write_output(link, "through the link")
    assert link.is_symlink() and report.read_text(encoding="utf-8") == "through the link"
    saves.write_output(Path(os.devnull), "nothing")  # a device is written to, never replaced
    assert Path(os.devnull).is_char_device()


def test_a_hand_written_save_needs_only_its_scenario_and_choices(tmp_path):
    path = tmp_path / "bare.json"
    path.write_text(json.dumps({"format_version": 4, "scenario_id": "mini-pilot", "choices": ["x" * 64]}))
    save = read_save(path)
    assert save.choices == ("x" * 64,) and (save.notes, save.answers, save.origin, save.branched_at) == ({}, {}, "", 0)


def test_the_limits_on_notes_are_the_limits_stated(tmp_path):
    path = tmp_path / "g.json"
    answers = {f"Question {n}": "a" for n in range(saves.MAX_NOTES)}
    path.write_text(json.dumps({"format_version": 4, "scenario_id": "m", "choices": [], "notes": {"999999": "far"},
                                "answers": answers}))
    save = read_save(path)
    assert save.notes == {999_999: "far"} and len(save.answers) == 500
    path.write_text(json.dumps({"format_version": 4, "scenario_id": "m", "choices": [], "notes": {"1000000": "too far"}}))
    with pytest.raises(SaveError, match="'notes' should be keyed by step numbers"):
        read_save(path)
    assert saves.name_of(Path("notes.txt")) == "notes"  # a file that is not named like a save: its stem


# --- resuming after an author's edits, in this process (the command-line tests show the same words) ---


def edited(tmp_path, catalogue, *replacements):
    text = (FIXTURE_SCENARIOS / "mini.yaml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / f"mini-{len(list(tmp_path.glob('mini-*.yaml')))}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path, catalogue)


def played(mini, choices, seed=0, **fields):
    state = engine.replay(mini, seed, choices, fields.get("start_scene", "")).state
    return SaveGame("g", mini.id, mini.content_hash, seed, tuple(choices), trail=saves.trail_of(state), **fields)


STARK_LABEL = ("label: Paint the perfect storm in stark terms", "label: Paint the storm in the starkest terms")
SHARE_LABEL = ("label: Start the data-sharing protocols now", "label: Begin the data-sharing protocols at once")


def test_resume_names_the_decisions_reworded_since(mini, catalogue, tmp_path):
    save = played(mini, ["stark", "share-now"])
    assert saves.resume(mini, save).notes == ()
    one = saves.resume(edited(tmp_path, catalogue, SHARE_LABEL), save)
    assert one.notes == ("The scenario file has changed since this game was saved.",
                         "Decision 2 was reworded since you made it; your choices stand.")
    both = saves.resume(edited(tmp_path, catalogue, STARK_LABEL, SHARE_LABEL), save)
    assert both.notes[1] == "Decisions 1, 2 were reworded since you made them; your choices stand."
    assert both.replay.applied == 2 and both.set_aside is None
    untraced = saves.resume(edited(tmp_path, catalogue, SHARE_LABEL), dataclasses.replace(save, trail=(), scenario_hash=""))
    assert untraced.notes == ()  # an older save recorded no words to compare


def test_an_older_save_without_its_words_still_sets_aside_every_later_decision(mini, catalogue, tmp_path):
    save = dataclasses.replace(played(mini, ["ambition", "share-later", "continue"]), trail=())
    resumed = saves.resume(edited(tmp_path, catalogue, ("id: share-later", "id: relationships-first")), save)
    assert resumed.set_aside.decisions == (("", "share-later", ""), ("", "continue", ""))


def test_resume_sets_aside_what_no_longer_replays_with_its_notes(mini, catalogue, tmp_path):
    save = played(mini, ["ambition", "share-later", "continue", "continue"], notes={0: "first", 1: "second", 2: "third"})
    resumed = saves.resume(edited(tmp_path, catalogue, ("id: share-later", "id: relationships-first")), save)
    assert resumed.notes[1] == (
        "Replayed 1 of 2 decisions: decision 2 ('share-later') is no longer offered in 'The Children's Trust Board'; "
        "you continue from there. The 1 decision from there on is kept in the save, set aside; you can continue from "
        "decision 1, the last that still holds.")
    aside = resumed.set_aside
    assert (aside.kept, aside.reason) == (1, resumed.replay.problem)
    assert aside.decisions == tuple((scene, choice, text) for choice, (scene, text) in zip(save.choices[1:], save.trail[1:]))
    assert aside.notes == ((1, "second"), (2, "third"))  # the note on the decision kept stays with it
    early = saves.resume(edited(tmp_path, catalogue, ("id: ambition", "id: hope"), ("real: \"2.5\"\n        scores: {burning_platform: -1", "scores: {burning_platform: -1")), save)
    assert "The 2 decisions from there on are kept in the save" in early.notes[-1] and early.set_aside.kept == 0


def test_resume_refuses_another_scenarios_save(mini):
    with pytest.raises(SaveError, match="save 'g' belongs to scenario 'other', not 'mini-pilot'"):
        saves.resume(mini, SaveGame("g", "other"))


def test_resume_finds_a_renamed_start_scene_by_its_first_decision(mini, catalogue, tmp_path):
    save = played(mini, ["share-now", "continue", "continue"], start_scene="trust-board")
    renamed = edited(tmp_path, catalogue, ("id: trust-board", "id: board"), ("next: trust-board", "next: board"))
    resumed = saves.resume(renamed, save)
    assert resumed.start_scene == "board" and resumed.replay.applied == 3 and resumed.replay.state.node == "conflict"
    assert resumed.notes[-1] == "The scene this game started at, 'trust-board', is now 'board'."
    unmoved = saves.resume(mini, save)  # not renamed: nothing to find, nothing to say
    assert unmoved.start_scene == "trust-board" and unmoved.notes == ()
    found_by_id = saves.resume(renamed, dataclasses.replace(save, trail=()))  # no words: the one scene offering it
    assert found_by_id.start_scene == "board" and found_by_id.replay.applied == 3
    # two scenes now offer `share-now`: the one whose words match is the one the game began at
    twice = dataclasses.replace(renamed, scenes={**renamed.scenes, "copy": dataclasses.replace(
        renamed.scenes["board"], id="copy", text="Other words.")})
    assert saves.resume(twice, save).start_scene == "board"
    unknown = saves.resume(twice, dataclasses.replace(save, trail=()))  # no words, and two candidates: left as it was
    assert unknown.start_scene == "trust-board"
    assert [note.split(":")[0] for note in unknown.notes] == ["The scenario file has changed since this game was saved.",
                                                              "Replayed 0 of 1 decisions"]


def test_resume_replays_with_an_authors_starting_values(mini):
    resumed = saves.resume(mini, played(mini, ["stark"]), {"trust": 3})
    assert resumed.replay.state.variables["trust"] == 2


GOOD_ASIDE = {"when": "2024-05-01", "kept": 1, "reason": "r", "decisions": [{"scene": "s", "choice": "c", "text": "t"}],
              "notes": [[1, "n"]]}


@pytest.mark.parametrize("set_aside", [
    {"kept": 1}, {}, [None], ["x"], [{**GOOD_ASIDE, "decisions": None}], [{**GOOD_ASIDE, "decisions": [None]}],
    [{**GOOD_ASIDE, "decisions": [{"scene": "s", "choice": "c"}]}], [{**GOOD_ASIDE, "decisions": [["s", "c", "t"]]}],
    [{**GOOD_ASIDE, "decisions": [{"scene": "s", "choice": "c", "text": "t" * 65}]}],
    [{**GOOD_ASIDE, "kept": True}], [{**GOOD_ASIDE, "kept": "1"}], [{**GOOD_ASIDE, "when": 2024}],
    [{**GOOD_ASIDE, "reason": None}], [{**GOOD_ASIDE, "notes": None}], [{**GOOD_ASIDE, "notes": [[0, "a"], [1, "b"]]}],
    [{**GOOD_ASIDE, "notes": [[-1, "a"]]}], [{**GOOD_ASIDE, "notes": [[100_000, "a"]]}], [{**GOOD_ASIDE, "notes": [[True, "a"]]}],
    [{**GOOD_ASIDE, "notes": [[1, 2]]}], [{**GOOD_ASIDE, "notes": [[1, "a", "b"]]}], [{**GOOD_ASIDE, "notes": [(1,)]}],
    [{**GOOD_ASIDE, "notes": ["1a"]}],
], ids=lambda value: json.dumps(value)[:60])
def test_a_hand_edited_set_aside_is_refused_by_name(tmp_path, set_aside):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"format_version": 4, "scenario_id": "m", "choices": [], "set_aside": set_aside}))
    with pytest.raises(SaveError) as error:
        read_save(path)
    assert str(error.value) == f"{path}: 'set_aside' must list the decisions an edit set aside"


def test_a_set_aside_reads_back_within_its_bounds(tmp_path):
    path = tmp_path / "g.json"
    entry = {**GOOD_ASIDE, "when": "w" * 50, "reason": "r" * 500, "notes": [[99_999, "n" * 5000]],
             "decisions": [{"scene": "s" * 64, "choice": "c", "text": "t"}]}
    path.write_text(json.dumps({"format_version": 4, "scenario_id": "m", "choices": [], "set_aside": [entry, GOOD_ASIDE]}))
    first, second = read_save(path).set_aside
    assert (first.when, first.reason, first.decisions) == ("w" * 40, "r" * 400, (("s" * 64, "c", "t"),))
    assert first.notes == ((99_999, "n" * saves.MAX_NOTE_CHARS),) and second.notes == ((1, "n"),)
    del entry["notes"]  # saves from before notes were set aside with them
    path.write_text(json.dumps({"format_version": 4, "scenario_id": "m", "choices": [], "set_aside": [entry]}))
    assert read_save(path).set_aside[0].notes == ()


@pytest.mark.parametrize("name", ["a", "Run_1-x.y", "9" + "a" * 79])
def test_usable_save_names(tmp_path, name):
    assert save_path(tmp_path, name) == tmp_path / f"{name}.json" and saves.lock_path(tmp_path, name) == tmp_path / f".{name}.lock"


@pytest.mark.parametrize("name, shown", [("a" * 81, "a" * 40), ("a..b", "a..b"), ("-x", "-x"), ("a b", "a b"),
                                         ("bad\x1b[2Jname", "bad[2Jname"), (None, "None")])
def test_an_unusable_save_name_is_named_and_explained(tmp_path, name, shown):
    with pytest.raises(SaveError) as error:
        save_path(tmp_path, name)
    assert str(error.value) == f"'{shown}' is not a usable save name: use letters, digits, '-', '_' and '.' (up to 80)"


def test_times_are_written_in_utc_to_the_second():
    import re

    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", saves.now())


def test_a_file_that_grows_while_it_is_read_is_refused():
    status = Path("/proc/self/status")  # a regular file whose size reads as 0 until it is read
    if not status.is_file():
        pytest.skip("no /proc on this system")
    with pytest.raises(SaveError, match="status: too large to be a leadgame save"):
        saves.read_json(status, limit=10)


def test_temporary_files_of_a_missing_folder_or_an_impossible_process_are_left_alone(tmp_path):
    saves.remove_temporaries(tmp_path / "gone" / "g.json")  # nothing to do, and no error
    odd = tmp_path / (".g.json." + "9" * 30 + ".abcd1234.tmp")  # no such process can exist: kept until stale
    odd.write_text("x")
    saves.remove_temporaries(tmp_path / "g.json")
    assert odd.exists()


def test_the_newest_readable_backup_is_offered_and_its_time_named(tmp_path):
    path = three_generations(tmp_path)
    saves.atomic_write(path, SaveGame("g", "mini-pilot", "h", choices=("ambition", "share-now")).to_json())
    assert saves.backup_offer(tmp_path, "g").describe().endswith(  # as many choices as the backup: nothing to go back
        "The current save is readable and holds 2 choices; it is kept beside the restored one.")
    write_save(tmp_path, SaveGame("g", "mini-pilot", "h", choices=("ambition",)))  # fewer choices than the backup
    (tmp_path / "g.json.bak").write_text("{torn")
    offer = saves.backup_offer(tmp_path, "g")
    assert offer.backup.choices == ("stark", "share-now")  # .bak2: the newest that can be read
    assert offer.describe().endswith("The current save is readable and holds 1 choice; it is kept beside the restored one.")
    undated = json.loads((tmp_path / "g.json.bak2").read_text())
    undated["updated"] = ""
    (tmp_path / "g.json.bak2").write_text(json.dumps(undated))
    assert saves.backup_offer(tmp_path, "g").describe().startswith(
        "The last backup of 'g' was saved at an unknown time and holds 2 choices.")
    saves.restore_backup(tmp_path, "g")
    (replaced,) = [p for p in tmp_path.iterdir() if ".replaced-" in p.name]
    assert read_save(replaced).choices == ("ambition",) and read_save(path).choices == ("stark", "share-now")


def test_decision_fingerprints_stay_as_saves_already_hold_them(mini):
    """Saves written by earlier versions hold these 12-character fingerprints: were they computed
    differently now, every resumed game would say each decision was reworded."""
    panel, board = mini.scenes["panel"], mini.scenes["trust-board"]
    assert saves.decision_text(panel, panel.choices[0]) == "779754e94f00"
    assert saves.decision_text(board, board.choices[0]) == "2bb99812c905"
    recorded = SaveGame("g", mini.id, "", 0, ("stark", "share-now"), trail=(("panel", "779754e94f00"), ("trust-board", "2bb99812c905")))
    assert saves.resume(mini, recorded).notes == ()
