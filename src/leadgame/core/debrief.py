"""The debrief as data, in the order of the reflection cycle. Plain mode, the TUI and reports
render this same object: how it felt -> what happened -> profile -> what really happened ->
what next."""

from __future__ import annotations

from dataclasses import dataclass

from leadgame.core.engine import State
from leadgame.core.model import Ending, Source
from leadgame.core.scoring import SCALE, ConstructScore, profile
from leadgame.core.templates import render
from leadgame.core.text import markdown_text


@dataclass(frozen=True)
class TimelineEntry:
    step: int  # position in the history, passages included
    number: int  # the decision's number as the learner counts them; 0 for a passage
    scene_title: str
    when: str  # place and date, as the scene gives them
    choice_label: str
    consequence: str
    decision: bool  # False for a passage the learner simply continued through


@dataclass(frozen=True)
class Debrief:
    scenario_title: str
    feeling: str
    timeline: tuple[TimelineEntry, ...]
    profile: tuple[ConstructScore, ...]
    ending: Ending | None
    reflection: tuple[str, ...]
    ending_text: str = ""  # the ending's text as the learner's story state shows it
    source: Source = Source()  # how the case's references are cited

    @property
    def decisions(self) -> tuple[TimelineEntry, ...]:
        return tuple(entry for entry in self.timeline if entry.decision)


def timeline(state: State) -> tuple[TimelineEntry, ...]:
    entries = []
    number = 0
    for index, step in enumerate(state.history, start=1):
        scene = state.scenario.scenes[step.scene]
        number += not scene.is_passage
        choice = next(c for c in scene.choices if c.id == step.choice)
        when = " · ".join(part for part in (scene.place, scene.date) if part)
        entries.append(TimelineEntry(index, 0 if scene.is_passage else number, scene.title, when, choice.label,
                                     render(choice.consequence, step.variables), not scene.is_passage))
    return tuple(entries)


def build_debrief(state: State, feeling: str = "") -> Debrief:
    return Debrief(
        scenario_title=state.scenario.title,
        feeling=feeling,
        timeline=timeline(state),
        profile=profile(state),
        ending=state.ending,
        reflection=state.scenario.reflection,
        ending_text=state.text if state.finished else "",
        source=state.scenario.source,
    )


def bar(position: float | None, width: int = 12) -> str:
    if position is None:
        return "·" * width
    filled = round(max(0.0, min(1.0, position)) * width)
    return "█" * filled + "░" * (width - filled)


def signed(number: int) -> str:
    return f"+{number}" if number > 0 else str(number)


def position_words(score: ConstructScore) -> str:
    """"7 of 10, from 4 decisions", or why there is no position."""
    if score.on_scale is None:
        return "not tested on this path"
    plural = "decision" if score.decisions == 1 else "decisions"
    return f"{score.on_scale} of {SCALE}, from {score.decisions} {plural}"


def profile_bars(debrief: Debrief) -> str:
    """The profile as text bars in a code block: one line per construct, strongest first."""
    width = max((len(s.construct.name) for s in debrief.profile), default=0)
    lines = [f"{s.construct.name:<{width}}  {bar(s.position)}  {position_words(s)}" for s in debrief.profile]
    return "\n".join(["```text", *lines, "```"])


def happened_markdown(debrief: Debrief) -> str:
    """The decisions and their consequences, numbered as the learner counted them in play."""
    parts = []
    for entry in debrief.decisions:
        when = f" · *{entry.when}*" if entry.when else ""
        parts.append(f"**{entry.number}. {entry.scene_title}**{when}  \nYou chose: **{entry.choice_label}**. {entry.consequence.strip()}")
    return "\n\n".join(parts) or "_No decisions._"


def evidence_markdown(debrief: Debrief) -> str:
    """The decisions behind each construct's score, strongest construct first."""
    parts = []
    for score in debrief.profile:
        parts += [f"**{score.construct.name}**: {position_words(score)}", ""]
        if not score.evidence:
            parts.append("- No decision on this path tested it.")
        for item in score.evidence:
            ref = f" ({debrief.source.cite(item.ref)})" if item.ref else ""
            parts.append(f"- **{signed(item.delta)}** · decision {item.decision}, *{item.scene_title}*: {item.choice_label}. {item.rationale.strip()}{ref}")
        parts.append("")
    return "\n".join(parts).strip()


PROFILE_INTRO = ("At each decision that tested a construct, where your choice sat between the option that did "
                 "least for it (0) and the one that did most (10), averaged. A profile, not a grade.")


def to_markdown(debrief: Debrief, ending_text: bool = True) -> str:
    """The whole debrief as one Markdown document: for plain mode, the app and export.

    Plain mode has just shown the ending's narrative before asking how it felt, so it can
    leave that out here."""
    feeling = markdown_text(debrief.feeling) if debrief.feeling else "_No note._"  # the learner's words stay words
    parts = [f"# Debrief: {debrief.scenario_title}", "", "## How it felt", "", feeling, ""]
    parts += ["## What happened", "", happened_markdown(debrief), ""]
    parts += ["## Your leadership profile", "", PROFILE_INTRO, "", profile_bars(debrief), "", evidence_markdown(debrief), ""]
    if debrief.ending is not None:
        parts += [f"## Your ending: {debrief.ending.title}", ""]
        parts += [debrief.ending_text.strip(), ""] if ending_text else []
        ref = f" ({debrief.source.cite(debrief.ending.ref)})" if debrief.ending.ref else ""
        parts += [f"## {debrief.source.outcome_heading}{ref}", "", debrief.ending.what_really_happened.strip(), ""]
    parts += ["## What next: questions for your own place", ""]
    parts += [f"- {question}" for question in debrief.reflection]
    return "\n".join(parts) + "\n"
