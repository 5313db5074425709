"""Gathering a cohort: every save and room session under some paths, replayed through the engine.

Each scenario is loaded once, however many saves use it; each save is read once and replayed by choice id (as resuming does), so a report over a thousand
saves takes well under a second. Files that cannot be used are kept with the reason, and the
report goes on without them. The result is plain data; the renderers only lay it out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Iterator, Mapping

from leadgame.core import engine
from leadgame.core.scoring import SCALE, profile
from leadgame.core.model import Scenario
from leadgame.core.saves import SaveError, SaveGame, save_from_data
from leadgame.core.text import clean_line
from leadgame.core.workshop import (Answer, Decision, WorkshopError, WorkshopRecord, is_workshop_data, load_json,
                                    workshop_from_data)

SAVE, ROOM = "save", "room"


@dataclass(frozen=True)
class Step:
    scene: str
    choice: str
    decision: bool  # False for a passage


@dataclass
class Run:
    """One learner's (or team's) game, or one room session, replayed."""

    source: Path
    kind: str  # SAVE or ROOM
    name: str
    team: str
    session: str
    scenario_id: str
    finished: bool
    ending: str  # ending id, "" while unfinished
    steps: tuple[Step, ...]
    scores: Mapping[str, int]  # each tested construct's position on the 0..SCALE scale
    feeling: str = ""
    room: tuple[Decision, ...] = ()  # a room session's decisions, with their votes
    answers: tuple[Answer, ...] = ()  # a live room's anonymous answers to the reflection questions
    devices: int = 0  # devices that joined a live room
    note: str = ""  # what replay could not apply, in words

    @property
    def decisions(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.decision)


@dataclass(frozen=True)
class OptionShare:
    choice: str
    label: str
    count: int
    minority: bool  # chosen by some, but fewer than the most popular option


@dataclass(frozen=True)
class DecisionSplit:
    scene: str
    title: str
    reached: int  # runs that made this decision
    options: tuple[OptionShare, ...]

    @property
    def divergent(self) -> bool:
        return sum(1 for option in self.options if option.count) > 1


@dataclass(frozen=True)
class ConstructSpread:
    construct: str
    name: str
    scores: tuple[int, ...]  # finished runs' positions (0..SCALE), sorted (never attached to a name)
    low: int = 0  # the scale every profile is told on
    high: int = SCALE

    @property
    def counts(self) -> list[tuple[int, int]]:
        counter = Counter(self.scores)
        return [(value, counter.get(value, 0)) for value in range(self.low, self.high + 1)]

    @property
    def summary(self) -> tuple[int, float, int] | None:
        if not self.scores:
            return None
        return self.scores[0], median(self.scores), self.scores[-1]


@dataclass
class ScenarioCohort:
    scenario: Scenario
    runs: list[Run] = field(default_factory=list)

    @property
    def finished(self) -> list[Run]:
        return [run for run in self.runs if run.finished]

    def splits(self) -> list[DecisionSplit]:
        """Every decision any run made, in the scenario's order, with how the cohort split."""
        counts: dict[str, Counter] = {}
        for run in self.runs:
            for step in run.decisions:
                counts.setdefault(step.scene, Counter())[step.choice] += 1
        result = []
        for scene in self.scenario.scenes.values():
            if scene.id not in counts:
                continue
            tally = counts[scene.id]
            top = max(tally.values())
            options = tuple(OptionShare(c.id, c.label, tally.get(c.id, 0), 0 < tally.get(c.id, 0) < top) for c in scene.choices)
            result.append(DecisionSplit(scene.id, scene.title, sum(tally.values()), options))
        return result

    def endings(self) -> list[tuple[str, str, int]]:
        """(ending id, title, runs that reached it) for every ending, in the scenario's order."""
        reached = Counter(run.ending for run in self.finished)
        return [(e.id, e.title, reached.get(e.id, 0)) for e in self.scenario.endings.values()]

    def paths(self) -> list[tuple[tuple[str, ...], int]]:
        """Distinct paths (the option labels chosen, decision by decision) and how many took each."""
        labels = {(s.id, c.id): c.label for s in self.scenario.scenes.values() for c in s.choices}
        counter = Counter(tuple(labels.get((st.scene, st.choice), st.choice) for st in run.decisions) for run in self.runs)
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    def spreads(self) -> list[ConstructSpread]:
        spreads = []
        for construct in self.scenario.scored_constructs:
            if construct not in self.scenario.constructs:
                continue
            scores = tuple(sorted(run.scores[construct] for run in self.finished if construct in run.scores))
            spreads.append(ConstructSpread(construct, self.scenario.constructs[construct].name, scores))
        return spreads

    def rooms(self) -> list[Run]:
        return [run for run in self.runs if run.kind == ROOM]

    def label(self, scene: str, choice: str) -> str:
        node = self.scenario.scenes.get(scene)
        return next((c.label for c in node.choices if c.id == choice), choice) if node else choice


@dataclass
class Report:
    cohorts: list[ScenarioCohort]
    skipped: list[tuple[Path, str]]
    anonymous: bool = False

    @property
    def runs(self) -> list[Run]:
        return [run for cohort in self.cohorts for run in cohort.runs]


# --- reading ------------------------------------------------------------------------------------


