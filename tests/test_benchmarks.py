"""A smoke run of the benchmarks (smallest sizes) so the script cannot rot. Timings are never
asserted here: they live in the benchmark's own table."""

import subprocess
import sys

from support import REPO


def test_benchmark_quick_run_prints_every_figure(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick"],
                            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    table = result.stdout
    for figure in ("TUI cold start", "plain mode cold start", "load + validate shipped", "load + validate generated",
                   "time per scene", "full check: barnet-troubled-families", "full check of generated", "check of 22 flags read late",
                   "engine step", "TUI: move the highlight", "TUI: open help", "TUI: projector mode",
                   "TUI: start a game", "TUI: resume a game", "TUI: debrief: type a letter",
                   "room vote on a decision of 5,000 options", "cohort report", "seeded random playthroughs",
                   "live room: 20 participants join", "live room: vote round trip", "live room: server memory",
                   "live room: projector keypress",
                   "lrs export of 20 saved playthroughs to a stand-in LRS", "lrs export of 20 saved playthroughs to Ralph"):
        assert figure in table, figure
    assert table.count("|") > 60
