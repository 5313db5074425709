"""Snapshots of the room screen and its vote chart: the fixture scenario, a fixed session code,
a clock that only moves when the test says, and a fixed terminal size. Update after a deliberate
change with `pytest tests/workshop --snapshot-update`, and look at the SVGs before committing."""

from __future__ import annotations

from room_helpers import FakeClock, new_room

from leadgame.workshop.app import WorkshopApp

SIZE = (110, 32)


def room_with_votes(saves):
    clock = FakeClock()
    room = new_room(saves, clock, timer=120)
    room.set_votes("stark", 7)
    room.set_votes("ambition", 4)
    room.set_note("Two tables argued for ambition")
    room.timer.start()
    clock.advance(35)
    room.timer.pause()
    return room


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_room_screen_with_notes_and_votes(snap_compare, isolated_saves):
    async def show_notes(pilot):
        await settle(pilot)
        await pilot.press("n", "2")
        await settle(pilot)

    assert snap_compare(WorkshopApp(room_with_votes(isolated_saves)), terminal_size=SIZE, run_before=show_notes)


def test_vote_chart_after_the_room_decides(snap_compare, isolated_saves):
    async def decide(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(WorkshopApp(room_with_votes(isolated_saves)), terminal_size=SIZE, run_before=decide)


def test_room_debrief(snap_compare, isolated_saves):
    room = room_with_votes(isolated_saves)
    room.advance()
    for choice in ("share-now", None, None, "cede"):
        if choice:
            room.set_votes(choice, 9)
        room.advance()
    room.move_on()  # past the last consequence, to the debrief
    assert room.finished
    assert snap_compare(WorkshopApp(room), terminal_size=SIZE, run_before=settle)


def test_live_room_projector_with_the_join_panel(snap_compare, isolated_saves):
    from live_helpers import free_port

    from leadgame.workshop.live.server import LiveRoom

    room = room_with_votes(isolated_saves)
    live = LiveRoom(room, "127.0.0.1", free_port(), url="http://192.168.1.20:8000")  # a fixed address to draw
    assert snap_compare(WorkshopApp(room, live=live), terminal_size=(120, 40), run_before=settle)
