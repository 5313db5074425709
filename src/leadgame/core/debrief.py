"""The debrief as data, in the order of the reflection cycle. Plain mode, the TUI and reports
render this same object: how it felt -> what happened -> profile -> what really happened ->
what next."""

from __future__ import annotations

from dataclasses import dataclass

from leadgame.core.engine import State
from leadgame.core.model import Ending
from leadgame.core.scoring import ConstructScore, profile


@dataclass(frozen=True)
class TimelineEntry:
    step: int
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

    @property
    def decisions(self) -> tuple[TimelineEntry, ...]:
        return tuple(entry for entry in self.timeline if entry.decision)


def timeline(state: State) -> tuple[TimelineEntry, ...]:
    entries = []
    for index, step in enumerate(state.history, start=1):
        scene = state.scenario.scenes[step.scene]
        choice = next(c for c in scene.choices if c.id == step.choice)
        when = " · ".join(part for part in (scene.place, scene.date) if part)
        entries.append(TimelineEntry(index, scene.title, when, choice.label, choice.consequence, not scene.is_passage))
    return tuple(entries)


def build_debrief(state: State, feeling: str = "", ranges: dict[str, tuple[int, int]] | None = None) -> Debrief:
    return Debrief(
        scenario_title=state.scenario.title,
        feeling=feeling,
        timeline=timeline(state),
        profile=profile(state, ranges),
        ending=state.ending,
        reflection=state.scenario.reflection,
    )


def bar(position: float, width: int = 12) -> str:
    filled = round(max(0.0, min(1.0, position)) * width)
    return "█" * filled + "░" * (width - filled)


def signed(number: int) -> str:
    return f"+{number}" if number > 0 else str(number)


def profile_markdown(debrief: Debrief) -> str:
    lines = []
    width = max((len(s.construct.name) for s in debrief.profile), default=0)
    for score in debrief.profile:
        lines.append(f"{score.construct.name:<{width}}  {bar(score.position)}  {signed(score.score):>3} (range {score.low} to {score.high})")
    parts = ["```text", *lines, "```", ""]
    for score in debrief.profile:
        parts.append(f"**{score.construct.name}** — {signed(score.score)}")
        if not score.evidence:
            parts.append("- No decision on this path moved it.")
        for item in score.evidence:
            ref = f" (paper §{item.ref})" if item.ref else ""
            parts.append(f"- {signed(item.delta)} · decision {item.step}, *{item.scene_title}*: {item.choice_label}. {item.rationale.strip()}{ref}")
        parts.append("")
    return "\n".join(parts)


def to_markdown(debrief: Debrief, ending_text: bool = True) -> str:
    """The whole debrief as one Markdown document: for plain mode and for export.

    Plain mode has just shown the ending's narrative before asking how it felt, so it can
    leave that out here."""
    parts = [f"# Debrief: {debrief.scenario_title}", "", "## How it felt", "", debrief.feeling or "_No note._", ""]
    parts += ["## What happened", ""]
    for entry in debrief.decisions:
        when = f" ({entry.when})" if entry.when else ""
        parts.append(f"{entry.step}. **{entry.scene_title}**{when}: {entry.choice_label}. {entry.consequence.strip()}")
    parts += ["", "## Your leadership profile", "", "Where each score sits in the range this scenario allows. A profile, not a grade.", ""]
    parts.append(profile_markdown(debrief))
    if debrief.ending is not None:
        parts += [f"## Your ending: {debrief.ending.title}", ""]
        parts += [debrief.ending.text.strip(), ""] if ending_text else []
        ref = f" (paper §{debrief.ending.ref})" if debrief.ending.ref else ""
        parts += [f"## What really happened{ref}", "", debrief.ending.what_really_happened.strip(), ""]
    parts += ["## What next: questions for your own place", ""]
    parts += [f"- {question}" for question in debrief.reflection]
    return "\n".join(parts) + "\n"
