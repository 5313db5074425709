"""Against a real LRS (Ralph, started by the suite): games played in plain mode reach it statement
by statement; the LRS going away mid-game and coming back loses and duplicates nothing; wrong
credentials say so and keep the outbox; exports add nothing twice; `report --lrs` is the report
the saves give; and the LRS accepts every statement leadgame makes."""

from __future__ import annotations

import csv
import io
import json
import time
from collections import Counter
from pathlib import Path

import pytest
from lrs_helpers import PlainGame

from leadgame import library
from leadgame.core.saves import read_save
from leadgame.core.workshop import WorkshopSession, device_id, new_token
from leadgame.lrs import config as settings
from leadgame.lrs import statements as xs
from leadgame.lrs.recorder import Recorder
from support import FIXTURE_SCENARIOS, MINI, run_cli

ADA = ["stark", "share-now", "", "", "cede", "Calm enough"]  # seed 0: two passages before the last decision
WRITING = ["n", "The board wants speed", "stark", "share-now", "n", "A passage worth a note", "", "", "cede", "Calm enough",
           "Housing, every winter"]  # a note at a decision, one at a passage, the feeling and a reflection answer
ANSWERS = {"Ada": ADA, "Bea": ["ambition", "share-now", "", "", "confront", "", "Lawyers slow every protocol"],
           "Cy": ["stark", "share-later", "", "", "escalate", ""]}
ACCOUNT = {"LEADGAME_LRS_ACTOR": "account", "LEADGAME_LRS_ACCOUNT_NAME": "staff-4711",
           "LEADGAME_LRS_ACCOUNT_HOMEPAGE": "https://lms.example.org"}


def play(name: str, answers: list[str], env: dict, *tags: str) -> None:
    played = run_cli("play", "mini-pilot", "--plain", "--seed", "0", "--save", name, *tags,
                     input="\n".join(answers) + "\n", env=env)
    assert played.returncode == 0, played.stderr


def expected(saves: Path, name: str, env: dict) -> list[dict]:
    """The statements a save stands for, made from the save file itself."""
    save = read_save(saves / f"{name}.json")
    from leadgame.core.engine import replay

    state = replay(library.load(MINI), save.seed, save.choices, save.start_scene).state
    policy = settings.load(environ=env)
    return list(xs.Profile(policy, settings.device_id()).statements(xs.from_save(save, state)))


def queued(env: dict) -> int:
    status = run_cli("lrs", "status", env=env)
    assert status.returncode == 0, status.stderr
    line = next(line for line in status.stdout.splitlines() if line.strip().startswith("queued:"))
    return int(line.split()[1].replace(",", ""))


def wait_for(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_game_played_in_plain_mode_reaches_the_lrs_statement_by_statement(lrs, isolated_saves):
    play("Ada", ADA, lrs.env())
    made = expected(isolated_saves, "Ada", lrs.env())
    registration = made[0]["context"]["registration"]
    stored = lrs.statements(registration=registration)
    assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in made)
    assert Counter(s["verb"]["display"]["en"] for s in stored) == {"launched": 1, "answered": 3, "completed": 1, "commented": 1}
    answers = sorted((s for s in stored if s["verb"]["id"] == xs.ANSWERED), key=lambda s: s["context"]["extensions"][xs.STEP])
    assert [s["result"]["response"] for s in answers] == ["stark", "share-now", "cede"]
    assert next(s for s in stored if s["verb"]["id"] == xs.COMMENTED)["result"]["response"] == "Calm enough"
    assert queued(lrs.env()) == 0  # all sent, nothing left behind


