"""Plain mode: the game as a line-by-line conversation, for screen readers, pipes and scripts.

Every prompt reads one line from stdin: a choice number or id, Enter to continue, `q` to save
and stop. Rich renders the Markdown; it drops colour under NO_COLOR or when output is piped.
Only what the first prompt needs is imported before it: the debrief's modules wait for the end.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from leadgame.core.saves import SaveError
from leadgame.core.session import NOT_SAVED, Session
from leadgame.core.text import clean_text
from leadgame.prose import markdown as Markdown

if TYPE_CHECKING:
    from leadgame.core.engine import Outcome

QUIT_WORDS = {"q", "quit", "exit"}
NOTE_WORDS = {"n", "note"}


class InputEnded(Exception):
    """Stdin closed: the game is saved and play stops cleanly."""


class Quit(Exception):
    """The learner asked to stop; the game is saved."""


class PlainPlayer:
    def __init__(self, game: Session, console: Console | None = None, stdin=None):
        self.game = game
        self.console = console or Console(highlight=False)
        self.stdin = stdin or sys.stdin

    @property
    def quit_words(self) -> str:
        return "q to save and stop" if self.game.persist else "q to stop"

    # --- input --------------------------------------------------------------------------------

    def ask(self, prompt: str) -> str:
        self.console.print(Text(prompt), end="")
        if self.stdin.isatty():
            try:
                line = input()
            except EOFError:
                raise InputEnded from None
        else:
            line = self.stdin.readline()
            if not line:
                raise InputEnded
        line = clean_text(line)
        if not self.stdin.isatty():
            self.console.print(Text(line))  # echo piped input so transcripts read well
        return line

    # --- the game -----------------------------------------------------------------------------

    def play(self) -> None:
        while not self.game.finished:
            self.show_scene()
            outcome = self.decide(self.pick())
            self.show_outcome(outcome)
        self.debrief()

    def decide(self, choice_id: str) -> Outcome:
        """Take a choice once it is saved; while saving fails, say why and offer to try again."""
        while True:
            try:
                return self.game.choose(choice_id)
            except SaveError as error:
                self.console.print(Text(f"Your decision was not saved: {error}. The game has not moved on.", style="bold"))
                if self.ask("Press Enter to try again, or q to stop: ").lower() in QUIT_WORDS:
                    raise Quit from None

    def agrees_to_continue(self, kept: int) -> bool:
        """After an edit stopped some decisions from replaying: go on from the last that holds?"""
        try:
            answer = self.ask(f"Continue from decision {kept}, keeping the later ones in the save, set aside? [Y/n] ")
        except InputEnded:
            return False
        return answer.lower() not in ("n", "no", *QUIT_WORDS)

    def show_intro(self) -> None:
        scenario = self.game.scenario
        self.console.print(Rule(Text(scenario.title)))
        self.console.print(Text(f"{scenario.place} · {scenario.years} · You are: {scenario.role}", style="dim"))
        self.console.print(Markdown(scenario.intro))
        mode = "coached: the reasoning behind each decision follows it" if self.game.coached else "standard: scores stay hidden until the debrief"
        self.console.print(Text(f"Mode: {mode}.", style="dim"))
        self.console.print(Text(f"Type a number to choose, n for a note, {self.quit_words}.", style="dim"))

    def show_scene(self) -> None:
        scene = self.game.state.scene
        self.console.print()
        self.console.print(Rule(Text(scene.title), align="left"))
        when = " · ".join(part for part in (scene.place, scene.date) if part)
        if when:
            self.console.print(Text(when, style="dim"))
        self.console.print(Markdown(self.game.state.text))

    def pick(self) -> str:
        choices = self.game.choices()
        passage = self.game.state.scene.is_passage
        if not passage:
            for number, choice in enumerate(choices, start=1):
                self.console.print(Text(f"  {number}. {choice.label}"))
        while True:
            answer = self.ask(f"[Enter] {choices[0].label} " if passage else f"Your choice (1-{len(choices)}): ")
            if answer.lower() in QUIT_WORDS:
                raise Quit
            if answer.lower() in NOTE_WORDS:
                self.take_note()
                continue
            chosen = choices[0].id if passage else _match(answer, choices)
            if chosen:
                return chosen
            self.console.print(Text(f"Please type a number from 1 to {len(choices)}, n for a note, or {self.quit_words}."))

    def take_note(self) -> None:
        """A note on the decision at hand, kept in the save and shown in the debrief beside it."""
        step = len(self.game.state.history)
        current = self.game.save.notes.get(step, "")
        if current:
            self.console.print(Text(f"Your note so far: {current}", style="dim"))
        note = self.ask("Your note (one line; Enter keeps the note as it is): ")
        if note and self.saved(lambda: self.game.set_note(step, note), "Your note"):
            self.console.print(Text("Noted.", style="dim"))

    def saved(self, write, what: str) -> bool:
        """Keep what the learner wrote; when saving fails say so (the game is as it was)."""
        try:
            write()
        except SaveError as error:
            self.console.print(Text(f"{what} was not saved: {error}", style="bold"))
            return False
        return True

    def show_outcome(self, outcome: Outcome) -> None:
        if outcome.consequence.strip():
            self.console.print(Markdown(outcome.consequence))
        if self.game.coached and outcome.choice.rationale:
            from leadgame.core.debrief import signed

            changes = ", ".join(
                f"{signed(delta)} {self.game.scenario.constructs[c].name}" for c, delta in outcome.score_changes.items()
            )
            self.console.print(Markdown(f"**Coach:** {outcome.choice.rationale.strip()}"))
            detail = " · ".join(part for part in (self.game.scenario.source.reference_line(outcome.choice.ref), changes) if part)
            self.console.print(Text(detail, style="dim"))

    def debrief(self) -> None:
        ending = self.game.state.ending
        self.console.print()
        self.console.print(Rule(Text(f"Ending: {ending.title}")))
        self.console.print(Markdown(self.game.state.text))
        self.console.print()
        asking = True
        if not self.game.save.feeling:
            try:
                note = self.ask("Before the debrief: how did that feel? (one line, Enter to skip) ")
            except InputEnded:
                note, asking = "", False
            if note:
                self.saved(lambda: self.game.set_feeling(note), "Your note")
        self.show_debrief(asking)

    def show_debrief(self, asking: bool) -> None:
        """The core debrief's sections, as the export writes them, asking each question of What
        next in turn while there is input to answer them."""
        from leadgame.core.debrief import NEXT, heading_markdown, sections

        debrief = self.game.debrief()
        self.console.print(Markdown(heading_markdown(debrief)))
        for section in sections(debrief, ending_text=False):
            self.console.print()
            if section.kind != NEXT or not debrief.reflection:
                self.console.print(Markdown(f"## {section.heading}\n\n{section.body}"))
                continue
            self.console.print(Markdown(f"## {section.heading}"))
            for number, question in enumerate(debrief.reflection, start=1):
                current = debrief.answers.get(question, "")
                self.console.print(Markdown(f"{number}. **{question}**"))
                if current:
                    self.console.print(Text(f"Your answer so far: {current}", style="dim"))
                try:
                    text = self.ask("Your answer (one line; Enter to skip or keep it): ") if asking else ""
                except InputEnded:
                    text, asking = "", False
                if text:
                    self.saved(lambda: self.game.set_answer(question, text), "Your answer")
        if self.game.persist:
            self.console.print(Text(f"\nKeep this debrief as Markdown and HTML: leadgame export {self.game.save.name}", style="dim"))


def _match(answer: str, choices) -> str | None:
    if answer.isdigit() and 1 <= int(answer) <= len(choices):
        return choices[int(answer) - 1].id
    return next((c.id for c in choices if c.id == answer), None)


class ScriptedInput:
    """A test script's answers first (one line each: a choice id, or nothing for a passage),
    then whatever stdin holds, so a script can take the game to a point and play on from there."""

    def __init__(self, answers: list[str], then=None):
        self.answers = list(answers)
        self.then = then or sys.stdin

    def isatty(self) -> bool:
        return not self.answers and self.then.isatty()

    def readline(self) -> str:
        return self.answers.pop(0) + "\n" if self.answers else self.then.readline()


def run(game: Session, notes: tuple[str, ...] = (), console: Console | None = None, script: list[str] | None = None) -> int:
    """Play to the end (or until input stops); returns the process exit code. `script` is a
    test script's answers, played (and shown) before any typed input."""
    player = PlainPlayer(game, console, ScriptedInput(script) if script else None)
    saved = f"Saved as '{game.save.name}'. Resume with: leadgame play --plain --resume {game.save.name}" if game.persist else NOT_SAVED
    player.show_intro()
    for note in notes:
        player.console.print(Text(note, style="bold"))
    if game.set_aside_now is not None and not player.agrees_to_continue(game.set_aside_now.kept):
        player.console.print(Text(f"\nNothing was changed: the save '{game.save.name}' is as it was."))
        return 0
    try:
        player.play()
    except Quit:
        player.console.print(Text(f"\n{saved}"))
        return 0
    except InputEnded:
        player.console.print(Text(f"\nInput ended. {saved}"))
        return 0
    except KeyboardInterrupt:
        player.console.print(Text(f"\nInterrupted. {saved}"))
        return 130
    if game.persist:
        player.console.print(Text(f"\nYour game and note are saved in {Path(game.folder) / (game.save.name + '.json')}", style="dim"))
    else:
        player.console.print(Text(f"\n{NOT_SAVED}", style="dim"))
    return 0
