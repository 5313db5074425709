"""A room session: one scenario played by a whole room, decided by the room's votes.

The facilitator enters the vote count for each option, may start a countdown and write a note,
then advances on the majority (breaking a tie themselves). Every decision keeps its vote spread,
the time it took and the note. The session is saved after every change, atomically, to
`<saves>/workshops/<CODE>/workshop.json`, so a crash or a restart loses no vote.

Headless like the rest of core: the clock is injected (a callable returning seconds, monotonic),
so timers are testable and the screens deterministic.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping

from leadgame.core import engine, hooks, locks
from leadgame.core.session import fresh_seed
from leadgame.core.text import clean_text
from leadgame.core.debrief import Debrief, build_debrief
from leadgame.core.engine import InvalidChoice, Outcome, State
from leadgame.core.model import Choice, Scenario
from leadgame.core.saves import MAX_NOTE_CHARS, SaveError, atomic_write, check_name, checked_version, now, read_json

KIND = "leadgame-workshop"
FORMAT_VERSION = 1
WORKSHOPS = "workshops"
FILE_NAME = "workshop.json"
DEFAULT_TIMER = 120
MAX_VOTES = 100_000
_CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread on a projector
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")

Clock = Callable[[], float]


class WorkshopError(ValueError):
    """A room session that cannot be read, written or advanced; the message says why."""


class Tie(WorkshopError):
    """The vote is tied: the facilitator must choose among `leaders`."""

    def __init__(self, leaders: tuple[str, ...]):
        super().__init__(f"the vote is tied between {', '.join(leaders)}; the facilitator breaks the tie")
        self.leaders = leaders


# --- names --------------------------------------------------------------------------------------


def safe_name(text: str, fallback: str = "") -> str:
    """An untrusted name (a team, a session code, a learner) made fit for a file name.

    Anything outside letters, digits, '-', '_' and '.' becomes '-', so the result always passes
    `core.saves.check_name`; an empty result falls back to `fallback` (or raises SaveError)."""
    slug = re.sub(r"[-.]{2,}", "-", _UNSAFE.sub("-", str(text).strip()))  # never '..'; no '-.-' runs
    slug = slug.lstrip("-_.")[:80].rstrip("-_.")
    return check_name(slug or fallback)


def new_code() -> str:
    return "".join(secrets.choice(_CODE_LETTERS) for _ in range(6))


# --- the record: what is saved ------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One step the room took. Passages (no vote) are kept too, so the log replays exactly."""

    scene: str
    choice: str
    votes: Mapping[str, int] = field(default_factory=dict)  # every option offered -> votes
    seconds: float = 0.0  # time the room spent on it
    note: str = ""  # the facilitator's note
    tie_break: bool = False  # the facilitator chose between tied options
    passage: bool = False

    @property
    def total(self) -> int:
        return sum(self.votes.values())

    def to_data(self) -> dict:
        return {"scene": self.scene, "choice": self.choice, "votes": dict(self.votes), "seconds": round(self.seconds, 1),
                "note": self.note, "tie_break": self.tie_break, "passage": self.passage}


@dataclass(frozen=True)
class WorkshopRecord:
    code: str
    scenario_id: str
    scenario_hash: str = ""
    scenario_path: str = ""
    seed: int = 0
    timer_seconds: int = DEFAULT_TIMER
    decisions: tuple[Decision, ...] = ()
    # The decision in progress: votes entered so far, the note, time spent, timer state.
    pending_votes: Mapping[str, int] = field(default_factory=dict)
    pending_note: str = ""
    pending_seconds: float = 0.0
    timer_elapsed: float = 0.0
    timer_extra: int = 0
    feeling: str = ""  # the room's "how did that feel", if the facilitator records one
    finished: bool = False
    created: str = field(default_factory=now)
    updated: str = field(default_factory=now)

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(d.choice for d in self.decisions)

    def to_json(self) -> str:
        data = {
            "kind": KIND, "format_version": FORMAT_VERSION, "code": self.code, "scenario_id": self.scenario_id,
            "scenario_hash": self.scenario_hash, "scenario_path": self.scenario_path, "seed": self.seed,
            "timer_seconds": self.timer_seconds, "decisions": [d.to_data() for d in self.decisions],
            "pending": {"votes": dict(self.pending_votes), "note": self.pending_note,
                        "seconds": round(self.pending_seconds, 1), "timer_elapsed": round(self.timer_elapsed, 1),
                        "timer_extra": self.timer_extra},
            "feeling": self.feeling, "finished": self.finished, "created": self.created, "updated": self.updated,
        }
        return json.dumps(data, indent=2, ensure_ascii=False)


