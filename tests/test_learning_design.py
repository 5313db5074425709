"""Learning design: the order of options is no clue, the profile does not reward detours, and
`leadgame check` finds an answer key in disguise, each finding at its line."""

from __future__ import annotations

import json
import re

import pytest

from leadgame import library
from leadgame.core import engine
from leadgame.core.real import real_path
from leadgame.core.saves import read_save
from leadgame.core.scoring import profile
from leadgame.core.session import Session
from leadgame.core.workshop import WorkshopSession
from support import FIXTURES, MINI, run_cli

DESIGN = FIXTURES / "design" / "design-defects.yaml"


def order(state) -> tuple[str, ...]:
    return tuple(c.id for c in engine.ordered_choices(state))


# --- order is not a clue ---------------------------------------------------------------------


def test_options_are_shuffled_by_the_games_seed(mini):
    orders = {order(engine.start(mini, seed)) for seed in range(40)}
    assert orders == {("stark", "ambition"), ("ambition", "stark")}
    for seed in range(10):  # the same seed always shows the same order
        assert order(engine.start(mini, seed)) == order(engine.start(mini, seed))
    conflict = engine.start(mini, 3, at="conflict")
    assert set(order(conflict)) == {c.id for c in engine.available_choices(conflict)}


def test_resume_and_replay_show_the_same_order(mini, tmp_path):
    game = Session.new(mini, tmp_path, name="ordered", seed=11)
    game.choose("ambition")
    shown = [c.id for c in game.choices()]
    game.close()
    again, _ = Session.resume(mini, tmp_path, read_save(tmp_path / "ordered.json"))
    assert [c.id for c in again.choices()] == shown
    replayed = engine.replay(mini, 11, ("ambition",)).state
    assert order(replayed) == tuple(shown)
    assert read_save(tmp_path / "ordered.json").choices == ("ambition",)  # ids, never positions


def test_new_games_get_their_own_seed_unless_one_is_given(mini, tmp_path):
    seeds = {Session.new(mini, tmp_path, name=f"g{i}").save.seed for i in range(6)}
    assert len(seeds) > 1
    assert Session.new(mini, tmp_path, name="fixed", seed=42).save.seed == 42


def test_a_scene_can_pin_its_written_order(tmp_path, catalogue):
    from leadgame.core.loader import load_scenario

    pinned = tmp_path / "pinned.yaml"
    pinned.write_text(MINI.read_text().replace("    title: The pooled budget\n", "    title: The pooled budget\n    order: fixed\n"))
    scenario = load_scenario(pinned, catalogue)
    for seed in range(12):  # from the start, trust is 0: confront is not offered
        assert order(engine.start(scenario, seed, at="conflict")) == ("cede", "escalate")
    warm = engine.replay(scenario, 0, ("ambition", "share-later", "continue")).state
    warm = warm if warm.node == "conflict" else engine.choose(warm, "continue")[0]
    assert order(warm) == ("confront", "cede", "escalate")
    checked = run_cli("check", str(pinned))
    assert f"pinned.yaml:{scenario.scenes['conflict'].line}:5: C-ORDER-PINNED" in checked.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(pinned.read_text().replace("order: fixed", "order: sorted"))
    result = run_cli("validate", str(bad))
    assert result.returncode == 1 and "E-VALUE" in result.stdout and "shuffled, fixed" in result.stdout


def test_plain_mode_lists_the_options_in_the_games_order(mini):
    result = run_cli("play", str(MINI), "--plain", "--seed", "5", input="q\n")
    listed = re.findall(r"^\s+(\d)\. (.+)$", result.stdout, re.M)
    labels = {c.id: c.label for c in mini.scenes["panel"].choices}
    assert [label for _, label in listed] == [labels[c] for c in order(engine.start(mini, 5))]


def test_a_room_shows_the_options_in_the_sessions_order(mini, isolated_saves):
    room = WorkshopSession.new(mini, isolated_saves, "ORDER", seed=9)
    assert tuple(c.id for c in room.choices()) == order(engine.start(mini, 9))


