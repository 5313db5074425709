"""`leadgame workshop --live` and `--presenter` as a facilitator runs them: on a pseudo-terminal,
with a phone joining over HTTP; a busy port and a bad public URL are one line each."""

from __future__ import annotations

import json
import socket
import urllib.request

from live_helpers import free_port

from leadgame.core.workshop import read_workshop, workshop_file
from leadgame.workshop.address import lan_address
from support import MINI, Terminal, environment, run_cli


def join(port: int, code: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/join", data=json.dumps({"code": code}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_a_live_room_on_every_interface_prints_an_address_a_phone_can_reach(isolated_saves):
    port = free_port()
    env = environment(TERM="xterm-256color", LEADGAME_SAVES=str(isolated_saves))
    with Terminal("workshop", str(MINI), "--session", "LIVE1", "--live", "--host", "0.0.0.0", "--port", str(port),
                  env=env) as projector:
        projector.wait_for("Session code L I V E 1")
        assert f"Learners join at http://{lan_address()}:{port} with session code LIVE1." in projector.text
        assert "0.0.0.0" not in projector.text
        assert join(port, "live1")["ok"]
        projector.wait_for("1 joined")
        projector.type("v")
        projector.wait_for("Voting open")
        projector.type("q")
        status = projector.finish()
    assert status == 0 and "Traceback" not in projector.text
    assert "Session LIVE1 is saved. Resume with: leadgame workshop mini-pilot --session LIVE1" in projector.text
    record = read_workshop(workshop_file(isolated_saves, "LIVE1"))
    assert len(record.devices) == 1 and record.voting_open and record.live_url == f"http://{lan_address()}:{port}"


def test_the_presenter_view_follows_the_room_with_the_notes(isolated_saves):
    env = environment(TERM="xterm-256color", LEADGAME_SAVES=str(isolated_saves))
    port = free_port()
    with Terminal("workshop", str(MINI), "--session", "LIVE2", "--live", "--port", str(port), env=env) as projector:
        projector.wait_for("Session code L I V E 2")
        with Terminal("workshop", "--presenter", "LIVE2", env=env) as presenter:
            presenter.wait_for("Listen for who names the burning platform")  # the notes, on the presenter's screen
            presenter.wait_for(f"Presenter page: http://127.0.0.1:{port}/presenter/")
            presenter.wait_for("What would you say first?")
            for key in "1++\r":  # two hands for option 1, then decide: one key at a time, as people type
                projector.type(key)
                projector.read(0.2)
            projector.wait_for("The room chose")
            presenter.wait_for("reading the outcome of The scrutiny panel")
            presenter.type("q")
            assert presenter.finish() == 0
        projector.type("q")
        assert projector.finish() == 0
    assert "burning platform" not in projector.text  # never on the projector


def test_a_busy_port_and_a_bad_address_are_one_line_each(isolated_saves):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = environment(TERM="xterm-256color", LEADGAME_SAVES=str(isolated_saves))
        with Terminal("workshop", str(MINI), "--live", "--port", str(port), env=env) as projector:
            status = projector.finish()
    assert status == 2 and f"127.0.0.1:{port} is already in use" in projector.text and "Traceback" not in projector.text
    assert not (isolated_saves / "workshops").exists()  # no session left behind
    result = run_cli("workshop", str(MINI), "--live", "--public-url", "javascript:alert(1)")
    assert result.returncode == 2 and "--public-url must be an http://" in result.stderr
    result = run_cli("workshop", str(MINI), "--live", "--port", "70000")
    assert result.returncode == 2 and "--port must be between" in result.stderr
