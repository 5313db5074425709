"""The xAPI profile without a network: what statements a game makes, their ids, who they name,
the hook in core that makes them as the game is saved, and Ralph's own validation of each kind."""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest
from lrs_helpers import REQUIRE

from leadgame import library
from leadgame.core import hooks
from leadgame.core.saves import read_save
from leadgame.core.session import Session
from leadgame.core.workshop import WorkshopSession, device_id, new_token
from leadgame.lrs import config as settings
from leadgame.lrs import statements as xs
from leadgame.lrs.outbox import Outbox
from leadgame.lrs.recorder import Recorder
from support import MINI

RUN = ("stark", "share-now", "continue", "continue", "cede")
PHONES = tuple(device_id(new_token()) for _ in range(3))  # a live room's devices


def config(**values) -> settings.LrsConfig:
    return settings._checked(values, "test")


def played(folder, name="Ada", team="", session="", coached=False, feeling="Torn, then sure", run=RUN) -> Session:
    game = Session.new(library.load(MINI), folder, name, seed=0, team=team, session=session, coached=coached)
    for choice in run:
        game.choose(choice)
    if feeling:
        game.set_feeling(feeling)
    game.close()
    return game


def room(folder, code="ROOM1") -> WorkshopSession:
    """A live room: three devices join, two vote on the first decision beside the facilitator's
    typed counts, a tie the facilitator breaks, a note, the devices' answers and the room's feeling."""
    game = WorkshopSession.new(library.load(MINI), folder, code, seed=0, clock=lambda: 100.0)
    for phone in PHONES:
        game.join(phone)
    game.set_voting(True)
    game.cast_vote(PHONES[0], "stark")
    game.cast_vote(PHONES[1], "ambition")
    for votes, tie, note in (({"stark": 9, "ambition": 4}, None, "Long argument"), ({"share-now": 7, "share-later": 7}, "share-now", ""),
                             ({}, None, ""), ({}, None, ""), ({"cede": 8, "escalate": 3}, None, "")):
        for option, count in votes.items():
            game.set_votes(option, count)
        if note:
            game.set_note(note)
        game.advance(tie_break=tie)
    game.move_on()
    for phone, words in zip(PHONES, ("Trust first", "Trust first", "Money follows")):  # the same words twice: two answers
        game.add_answer(phone, 0, words)
    game.write()
    game.set_feeling("We argued well")
    game.close()
    return game


def statements_of(game, policy: settings.LrsConfig | None = None, when: str = "") -> list[dict]:
    return list(xs.Profile(policy or config(), "9b2f3c1e-0000-4000-8000-000000000001").statements(xs.of_game(game), when))


def verbs(statements: list[dict]) -> list[str]:
    return [s["verb"]["display"]["en"] for s in statements]


def test_a_game_makes_one_statement_per_event_with_the_same_id_whenever_it_is_made(isolated_saves):
    game = played(isolated_saves, team="Blue", session="W1")
    live = statements_of(game, when="2026-03-01T10:00:00+00:00")
    later = statements_of(game)  # an export: the save's own times
    assert verbs(live) == ["launched", "answered", "answered", "answered", "completed", "commented"]
    assert [s["id"] for s in live] == [s["id"] for s in later]
    assert len({s["id"] for s in live}) == len(live)
    assert {s["context"]["registration"] for s in live} == {xs.save_registration(game.save)}
    assert [s["result"]["response"] for s in live if s["verb"]["id"] == xs.ANSWERED] == ["stark", "share-now", "cede"]
    other = played(isolated_saves, name="Bea", team="Blue", session="W1")
    assert not {s["id"] for s in statements_of(other)} & {s["id"] for s in live}


