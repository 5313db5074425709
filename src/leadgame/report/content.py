"""What a cohort report says, as rows and sentences every format shares; the renderers only lay
them out (Rich for the terminal, Markdown, CSV, HTML). Nothing here ranks a learner."""

from __future__ import annotations

from dataclasses import dataclass

from leadgame.core.text import clean_line
from leadgame.core.workshop import clock_text
from leadgame.report.collect import Report, Run, ScenarioCohort

PRIVACY = "A picture of the cohort, not a league table: learners are never ranked."
REAL_PATH = ("The scenario does not record the real leaders' decisions one by one, so this report does not "
             "guess them. Beside the endings this cohort reached is what the paper says really happened.")
NOT_RECORDED = "Not recorded in the scenario."


@dataclass(frozen=True)
class SplitRow:
    number: int  # the decision's place in the scenario's order
    decision: str  # the scene title (first row of each decision only, else "")
    reached: int
    option: str
    count: int
    share: float
    flag: str  # "minority" / "not chosen" / ""
    divergent: bool


def split_rows(cohort: ScenarioCohort) -> list[SplitRow]:
    rows = []
    for number, split in enumerate(cohort.splits(), start=1):
        for index, option in enumerate(split.options):
            flag = "minority" if option.minority else ("not chosen" if not option.count else "")
            rows.append(SplitRow(number, split.title if index == 0 else "", split.reached, option.label,
                                 option.count, option.count / split.reached if split.reached else 0.0, flag, split.divergent))
    return rows


def divergence(cohort: ScenarioCohort) -> list[str]:
    """Sentences on where the paths parted: the first split, the number of distinct paths."""
    splits = cohort.splits()
    divergent = [s for s in splits if s.divergent]
    lines = []
    if not cohort.runs:
        return lines
    if not divergent:
        lines.append("Every run made the same choice at every decision it reached.")
    else:
        first = divergent[0]
        parts = ", ".join(f"{o.count} chose “{o.label}”" for o in first.options if o.count)
        lines.append(f"The paths first parted at “{first.title}”: {parts}.")
        lines.append(f"{len(divergent)} of {len(splits)} decisions split the cohort; minority choices are marked for discussion.")
    paths = cohort.paths()
    lines.append(f"{len(paths)} distinct path{'s' if len(paths) != 1 else ''} among {len(cohort.runs)} run{'s' if len(cohort.runs) != 1 else ''}.")
    return lines


def real_path(cohort: ScenarioCohort) -> list[tuple[str, int, str, str]]:
    """(ending title, runs that reached it, paper reference, what really happened) for each
    ending the cohort reached; the text is NOT_RECORDED when the scenario gives none."""
    rows = []
    for ending_id, title, count in cohort.endings():
        if not count:
            continue
        ending = cohort.scenario.endings[ending_id]
        rows.append((title, count, ending.ref, ending.what_really_happened.strip() or NOT_RECORDED))
    return rows


def unreached_endings(cohort: ScenarioCohort) -> list[str]:
    return [title for _, title, count in cohort.endings() if not count]


@dataclass(frozen=True)
class VoteRow:
    number: int
    decision: str  # first row of a decision only
    option: str
    votes: int
    total: int
    chosen: bool
    tie_break: bool
    seconds: float
    note: str
    from_devices: int = 0  # of the decision's votes, how many devices cast themselves


def vote_rows(cohort: ScenarioCohort, room: Run) -> list[VoteRow]:
    rows = []
    number = 0
    for decision in room.room:
        if decision.passage:
            continue
        number += 1
        scene = cohort.scenario.scenes.get(decision.scene)
        title = scene.title if scene else decision.scene
        for index, (choice, votes) in enumerate(decision.votes.items()):
            rows.append(VoteRow(number, title if index == 0 else "", cohort.label(decision.scene, choice), votes,
                                decision.total, choice == decision.choice, decision.tie_break, decision.seconds,
                                decision.note if index == 0 else "", len(decision.device_votes)))
    return rows


def vote_summary(row: VoteRow) -> str:
    tie = "; tie broken by the facilitator" if row.tie_break else ""
    devices = f"; {row.from_devices} of {row.total} votes from devices" if row.from_devices else ""
    return f"{clock_text(row.seconds)} taken{devices}{tie}"


def room_answers(cohort: ScenarioCohort, room: Run) -> list[tuple[str, list[str]]]:
    """A live room's answers, question by question (in the order they came: never by device)."""
    questions = cohort.scenario.reflection
    grouped = [(question, [a.text for a in room.answers if a.question == index]) for index, question in enumerate(questions)]
    return [(question, answers) for question, answers in grouped if answers]


def room_heading(room: Run) -> str:
    joined = f" ({room.devices} device{'s' if room.devices != 1 else ''} joined)" if room.devices else ""
    return f"{room.name}: the room's votes{joined}"


def path_numbers(cohort: ScenarioCohort, run: Run) -> str:
    """A run's path as option numbers, decision by decision: '1 · 2 · 1'."""
    numbers = []
    for step in run.decisions:
        scene = cohort.scenario.scenes.get(step.scene)
        ids = [c.id for c in scene.choices] if scene else []
        numbers.append(str(ids.index(step.choice) + 1) if step.choice in ids else "?")
    return " · ".join(numbers) or "—"


def ending_title(cohort: ScenarioCohort, run: Run) -> str:
    if not run.finished:
        return "(unfinished)"
    ending = cohort.scenario.endings.get(run.ending)
    return ending.title if ending else run.ending


def feelings(cohort: ScenarioCohort) -> list[str]:
    """The runs' "how did that feel" notes, alphabetically, so none can be tied back to a row."""
    return sorted(run.feeling for run in cohort.runs if run.feeling)


def skipped(report: Report) -> list[tuple[str, str]]:
    """(where, why) for each file the report could not use. Paths name people ("saves/web/Ada/…"),
    so an anonymous report numbers the files instead."""
    return [(f"file {number}" if report.anonymous else clean_line(path), clean_line(reason))
            for number, (path, reason) in enumerate(report.skipped, start=1)]


def headline(report: Report) -> str:
    runs = report.runs
    learners = sum(1 for run in runs if run.kind == "save")
    rooms = len(runs) - learners
    parts = [f"{learners} learner run{'s' if learners != 1 else ''}"]
    if rooms:
        parts.append(f"{rooms} room session{'s' if rooms != 1 else ''}")
    parts.append(f"{len(report.cohorts)} scenario{'s' if len(report.cohorts) != 1 else ''}")
    if report.skipped:
        parts.append(f"{len(report.skipped)} file{'s' if len(report.skipped) != 1 else ''} skipped")
    return ", ".join(parts)


def spread_summary(low_mid_high: tuple[int, float, int] | None) -> str:
    if low_mid_high is None:
        return "no finished runs"
    low, mid, high = low_mid_high
    middle = f"{mid:g}"
    return f"{low} / {float(middle):g} / {high}"