def candidate_files(paths: list[Path]) -> list[Path]:
    """Files named on the command line, and every `*.json` below named folders (hidden files,
    backups and temporary files left out)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*.json")
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return list(dict.fromkeys(files))  # a file named twice is read once


class Scenarios:
    """Each scenario loaded once, by the path a save names or else by id on the search path."""

    def __init__(self) -> None:
        self.by_id: dict[str, tuple[Scenario | None, str]] = {}

    def get(self, scenario_id: str, scenario_path: str) -> Scenario:
        if scenario_id not in self.by_id:
            self.by_id[scenario_id] = self._load(scenario_id, scenario_path)
        scenario, problem = self.by_id[scenario_id]
        if scenario is None:
            raise SaveError(problem)
        return scenario

    @staticmethod
    def _load(scenario_id: str, scenario_path: str) -> tuple[Scenario | None, str]:
        from leadgame import library
        from leadgame.core.problems import ScenarioError

        candidates = []
        if scenario_path and Path(scenario_path).is_file():
            candidates.append(Path(scenario_path))
        try:
            candidates.append(library.find(scenario_id))
        except library.NotFound:
            pass
        problem = f"its scenario '{scenario_id[:60]}' was not found"
        for candidate in candidates:
            try:
                scenario = library.load(candidate)
            except ScenarioError as error:
                problem = f"its scenario '{scenario_id[:60]}' has {len(error.problems)} problem(s)"
                continue
            if scenario.id == scenario_id:
                return scenario, ""
        return None, problem


def _positions(state: engine.State) -> dict[str, int]:
    return {score.construct.id: score.on_scale for score in profile(state) if score.on_scale is not None}


@dataclass(frozen=True)
class Loaded:
    """A save or room session read from its file and replayed through the engine."""

    kind: str  # SAVE or ROOM
    record: SaveGame | WorkshopRecord
    replay: engine.Replay


def load_game(path: Path, data: object, scenarios: Scenarios) -> Loaded:
    """Raises SaveError or WorkshopError naming what is wrong."""
    if is_workshop_data(data):
        record = workshop_from_data(path, data)
        scenario = scenarios.get(record.scenario_id, record.scenario_path)
        return Loaded(ROOM, record, engine.replay(scenario, record.seed, record.choices))
    save = save_from_data(path, data)
    scenario = scenarios.get(save.scenario_id, save.scenario_path)
    return Loaded(SAVE, save, engine.replay(scenario, save.seed, save.choices, save.start_scene))


def read_games(paths: list[Path], scenarios: Scenarios) -> Iterator[tuple[Path, Loaded | str]]:
    """Each candidate file under the paths, loaded and replayed, or the reason it cannot be."""
    for path in candidate_files(paths):
        try:
            yield path, load_game(path, load_json(path, "leadgame save"), scenarios)
        except (SaveError, WorkshopError) as error:
            yield path, _reason(path, error)
        except OSError as error:
            yield path, f"cannot be read ({error.__class__.__name__})"


def _run(path: Path, loaded: Loaded) -> Run:
    state, record = loaded.replay.state, loaded.record
    scenario = state.scenario
    if loaded.kind == ROOM:
        name, team, session, room = f"Room {record.code}", "", record.code, record.decisions
        answers, devices = record.answers, len(record.devices)
    else:
        name, team, session, room = record.learner or record.name, record.team, record.session, ()
        answers, devices = (), 0
    steps = tuple(Step(s.scene, s.choice, not scenario.scenes[s.scene].is_passage) for s in state.history)
    name, team, session = (clean_line(text, 80) for text in (name, team, session))  # from files: untrusted
    return Run(path, loaded.kind, name, team, session, scenario.id, state.finished, state.node if state.finished else "",
               steps, _positions(state), record.feeling, room[:len(steps)], answers, devices,
               clean_line(loaded.replay.problem))


def build_report(paths: list[Path], anonymous: bool = False) -> Report:
    scenarios = Scenarios()
    runs: list[Run] = []
    skipped: list[tuple[Path, str]] = []
    for path, loaded in read_games(paths, scenarios):
        if isinstance(loaded, str):
            skipped.append((path, loaded))
        else:
            runs.append(_run(path, loaded))
    return assemble(runs, skipped, scenarios, anonymous)


def assemble(runs: list[Run], skipped: list[tuple[Path, str]], scenarios: Scenarios, anonymous: bool = False) -> Report:
    """Runs (from files or from an LRS) grouped into one cohort per scenario, in the order every
    report shows them."""
    cohorts: dict[str, ScenarioCohort] = {}
    for run in runs:
        if run.scenario_id not in cohorts:
            cohorts[run.scenario_id] = ScenarioCohort(scenarios.get(run.scenario_id, ""))
        cohorts[run.scenario_id].runs.append(run)
    ordered = sorted(cohorts.values(), key=lambda c: c.scenario.title)
    if anonymous:
        _anonymise([run for cohort in ordered for run in cohort.runs])
    for cohort in ordered:
        cohort.runs.sort(key=lambda run: (run.kind, run.name.lower(), str(run.source)))  # by name: never ranked
    return Report(ordered, skipped, anonymous)


def _reason(path: Path, error: Exception) -> str:
    """The problem without the file name the message may begin with (the report names the file)."""
    text = str(error)
    prefix = f"{path}:"
    return clean_line(text[len(prefix):].lstrip(" 0123456789:") if text.startswith(prefix) else text)


def _anonymise(runs: list[Run]) -> None:
    """Learners become 'Learner 1, 2, ...' and teams 'Team 1, 2, ...' in the order of their files."""
    teams: dict[str, str] = {}
    number = 0
    for run in sorted(runs, key=lambda r: str(r.source)):
        if run.kind == SAVE:
            number += 1
            run.name = f"Learner {number}"
        if run.team:
            run.team = teams.setdefault(run.team, f"Team {len(teams) + 1}")
