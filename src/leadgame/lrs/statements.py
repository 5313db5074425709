"""leadgame's xAPI profile: a game (a save or a room session) as xAPI statements.

Pure functions of the game: the same game always gives the same statements with the same ids,
whether they are made live as it is played or later from its file (`leadgame lrs export`), so
a retry or a second export never records anything twice. docs/xapi.md is the reader's version.

- registration: one UUIDv5 per playthrough, from the save's identity (its file name, creation
  time, seed and scenario) or the room's (its folder's code, likewise);
- statement id: UUIDv5 of the registration and the event. A decision's event names the decision
  before it (context.statement), so the ids follow the path: a path taken again after an edit
  of the scenario set later decisions aside gets ids of its own, and a report read back from
  the LRS follows the latest path as the save does;
- activity ids: stable IRIs under the configured base: scenario, scene, choice, ending,
  reflection question.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Iterator, Mapping

from leadgame.core import scoring
from leadgame.core.engine import State
from leadgame.core.model import Scenario
from leadgame.core.saves import SaveGame
from leadgame.core.workshop import Decision, WorkshopRecord
from leadgame.lrs.config import ACCOUNT, ANONYMOUS, MBOX, LrsConfig

# leadgame's own terms (one verb, the extensions, the activity types); the verbs it shares with
# every xAPI tool are ADL's.
PROFILE = "https://leadgame.invalid/xapi/profile"
NAMESPACE = uuid.UUID("0e2c4c9e-4bbb-48a9-8994-9ab495aa8e75")  # leadgame's: registrations and ids
LANGUAGE = "en-GB"

ADL = "http://adlnet.gov/expapi/verbs/"
LAUNCHED, ANSWERED, COMPLETED, COMMENTED = (ADL + v for v in ("launched", "answered", "completed", "commented"))
VOTED = f"{PROFILE}/verbs/voted"
JOINED = "http://activitystrea.ms/schema/1.0/join"
VERB_NAMES = {LAUNCHED: "launched", ANSWERED: "answered", COMPLETED: "completed", COMMENTED: "commented", VOTED: "voted",
              JOINED: "joined"}

SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
OPTION_TYPE, ENDING_TYPE, PROFILE_TYPE, QUESTION_TYPE = (f"{PROFILE}/activities/{t}"
                                                         for t in ("option", "ending", "profile", "question"))


def ext(name: str) -> str:
    return f"{PROFILE}/extensions/{name}"


MODE, SESSION, STEP, DECISION, PLAYTHROUGH, KIND = (ext(n) for n in ("mode", "session", "step", "decision", "playthrough", "kind"))
SET_ASIDE, ORDER, BRANCHED_AT = ext("set-aside"), ext("order"), ext("branched-at")
DELTAS, PLACES, CONSTRUCT_PROFILE, ENDING = (ext(n) for n in ("deltas", "places", "profile", "ending"))
VOTES, SECONDS, TIE_BREAK, COUNT, TOTAL, FROM_DEVICES = (ext(n) for n in ("votes", "seconds", "tie-break", "count", "total",
                                                                         "from-devices"))

FEELING, NOTE, ANSWER, REFLECTION = "feeling", "note", "answer", "reflection"  # kinds of comment
SAVE, ROOM = "save", "room"


# --- what a game is, for the profile ------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    """Text a learner or a room recorded about the whole game: the feeling after the ending, a
    learner's answer to a reflection question (`asked`: its words, `question`: its place among
    the scenario's, -1 once an edit dropped it), or one of a live room's anonymous answers
    (`question`, the `order`-th answer the room sent). Notes belong to their step (Playthrough.notes)."""

    kind: str
    text: str
    question: int = -1
    order: int = 0
    asked: str = ""


@dataclass(frozen=True)
class Playthrough:
    """One save or room session, replayed: what its statements are made from."""

    kind: str  # SAVE or ROOM
    registration: str
    name: str
    state: State
    mode: str  # "standard", "coached" or "room"
    team: str
    session: str
    comments: tuple[Comment, ...]
    room: tuple[Decision, ...]  # a room's decisions (passages too, step by step), with their votes
    created: str
    updated: str
    set_aside: int = 0  # how often an edit of the scenario set this game's later decisions aside
    devices: Mapping[str, str] = field(default_factory=dict)  # a live room's devices -> when each joined
    notes: Mapping[int, str] = field(default_factory=dict)  # step (0-based, passages counted) -> the note on it
    branched_at: int = 0  # a what-if replay: the steps it replayed from the game it branched from

    @property
    def scenario(self) -> Scenario:
        return self.state.scenario

    @cached_property
    def namespace(self) -> uuid.UUID:
        """The registration as the namespace its statements' ids are made in."""
        return uuid.UUID(self.registration)

    def decision(self, step_number: int) -> Decision | None:
        """The room's record of a step (1-based), with its votes; None for a learner's game."""
        return self.room[step_number - 1] if step_number <= len(self.room) else None