def test_statements_carry_the_profile_the_deltas_the_ending_and_the_context(isolated_saves):
    from leadgame.core.scoring import profile

    game = played(isolated_saves, team="Blue", session="W1", coached=True)
    made = statements_of(game)
    answered = next(s for s in made if s["verb"]["id"] == xs.ANSWERED)
    scene = game.scenario.scenes["panel"]
    assert answered["object"]["id"] == "https://leadgame.invalid/xapi/scenarios/mini-pilot/scenes/panel"
    assert answered["object"]["definition"]["interactionType"] == "choice"
    assert answered["result"]["extensions"][xs.DELTAS] == dict(next(c for c in scene.choices if c.id == "stark").scores)
    assert set(answered["result"]["extensions"][xs.PLACES].values()) <= {0.0, 1.0}
    context = answered["context"]
    assert context["extensions"][xs.MODE] == "coached" and context["extensions"][xs.SESSION] == "W1"
    assert context["team"]["name"] == "Blue" and context["extensions"][xs.STEP] == 1
    assert context["contextActivities"]["parent"][0]["id"].endswith("/scenarios/mini-pilot")
    completed = next(s for s in made if s["verb"]["id"] == xs.COMPLETED)
    shape = completed["result"]["extensions"][xs.CONSTRUCT_PROFILE]
    for score in profile(game.state):
        assert shape[score.construct.id] == {"position": score.position, "decisions": score.decisions, "total": score.total}
    assert completed["result"]["response"] == game.state.ending.id and completed["result"]["completion"] is True
    assert "success" not in completed["result"] and "score" not in completed["result"]  # a profile, not a grade
    assert completed["result"]["extensions"][xs.ENDING]["title"] == game.state.ending.title


def test_a_room_votes_per_option_with_its_counts_and_comments_on_its_decisions(isolated_saves):
    made = statements_of(room(isolated_saves))
    assert verbs(made) == ["launched", "joined", "joined", "joined", "answered", "voted", "voted", "voted", "voted", "commented",
                           "answered", "voted", "voted", "answered", "voted", "voted", "completed",
                           "commented", "commented", "commented", "commented"]
    group = {"objectType": "Group", "name": "Room ROOM1", "account": {"homePage": "https://leadgame.invalid/xapi/rooms", "name": "ROOM1"}}
    by_room = [s for s in made if s["actor"]["objectType"] == "Group"]
    assert len(by_room) == len(made) - 5 and all(s["actor"] == group for s in by_room)
    tallies = [(s["object"]["id"].rsplit("/", 1)[1], *(s["result"]["extensions"][k] for k in (xs.COUNT, xs.TOTAL, xs.FROM_DEVICES)))
               for s in by_room if s["verb"]["id"] == xs.VOTED]
    assert sorted(tallies[:2]) == [("ambition", 5, 15, 1), ("stark", 10, 15, 1)]  # typed counts plus the devices' votes
    first, tied = [s for s in made if s["verb"]["id"] == xs.ANSWERED][:2]
    assert first["result"]["extensions"][xs.FROM_DEVICES] == 2
    assert tied["result"]["extensions"][xs.TIE_BREAK] is True
    assert tied["result"]["extensions"][xs.VOTES] == {"share-now": 7, "share-later": 7}
    assert tied["context"]["statement"] == {"objectType": "StatementRef", "id": first["id"]}  # the path, decision by decision
    note = next(s for s in made if s["verb"]["id"] == xs.COMMENTED)
    assert note["result"]["response"] == "Long argument" and note["object"]["id"].endswith("/scenes/panel")
    assert note["context"]["extensions"][xs.KIND] == "note" and note["context"]["extensions"][xs.STEP] == 1
    assert "statement" not in note["context"]  # it names the decision the path came through: none before the first
    *answers, feeling = [s for s in made if s["verb"]["id"] == xs.COMMENTED][1:]
    assert [(s["result"]["response"], s["context"]["extensions"][xs.ORDER]) for s in answers] == [
        ("Trust first", 1), ("Trust first", 2), ("Money follows", 3)]
    assert all(s["object"]["id"].endswith("/scenarios/mini-pilot/reflection/1") and s["actor"] == group for s in answers)
    assert feeling["result"]["response"] == "We argued well" and feeling["object"]["id"].endswith("/scenarios/mini-pilot")


