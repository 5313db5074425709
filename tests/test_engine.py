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


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert repr(two.history) == f"History({tuple(two.history)!r})" and repr(start.history) == "History(())"
    for past_the_end in (2, 3, -3):
        with pytest.raises(IndexError):
            two.history[past_the_end]
    three = play(mini, ["stark", "share-now", "continue"])
    assert [three.history[i].scene for i in range(3)] == ["panel", "trust-board", "interlude"]  # each place, not the last
    assert [three.history[i].scene for i in (-3, -2, -1)] == ["panel", "trust-board", "interlude"]
    other = play(mini, ["ambition", "share-now", "continue"])
    assert other.history != three.history and other.history != tuple(three.history)  # as long, but another path


def test_a_long_run_keeps_every_step_in_order(tmp_path):
    """Thousands of steps round a loop (the benchmarks' worst loop), read back whole."""
    path = tmp_path / "loop.yaml"
    path.write_text(generate.loop_yaml(2, 50), encoding="utf-8")
    state = engine.start(load_scenario(path, {}))
    for index in range(5000):
        state, _ = engine.choose(state, "toggle0" if state.node == "hub" else "continue")
    assert len(state.history) == 5000 and state.history[-1].choice == "continue"
    assert [step.choice for step in state.history][:4] == ["toggle0", "continue", "toggle0", "continue"]


def test_a_long_game_leaves_little_for_the_garbage_collector_to_walk(tmp_path):
    """A step at step 10,000 should cost what one at step 10 does: the cyclic collector walks
    every object that can hold others on each full pass, so neither the loaded scenario (frozen
    out of its passes) nor the steps a game keeps may add many. A step keeps its story state as a
    plain dict of plain values (untracked), handed out read-only."""
    import gc

    from leadgame import library

    path = generate.write(tmp_path, 300)
    library.load(path)
    scenario = library.load(path)  # from its compiled form, as every run after the first; frozen
    gc.collect()
    before = len(gc.get_objects())
    state = engine.start(scenario, 0)
    while not state.finished:
        state, _ = engine.choose(state, engine.available_choices(state)[0].id)
    gc.collect()
    steps = len(state.history)
    assert steps >= 100
    assert len(gc.get_objects()) - before <= 2 * steps + 20  # a step and its link; nothing added to the scenario
    step = state.history[-1]
    assert step.variables == state.variables and not gc.is_tracked(step.values)
    with pytest.raises(TypeError):
        step.variables["flag"] = True  # read-only


# --- where routes lead, what the learner is shown, and replays that no longer fit -------------


@pytest.fixture(scope="module")
def routes():
    from support import FIXTURES, FIXTURE_SCENARIOS
    from leadgame.core.loader import load_constructs, load_scenario

    return load_scenario(FIXTURES / "routes" / "routes.yaml", load_constructs(FIXTURE_SCENARIOS / "constructs.yaml"))


def test_conditional_routes_lead_where_their_conditions_say(routes):
    """`2 <= trust` (a variable on the right) holds after `push`, not after `wait`; the route
    before it (`trust >= 5`) never holds, so it is passed over, not the end of the search."""
    start = engine.start(routes, 0)
    pushed, outcome = engine.choose(start, "push")
    assert (pushed.node, dict(pushed.variables)) == ("trusted", {"trust": 3, "ready": True})  # 1 + 5, kept at most 3
    assert outcome.consequence == "Trust rises to 3." and pushed.text == "Trusted, at 3.\n"
    waited, outcome = engine.choose(start, "wait")
    assert (waited.node, dict(waited.variables)) == ("doubted", {"trust": 0, "ready": False})  # 1 - 5, kept at least 0
    assert outcome.consequence == "Trust falls to 0."
    assert (outcome.scene.id, outcome.choice.id, outcome.destination) == ("one", "wait", "doubted")
    assert (waited.history[-1].scene, waited.history[-1].choice, waited.history[-1].destination) == ("one", "wait", "doubted")
    push = routes.scenes["one"].choices[1]
    assert engine.apply_effects({"ready": False}, push) == {"ready": True}  # a variable exploration dropped stays dropped
    ending = engine.choose(pushed, "continue")[0]
    assert ending.node == "good" and ending.finished and ending.ending.title == "Good" and ending.text == "Good, at 3."
    assert engine.choose(waited, "continue")[0].node == "bad"  # no ending condition holds: the last one
    assert engine.available_choices(ending) == () and engine.ordered_choices(ending) == ()


