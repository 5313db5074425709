"""A smoke run of the benchmarks (smallest sizes) so the script cannot rot. Timings are never
asserted here: they live in the benchmark's own table."""

import re
import subprocess
import sys

import pytest

from leadgame.authoring.check import check_file
from support import FIXTURE_SCENARIOS, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402


def test_benchmark_quick_run_prints_every_figure(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick"],
                            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    table = result.stdout
    for figure in ("app ready", "plain mode cold start", "plain first prompt", "load + validate shipped",
                   "load + validate generated", "time per scene", "full check: barnet-troubled-families",
                   "full check of generated", "check of 22 flags read late", "engine step", "engine step cost by run length",
                   "TUI: move the highlight", "TUI: choose with a number key", "TUI: open help", "TUI: projector mode",
                   "TUI: start a game", "TUI: resume a game", "TUI: debrief: type a letter",
                   "room vote on a decision of 5,000 options", "cohort report", "seeded random playthroughs",
                   "live room: 20 participants join", "live room: vote round trip", "live room: server memory",
                   "live room: projector keypress",
                   "lrs export of 20 saved playthroughs to a stand-in LRS", "lrs export of 20 saved playthroughs to Ralph"):
        assert figure in table, figure
    assert table.count("|") > 60


@pytest.mark.parametrize("story_text", [False, True], ids=["format 1", "story text"])
@pytest.mark.parametrize("scenes", [4, 5, 101, 1000])
def test_generated_stories_check_clean(tmp_path, scenes, story_text):
    """What the benchmarks time is a valid story: every scene reachable, every option takeable,
    no warning about its story (only the learning-design ones a benchmark is not written for:
    no real leaders' path, no outcomes, and in the tiniest a construct one choice swings); and it
    has the size asked for, in ink as in leadgame."""
    (tmp_path / "constructs.yaml").write_bytes((FIXTURE_SCENARIOS / "constructs.yaml").read_bytes())
    report = check_file(generate.write(tmp_path, scenes, story_text))
    assert report.errors == []
    assert {w.code for w in report.warnings} <= {"C-NO-REAL-PATH", "C-NO-STRONGEST", "C-NO-OUTCOME", "C-NARROW-CONSTRUCT"}
    assert len(report.scenario.scenes) == scenes == len(report.exploration.reachable_scenes)
    ink = generate.ink_story(scenes, story_text)
    assert len(re.findall(r"^=== [sd]\d+ ===$", ink, re.MULTILINE)) == scenes


def test_the_benchmark_stops_on_a_story_with_errors(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    import run

    (tmp_path / "constructs.yaml").write_bytes((FIXTURE_SCENARIOS / "constructs.yaml").read_bytes())
    broken = generate.write(tmp_path, 10)
    broken.write_text(broken.read_text(encoding="utf-8").replace("next: s1", "next: s2"), encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        run.checked(broken)
    assert "C-UNREACHABLE-SCENE" in str(stopped.value) and str(broken) in str(stopped.value)
