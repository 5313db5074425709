"""Small command-line edges: `-o -` is standard output, a busy port is a message, and a save name
ends where its letters do."""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys

from support import FIXTURE_SCENARIOS, run_cli

ENV = {"LEADGAME_SCENARIOS": str(FIXTURE_SCENARIOS)}


def test_report_to_dash_writes_standard_output_not_a_file(isolated_saves, tmp_path):
    assert run_cli("play", "mini-pilot", "--plain", "--save", "g", input="stark\nq\n", env=ENV).returncode == 0
    for fmt in ("csv", "text"):
        result = subprocess.run([sys.executable, "-m", "leadgame.cli", "report", str(isolated_saves), "--format", fmt, "-o", "-"],
                                capture_output=True, text=True, cwd=tmp_path, env={**os.environ, **ENV}, timeout=60)
        assert result.returncode == 0, result.stderr
        assert not (tmp_path / "-").exists()
        if fmt == "csv":
            assert [row["run"] for row in csv.DictReader(io.StringIO(result.stdout))] == ["g"]
        else:
            assert "leadgame cohort report" in result.stdout and "Wrote" not in result.stdout


def test_serve_on_a_busy_port_says_so():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", str(port), timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"port {port} is already in use" in result.stderr and "--port" in result.stderr


def test_a_save_name_with_a_line_break_is_refused_and_nothing_is_written(isolated_saves):
    result = run_cli("play", "mini-pilot", "--plain", "--save", "game\n", input="q\n", env=ENV)
    assert result.returncode == 2 and "game" in result.stderr and "Traceback" not in result.stderr
    assert not isolated_saves.exists() or not any(isolated_saves.iterdir())
