"""The real leaders' path as the engine plays it, and the typical length of a game (the header's
"Decision 5 of about 15"), measured repeatably and cached per version of a scenario."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import replace

import pytest

from leadgame.core import engine, pace
from leadgame.core.real import real_path
from support import scenario_header


def test_the_real_path_follows_the_marked_options_with_the_games_seed(mini):
    path = real_path(mini)
    assert path.complete and path.stopped == "" and path.state.seed == 0
    assert path.state.choice_log == ("ambition", "share-later", "continue", "continue", "cede")  # seed 0: the commander moves
    other = real_path(mini, 1)
    assert other.state.seed == 1 and other.state.choice_log == ("ambition", "share-later", "continue", "cede")
    assert other.state.node == "work-in-progress"


def test_a_real_path_with_no_marked_option_stops_and_says_where(mini):
    board = mini.scenes["trust-board"]
    unmarked = replace(mini, scenes={**mini.scenes, "trust-board": replace(board, choices=tuple(
        replace(choice, real="") for choice in board.choices))})
    path = real_path(unmarked)
    assert not path.complete and path.state.node == "trust-board" and path.state.choice_log == ("ambition",)
    assert path.stopped == "scene 'trust-board' has no option marked `real:` that is available on this path"


def test_a_real_path_that_never_ends_is_stopped(mini, monkeypatch):
    conflict = mini.scenes["conflict"]
    cede = conflict.choices[1]
    looping = replace(mini, scenes={**mini.scenes, "conflict": replace(conflict, choices=(
        conflict.choices[0], replace(cede, routes=(replace(cede.routes[0], to="panel"),)), conflict.choices[2]))})
    monkeypatch.setattr("leadgame.core.real.MAX_STEPS", 12)
    path = real_path(looping)
    assert path.stopped == "the real path runs past 12 steps without ending"
    assert len(path.state.history) == 12 and not path.complete


# `roll`: one decision, then a chance of 70 of a second one.
ROLL = scenario_header() + """scenes:
  - id: one
    title: One
    text: One.
    choices:
      - id: a
        label: A
        next:
          - chance: 70
            to: two
          - to: end
      - id: b
        label: B
        next:
          - chance: 70
            to: two
          - to: end
  - id: two
    title: Two
    text: Two.
    choices:
      - id: c
        label: C
        next: end
      - id: d
        label: D
        next: end
endings:
  - id: fin
    title: F
    text: t
    what_really_happened: w
"""


@pytest.fixture(scope="module")
def roll(tmp_path_factory, catalogue):
    from leadgame.core.loader import load_scenario

    path = tmp_path_factory.mktemp("roll") / "roll.yaml"
    path.write_text(ROLL, encoding="utf-8")
    return load_scenario(path, catalogue)


def test_random_playthroughs_each_get_their_own_seed(roll):
    rng = random.Random("seeds")
    states = [pace.random_play(roll, rng) for _ in range(100)]
    assert len({state.seed for state in states}) == 100 and all(0 <= state.seed < 2**31 for state in states)
    lengths = {engine.decisions_made(state) for state in states}
    assert lengths == {1, 2}  # the chance of a second decision went both ways


def test_the_typical_length_is_repeatable(roll):
    figures = {pace.typical_decisions(roll, runs=1) for _ in range(12)}
    assert len(figures) == 1  # one seeded playthrough: always the same one
    assert pace.typical_decisions(roll) == 2  # 70 in 100 games have the second decision


def test_the_cache_is_kept_per_version_and_trimmed_to_the_newest(roll, tmp_path, monkeypatch):
    folder = tmp_path / "deep" / "cache"  # made, with the folders above it, when first written
    assert pace.cached_typical_decisions(roll, None) == 2 and not folder.exists()  # None: nothing kept
    old = {f"hash{number}": 5 for number in range(250)}
    folder.mkdir(parents=True)
    (folder / pace.CACHE_FILE).write_text(json.dumps(old))
    assert pace.cached_typical_decisions(roll, folder) == 2
    kept = json.loads((folder / pace.CACHE_FILE).read_text())
    assert list(kept) == [f"hash{number}" for number in range(51, 250)] + [roll.content_hash]  # 200 versions, the newest
    assert kept[roll.content_hash] == 2
    shutil.rmtree(tmp_path / "deep")
    assert pace.cached_typical_decisions(roll, folder) == 2 and json.loads((folder / pace.CACHE_FILE).read_text()) == {
        roll.content_hash: 2}


@pytest.mark.parametrize("cached, figure", [(1, 1), (0, 2), (-3, 2), (True, 2), ("9", 2), (None, 2)])
def test_only_a_whole_positive_cached_figure_is_trusted(roll, tmp_path, cached, figure):
    (tmp_path / pace.CACHE_FILE).write_text(json.dumps({roll.content_hash: cached}))
    assert pace.cached_typical_decisions(roll, tmp_path) == figure


def test_a_cache_that_is_not_a_mapping_is_measured_again_and_replaced(roll, tmp_path):
    (tmp_path / pace.CACHE_FILE).write_text("[1, 2]")
    assert pace.cached_typical_decisions(roll, tmp_path) == 2
    assert json.loads((tmp_path / pace.CACHE_FILE).read_text()) == {roll.content_hash: 2}