def save_registration(save: SaveGame) -> str:
    """A save's playthrough id. The save is its file, so the file name is part of it: resuming
    the file keeps the id, and a copy under another name is a game of its own. The creation
    time, seed and scenario tell apart games that happen to share a name on different machines."""
    key = "\n".join(("save", save.scenario_id, save.name, save.created, str(save.seed)))
    return str(uuid.uuid5(NAMESPACE, key))


def room_registration(record: WorkshopRecord) -> str:
    """A room's playthrough id: its code is its folder's name, so a copied folder is a room of its own."""
    key = "\n".join(("room", record.scenario_id, record.code, record.created, str(record.seed)))
    return str(uuid.uuid5(NAMESPACE, key))


def save_comments(save: SaveGame, scenario: Scenario) -> tuple[Comment, ...]:
    """Every text a save records about the whole game (its notes belong to their steps): the
    reflection answers in the order the scenario asks its questions, then the feeling."""
    asked = scenario.reflection
    order = sorted(save.answers, key=lambda q: (asked.index(q) if q in asked else len(asked), q))
    answers = tuple(Comment(REFLECTION, save.answers[q], asked.index(q) if q in asked else -1, asked=q) for q in order)
    return answers + ((Comment(FEELING, save.feeling),) if save.feeling else ())


def room_comments(record: WorkshopRecord) -> tuple[Comment, ...]:
    answers = tuple(Comment(ANSWER, a.text, a.question, order) for order, a in enumerate(record.answers, start=1))
    return answers + ((Comment(FEELING, record.feeling),) if record.feeling else ())


def from_save(save: SaveGame, state: State) -> Playthrough:
    return Playthrough(SAVE, save_registration(save), save.learner or save.name, state,
                       "coached" if save.coached else "standard", save.team, save.session,
                       save_comments(save, state.scenario), (), save.created, save.updated, len(save.set_aside),
                       notes=save.notes, branched_at=save.branched_at if save.origin else 0)


def from_room(record: WorkshopRecord, state: State) -> Playthrough:
    notes = {step: decision.note for step, decision in enumerate(record.decisions[:len(state.history)]) if decision.note}
    return Playthrough(ROOM, room_registration(record), f"Room {record.code}", state, "room", "", record.code,
                       room_comments(record), record.decisions, record.created, record.updated, len(record.set_aside),
                       record.devices, notes)


def of_game(game) -> Playthrough:
    """A live Session or WorkshopSession as a Playthrough."""
    record = getattr(game, "record", None)
    return from_room(record, game.state) if record is not None else from_save(game.save, game.state)


# --- statements ---------------------------------------------------------------------------------


