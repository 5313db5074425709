"""What the live room's pages are sent: plain data built from the room session, as JSON.

The learners' pages all get one `room` message (built once per change, the same bytes for
everyone) and each device its own small `you` message (its vote, how many answers it sent). The
presenter page gets the facilitator's notes, prompts, live tallies and answers. Scenario prose
is Markdown, turned into HTML here with raw HTML switched off, so a scenario cannot put script
on a learner's phone; learners' answers travel as text and the pages insert them as text.
"""

from __future__ import annotations

from functools import lru_cache

from leadgame.core.templates import render
from leadgame.core.workshop import WorkshopSession, clock_text

DECIDING, PASSAGE, OUTCOME, DEBRIEF = "deciding", "passage", "outcome", "debrief"


@lru_cache(maxsize=256)
def html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).render(markdown or "")


def stage(game: WorkshopSession) -> str:
    if game.record.showing_outcome:
        return OUTCOME
    if game.finished:
        return DEBRIEF
    return PASSAGE if game.is_passage else DECIDING


def step(game: WorkshopSession) -> int:
    """Which step of the story the room is on: a device's vote belongs to one step."""
    return len(game.record.decisions)


def _scene(scene, text: str) -> dict:
    """A scene's heading and its text as the story state shows it (text follows the story)."""
    when = " · ".join(part for part in (scene.place, scene.date) if part)
    return {"title": scene.title, "when": when, "html": html(text)}


def _text_before_last_step(game: WorkshopSession, scene) -> str:
    """The decided scene's text as the room read it: in the story state before its choice."""
    history = game.state.history
    before = history[-2].variables if len(history) > 1 else game.scenario.initial_state
    return render(scene.text, before)


def _outcome(game: WorkshopSession) -> dict:
    decision = game.record.decisions[-1]
    outcome = game.last_outcome()
    labels = {c.id: c.label for c in outcome.scene.choices}
    return {
        "scene": _scene(outcome.scene, _text_before_last_step(game, outcome.scene)),
        "chosen": outcome.choice.label,
        "tie_break": decision.tie_break,
        "total": decision.total,
        "tally": [{"id": cid, "label": labels.get(cid, cid), "votes": n} for cid, n in decision.votes.items()],
        "html": html(outcome.consequence),
    }


def _debrief(game: WorkshopSession) -> dict:
    ending = game.state.ending
    return {
        "ending": ending.title if ending else "",
        "html": html(game.state.text),
        "happened": html(ending.what_really_happened if ending else ""),
        "questions": list(game.scenario.reflection),
    }


def room(game: WorkshopSession) -> dict:
    """The state every learner's page shows: one message for the whole room."""
    now = stage(game)
    data = {"type": "room", "code": game.code, "title": game.scenario.title, "stage": now, "step": step(game),
            "voting": game.voting_open}
    if now == DECIDING:
        data["scene"] = _scene(game.state.scene, game.state.text)
        data["number"] = game.decision_number
        data["options"] = [{"id": c.id, "label": c.label} for c in game.choices()]
    elif now == PASSAGE:
        data["scene"] = _scene(game.state.scene, game.state.text)
    elif now == OUTCOME:
        data["outcome"] = _outcome(game)
        data["number"] = game.decision_number - 1
    else:
        data["debrief"] = _debrief(game)
    return data


def you(game: WorkshopSession, device: str) -> dict:
    """What only this device sees: its own vote on this step, and how many answers it sent."""
    last = game.record.decisions[-1] if game.record.decisions else None
    decided = last.device_votes.get(device, "") if last is not None and game.record.showing_outcome else ""
    return {"type": "you", "step": step(game), "vote": game.device_vote(device), "voted": decided,
            "answered": game.record.answered.get(device, 0)}


def presenter(game: WorkshopSession, connected: int) -> dict:
    """The presenter page: where the room is, the notes and prompts, tallies, answers."""
    data = room(game)
    data["type"] = "presenter"
    data["joined"] = len(game.record.devices)
    data["connected"] = connected
    data["timer"] = clock_text(game.timer.remaining)
    scene = game.state.scene
    if data["stage"] in (DECIDING, PASSAGE) and scene is not None:
        data["notes"] = html(scene.facilitator_notes)
        data["prompts"] = list(scene.facilitator_prompts)
    if data["stage"] == DECIDING:
        votes = game.votes()
        data["tally"] = [{"id": c.id, "label": c.label, "votes": votes[c.id]} for c in game.choices()]
        data["device_votes"] = len(game.record.device_votes)
    if data["stage"] == DEBRIEF:
        data["answers"] = [{"question": a.question, "text": a.text} for a in game.record.answers]
    return data
