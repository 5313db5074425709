"""Resuming after an author edits the scenario: every decision that still exists is kept, the
ones made on words that changed are named, a renamed start scene is found again, and decisions
that no longer replay are kept in the save, set aside, with an offer to continue from the last
one that holds. Nothing is silently discarded."""

from __future__ import annotations

import json
import shutil

import pytest

from leadgame.core.saves import read_save
from support import FIXTURE_SCENARIOS, MINI, run_cli


def edited_copy(tmp_path, *replacements: tuple[str, str]):
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)
    shutil.copy(FIXTURE_SCENARIOS / "constructs.yaml", folder / "constructs.yaml")
    text = MINI.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = folder / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def saved(folder, name):
    return json.loads((folder / f"{name}.json").read_text())


def test_a_renamed_start_scene_keeps_every_decision_of_a_from_game(isolated_saves, tmp_path):
    original = edited_copy(tmp_path)
    played = run_cli("play", str(original), "--plain", "--from", "trust-board", "--save", "branch", "--seed", "0",
                   input="share-now\n\n\nq\n")
    assert played.returncode == 0, played.stderr
    assert saved(isolated_saves, "branch")["choices"] == ["share-now", "continue", "continue"]
    edited_copy(tmp_path, ("id: trust-board", "id: board"), ("next: trust-board", "next: board"))
    resumed = run_cli("play", "--plain", "--resume", "branch", input="q\n")
    assert resumed.returncode == 0, resumed.stderr
    words = " ".join(resumed.stdout.split())
    assert "The scene this game started at, 'trust-board', is now 'board'." in words
    assert "Replayed" not in words and "The pooled budget" in words
    decided = run_cli("play", "--plain", "--resume", "branch", input="cede\n\n")
    assert decided.returncode == 0, decided.stderr
    save = read_save(isolated_saves / "branch.json")
    assert save.start_scene == "board" and save.choices == ("share-now", "continue", "continue", "cede")
    again = run_cli("play", "--plain", "--resume", "branch", input="\n")
    assert "started at" not in again.stdout and "Replayed" not in again.stdout


def test_a_reworded_decision_is_named_and_kept(isolated_saves, tmp_path):
    path = edited_copy(tmp_path)
    assert run_cli("play", str(path), "--plain", "--save", "words", input="stark\nshare-now\nq\n").returncode == 0
    edited_copy(tmp_path, ("label: Start the data-sharing protocols now", "label: Begin the data-sharing protocols at once"))
    resumed = run_cli("play", "--plain", "--resume", "words", input="q\n")
    words = " ".join(resumed.stdout.split())
    assert "Decision 2 was reworded since you made it; your choices stand." in words
    assert saved(isolated_saves, "words")["choices"] == ["stark", "share-now"]


def test_an_option_edited_out_is_set_aside_and_continuing_is_offered(isolated_saves, tmp_path):
    path = edited_copy(tmp_path)
    assert run_cli("play", str(path), "--plain", "--save", "cut", "--seed", "0", input="ambition\nshare-later\n\n\nq\n").returncode == 0
    before = saved(isolated_saves, "cut")
    assert before["choices"] == ["ambition", "share-later", "continue", "continue"]
    edited_copy(tmp_path, ("id: share-later", "id: relationships-first"))
    declined = run_cli("play", "--plain", "--resume", "cut", input="n\n")
    assert declined.returncode == 0
    words = " ".join(declined.stdout.split())
    assert "Replayed 1 of 2 decisions" in words and "share-later" in words and "set aside" in words
    assert "Continue from decision 1" in words and "Nothing was changed" in words
    assert saved(isolated_saves, "cut") == before
    accepted = run_cli("play", "--plain", "--resume", "cut", input="y\nshare-now\n")
    assert accepted.returncode == 0, accepted.stderr
    after = read_save(isolated_saves / "cut.json")
    assert after.choices[:2] == ("ambition", "share-now")
    (aside,) = after.set_aside
    assert aside.kept == 1 and [c for _, c, _ in aside.decisions] == ["share-later", "continue", "continue"]
    assert aside.decisions[0][0] == "trust-board" and "no longer offered" in aside.reason
    more = run_cli("play", "--plain", "--resume", "cut", input="\n\n")  # two more decisions, two more backups
    assert more.returncode == 0, more.stderr
    assert read_save(isolated_saves / "cut.json").set_aside == after.set_aside


