"""Snapshots of the main screens at 80x24 and 120x40, from the fixture scenario with fixed save
names, seed and no clock on screen. Update after a deliberate change with
`pytest tests/tui --snapshot-update`, and look at the SVGs before committing them."""

from __future__ import annotations

import pytest
from tui_helpers import STANDARD_RUN, settle

from leadgame.tui.app import LeadgameApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def ready(pilot) -> None:
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_title(snap_compare, size):
    assert snap_compare(LeadgameApp(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_picker(snap_compare, size):
    async def open_picker(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(LeadgameApp(), terminal_size=size, run_before=open_picker)


@pytest.mark.parametrize("size", SIZES)
def test_scene(snap_compare, new_game, size):
    assert snap_compare(LeadgameApp(new_game("snapshot", choices=("stark",))), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_coached_feedback(snap_compare, new_game, size):
    async def decide(pilot):
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)

    assert snap_compare(LeadgameApp(new_game("snapshot", coached=True)), terminal_size=size, run_before=decide)


@pytest.mark.parametrize("size", SIZES)
def test_debrief_profile(snap_compare, new_game, size):
    async def to_profile(pilot):
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#debrief").scroll_to_widget(screen.query_one("#section-3"), animate=False, top=True)
        await settle(pilot)

    game = new_game("snapshot", choices=STANDARD_RUN)
    game.set_feeling("Uneasy about the commander leaving.")
    assert snap_compare(LeadgameApp(game), terminal_size=size, run_before=to_profile)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, new_game, size):
    async def open_help(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(LeadgameApp(new_game("snapshot")), terminal_size=size, run_before=open_help)