def test_the_lrs_going_away_mid_game_and_coming_back_loses_and_duplicates_nothing(ralph, lrs, isolated_saves):
    game = PlainGame("mini-pilot", "--plain", "--seed", "0", "--save", "Ada", env=lrs.env())
    game.answer("stark")
    game.answer("share-now")
    wait_for(lambda: len(lrs.statements()) == 3)  # launched and two answers, sent in the background
    ralph.stop()
    game.answer("")
    game.answer("")
    game.answer("cede")  # the ending: queued while the LRS is away
    assert queued(lrs.env()) == 2
    ralph.start()
    game.answer("Calm enough")  # the next thing saved wakes the sender, which now gets through
    assert game.finish() == 0, game.errors
    made = expected(isolated_saves, "Ada", lrs.env())
    wait_for(lambda: len(lrs.statements()) == len(made))
    stored = lrs.stored_lines()
    assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in made)  # everything, each once
    assert queued(lrs.env()) == 0
    # Sending again, or exporting the same save, adds nothing.
    assert "Nothing to send" in run_cli("lrs", "push", env=lrs.env()).stdout
    exported = run_cli("lrs", "export", str(isolated_saves), env=lrs.env())
    assert exported.returncode == 0 and "0 new to the outbox" in exported.stdout
    assert len(lrs.stored_lines()) == len(made)


def test_notes_and_reflection_answers_typed_in_plain_mode_reach_the_lrs_as_comments(lrs, isolated_saves):
    play("Ada", WRITING, lrs.env())
    save = read_save(isolated_saves / "Ada.json")
    assert save.notes == {0: "The board wants speed", 2: "A passage worth a note"} and len(save.answers) == 1
    made = expected(isolated_saves, "Ada", lrs.env())
    stored = lrs.statements(registration=made[0]["context"]["registration"])
    assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in made) and len(stored) == 9
    comments = {s["result"]["response"]: s for s in stored if s["verb"]["id"] == xs.COMMENTED}
    assert set(comments) == {"The board wants speed", "A passage worth a note", "Calm enough", "Housing, every winter"}
    kinds = {text: (s["context"]["extensions"][xs.KIND], s["context"]["extensions"].get(xs.STEP), s["object"]["id"].split("/mini-pilot/")[-1])
             for text, s in comments.items()}
    assert kinds == {"The board wants speed": ("note", 1, "scenes/panel"), "A passage worth a note": ("note", 3, "scenes/interlude"),
                     "Calm enough": ("feeling", None, "https://leadgame.invalid/xapi/scenarios/mini-pilot"),
                     "Housing, every winter": ("reflection", None, "reflection/1")}
    question = comments["Housing, every winter"]["object"]["definition"]["name"]["en"]
    assert question == library.load(MINI).reflection[0]
    exported = run_cli("lrs", "export", str(isolated_saves), env=lrs.env())
    assert exported.returncode == 0 and "9 statement(s), 0 new to the outbox" in exported.stdout
    assert len(lrs.stored_lines()) == 9


def test_wrong_credentials_say_so_and_keep_every_statement_queued(lrs, isolated_saves):
    wrong = lrs.env(LEADGAME_LRS_PASSWORD="not-the-password")
    play("Ada", ADA, wrong)  # play is never held up by it
    assert queued(wrong) == 6
    pushed = run_cli("lrs", "push", env=wrong)
    assert pushed.returncode == 1
    assert "refused the credentials (HTTP 401)" in pushed.stderr and "6 statement(s) stay in the outbox" in pushed.stderr
    assert "Traceback" not in pushed.stderr
    assert queued(wrong) == 6 and lrs.statements() == []
    pushed = run_cli("lrs", "push", env=lrs.env())
    assert pushed.returncode == 0 and "Sent 6 statement(s)." in pushed.stdout and "sent 6 of 6" in pushed.stdout
    assert len(lrs.statements()) == 6
    # The password is never printed, logged or written down by leadgame.
    everything = pushed.stdout + pushed.stderr + run_cli("lrs", "status", env=lrs.env()).stdout
    written = "".join(p.read_text(encoding="utf-8", errors="replace") for p in isolated_saves.rglob("*") if p.is_file())
    for secret in (lrs.password, "not-the-password"):
        assert secret not in everything and secret not in written


