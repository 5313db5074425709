"""`leadgame schema`: a JSON Schema for scenario files, for editors' YAML language servers.

The loader stays the authority (it also checks references between ids, conditions and the
construct catalogue); the schema gives authors completion and inline errors while typing.
"""

from __future__ import annotations

import json

from leadgame.core.expressions import MAX_LENGTH
from leadgame.core.loader import EXTENSION, FORMAT_VERSION, MAX_INCLUDES, MAX_TEXT_CHARS, SCENARIO_FORMATS, SCORE_RANGE
from leadgame.core.model import OUTCOMES, SOURCE_KINDS

ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"}
TEXT = {"type": ["string", "number"], "maxLength": MAX_TEXT_CHARS}
TEXTS = {"type": "array", "items": TEXT}
REAL = {"type": ["string", "number"], "description": "the paper section reporting the real leaders chose this, or `silent`"}
CONDITION = {"type": "string", "maxLength": MAX_LENGTH, "description": "e.g. `trust >= 2 and not data_shared`"}
VALUE = {"type": ["integer", "boolean", "string"]}
VARIABLE = {"oneOf": [
    {"type": ["integer", "boolean"], "description": "the starting value"},
    {"type": "object", "properties": {"start": {"type": ["integer", "boolean"]}, "min": {"type": "integer"},
                                      "max": {"type": "integer"}},
     "required": ["start"], "additionalProperties": False, "description": "a bounded number (format 2)"},
    {"type": "object", "properties": {"start": {"type": "string"}, "values": {"type": "array", "items": ID, "minItems": 1}},
     "required": ["start", "values"], "additionalProperties": False, "description": "listed text (format 2)"},
]}


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
    assignments = {"type": "object", "additionalProperties": VALUE}
    additions = {"type": "object", "additionalProperties": {"type": "integer"}}
    route = _object({"to": ID, "if": CONDITION, "chance": {"type": "integer", "minimum": 1, "maximum": 99},
                     "set": assignments, "add": additions}, ["to"])
    next_ = {"oneOf": [ID, {"type": "array", "items": route, "minItems": 1}],
             "description": "a scene or ending id, `end`, or routes tried in order"}
    choice = _object({
        "id": ID, "label": TEXT, "if": CONDITION, "scores": scores, "set": assignments,
        "add": additions,
        "consequence": TEXT, "rationale": TEXT, "ref": TEXT, "real": REAL, "next": next_,
    }, ["id", "label", "next"], "one option in a decision")
    scene = _object({
        "id": ID, "title": TEXT, "text": TEXT, "place": TEXT, "date": TEXT,
        "facilitator": _object({"notes": TEXT, "prompts": TEXTS}, []),
        "choices": {"type": "array", "items": choice, "minItems": 1},
        "next": next_, "continue_label": TEXT, "set": assignments, "add": additions,
        "order": {"enum": ["shuffled", "fixed"], "description": "`fixed` keeps a natural sequence unshuffled"},
    }, ["id", "title", "text"], "a decision (choices) or a passage (next, with its own set/add in format 2)")
    scene["oneOf"] = [{"required": ["choices"]}, {"required": ["next"]}]
    ending = _object({"id": ID, "title": TEXT, "text": TEXT, "what_really_happened": TEXT, "ref": TEXT, "if": CONDITION,
                      "outcome": {"enum": list(OUTCOMES)}, "real": REAL},
                     ["id", "title", "text", "what_really_happened"])
    top = _object({
        "format": {"enum": list(SCENARIO_FORMATS), "description": f"{FORMAT_VERSION} for new files"},
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"},
        "title": TEXT, "summary": TEXT, "place": TEXT, "years": TEXT, "role": TEXT,
        "minutes": {"type": "integer", "minimum": 1, "maximum": 600},
        "intro": TEXT, "learning_objectives": TEXTS, "sources": TEXTS, "reflection": TEXTS,
        "state": {"type": "object", "additionalProperties": VARIABLE},
        "source": _object({"kind": {"enum": list(SOURCE_KINDS)}, "cite_as": TEXT}, ["kind"],
                          "where the case comes from (format 2): the source paper, another report, or fiction"),
        "start": ID,
        "scenes": {"type": "array", "items": scene, "minItems": 1},
        "endings": {"type": "array", "items": ending, "minItems": 1},
        "include": {"type": "array", "items": {"type": "string"}, "maxItems": MAX_INCLUDES,
                    "description": "files of more scenes and endings, relative to this one (format 2)"},
    }, ["format", "id", "title", "summary", "place", "years", "role", "minutes", "intro",
        "learning_objectives", "sources", "start", "reflection"])
    top["patternProperties"] = {f"^{EXTENSION}": {"description": "the author's own: a place for YAML anchors (format 2)"}}
    top["anyOf"] = [{"required": ["scenes", "endings"]}, {"required": ["include"]}]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://leadgame.invalid/schema/scenario-{FORMAT_VERSION}.json",
        "title": f"leadgame scenario (formats {' and '.join(map(str, SCENARIO_FORMATS))})",
        **top,
    }


def render(construct_ids: list[str] | None = None) -> str:
    return json.dumps(scenario_schema(construct_ids), indent=2)
