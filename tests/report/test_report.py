"""`leadgame report` by subprocess, over a folder of saves made by playing: plain mode with piped
input, core Sessions and a room session; a corrupted and a foreign file among them."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest

from leadgame import library
from leadgame.core.saves import SaveGame
from leadgame.core.session import Session
from leadgame.core.workshop import WorkshopSession, device_id, new_token
from support import FIXTURE_SCENARIOS, MINI, run_cli

ENV = {"LEADGAME_SCENARIOS": str(FIXTURE_SCENARIOS)}
HOSTILE = "<script>alert('x')</script>"
# Plain-mode answers by choice id: scrutiny panel, trust board, two passages (seed 0), pooled
# budget, then the feeling.
ANSWERS = {"Ada": "stark\nshare-now\n\n\ncede\nCalm enough\n", "Bea": "ambition\nshare-now\n\n\nconfront\n\n",
           "Cy": "stark\nshare-later\n\n\nescalate\n\n"}


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cohort")
    env = {**ENV, "LEADGAME_SAVES": str(folder)}
    for name, answers in ANSWERS.items():
        played = run_cli("play", "mini-pilot", "--plain", "--save", name, "--team", "Blue", "--session", "W1", "--seed", "0",
                         input=answers, env=env)
        assert played.returncode == 0, played.stderr
    scenario = library.load(MINI)
    hostile = Session.new(scenario, folder, "Dee", seed=0, team=HOSTILE, session="W1")
    for choice in ("ambition", "share-later", "continue", "continue", "confront"):
        hostile.choose(choice)
    hostile.set_feeling(f"I felt {HOSTILE} & torn")
    Session.new(scenario, folder, "Eve", team="=HYPERLINK(1)").choose("stark")  # unfinished
    room = WorkshopSession.new(scenario, folder, "ROOM1", seed=0)
    phones = [device_id(new_token()) for _ in range(3)]  # a live room: three devices joined
    for phone in phones:
        room.join(phone)
    room.set_voting(True)
    room.cast_vote(phones[0], "stark")
    room.cast_vote(phones[1], "ambition")
    for choice, votes in (("stark", {"stark": 8, "ambition": 3}), ("share-now", {"share-now": 7, "share-later": 7}),
                          (None, {}), (None, {}), ("cede", {"cede": 8, "escalate": 3})):
        for option, count in votes.items():
            room.set_votes(option, count)
        room.advance(tie_break=choice if votes and len(set(votes.values())) == 1 else None)
    room.move_on()
    room.add_answer(phones[0], 0, "Housing, every winter")
    room.add_answer(phones[2], 0, f"{HOSTILE} | pipes")
    room.write()
    (folder / "broken.json").write_text('{"format_version": 2, "name": "Fay", "scen', encoding="utf-8")
    (folder / "package.json").write_text('{"name": "not-a-save"}', encoding="utf-8")
    return folder


def report(*args: str) -> str:
    result = run_cli("report", *args, env=ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_text_report_shows_the_split_endings_constructs_and_the_room(cohort):
    out = report(str(cohort))
    assert "5 learner runs, 1 room session, 1 scenario, 2 files skipped" in out
    assert "How the cohort split at each decision" in out and "minority" in out
    assert "Where the paths diverged" in out and "The paths first parted at" in out
    assert "Endings reached" in out and "The real leaders' path" in out and "What really happened" in out
    assert "Each construct across the cohort" in out and "Trust and" in out
    assert "Room ROOM1: the room's votes (3 devices joined)" in out and "9/13" in out and "tie" in out
    assert "votes from" in out  # the table wraps it; the Markdown test reads it whole
    assert "Room ROOM1, answers to: Where in your system" in out and "Housing, every winter" in out
    assert "Calm enough" in out
    assert "broken.json" in out and "not valid JSON" in out
    assert "package.json" in out and "not a leadgame save" in out


def test_markdown_report(cohort):
    out = report(str(cohort), "--format", "md")
    assert out.startswith("# leadgame cohort report")
    assert "| # | decision | option | chose | share | note |" in out
    assert "**minority**" in out and "## Skipped files" in out
    assert "### Room ROOM1\\: the room's votes \\(3 devices joined\\)" in out and "2 of 13 votes from devices" in out
    assert "- “\\<script\\>alert\\('x'\\)\\</script\\> \\| pipes”" in out  # a live answer, escaped
    assert HOSTILE not in out and "\\<script\\>alert" in out  # escaped: shown as words, never run


def test_csv_has_one_row_per_learner_decision(cohort):
    rows = list(csv.DictReader(io.StringIO(report(str(cohort), "--format", "csv"))))
    per_run = {}
    for row in rows:
        per_run.setdefault(row["run"], []).append(row)
    assert {name: len(r) for name, r in per_run.items()} == {"Ada": 3, "Bea": 3, "Cy": 3, "Dee": 3, "Eve": 1, "Room ROOM1": 3}
    room = per_run["Room ROOM1"]
    assert [r["votes_from_devices"] for r in room] == ["2", "0", "0"]
    assert set(room[0]["votes"].split(";")) == {"stark=9", "ambition=4"} and room[1]["tie_break"] == "yes"
    assert per_run["Bea"][0]["minority"] == "yes" and per_run["Ada"][0]["minority"] == "no"
    assert per_run["Eve"][0]["team"] == "'=HYPERLINK(1)"  # a spreadsheet will not run it
    assert per_run["Eve"][0]["finished"] == "no"


def test_html_is_one_escaped_self_contained_file(cohort, tmp_path):
    target = tmp_path / "handout.html"
    result = run_cli("report", str(cohort), "--format", "html", "-o", str(target), env=ENV)
    assert result.returncode == 0 and "Wrote" in result.stdout
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "@media print" in page
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page  # the team name, escaped
    assert "I felt &lt;script&gt;" in page and "&amp; torn" in page  # the feeling, escaped
    assert "“&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; | pipes”" in page  # a live answer, escaped
    assert "src=" not in page and "href=" not in page and "url(" not in page  # nothing fetched from outside
    assert "broken.json" in page


def test_anonymous_hides_learners_and_teams(cohort):
    for fmt in ("text", "html", "csv"):
        out = report(str(cohort), "--anonymous", "--format", fmt)
        for name in ("Ada", "Bea", "Dee", "Blue", "HYPERLINK", "alert('x')</script> &"):  # names, and the hostile team
            assert name not in out.replace("I felt <script>alert('x')</script> & torn", ""), (fmt, name)
        assert "Learner 1" in out and "Team 1" in out


def test_files_can_be_named_one_by_one(cohort):
    out = report(str(cohort / "Ada.json"), str(cohort / "broken.json"), "--format", "md")
    assert "1 learner run, 1 scenario, 1 file skipped" in out


def test_a_missing_path_is_a_usage_error(tmp_path):
    result = run_cli("report", str(tmp_path / "nowhere"), env=ENV)
    assert result.returncode == 2 and "no such file or folder" in result.stderr


def test_a_thousand_saves_report_quickly(tmp_path):
    scenario = library.load(MINI)
    paths = [("stark", "share-now", "continue", "continue", "cede"), ("ambition", "share-later", "continue", "continue", "confront"),
             ("stark", "share-later", "continue", "continue", "escalate")]
    for number in range(1000):
        save = SaveGame(f"learner-{number}", scenario.id, scenario.content_hash, choices=paths[number % 3],
                        finished=True, scenario_path=str(MINI), team=f"T{number % 7}")
        (tmp_path / f"learner-{number}.json").write_text(save.to_json(), encoding="utf-8")
    started = time.perf_counter()
    out = report(str(tmp_path), "--format", "csv")
    elapsed = time.perf_counter() - started
    assert out.count("\n") == 1 + 3 * 1000
    assert elapsed < 10, f"report over 1,000 saves took {elapsed:.1f} s"  # target < 1 s; slack for slow CI machines


def test_text_report_keeps_the_terminal_table_short_for_large_cohorts(tmp_path):
    from leadgame.core.saves import write_save
    from leadgame.report.render import TERMINAL_RUNS

    cohort = tmp_path / "cohort"
    for index in range(TERMINAL_RUNS + 5):
        write_save(cohort, SaveGame(f"learner-{index:03d}", "mini-pilot", "", 0, ("stark",), scenario_path=str(MINI)))
    text = run_cli("report", str(cohort), env={"COLUMNS": "200"}).stdout
    assert "learner-000" in text and f"learner-{TERMINAL_RUNS + 4:03d}" not in text
    assert "and 5 more runs" in text
    csv_rows = run_cli("report", str(cohort), "--format", "csv").stdout
    assert f"learner-{TERMINAL_RUNS + 4:03d}" in csv_rows
