"""The live room's server over real HTTP and WebSockets on a localhost port: joining with the
session code, one vote per device, voting closed, message bounds and rates, answers with HTML,
the presenter link, the room following the facilitator, and a restart that loses nothing."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from live_helpers import Device, free_port, serving
from room_helpers import FakeClock, new_room

from leadgame.core.workshop import WorkshopSession, read_workshop
from leadgame.workshop.address import lan_address, public_url
from leadgame.workshop.live import server
from leadgame.workshop.live.server import MAX_MESSAGE, MUST_JOIN


@pytest.fixture
async def devices():
    made = []

    def make(live):
        made.append(Device(live))
        return made[-1]

    yield make
    for device in made:
        await device.close()


async def test_joining_needs_the_session_code(isolated_saves, devices):
    room = new_room(isolated_saves, FakeClock())
    async with serving(room) as live:
        phone = devices(live)
        status, answer = await phone.join("WRONG1")
        assert status == 403 and "not this room's session code" in answer["message"]
        await phone.connect()
        message = await phone.socket.receive()
        assert json.loads(message.data)["type"] == "join"  # told to join first, then closed
        assert (await phone.socket.receive()).type == aiohttp.WSMsgType.CLOSE and phone.socket.close_code == MUST_JOIN
        status, answer = await phone.join(" room1 ")  # case and spaces do not matter
        assert status == 200 and answer["ok"]
        await phone.connect()
        state = await phone.receive("room")
        assert state["stage"] == "deciding" and [o["id"] for o in state["options"]] == [c.id for c in room.choices()]
        assert state["options"] == [{"id": c.id, "label": c.label} for c in room.choices()]  # the room's one order
    assert len(read_workshop(room.path).devices) == 1


async def test_wrong_codes_are_rate_limited(isolated_saves, devices, monkeypatch):
    monkeypatch.setattr(server, "WRONG_CODES", 3)
    room = new_room(isolated_saves, FakeClock())
    async with serving(room) as live:
        phone = devices(live)
        for _ in range(3):
            assert (await phone.join("NOPE"))[0] == 403
        status, answer = await phone.join("ROOM1")  # even the right code waits now
        assert status == 429 and "Too many" in answer["message"]


async def test_one_vote_per_device_and_a_changed_vote_counts_once(isolated_saves, devices):
    room = new_room(isolated_saves, FakeClock())
    async with serving(room) as live:
        ann, ben = devices(live), devices(live)
        for phone in (ann, ben):
            await phone.enter("ROOM1")
        assert (await ann.ask(type="vote", choice="stark"))["message"] == "voting is closed"
        room.set_voting(True)
        assert (await ann.receive("room"))["voting"] is True  # the pages follow the facilitator
        assert (await ann.ask(type="vote", choice="stark"))["vote"] == "stark"
        assert read_workshop(room.path).device_votes  # acknowledged means written
        assert (await ann.ask(type="vote", choice="ambition"))["vote"] == "ambition"
        assert (await ann.ask(type="vote", choice="ambition"))["vote"] == "ambition"
        assert (await ben.ask(type="vote", choice="ambition"))["vote"] == "ambition"
        assert room.votes() == {"stark": 0, "ambition": 2}
        assert read_workshop(room.path).device_votes == room.record.device_votes
        room.advance()
        outcome = await ann.receive("room")
        assert outcome["stage"] == "outcome" and outcome["outcome"]["chosen"] == "Lead with the one-time opportunity to change children's services"
        assert {r["id"]: r["votes"] for r in outcome["outcome"]["tally"]} == {"stark": 0, "ambition": 2}
        assert (await ann.receive("you"))["voted"] == "ambition"


async def test_malformed_oversized_and_too_many_messages(isolated_saves, devices, monkeypatch):
    room = new_room(isolated_saves, FakeClock())
    room.set_voting(True)
    async with serving(room) as live:
        phone = devices(live)
        await phone.join("ROOM1")
        await phone.connect()
        for text, problem in (("{not json", "not JSON"), ("[1, 2]", "needs a type"), ('{"type": "steal"}', "unknown"),
                              ('{"type": "vote", "choice": ["a"]}', "one option"),
                              ('{"type": "answer", "question": true, "text": "x"}', "question number")):
            await phone.socket.send_str(text)
            assert problem in (await phone.receive("error"))["message"]
        await phone.socket.send_bytes(b"\x00\x01")
        assert "text" in (await phone.receive("error"))["message"]
        assert (await phone.ask(type="vote", choice="stark"))["vote"] == "stark"  # still connected and voting after all that
        await phone.socket.send_str(json.dumps({"type": "answer", "question": 0, "text": "x" * MAX_MESSAGE}))
        closing = await phone.socket.receive()
        assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert phone.socket.close_code == aiohttp.WSCloseCode.MESSAGE_TOO_BIG

        flooder = devices(live)
        await flooder.join("ROOM1")
        await flooder.connect()
        for _ in range(3 * server.BURST + 5):
            await flooder.socket.send_str('{"type": "ping"}')
        errors = 0
        while True:
            message = await asyncio.wait_for(flooder.socket.receive(), 5)
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            errors += json.loads(message.data)["type"] == "error"
        assert errors >= server.BURST and flooder.socket.close_code == server.TOO_FAST
    assert read_workshop(room.path).device_votes  # the room itself is unharmed


async def test_answers_with_html_stay_text_on_every_page(isolated_saves, devices):
    room = new_room(isolated_saves, FakeClock())
    for choice in ("stark", "share-now", None, None, "cede"):
        if choice:
            room.set_votes(choice, 1)
        room.advance()
    room.move_on()
    evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    async with serving(room) as live:
        phone = devices(live)
        state = await phone.enter("ROOM1")
        assert state["stage"] == "debrief" and state["debrief"]["questions"] == list(room.scenario.reflection)
        assert (await phone.ask(type="answer", question=0, text=evil))["answered"] == 1
        async with phone.http.ws_connect(f"{live.presenter_url}/ws") as presenter:
            data = await presenter.receive_json()
            assert data["answers"] == [{"question": 0, "text": evil}]  # text; the page inserts it as text
    assert read_workshop(room.path).answers[0].text == evil
    script = (server.STATIC / "presenter.js").read_text() + (server.STATIC / "room.js").read_text()
    assert "answer.text" in script and "innerHTML" not in script  # answers go in with textContent only


async def test_the_presenter_link_is_secret(isolated_saves, devices):
    room = new_room(isolated_saves, FakeClock())
    async with serving(room) as live:
        phone = devices(live)
        base = live.url
        secret = live.game.presenter_secret()
        near_miss = secret[:-1] + ("A" if secret[-1] != "A" else "B")
        for guess in ("x", "presenter", room.code, near_miss):
            async with phone.http.get(f"{base}/presenter/{guess}") as response:
                assert response.status == 404
        async with phone.http.get(live.presenter_url) as response:
            assert response.status == 200 and "Keep this page off the projector" in await response.text()
            assert response.headers["Referrer-Policy"] == "no-referrer"  # the link never leaks onward
        async with phone.http.ws_connect(f"{live.presenter_url}/ws") as presenter:
            data = await presenter.receive_json()
            assert data["type"] == "presenter" and "burning platform" in data["notes"]
            assert data["prompts"] == ["What would you say first?"]
        status, _ = await phone.join("ROOM1")
        await phone.connect()
        state = await phone.receive("room")
        assert "notes" not in state and "burning platform" not in json.dumps(state)  # learners never get the notes


async def test_another_site_cannot_drive_the_room(isolated_saves, devices):
    room = new_room(isolated_saves, FakeClock())
    async with serving(room) as live:
        phone = devices(live)
        async with phone.http.post(f"{live.url}/join", json={"code": "ROOM1"}, headers={"Origin": "http://evil.example"}) as response:
            assert response.status == 403
        await phone.join("ROOM1")
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await phone.connect(headers={"Origin": "http://evil.example"})


async def test_pages_reconnect_and_follow_after_a_server_restart(isolated_saves, devices):
    clock = FakeClock()
    room = new_room(isolated_saves, clock)
    port = free_port()
    async with serving(room, port) as live:
        phone = devices(live)
        await phone.enter("ROOM1")
        room.set_voting(True)
        assert (await phone.ask(type="vote", choice="ambition"))["vote"] == "ambition"
    # The process is gone: only the file is left. A new one resumes it on the same port.
    room.close()
    resumed, _ = WorkshopSession.resume(room.scenario, isolated_saves, read_workshop(room.path), clock)
    async with serving(resumed, port) as live:
        await phone.connect()  # the same device, by its cookie: no code asked again
        state = await phone.receive("room")
        you = await phone.receive("you")
        assert state["stage"] == "deciding" and state["voting"] and you["vote"] == "ambition"
        assert (await phone.ask(type="vote", choice="stark"))["vote"] == "stark"
        assert resumed.votes() == {"stark": 1, "ambition": 0}


def test_a_room_on_every_interface_tells_people_a_reachable_address():
    url = public_url("0.0.0.0", 8000)
    assert "0.0.0.0" not in url and url == f"http://{lan_address()}:8000"
    assert public_url("::", 80) != "http://[::]"
    assert public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert public_url("0.0.0.0", 8000, "https://room.example.org/") == "https://room.example.org"
