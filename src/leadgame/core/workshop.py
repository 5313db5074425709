"""A room session: one scenario played by a whole room, decided by the room's votes.

The facilitator enters the vote count for each option, may start a countdown and write a note,
then advances on the majority (breaking a tie themselves). Every decision keeps its vote spread,
the time it took and the note. The session is saved after every change, atomically, to
`<saves>/workshops/<CODE>/workshop.json`, so a crash or a restart loses no vote.

A live room adds learners' own devices: each joined device (known by a hash of its random
token, never the token itself) has one vote per decision, which it may change while voting is
open; at the debrief devices send short anonymous answers to the reflection questions. The
room's tally is the facilitator's typed counts plus the devices' votes. Device changes (join,
vote, answer) are applied in memory and written by the live server in batches, which tells a
device its vote counted only once it is on disk.

Headless like the rest of core: the clock is injected (a callable returning seconds, monotonic),
so timers are testable and the screens deterministic.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping

from leadgame.core import engine, hooks, locks
from leadgame.core.session import fresh_seed
from leadgame.core.text import clean_text, markdown_text
from leadgame.core.debrief import Debrief, build_debrief
from leadgame.core.engine import InvalidChoice, Outcome, State
from leadgame.core.model import Choice, Scenario
from leadgame.core.saves import (
    MAX_SET_ASIDE, SaveError, atomic_write, check_name, checked_version, file_problem, now, read_json,
    remove_temporaries,
)

KIND = "leadgame-workshop"
FORMAT_VERSION = 2  # 2 added live rooms (devices, their votes and answers, voting open, outcome shown) and
                   # `set_aside` (steps an edit of the scenario stopped from replaying, with their votes)
WORKSHOPS = "workshops"
FILE_NAME = "workshop.json"
DEFAULT_TIMER = 120
MAX_VOTES = 100_000
# Bounds on what devices can add, so a full room's file stays well inside what leadgame will read
# back (saves.MAX_SAVE_BYTES): a workshop is 30-60 people, answering a handful of questions.
MAX_DEVICES = 500
MAX_ANSWER_CHARS = 500
MAX_ANSWERS = 1_000
ANSWERS_PER_DEVICE = 20
_DEVICE = re.compile(r"^[0-9a-f]{24}\Z")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}\Z")
MAX_SECONDS = 10_000_000  # time on one decision, as read back: over 100 days is not a workshop
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


def new_token() -> str:
    """A device's (or the presenter link's) secret: random, unguessable, fit for a cookie."""
    return secrets.token_urlsafe(32)


def device_id(token: str) -> str:
    """The name a device goes by in the room file: a hash of its token, so the file never holds
    a secret that would let its reader vote as someone else. Raises WorkshopError for a token
    leadgame did not make."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        raise WorkshopError("not a device token")
    return hashlib.sha256(token.encode()).hexdigest()[:24]


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
    device_votes: Mapping[str, str] = field(default_factory=dict)  # device -> option, counted in `votes`

    @property
    def total(self) -> int:
        return sum(self.votes.values())

    @property
    def typed(self) -> int:
        """Votes the facilitator counted by hand, beside the devices' own."""
        return self.total - len(self.device_votes)

    def to_data(self) -> dict:
        return {"scene": self.scene, "choice": self.choice, "votes": dict(self.votes), "seconds": round(self.seconds, 1),
                "note": self.note, "tie_break": self.tie_break, "passage": self.passage,
                "device_votes": dict(self.device_votes)}


@dataclass(frozen=True)
class Answer:
    """A short anonymous answer to one of the reflection questions, sent from a device."""

    question: int  # index into the scenario's reflection questions
    text: str

    def to_data(self) -> dict:
        return {"question": self.question, "text": self.text}


