"""The debrief as data, in the order of the reflection cycle: how it felt -> your path beside the
real leaders' -> your profile -> what really happened -> what if -> what next.

One model, three renderings: the app draws it (tui/screens/debrief.py), plain mode prints its
Markdown, and an export writes that same Markdown and a printable HTML page (leadgame/export.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Iterable, Mapping

from leadgame.core.engine import State, Step, in_display_order
from leadgame.core.model import OUTCOME_HEADINGS, Choice, Construct, Ending, Scenario, Source
from leadgame.core.real import real_path, reported
from leadgame.core.scoring import SCALE, ConstructScore, profile
from leadgame.core.templates import render
from leadgame.core.text import markdown_text

if TYPE_CHECKING:
    from leadgame.core.saves import SaveGame


def cited(ref: str, source: Source) -> str:
    """" (paper §2.5)" to follow a sentence, in the case's own wording (`Source.cite`), or nothing."""
    return f" ({source.cite(ref)})" if ref else ""


def signed(number: int) -> str:
    return f"+{number}" if number > 0 else str(number).replace("-", "−")


# --- the path -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    step: int  # position in the history, passages included (1-based)
    number: int  # the decision's number as the learner counts them; 0 for a passage
    scene_title: str
    when: str  # place and date, as the scene gives them
    choice_label: str
    consequence: str  # as the learner read it, in the story state the choice left
    decision: bool  # False for a passage the learner simply continued through


def when(scene) -> str:
    return " · ".join(part for part in (scene.place, scene.date) if part)


def timeline(state: State) -> tuple[TimelineEntry, ...]:
    entries = []
    number = 0
    for index, step in enumerate(state.history, start=1):
        scene = state.scenario.scenes[step.scene]
        number += not scene.is_passage
        choice = _chosen(state.scenario, step)
        entries.append(TimelineEntry(index, 0 if scene.is_passage else number, scene.title, when(scene), choice.label,
                                     render(choice.consequence, step.variables), not scene.is_passage))
    return tuple(entries)


def _chosen(scenario: Scenario, step: Step) -> Choice:
    return next(c for c in scenario.scenes[step.scene].choices if c.id == step.choice)


# What the real leaders did at one of the learner's decisions.
SAME, OTHER, SILENT, AWAY, UNKNOWN = "same", "other", "silent", "away", ""


@dataclass(frozen=True)
class RealStep:
    kind: str  # SAME, OTHER, SILENT, AWAY; UNKNOWN when the scenario declares no real path
    label: str = ""  # the real leaders' option (SAME or OTHER)
    ref: str = ""  # where the source reports it

    def words(self, source: Source) -> str:
        """What the real leaders chose, as a phrase that follows "The real leaders chose: "."""
        return {
            SAME: f"the same{cited(self.ref, source)}",
            OTHER: f"{self.label}{cited(self.ref, source)}",
            SILENT: f"{source.called} is silent on what they chose here",
            AWAY: "the real leaders' path did not come this way",
        }.get(self.kind, "")


@dataclass(frozen=True)
class Option:
    label: str
    chosen: bool
    real: bool  # the option the paper reports the real leaders took here


@dataclass(frozen=True)
class Change:
    name: str  # the construct's name
    delta: int


@dataclass(frozen=True)
class Juncture:
    """One step of the learner's path, told once: what was on offer, what they chose and what
    the real leaders chose, what it gained and cost, why, and the learner's own note."""

    entry: TimelineEntry
    options: tuple[Option, ...]  # as the learner saw them; empty for a passage
    gains: tuple[Change, ...]
    costs: tuple[Change, ...]
    rationale: str
    ref: str
    real: RealStep
    note: str = ""

    @property
    def index(self) -> int:
        """The step's 0-based index in the history (how notes are keyed)."""
        return self.entry.step - 1

    @property
    def decision(self) -> bool:
        return self.entry.decision


