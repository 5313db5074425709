"""Room mode shows text that follows the story: the narrative on the projector, the roads not
taken and the room's ending, each in the words of the state the room (or the road) reached."""

from __future__ import annotations

from room_helpers import FakeClock

from leadgame import library
from leadgame.core.workshop import WorkshopSession, room_markdown
from leadgame.workshop.app import RoomDebriefScreen, WorkshopApp
from support import FOLLOWS


async def test_the_room_reads_its_own_path_and_the_roads_not_taken(isolated_saves):
    room = WorkshopSession.new(library.load(FOLLOWS), isolated_saves, "TEXT1", seed=0, timer_seconds=60, clock=FakeClock())
    app = WorkshopApp(room, extend_seconds=30)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Trust stands at 1." in app.screen.query_one("#room-narrative").source
        room.set_votes("cafe", 5)
        room.set_votes("system", 2)
        for key in ("enter", "enter", "enter"):  # the café wins; past its consequence; through Spring
            await pilot.press(key)
            await pilot.pause()
        assert "Parents nod as you come in." in app.screen.query_one("#room-narrative").source
        room.set_votes("share", 3)
        for key in ("enter", "enter"):
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, RoomDebriefScreen)
        story = app.screen.query_one("#room-debrief-story").source
        assert "The café is still open a year later" in story and "{delayed" not in story
    votes = room_markdown(room)
    assert "*Buy a shared case-recording system*. The system goes live. Trust is now 0." in votes


def test_learners_pages_read_the_text_the_room_reached(isolated_saves):
    """What a live room sends to phones: each scene, outcome and ending in the words of the state
    the room reached, never the template markup."""
    from leadgame.workshop.live import views

    room = WorkshopSession.new(library.load(FOLLOWS), isolated_saves, "TEXT2", seed=0, timer_seconds=60, clock=FakeClock())
    seen = [views.room(room)]
    while not room.finished:
        if not room.is_passage:
            room.set_votes(room.choices()[0].id if room.decision_number > 1 else "cafe", 3)
        room.advance()
        seen.append(views.room(room))  # the outcome (or the next scene after a passage)
        room.move_on()
        seen.append(views.room(room))
    pages = [str(page) for page in seen]
    assert "Trust stands at 1." in pages[0]
    assert any("Trust is now 3." in page and "There is money for one thing this year. Trust stands at 1." in page for page in pages)
    assert any("came to the café every week" in page for page in pages)
    assert seen[-1]["stage"] == views.DEBRIEF and "{" not in seen[-1]["debrief"]["html"]
    assert not any("{cafe_funded" in page or "{trust}" in page or "{delayed" in page for page in pages)
    room.close()