def test_a_learners_notes_and_reflection_answers_are_comments_on_their_steps_and_questions(isolated_saves):
    scenario = library.load(MINI)
    game = Session.new(scenario, isolated_saves, "Ada", seed=0)
    game.set_note(0, "The board wants speed")  # typed at the first decision, before choosing
    before = {s["id"] for s in statements_of(game)}
    for choice in RUN[:3]:
        game.choose(choice)
    game.set_note(2, "A passage worth a note")
    game.set_note(3, "Not taken yet")
    unfinished = statements_of(game)
    for choice in RUN[3:]:
        game.choose(choice)
    game.set_answer(scenario.reflection[0], "Housing, every winter")
    game.set_answer("A question an edit has since dropped", "Still mine")
    game.set_feeling("Calm enough")
    made = statements_of(game)
    assert verbs(made) == ["launched", "answered", "commented", "answered", "commented", "commented", "answered", "completed",
                           "commented", "commented", "commented"]
    pending = next(s for s in unfinished if s.get("result", {}).get("response") == "Not taken yet")
    assert pending["context"]["extensions"][xs.STEP] == 4 and pending["object"]["id"].endswith("/scenes/commander-moves")
    assert before | {pending["id"]} <= {s["id"] for s in made}  # a note made before its step is the same statement after
    notes = [s for s in made if s["context"]["extensions"].get(xs.KIND) == xs.NOTE]
    answered = [s for s in made if s["verb"]["id"] == xs.ANSWERED]
    assert [(n["result"]["response"], n["context"]["extensions"][xs.STEP], n["object"]["id"].rsplit("/", 1)[1]) for n in notes] == [
        ("The board wants speed", 1, "panel"), ("A passage worth a note", 3, "interlude"), ("Not taken yet", 4, "commander-moves")]
    assert "statement" not in notes[0]["context"] and notes[1]["context"]["statement"]["id"] == answered[1]["id"]
    reflections = [s for s in made if s["context"]["extensions"].get(xs.KIND) == xs.REFLECTION]
    assert [(s["result"]["response"], s["object"]["definition"]["name"]["en"]) for s in reflections] == [
        ("Housing, every winter", scenario.reflection[0]), ("Still mine", "A question an edit has since dropped")]
    assert reflections[0]["object"]["id"].endswith("/scenarios/mini-pilot/reflection/1")
    assert "/reflection/q-" in reflections[1]["object"]["id"]
    assert all(s["actor"] == made[0]["actor"] for s in notes + reflections)  # the learner's, never the room's
    game.set_answer(scenario.reflection[0], "Housing, and the GP surgery")
    changed = [s for s in statements_of(game) if s["context"]["extensions"].get(xs.KIND) == xs.REFLECTION]
    assert changed[0]["id"] != reflections[0]["id"] and changed[1]["id"] == reflections[1]["id"]  # a changed answer is new


def test_a_what_if_is_a_playthrough_of_its_own_that_says_where_it_branched(isolated_saves):
    first = played(isolated_saves, feeling="")
    branch = first.branch(1)
    for choice in ("share-later", "continue", "continue", "cede"):
        branch.choose(choice)
    ours, theirs = statements_of(first), statements_of(branch)
    assert ours[0]["context"]["registration"] != theirs[0]["context"]["registration"]
    assert not {s["id"] for s in ours} & {s["id"] for s in theirs}
    assert {s["context"]["extensions"].get(xs.BRANCHED_AT) for s in theirs} == {1}
    assert not any(xs.BRANCHED_AT in s["context"]["extensions"] for s in ours)


