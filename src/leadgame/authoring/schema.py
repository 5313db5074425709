"""`leadgame schema`: a JSON Schema for scenario files, for editors' YAML language servers.

The loader stays the authority (it also checks references between ids, conditions and the
construct catalogue); the schema gives authors completion and inline errors while typing.
"""

from __future__ import annotations

import json

from leadgame.core.expressions import MAX_LENGTH
from leadgame.core.loader import FORMAT_VERSION, MAX_TEXT_CHARS, SCORE_RANGE
from leadgame.core.model import OUTCOMES

ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"}
TEXT = {"type": ["string", "number"], "maxLength": MAX_TEXT_CHARS}
TEXTS = {"type": "array", "items": TEXT}
REAL = {"type": ["string", "number"], "description": "the paper section reporting the real leaders chose this, or `silent`"}
CONDITION = {"type": "string", "maxLength": MAX_LENGTH, "description": "e.g. `trust >= 2 and not data_shared`"}
VALUE = {"type": ["integer", "boolean"]}


def _object(properties: dict, required: list[str], description: str = "") -> dict:
    schema = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def scenario_schema(construct_ids: list[str] | None = None) -> dict:
    score = {"type": "integer", "minimum": SCORE_RANGE[0], "maximum": SCORE_RANGE[1]}
    scores = {"type": "object", "additionalProperties": score, "description": "construct id -> delta (-3..3)"}
    if construct_ids:
        scores = {"type": "object", "properties": {c: score for c in construct_ids}, "additionalProperties": False}
    route = _object({"to": ID, "if": CONDITION, "chance": {"type": "integer", "minimum": 1, "maximum": 99}}, ["to"])
    next_ = {"oneOf": [ID, {"type": "array", "items": route, "minItems": 1}],
             "description": "a scene or ending id, `end`, or routes tried in order"}
    assignments = {"type": "object", "additionalProperties": VALUE}
    choice = _object({
        "id": ID, "label": TEXT, "if": CONDITION, "scores": scores, "set": assignments,
        "add": {"type": "object", "additionalProperties": {"type": "integer"}},
        "consequence": TEXT, "rationale": TEXT, "ref": TEXT, "real": REAL, "next": next_,
    }, ["id", "label", "next"], "one option in a decision")
    scene = _object({
        "id": ID, "title": TEXT, "text": TEXT, "place": TEXT, "date": TEXT,
        "facilitator": _object({"notes": TEXT, "prompts": TEXTS}, []),
        "choices": {"type": "array", "items": choice, "minItems": 1},
        "next": next_, "continue_label": TEXT,
        "order": {"enum": ["shuffled", "fixed"], "description": "`fixed` keeps a natural sequence unshuffled"},
    }, ["id", "title", "text"], "a decision (choices) or a passage (next)")
    scene["oneOf"] = [{"required": ["choices"]}, {"required": ["next"]}]
    ending = _object({"id": ID, "title": TEXT, "text": TEXT, "what_really_happened": TEXT, "ref": TEXT, "if": CONDITION,
                      "outcome": {"enum": list(OUTCOMES)}, "real": REAL},
                     ["id", "title", "text", "what_really_happened"])
    top = _object({
        "format": {"const": FORMAT_VERSION},
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"},
        "title": TEXT, "summary": TEXT, "place": TEXT, "years": TEXT, "role": TEXT,
        "minutes": {"type": "integer", "minimum": 1, "maximum": 600},
        "intro": TEXT, "learning_objectives": TEXTS, "sources": TEXTS, "reflection": TEXTS,
        "state": {"type": "object", "additionalProperties": VALUE},
        "start": ID,
        "scenes": {"type": "array", "items": scene, "minItems": 1},
        "endings": {"type": "array", "items": ending, "minItems": 1},
    }, ["format", "id", "title", "summary", "place", "years", "role", "minutes", "intro",
        "learning_objectives", "sources", "start", "scenes", "endings", "reflection"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://leadgame.invalid/schema/scenario-1.json",
        "title": "leadgame scenario (format 1)",
        **top,
    }


def render(construct_ids: list[str] | None = None) -> str:
    return json.dumps(scenario_schema(construct_ids), indent=2)
