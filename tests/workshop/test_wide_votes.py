"""A room vote on a very wide decision (5,000 options) draws a window of bars around the
selected option, not every bar, so each vote stays quick (its speed is a benchmark row)."""

from __future__ import annotations

from leadgame import library
from leadgame.core.workshop import WorkshopSession
from leadgame.workshop.app import WorkshopApp
from leadgame.workshop.widgets import MAX_ROWS, VoteChart
from support import options_scenario


async def test_five_thousand_options_draw_a_window_that_follows_the_selection(tmp_path):
    scenario = library.load(options_scenario(tmp_path, 5000))
    room = WorkshopSession.new(scenario, tmp_path / "saves", "WIDE")
    app = WorkshopApp(room)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        chart = app.screen.query_one(VoteChart)
        lines = chart.render().plain.splitlines()
        assert len(lines) <= 2 * MAX_ROWS + 3, "a window of bars, not five thousand"
        assert "↓ 4,988 more options" in lines[-2] and lines[0].startswith("▶ 1  Option 0")
        for _ in range(20):
            await pilot.press("down")
        await pilot.press("plus", "plus")
        await pilot.pause()
        text = chart.render().plain
        assert "▶ 21  Option 20" in text and "↑ 14 more options" in text
        assert room.votes()["o20"] == 2 and "2 votes entered" in text
    room.close()