def test_an_unreachable_lrs_is_named_and_the_outbox_kept(isolated_saves):
    from lrs_helpers import free_port

    env = {"LEADGAME_LRS_ENDPOINT": f"http://127.0.0.1:{free_port()}/xAPI/"}
    play("Ada", ADA, env)
    pushed = run_cli("lrs", "push", env=env)
    assert pushed.returncode == 1
    assert "cannot reach the LRS at http://127.0.0.1:" in pushed.stderr and "connection refused" in pushed.stderr
    assert queued(env) == 6


def old_saves(folder: Path) -> None:
    """Saves in formats an older leadgame wrote: an unfinished game in format 1, a finished one,
    with its feeling, in format 3 (before notes, answers and what-ifs)."""
    common = {"scenario_id": "mini-pilot", "scenario_hash": "h", "seed": 0, "coached": False, "scenario_path": "",
              "team": "", "session": "", "created": "2025-01-01T09:00:00+00:00", "updated": "2025-01-01T09:30:00+00:00"}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Old1.json").write_text(json.dumps({**common, "format_version": 1, "name": "Old1", "choices": ["stark"],
                                                  "finished": False, "feeling": ""}), encoding="utf-8")
    (folder / "Old3.json").write_text(json.dumps({**common, "format_version": 3, "name": "Old3", "choices": list(ADA[:2]) + ["continue"] * 2 + ["cede"],
                                                  "finished": True, "feeling": "Long ago", "start_scene": "", "trail": [],
                                                  "set_aside": []}), encoding="utf-8")


def test_exporting_saves_already_on_disk_records_each_game_once(lrs, isolated_saves, tmp_path):
    elsewhere = tmp_path / "copied-saves"
    for name, answers in ANSWERS.items():  # played with no LRS: nothing is recorded
        play(name, answers, {"LEADGAME_SAVES": str(elsewhere)})
    record_room(elsewhere)
    old_saves(elsewhere)
    assert not (elsewhere / ".lrs").exists()
    (elsewhere / "broken.json").write_text('{"format_version": 2, "name": "Fay", "scen', encoding="utf-8")
    exported = run_cli("lrs", "export", str(elsewhere), env=lrs.env())
    assert exported.returncode == 0, exported.stderr
    assert "broken.json: not valid JSON" in exported.stdout
    # Ada 6, Bea 6 (with her reflection answer), Cy 5, the room 21, Old1 2 and Old3 6.
    assert "Exported 6 game(s): 46 statement(s), 46 new to the outbox." in exported.stdout
    assert "Sent 46 statement(s)." in exported.stdout
    stored = lrs.stored_lines()
    assert len(stored) == 46 and sum(s["verb"]["id"] == xs.JOINED for s in stored) == 3
    # The room's votes: per option, the typed count plus the devices' (with how many were theirs), and each device's.
    first_votes = [s for s in stored if s["verb"]["id"] == xs.VOTED and s["context"]["extensions"][xs.STEP] == 1]
    by_option = sorted((s["object"]["id"].rsplit("/", 1)[1], s["result"]["extensions"][xs.COUNT], s["result"]["extensions"][xs.FROM_DEVICES],
                        s["result"]["extensions"][xs.TOTAL]) for s in first_votes if s["actor"]["objectType"] == "Group")
    assert by_option == [("ambition", 4, 0, 15), ("stark", 11, 2, 15)]
    assert sorted(s["result"]["response"] for s in first_votes if s["actor"]["objectType"] == "Agent") == ["stark", "stark"]
    assert sum(s["verb"]["id"] == xs.VOTED for s in stored) == 8
    again = run_cli("lrs", "export", str(elsewhere), env=lrs.env())
    assert "0 new to the outbox" in again.stdout and len(lrs.stored_lines()) == 46
    # A machine that forgot what it sent exports again: the LRS already holds every statement.
    import shutil

    shutil.rmtree(isolated_saves / ".lrs")
    forgot = run_cli("lrs", "export", str(elsewhere), env=lrs.env())
    assert forgot.returncode == 0 and "46 new to the outbox" in forgot.stdout
    assert len(lrs.stored_lines()) == 46
    # The old game played on where it lies: kept as format 4, still the same game to the LRS.
    registration = xs.save_registration(read_save(elsewhere / "Old1.json"))
    resumed = run_cli("play", "--plain", "--resume", "Old1", input="share-now\n\n\ncede\nAt last\n\n",
                      env=lrs.env(LEADGAME_SAVES=str(elsewhere)))
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads((elsewhere / "Old1.json").read_text(encoding="utf-8"))["format_version"] == 4
    assert xs.save_registration(read_save(elsewhere / "Old1.json")) == registration
    stored = lrs.stored_lines()
    assert len({s["id"] for s in stored}) == len(stored) == 46 + 4  # two decisions, the ending and the feeling: each once
    mine = Counter(s["verb"]["display"]["en"] for s in stored if s["context"]["registration"] == registration)
    assert mine == {"launched": 1, "answered": 3, "completed": 1, "commented": 1}


