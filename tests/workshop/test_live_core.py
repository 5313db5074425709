"""A live room's record, headless: devices join, vote once per decision (and may change it
while voting is open), answer the reflection questions at the debrief; the countdown closes
voting and extending it after time is up gives the whole extension. Everything round-trips
through the room file."""

from __future__ import annotations

import json

import pytest
from room_helpers import FakeClock, new_room

from leadgame.core.workshop import (
    ANSWERS_PER_DEVICE, MAX_ANSWER_CHARS, Timer, WorkshopError, WorkshopSession, device_id, new_token, read_workshop,
)

ANN, BEN, CAL = (device_id(new_token()) for _ in range(3))


def joined_room(saves, clock=None):
    room = new_room(saves, clock or FakeClock())
    for device in (ANN, BEN, CAL):
        assert room.join(device)
    return room


def test_a_device_is_known_by_a_hash_of_its_token_never_the_token():
    token = new_token()
    assert device_id(token) == device_id(token) and len(device_id(token)) == 24
    assert token not in device_id(token)
    for bad in ("", "short", "x" * 200, "../../etc", "<script>" * 5, None):
        with pytest.raises(WorkshopError):
            device_id(bad)


def test_one_vote_per_device_changeable_while_voting_is_open(isolated_saves):
    room = joined_room(isolated_saves)
    with pytest.raises(WorkshopError, match="closed"):
        room.cast_vote(ANN, "stark")  # voting has not opened
    room.set_voting(True)
    room.cast_vote(ANN, "stark")
    room.cast_vote(ANN, "ambition")  # a change, not a second vote
    room.cast_vote(BEN, "ambition")
    room.set_votes("stark", 1)  # a hand counted in the room by the facilitator
    assert room.votes() == {"stark": 1, "ambition": 2}
    with pytest.raises(WorkshopError, match="not an option"):
        room.cast_vote(CAL, "no-such-option")
    with pytest.raises(WorkshopError, match="not joined"):
        room.cast_vote(device_id(new_token()), "stark")
    room.set_voting(False)
    with pytest.raises(WorkshopError, match="closed"):
        room.cast_vote(ANN, "stark")
    room.advance()
    decision = read_workshop(room.path).decisions[0]
    assert decision.choice == "ambition" and decision.votes == {"stark": 1, "ambition": 2}
    assert decision.device_votes == {ANN: "ambition", BEN: "ambition"} and decision.typed == 1
    saved = read_workshop(room.path)
    assert saved.device_votes == {} and not saved.voting_open and saved.showing_outcome  # the room reads the outcome


def test_the_countdown_closes_voting_and_extending_opens_it(isolated_saves):
    clock = FakeClock()
    room = joined_room(isolated_saves, clock)
    room.set_voting(True)
    room.timer.start()
    clock.advance(91)  # the room's timer is 90 s
    assert not room.voting_open
    with pytest.raises(WorkshopError, match="closed"):
        room.cast_vote(ANN, "stark")
    room.timer.extend(30)
    assert room.voting_open
    room.cast_vote(ANN, "stark")


def test_extending_after_time_is_up_gives_the_whole_extension():
    clock = FakeClock()
    timer = Timer(60, clock)
    timer.start()
    clock.advance(150)  # time ran out 90 s ago and nobody noticed
    assert timer.expired
    timer.extend(30)
    assert timer.remaining == 30 and timer.running
    clock.advance(10)
    assert timer.remaining == 20
    timer.pause()
    clock.advance(100)
    timer.extend(15)  # paused with time left: simply more time
    assert timer.remaining == 35


def test_answers_open_at_the_debrief_and_are_bounded(isolated_saves):
    room = joined_room(isolated_saves)
    with pytest.raises(WorkshopError, match="debrief"):
        room.add_answer(ANN, 0, "too early")
    for choice in ("stark", "share-now", None, None, "cede"):
        if choice:
            room.set_votes(choice, 1)
        room.advance()
    assert room.finished
    answer = room.add_answer(ANN, 0, "  <script>alert('x')</script>\x1b[31m  ")
    assert answer.text == "<script>alert('x')</script>[31m"  # kept as text, control characters gone
    assert len(room.add_answer(BEN, 0, "y" * 5000).text) == MAX_ANSWER_CHARS
    for bad_question in (-1, 99):
        with pytest.raises(WorkshopError, match="no such question"):
            room.add_answer(ANN, bad_question, "hello")
    with pytest.raises(WorkshopError, match="empty"):
        room.add_answer(ANN, 0, " \x00 ")
    for _ in range(ANSWERS_PER_DEVICE - 1):
        room.add_answer(CAL, 0, "again")
    room.add_answer(CAL, 0, "last one")
    with pytest.raises(WorkshopError, match="no more"):
        room.add_answer(CAL, 0, "one too many")
    room.write()
    saved = read_workshop(room.path)
    assert saved.answers[0].text == answer.text and len(saved.answers) == 2 + ANSWERS_PER_DEVICE
    assert saved.answered == {ANN: 1, BEN: 1, CAL: ANSWERS_PER_DEVICE}
    assert "alert" not in json.dumps(saved.answered)  # counts by device say nothing of what was written