@dataclass(frozen=True)
class RoomSetAside:
    """Steps a resume could no longer replay after the scenario was edited, kept with their votes."""

    when: str
    kept: int  # steps before them that still held
    reason: str
    decisions: tuple[Decision, ...]

    def to_data(self) -> dict:
        return {"when": self.when, "kept": self.kept, "reason": self.reason, "decisions": [d.to_data() for d in self.decisions]}


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
    # A live room: who has joined, their votes on the decision in progress, their answers.
    voting_open: bool = False
    showing_outcome: bool = False  # the room is reading the consequence of its last decision
    devices: Mapping[str, str] = field(default_factory=dict)  # device -> when it joined
    device_votes: Mapping[str, str] = field(default_factory=dict)  # device -> option, this decision
    answers: tuple[Answer, ...] = ()
    answered: Mapping[str, int] = field(default_factory=dict)  # device -> answers sent (a bound, not a name)
    presenter_secret: str = ""  # the presenter page's link; kept so the link outlives a restart
    live_url: str = ""  # where learners join, while the room is live (for the presenter view)
    created: str = field(default_factory=now)
    updated: str = field(default_factory=now)
    set_aside: tuple[RoomSetAside, ...] = ()

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
                        "timer_extra": self.timer_extra, "device_votes": dict(self.device_votes),
                        "voting_open": self.voting_open, "showing_outcome": self.showing_outcome},
            "devices": dict(self.devices), "answers": [a.to_data() for a in self.answers], "answered": dict(self.answered),
            "presenter_secret": self.presenter_secret, "live_url": self.live_url,
            "feeling": self.feeling, "finished": self.finished, "created": self.created, "updated": self.updated,
            "set_aside": [entry.to_data() for entry in self.set_aside],
        }
        return json.dumps(data, indent=2, ensure_ascii=False)


def workshop_folder(saves: Path, code: str) -> Path:
    """A session's folder. Codes compare without case, so `k7qx2m` finds the session `K7QX2M`;
    a new code is written in capitals. The folder is the session: a copied folder is a session
    of its own, whatever the code written in its file."""
    wanted = safe_name(code)
    parent = Path(saves) / WORKSHOPS
    if (parent / wanted).is_dir():
        return parent / wanted
    if parent.is_dir():
        for folder in parent.iterdir():
            if folder.name.casefold() == wanted.casefold() and folder.is_dir():
                return folder
    return parent / wanted.upper()


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
    return {clean_text(choice, 64): count for choice, count in value.items()}


def _device_map(path: Path, value: object, what: str, kind: type, limit: int = MAX_DEVICES) -> dict:
    """A mapping keyed by device id (joins, votes, answer counts), checked and bounded."""
    if not isinstance(value, dict) or len(value) > limit or not all(
        isinstance(k, str) and _DEVICE.match(k) and isinstance(v, kind) and not isinstance(v, bool)
        and (len(v) <= 64 if isinstance(v, str) else 0 <= v <= MAX_ANSWERS) for k, v in value.items()
    ):
        raise WorkshopError(f"{path}: '{what}' must map device ids to {kind.__name__} values (at most {limit})")
    return dict(value)


def _answers(path: Path, value: object) -> tuple[Answer, ...]:
    if not isinstance(value, list) or len(value) > MAX_ANSWERS:
        raise WorkshopError(f"{path}: 'answers' must be a list of at most {MAX_ANSWERS}")
    answers = []
    for item in value:
        if not isinstance(item, dict):
            raise WorkshopError(f"{path}: each answer must be an object")
        question = _get(path, item, "question", int)
        answers.append(Answer(question, clean_text(_get(path, item, "text", str), MAX_ANSWER_CHARS)))
    return tuple(answers)


def workshop_from_data(path: Path, data: object) -> WorkshopRecord:
    if not is_workshop_data(data):
        raise WorkshopError(f"{path}: not a leadgame workshop session")
    try:
        checked_version(path, data.get("format_version"), FORMAT_VERSION, "workshop")
    except SaveError as error:
        raise WorkshopError(str(error)) from None
    decisions = _decisions(path, _get(path, data, "decisions", list))
    set_aside = []
    for entry in _get(path, data, "set_aside", list, []):
        if not isinstance(entry, dict):
            raise WorkshopError(f"{path}: each set-aside entry must be an object")
        set_aside.append(RoomSetAside(clean_text(_get(path, entry, "when", str), 40), _get(path, entry, "kept", int),
                                      clean_text(_get(path, entry, "reason", str), 400),
                                      _decisions(path, _get(path, entry, "decisions", list))))
    pending = _get(path, data, "pending", dict, {})
    return WorkshopRecord(
        code=safe_name(path.parent.name if path.name == FILE_NAME else _get(path, data, "code", str), "room"),
        scenario_id=_get(path, data, "scenario_id", str),
        scenario_hash=_get(path, data, "scenario_hash", str, ""),
        scenario_path=_get(path, data, "scenario_path", str, ""),
        seed=_get(path, data, "seed", int, 0),
        timer_seconds=max(1, _get(path, data, "timer_seconds", int, DEFAULT_TIMER)),
        decisions=tuple(decisions),
        pending_votes=_votes(path, pending.get("votes", {})),
        pending_note=clean_text(_get(path, pending, "note", str, "")),
        pending_seconds=_seconds(path, pending, "seconds"),
        timer_elapsed=_seconds(path, pending, "timer_elapsed"),
        timer_extra=_get(path, pending, "timer_extra", int, 0),
        feeling=clean_text(_get(path, data, "feeling", str, "")),
        finished=_get(path, data, "finished", bool, False),
        voting_open=_get(path, pending, "voting_open", bool, False),
        showing_outcome=_get(path, pending, "showing_outcome", bool, False),
        devices=_device_map(path, data.get("devices", {}), "devices", str),
        device_votes=_device_map(path, pending.get("device_votes", {}), "device_votes", str),
        answers=_answers(path, data.get("answers", [])),
        answered=_device_map(path, data.get("answered", {}), "answered", int),
        presenter_secret=_get(path, data, "presenter_secret", str, "")[:64],
        live_url=clean_text(_get(path, data, "live_url", str, ""), 300),
        created=_get(path, data, "created", str, ""),
        updated=_get(path, data, "updated", str, ""),
        set_aside=tuple(set_aside[-MAX_SET_ASIDE:]),
    )


