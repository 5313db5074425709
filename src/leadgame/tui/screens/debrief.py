"""The debrief, in the order of the core debrief (the reflection cycle): how it felt, what
happened, the construct profile with its evidence, the ending and what really happened, and
questions for the learner's own place. Then: what if (replay from a decision), compare, export."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Markdown, Static

from leadgame.core.debrief import PROFILE_INTRO, Debrief, evidence_markdown, happened_markdown, to_markdown
from leadgame.core.model import OUTCOME_HEADINGS
from leadgame.core.saves import SaveError, write_output
from leadgame.tui.widgets.bars import ProfileBars

if TYPE_CHECKING:
    from leadgame.core.session import Session

FEELING, HAPPENED, PROFILE = "How it felt", "What happened", "Your leadership profile"
KNOWN = (FEELING, HAPPENED, PROFILE, "Your ending", *OUTCOME_HEADINGS, "What next")


def sections(markdown: str) -> list[tuple[str, str]]:
    """The core debrief's Markdown cut at its own section headings: (heading, body) in order."""
    found: list[tuple[str, list[str]]] = []
    for line in markdown.splitlines():
        heading = line[3:].strip() if line.startswith("## ") else ""
        if heading and heading.startswith(KNOWN):
            found.append((heading, []))
        elif found:
            found[-1][1].append(line)
    return [(heading, "\n".join(body).strip()) for heading, body in found]


def export_suggestion(name: str) -> Path:
    base = Path.cwd() / f"{name}-debrief.md"
    candidate, counter = base, 1
    while candidate.exists():
        counter += 1
        candidate = base.with_name(f"{name}-debrief-{counter}.md")
    return candidate


class NoteInput(Input):
    """The "how did that feel" field: Escape leaves it, so the screen's keys work again."""

    BINDINGS = [Binding("escape", "done", "Done", tooltip="Leave the note field (Enter saves the note)")]

    def action_done(self) -> None:
        self.screen.query_one("#debrief", VerticalScroll).focus()