def test_a_game_recorded_live_and_exported_later_is_in_the_lrs_once(lrs, isolated_saves):
    play("Ada", ADA, lrs.env())
    import shutil

    shutil.rmtree(isolated_saves / ".lrs")  # a machine that forgot what it sent
    # Export stamps statements with the save's times, not the moments they happened: later than
    # the game here, so the LRS holds the same ids with other content, and says so (409).
    path = isolated_saves / "Ada.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"updated": "', '"updated": "2030-01-01T00:00:00+00:00", "was": "'),
                    encoding="utf-8")
    exported = run_cli("lrs", "export", str(isolated_saves), env=lrs.env())
    assert exported.returncode == 0, exported.stderr
    assert "6 were already in the LRS" in exported.stdout
    assert len(lrs.stored_lines()) == 6


def record_room(folder: Path) -> None:
    """A live room session: devices join and vote beside the facilitator's typed counts, a tie
    the facilitator breaks, a note, the devices' anonymous answers and the room's feeling."""
    room = WorkshopSession.new(library.load(MINI), folder, "ROOM1", seed=0, clock=lambda: 50.0)
    phones = [device_id(new_token()) for _ in range(3)]
    for phone in phones:
        room.join(phone)
    room.set_voting(True)
    room.cast_vote(phones[0], "stark")
    room.cast_vote(phones[1], "stark")
    for choice, votes, note in (("stark", {"stark": 9, "ambition": 4}, "Long argument"),
                                ("share-now", {"share-now": 7, "share-later": 7}, ""), (None, {}, ""), (None, {}, ""),
                                ("cede", {"cede": 8, "escalate": 3}, "")):
        for option, count in votes.items():
            room.set_votes(option, count)
        if note:
            room.set_note(note)
        room.advance(tie_break=choice if votes and len(set(votes.values())) == 1 else None)
    room.move_on()
    for phone, words in zip(phones, ("Housing, every winter", "Housing, every winter", "Nobody owns the pipes")):
        room.add_answer(phone, 0, words)
    room.write()
    room.set_feeling("We argued well")
    room.close()


@pytest.fixture(scope="module")
def recorded_cohort(ralph, tmp_path_factory):
    """Games recorded live by a real LRS: three learners of one team (plain mode; one with a
    reflection answer, one with a note), an unfinished game, a coached one, and a live room
    session with devices' votes beside typed counts, a tie, a note, anonymous answers and its feeling."""
    account = ralph.account()
    folder = tmp_path_factory.mktemp("cohort")
    env = account.env(LEADGAME_SAVES=str(folder), LEADGAME_CONFIG=str(folder.parent / "cohort-config.toml"),
                      LEADGAME_SCENARIOS=str(FIXTURE_SCENARIOS), **ACCOUNT)
    for name, answers in ANSWERS.items():
        play(name, ["n", "Too quick?", *answers] if name == "Cy" else answers, env, "--team", "Blue", "--session", "W1")
    play("Eve", ["ambition"], env)  # input ends: an unfinished game
    play("Flo", ["stark", "share-later", "", "", "cede", ""], env, "--coached")
    recorder = Recorder(settings.load(environ=env), folder, send=False)
    try:
        record_room(folder)
    finally:
        recorder.close(0)
    pushed = run_cli("lrs", "push", env=env)
    assert pushed.returncode == 0, pushed.stderr
    return folder, env, account


