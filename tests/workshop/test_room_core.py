"""The headless room session: votes, majority and tie-break, timer, notes, saving after every
change, resuming, and the roads not taken."""

from __future__ import annotations

import json

import pytest
from room_helpers import FakeClock, mini_scenario, new_room

from leadgame.core.saves import SaveError, check_name
from leadgame.core.workshop import (
    Tie, Timer, WorkshopError, WorkshopSession, clock_text, find_workshops, read_workshop, roads_not_taken, safe_name,
)


@pytest.mark.parametrize("text, expected", [
    ("Team Blue", "Team-Blue"),
    ("<script>alert(1)</script>", "script-alert-1-script"),
    ("../../etc/passwd", "etc-passwd"),
    ("a..b", "a-b"),
    ("v1.2 final", "v1.2-final"),
    ("ümlaut ok", "mlaut-ok"),
    ("x" * 200, "x" * 80),
])
def test_safe_name_makes_untrusted_words_fit_for_a_file_name(text, expected):
    assert safe_name(text) == expected
    assert check_name(safe_name(text)) == expected


def test_safe_name_with_nothing_usable_falls_back_or_refuses():
    assert safe_name("<<>>", "team") == "team"
    with pytest.raises(SaveError):
        safe_name("///")


def test_votes_are_saved_after_every_entry(isolated_saves):
    room = new_room(isolated_saves, FakeClock())
    room.set_votes("stark", 7)
    assert read_workshop(room.path).pending_votes == {"stark": 7}
    room.add_vote("ambition")
    room.add_vote("ambition", -5)  # never below zero
    assert read_workshop(room.path).pending_votes == {"stark": 7, "ambition": 0}
    room.set_note("Loud disagreement at the back")
    assert read_workshop(room.path).pending_note == "Loud disagreement at the back"
    assert [p.parent.name for p in find_workshops(isolated_saves)] == ["ROOM1"]


def test_majority_advances_and_records_spread_time_and_note(isolated_saves):
    clock = FakeClock()
    room = new_room(isolated_saves, clock)
    room.set_votes("stark", 5)
    room.set_votes("ambition", 9)
    room.set_note("Ambition carried it")
    clock.advance(75)
    outcome = room.advance()
    assert outcome.choice.id == "ambition"
    (decision,) = read_workshop(room.path).decisions
    assert decision.votes == {"stark": 5, "ambition": 9}
    assert decision.seconds == 75 and decision.note == "Ambition carried it" and not decision.tie_break
    assert room.state.node == "trust-board" and room.votes() == {"share-now": 0, "share-later": 0}


def test_a_tie_needs_the_facilitator(isolated_saves):
    room = new_room(isolated_saves, FakeClock())
    room.set_votes("stark", 4)
    room.set_votes("ambition", 4)
    with pytest.raises(Tie) as tie:
        room.advance()
    assert tie.value.leaders == tuple(c.id for c in room.choices())  # in the order the room sees them
    assert set(tie.value.leaders) == {"stark", "ambition"}
    with pytest.raises(WorkshopError):
        room.advance(tie_break="cede")
    assert room.advance(tie_break="stark").choice.id == "stark"
    assert room.record.decisions[-1].tie_break is True


def test_no_votes_at_all_is_a_tie_between_every_option(isolated_saves):
    room = new_room(isolated_saves, FakeClock())
    with pytest.raises(Tie) as tie:
        room.advance()
    assert set(tie.value.leaders) == {"stark", "ambition"}


def test_passages_continue_without_a_vote(isolated_saves):
    room = new_room(isolated_saves, FakeClock())
    for choice in ("stark", "share-now"):
        room.set_votes(choice, 3)
        room.advance()
    assert room.is_passage
    room.advance()
    assert room.record.decisions[-1].passage and room.record.decisions[-1].votes == {}
    assert room.decision_number == 3


def test_timer_counts_down_pauses_extends_and_resets():
    clock = FakeClock()
    timer = Timer(60, clock)
    assert clock_text(timer.remaining) == "01:00" and not timer.running
    timer.start()
    clock.advance(20.5)
    assert clock_text(timer.remaining) == "00:40"
    timer.pause()
    clock.advance(100)
    assert clock_text(timer.remaining) == "00:40"
    timer.extend(30)
    timer.toggle()
    clock.advance(70)
    assert timer.expired and clock_text(timer.remaining) == "00:00"
    timer.reset()
    assert timer.remaining == 60 and not timer.running


def test_resume_after_a_crash_keeps_every_vote_note_and_the_time(isolated_saves):
    clock = FakeClock()
    room = new_room(isolated_saves, clock)
    room.set_votes("stark", 6)
    room.advance()
    room.set_votes("share-now", 2)
    room.set_votes("share-later", 3)
    room.timer.start()
    clock.advance(40)
    room.set_note("half the room wants lawyers")
    del room  # the laptop dies here

    later = FakeClock(5.0)  # a new process: the monotonic clock starts again
    again, notes = WorkshopSession.resume(mini_scenario(), isolated_saves, read_workshop(isolated_saves / "workshops/ROOM1/workshop.json"), later)
    assert notes == ()
    assert again.state.node == "trust-board"
    assert again.votes() == {"share-now": 2, "share-later": 3}
    assert again.note == "half the room wants lawyers"
    assert again.decision_seconds() == 40
    assert clock_text(again.timer.remaining) == "00:50" and not again.timer.running
    later.advance(5)
    assert again.advance().choice.id == "share-later"
    assert again.record.decisions[-1].seconds == 45


def test_starting_a_session_twice_with_one_code_is_refused(isolated_saves):
    new_room(isolated_saves, FakeClock())
    with pytest.raises(WorkshopError, match="resume it"):
        new_room(isolated_saves, FakeClock())


@pytest.mark.parametrize("damage", ["{not json", json.dumps({"kind": "leadgame-workshop", "format_version": 99}),
                                    json.dumps({"kind": "leadgame-workshop", "format_version": 1, "code": "X", "scenario_id": "m",
                                                "decisions": [{"scene": "panel", "choice": "stark", "votes": {"stark": -3}}]})])
def test_a_damaged_session_file_is_refused_with_a_reason(tmp_path, damage):
    path = tmp_path / "workshop.json"
    path.write_text(damage, encoding="utf-8")
    with pytest.raises(WorkshopError, match=str(path)):
        read_workshop(path)


def test_roads_not_taken_replay_the_minority_one_step(isolated_saves):
    room = new_room(isolated_saves, FakeClock())
    room.set_votes("stark", 8)
    room.set_votes("ambition", 3)
    room.advance()
    room.set_votes("share-now", 5)
    room.advance()
    room.advance()  # winter
    room.advance()  # the commander moves on
    room.set_votes("cede", 6)
    room.set_votes("escalate", 2)
    room.advance()
    assert room.finished
    roads = roads_not_taken(room.scenario, room.record)
    assert [(r.step, r.label, r.votes, r.total) for r in roads] == [
        (1, "Lead with the one-time opportunity to change children's services", 3, 11),
        (3, "Take it to the chief executive", 2, 8)]
    assert roads[0].consequence == "The panel warms to the ambition." and roads[0].leads_to == "The Children's Trust Board"
    assert roads[1].leads_to_ending and roads[1].leads_to == "Work still in progress"
    assert room.debrief().ending.id == "work-in-progress"
