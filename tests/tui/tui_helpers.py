"""Helpers shared by the TUI tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from leadgame import locations

FIXTURE_SCENARIOS = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"

# The fixture scenario with seed 0: stark -> share-now -> (winter) -> the commander moves -> cede.
STANDARD_RUN = ("stark", "share-now", "continue", "continue", "cede")
WHAT_IF_RUN = ("share-later", "continue", "continue", "cede")  # from the second decision: share later


def finish_what_if(first):
    """A what-if of the finished game `first`, replayed from its second decision to the end."""
    branch = first.branch(1, name=f"{first.save.name}-whatif")
    for choice in WHAT_IF_RUN:
        branch.choose(choice)
    return branch


def read_save_json(name: str) -> dict:
    return json.loads((locations.saves_dir() / f"{name}.json").read_text(encoding="utf-8"))


def fix_dates(name: str, when: str = "2026-01-15T09:30:00+00:00") -> None:
    """Give a save a fixed date, so a screen that shows it is the same on every run."""
    path = locations.saves_dir() / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["created"] = data["updated"] = when
    path.write_text(json.dumps(data), encoding="utf-8")


async def settle(pilot) -> None:
    """Let the screen catch up: the scenario library loaded, every worker done (saved games,
    debrief building) and Markdown updates rendered. Screenshots wait on this too."""
    app = pilot.app
    for _ in range(500):
        await pilot.pause()
        busy = any(worker.is_running or worker.state.name == "PENDING" for worker in app.workers)
        if app.entries is not None and not busy:
            break
        await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    """Press keys one at a time, letting each screen settle (Markdown updates are async)."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def choose(pilot, choice_id: str) -> None:
    """Choose an option the way a learner does: its number key (which chooses at once). The
    options appear in the game's shuffled order, so the key is read off the screen."""
    from leadgame.tui.widgets.choices import ChoiceList

    choices = pilot.app.screen.query_one("#choices", ChoiceList)
    await press(pilot, str(list(choices.labels).index(choice_id) + 1))


async def play_through(pilot, run: tuple[str, ...], to_debrief: bool = True) -> None:
    """Play choice ids from where the game stands: Enter for a passage, the option's number
    and Enter for a decision, then Enter past its consequence; Enter at the ending opens the
    debrief."""
    for choice_id in run:
        if pilot.app.screen.game.state.scene.is_passage:
            await press(pilot, "enter")
        else:
            await choose(pilot, choice_id)
            await press(pilot, "enter")
    if to_debrief and pilot.app.screen.game.finished:
        await press(pilot, "enter")


def text_of(widget, width: int = 100) -> str:
    """What a widget shows, as plain text: its Rich content laid out at `width` columns."""
    import io

    from rich.console import Console

    content = getattr(widget, "content", None)
    renderable = content if content is not None and not isinstance(content, str) else widget.render()
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


def drawn_lines(widget) -> list:
    """The lines a widget draws on screen now (as the compositor asks for them), as Strips."""
    from textual.geometry import Region

    return widget.render_lines(Region(0, 0, widget.outer_size.width, widget.outer_size.height))


def drawn_text(widget) -> str:
    """What a widget draws on screen now, as plain text, a line per row."""
    return "\n".join(strip.text for strip in drawn_lines(widget))


def screen_text(app) -> str:
    """What the screen shows now, as plain text, a line per row (as a learner reads it)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def long_scene(tmp_path, monkeypatch):
    """The fixture scenario with a first scene too long for a small window."""
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "constructs.yaml").write_text((FIXTURE_SCENARIOS / "constructs.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    words = "      " + "\n\n      ".join(f"Paragraph {n}: the panel hears figures, and questions follow." for n in range(12))
    text = (FIXTURE_SCENARIOS / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("      The panel waits. Budgets fall by a quarter over three years.\n",
                        words + "\n\n      The last line: the saving rests on this sentence.\n")
    (folder / "mini.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv(locations.SCENARIOS_ENV, str(folder))
    from leadgame import library
    from leadgame.core.session import Session

    return Session.new(library.load(folder / "mini.yaml"), locations.saves_dir(), name="long", seed=0)