def without_file_column(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    where = rows[0].index("file")  # where each run came from: a file, or the LRS
    return [row[:where] + row[where + 1:] for row in rows]


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "text"])
def test_report_from_the_lrs_is_the_report_from_the_same_saves(recorded_cohort, fmt):
    folder, env, _ = recorded_cohort
    from_saves = run_cli("report", str(folder), "--format", fmt, env=env)
    from_lrs = run_cli("report", "--lrs", "--format", fmt, env=env)
    assert from_saves.returncode == 0 and from_lrs.returncode == 0, from_lrs.stderr
    if fmt == "csv":
        assert without_file_column(from_saves.stdout) == without_file_column(from_lrs.stdout)
        assert f",{folder}" in from_saves.stdout and ",lrs/" in from_lrs.stdout
        return
    assert from_lrs.stdout == from_saves.stdout
    if fmt == "text":
        return  # the terminal's table wraps cells; the words are checked in the other formats
    # What a live room adds is in both: devices joined, votes from devices, the facilitator's note,
    # the anonymous answers.
    words = " ".join(from_saves.stdout.split())
    assert "5 learner runs, 1 room session, 1 scenario" in words
    assert "3 devices joined" in words and "2 of 15 votes from devices" in words and "Long argument" in words
    assert "Housing, every winter" in words and "Nobody owns the pipes" in words


def test_report_from_the_lrs_by_session_scenario_registration_and_time(recorded_cohort):
    folder, env, _ = recorded_cohort
    session = run_cli("report", "--lrs", "--session", "W1", "--format", "md", env=env).stdout
    assert "3 learner runs, 1 scenario" in session and "| Ada | Blue | W1 |" in session and "Flo" not in session
    scenario = run_cli("report", "--lrs", "--activity", "mini-pilot", "--format", "md", env=env).stdout
    assert "5 learner runs, 1 room session" in scenario
    registration = xs.save_registration(read_save(folder / "Bea.json"))
    one = run_cli("report", "--lrs", "--registration", registration, "--format", "md", env=env).stdout
    assert "1 learner run, 1 scenario" in one and "| Bea |" in one
    assert "0 learner runs" in run_cli("report", "--lrs", "--until", "2000-01-01T00:00:00+00:00", "--format", "md", env=env).stdout
    assert "5 learner runs" in run_cli("report", "--lrs", "--since", "2000-01-01T00:00:00+00:00", "--format", "md", env=env).stdout
    nowhere = run_cli("report", "--lrs", "--activity", "atlantis", "--format", "md", env=env).stdout
    assert "0 learner runs, 0 scenarios" in nowhere


def test_the_lrs_accepted_every_statement_and_each_passes_ralphs_validation(recorded_cohort):
    from ralph.models.xapi.base.statements import BaseXapiStatement

    folder, env, account = recorded_cohort
    queue = [json.loads(line) for line in (folder / ".lrs" / "outbox.jsonl").read_text(encoding="utf-8").splitlines()]
    sent = set((folder / ".lrs" / "sent.txt").read_text(encoding="utf-8").split())
    stored = account.statements()
    assert not (folder / ".lrs" / "refused.jsonl").exists()
    assert {s["id"] for s in queue} == sent == {s["id"] for s in stored} and len(stored) == len(queue)
    assert {s["verb"]["display"]["en"] for s in stored} == {"launched", "answered", "completed", "commented", "voted", "joined"}
    for statement in queue + stored:
        BaseXapiStatement(**statement)


def test_report_from_an_lrs_with_unknown_scenarios_lists_them_as_skipped(recorded_cohort, tmp_path):
    folder, env, _ = recorded_cohort
    elsewhere = tmp_path / "scenarios"
    elsewhere.mkdir()
    (elsewhere / "constructs.yaml").write_text((FIXTURE_SCENARIOS / "constructs.yaml").read_text(encoding="utf-8"))
    out = run_cli("report", "--lrs", "--format", "text", env={**env, "LEADGAME_SCENARIOS": str(elsewhere), "COLUMNS": "200"})
    assert out.returncode == 0
    assert "6 files skipped" in out.stdout and out.stdout.count("its scenario 'mini-pilot' was not found") == 6