def test_a_live_rooms_devices_join_and_vote_under_names_that_hold_in_that_room_only(isolated_saves):
    game = room(isolated_saves)
    made = statements_of(game, config(actor="account", account_name="staff-4711", account_homepage="https://lms.example.org"))
    wire = json.dumps(made)
    assert not any(phone in wire for phone in PHONES)  # the room file's device ids never leave the machine
    assert "staff-4711" not in json.dumps([s for s in made if s["actor"]["objectType"] == "Agent"])  # nor the facilitator's account
    joined = [s for s in made if s["verb"]["id"] == xs.JOINED]
    names = [s["actor"]["account"]["name"] for s in joined]
    assert len(set(names)) == 3 and all(uuid.UUID(n).version == 5 for n in names)
    assert all(s["actor"]["account"]["homePage"] == "https://leadgame.invalid/xapi/room-devices" for s in joined)
    assert [s["timestamp"] for s in joined] == [game.record.devices[p] for p in PHONES]  # when each joined
    by_device = [s for s in made if s["verb"]["id"] == xs.VOTED and s["actor"]["objectType"] == "Agent"]
    assert [(s["actor"]["account"]["name"], s["result"]["response"]) for s in by_device] == [(names[0], "stark"), (names[1], "ambition")]
    assert all(s["context"]["team"]["name"] == "Room ROOM1" for s in joined + by_device)
    other = room(isolated_saves, "ROOM2")  # the same phones in another room: other names
    assert not {s["actor"]["account"]["name"] for s in statements_of(other) if s["verb"]["id"] == xs.JOINED} & set(names)


def test_by_default_no_name_leaves_the_machine(isolated_saves):
    game = played(isolated_saves, name="Ada-Lovelace", feeling="")
    device = settings.device_id()
    made = list(xs.Profile(config(), device).statements(xs.of_game(game)))
    wire = json.dumps(made)
    assert "Ada" not in wire and "Lovelace" not in wire
    assert {json.dumps(s["actor"]) for s in made} == {json.dumps(
        {"objectType": "Agent", "account": {"homePage": "https://leadgame.invalid/xapi/devices", "name": device}})}
    assert uuid.UUID(device).version == 4 and settings.device_id() == device  # random, made once, kept


