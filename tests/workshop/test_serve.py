"""Browser play: the server answers over HTTP on a free localhost port and stops; it binds to
localhost unless told otherwise and never tells browsers to load from 0.0.0.0; each browser
gets its own key, so one learner cannot take over another's games; names keep their letters in
any script and compare without case; games carry learner, team and session into reports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from live_helpers import free_port

from leadgame import locations
from leadgame.core.saves import list_saves
from leadgame.tui.screens.scene import SceneScreen
from leadgame.workshop import serve
from leadgame.workshop.address import lan_address
from leadgame.workshop.serve import KEY_ENV, BrowserApp, NameScreen, NameTaken, claim, learner_key
from support import FIXTURE_SCENARIOS, REPO, run_cli

KEY_A, KEY_B = "a" * 43, "b" * 43  # two browsers' keys


def fetch(url: str, server: subprocess.Popen) -> tuple[str, str]:
    """The page's text and its Set-Cookie header, once the server answers."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                assert response.status == 200
                return response.read().decode("utf-8"), response.headers.get("Set-Cookie", "")
        except OSError:
            assert server.poll() is None, server.stdout.read()
            time.sleep(0.2)
    raise AssertionError("the server never answered")


@pytest.mark.parametrize("host", [None, "0.0.0.0"], ids=["default", "whole-network"])
def test_serve_answers_a_browser_at_an_address_it_can_reach(tmp_path, host):
    port = free_port()
    env = {**os.environ, "LEADGAME_SAVES": str(tmp_path), "NO_COLOR": "1"}
    where = ["--host", host] if host else []
    server = subprocess.Popen([sys.executable, "-m", "leadgame.cli", "serve", *where, "--port", str(port)], cwd=REPO,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        page, cookie = fetch(f"http://127.0.0.1:{port}/", server)
        if host is None and lan_address() != "127.0.0.1":  # by default, this computer only: not on the network
            with pytest.raises(OSError):
                socket.create_connection((lan_address(), port), timeout=5).close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=15)
    expected = lan_address() if host == "0.0.0.0" else "127.0.0.1"
    assert "textual.js" in page and "leadgame" in page
    assert "0.0.0.0" not in page and f"ws://{expected}:{port}/ws" in page  # the bug: Chromium refuses 0.0.0.0
    assert f"Learners open http://{expected}:{port}" in output and "0.0.0.0" not in output.split("no login")[1]
    assert "no login" in output and "trusted network" in output
    assert cookie.startswith(f"{serve.COOKIE}=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_serve_refuses_a_public_url_that_is_not_http():
    result = run_cli("serve", "--public-url", "ftp://example.org")
    assert result.returncode == 2 and "--public-url must be an http://" in result.stderr


def test_each_browser_process_is_given_its_browser_key(monkeypatch):
    server = serve.learner_server("true", "127.0.0.1", 8000, "http://127.0.0.1:8000")
    import textual_serve.server as served

    service = served.AppService("true", write_bytes=None, write_str=None, close=None, download_manager=None)
    serve._browser_key.set(KEY_A)
    assert service._build_environment()[KEY_ENV] == KEY_A
    assert server.public_url == "http://127.0.0.1:8000"
    assert serve.browser_key("bad key; Path=/") == "" and serve.browser_key(KEY_B) == KEY_B


@pytest.mark.parametrize("name, folder", [
    ("Alice Smith", "alice-smith"), ("alice  smith", "alice-smith"), ("José", "josé"), ("Jos", "jos"),
    ("Zoë", "zoë"), ("李雷", "李雷"), ("Иван", "иван"), ("Ann </b>", "ann-b"), ("../../etc", "etc"),
    ("\x1b[31mRed\x1b[0m", "31mred-0m"), ("ＡＢＣ", "abc"), ("<<>>", ""),
])
def test_names_keep_their_letters_in_any_script_and_ignore_case(name, folder):
    assert learner_key(name) == folder


def test_a_name_belongs_to_the_browser_that_first_used_it(tmp_path):
    mine = claim(tmp_path, "Alice Smith", KEY_A)
    assert claim(tmp_path, "alice smith", KEY_A) == mine  # same learner, any case
    with pytest.raises(NameTaken):
        claim(tmp_path, "ALICE SMITH", KEY_B)  # another browser cannot resume her games
    assert claim(tmp_path, "José", KEY_B) != claim(tmp_path, "Jos", KEY_B)
    with pytest.raises(ValueError, match="no key"):
        claim(tmp_path, "Bob", "")


async def test_a_browser_learner_names_themselves_and_their_games_are_tagged(isolated_saves, monkeypatch):
    monkeypatch.setenv(locations.SCENARIOS_ENV, str(FIXTURE_SCENARIOS))
    monkeypatch.setenv(KEY_ENV, KEY_A)
    claim(isolated_saves, "Zoë Brown", KEY_B)  # someone else, in another browser, got there first
    app = BrowserApp(isolated_saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press("enter")  # an empty name is not enough
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*"zoë brown", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        assert "Another browser's games" in str(app.screen.query_one("#learner-problem").render())
        for _ in "zoë brown":
            await pilot.press("backspace")
        await pilot.press(*"李雷", "tab", *"Red", "tab", *"K7QX2M", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, NameScreen)
        assert locations.saves_dir() == isolated_saves / "web" / "李雷"
        for _ in range(500):  # the library loads in a worker, a moment after the title
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.entries is not None:
                break
        assert app.entries, "the scenario library never loaded"
        for key in ("enter", "enter", "1", "enter"):  # New game, the fixture scenario, standard mode
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
        assert isinstance(app.screen, SceneScreen)
    (save,) = [s for _, s in list_saves(isolated_saves / "web" / "李雷")[0]]
    assert (save.learner, save.team, save.session) == ("李雷", "Red", "K7QX2M")
    report = run_cli("report", str(isolated_saves / "web"), env={locations.SCENARIOS_ENV: str(FIXTURE_SCENARIOS)})
    assert report.returncode == 0 and "李雷" in report.stdout and "Red" in report.stdout
