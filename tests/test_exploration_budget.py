"""One exploration budget (states for memory, processor time for time) for everything that
explores a scenario: it ends in seconds with a located message naming the variables to bound."""

from __future__ import annotations

import re

import pytest

from leadgame import library
from leadgame.authoring.check import check_file
from leadgame.core.explore import Budget, ExplorationLimit, explore, state_space_problem, survey
from support import REPO, flags_scenario, run_cli


def test_running_out_names_the_scene_and_the_flags_that_multiply_it(tmp_path):
    scenario = library.load(flags_scenario(tmp_path, 14))
    with pytest.raises(ExplorationLimit) as limit:
        explore(scenario, Budget(states=3000))
    error = limit.value
    assert error.explored == 3001 and error.scene.startswith("r")
    assert error.line == scenario.scenes[error.scene].line
    named = [m.name for m in error.multipliers]
    assert named and all(name.startswith("f") and m.boolean for name, m in zip(named, error.multipliers))
    assert named == sorted(named, key=lambda n: int(n[1:])), "flags in their natural order"
    words = str(error)
    assert "3,000 states" in words and f"scene '{error.scene}'" in words and named[0] in words
    assert "set a flag back once it has been read" in words


def test_a_growing_number_is_named_with_its_range(tmp_path):
    scenario = library.load(flags_scenario(tmp_path, 14, growing=True))
    with pytest.raises(ExplorationLimit) as limit:
        explore(scenario, Budget(states=3000))
    (tally,) = limit.value.multipliers
    assert tally.name == "tally" and not tally.boolean and tally.values > 100 and tally.low == 0
    assert f"tally ({tally.values:,} values, 0 to {tally.high})" in str(limit.value)
    assert "add to it only `if:` it is below a cap" in str(limit.value)


def test_a_listed_text_variable_is_named_with_the_values_it_took(tmp_path):
    path = flags_scenario(tmp_path, 14)
    source = path.read_text(encoding="utf-8").replace("format: 1", "format: 2")
    source = source.replace("state:\n", "state:\n  mood: {start: calm, values: [calm, tense, wary]}\n", 1)
    source = source.replace("        set: {f12: true}\n", "        set: {f12: true, mood: tense}\n", 1)
    source = source.replace("        set: {f13: true}\n", "        set: {f13: true, mood: wary}\n", 1)
    source = source.replace("    text: Reckoning 13.", "    text: Reckoning 13, and the mood is {mood}.", 1)
    path.write_text(source, encoding="utf-8")
    with pytest.raises(ExplorationLimit) as limit:
        explore(library.load(path), Budget(states=3000))
    (mood,) = [m for m in limit.value.multipliers if m.name == "mood"]
    assert not mood.boolean and mood.words == ("calm", "tense", "wary") and mood.values == 3
    words = str(limit.value)
    assert "mood (3 values: calm, tense, wary)" in words and "set listed text back to one value" in words


def test_every_pass_of_one_task_shares_one_clock(tmp_path):
    scenario = library.load(flags_scenario(tmp_path, 14))
    with pytest.raises(ExplorationLimit, match="seconds of processor time"):
        survey(scenario, Budget(seconds=0.0))
    started = Budget(seconds=0.0).start()
    assert started.start() is started  # a second pass keeps the first one's deadline


@pytest.mark.slow
def test_shipped_scenarios_fit_the_budget():
    for path in sorted((REPO / "scenarios").glob("*.yaml")):
        if path.name != "constructs.yaml":
            assert state_space_problem(library.load(path)) is None, path.name


def test_check_on_twenty_two_flags_ends_with_a_located_message(tmp_path):
    path = flags_scenario(tmp_path, 22)
    result = run_cli("check", str(path), timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = [line for line in result.stdout.splitlines() if "C-TOO-MANY-STATES" in line]
    assert f"{path}:" in line and "exploring stopped after" in line and "22 true/false flags" in line
    assert set(re.findall(r"\bf\d+\b", line)) == {f"f{i}" for i in range(22)}, "every flag responsible, by name"
    report = check_file(path)
    assert report.errors[0].line > 1


def test_validate_warns_but_passes_when_the_state_is_likely_too_large(tmp_path):
    path = flags_scenario(tmp_path, 22, growing=True)
    result = run_cli("validate", str(path), timeout=120)
    assert result.returncode == 0, result.stdout
    assert "W-STATE-SPACE" in result.stdout and "likely too large to explore" in result.stdout
    assert "tally (" in result.stdout and "1 warning(s)" in result.stdout
