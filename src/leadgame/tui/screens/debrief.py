"""The debrief, drawn from the core debrief's own sections in the order of the reflection cycle:
how it felt, your path beside the real leaders', your profile, your ending and what really
happened, what if, and what next (each question with a box to answer it). Then: replay from a
decision (w), compare a what-if with its first run (m), export (e).

The screen opens with the page focused, not a box, so its keys work at once; Tab goes into the
boxes and Escape comes back out. Whatever is written is saved on leaving a box.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from leadgame.core import debrief as d
from leadgame.core.saves import SaveError
from leadgame.tui.messages import Written
from leadgame.tui.widgets.answer import AnswerBox
from leadgame.tui.widgets.bars import ProfileBars, legend
from leadgame.tui.widgets.path import JunctureView, path_legend
from leadgame.tui.widgets.prose import Prose
from leadgame.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from leadgame.core.debrief import Debrief
    from leadgame.core.session import Session

FEELING = "feeling"
KEYS_NOTE = ("1–7  Go to a section     w  What if: replay from any decision     e  Export     "
             "Tab  Write in the next box     Esc  Title")


class DebriefScreen(Screen[None]):
    BINDINGS = [
        Binding("w", "what_if", "What if…", tooltip="Replay from any earlier decision, as a new saved game"),
        Binding("m", "compare", "Compare", tooltip="This what-if beside its first run: both paths and every construct's change"),
        Binding("e", "export", "Export", tooltip="Write the whole debrief as Markdown and a printable HTML page"),
        Binding("escape", "back", "Title", tooltip="Back to the title screen; your game and answers stay saved"),
        Binding("tab", "next_box(1)", "Write", tooltip="Into the next box to write in (the nearest one on screen)"),
        Binding("shift+tab", "next_box(-1)", "Back", show=False, tooltip="Into the box before"),
        *(Binding(str(n), f"section({n})", "Sections", show=False, tooltip="Go to section 1 to 9 of the debrief")
          for n in range(1, 10)),
    ]

    def __init__(self, game: Session) -> None:
        super().__init__()
        self.game = game
        self.debrief: Debrief | None = None

    @property
    def is_what_if(self) -> bool:
        return bool(self.game.save.origin)

    def compose(self) -> ComposeResult:
        bar = f"Debrief: {self.game.scenario.title}" + ("  ·  What if" if self.is_what_if else "")
        yield Static(bar, id="debrief-bar", markup=False)
        with VerticalScroll(id="debrief"):
            yield Static("Preparing your debrief…", id="debrief-loading", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.app.current = self.game
        self.query_one("#debrief").focus()
        self.build()

    def on_screen_resume(self) -> None:
        self.app.current = self.game

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "compare" and not self.is_what_if:
            return False  # only a what-if replay has a first run to compare with
        return True

    @work(thread=True, exclusive=True, group="debrief")
    def build(self) -> None:
        debrief = self.game.debrief()
        self.app.call_from_thread(self.show, debrief)

    async def show(self, debrief: Debrief) -> None:
        self.debrief = debrief
        widgets: list[Widget] = []
        about = " · ".join(p for p in (f"Played {debrief.played}" if debrief.played else "",
                                       f"{debrief.mode} mode" if debrief.mode else "", debrief.label) if p)
        if about:
            widgets.append(Static(about, id="debrief-about", classes="section-words", markup=False))
        if self.is_what_if:
            words = ("This is a what-if replay: press m to see it beside your first run." if debrief.comparison
                     else "This is a what-if replay, but its first run's save is gone, so there is nothing to compare.")
            widgets.append(Static(words, classes="debrief-note", markup=False))
        for number, section in enumerate(d.sections(debrief), start=1):
            heading = "How did that feel?" if section.kind == d.FELT else section.heading
            widgets.append(Static(f"{number} · {heading}", id=f"section-{number}", classes="section-heading", markup=False))
            widgets += self.section_widgets(debrief, section)
        widgets.append(Static(KEYS_NOTE, classes="debrief-note", markup=False))
        await self.query_one("#debrief-loading").remove()
        await self.query_one("#debrief", VerticalScroll).mount_all(widgets)
        self.refresh_bindings()

    def section_widgets(self, debrief: Debrief, section: d.Section) -> list[Widget]:
        kind = section.kind
        if kind == d.FELT:
            return [Static("A sentence or two, for you. Tab to write; Esc when done.", classes="section-words", markup=False),
                    AnswerBox(self.game.save.feeling, key=FEELING, placeholder="How did that feel?", id="feeling")]
        if kind == d.PATH:
            return [Static(d.path_summary(debrief), id="path-summary", classes="section-words", markup=False),
                    Static(path_legend(any(j.real.kind for j in debrief.path)), classes="section-words", markup=False),
                    *(JunctureView(juncture, debrief.source, id=f"step-{juncture.index}") for juncture in debrief.path)]
        if kind == d.PROFILE:
            return [Static(d.PROFILE_INTRO, classes="section-words", markup=False),
                    Static(legend(bool(debrief.real_profile)), classes="section-words", markup=False),
                    ProfileBars(debrief.profile, debrief.real_profile, id="profile")]
        if kind == d.NEXT:
            widgets: list[Widget] = []
            for number, question in enumerate(debrief.reflection, start=1):
                widgets.append(Static(f"{number}. {question}", classes="question", markup=False))
                widgets.append(AnswerBox(self.game.save.answers.get(question, ""), key=question,
                                         placeholder="Your answer: Tab to write here", id=f"answer-{number}"))
            return widgets or [Prose(section.body, classes="section-text")]
        if kind == d.WHAT_IF:
            return [Prose(section.body, id="what-if", classes="section-text"),
                    Static("m  Both paths side by side", classes="debrief-note", markup=False)]
        return [Prose(section.body, classes="section-text")]

    # --- the learner's words ----------------------------------------------------------------

    @on(Written)
    def written(self, event: Written) -> None:
        self.keep(event.key, event.text)
        if event.leaving:
            self.query_one("#debrief").focus()

    def action_section(self, number: int) -> None:
        """Jump to a section by its number (the headings are numbered)."""
        found = self.query(f"#section-{number}")
        if found:
            self.query_one("#debrief", VerticalScroll).scroll_to_widget(found.first(), top=True, animate=False)

    def action_next_box(self, step: int) -> None:
        """From the page, into the nearest box on screen; from a box, to the next (or the one
        before), and past the last back to the page."""
        boxes = list(self.query(AnswerBox))
        if not boxes:
            return
        body = self.query_one("#debrief", VerticalScroll)
        if self.focused in boxes:
            index = boxes.index(self.focused) + step
            target = boxes[index] if 0 <= index < len(boxes) else body
        else:
            below = [box for box in boxes if box.virtual_region.y >= body.scroll_offset.y]
            target = below[0] if below else boxes[-1]
        target.focus()
        if target is not body:
            body.scroll_to_widget(target, animate=False)

    def keep(self, key: str, text: str) -> None:
        """Save what was written in one box, if it changed."""
        text = text.strip()
        saved = self.game.save.feeling if key == FEELING else self.game.save.answers.get(key, "")
        if text == saved:
            return
        try:
            if key == FEELING:
                self.game.set_feeling(text)
            else:
                self.game.set_answer(key, text)
        except (SaveError, OSError) as error:
            self.notify(f"Could not save what you wrote: {error}", severity="error", markup=False)

    def flush(self) -> None:
        """Save every box; called before leaving the screen or the app."""
        for box in self.query(AnswerBox):
            self.keep(box.key, box.text)

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
        self.app.switch_screen(SceneScreen(branch))

    def action_compare(self) -> None:
        if self.debrief is None or not self.is_what_if:
            return
        if self.debrief.comparison is None:
            self.notify("The first run's save is gone, so there is nothing to compare with.", markup=False)
            return
        from leadgame.tui.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(self.debrief.comparison, self.debrief.label))

    def action_export(self) -> None:
        if self.debrief is None:
            return
        from leadgame import locations
        from leadgame.tui.screens.modals import ExportScreen

        self.flush()
        self.app.push_screen(ExportScreen(locations.exports_dir()), self.export_to)

    @work(thread=True, exclusive=True, group="export")
    def export_to(self, folder: Path | None) -> None:
        if folder is None:
            return
        from leadgame.export import export_debrief

        try:
            written = export_debrief(self.game.debrief(), folder, self.game.save.name)
        except OSError as error:
            self.app.call_from_thread(self.notify, f"Could not write into {folder}: {error.strerror or error}",
                                      severity="error", markup=False)
            return
        from leadgame.tui.screens.modals import ExportedScreen

        self.app.call_from_thread(self.app.push_screen, ExportedScreen(written))

    def commands(self):
        yield SystemCommand("What if…", "Replay from any earlier decision as a new game (w)", self.action_what_if)
        yield SystemCommand("Export debrief", "Write the debrief as Markdown and a printable HTML page (e)", self.action_export)
        if self.is_what_if:
            yield SystemCommand("Compare with the first run", "Both paths side by side, and each construct's change (m)",
                                self.action_compare)
        yield SystemCommand("Back to the title", "Your game and answers stay saved (Esc)", self.action_back)
