"""The engine's pure transitions, exploration, and the construct profile."""

from __future__ import annotations

import sys

import pytest

from leadgame.core import engine
from leadgame.core.audit import dominated_choices, one_way_constructs
from leadgame.core.explore import explore
from leadgame.core.loader import load_scenario
from leadgame.core.scoring import profile
from support import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402


def play(scenario, choices, seed=0):
    state = engine.start(scenario, seed)
    for choice in choices:
        state, _ = engine.choose(state, choice)
    return state


def test_start_places_the_learner_at_the_first_scene(mini):
    state = engine.start(mini, seed=3)
    assert state.node == "panel" and state.seed == 3 and state.history == ()
    assert dict(state.variables) == {"trust": 0, "data_shared": False}
    assert [c.id for c in engine.available_choices(state)] == ["stark", "ambition"]


def test_choose_is_pure_and_records_history(mini):
    before = engine.start(mini)
    after, outcome = engine.choose(before, "ambition")
    assert before.node == "panel" and before.history == ()
    assert after.node == "trust-board" and after.variables["trust"] == 1
    assert after.history[0].scene == "panel" and after.history[0].choice == "ambition"
    assert outcome.consequence == "The panel warms to the ambition."
    assert outcome.score_changes == {"burning_platform": -1, "trust_relationships": 2, "courage_conflict": -1}


def test_conditions_gate_choices(mini):
    cold = play(mini, ["stark", "share-now", "continue"], seed=1)
    cold = cold if cold.node == "conflict" else engine.choose(cold, "continue")[0]
    assert [c.id for c in engine.available_choices(cold)] == ["cede", "escalate"]
    with pytest.raises(engine.InvalidChoice):
        engine.choose(cold, "confront")


def test_end_picks_the_first_ending_whose_condition_holds(mini):
    warm = play(mini, ["ambition", "share-now", "continue"])
    warm = warm if warm.node == "conflict" else engine.choose(warm, "continue")[0]
    assert engine.choose(warm, "cede")[0].node == "model-agreed"
    cold = play(mini, ["stark", "share-later", "continue"])
    cold = cold if cold.node == "conflict" else engine.choose(cold, "continue")[0]
    finished = engine.choose(cold, "cede")[0]
    assert finished.node == "work-in-progress" and finished.finished


def test_chance_routes_are_seeded_and_replay_identically(mini):
    destinations = {play(mini, ["stark", "share-now", "continue"], seed).node for seed in range(20)}
    assert destinations == {"commander-moves", "conflict"}
    for seed in range(5):
        first = play(mini, ["stark", "share-now", "continue"], seed)
        again = engine.replay(mini, seed, first.choice_log)
        assert again.state == first and again.applied == 3 and again.problem == ""


def test_replay_stops_where_the_log_no_longer_fits(mini):
    result = engine.replay(mini, 0, ["stark", "vanished", "continue"])
    assert result.applied == 1 and result.state.node == "trust-board"
    assert "no longer offered" in result.problem


def test_exploration_finds_everything_in_the_fixture(mini):
    found = explore(mini)
    assert found.reachable_scenes == set(mini.scenes)
    assert found.reachable_endings == set(mini.endings)
    assert not found.dead_ends and not found.loops
    assert found.decisions == {"min": 3, "median": 3, "max": 3}
    assert found.construct_ranges["burning_platform"] == (-1, 3)
    assert found.construct_ranges["trust_relationships"] == (-5, 3)
    assert dominated_choices(found) == []


def test_exploration_reports_dominance_and_one_way_constructs(mini):
    from dataclasses import replace

    from leadgame.core.model import Effect

    found = explore(mini)
    assert one_way_constructs(found) == {}
    cede = mini.scenes["conflict"].choices[1]
    kinder = replace(cede, effects=tuple(e for e in cede.effects if e.target != "authorising_environment"))
    lopsided = replace(mini, scenes={**mini.scenes, "conflict": replace(mini.scenes["conflict"], choices=(mini.scenes["conflict"].choices[0], kinder, mini.scenes["conflict"].choices[2]))})
    assert one_way_constructs(explore(lopsided)) == {"authorising_environment": "only rises"}
    panel = mini.scenes["panel"]
    stark, ambition = panel.choices
    better = replace(ambition, effects=(Effect("score", "burning_platform", 3), Effect("score", "trust_relationships", 1),
                                       Effect("score", "courage_conflict", 1)))
    quiz = replace(mini, scenes={**mini.scenes, "panel": replace(panel, choices=(stark, better))})
    assert [(d.scene, d.choice, d.over) for d in dominated_choices(explore(quiz))] == [("panel", "ambition", ("stark",))]


def test_profile_places_each_choice_among_the_options_on_offer(mini):
    state = play(mini, ["ambition", "share-later", "continue"])
    state = state if state.node == "conflict" else engine.choose(state, "continue")[0]
    state, _ = engine.choose(state, "confront")
    scores = {s.construct.id: s for s in profile(state)}
    trust = scores["trust_relationships"]
    # panel: ambition +2 of (-2, +2) -> 1.0; trust board: share-later +1 of (-2, +1) -> 1.0;
    # conflict (confront, cede, escalate on offer): confront -2 of (-2, 0) -> 0.0
    assert [e.place for e in trust.evidence] == [1.0, 1.0, 0.0]
    assert trust.position == pytest.approx(2 / 3) and trust.decisions == 3 and trust.on_scale == 7
    assert [e.delta for e in trust.evidence] == [2, 1, -2] and trust.total == 1
    assert trust.evidence[0].ref == "2.5" and trust.evidence[0].step == 1
    authorising = scores["authorising_environment"]  # share-later +1 of (0, +1); confront 0 of (-2, +2)
    assert [e.place for e in authorising.evidence] == [1.0, 0.5] and authorising.position == pytest.approx(0.75)
    assert scores["ceding_power"].position == 0.0  # confront did least for it of the three
    ordered = [s.position for s in profile(state)]
    assert ordered == sorted(ordered, reverse=True)