# --- the profile does not reward detours ------------------------------------------------------

DETOUR = """\
format: 1
id: detour
title: Detour
summary: Two roads to the same last decision.
place: Here
years: "2011"
role: Tester
minutes: 1
intro: Go.
learning_objectives: [Compare paths]
sources: [None]
reflection: [Why?]
start: fork
scenes:
  - id: fork
    title: A fork
    text: Which way?
    choices:
      - id: direct
        label: The short road
        scores: {trust_relationships: 2, courage_conflict: -1}
        rationale: r
        ref: "1"
        next: last
      - id: around
        label: The long road, the same stance
        scores: {trust_relationships: 2, courage_conflict: -1}
        rationale: r
        ref: "1"
        next: extra
      - id: bold
        label: The bold road
        scores: {trust_relationships: -1, courage_conflict: 2}
        rationale: r
        ref: "1"
        next: last
  - id: extra
    title: An extra decision
    text: More to decide.
    choices:
      - id: trusting
        label: Build trust, hold the line
        scores: {trust_relationships: 2, courage_conflict: 0}
        rationale: r
        ref: "1"
        next: last
      - id: brave
        label: Take the risk
        scores: {trust_relationships: 0, courage_conflict: 1}
        rationale: r
        ref: "1"
        next: last
      - id: neither
        label: Neither
        scores: {trust_relationships: -1, courage_conflict: -1}
        rationale: r
        ref: "1"
        next: last
  - id: last
    title: The last decision
    text: Finish.
    choices:
      - id: high
        label: High
        scores: {trust_relationships: 2, courage_conflict: 2}
        rationale: r
        ref: "1"
        next: end
      - id: low
        label: Low
        scores: {trust_relationships: -2, courage_conflict: -2}
        rationale: r
        ref: "1"
        next: end
endings:
  - id: done
    title: Done
    text: Done.
    what_really_happened: Done.
"""


def _profile(scenario, log):
    state = engine.replay(scenario, 0, log).state
    return {s.construct.id: (s.position, s.decisions, s.total) for s in profile(state)}


def test_a_detour_that_keeps_each_constructs_place_leaves_the_profile_unchanged(tmp_path, catalogue):
    from leadgame.core.loader import load_scenario

    path = tmp_path / "detour.yaml"
    path.write_text(DETOUR)
    scenario = load_scenario(path, catalogue)
    # The short road: trust 1.0 then 1.0; courage 0.0 then 1.0.
    short = _profile(scenario, ("direct", "high"))
    assert short == {"trust_relationships": (1.0, 2, 4), "courage_conflict": (0.5, 2, 1)}
    # The long road takes the same stance at the fork, then an extra decision where "trusting"
    # sits at trust 1.0 and courage 0.5: each construct's place where it already was.
    long_road = _profile(scenario, ("around", "trusting", "high"))
    positions = {c: (position, decisions) for c, (position, decisions, _) in long_road.items()}
    assert positions == {"trust_relationships": (1.0, 3), "courage_conflict": (0.5, 3)}
    assert long_road["trust_relationships"][2] > short["trust_relationships"][2]  # a sum would have paid the detour
    # An extra decision taken worse than the learner's way so far lowers the position, better raises it.
    assert _profile(scenario, ("around", "neither", "high"))["trust_relationships"][0] < 1.0
    assert _profile(scenario, ("around", "brave", "high"))["courage_conflict"][0] > 0.5


# --- the checker finds the answer key --------------------------------------------------------