def workshop_folder(saves: Path, code: str) -> Path:
    return Path(saves) / WORKSHOPS / safe_name(code)


def workshop_file(saves: Path, code: str) -> Path:
    return workshop_folder(saves, code) / FILE_NAME


def is_workshop_data(data: object) -> bool:
    return isinstance(data, dict) and data.get("kind") == KIND


def load_json(path: Path, what: str = "leadgame workshop session") -> object:
    """A small JSON file leadgame wrote, parsed (see saves.read_json); raises WorkshopError."""
    try:
        return read_json(path, what)
    except SaveError as error:
        raise WorkshopError(str(error)) from None


def read_workshop(path: Path) -> WorkshopRecord:
    """Read and check a room session file; raises WorkshopError naming the file and the problem."""
    return workshop_from_data(Path(path), load_json(path))


def _get(path: Path, data: Mapping, key: str, kind: type | tuple[type, ...], default=None):
    if key not in data:
        if default is None:
            raise WorkshopError(f"{path}: the workshop session has no '{key}'")
        return default
    value = data[key]
    if not isinstance(value, kind) or (kind in (int, float, (int, float)) and isinstance(value, bool)):
        raise WorkshopError(f"{path}: '{key}' has the wrong type ({type(value).__name__})")
    return value


def _votes(path: Path, value: object) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and len(k) <= 64 and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_VOTES
        for k, v in value.items()
    ):
        raise WorkshopError(f"{path}: votes must map choice ids to counts from 0 to {MAX_VOTES}")
    return dict(value)


def workshop_from_data(path: Path, data: object) -> WorkshopRecord:
    if not is_workshop_data(data):
        raise WorkshopError(f"{path}: not a leadgame workshop session")
    try:
        checked_version(path, data.get("format_version"), FORMAT_VERSION, "workshop")
    except SaveError as error:
        raise WorkshopError(str(error)) from None
    decisions = []
    for item in _get(path, data, "decisions", list):
        if not isinstance(item, dict):
            raise WorkshopError(f"{path}: each decision must be an object")
        decisions.append(Decision(
            scene=_get(path, item, "scene", str), choice=_get(path, item, "choice", str)[:64],
            votes=_votes(path, item.get("votes", {})), seconds=float(_get(path, item, "seconds", (int, float), 0.0)),
            note=clean_text(_get(path, item, "note", str, "")), tie_break=_get(path, item, "tie_break", bool, False),
            passage=_get(path, item, "passage", bool, False),
        ))
    pending = _get(path, data, "pending", dict, {})
    return WorkshopRecord(
        code=safe_name(_get(path, data, "code", str), "room"),
        scenario_id=_get(path, data, "scenario_id", str),
        scenario_hash=_get(path, data, "scenario_hash", str, ""),
        scenario_path=_get(path, data, "scenario_path", str, ""),
        seed=_get(path, data, "seed", int, 0),
        timer_seconds=max(1, _get(path, data, "timer_seconds", int, DEFAULT_TIMER)),
        decisions=tuple(decisions),
        pending_votes=_votes(path, pending.get("votes", {})),
        pending_note=clean_text(_get(path, pending, "note", str, "")),
        pending_seconds=float(_get(path, pending, "seconds", (int, float), 0.0)),
        timer_elapsed=float(_get(path, pending, "timer_elapsed", (int, float), 0.0)),
        timer_extra=_get(path, pending, "timer_extra", int, 0),
        feeling=clean_text(_get(path, data, "feeling", str, "")),
        finished=_get(path, data, "finished", bool, False),
        created=_get(path, data, "created", str, ""),
        updated=_get(path, data, "updated", str, ""),
    )