def junctures(state: State, real: State | None, notes: Mapping[int, str] = MappingProxyType({})) -> tuple[Juncture, ...]:
    """The learner's path beside the real leaders' (`real`: the real path's state, or None when
    the scenario declares none). At a scene both paths visit, the k-th visit of one meets the
    k-th of the other (or its last)."""
    scenario = state.scenario
    real_visits: dict[str, list[Step]] = {}
    for step in real.history if real is not None else ():
        real_visits.setdefault(step.scene, []).append(step)
    seen: dict[str, int] = {}
    found = []
    for entry, step in zip(timeline(state), state.history):
        scene = scenario.scenes[step.scene]
        choice = _chosen(scenario, step)
        visit = seen[step.scene] = seen.get(step.scene, -1) + 1
        visits = real_visits.get(step.scene, [])
        real_step = visits[min(visit, len(visits) - 1)] if visits else None
        real_choice = _chosen(scenario, real_step) if real_step else None
        told = real_choice if reported(real_choice) else None
        options = ()
        if not scene.is_passage:
            offered = [c for c in scene.choices if c.id in set(step.offered or (step.choice,))]
            options = tuple(Option(c.label, c.id == choice.id, told is not None and c.id == told.id)
                            for c in in_display_order(scene, state.seed, tuple(offered)))
        changes = sorted((Change(scenario.constructs[c].name if c in scenario.constructs else c, d)
                          for c, d in choice.scores.items() if d), key=lambda change: -abs(change.delta))
        found.append(Juncture(entry, options, tuple(c for c in changes if c.delta > 0), tuple(c for c in changes if c.delta < 0),
                              choice.rationale, choice.ref, _real_step(real, real_choice, told, choice),
                              notes.get(entry.step - 1, "")))
    return tuple(found)


def _real_step(real: State | None, real_choice: Choice | None, told: Choice | None, choice: Choice) -> RealStep:
    if real is None:
        return RealStep(UNKNOWN)
    if real_choice is None:
        return RealStep(AWAY)
    if told is None:
        return RealStep(SILENT)
    return RealStep(SAME if told.id == choice.id else OTHER, told.label, told.real)


# --- the profile ----------------------------------------------------------------------------------


def distinctive_first(scores: Iterable[ConstructScore]) -> tuple[ConstructScore, ...]:
    """Constructs by how far the learner's choices leaned from the middle of the scale, either
    way (then by how many decisions stand behind that, then by name); untested ones last."""
    def lean(score: ConstructScore) -> float:
        return 0.0 if score.position is None else abs(score.position - 0.5)

    return tuple(sorted(scores, key=lambda s: (s.position is None, -lean(s), -s.decisions, s.construct.name)))


def position_words(score: ConstructScore) -> str:
    """"7 of 10, from 4 decisions", or why there is no position."""
    if score.on_scale is None:
        return "not tested on your path"
    plural = "decision" if score.decisions == 1 else "decisions"
    return f"{score.on_scale} of {SCALE}, from {score.decisions} {plural}"


def real_words(real: ConstructScore | None) -> str:
    if real is None:
        return ""
    return f"the real leaders: {real.on_scale}" if real.on_scale is not None else "the real leaders' path did not test it"


def standing_words(score: ConstructScore, real: ConstructScore | None) -> str:
    """"7 of 10, from 4 decisions; the real leaders: 8"."""
    words = real_words(real)
    return position_words(score) + (f"; {words}" if words else "")


def profile_line(score: ConstructScore, real: ConstructScore | None) -> str:
    """One construct as a screen reader hears it: "Trust and relationships: 7 of 10, from 4
    decisions; the real leaders: 8"."""
    return f"{score.construct.name}: {standing_words(score, real)}"


PROFILE_INTRO = (f"At each decision that tested a construct, your choice sat somewhere between the option that did "
                 f"least for it (0) and the one that did most ({SCALE}); each line is the average over those decisions. "
                 f"Sorted by how far your choices leaned from the middle ({SCALE // 2}), either way. "
                 "A profile, not a grade.")


# --- what if ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConstructChange:
    construct: Construct
    first: ConstructScore | None
    second: ConstructScore | None

    @property
    def change(self) -> int | None:
        if self.first is None or self.second is None or self.first.on_scale is None or self.second.on_scale is None:
            return None
        return self.second.on_scale - self.first.on_scale


@dataclass(frozen=True)
class Comparison:
    """A what-if replay beside the run it branched from: both paths, the decision where they
    part, and how each construct's position moved (what if minus first run)."""

    first: tuple[TimelineEntry, ...]  # the first run's decisions
    second: tuple[TimelineEntry, ...]  # the what-if's
    shared: int  # decisions the two make alike from the start
    first_ending: str
    second_ending: str
    changes: tuple[ConstructChange, ...]

    def rows(self) -> list[tuple[int, TimelineEntry | None, TimelineEntry | None]]:
        """(decision number, the first run's decision, the what-if's), None where a path has ended."""
        first, second = self.first, self.second
        return [(n, first[n - 1] if n <= len(first) else None, second[n - 1] if n <= len(second) else None)
                for n in range(1, max(len(first), len(second)) + 1)]

    @property
    def parting(self) -> int:
        """The number of the decision where the paths part; 0 when they never do."""
        longest = max(len(self.first), len(self.second))
        return self.shared + 1 if self.shared < longest else 0