def test_an_organisation_can_name_learners_by_account_or_by_hashed_email(isolated_saves):
    game = played(isolated_saves, feeling="")
    by_account = statements_of(game, config(actor="account", account_name="staff-4711", account_homepage="https://lms.example.org"))
    assert by_account[0]["actor"] == {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": "staff-4711"}}
    assert by_account[0]["context"]["extensions"][xs.PLAYTHROUGH] == "Ada"
    by_mail = statements_of(game, config(actor="mbox_sha1sum", email=" Ada@Example.org "))
    assert by_mail[0]["actor"] == {"objectType": "Agent", "mbox_sha1sum": hashlib.sha1(b"mailto:ada@example.org").hexdigest()}
    assert "example.org" not in json.dumps(by_mail)


def test_every_kind_of_statement_passes_ralphs_own_xapi_validation(isolated_saves):
    try:
        from ralph.models.xapi.base.statements import BaseXapiStatement
    except ImportError as error:
        (pytest.fail if REQUIRE else pytest.skip)(f"Ralph is not installed ({error}); it is in the test extras")
    policies = [config(), config(actor="account", account_name="staff-4711", account_homepage="https://lms.example.org"),
                config(actor="mbox_sha1sum", email="ada@example.org", base="https://learning.example.org/leadgame")]
    written = played(isolated_saves / "a", team="Blue", session="W1", coached=True)
    written.set_note(0, "Speed or trust?")
    written.set_answer(written.scenario.reflection[0], "Housing")
    games = [written, played(isolated_saves / "b", feeling=""),
             played(isolated_saves / "c", run=("ambition",), feeling=""), room(isolated_saves / "d")]
    checked = set()
    for policy in policies:
        for game in games:
            for statement in statements_of(game, policy):
                BaseXapiStatement(**statement)  # raises on anything Ralph's model refuses
                checked.add(statement["verb"]["display"]["en"])
    assert checked == {"launched", "answered", "completed", "commented", "voted", "joined"}


def test_sessions_and_rooms_tell_the_hook_every_time_they_are_saved(isolated_saves):
    heard = []
    stop = hooks.listen(heard.append)
    try:
        game = played(isolated_saves, run=("stark",), feeling="")
        assert heard == [game, game]  # new, then the decision
        heard.clear()
        workshop = room(isolated_saves)
        assert heard and all(item is workshop for item in heard)
    finally:
        stop()
    heard.clear()
    played(isolated_saves, name="Cy", run=(), feeling="")
    assert heard == []


def test_only_a_save_really_written_is_heard_never_a_run_that_is_not_kept(isolated_saves, monkeypatch):
    import errno

    from leadgame.core import session as session_module
    from leadgame.core import workshop as workshop_module
    from leadgame.core.saves import SaveError
    from leadgame.core.workshop import WorkshopError

    heard = []
    stop = hooks.listen(heard.append)
    try:
        trial = Session.new(library.load(MINI), isolated_saves, "trial", seed=0, persist=False)  # play --no-save
        for choice in RUN:
            trial.choose(choice)
        trial.set_feeling("Just looking")
        assert trial.finished and heard == []
        game = Session.new(library.load(MINI), isolated_saves, "Ada", seed=0)
        workshop = WorkshopSession.new(library.load(MINI), isolated_saves, "ROOM3", seed=0, clock=lambda: 1.0)
        workshop.set_votes("stark", 3)
        heard.clear()

        def disk_full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(session_module, "write_save", lambda *a: (_ for _ in ()).throw(SaveError("disk full")))
        monkeypatch.setattr(workshop_module, "atomic_write", disk_full)
        with pytest.raises(SaveError):
            game.choose("stark")
        with pytest.raises(WorkshopError):
            workshop.advance()
        assert heard == [] and game.state.history == () and workshop.state.history == ()  # not made, not heard of
        monkeypatch.undo()
        game.choose("stark")
        workshop.advance()
        assert heard == [game, workshop]
    finally:
        stop()


def test_the_recorder_queues_each_statement_once_as_the_game_goes(isolated_saves):
    recorder = Recorder(config(), isolated_saves, device="9b2f3c1e-0000-4000-8000-000000000001")
    outbox = Outbox(isolated_saves)
    try:
        game = Session.new(library.load(MINI), isolated_saves, "Ada", seed=0)
        assert outbox.status().verbs == {"launched": 1}
        game.choose("stark")
        assert outbox.status().verbs == {"launched": 1, "answered": 1}
        for choice in RUN[1:]:
            game.choose(choice)
        game.set_feeling("Calm enough")
        game.close()
        assert outbox.status().verbs == {"launched": 1, "answered": 3, "completed": 1, "commented": 1}
        workshop = WorkshopSession.new(library.load(MINI), isolated_saves, "ROOM2", seed=0)
        workshop.set_votes("stark", 5)
        workshop.set_votes("ambition", 2)
        assert outbox.status().queued == 7  # a vote count changing is not an event; the decision is
        workshop.advance()
        assert outbox.status().queued == 7 + 3
        workshop.close()
    finally:
        recorder.close(0)
    again = Recorder(config(), isolated_saves, device="9b2f3c1e-0000-4000-8000-000000000001")  # a later run
    try:
        resumed, _ = Session.resume(library.load(MINI), isolated_saves, read_save(isolated_saves / "Ada.json"))
        resumed.write()
        assert outbox.status().queued == 10
    finally:
        again.close(0)


def test_a_broken_outbox_never_stops_a_game(isolated_saves):
    isolated_saves.mkdir(parents=True)
    (isolated_saves / ".lrs").write_text("not a folder", encoding="utf-8")
    recorder = Recorder(config(), isolated_saves, device="9b2f3c1e-0000-4000-8000-000000000001")
    try:
        game = played(isolated_saves, feeling="Fine")
    finally:
        recorder.close(0)
    assert game.finished and read_save(isolated_saves / "Ada.json").feeling == "Fine"
    assert "Error" in recorder.problem
