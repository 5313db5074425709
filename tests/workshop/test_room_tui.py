"""Room mode driven through Textual's Pilot: a whole session with votes, the timer, notes, a
tie-break and the debrief; and a session resumed after it was cut off mid-vote."""

from __future__ import annotations

from room_helpers import FakeClock, mini_scenario, new_room

from leadgame.core.workshop import WorkshopSession, read_workshop
from leadgame.workshop.app import RoomDebriefScreen, RoomScreen, TieBreak, WorkshopApp
from support import run_cli

SIZE = (120, 40)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def keys(pilot, *names: str) -> None:
    for name in names:
        await pilot.press(name)
        await settle(pilot)


def key(room, choice_id: str) -> str:
    """The number key of an option as the room sees it (options appear in the session's order)."""
    return str([c.id for c in room.choices()].index(choice_id) + 1)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_whole_room_session(isolated_saves):
    clock = FakeClock()
    room = new_room(isolated_saves, clock, timer=60)
    app = WorkshopApp(room, extend_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RoomScreen)
        assert not screen.query_one("#room-notes").display
        await keys(pilot, "n")
        assert screen.query_one("#room-notes").display  # facilitator notes and prompts shown

        # The countdown: start, let 45 s pass, pause, extend by 30 s.
        await keys(pilot, "space")
        clock.advance(45)
        screen.tick()
        assert screen.query_one("#room-timer").value == "00:15"
        await keys(pilot, "space", "x")
        assert screen.query_one("#room-timer").value == "00:45"

        # Votes: one option by +, the other typed as a count; a note.
        await keys(pilot, key(room, "stark"), "plus", "plus", "plus", "minus")
        await keys(pilot, key(room, "ambition"), "e")
        await pilot.press("backspace")
        await type_text(pilot, "12")
        assert room.votes() == {"stark": 2, "ambition": 12}
        assert read_workshop(room.path).pending_votes == {"stark": 2, "ambition": 12}  # saved at once
        await keys(pilot, "m")
        await type_text(pilot, "Ambition won the room")
        await keys(pilot, "enter")
        assert screen.phase == "outcome"
        await keys(pilot, "enter")

        # The trust board: a tie, broken by the facilitator.
        await keys(pilot, "1", "plus", "2", "plus", "enter")
        assert isinstance(app.screen, TieBreak)
        await keys(pilot, *(["down"] if key(room, "share-later") == "2" else []), "enter")
        assert room.record.decisions[-1].choice == "share-later" and room.record.decisions[-1].tie_break
        await keys(pilot, "enter")  # past the consequence
        await keys(pilot, "enter", "enter")  # two passages: winter, then the commander moves on (seed 0)

        # The pooled budget: confront is offered (trust is 2); the room confronts.
        assert {c.id for c in room.choices()} == {"confront", "cede", "escalate"}
        await keys(pilot, key(room, "confront"), "plus", "plus", key(room, "escalate"), "plus", "enter", "enter")
        assert isinstance(app.screen, RoomDebriefScreen)
        text = "\n".join(str(w.source) for w in app.screen.query("Markdown") if w.source)
        assert "The roads not taken" in text and "Take it to the chief executive" in text
        assert "Ending: Work still in progress" in text

    record = read_workshop(room.path)
    assert record.finished
    decided = [d for d in record.decisions if not d.passage]
    assert [d.choice for d in decided] == ["ambition", "share-later", "confront"]
    assert decided[0].votes == {"stark": 2, "ambition": 12} and decided[0].note == "Ambition won the room"
    assert decided[0].seconds == 45


