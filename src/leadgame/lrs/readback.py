"""Reading records back: statements from an LRS made into the cohort report's runs, so
`leadgame report --lrs` shows every room and learner that reached the LRS from any machine, with
the same renderers as a report over files.

Statements are grouped by registration (one playthrough each). Only leadgame's statements are
used (those in the leadgame profile's category); activity ids are read by their shape, so
statements made under any base IRI are understood. A game's path is followed back from its
latest decision through each decision's context.statement, so decisions an edit of the scenario
set aside (kept in the save, no longer its path) are left out here as the save leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from leadgame.core.saves import SaveError
from leadgame.core.scoring import SCALE
from leadgame.core.text import clean_line, clean_text
from leadgame.core.workshop import MAX_ANSWER_CHARS, Answer, Decision
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
    extensions = first["context"].get("extensions", {})
    kind = ROOM if extensions.get(xs.MODE) == "room" else SAVE
    name = extensions.get(xs.PLAYTHROUGH) or f"Learner {source.name[:8]}"
    team = "" if kind == ROOM else next((s["context"]["team"].get("name", "") for s in group if "team" in s["context"]), "")
    session = extensions.get(xs.SESSION, "")
    path = _path(by_verb.get(xs.ANSWERED, []))
    taken = {s["id"] for s in path}
    head = path[-1]["id"] if path else ""
    steps = tuple(Step(_segment(s["object"]["id"], "scenes"), s["result"]["response"], True) for s in path)
    comments = by_verb.get(xs.COMMENTED, [])
    room: tuple[Decision, ...] = ()
    if kind == ROOM:
        notes = {(_about(s), _step(s)): s["result"]["response"] for s in _by_time(comments) if _kind(s) == xs.NOTE}
        devices: dict[str, dict[str, str]] = {}
        for vote in by_verb.get(xs.VOTED, []):
            if vote["actor"].get("objectType") == "Agent":
                devices.setdefault(_about(vote), {})[vote["actor"]["account"]["name"]] = vote["result"]["response"]
        room = tuple(_decision(s, notes.get((_about(s), _step(s)), ""), devices.get(s["id"], {})) for s in path)
    answers = tuple(Answer(_question(s), clean_text(s["result"]["response"], MAX_ANSWER_CHARS))
                    for s in sorted((s for s in comments if _kind(s) == xs.ANSWER), key=lambda s: int(_extension(s, xs.ORDER))))
    joined = {s["actor"]["account"]["name"] for s in by_verb.get(xs.JOINED, [])}
    feeling = next((s["result"]["response"] for s in _by_time(comments)[::-1] if _kind(s) == xs.FEELING), "")
    completed = [s for s in _by_time(by_verb.get(xs.COMPLETED, [])) if _about(s) == head]
    ending, scores = "", {}
    if completed:
        result = completed[-1]["result"]
        ending = result["response"]
        shape = result["extensions"][xs.CONSTRUCT_PROFILE]
        scores = {c: round(v["position"] * SCALE) for c, v in shape.items() if v.get("position") is not None}
    name, team, session = (clean_line(str(text), 80) for text in (name, team, session))  # from the LRS: untrusted
    run = Run(source, kind, name, team, session, scenario_id, bool(completed), ending, steps, scores,
              clean_text(str(feeling)), room, answers, len(joined))
    if not query.keeps(run, scenario_iri):
        return None
    scenarios.get(scenario_id, "")  # raises SaveError when this machine does not have the scenario
    return run


def _path(answers: list[dict]) -> list[dict]:
    """The game's path, first decision first: back from its latest decision (made after the
    most set-asides, then the latest, then the furthest on) through the decisions each names
    as the one before it."""
    if not answers:
        return []
    by_id = {s["id"]: s for s in answers}
    latest = max(answers, key=lambda s: (int(_extension(s, xs.SET_ASIDE)), _moment(s), _step(s)))
    path = [latest]
    while _about(path[-1]) in by_id and len(path) <= len(by_id):
        path.append(by_id[_about(path[-1])])
    return path[::-1]


def _decision(statement: dict, note: str, device_votes: dict[str, str]) -> Decision:
    extensions = statement["result"]["extensions"]
    return Decision(_segment(statement["object"]["id"], "scenes"), statement["result"]["response"],
                    dict(extensions.get(xs.VOTES, {})), float(extensions.get(xs.SECONDS, 0.0)), clean_text(note),
                    bool(extensions.get(xs.TIE_BREAK, False)), device_votes=device_votes)


def _by_time(statements: list[dict]) -> list[dict]:
    return sorted(statements, key=_moment)


def _moment(statement: dict) -> datetime:
    try:
        moment = datetime.fromisoformat(str(statement.get("timestamp", "")).replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _extension(statement: dict, key: str, default: object = 0) -> object:
    return statement["context"]["extensions"].get(key, default)


def _step(statement: dict) -> int:
    return int(_extension(statement, xs.STEP))


def _kind(statement: dict) -> str:
    return _extension(statement, xs.KIND, "")


def _about(statement: dict) -> str:
    """The id of the decision a statement follows from (context.statement), or ''."""
    return (statement["context"].get("statement") or {}).get("id", "")


def _question(statement: dict) -> int:
    return int(_segment(statement["object"]["id"], "reflection")) - 1


def _scenario_iri(statement: dict) -> str:
    parents = statement["context"].get("contextActivities", {}).get("parent") or [statement["object"]]
    return (parents if isinstance(parents, list) else [parents])[0]["id"]


def _segment(iri: str, name: str) -> str:
    """The id after `/name/` in one of the profile's activity IRIs ('scenes' -> the scene id)."""
    marker = f"/{name}/"
    if marker not in iri:
        raise ValueError(f"'{iri[:80]}' is not a leadgame activity id")
    return iri.rsplit(marker, 1)[1].split("/", 1)[0]