DESIGN_FINDINGS = [  # (line, column, code): scene or ending at column 5, option at 9, the file as a whole at 1
    (1, 1, "C-CLEAR-WINNERS"),
    (19, 5, "C-STRATEGY-SCORES"),
    (363, 5, "C-STRATEGY-WINS"),
    (370, 5, "C-REAL-ENDING"),
    (1, 1, "C-LENGTH-BIAS"),
    (1, 1, "C-PATH-LENGTH"),
    (1, 1, "C-POSITION-BIAS"),
    (1, 1, "C-REAL-PATH-LOW"),
    (26, 9, "C-CLEAR-WINNER"),
    (33, 9, "C-NARROW-CONSTRUCT"),
    (87, 9, "C-DETOUR-PAYS"),
    (363, 5, "C-GREEDY-WINS"),
    (370, 5, "C-NO-OUTCOME"),
    (280, 5, "C-ORDER-PINNED"),
]


def test_check_finds_every_learning_design_defect_at_its_line():
    result = run_cli("check", str(DESIGN))
    assert result.returncode == 1
    for line, column, code in DESIGN_FINDINGS:
        assert f"design-defects.yaml:{line}:{column}: {code} " in result.stdout, code
    assert "'always the first option' reaches the strongest ending 'triumph'" in result.stdout
    assert "'highest immediate net' reaches the strongest ending" in result.stdout


def test_a_real_path_that_cannot_go_on_is_an_error(tmp_path):
    (tmp_path / "constructs.yaml").write_text((MINI.parent / "constructs.yaml").read_text())
    stops = tmp_path / "stops.yaml"
    stops.write_text(MINI.read_text().replace("        label: Build relationships first; data can wait\n        real: \"2.5\"\n",
                                              "        label: Build relationships first; data can wait\n"))
    scenario = library.load(stops)
    path_taken = real_path(scenario)
    assert not path_taken.complete and "scene 'trust-board'" in path_taken.stopped
    result = run_cli("check", str(stops))
    assert result.returncode == 1 and "stops.yaml:1:1: C-REAL-PATH-STOPS" in result.stdout


def test_the_clean_fixture_reports_no_learning_design_finding():
    result = run_cli("check", str(MINI))
    assert result.returncode == 0 and "0 errors" in result.stdout and "0 warnings" in result.stdout
    assert "C-TOO-SHORT-TO-RANK" in result.stdout  # three decisions: percentiles are left out, and it says so


def test_check_json_carries_the_learning_design_figures():
    result = run_cli("check", str(DESIGN), str(MINI), "--json")
    design, mini = (json.loads(line) for line in result.stdout.splitlines())
    for data in (design, mini):
        assert {"strategies", "clear_winners", "position_bias", "length_bias", "path_length_r", "real_path"} <= set(data)
    first = design["strategies"]["always the first option"]
    assert first["ending"] == "triumph" and design["strategies"]["always the third option"]["percentile"] > 75
    assert set(first["profile"]) == {"trust_relationships", "courage_conflict", "burning_platform"}
    assert {"scene": "d1", "choice": "push", "margin": 2} in design["clear_winners"]
    assert design["position_bias"]["1"] == 7 and design["length_bias"]["best_longest"] > 0.5
    assert design["path_length_r"] > 0.15
    assert design["real_path"]["ending"] == "quiet-end" and design["real_path"]["percentile"] < 75
    assert mini["real_path"]["ending"] == "work-in-progress" and mini["clear_winners"] == []
    assert mini["pinned_scenes"] == [] and mini["notes"][0]["code"] == "C-TOO-SHORT-TO-RANK"


def test_a_strategy_that_never_leaves_a_loop_is_given_up_not_walked_for_ever(tmp_path):
    from support import _generator

    path = _generator(tmp_path).write_loop(tmp_path, 4, 50)  # a hub and corridor learners can circle
    scenario = library.load(path)
    from leadgame.authoring import design

    circling = design.play(scenario, design.positional(0), 0)
    assert not circling.finished
    # Back in one state more than LOOP_RETURNS times ends it: the laps until the add reaches
    # its bound of 50 and a few more, never MAX_STEPS.
    assert 50 < len(circling.history) < 200
    result = run_cli("check", str(path), "--json")
    strategies = json.loads(result.stdout)["strategies"]
    assert strategies["always the first option"]["ending"] == ""
    assert any(s["ending"] for s in strategies.values())  # others leave the loop and end