# Rolls for `gamble`'s `chance: 33` with seeds 0-11 are 78 79 63 45 32 33 92 25 92 53 79 49
# (of 0-99): only seeds 4 and 7 roll under 33; seed 5 rolls exactly 33, which fails.
def test_chance_rolls_are_pinned_to_the_seed_and_a_roll_equal_to_the_chance_fails(routes):
    taken = {}
    for seed in range(12):
        state = engine.choose(engine.start(routes, seed), "gamble")[0]
        taken[seed] = (state.node, state.variables["trust"])
    assert {seed for seed, (node, _) in taken.items() if node == "trusted"} == {4, 7}
    assert taken[4] == ("trusted", 2) and taken[7] == ("trusted", 2)  # the route's own `add` applied
    assert all(taken[seed] == ("steady", 1) for seed in taken if seed not in (4, 7))  # the next route, not the last


def test_a_later_roll_depends_on_the_step_and_scene(mini):
    """The interlude's `chance: 50` is rolled at the third step: the pinned outcomes per seed."""
    reached = [play(mini, ["stark", "share-now", "continue"], seed).node for seed in range(10)]
    assert reached == ["commander-moves", "conflict", "commander-moves", "commander-moves", "commander-moves",
                       "commander-moves", "conflict", "conflict", "commander-moves", "conflict"]


def test_possible_moves_list_every_way_a_roll_could_go(routes):
    gamble = routes.scenes["one"].choices[2].routes
    start = dict(routes.initial_state)
    assert [(to, dict(v)) for to, v in engine.possible_moves(routes, gamble, start)] == [
        ("trusted", {"trust": 2, "ready": False}), ("steady", {"trust": 1, "ready": False})]
    ready = {**start, "ready": True}
    assert [to for to, _ in engine.possible_moves(routes, gamble, ready)] == ["trusted", "doubted"]
    to_end = routes.scenes["trusted"].choices[0].routes
    assert [to for to, _ in engine.possible_moves(routes, to_end, ready)] == ["good"]
    assert [to for to, _ in engine.possible_moves(routes, to_end, ready, pick_ending=False)] == ["end"]
    steady = routes.scenes["steady"].choices[0].routes  # to `end`, adding 1 on the way
    assert [(to, dict(v)) for to, v in engine.possible_moves(routes, steady, start, pick_ending=False)] == [
        ("end", {"trust": 2, "ready": False})]


def test_the_display_order_is_pinned_to_the_seed_unless_the_scene_fixes_it(routes, mini):
    orders = [tuple(c.id for c in engine.ordered_choices(engine.start(routes, seed))) for seed in range(4)]
    assert orders == [("wait", "gamble", "push"), ("gamble", "wait", "push"), ("push", "gamble", "wait"),
                      ("wait", "push", "gamble")]
    from dataclasses import replace

    fixed = replace(routes, scenes={**routes.scenes, "one": replace(routes.scenes["one"], order_fixed=True)})
    assert [c.id for c in engine.ordered_choices(engine.start(fixed, 2))] == ["wait", "push", "gamble"]
    one = engine.start(mini, 0)
    assert [c.id for c in engine.ordered_choices(one)] == ["ambition", "stark"]
    assert engine.in_display_order(mini.scenes["panel"], 0, mini.scenes["panel"].choices[:1])[0].id == "stark"


def test_an_author_can_start_at_any_scene_with_other_values(routes):
    state = engine.start(routes, 5, at="trusted", variables={"trust": 3})
    assert state.node == "trusted" and dict(state.variables) == {"trust": 3, "ready": False} and state.seed == 5
    assert engine.start(routes, at="good").finished and engine.start(routes).seed == 0  # seed 0 unless given
    with pytest.raises(engine.InvalidChoice, match="there is no scene or ending 'nowhere'"):
        engine.start(routes, at="nowhere")
    with pytest.raises(engine.InvalidChoice, match="'stay' is not available in scene 'one'"):
        engine.choose(engine.start(routes), "stay")


def test_replay_past_the_ending_keeps_the_story_and_names_the_dropped_steps(mini):
    full = ["ambition", "share-now", "continue", "continue", "cede"]
    result = engine.replay(mini, 0, full + ["escalate", "cede"])
    assert result.applied == 5 and result.state.node == "model-agreed"
    assert result.problem == "the story ended after 3 decisions; 2 later steps were dropped"


def test_replay_over_a_deleted_scene_stops_before_it(mini):
    from dataclasses import replace

    without = replace(mini, scenes={k: v for k, v in mini.scenes.items() if k != "interlude"})
    result = engine.replay(without, 0, ["stark", "share-now", "continue"])
    assert result.applied == 2 and result.state.node == "interlude"
    assert result.problem == "scene 'interlude' no longer exists"
    moved = engine.replay(mini, 5, ["stark"], at="gone")
    assert (moved.applied, moved.state.node, moved.problem) == (0, "panel", "the starting scene 'gone' no longer exists")
    assert moved.state.seed == 5  # the game's own seed, from the story's start