def compare(first: State, second: State) -> Comparison:
    def decisions(state: State) -> list[tuple[Step, TimelineEntry]]:
        return [(step, entry) for step, entry in zip(state.history, timeline(state)) if entry.decision]

    ones, twos = decisions(first), decisions(second)
    shared = 0
    for (a, _), (b, _) in zip(ones, twos):
        if (a.scene, a.choice) != (b.scene, b.choice):
            break
        shared += 1
    mine, theirs = {s.construct.id: s for s in profile(first)}, {s.construct.id: s for s in profile(second)}
    changes = [ConstructChange(s.construct, s, theirs.get(s.construct.id)) for s in distinctive_first(mine.values())]
    changes.sort(key=lambda c: (c.change is None, -abs(c.change or 0)))
    return Comparison(tuple(e for _, e in ones), tuple(e for _, e in twos), shared, _ending_title(first),
                      _ending_title(second), tuple(changes))


def _ending_title(state: State) -> str:
    return state.ending.title if state.ending else "not finished yet"


def decisions_made(state: State, steps: int | None = None) -> int:
    """How many of the first `steps` steps of the path (all of them by default) were decisions."""
    scenes = state.scenario.scenes
    return sum(1 for step in state.history[:steps] if step.scene in scenes and not scenes[step.scene].is_passage)


def branched_from(state: State, save: SaveGame) -> int:
    """The number of the decision a what-if replays from (0 for a game that is no replay)."""
    return decisions_made(state, save.branched_at) + 1 if save.origin else 0


def whatif_label(decision: int, origin: str) -> str:
    """"What if: replayed from decision 3 of 'first-game'", or "" for a game that is no replay."""
    return f"What if: replayed from decision {decision} of '{origin}'" if origin else ""


# --- the whole debrief -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Debrief:
    scenario_title: str
    feeling: str
    timeline: tuple[TimelineEntry, ...]
    profile: tuple[ConstructScore, ...]  # the learner's, most distinctive first
    ending: Ending | None
    reflection: tuple[str, ...]
    path: tuple[Juncture, ...] = ()
    real_profile: Mapping[str, ConstructScore] = field(default_factory=dict)  # by construct id; empty without a real path
    real_ending: Ending | None = None
    answers: Mapping[str, str] = field(default_factory=dict)  # by question
    mode: str = ""  # "Standard" or "Coached"
    played: str = ""  # the day of the game, in words
    origin: str = ""  # for a what-if, the name of the save it replays
    branched_from: int = 0  # and the number of the decision it replays from
    comparison: Comparison | None = None
    ending_text: str = ""  # the ending's text as the learner's story state shows it
    source: Source = Source()  # how the case's references are cited, and whether it has real leaders

    @property
    def decisions(self) -> tuple[TimelineEntry, ...]:
        return tuple(entry for entry in self.timeline if entry.decision)

    def real(self, score: ConstructScore) -> ConstructScore | None:
        return self.real_profile.get(score.construct.id)

    @property
    def label(self) -> str:
        """A what-if's "What if: replayed from decision 3 of 'first-game'"; "" for any other game."""
        return whatif_label(self.branched_from, self.origin)

    @property
    def label_markdown(self) -> str:
        """The label for a Markdown document: the save's name, which the learner chose, escaped."""
        return whatif_label(self.branched_from, markdown_text(self.origin))


def build_debrief(state: State, feeling: str = "", *, save: SaveGame | None = None, origin: State | None = None) -> Debrief:
    """The debrief of a game; with its `save`, the learner's notes, answers, mode and date, and
    with `origin` (the run a what-if branched from), the comparison of the two."""
    scenario = state.scenario
    declared = scenario.source.has_real_leaders and any(
        choice.real for scene in scenario.scenes.values() for choice in scene.choices)
    real = real_path(scenario, state.seed) if declared else None
    real_state = real.state if real is not None else None
    complete = real is not None and real.complete
    notes = save.notes if save is not None else {}
    return Debrief(
        scenario_title=scenario.title,
        feeling=feeling or (save.feeling if save is not None else ""),
        timeline=timeline(state),
        profile=distinctive_first(profile(state)),
        ending=state.ending,
        reflection=scenario.reflection,
        path=junctures(state, real_state, notes),
        real_profile={s.construct.id: s for s in profile(real_state)} if complete else {},
        real_ending=real_state.ending if complete else None,
        answers=dict(save.answers) if save is not None else {},
        mode=("Coached" if save.coached else "Standard") if save is not None else "",
        played=_day(save.updated) if save is not None else "",
        origin=save.origin if save is not None else "",
        branched_from=branched_from(state, save) if save is not None else 0,
        comparison=compare(origin, state) if origin is not None else None,
        ending_text=state.text if state.finished else "",
        source=scenario.source,
    )