async def test_resume_after_the_session_was_cut_off(isolated_saves):
    clock = FakeClock()
    room = new_room(isolated_saves, clock)
    app = WorkshopApp(room)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, key(room, "stark"), "plus", "plus", "plus", key(room, "ambition"), "plus")
        # The window is closed here, mid-vote, without advancing.
    record = read_workshop(isolated_saves / "workshops" / "ROOM1" / "workshop.json")
    again, _ = WorkshopSession.resume(mini_scenario(), isolated_saves, record, FakeClock())
    app = WorkshopApp(again)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        chart = app.screen.query_one("#room-votes")
        assert sorted((row[0], row[2]) for row in chart.rows) == [("ambition", 1), ("stark", 3)]
        assert [row[0] for row in chart.rows] == [c.id for c in again.choices()]  # the same order as before
        await keys(pilot, "enter")
        assert again.record.decisions[0].choice == "stark"


def test_room_mode_needs_a_terminal():
    result = run_cli("workshop", "mini-pilot", input="")
    assert result.returncode == 2 and "needs a terminal" in result.stderr


async def test_quitting_keeps_the_countdown_and_time_spent(isolated_saves):
    clock = FakeClock()
    room = new_room(isolated_saves, clock, timer=60)
    app = WorkshopApp(room)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "space")
        clock.advance(20)
        await keys(pilot, "q")
    record = read_workshop(room.path)
    assert record.timer_elapsed == 20 and record.pending_seconds == 20


async def test_extending_after_time_is_up_is_whole_and_saved_at_once(isolated_saves):
    clock = FakeClock()
    room = new_room(isolated_saves, clock, timer=60)
    app = WorkshopApp(room, extend_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await keys(pilot, "space")
        clock.advance(200)  # time ran out long ago
        screen.tick()
        assert screen.query_one("#room-timer").value == "00:00"
        await keys(pilot, "x")
        assert screen.query_one("#room-timer").value == "00:30"  # the whole extension, however late
        saved = read_workshop(room.path)  # saved now, not at the next vote
        assert saved.timer_extra == 30 and saved.timer_elapsed == 60
        clock.advance(10)
        screen.tick()
        assert screen.query_one("#room-timer").value == "00:20"


async def test_long_notes_and_prompts_scroll_from_the_keyboard(isolated_saves):
    room = new_room(isolated_saves, FakeClock())
    app = WorkshopApp(room)
    async with app.run_test(size=(80, 18)) as pilot:
        await settle(pilot)
        story = app.screen.query_one("#room-story")
        await keys(pilot, "n")
        assert story.max_scroll_y > 0 and story.scroll_y == 0
        await keys(pilot, "pagedown")
        assert story.scroll_y > 0
        await keys(pilot, "home")
        assert story.scroll_y == 0
        await keys(pilot, "end")
        assert story.scroll_y == story.max_scroll_y


async def test_a_live_room_keeps_the_notes_off_the_projector_and_opens_voting(isolated_saves):
    from live_helpers import free_port

    from leadgame.workshop.live.server import LiveRoom

    room = new_room(isolated_saves, FakeClock())
    app = WorkshopApp(room, live=LiveRoom(room, "127.0.0.1", free_port()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await keys(pilot, "n")
        assert not screen.query_one("#room-notes").display  # the presenter view has them
        await keys(pilot, "v")
        assert read_workshop(room.path).voting_open and room.voting_open
        await keys(pilot, "v")
        assert not read_workshop(room.path).voting_open
        await keys(pilot, "space")  # starting the countdown opens voting too
        assert room.voting_open
        await keys(pilot, "j")
        assert "█" not in str(screen.query_one("#room-join").render())  # the QR code can be put away
        await keys(pilot, key(room, "stark"), "plus", "enter")
        assert screen.phase == "outcome"
    # Cut off while the room read the consequence: it comes back to the same place.
    room.close()
    again, _ = WorkshopSession.resume(mini_scenario(), isolated_saves, read_workshop(room.path), FakeClock())
    app = WorkshopApp(again)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.phase == "outcome"
        assert "The panel is alarmed" in app.screen.query_one("#room-consequence").source
        await keys(pilot, "enter")
        assert app.screen.phase == "deciding" and not read_workshop(room.path).showing_outcome