def _decisions(path: Path, items: list) -> tuple[Decision, ...]:
    decisions = []
    for item in items:
        if not isinstance(item, dict):
            raise WorkshopError(f"{path}: each decision must be an object")
        decisions.append(Decision(
            scene=clean_text(_get(path, item, "scene", str), 64), choice=clean_text(_get(path, item, "choice", str), 64),
            votes=_votes(path, item.get("votes", {})), seconds=_seconds(path, item, "seconds"),
            note=clean_text(_get(path, item, "note", str, "")), tie_break=_get(path, item, "tie_break", bool, False),
            passage=_get(path, item, "passage", bool, False),
            device_votes=_device_map(path, item.get("device_votes", {}), "device_votes", str),
        ))
    return tuple(decisions)


def _seconds(path: Path, data: Mapping, key: str) -> float:
    value = float(_get(path, data, key, (int, float), 0.0))
    if not 0 <= value <= MAX_SECONDS:
        raise WorkshopError(f"{path}: '{key}' must be a number of seconds from 0 to {MAX_SECONDS:,}")
    return value


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
        """Add time. Once time is up the countdown has stopped at zero, however long ago, so the
        room gets the whole extension (and a running countdown carries on from there)."""
        if self.expired:
            self._elapsed = float(self.seconds + self.extra)
            if self._since is not None:
                self._since = self.clock()
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
        except OSError as error:
            raise WorkshopError(f"could not open workshop session '{record.code}': {file_problem(error, Path(saves))}") from None
        remove_temporaries(workshop_file(saves, record.code), locked=True)  # ours alone now: whatever a crash left goes
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
        code = workshop_folder(saves, code).name if code else _unused_code(saves)
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
        if replayed.applied < len(record.decisions):
            later = record.decisions[replayed.applied:]
            notes.append(f"Replayed {replayed.applied} of {len(record.decisions)} steps: {replayed.problem}. The "
                         f"{len(later)} later step(s), with their votes, are kept in the session file, set aside; "
                         f"the room continues from step {replayed.applied}.")
            aside = RoomSetAside(now(), replayed.applied, replayed.problem, later)
            record = replace(record, decisions=record.decisions[:replayed.applied], pending_votes={},
                             set_aside=(*record.set_aside, aside)[-MAX_SET_ASIDE:])
        game = cls(scenario, replayed.state, record, saves, clock)
        offered = {c.id for c in game.choices()}
        kept = {k: v for k, v in record.pending_votes.items() if k in offered}
        kept_devices = {d: c for d, c in record.device_votes.items() if c in offered}
        gone = {k: v for k, v in record.pending_votes.items() if k not in offered and v}
        if gone:
            notes.append("Votes for options no longer offered here were set aside: "
                         + ", ".join(f"{k} ({v})" for k, v in gone.items()) + ".")
            aside = RoomSetAside(now(), replayed.applied, "options no longer offered",
                                 (Decision(game.state.node, "", gone),))
            record = replace(record, set_aside=(*record.set_aside, aside)[-MAX_SET_ASIDE:])
        game.record = replace(record, pending_votes=kept, device_votes=kept_devices, finished=replayed.state.finished,
                              showing_outcome=record.showing_outcome and bool(replayed.state.history),
                              scenario_hash=scenario.content_hash, scenario_path=scenario.path)
        if notes or kept != dict(record.pending_votes) or kept_devices != dict(record.device_votes):
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

    def write(self, record: WorkshopRecord | None = None) -> Path:
        """Save the session, with `record`'s changes if given, and the time spent so far. When the
        save fails (WorkshopError) nothing changes in memory either: what the room sees is saved."""
        record = replace(record or self.record, pending_seconds=self.decision_seconds(), timer_elapsed=self.timer.elapsed,
                         timer_extra=self.timer.extra)
        path = self._store(record)
        self._opened = self.clock()
        return path

    def _store(self, record: WorkshopRecord, state: State | None = None) -> Path:
        """Write `record`, then take it (and `state`) as the session's: when the write fails
        (WorkshopError) nothing changes in memory."""
        path = self.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, replace(record, updated=now()).to_json())
        except OSError as error:
            raise WorkshopError(f"could not save workshop session '{self.code}': {file_problem(error, path.parent)}") from None
        self.record = record
        self.state = state or self.state
        hooks.progressed(self)  # only now: listeners (learning records) hear of what is on disk
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
        return offered(self.state)

    @property
    def decision_number(self) -> int:
        """1-based number of the current decision, counting only scenes the room votes on."""
        return sum(1 for d in self.record.decisions if not d.passage) + 1

    def decision_seconds(self) -> float:
        return self.record.pending_seconds + (self.clock() - self._opened)

    def votes(self) -> dict[str, int]:
        return tally(self.record, self.choices())

    def typed_votes(self) -> dict[str, int]:
        return {c.id: int(self.record.pending_votes.get(c.id, 0)) for c in self.choices()}

    def set_votes(self, choice_id: str, count: int) -> None:
        if choice_id not in {c.id for c in self.choices()}:
            raise InvalidChoice(f"'{choice_id}' is not an option here")
        count = max(0, min(MAX_VOTES, int(count)))
        self.write(replace(self.record, pending_votes={**self.record.pending_votes, choice_id: count}))

    def add_vote(self, choice_id: str, delta: int = 1) -> None:
        """Change the typed count (devices' votes are theirs to change)."""
        self.set_votes(choice_id, self.typed_votes().get(choice_id, 0) + delta)

    # --- a live room: devices, voting, answers ----------------------------------------------

    @property
    def voting_open(self) -> bool:
        """Devices may vote: the facilitator opened voting, and the countdown (if it ran) has
        not run out. Extending the countdown opens it again."""
        return (self.record.voting_open and not self.finished and not self.is_passage
                and not self.record.showing_outcome and not self.timer.expired)

    def set_voting(self, open_: bool) -> None:
        self.write(replace(self.record, voting_open=bool(open_)))

    def join(self, device: str) -> bool:
        """Count a device in (True when it is new). In memory: the live server writes it."""
        if device in self.record.devices:
            return False
        if len(self.record.devices) >= MAX_DEVICES:
            raise WorkshopError(f"the room is full ({MAX_DEVICES} devices)")
        self.record = replace(self.record, devices={**self.record.devices, device: now()})
        return True

    def device_vote(self, device: str) -> str:
        return self.record.device_votes.get(device, "")

    def cast_vote(self, device: str, choice_id: str) -> None:
        """A device's vote on the decision in progress; a second call changes it. In memory."""
        if device not in self.record.devices:
            raise WorkshopError("this device has not joined the room")
        if not self.voting_open:
            raise WorkshopError("voting is closed")
        if choice_id not in {c.id for c in self.choices()}:
            raise WorkshopError("that is not an option here")
        self.record = replace(self.record, device_votes={**self.record.device_votes, device: choice_id})

    def add_answer(self, device: str, question: int, text: str) -> Answer:
        """A device's anonymous answer to a reflection question, at the debrief. In memory."""
        if device not in self.record.devices:
            raise WorkshopError("this device has not joined the room")
        if not self.finished:
            raise WorkshopError("answers open at the debrief")
        if not 0 <= question < len(self.scenario.reflection):
            raise WorkshopError("there is no such question")
        text = clean_text(text, MAX_ANSWER_CHARS)
        if not text:
            raise WorkshopError("the answer is empty")
        sent = self.record.answered.get(device, 0)
        if sent >= ANSWERS_PER_DEVICE or len(self.record.answers) >= MAX_ANSWERS:
            raise WorkshopError("no more answers can be taken from this device")
        answer = Answer(question, text)
        self.record = replace(self.record, answers=(*self.record.answers, answer),
                              answered={**self.record.answered, device: sent + 1})
        return answer

    def presenter_secret(self) -> str:
        """The presenter link's secret, made (and saved) the first time it is asked for."""
        if not self.record.presenter_secret:
            self.write(replace(self.record, presenter_secret=new_token()))
        return self.record.presenter_secret

    def set_live_url(self, url: str) -> None:
        self.presenter_secret()
        self.write(replace(self.record, live_url=url))

    def move_on(self) -> None:
        """The room has read the consequence: the next scene (or the debrief) comes up."""
        if self.record.showing_outcome:
            self.write(replace(self.record, showing_outcome=False))

    def last_outcome(self) -> Outcome | None:
        """The last decision's outcome, rebuilt from the history (for a room resumed on it)."""
        if not self.state.history:
            return None
        step = self.state.history[-1]
        scene = self.scenario.scenes[step.scene]
        choice = next(c for c in scene.choices if c.id == step.choice)
        return Outcome(scene, choice, step.destination, choice.scores, step.variables)

    def set_note(self, text: str) -> None:
        self.write(replace(self.record, pending_note=clean_text(text)))

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
        scene = self.state.node
        state, outcome = engine.choose(self.state, choice)
        passage = self.is_passage_scene(scene)
        device_votes = {} if passage else {d: c for d, c in self.record.device_votes.items() if c in votes}
        decision = Decision(scene, choice, votes, self.decision_seconds(), self.record.pending_note, tie, passage, device_votes)
        record = replace(self.record, decisions=(*self.record.decisions, decision), pending_votes={}, pending_note="",
                         pending_seconds=0.0, timer_elapsed=0.0, timer_extra=0, finished=state.finished,
                         device_votes={}, voting_open=False, showing_outcome=not passage)
        self._store(record, state)  # saved first: a room never moves on from a decision that is not on disk
        self.timer.reset()
        self._opened = self.clock()
        return outcome

    def is_passage_scene(self, scene_id: str) -> bool:
        scene = self.scenario.scenes.get(scene_id)
        return scene is not None and scene.is_passage

    def set_feeling(self, text: str) -> None:
        self.write(replace(self.record, feeling=clean_text(text)))

    # --- after the ending -------------------------------------------------------------------

    def debrief(self) -> Debrief:
        return build_debrief(self.state, self.record.feeling)

    def roads_not_taken(self) -> tuple["Road", ...]:
        return roads_not_taken(self.scenario, self.record)