@pytest.mark.slow
async def test_the_app_offers_to_continue_or_to_leave_the_save_alone(isolated_saves, tmp_path, monkeypatch):
    from leadgame import library, locations
    from leadgame.core.session import Session
    from leadgame.tui.app import LeadgameApp
    from leadgame.tui.screens.modals import ContinueAfterEdit
    from leadgame.tui.screens.title import TitleScreen

    monkeypatch.setenv(locations.SCENARIOS_ENV, str(FIXTURE_SCENARIOS))
    path = edited_copy(tmp_path)
    game = Session.new(library.load(path), isolated_saves, "tui-cut")
    for choice in ("ambition", "share-later"):
        game.choose(choice)
    game.close()
    before = saved(isolated_saves, "tui-cut")
    changed = library.load(edited_copy(tmp_path, ("id: share-later", "id: relationships-first")))
    for answer, keys in (("leave", ("down", "enter")), ("continue", ("enter",))):
        resumed, notes = Session.resume(changed, isolated_saves, read_save(isolated_saves / "tui-cut.json"))
        app = LeadgameApp(resumed, notes)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ContinueAfterEdit)
            assert "set aside" in str(app.screen.query_one(".dialog-words").render())
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            if answer == "leave":
                assert isinstance(app.screen, TitleScreen) and app.current is None
                assert saved(isolated_saves, "tui-cut") == before
            else:
                shown = [c.id for c in resumed.choices()]  # the options in the game's own order
                await pilot.press(str(shown.index("share-now") + 1), "enter")
                await pilot.pause()
                assert resumed.state.choice_log == ("ambition", "share-now")
                assert read_save(isolated_saves / "tui-cut.json").set_aside[0].kept == 1
        resumed.close()


def test_a_room_session_keeps_the_steps_and_votes_an_edit_stops_replaying(isolated_saves, tmp_path):
    from leadgame import library
    from leadgame.core.workshop import WorkshopSession, read_workshop, workshop_file

    room = WorkshopSession.new(library.load(edited_copy(tmp_path)), isolated_saves, "EDITED")
    for choice, votes in (("ambition", {"ambition": 5, "stark": 2}), ("share-later", {"share-later": 6, "share-now": 1})):
        for option, count in votes.items():
            room.set_votes(option, count)
        room.advance()
    room.close()
    changed = library.load(edited_copy(tmp_path, ("id: share-later", "id: relationships-first")))
    resumed, notes = WorkshopSession.resume(changed, isolated_saves, read_workshop(workshop_file(isolated_saves, "EDITED")))
    resumed.close()
    assert any("kept in the session file, set aside" in note for note in notes)
    record = read_workshop(workshop_file(isolated_saves, "EDITED"))
    assert record.choices == ("ambition",)
    (aside,) = record.set_aside
    assert aside.kept == 1 and aside.decisions[0].choice == "share-later"
    assert aside.decisions[0].votes == {"share-now": 1, "share-later": 6}


def test_notes_on_decisions_set_aside_go_with_them(isolated_saves, tmp_path):
    path = edited_copy(tmp_path)
    typed = "n\nBold start\nambition\nn\nThe board balked\nshare-later\n\n\nq\n"
    assert run_cli("play", str(path), "--plain", "--save", "noted", "--seed", "0", input=typed).returncode == 0
    assert read_save(isolated_saves / "noted.json").notes == {0: "Bold start", 1: "The board balked"}
    edited_copy(tmp_path, ("id: share-later", "id: relationships-first"))
    accepted = run_cli("play", "--plain", "--resume", "noted", input="y\nshare-now\nq\n")
    assert accepted.returncode == 0, accepted.stderr
    after = read_save(isolated_saves / "noted.json")
    assert after.choices[:2] == ("ambition", "share-now")
    assert after.notes == {0: "Bold start"}  # the new second decision does not inherit the old one's note
    (aside,) = after.set_aside
    assert aside.notes == ((1, "The board balked"),)  # kept with the decision it was written on
