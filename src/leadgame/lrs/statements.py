"""leadgame's xAPI profile: a game (a save or a room session) as xAPI statements.

Pure functions of the game: the same game always gives the same statements with the same ids,
whether they are made live as it is played or later from its file (`leadgame lrs export`), so
a retry or a second export never records anything twice. docs/xapi.md is the reader's version.

- registration: one UUIDv5 per playthrough, from the save's identity (or the room's code);
- statement id: UUIDv5 of the registration and the event ("answered/3/scene/choice"), so each
  event has exactly one id wherever and whenever it is made;
- activity ids: stable IRIs under the configured base: scenario, scene, choice, ending.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Iterator

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
VERB_NAMES = {LAUNCHED: "launched", ANSWERED: "answered", COMPLETED: "completed", COMMENTED: "commented", VOTED: "voted"}

SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
OPTION_TYPE, ENDING_TYPE, PROFILE_TYPE = (f"{PROFILE}/activities/{t}" for t in ("option", "ending", "profile"))


def ext(name: str) -> str:
    return f"{PROFILE}/extensions/{name}"


MODE, SESSION, STEP, DECISION, PLAYTHROUGH, KIND = (ext(n) for n in ("mode", "session", "step", "decision", "playthrough", "kind"))
DELTAS, PLACES, CONSTRUCT_PROFILE, ENDING = (ext(n) for n in ("deltas", "places", "profile", "ending"))
VOTES, SECONDS, TIE_BREAK, COUNT, TOTAL = (ext(n) for n in ("votes", "seconds", "tie-break", "count", "total"))

FEELING, NOTE = "feeling", "note"  # kinds of comment; see Comment
SAVE, ROOM = "save", "room"


# --- what a game is, for the profile ------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    """Text a learner or facilitator recorded: `kind` says which (the feeling after the ending, a
    facilitator's note on a decision, ...), `scene` and `step` where, if it belongs to one."""

    kind: str
    text: str
    scene: str = ""
    step: int = 0


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
    room: tuple[Decision, ...]  # a room's decisions, with their votes
    created: str
    updated: str

    @property
    def scenario(self) -> Scenario:
        return self.state.scenario


def save_registration(save: SaveGame) -> str:
    """A save's playthrough id: the same save gives the same id on any machine, and two games
    differ in name, creation time or seed."""
    key = "\n".join(("save", save.scenario_id, save.name, save.created, str(save.seed), save.start_scene))
    return str(uuid.uuid5(NAMESPACE, key))


def room_registration(record: WorkshopRecord) -> str:
    key = "\n".join(("room", record.scenario_id, record.code, record.created, str(record.seed)))
    return str(uuid.uuid5(NAMESPACE, key))


def save_comments(save: SaveGame) -> tuple[Comment, ...]:
    """Every text a save records. New kinds of recorded text (notes during play, reflection
    answers) are added here and become `commented` statements with no other change."""
    return (Comment(FEELING, save.feeling),) if save.feeling else ()


def room_comments(record: WorkshopRecord) -> tuple[Comment, ...]:
    notes = tuple(Comment(NOTE, d.note, d.scene, step) for step, d in enumerate(record.decisions, start=1) if d.note)
    return notes + ((Comment(FEELING, record.feeling),) if record.feeling else ())


def from_save(save: SaveGame, state: State) -> Playthrough:
    return Playthrough(SAVE, save_registration(save), save.name, state, "coached" if save.coached else "standard",
                       save.team, save.session, save_comments(save), (), save.created, save.updated)


def from_room(record: WorkshopRecord, state: State) -> Playthrough:
    return Playthrough(ROOM, room_registration(record), f"Room {record.code}", state, "room", "", record.code,
                       room_comments(record), record.decisions, record.created, record.updated)


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

    def room(self, code: str) -> dict:
        return {"objectType": "Group", "name": f"Room {code}", "account": {"homePage": f"{self.base}/rooms", "name": code}}

    def team(self, play: Playthrough) -> dict:
        name = f"{play.session}/{play.team}" if play.session else play.team
        return {"objectType": "Group", "name": play.team, "account": {"homePage": f"{self.base}/teams", "name": name}}

    # the statements of a playthrough

    def statements(self, play: Playthrough, when: str = "") -> Iterator[dict]:
        """Every statement of a playthrough, in the order things happened. `when` stamps them
        (the moment they are made, live); by default the save's own times (an export)."""
        launched = when or play.created
        later = when or play.updated
        scenario = play.scenario
        yield self._statement(play, "launched", LAUNCHED, self.scenario_activity(scenario), launched)
        decision = 0
        steps = play.state.history
        for step_number, step in enumerate(steps, start=1):
            if scenario.scenes[step.scene].is_passage:
                continue
            decision += 1
            yield self._answered(play, step_number, decision, later)
            room = play.room[step_number - 1] if step_number <= len(play.room) else None
            for choice, count in (room.votes.items() if room else ()):
                if count:
                    yield self._voted(play, step_number, step.scene, choice, count, room.total, later)
        if play.state.finished:
            yield self._completed(play, later)
        for comment in play.comments:
            yield self._commented(play, comment, later)

    def _answered(self, play: Playthrough, step_number: int, decision: int, when: str) -> dict:
        scenario, step = play.scenario, play.state.history[step_number - 1]
        chosen = next(c for c in scenario.scenes[step.scene].choices if c.id == step.choice)
        spread = scoring.option_spread(scenario, step.scene, step.offered or (step.choice,))
        places = {c: scoring.place(chosen, c, spread) for c in sorted(spread)}
        result = {"response": step.choice, "extensions": {
            DELTAS: dict(sorted(chosen.scores.items())), PLACES: {c: p for c, p in places.items() if p is not None}}}
        room = play.room[step_number - 1] if step_number <= len(play.room) else None
        if room is not None:
            result["extensions"].update({VOTES: dict(room.votes), SECONDS: round(room.seconds, 1), TIE_BREAK: room.tie_break})
        extra = {STEP: step_number, DECISION: decision}
        return self._statement(play, f"answered/{step_number}/{step.scene}/{step.choice}", ANSWERED,
                               self.scene_activity(scenario, step.scene), when, result, extra,
                               other=[self.choice_activity(scenario, step.scene, step.choice)], in_scenario=True)

    def _voted(self, play: Playthrough, step_number: int, scene: str, choice: str, count: int, total: int, when: str) -> dict:
        result = {"extensions": {COUNT: count, TOTAL: total}}
        return self._statement(play, f"voted/{step_number}/{scene}/{choice}", VOTED,
                               self.choice_activity(play.scenario, scene, choice), when, result, {STEP: step_number},
                               in_scenario=True)

    def _commented(self, play: Playthrough, comment: Comment, when: str) -> dict:
        digest = hashlib.sha256(comment.text.encode()).hexdigest()[:16]
        key = f"commented/{comment.kind}/{comment.step}/{comment.scene}/{digest}"
        scenario = play.scenario
        target = (self.scene_activity(scenario, comment.scene) if comment.scene in scenario.scenes
                  else self.scenario_activity(scenario))
        extra = {KIND: comment.kind, **({STEP: comment.step} if comment.step else {})}
        return self._statement(play, key, COMMENTED, target, when, {"response": comment.text}, extra,
                               in_scenario=comment.scene in scenario.scenes)

    def _completed(self, play: Playthrough, when: str) -> dict:
        scenario, ending = play.scenario, play.state.ending
        shape = {score.construct.id: {"position": score.position, "decisions": score.decisions, "total": score.total}
                 for score in scoring.profile(play.state)}
        outcome = {"id": ending.id, "title": ending.title, **({"outcome": ending.outcome} if ending.outcome else {})}
        result = {"completion": True, "response": ending.id, "extensions": {CONSTRUCT_PROFILE: shape, ENDING: outcome}}
        other = [_activity(self.ending_id(scenario.id, ending.id), ENDING_TYPE, ending.title)]
        return self._statement(play, f"completed/{ending.id}", COMPLETED, self.scenario_activity(scenario), when,
                               result, other=other)

    def _statement(self, play: Playthrough, event: str, verb: str, target: dict, when: str, result: dict | None = None,
                   extra: dict | None = None, other: list | None = None, in_scenario: bool = False) -> dict:
        scenario = play.scenario
        context_extensions = {MODE: play.mode, **({SESSION: play.session} if play.session else {}), **(extra or {})}
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
        if play.team:
            context["team"] = self.team(play)
        statement = {
            "id": str(uuid.uuid5(uuid.UUID(play.registration), event)),
            "actor": self.room(play.session) if play.kind == ROOM else self.learner(),
            "verb": {"id": verb, "display": {"en": VERB_NAMES[verb]}},
            "object": target,
            **({"result": result} if result else {}),
            "context": context,
            "timestamp": when,
        }
        return statement


def _activity(iri: str, kind: str, name: str, description: str = "") -> dict:
    definition = {"type": kind, **({"name": {"en": name}} if name else {})}
    if description.strip():
        definition["description"] = {"en": description.strip()}
    return {"objectType": "Activity", "id": iri, "definition": definition}