def _day(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%-d %B %Y")
    except ValueError:
        return ""


# --- Markdown: plain mode and export --------------------------------------------------------------

FELT = "How it felt"
PATH = "Your path beside the real leaders'"
PATH_ALONE = "Your path"  # an invented case has no real leaders to walk beside
PROFILE = "Your profile"
ENDING = "Your ending"
HAPPENED = OUTCOME_HEADINGS[0]  # an invented case heads it with OUTCOME_HEADINGS[1] (Source.outcome_heading)
WHAT_IF = "What if"
NEXT = "What next: questions for your own place"


@dataclass(frozen=True)
class Section:
    kind: str  # one of the names above, for a view that draws a section its own way
    heading: str  # as shown: the name, or the case's own wording of it, and what follows it
    body: str  # Markdown


def sections(debrief: Debrief, ending_text: bool = True) -> list[Section]:
    """The debrief's sections in the order of the reflection cycle. Plain mode has just shown
    the ending's narrative, so it can leave that out (`ending_text=False`)."""
    source = debrief.source
    found = [Section(FELT, FELT, learner(debrief.feeling) or "_No note._"),
             Section(PATH, PATH if source.has_real_leaders else PATH_ALONE, path_markdown(debrief)),
             Section(PROFILE, PROFILE, profile_markdown(debrief))]
    ending = debrief.ending
    if ending is not None:
        found.append(Section(ENDING, f"{ENDING}: {ending.title}", debrief.ending_text.strip() if ending_text else "_Told above._"))
        found.append(Section(HAPPENED, f"{source.outcome_heading}{cited(ending.ref, source)}", happened_markdown(debrief)))
    if debrief.comparison is not None:
        found.append(Section(WHAT_IF, WHAT_IF, comparison_markdown(debrief.comparison, debrief.label_markdown)))
    found.append(Section(NEXT, NEXT, next_markdown(debrief)))
    return found


def heading_markdown(debrief: Debrief) -> str:
    about = " · ".join(part for part in (f"Played {debrief.played}" if debrief.played else "",
                                         f"{debrief.mode} mode" if debrief.mode else "", debrief.label_markdown) if part)
    return f"# Debrief: {debrief.scenario_title}" + (f"\n\n*{about}*" if about else "")


def to_markdown(debrief: Debrief, ending_text: bool = True) -> str:
    """The whole debrief as one Markdown document: plain mode and export."""
    parts = [heading_markdown(debrief)]
    parts += [f"## {section.heading}\n\n{section.body}" for section in sections(debrief, ending_text)]
    return "\n\n".join(parts) + "\n"


def path_summary(debrief: Debrief) -> str:
    """How the learner's path sat beside the real leaders', in one or two sentences."""
    decisions = [j for j in debrief.path if j.decision]
    made = f"You made {len(decisions)} decision{'s' if len(decisions) != 1 else ''}."
    kinds = [j.real.kind for j in decisions]
    source = debrief.source
    if not decisions:
        return made
    if not source.has_real_leaders:
        return f"{made} This case is invented, so there are no real leaders' choices to set beside yours."
    if UNKNOWN in kinds:
        return f"{made} This scenario does not yet mark the real leaders' path, so only yours is shown."
    reported_here = kinds.count(SAME) + kinds.count(OTHER)
    words = [f"Of the {reported_here} where {source.called} reports what the real leaders chose, you chose as they did "
             f"at {kinds.count(SAME)}." if reported_here else
             f"{source.called.capitalize()} reports none of the junctures on your path."]
    if kinds.count(SILENT):
        words.append(f"At {kinds.count(SILENT)} {source.called} is silent.")
    if kinds.count(AWAY):
        words.append(f"At {kinds.count(AWAY)} the real leaders' path did not come this way.")
    return " ".join([made, *words])


def juncture_markdown(juncture: Juncture, source: Source) -> str:
    entry = juncture.entry
    if not juncture.decision:
        line = f"*Then: {entry.scene_title}.*"
        return line + (f"  \n**Your note:** {learner(juncture.note)}" if juncture.note else "")
    lines = [f"### {entry.number}. {entry.scene_title}"]
    if entry.when:
        lines += ["", f"*{entry.when}*"]
    lines += ["", f"- **You chose:** {entry.choice_label}"]
    if juncture.real.kind in (SAME, OTHER):
        lines.append(f"- **The real leaders chose:** {juncture.real.words(source)}")
    elif juncture.real.kind:
        lines.append(f"- **The real leaders:** {juncture.real.words(source)}")
    others = [option.label for option in juncture.options if not option.chosen]
    if others:
        lines.append(f"- **Not taken:** {'; '.join(others)}")
    if juncture.gains or juncture.costs:
        lines.append(f"- {changes_words(juncture)}")
    if juncture.note:
        lines.append(f"- **Your note:** {learner(juncture.note, '  ')}")
    if entry.consequence.strip():
        lines += ["", entry.consequence.strip()]
    if juncture.rationale.strip():
        lines += ["", f"*Why:* {juncture.rationale.strip()}{cited(juncture.ref, source)}"]
    return "\n".join(lines)


def changes_words(juncture: Juncture) -> str:
    gained = ", ".join(f"{c.name} {signed(c.delta)}" for c in juncture.gains)
    cost = ", ".join(f"{c.name} {signed(c.delta)}" for c in juncture.costs)
    return " · ".join(part for part in (f"**Gained:** {gained}" if gained else "", f"**Cost:** {cost}" if cost else "") if part)


def path_markdown(debrief: Debrief) -> str:
    if not debrief.path:
        return "_No decisions._"
    return "\n\n".join([path_summary(debrief), *(juncture_markdown(j, debrief.source) for j in debrief.path)])


def profile_markdown(debrief: Debrief) -> str:
    lines = [f"- {profile_line(score, debrief.real(score) if debrief.real_profile else None)}" for score in debrief.profile]
    return "\n\n".join([PROFILE_INTRO, "\n".join(lines) or "_No construct is scored in this scenario._"])


def happened_markdown(debrief: Debrief) -> str:
    ending, real = debrief.ending, debrief.real_ending
    words = [ending.what_really_happened.strip() or "_Not recorded._"]
    if real is not None and real.id != ending.id:
        words.append(f"The real leaders' path, played in this game, ends at *{real.title}*.")
    return "\n\n".join(words)


def comparison_intro(comparison: Comparison, label: str = "") -> str:
    parting = comparison.parting
    return " ".join([f"{label}." if label else "This game replays an earlier one.",
                     f"The two paths part at decision {parting}." if parting else "The two paths made the same decisions."])


def comparison_markdown(comparison: Comparison, label: str = "") -> str:
    lines = [comparison_intro(comparison, label)]  # our words; the label comes escaped
    parting = comparison.parting
    rows = []
    for number, one, two in comparison.rows():
        if number <= comparison.shared:
            rows.append(f"- Decision {number}, {one.scene_title}: both runs chose {one.choice_label}.")
            continue
        mark = " **They part here.**" if number == parting else ""
        rows.append(f"- Decision {number}:{mark} First run: {entry_words(one)}. What if: {entry_words(two)}.")
    lines.append("\n".join(rows))
    lines.append(f"Endings: the first run *{comparison.first_ending}*; the what-if *{comparison.second_ending}*.")
    moved = [f"- {c.construct.name}: {scale_words(c.first)} → {scale_words(c.second)}"
             + (f" ({signed(c.change)})" if c.change else " (no change)" if c.change == 0 else "")
             for c in comparison.changes]
    lines.append("How each construct moved (first run → what if, of 10):\n\n" + "\n".join(moved))
    return "\n\n".join(lines)


def entry_words(entry: TimelineEntry | None) -> str:
    return f"{entry.scene_title} — {entry.choice_label}" if entry else "no decision (its path had ended)"


def scale_words(score: ConstructScore | None) -> str:
    return "—" if score is None or score.on_scale is None else str(score.on_scale)


def next_markdown(debrief: Debrief) -> str:
    if not debrief.reflection:
        return "_No questions in this scenario._"
    parts = []
    for number, question in enumerate(debrief.reflection, start=1):
        answer = debrief.answers.get(question, "")
        parts.append(f"{number}. **{question}**\n\n   {learner(answer, '   ') if answer else '_Not answered yet._'}")
    return "\n\n".join(parts)


def learner(text: str, indent: str = "") -> str:
    """The learner's own words as Markdown that reads as typed: their line breaks kept, and
    `indent` before every line after the first (to stay inside a list item)."""
    return f"  \n{indent}".join(markdown_text(line) for line in text.splitlines() if line.strip())