# --- the countdown ------------------------------------------------------------------------------


class Timer:
    """A countdown that can be started, paused, extended and reset; time comes from `clock`."""

    def __init__(self, seconds: int, clock: Clock, elapsed: float = 0.0, extra: int = 0):
        self.seconds = seconds
        self.clock = clock
        self.extra = extra  # seconds added by extending
        self._elapsed = elapsed
        self._since: float | None = None

    @property
    def running(self) -> bool:
        return self._since is not None

    @property
    def elapsed(self) -> float:
        return self._elapsed + (self.clock() - self._since if self._since is not None else 0.0)

    @property
    def remaining(self) -> float:
        return max(0.0, self.seconds + self.extra - self.elapsed)

    @property
    def expired(self) -> bool:
        return self.remaining <= 0

    def start(self) -> None:
        if self._since is None and not self.expired:
            self._since = self.clock()

    def pause(self) -> None:
        if self._since is not None:
            self._elapsed = self.elapsed
            self._since = None

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def extend(self, seconds: int) -> None:
        self.extra += seconds

    def reset(self) -> None:
        self._elapsed, self._since, self.extra = 0.0, None, 0


def clock_text(seconds: float) -> str:
    whole = int(seconds + 0.999)  # count down in whole seconds: 0:00 only when time is up
    return f"{whole // 60:02d}:{whole % 60:02d}"


# --- the live session ---------------------------------------------------------------------------