def test_a_construct_no_decision_tested_has_no_position(mini):
    state = play(mini, ["ambition"])
    scores = {s.construct.id: s for s in profile(state)}
    assert scores["ceding_power"].position is None and scores["ceding_power"].decisions == 0
    assert list(scores)[-1] in {"ceding_power", "information_sharing", "authorising_environment"}  # untested last


def test_an_option_the_conditions_hide_does_not_count(mini):
    """Where `confront` is not offered, cede and escalate are the whole decision."""
    state = play(mini, ["stark", "share-now", "continue"], seed=1)
    state = state if state.node == "conflict" else engine.choose(state, "continue")[0]
    assert [c.id for c in engine.available_choices(state)] == ["cede", "escalate"]
    state, _ = engine.choose(state, "escalate")
    trust = {s.construct.id: s for s in profile(state)}["trust_relationships"]
    assert trust.evidence[-1].place == 0.0  # escalate -1 against cede 0, not against confront's -2


def test_dropping_dead_variables_changes_no_result(mini):
    from support import REPO
    from leadgame import library

    # Bradford is the shipped case small enough to explore without pruning (some 680,000 states:
    # more than the checker's budget allows, so this comparison gets a larger one).
    from leadgame.core.explore import Budget

    scenarios = [mini, library.load(REPO / "scenarios" / "bradford-total-place.yaml")]
    for scenario in scenarios:
        pruned, full = explore(scenario), explore(scenario, Budget(states=1_000_000, seconds=120), prune=False)
        assert pruned.states <= full.states
        assert pruned.reachable_scenes == full.reachable_scenes
        assert pruned.reachable_endings == full.reachable_endings
        assert pruned.reachable_choices == full.reachable_choices
        assert pruned.decision_counts == full.decision_counts
        assert pruned.construct_ranges == full.construct_ranges
        assert pruned.dead_ends == full.dead_ends
        scores_only = explore(scenario, conditions=False, endings=False)
        assert scores_only.states <= pruned.states
        assert scores_only.construct_ranges == full.construct_ranges
        assert scores_only.decision_counts == full.decision_counts


def test_the_checker_survey_matches_a_single_full_exploration(mini):
    from support import FIXTURES, REPO
    from leadgame import library
    from leadgame.core.explore import survey

    scenarios = [mini, library.load(FIXTURES / "defects" / "defects.yaml"),
                 library.load(REPO / "scenarios" / "bradford-total-place.yaml")]
    for scenario in scenarios:
        two_pass, one_pass = survey(scenario), explore(scenario)
        for field in ("reachable_scenes", "reachable_endings", "reachable_choices", "dead_ends", "decision_counts",
                      "construct_ranges", "condition_values", "states"):
            assert getattr(two_pass, field) == getattr(one_pass, field), field
        assert [loop.scenes for loop in two_pass.loops] == [loop.scenes for loop in one_pass.loops]
        assert [loop.trapped for loop in two_pass.loops] == [loop.trapped for loop in one_pass.loops]
        def options(found):
            return sorted((scene, tuple((e.choice, tuple(sorted(e.scores.items()))) for e in edges)) for scene, edges in found.decision_points)

        assert options(two_pass) == options(one_pass)


def test_weighted_median_is_the_lower_median_of_the_written_out_values():
    from collections import Counter
    from statistics import median_low

    from leadgame.core.explore import _weighted_median

    for counts in (Counter({3: 1}), Counter({1: 2, 5: 2}), Counter({10: 3, 11: 1, 12: 5}), Counter({2: 7, 9: 1, 4: 4})):
        assert _weighted_median(counts) == median_low(sorted(counts.elements()))


def test_history_is_shared_not_copied_and_reads_as_a_tuple(mini):
    start = engine.start(mini)
    one, _ = engine.choose(start, "stark")
    two, _ = engine.choose(one, engine.available_choices(one)[0].id)
    assert start.history == () and not start.history and len(one.history) == 1  # earlier states unchanged
    assert two.history[:1] == one.history == (one.history[0],)
    assert two.history[-1] == two.history[1] and [s.scene for s in reversed(two.history)] == ["trust-board", "panel"]
    assert two.history[-2] is one.history[0]  # the same step, shared
    assert two.choice_log == ("stark", two.history[-1].choice)
    assert two.history == engine.History(tuple(two.history)) and hash(two.history) == hash(tuple(two.history))
    with pytest.raises(IndexError):
        two.history[2]


def test_a_long_run_keeps_every_step_in_order(tmp_path):
    """Thousands of steps round a loop (the benchmarks' worst loop), read back whole."""
    path = tmp_path / "loop.yaml"
    path.write_text(generate.loop_yaml(2, 50), encoding="utf-8")
    state = engine.start(load_scenario(path, {}))
    for index in range(5000):
        state, _ = engine.choose(state, "toggle0" if state.node == "hub" else "continue")
    assert len(state.history) == 5000 and state.history[-1].choice == "continue"
    assert [step.choice for step in state.history][:4] == ["toggle0", "continue", "toggle0", "continue"]