def test_replay_names_the_decision_or_the_way_on_that_is_no_longer_offered(mini):
    decision = engine.replay(mini, 0, ["stark", "vanished"])
    assert decision.problem == "decision 2 ('vanished') is no longer offered in 'The Children's Trust Board'; you continue from there"
    passage = engine.replay(mini, 0, ["stark", "share-now", "onwards"])
    assert passage.problem == "the way on ('onwards') is no longer offered in 'Winter'; you continue from there"
    assert engine.decisions_made(passage.state) == 2 and passage.applied == 2


def test_a_script_continues_through_passages_and_names_the_line_that_does_not_fit(mini):
    start = engine.start(mini, 0)  # seed 0: the commander moves on, a second passage
    log = engine.follow_script(start, [(1, "stark"), (2, "share-now"), (4, "cede")])
    assert log == [("stark", False), ("share-now", False), ("continue", True), ("continue", True), ("cede", False)]
    with pytest.raises(engine.ScriptError) as error:
        engine.follow_script(start, [(1, "stark"), (3, "confront")])
    assert error.value.line == 3
    assert str(error.value) == ("'confront' is not offered in scene 'trust-board' (The Children's Trust Board); "
                                "offered here: share-now, share-later")
    with pytest.raises(engine.ScriptError) as error:
        engine.follow_script(start, [(1, "stark"), (2, "share-now"), (4, "cede"), (7, "cede")])
    assert error.value.line == 7 and str(error.value) == "'cede': the story has already ended (at 'work-in-progress')"


def test_the_profile_numbers_decisions_as_the_learner_counts_them_and_sorts_ties_by_name(mini):
    state = play(mini, ["stark", "share-now", "continue", "continue", "cede"])  # seed 0: two passages
    scores = {s.construct.id: s for s in profile(state)}
    courage = scores["courage_conflict"]
    assert [(e.step, e.decision, e.scene_title, e.choice_label) for e in courage.evidence] == [
        (1, 1, "The scrutiny panel", "Paint the perfect storm in stark terms"), (5, 3, "The pooled budget", "Back off")]
    assert courage.evidence[1].rationale == "Ceding ground lets the work go on by another route." and courage.evidence[1].ref == "2.5"
    ordered = [(s.position, s.construct.name) for s in profile(state)]
    tested = [item for item in ordered if item[0] is not None]
    assert tested == sorted(tested, key=lambda item: (-item[0], item[1])) and ordered[len(tested):] == [
        item for item in ordered if item[0] is None]
    assert [name for position, name in tested if position == 1.0] == sorted(name for position, name in tested if position == 1.0)


def test_one_number_for_a_profile_is_the_mean_of_the_tested_positions(mini):
    from leadgame.core.scoring import mean_position

    scores = profile(play(mini, ["ambition", "share-later"]))
    positions = [s.position for s in scores if s.position is not None]
    assert mean_position(scores) == pytest.approx(sum(positions) / len(positions)) and len(positions) < len(scores)
    assert mean_position(profile(engine.start(mini))) is None


def test_spreads_carried_between_calls_give_the_same_profile(mini):
    from leadgame.core.scoring import profile_of

    state = play(mini, ["stark", "share-now", "continue", "continue", "cede"])
    spreads = {}
    first = profile_of(mini, state.history, spreads)
    assert ("panel", ("stark", "ambition")) in spreads and spreads[("panel", ("stark", "ambition"))]["trust_relationships"] == (-2, 2)
    assert profile_of(mini, state.history, spreads) == first == profile(state)


def test_a_step_recorded_without_its_options_places_nothing(mini):
    from dataclasses import replace

    from leadgame.core.scoring import profile_of

    state = play(mini, ["stark"])
    (step,) = state.history
    scores = {s.construct.id: s for s in profile_of(mini, (replace(step, offered=()),))}
    assert scores["burning_platform"].position is None and scores["burning_platform"].total == 2
    assert [e.place for e in scores["burning_platform"].evidence] == [None]


def test_an_option_that_does_nothing_for_a_construct_counts_zero_for_it(mini):
    burning = {s.construct.id: s for s in profile(play(mini, ["stark", "share-later"]))}["burning_platform"]
    # share-later scores no burning platform; share-now, on offer beside it, scores +1
    assert [(e.delta, e.place) for e in burning.evidence] == [(2, 1.0), (0, 0.0)] and burning.total == 2


def test_an_option_place_counts_an_unscored_construct_as_zero_among_the_others(mini):
    """At the pooled budget, confront -2 and escalate -1 for trust, cede nothing (0): escalate sits halfway."""
    state = play(mini, ["ambition", "share-later", "continue", "escalate"], seed=1)
    assert state.history[-1].offered == ("confront", "cede", "escalate")
    trust = {s.construct.id: s for s in profile(state)}["trust_relationships"]
    assert trust.evidence[-1].place == 0.5
