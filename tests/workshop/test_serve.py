"""Browser play: the server answers over HTTP on a free localhost port and stops; it binds to
localhost unless told otherwise; each browser learner's games go to a folder of their own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from leadgame import locations
from leadgame.cli import DEFAULT_HOST, build_parser
from leadgame.workshop.serve import WARNING, BrowserApp, NameScreen
from support import FIXTURE_SCENARIOS, REPO


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_binds_to_localhost_by_default():
    args = build_parser().parse_args(["serve"])
    assert args.host == DEFAULT_HOST == "127.0.0.1"


def test_serve_answers_a_browser_and_stops(tmp_path):
    port = free_port()
    env = {**os.environ, "LEADGAME_SAVES": str(tmp_path), "NO_COLOR": "1"}
    server = subprocess.Popen([sys.executable, "-m", "leadgame.cli", "serve", "--port", str(port)], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        page, deadline = "", time.monotonic() + 30
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.status == 200
                    page = response.read().decode("utf-8")
            except OSError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.2)
        assert "textual.js" in page and "leadgame" in page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=15)
    assert "no login" in output and "trusted network" in output


async def test_a_browser_learner_names_themselves_first(isolated_saves, monkeypatch):
    monkeypatch.setenv(locations.SCENARIOS_ENV, str(FIXTURE_SCENARIOS))
    app = BrowserApp(isolated_saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press("enter")  # an empty name is not enough
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*"Ann </b>", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, NameScreen)
        assert locations.saves_dir() == isolated_saves / "web" / "Ann-b"
    assert "no login" in WARNING