def test_a_restart_keeps_joins_votes_voting_and_answers(isolated_saves):
    clock = FakeClock()
    room = joined_room(isolated_saves, clock)
    room.set_voting(True)
    room.cast_vote(ANN, "stark")
    secret = room.presenter_secret()
    room.write()
    room.close()
    resumed, notes = WorkshopSession.resume(room.scenario, isolated_saves, read_workshop(room.path), clock)
    assert notes == ()
    assert set(resumed.record.devices) == {ANN, BEN, CAL} and resumed.device_vote(ANN) == "stark"
    assert resumed.voting_open and resumed.presenter_secret() == secret
    assert resumed.votes() == {"stark": 1, "ambition": 0}


def test_a_room_file_from_before_live_rooms_still_opens(isolated_saves):
    room = new_room(isolated_saves, FakeClock())
    room.set_votes("stark", 3)
    data = json.loads(room.path.read_text())
    data["format_version"] = 1
    for key in ("devices", "answers", "answered", "presenter_secret", "live_url"):
        del data[key]
    for key in ("device_votes", "voting_open", "showing_outcome"):
        del data["pending"][key]
    room.path.write_text(json.dumps(data))
    record = read_workshop(room.path)
    assert record.pending_votes == {"stark": 3} and record.devices == {} and record.answers == ()


@pytest.mark.parametrize("damage", [
    lambda d: d.update(devices={"../../etc": "now"}),
    lambda d: d.update(devices={f"{n:024x}": "now" for n in range(3000)}),
    lambda d: d["pending"].update(device_votes={"a" * 24: 7}),
    lambda d: d.update(answers=[{"question": "one", "text": "hi"}]),
    lambda d: d.update(answers="lots"),
])
def test_damaged_live_fields_are_refused_with_a_reason(isolated_saves, damage):
    room = new_room(isolated_saves, FakeClock())
    data = json.loads(room.path.read_text())
    damage(data)
    room.path.write_text(json.dumps(data))
    with pytest.raises(WorkshopError, match=str(room.path)):
        read_workshop(room.path)


def test_the_qr_code_drawn_in_text_is_the_code_segno_makes():
    import segno

    from leadgame.workshop.qr import BOTH, LOWER, QUIET, UPPER, qr_lines

    url = "HTTP://192.168.1.20:8000/J/K7QX2M"
    lines = qr_lines(url)
    rows = []  # each line of half blocks back into its two rows of modules
    for line in lines:
        rows.append([ch in (UPPER, BOTH) for ch in line])
        rows.append([ch in (LOWER, BOTH) for ch in line])
    matrix = [[bool(m) for m in row] for row in segno.make(url, error="l", micro=False).matrix]
    size = len(matrix)
    assert [row[QUIET:QUIET + size] for row in rows[QUIET:QUIET + size]] == matrix
    assert not any(any(row) for row in rows[:QUIET] + rows[QUIET + size:])  # a light border all round
    assert len(lines[0]) == size + 2 * QUIET <= 40  # small enough for the projector's side column


def test_a_full_room_still_fits_in_a_file_leadgame_reads_back(isolated_saves):
    from leadgame.core.saves import MAX_SAVE_BYTES
    from leadgame.core.workshop import MAX_ANSWERS, MAX_DEVICES

    room = new_room(isolated_saves, FakeClock())
    devices = [f"{n:024x}" for n in range(MAX_DEVICES)]
    for device in devices:
        room.join(device)
    with pytest.raises(WorkshopError, match="full"):
        room.join(device_id(new_token()))
    room.set_voting(True)
    for device in devices:
        room.cast_vote(device, "stark")
    for choice in ("stark", "share-now", None, None, "cede"):
        if choice:
            room.set_votes(choice, 1)
        room.advance()
    for number in range(MAX_ANSWERS):  # the longest answers, in a script of four bytes a letter
        room.add_answer(devices[number % MAX_DEVICES], 0, "𝔸" * MAX_ANSWER_CHARS)
    with pytest.raises(WorkshopError, match="no more"):
        room.add_answer(devices[-1], 0, "one more")
    room.write()
    assert room.path.stat().st_size < MAX_SAVE_BYTES
    assert len(read_workshop(room.path).answers) == MAX_ANSWERS