class Profile:
    """Statement maker for one configuration: the actor, the base for activity ids."""

    def __init__(self, config: LrsConfig, device: str = ""):
        self.base = config.base
        self.config = config
        self.device = device
        self.names_allowed = config.actor != ANONYMOUS
        self._spreads: dict[tuple[str, str], dict] = {}  # each scenario's option spreads, made once (an export reuses them)

    def _spread_cache(self, scenario: Scenario) -> dict:
        return self._spreads.setdefault((scenario.id, scenario.content_hash), {})

    # activities

    def scenario_id(self, scenario_id: str) -> str:
        return f"{self.base}/scenarios/{scenario_id}"

    def scene_id(self, scenario_id: str, scene: str) -> str:
        return f"{self.scenario_id(scenario_id)}/scenes/{scene}"

    def choice_id(self, scenario_id: str, scene: str, choice: str) -> str:
        return f"{self.scene_id(scenario_id, scene)}/choices/{choice}"

    def ending_id(self, scenario_id: str, ending: str) -> str:
        return f"{self.scenario_id(scenario_id)}/endings/{ending}"

    def scenario_activity(self, scenario: Scenario) -> dict:
        return _activity(self.scenario_id(scenario.id), SIMULATION, scenario.title, scenario.summary)

    def scene_activity(self, scenario: Scenario, scene_id: str) -> dict:
        scene = scenario.scenes[scene_id]
        activity = _activity(self.scene_id(scenario.id, scene.id), INTERACTION, scene.title)
        activity["definition"]["interactionType"] = "choice"
        activity["definition"]["choices"] = [{"id": c.id, "description": {"en": c.label}} for c in scene.choices]
        return activity

    def choice_activity(self, scenario: Scenario, scene_id: str, choice_id: str) -> dict:
        labels = {c.id: c.label for c in scenario.scenes[scene_id].choices}
        return _activity(self.choice_id(scenario.id, scene_id, choice_id), OPTION_TYPE, labels.get(choice_id, choice_id))

    def question_activity(self, scenario: Scenario, question: int, asked: str = "") -> dict:
        """One of the scenario's reflection questions (`question` from 0; its IRI numbers from 1).
        A question an edit has since dropped (-1, with the words `asked`) is named by its words' hash."""
        known = 0 <= question < len(scenario.reflection)
        if asked and not known:
            return _activity(f"{self.scenario_id(scenario.id)}/reflection/q-{_digest(asked)}", QUESTION_TYPE, asked)
        text = scenario.reflection[question] if known else ""
        return _activity(f"{self.scenario_id(scenario.id)}/reflection/{question + 1}", QUESTION_TYPE, text)

    def profile_activity(self) -> dict:
        return {"objectType": "Activity", "id": PROFILE, "definition": {"type": PROFILE_TYPE}}

    # agents

    def learner(self) -> dict:
        """The learner as the organisation chose to identify them; see docs/xapi.md."""
        config = self.config
        if config.actor == ACCOUNT:
            return {"objectType": "Agent", "account": {"homePage": config.account_homepage, "name": config.account_name}}
        if config.actor == MBOX:
            digest = hashlib.sha1(f"mailto:{config.email.strip().lower()}".encode()).hexdigest()
            return {"objectType": "Agent", "mbox_sha1sum": digest}
        return {"objectType": "Agent", "account": {"homePage": f"{self.base}/devices", "name": self.device}}

    def room_device(self, play: Playthrough, device: str) -> dict:
        """A device that joined a live room: anonymous whatever the policy (the people in a room
        are not this machine's learner), under a name that holds only in this room's statements."""
        return {"objectType": "Agent", "account": {"homePage": f"{self.base}/room-devices",
                                                   "name": str(uuid.uuid5(play.namespace, f"device/{device}"))}}

    def room(self, code: str) -> dict:
        return {"objectType": "Group", "name": f"Room {code}", "account": {"homePage": f"{self.base}/rooms", "name": code}}

    def team(self, play: Playthrough) -> dict:
        if play.kind == ROOM:
            return self.room(play.session)
        name = f"{play.session}/{play.team}" if play.session else play.team
        return {"objectType": "Group", "name": play.team, "account": {"homePage": f"{self.base}/teams", "name": name}}

    # the statements of a playthrough

    def statements(self, play: Playthrough, when: str = "") -> Iterator[dict]:
        """Every statement of a playthrough, in the order things happened. `when` stamps them
        (the moment they are made, live); by default the save's own times (an export)."""
        later = when or play.updated
        scenario = play.scenario
        yield self._statement(play, "launched", LAUNCHED, self.scenario_activity(scenario), when or play.created)
        for device, joined in play.devices.items():
            yield self._statement(play, f"joined/{device}", JOINED, self.scenario_activity(scenario), _stamp(joined) or later,
                                  actor=self.room_device(play, device))
        decision, previous = 0, ""
        for step_number, step in enumerate(play.state.history, start=1):
            answered = None
            if not scenario.scenes[step.scene].is_passage:
                decision += 1
                answered = self._answered(play, step_number, decision, previous, later)
                yield answered
                yield from self._room_votes(play, step_number, answered["id"], later)
            if play.notes.get(step_number - 1):
                yield self._note(play, step_number, step.scene, previous, later)
            previous = answered["id"] if answered else previous
        if play.state.finished:
            yield self._completed(play, previous, later)
        elif play.notes.get(len(play.state.history)):  # a note on the decision at hand, not yet taken
            yield self._note(play, len(play.state.history) + 1, play.state.node, previous, later)
        for comment in play.comments:
            yield self._commented(play, comment, later)

    def _answered(self, play: Playthrough, step_number: int, decision: int, previous: str, when: str) -> dict:
        scenario, step = play.scenario, play.state.history[step_number - 1]
        chosen = next(c for c in scenario.scenes[step.scene].choices if c.id == step.choice)
        spreads = self._spread_cache(scenario)
        spread = spreads.get((step.scene, step.offered))
        if spread is None:
            spread = spreads[(step.scene, step.offered)] = scoring.option_spread(scenario, step.scene, step.offered or (step.choice,))
        places = {c: scoring.place(chosen, c, spread) for c in sorted(spread)}
        result = {"response": step.choice, "extensions": {
            DELTAS: dict(sorted(chosen.scores.items())), PLACES: {c: p for c, p in places.items() if p is not None}}}
        room = play.decision(step_number)
        if room is not None:
            result["extensions"].update({VOTES: dict(room.votes), SECONDS: round(room.seconds, 1), TIE_BREAK: room.tie_break,
                                         FROM_DEVICES: len(room.device_votes)})
        extra = {STEP: step_number, DECISION: decision, SET_ASIDE: play.set_aside}
        return self._statement(play, f"answered/{step_number}/{step.scene}/{step.choice}/{previous}", ANSWERED,
                               self.scene_activity(scenario, step.scene), when, result, extra,
                               other=[self.choice_activity(scenario, step.scene, step.choice)], in_scenario=True,
                               about=previous)

    def _room_votes(self, play: Playthrough, step_number: int, answered: str, when: str) -> Iterator[dict]:
        """What a room's decision adds: the votes for each option (the room's count, with how
        many of them devices cast) and each device's own vote in a live room."""
        room = play.decision(step_number)
        if room is None:
            return
        scene, extra = room.scene, {STEP: step_number}
        from_devices: dict[str, int] = {}
        for choice in room.device_votes.values():
            from_devices[choice] = from_devices.get(choice, 0) + 1
        for choice, count in room.votes.items():
            if count:
                result = {"extensions": {COUNT: count, TOTAL: room.total, FROM_DEVICES: from_devices.get(choice, 0)}}
                yield self._statement(play, f"voted/{answered}/{choice}", VOTED, self.choice_activity(play.scenario, scene, choice),
                                      when, result, extra, in_scenario=True, about=answered)
        for device, choice in room.device_votes.items():
            yield self._statement(play, f"voted/{answered}/device/{device}", VOTED,
                                  self.choice_activity(play.scenario, scene, choice), when, {"response": choice}, extra,
                                  in_scenario=True, about=answered, actor=self.room_device(play, device))

    def _note(self, play: Playthrough, step_number: int, scene: str, previous: str, when: str) -> dict:
        """A note on one step of the path (a learner's, or a facilitator's on a room's decision),
        about the scene the step was at. Its `statement` is the decision the path came through
        (as the step's own decision names it), so a note made before its decision is taken is the
        same statement after."""
        text = play.notes[step_number - 1]
        return self._statement(play, f"commented/note/{step_number}/{scene}/{previous}/{_digest(text)}", COMMENTED,
                               self.scene_activity(play.scenario, scene), when, {"response": text},
                               {KIND: NOTE, STEP: step_number}, in_scenario=True, about=previous)

    def _commented(self, play: Playthrough, comment: Comment, when: str) -> dict:
        digest = _digest(comment.text)
        scenario = play.scenario
        if comment.kind == ANSWER:
            key, target = f"commented/answer/{comment.order}/{comment.question}/{digest}", self.question_activity(scenario, comment.question)
            extra = {KIND: ANSWER, ORDER: comment.order}
        elif comment.kind == REFLECTION:
            key = f"commented/reflection/{_digest(comment.asked)}/{digest}"
            target, extra = self.question_activity(scenario, comment.question, comment.asked), {KIND: REFLECTION}
        else:
            key, target, extra = f"commented/{comment.kind}/{digest}", self.scenario_activity(scenario), {KIND: comment.kind}
        return self._statement(play, key, COMMENTED, target, when, {"response": comment.text}, extra,
                               in_scenario=comment.kind != FEELING)

    def _completed(self, play: Playthrough, previous: str, when: str) -> dict:
        scenario, ending = play.scenario, play.state.ending
        shape = {score.construct.id: {"position": score.position, "decisions": score.decisions, "total": score.total}
                 for score in scoring.profile_of(scenario, play.state.history, self._spread_cache(scenario))}
        outcome = {"id": ending.id, "title": ending.title, **({"outcome": ending.outcome} if ending.outcome else {})}
        result = {"completion": True, "response": ending.id, "extensions": {CONSTRUCT_PROFILE: shape, ENDING: outcome}}
        other = [_activity(self.ending_id(scenario.id, ending.id), ENDING_TYPE, ending.title)]
        return self._statement(play, f"completed/{ending.id}/{previous}", COMPLETED, self.scenario_activity(scenario), when,
                               result, {SET_ASIDE: play.set_aside}, other=other, about=previous)

    def _statement(self, play: Playthrough, event: str, verb: str, target: dict, when: str, result: dict | None = None,
                   extra: dict | None = None, other: list | None = None, in_scenario: bool = False, about: str = "",
                   actor: dict | None = None) -> dict:
        """One statement. `about` is the id of the decision it follows from (context.statement);
        `actor` who made it, when not the learner or the room the game belongs to."""
        scenario = play.scenario
        context_extensions = {MODE: play.mode, **({SESSION: play.session} if play.session else {}),
                              **({BRANCHED_AT: play.branched_at} if play.branched_at else {}), **(extra or {})}
        if play.kind == ROOM or self.names_allowed:
            context_extensions[PLAYTHROUGH] = play.name
        activities = {"category": [self.profile_activity()]}
        if in_scenario:
            activities["parent"] = [self.scenario_activity(scenario)]
        if other:
            activities["other"] = other
        context = {"registration": play.registration, "contextActivities": activities, "platform": "leadgame",
                   "language": LANGUAGE, "extensions": context_extensions}
        if scenario.content_hash:
            context["revision"] = scenario.content_hash[:16]
        if play.team or (play.kind == ROOM and actor is not None):
            context["team"] = self.team(play)  # a device's statement names its room
        if about:
            context["statement"] = {"objectType": "StatementRef", "id": about}
        statement = {
            "id": str(uuid.uuid5(play.namespace, event)),
            "actor": actor or (self.room(play.session) if play.kind == ROOM else self.learner()),
            "verb": {"id": verb, "display": {"en": VERB_NAMES[verb]}},
            "object": target,
            **({"result": result} if result else {}),
            "context": context,
            "timestamp": when,
        }
        return statement


def _digest(text: str) -> str:
    """A short hash of a text, for the id of a statement that carries it."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _stamp(text: str) -> str:
    """A time read from a file, if it is one an LRS will take (ISO 8601 with its zone); else ''."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return ""
    return moment.isoformat() if moment.tzinfo is not None else ""


def _activity(iri: str, kind: str, name: str, description: str = "") -> dict:
    definition = {"type": kind, **({"name": {"en": name}} if name else {})}
    if description.strip():
        definition["description"] = {"en": description.strip()}
    return {"objectType": "Activity", "id": iri, "definition": definition}