class WorkshopSession:
    def __init__(self, scenario: Scenario, state: State, record: WorkshopRecord, saves: Path, clock: Clock = time.monotonic):
        # One process per session, as for saves: a second laptop opening the same code would
        # otherwise overwrite the first one's votes. The OS drops the lock if the process dies.
        try:
            self._lock = locks.acquire(workshop_folder(saves, record.code) / ".lock")
        except locks.LockedElsewhere:
            raise WorkshopError(f"workshop session '{record.code}' is open in another leadgame window; close it there first") from None
        self.scenario = scenario
        self.state = state
        self.record = record
        self.saves = Path(saves)
        self.clock = clock
        self.timer = Timer(record.timer_seconds, clock, record.timer_elapsed, record.timer_extra)
        self._opened = clock()  # when this run of the session began timing the current decision

    # --- starting and resuming --------------------------------------------------------------

    @classmethod
    def new(cls, scenario: Scenario, saves: Path, code: str = "", seed: int | None = None,
            timer_seconds: int = DEFAULT_TIMER, clock: Clock = time.monotonic) -> "WorkshopSession":
        seed = fresh_seed() if seed is None else seed
        code = safe_name(code) if code else _unused_code(saves)
        if workshop_file(saves, code).exists():
            raise WorkshopError(f"there is already a workshop session '{code}'; resume it with --session {code}")
        record = WorkshopRecord(code, scenario.id, scenario.content_hash, scenario.path, seed, max(1, int(timer_seconds)))
        game = cls(scenario, engine.start(scenario, seed), record, saves, clock)
        game.write()
        return game

    @classmethod
    def resume(cls, scenario: Scenario, saves: Path, record: WorkshopRecord,
               clock: Clock = time.monotonic) -> tuple["WorkshopSession", tuple[str, ...]]:
        if record.scenario_id != scenario.id:
            raise WorkshopError(f"session '{record.code}' plays '{record.scenario_id}', not '{scenario.id}'")
        replayed = engine.replay(scenario, record.seed, record.choices)
        notes = []
        if record.scenario_hash and record.scenario_hash != scenario.content_hash:
            notes.append("The scenario file has changed since this session was saved.")
        if replayed.problem:
            notes.append(f"Replayed {replayed.applied} of {len(record.decisions)} steps: {replayed.problem}.")
            record = replace(record, decisions=record.decisions[:replayed.applied], pending_votes={})
        game = cls(scenario, replayed.state, record, saves, clock)
        offered = {c.id for c in game.choices()}
        kept = {k: v for k, v in record.pending_votes.items() if k in offered}
        game.record = replace(record, pending_votes=kept, finished=replayed.state.finished,
                              scenario_hash=scenario.content_hash, scenario_path=scenario.path)
        if notes or kept != dict(record.pending_votes):
            game.write()
        return game, tuple(notes)

    @property
    def code(self) -> str:
        return self.record.code

    @property
    def path(self) -> Path:
        return workshop_file(self.saves, self.code)

    def close(self) -> None:
        """Let another process open this session (ending the process does the same)."""
        locks.release(self._lock)

    def write(self) -> Path:
        self.record = replace(self.record, pending_seconds=self.decision_seconds(), timer_elapsed=self.timer.elapsed,
                              timer_extra=self.timer.extra, updated=now())
        self._opened = self.clock()
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, self.record.to_json())
        hooks.progressed(self)
        return path

    # --- the decision in progress -----------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def is_passage(self) -> bool:
        scene = self.state.scene
        return scene is not None and scene.is_passage

    def choices(self) -> tuple[Choice, ...]:
        return engine.ordered_choices(self.state)

    @property
    def decision_number(self) -> int:
        """1-based number of the current decision, counting only scenes the room votes on."""
        return sum(1 for d in self.record.decisions if not d.passage) + 1

    def decision_seconds(self) -> float:
        return self.record.pending_seconds + (self.clock() - self._opened)

    def votes(self) -> dict[str, int]:
        return {c.id: int(self.record.pending_votes.get(c.id, 0)) for c in self.choices()}

    def set_votes(self, choice_id: str, count: int) -> None:
        if choice_id not in {c.id for c in self.choices()}:
            raise InvalidChoice(f"'{choice_id}' is not an option here")
        count = max(0, min(MAX_VOTES, int(count)))
        self.record = replace(self.record, pending_votes={**self.record.pending_votes, choice_id: count})
        self.write()

    def add_vote(self, choice_id: str, delta: int = 1) -> None:
        self.set_votes(choice_id, self.votes().get(choice_id, 0) + delta)

    def set_note(self, text: str) -> None:
        self.record = replace(self.record, pending_note=clean_text(text))
        self.write()

    @property
    def note(self) -> str:
        return self.record.pending_note

    def leaders(self) -> tuple[str, ...]:
        """The option ids with the most votes (several when tied; every option before any vote)."""
        votes = self.votes()
        top = max(votes.values(), default=0)
        return tuple(choice for choice, count in votes.items() if count == top)

    # --- moving on --------------------------------------------------------------------------

    def advance(self, tie_break: str | None = None) -> Outcome:
        """Take the majority's choice; on a tie, `tie_break` (one of the leaders) decides.

        A passage simply continues. Raises Tie when the vote is tied and no tie-break is given."""
        if self.finished:
            raise WorkshopError("the session has ended")
        if self.is_passage:
            choice, votes, tie = self.choices()[0].id, {}, False
        else:
            leaders = self.leaders()
            votes = self.votes()
            if len(leaders) == 1:
                choice, tie = leaders[0], False
            elif tie_break is None:
                raise Tie(leaders)
            elif tie_break not in leaders:
                raise WorkshopError(f"'{tie_break}' is not one of the tied options ({', '.join(leaders)})")
            else:
                choice, tie = tie_break, True
        seconds = self.decision_seconds()
        scene = self.state.node
        self.state, outcome = engine.choose(self.state, choice)
        decision = Decision(scene, choice, votes, seconds, self.record.pending_note, tie, self.is_passage_scene(scene))
        self.record = replace(self.record, decisions=(*self.record.decisions, decision), pending_votes={},
                              pending_note="", pending_seconds=0.0, finished=self.state.finished)
        self.timer.reset()
        self._opened = self.clock()
        self.write()
        return outcome

    def is_passage_scene(self, scene_id: str) -> bool:
        scene = self.scenario.scenes.get(scene_id)
        return scene is not None and scene.is_passage

    def set_feeling(self, text: str) -> None:
        self.record = replace(self.record, feeling=clean_text(text))
        self.write()

    # --- after the ending -------------------------------------------------------------------

    def debrief(self) -> Debrief:
        return build_debrief(self.state, self.record.feeling)

    def roads_not_taken(self) -> tuple["Road", ...]:
        return roads_not_taken(self.scenario, self.record)


