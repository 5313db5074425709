"""Saves: round trip, determinism, resume after edits, crash safety, and names that stay put."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from support import FIXTURE_SCENARIOS
from leadgame.core import saves
from leadgame.core.loader import load_scenario
from leadgame.core.saves import SaveError, SaveGame, list_saves, read_save, save_path, write_save
from leadgame.core.session import Session


def test_round_trip_keeps_every_field(tmp_path):
    original = SaveGame("run-1", "mini-pilot", "abc", seed=7, choices=("stark", "share-now"), coached=True,
                        feeling="Tense", team="Reds", session="WS1")
    path = write_save(tmp_path, original)
    loaded = read_save(path)
    assert loaded.choices == original.choices and loaded.seed == 7 and loaded.coached
    assert loaded.feeling == "Tense" and loaded.team == "Reds" and loaded.session == "WS1"
    assert json.loads(path.read_text())["format_version"] == saves.FORMAT_VERSION


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


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "a/b", "..", ".hidden", "", "x" * 200, "a\\b", "nul\x00"])
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
    ],
)
def test_damaged_saves_get_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(SaveError) as error:
        read_save(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_listing_puts_newest_first_and_reports_damaged_files(tmp_path):
    write_save(tmp_path, SaveGame("old", "mini-pilot", "h", updated="2020-01-01T00:00:00+00:00"))
    newer = SaveGame("new", "mini-pilot", "h")
    write_save(tmp_path, newer)
    (tmp_path / "junk.json").write_text("not json")
    good, bad = list_saves(tmp_path)
    assert [s.name for _, s in good] == ["new", "old"]
    assert len(bad) == 1 and "junk.json" in bad[0]


def test_what_if_branch_is_a_separate_save(mini, tmp_path):
    game = Session.new(mini, tmp_path, name="main", seed=0)
    for choice in ("stark", "share-now"):
        game.choose(choice)
    branch = game.branch(1, name="main-whatif")
    assert branch.state.choice_log == ("stark",)
    branch.choose("share-later")
    assert read_save(tmp_path / "main.json").choices == ("stark", "share-now")
    assert read_save(tmp_path / "main-whatif.json").choices == ("stark", "share-later")
