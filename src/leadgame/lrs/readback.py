"""Reading records back: statements from an LRS made into the cohort report's runs, so
`leadgame report --lrs` shows every room and learner that reached the LRS from any machine, with
the same renderers as a report over files.

Statements are grouped by registration (one playthrough each). Only leadgame's statements are
used (those in the leadgame profile's category); activity ids are read by their shape, so
statements made under any base IRI are understood.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from leadgame.core.saves import SaveError
from leadgame.core.scoring import SCALE
from leadgame.core.workshop import Decision
from leadgame.report.collect import ROOM, SAVE, Report, Run, Scenarios, Step, assemble
from leadgame.lrs import statements as xs
from leadgame.lrs.client import Client
from leadgame.lrs.config import LrsConfig

MAX_STATEMENTS = 2_000_000


@dataclass(frozen=True)
class Query:
    """What to read from the LRS: any of a scenario (id or activity IRI), a session code, a
    registration, and a time range (ISO 8601). The registration and the time range go to the LRS
    as xAPI query parameters; the scenario and the session are matched here, since LRSs differ
    in how (and whether) they filter on context activities, and sessions are leadgame's own."""

    activity: str = ""
    session: str = ""
    registration: str = ""
    since: str = ""
    until: str = ""

    def filters(self) -> dict[str, str]:
        wanted = {"registration": self.registration, "since": self.since, "until": self.until}
        return {key: value for key, value in wanted.items() if value}

    def keeps(self, run: Run, scenario_iri: str) -> bool:
        if self.session and run.session != self.session:
            return False
        if self.registration and run.source.name != self.registration:
            return False
        return not self.activity or self.activity in (run.scenario_id, scenario_iri)


def lrs_report(config: LrsConfig, query: Query, anonymous: bool = False, client: Client | None = None) -> Report:
    """The cohort report over the statements the LRS returns for `query`; raises LrsError."""
    client = client or Client(config)
    scenarios = Scenarios()
    runs, skipped = runs_from_statements(_bounded(client.statements(**query.filters())), scenarios, query)
    return assemble(runs, skipped, scenarios, anonymous)


def _bounded(statements: Iterable[dict]) -> Iterable[dict]:
    for count, statement in enumerate(statements):
        if count >= MAX_STATEMENTS:
            return
        yield statement


def runs_from_statements(statements: Iterable[dict], scenarios: Scenarios,
                         query: Query = Query()) -> tuple[list[Run], list[tuple[Path, str]]]:
    playthroughs: dict[str, list[dict]] = {}
    for statement in statements:
        context = statement.get("context")
        if isinstance(context, dict) and _ours(context) and isinstance(context.get("registration"), str):
            playthroughs.setdefault(context["registration"], []).append(statement)
    runs, skipped = [], []
    for registration, group in playthroughs.items():
        source = Path("lrs", registration)
        try:
            run = _run(source, group, scenarios, query)
            if run is not None:
                runs.append(run)
        except (SaveError, ValueError, KeyError, TypeError, AttributeError) as error:
            skipped.append((source, str(error) if isinstance(error, (SaveError, ValueError)) else
                            f"statements leadgame cannot read ({error.__class__.__name__})"))
    return runs, skipped


def _ours(context: dict) -> bool:
    category = (context.get("contextActivities") or {}).get("category") or []
    category = category if isinstance(category, list) else [category]
    return any(isinstance(a, dict) and a.get("id") == xs.PROFILE for a in category)


def _run(source: Path, group: list[dict], scenarios: Scenarios, query: Query) -> Run | None:
    """The run a playthrough's statements tell, or None when the query does not want it."""
    by_verb: dict[str, list[dict]] = {}
    for statement in group:
        by_verb.setdefault(statement["verb"]["id"], []).append(statement)
    first = group[0]
    scenario_iri = _scenario_iri(first)
    scenario_id = _segment(scenario_iri, "scenarios")
    context = first["context"]
    extensions = context.get("extensions", {})
    kind = ROOM if first["actor"].get("objectType") == "Group" else SAVE
    name = extensions.get(xs.PLAYTHROUGH) or f"Learner {source.name[:8]}"
    team = (context.get("team") or {}).get("name", "")
    session = extensions.get(xs.SESSION, "")
    answers = _latest_per_step(by_verb.get(xs.ANSWERED, []))
    steps = tuple(Step(_segment(s["object"]["id"], "scenes"), s["result"]["response"], True) for s in answers)
    notes = {_step(s): s["result"]["response"] for s in by_verb.get(xs.COMMENTED, []) if _kind(s) == xs.NOTE}
    room = tuple(_decision(s, notes.get(_step(s), "")) for s in answers) if kind == ROOM else ()
    feeling = next((s["result"]["response"] for s in _by_time(by_verb.get(xs.COMMENTED, []))[::-1]
                    if _kind(s) == xs.FEELING), "")
    completed = _by_time(by_verb.get(xs.COMPLETED, []))
    ending, scores = "", {}
    if completed:
        result = completed[-1]["result"]
        ending = result["response"]
        shape = result["extensions"][xs.CONSTRUCT_PROFILE]
        scores = {c: round(v["position"] * SCALE) for c, v in shape.items() if v.get("position") is not None}
    run = Run(source, kind, str(name), str(team), str(session), scenario_id, bool(completed), ending, steps, scores,
              str(feeling), room)
    if not query.keeps(run, scenario_iri):
        return None
    scenarios.get(scenario_id, "")  # raises SaveError when this machine does not have the scenario
    return run


def _decision(statement: dict, note: str) -> Decision:
    extensions = statement["result"]["extensions"]
    return Decision(_segment(statement["object"]["id"], "scenes"), statement["result"]["response"],
                    dict(extensions.get(xs.VOTES, {})), float(extensions.get(xs.SECONDS, 0.0)), note,
                    bool(extensions.get(xs.TIE_BREAK, False)))


def _latest_per_step(answers: list[dict]) -> list[dict]:
    """One answer a step (the latest, should a replayed game have answered a step again), in order."""
    latest = {}
    for statement in _by_time(answers):
        latest[_step(statement)] = statement
    return [latest[step] for step in sorted(latest)]


def _by_time(statements: list[dict]) -> list[dict]:
    return sorted(statements, key=lambda s: str(s.get("timestamp", "")))


def _step(statement: dict) -> int:
    return int(statement["context"]["extensions"].get(xs.STEP, 0))


def _kind(statement: dict) -> str:
    return statement["context"]["extensions"].get(xs.KIND, "")


def _scenario_iri(statement: dict) -> str:
    parents = statement["context"].get("contextActivities", {}).get("parent") or [statement["object"]]
    return (parents if isinstance(parents, list) else [parents])[0]["id"]


def _segment(iri: str, name: str) -> str:
    """The id after `/name/` in one of the profile's activity IRIs ('scenes' -> the scene id)."""
    marker = f"/{name}/"
    if marker not in iri:
        raise ValueError(f"'{iri[:80]}' is not a leadgame activity id")
    return iri.rsplit(marker, 1)[1].split("/", 1)[0]