def offered(state: State) -> tuple[Choice, ...]:
    """The options a room is offered, in the order every view shows them (projector, presenter
    view and page, learners' pages): the one place that order comes from, shuffled by the
    session's seed as a learner's own game is."""
    return engine.ordered_choices(state)


def tally(record: WorkshopRecord, options: tuple[Choice, ...]) -> dict[str, int]:
    """The room's votes on the decision in progress: the facilitator's typed counts plus the
    devices' votes, for each option offered."""
    votes = {c.id: int(record.pending_votes.get(c.id, 0)) for c in options}
    for choice in record.device_votes.values():
        if choice in votes:
            votes[choice] += 1
    return votes


def _unused_code(saves: Path) -> str:
    while True:
        code = new_code()
        if not workshop_folder(saves, code).exists():
            return code


def find_workshops(saves: Path) -> list[Path]:
    """Every saved session. A session killed during its very first write left a folder with a
    temporary file and no session: nothing will ever open it to tidy up, so the dead writer's
    temporary goes here (a live writer's stays, as remove_temporaries decides)."""
    folder = Path(saves) / WORKSHOPS
    if not folder.is_dir():
        return []
    found = []
    for session in sorted(p for p in folder.iterdir() if p.is_dir()):
        path = session / FILE_NAME
        if path.is_file():
            found.append(path)
        elif not session.is_symlink():
            remove_temporaries(path)
    return found


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
        parts.append(f"{number}. **{markdown_text(title)}**: the room chose "
                     f"*{markdown_text(labels.get(decision.choice, decision.choice))}*{tie} after {clock_text(decision.seconds)}.")
        for choice_id, votes in decision.votes.items():
            parts.append(f"    - {markdown_text(labels.get(choice_id, choice_id))}: {votes} of {decision.total}")
        if decision.note:
            parts.append(f"    - Facilitator's note: {markdown_text(decision.note)}")
    parts += ["", "## The roads not taken", ""]
    roads = game.roads_not_taken()
    if not roads:
        parts.append("Every vote went one way: there was no minority road to follow.")
    for road in roads:
        where = "the ending" if road.leads_to_ending else "the scene"
        parts.append(f"- Decision {road.step}, **{road.scene_title}**: {road.votes} of {road.total} chose "
                     f"*{road.label}*. {road.consequence.strip()} That road led to {where} *{road.leads_to}*.")
    return "\n".join(parts) + "\n"