class DebriefScreen(Screen[None]):
    BINDINGS = [
        Binding("w", "what_if", "What if…", tooltip="Replay from any earlier decision, as a new saved game"),
        Binding("m", "compare", "Compare", tooltip="This what-if's profile beside your first run's"),
        Binding("e", "export", "Export", tooltip="Write the whole debrief to a Markdown file you can keep"),
        Binding("escape", "back", "Title", tooltip="Back to the title screen; your game and note stay saved"),
    ]

    def __init__(self, game: Session, origin: Session | None = None) -> None:
        super().__init__()
        self.game = game
        self.origin = origin
        self.debrief: Debrief | None = None

    def compose(self) -> ComposeResult:
        bar = f"Debrief: {self.game.scenario.title}" + ("  ·  What-if replay" if self.origin else "")
        yield Static(bar, id="debrief-bar", markup=False)
        with VerticalScroll(id="debrief"):
            yield Static("Preparing your debrief…", id="debrief-loading", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.app.current = self.game
        self.build()

    def on_screen_resume(self) -> None:
        self.app.current = self.game

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "compare" and self.origin is None:
            return False  # only for a what-if replay
        return True

    @work(thread=True, exclusive=True, group="debrief")
    def build(self) -> None:
        debrief = self.game.debrief()
        self.app.call_from_thread(self.show, debrief)

    async def show(self, debrief: Debrief) -> None:
        self.debrief = debrief
        body = self.query_one("#debrief", VerticalScroll)
        widgets: list[Widget] = []
        if self.origin is not None:
            widgets.append(Static("This is a what-if replay. Press m to compare its profile with your first run.",
                                  classes="debrief-note", markup=False))
        for number, (heading, text) in enumerate(sections(to_markdown(debrief)), start=1):
            title = "How did that feel?" if heading == FEELING else heading
            widgets.append(Static(f"{number} · {title}", id=f"section-{number}", classes="section-heading", markup=False))
            if heading == FEELING:
                widgets.append(Static("Before anything else: a sentence or two, for you. Enter saves it.",
                                      classes="section-words", markup=False))
                widgets.append(NoteInput(self.game.save.feeling, placeholder="How did that feel?", id="feeling"))
            elif heading == HAPPENED:
                widgets.append(Markdown(happened_markdown(debrief), id="happened", classes="section-text", open_links=False))
            elif heading.startswith(PROFILE):
                widgets.append(Static(PROFILE_INTRO, classes="section-words", markup=False))
                widgets.append(ProfileBars(debrief.profile, id="profile"))
                widgets.append(Static("What moved each construct", classes="subsection-heading", markup=False))
                widgets.append(Markdown(evidence_markdown(debrief), id="evidence", open_links=False))
            else:
                widgets.append(Markdown(text, open_links=False, classes="section-text"))
        widgets.append(Static("w  What if: replay from any decision    e  Export to a Markdown file    Escape  Title",
                              classes="debrief-note", markup=False))
        await self.query_one("#debrief-loading").remove()
        await body.mount_all(widgets)
        feeling = self.query_one("#feeling", Input)
        feeling.cursor_blink = not self.app.is_headless
        feeling.focus()
        self.refresh_bindings()

    # --- the note ---------------------------------------------------------------------------

    @on(Input.Submitted, "#feeling")
    def feeling_submitted(self, event: Input.Submitted) -> None:
        self.flush()
        self.notify("Your note is saved.", timeout=2)
        self.query_one("#debrief", VerticalScroll).focus()

    def flush(self) -> None:
        """Save the note if it has changed; called before leaving the screen or the app."""
        inputs = self.query("#feeling")
        if not inputs:
            return
        text = inputs.first(Input).value.strip()
        if text != self.game.save.feeling:
            try:
                self.game.set_feeling(text)
            except (SaveError, OSError) as error:
                self.notify(f"Could not save your note: {error}", severity="error", markup=False)

    # --- what next --------------------------------------------------------------------------

    def action_back(self) -> None:
        self.flush()
        self.app.go_to_title()

    def action_what_if(self) -> None:
        if self.debrief is None:
            return
        decisions = self.debrief.decisions
        if not decisions:
            self.notify("There is no decision to replay from.")
            return
        from leadgame.tui.screens.modals import WhatIfScreen

        self.flush()
        self.app.push_screen(WhatIfScreen(decisions), self.replay_from)

    def replay_from(self, kept: int | None) -> None:
        if kept is None:
            return
        from leadgame.tui.screens.scene import SceneScreen

        try:
            branch = self.game.branch(kept)
        except (SaveError, OSError) as error:
            self.notify(f"Could not start the replay: {error}", severity="error", markup=False)
            return
        self.app.switch_screen(SceneScreen(branch, origin=self.game))

    def action_compare(self) -> None:
        if self.origin is None:
            return
        from leadgame.tui.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(self.origin, self.game))

    def action_export(self) -> None:
        if self.debrief is None:
            return
        from leadgame.tui.screens.modals import ExportScreen

        self.flush()
        self.app.push_screen(ExportScreen(export_suggestion(self.game.save.name)), self.export_to)

    def export_to(self, path: Path | None) -> None:
        if path is None or self.debrief is None:
            return
        document = to_markdown(replace(self.debrief, feeling=self.game.save.feeling))
        try:
            write_output(path, document)
        except OSError as error:
            self.notify(f"Could not write {path}: {error.strerror or error}", severity="error", markup=False)
            return
        self.notify(f"Debrief saved to {path}", title="Exported", timeout=6, markup=False)

    def commands(self):
        yield SystemCommand("What if…", "Replay from any earlier decision as a new game (w)", self.action_what_if)
        yield SystemCommand("Export debrief", "Write the debrief to a Markdown file (e)", self.action_export)
        if self.origin is not None:
            yield SystemCommand("Compare profiles", "Your first run and this what-if, side by side (m)", self.action_compare)
        yield SystemCommand("Back to the title", "Your game and note stay saved (Escape)", self.action_back)
