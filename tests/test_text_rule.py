"""One text-cleaning rule for every string a learner or a file controls, in every output: the
terminal, Markdown, CSV and HTML. Escapes, window titles and bidi overrides never get through;
Markdown stays words (no live links or remote images); CSV cells never run as formulas; and an
anonymous report names no one, not even in the files it skipped."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from leadgame.core.text import CONTROL, clean_line, clean_text, csv_cell, markdown_text
from leadgame.core.workshop import WorkshopSession
from support import FIXTURE_SCENARIOS, run_cli

ENV = {"LEADGAME_SCENARIOS": str(FIXTURE_SCENARIOS)}
ESCAPES = "\x1b]0;owned\x07\x1b[2J"
LINK = "[win a prize](http://evil.example)"
TEAM = "[Tigers](http://evil.example/team)"
IMAGE = "![](http://evil.example/pixel.png)"
# A Markdown link or image: `[...](` or `![` not preceded by the escaping backslash.
LIVE_MARKDOWN = re.compile(r"(?<!\\)\]\(|(?<!\\)!\[(?!\\)|(?<!\\)<(?:https?|script)")


def test_the_rule_and_what_each_format_adds():
    assert clean_text(f"calm{ESCAPES} \u202eok\n") == "calm]0;owned[2J ok"
    assert clean_line("a\n\tb") == "a b"
    assert not LIVE_MARKDOWN.search(markdown_text(LINK)) and not LIVE_MARKDOWN.search(markdown_text(IMAGE))
    assert markdown_text("<b>|x|</b>") == r"\<b\>\|x\|\</b\>"
    for formula in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1+1", "\0=HYPERLINK(\"http://e\")"):
        assert csv_cell(formula).startswith("'"), formula
        assert not CONTROL.search(csv_cell(formula)) and "\n" not in csv_cell(formula)
    assert csv_cell(-3) == "-3" and csv_cell("plain words") == "plain words"


@pytest.fixture
def hostile_folder(isolated_saves, mini):
    """Saves and a room session whose every text field is hostile, and two that must be skipped."""
    played = run_cli("play", "mini-pilot", "--plain", "--save", "ada", "--team", TEAM, input=f"1\n1\n\n\n1\n{IMAGE} {ESCAPES}\n", env=ENV)
    assert played.returncode == 0, played.stderr
    data = json.loads((isolated_saves / "ada.json").read_text())
    (isolated_saves / "ada.json").unlink()
    (isolated_saves / f"Zed{ESCAPES}.json").write_text(json.dumps({**data, "session": f"S1{ESCAPES}"}))
    (isolated_saves / "Bea-Smith.json").write_text(json.dumps({**data, "scenario_id": f"gone{ESCAPES}"}))
    room = WorkshopSession.new(mini, isolated_saves, "ROOM1")
    room.set_votes("stark", 2)
    room.advance()
    room.close()
    path = isolated_saves / "workshops" / "ROOM1" / "workshop.json"
    record = json.loads(path.read_text())
    record["decisions"][0]["votes"][f"x{ESCAPES}"] = 1
    record["decisions"][0]["note"] = f"{LINK} =1+1"
    record["decisions"][0]["scene"] = f"panel{ESCAPES}"  # a room decision's scene, printed where no title is found
    path.write_text(json.dumps(record))
    return isolated_saves


@pytest.mark.parametrize("fmt", ["text", "md", "csv", "html"])
def test_no_escape_reaches_any_report_format(hostile_folder, fmt):
    result = run_cli("report", str(hostile_folder), "--format", fmt, env=ENV)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert not CONTROL.search(out), repr(CONTROL.search(out))
    assert "owned" in out, "the words stay, only the escapes go"
    if fmt == "md":
        assert not LIVE_MARKDOWN.search(out), LIVE_MARKDOWN.search(out)
        assert "win a prize" in out and "Tigers" in out
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_an_anonymous_report_names_no_one_even_in_skipped_files(hostile_folder):
    for fmt in ("text", "md", "csv", "html"):
        out = run_cli("report", str(hostile_folder), "--format", fmt, "--anonymous", env=ENV).stdout
        for name in ("Zed", "Bea", "Smith", "Tigers", str(hostile_folder)):
            assert name not in out, (fmt, name)
        if fmt != "csv":
            assert "Learner 1" in out and "file 1" in out


def test_an_exported_debrief_keeps_a_learners_link_as_words(isolated_saves, mini, tmp_path):
    from leadgame.core.debrief import to_markdown
    from leadgame.core.session import Session

    game = Session.new(mini, isolated_saves, "md", seed=0)  # seed 0: the chance route goes by the commander
    for choice in ("stark", "share-now", "continue", "continue", "cede"):
        game.choose(choice)
    game.set_feeling(f"{IMAGE} and {LINK}")
    document = to_markdown(game.debrief())
    assert not LIVE_MARKDOWN.search(document) and "win a prize" in document
    game.close()
