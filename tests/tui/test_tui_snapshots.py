"""Snapshots of the main screens at 80x24 and 120x40, from the fixture scenario with fixed save
names, seed and no clock on screen. Update after a deliberate change with
`pytest tests/tui --snapshot-update`, and look at the SVGs before committing them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tui_helpers import STANDARD_RUN, finish_what_if, long_scene, settle

from leadgame.tui.app import LeadgameApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
DATE = "2026-01-15T09:30:00+00:00"


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


def test_scene_held_until_read(snap_compare, tmp_path, monkeypatch):
    """A scene longer than the window: the options keep their place unseen, and their box says
    how to read on."""
    assert snap_compare(LeadgameApp(long_scene(tmp_path, monkeypatch)), terminal_size=(80, 24), run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_coached_feedback(snap_compare, new_game, size):
    async def decide(pilot):
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(LeadgameApp(new_game("snapshot", coached=True)), terminal_size=size, run_before=decide)


def finished_game(new_game, name: str = "snapshot"):
    """The standard run, noted and answered, dated so the screen is the same on every run."""
    game = new_game(name, choices=STANDARD_RUN)
    game.set_feeling("Uneasy about the commander leaving.")
    game.set_note(1, "Data first felt right; the police commander did not agree.")
    game.save = replace(game.save, updated=DATE)
    return game


def scrolled_to(section: int):
    async def run_before(pilot):
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#debrief").scroll_to_widget(screen.query_one(f"#section-{section}"), animate=False, top=True)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_debrief_path(snap_compare, new_game, size):
    assert snap_compare(LeadgameApp(finished_game(new_game)), terminal_size=size, run_before=scrolled_to(2))


@pytest.mark.parametrize("size", SIZES)
def test_debrief_profile(snap_compare, new_game, size):
    assert snap_compare(LeadgameApp(finished_game(new_game)), terminal_size=size, run_before=scrolled_to(3))


@pytest.mark.parametrize("size", SIZES)
def test_what_if_compare(snap_compare, new_game, size):
    first = finished_game(new_game, "first")
    branch = finish_what_if(first)
    branch.save = replace(branch.save, updated=DATE)

    async def compare(pilot):
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)

    assert snap_compare(LeadgameApp(branch), terminal_size=size, run_before=compare)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, new_game, size):
    async def open_help(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(LeadgameApp(new_game("snapshot")), terminal_size=size, run_before=open_help)