def test_a_run_that_is_not_saved_records_nothing(lrs, isolated_saves):
    played = run_cli("play", "mini-pilot", "--plain", "--seed", "0", "--no-save", input="\n".join(WRITING) + "\n", env=lrs.env())
    assert played.returncode == 0, played.stderr
    assert "nothing was saved" in played.stdout and played.stdout.count("Noted.") == 2  # notes, feeling and answer taken
    assert not (isolated_saves / ".lrs" / "outbox.jsonl").exists() and lrs.statements() == []


def test_a_copied_save_is_a_game_of_its_own_and_a_resumed_one_keeps_its_registration(lrs, isolated_saves):
    import shutil

    env = lrs.env(**ACCOUNT)
    play("mine", ["stark", "q"], env)
    shutil.copy(isolated_saves / "mine.json", isolated_saves / "mine-try.json")  # a new game from this point
    for name, choice in (("mine-try", "share-later"), ("mine", "share-now")):
        resumed = run_cli("play", "--plain", "--resume", name, input=f"{choice}\nq\n", env=env)
        assert resumed.returncode == 0, resumed.stderr
    original, copy = (xs.save_registration(read_save(isolated_saves / f"{n}.json")) for n in ("mine", "mine-try"))
    assert original != copy
    for registration, path in ((original, ["stark", "share-now"]), (copy, ["stark", "share-later"])):
        stored = lrs.statements(registration=registration)
        assert Counter(s["verb"]["display"]["en"] for s in stored) == {"launched": 1, "answered": 2}
        answers = sorted((s for s in stored if s["verb"]["id"] == xs.ANSWERED), key=lambda s: s["context"]["extensions"][xs.STEP])
        assert [s["result"]["response"] for s in answers] == path
    from_saves = run_cli("report", str(isolated_saves), "--format", "md", env=env)
    from_lrs = run_cli("report", "--lrs", "--format", "md", env=env)
    assert "2 learner runs" in from_lrs.stdout and "| mine\\-try |" in from_lrs.stdout and from_lrs.stdout == from_saves.stdout


def test_after_an_edit_sets_decisions_aside_the_lrs_follows_the_path_the_save_keeps(lrs, isolated_saves, tmp_path):
    from test_content_edits import edited_copy

    scenario = edited_copy(tmp_path)
    env = lrs.env(LEADGAME_SCENARIOS=str(scenario.parent), **ACCOUNT)
    first = run_cli("play", str(scenario), "--plain", "--save", "cut", "--seed", "0",
                    input="ambition\nshare-later\n\n\nconfront\nFirst time\n", env=env)
    assert first.returncode == 0, first.stderr
    edited_copy(tmp_path, ("id: share-later", "id: relationships-first"))
    again = run_cli("play", "--plain", "--resume", "cut", input="y\nshare-now\nq\n", env=env)
    assert again.returncode == 0, again.stderr
    save = read_save(isolated_saves / "cut.json")
    assert save.choices == ("ambition", "share-now") and len(save.set_aside) == 1 and not save.finished
    stored = lrs.statements()
    answered = [s["result"]["response"] for s in stored if s["verb"]["id"] == xs.ANSWERED]
    assert sorted(answered) == ["ambition", "confront", "share-later", "share-now"]  # both paths reached the LRS
    assert Counter(s["verb"]["display"]["en"] for s in stored)["completed"] == 1  # the ending of the path set aside
    from_saves = run_cli("report", str(isolated_saves), "--format", "md", env=env)
    from_lrs = run_cli("report", "--lrs", "--format", "md", env=env)
    assert from_lrs.returncode == 0, from_lrs.stderr
    assert from_lrs.stdout == from_saves.stdout
    assert "1 learner run," in from_lrs.stdout and "| cut |  |  | 2 · 1 | \\(unfinished\\) |" in from_lrs.stdout