def _unused_code(saves: Path) -> str:
    while True:
        code = new_code()
        if not workshop_folder(saves, code).exists():
            return code


def find_workshops(saves: Path) -> list[Path]:
    folder = Path(saves) / WORKSHOPS
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"*/{FILE_NAME}") if p.is_file())


# --- the roads not taken ------------------------------------------------------------------------


@dataclass(frozen=True)
class Road:
    """What part of the room voted for, and where it would have led: one step replayed."""

    step: int  # the decision's number among the room's decisions (1-based)
    scene_title: str
    chosen_label: str
    label: str  # the minority's option
    votes: int
    total: int
    consequence: str
    leads_to: str  # the next scene's or ending's title
    leads_to_ending: bool


def roads_not_taken(scenario: Scenario, record: WorkshopRecord) -> tuple[Road, ...]:
    """For each decision, every option that won votes but not the room: replay up to the
    decision, take that option instead, and say what followed and where it led."""
    roads = []
    state = engine.start(scenario, record.seed)
    number = 0
    for decision in record.decisions:
        if state.finished or state.scene is None or state.node != decision.scene:
            break
        if not decision.passage:
            number += 1
            offered = {c.id: c for c in engine.available_choices(state)}
            chosen = offered.get(decision.choice)
            for choice_id, votes in sorted(decision.votes.items(), key=lambda item: -item[1]):
                if votes <= 0 or choice_id == decision.choice or choice_id not in offered:
                    continue
                _, outcome = engine.choose(state, choice_id)
                node = scenario.node(outcome.destination)
                roads.append(Road(number, state.scene.title, chosen.label if chosen else decision.choice,
                                  offered[choice_id].label, votes, decision.total, outcome.consequence,
                                  node.title if node else outcome.destination, outcome.destination in scenario.endings))
        try:
            state, _ = engine.choose(state, decision.choice)
        except InvalidChoice:
            break
    return tuple(roads)


def room_markdown(game: WorkshopSession) -> str:
    """The room's votes and the roads not taken, as Markdown for the debrief screen."""
    scenario = game.scenario
    parts = ["## How the room voted", ""]
    number = 0
    for decision in game.record.decisions:
        if decision.passage:
            continue
        number += 1
        scene = scenario.scenes.get(decision.scene)
        labels = {c.id: c.label for c in scene.choices} if scene else {}
        title = scene.title if scene else decision.scene
        tie = " (the facilitator broke a tie)" if decision.tie_break else ""
        parts.append(f"{number}. **{title}**: the room chose *{labels.get(decision.choice, decision.choice)}*{tie} "
                     f"after {clock_text(decision.seconds)}.")
        for choice_id, votes in decision.votes.items():
            parts.append(f"    - {labels.get(choice_id, choice_id)}: {votes} of {decision.total}")
        if decision.note:
            parts.append(f"    - Facilitator's note: {decision.note}")
    parts += ["", "## The roads not taken", ""]
    roads = game.roads_not_taken()
    if not roads:
        parts.append("Every vote went one way: there was no minority road to follow.")
    for road in roads:
        where = "the ending" if road.leads_to_ending else "the scene"
        parts.append(f"- Decision {road.step}, **{road.scene_title}**: {road.votes} of {road.total} chose "
                     f"*{road.label}*. {road.consequence.strip()} That road led to {where} *{road.leads_to}*.")
    return "\n".join(parts) + "\n"
