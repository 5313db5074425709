"""The checker's and validator's words, driven as an author would: one finding per loop,
operator hints, locations by id in one format, and a decision left with a single option."""

from __future__ import annotations

import shutil
import sys

from support import ENDING_TAIL, FIXTURES, REPO, run_cli, scenario_header

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402


def write(tmp_path, text: str, name: str = "s.yaml"):
    shutil.copy(FIXTURES / "scenarios" / "constructs.yaml", tmp_path)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_loop_met_in_thousands_of_states_is_one_finding(tmp_path):
    path = write(tmp_path, generate.loop_yaml(flags=6, bound=50), "loop.yaml")
    result = run_cli("check", str(path))
    loops = [line for line in result.stdout.splitlines() if "C-LOOP" in line]
    assert loops == [f"     {path}:23:5: C-LOOP the learner can go round hub -> corridor -> hub without end (there is a way out)"]
    assert "states" in result.stdout and int(result.stdout.split(" states,")[0].split()[-1]) > 5000


def test_loops_that_share_a_scene_are_one_loop_naming_every_scene(tmp_path):
    scenes = """\
scenes:
  - id: one
    title: One
    text: x
    facilitator: {notes: n, prompts: [p]}
    choices:
      - {id: left, label: Left, next: two}
      - {id: right, label: Right, next: three}
      - {id: out, label: Out, next: fin}
  - {id: two, title: Two, text: x, next: one}
  - {id: three, title: Three, text: x, next: one}
"""
    result = run_cli("check", str(write(tmp_path, scenario_header() + scenes + ENDING_TAIL)))
    loops = [line for line in result.stdout.splitlines() if "C-LOOP" in line]
    assert len(loops) == 1 and "one -> two -> one" in loops[0] and "also passes 'three'" in loops[0]


def test_operators_from_other_languages_get_a_hint_at_their_column(tmp_path):
    choice = "scenes:\n  - id: one\n    title: One\n    text: x\n    choices:\n      - id: a\n        label: A\n"
    for written, hint, column in (("trust => 2", "write `>=` for 'at least'", 20), ("trust = 2", "write `==` to compare", 20),
                                  ("trust > 1 && trust < 3", "write `and` instead of `&&`", 24),
                                  ("!(trust > 1)", "write `not` instead of `!`", 14)):
        path = write(tmp_path, scenario_header() + choice + f'        if: "{written}"\n        next: fin\n' + ENDING_TAIL)
        result = run_cli("validate", str(path))
        (line,) = [line for line in result.stdout.splitlines() if "E-EXPR" in line]
        assert f"s.yaml:23:{column}: E-EXPR [scene 'one', choice 'a', if] cannot parse condition: " in line and hint in line


def test_type_errors_in_conditions_are_reported_by_validate(tmp_path):
    header = scenario_header(1, "  trust: 0\n  defended: false\n")
    body = ("scenes:\n  - id: one\n    title: One\n    text: x\n    choices:\n      - id: a\n        label: A\n"
            '        if: "defended == 0"\n        set: {defended: true}\n        add: {trust: 1}\n        next: fin\n')
    result = run_cli("validate", str(write(tmp_path, header + body + ENDING_TAIL)))
    assert "E-EXPR-TYPE [scene 'one', choice 'a', if] `defended == 0` compares true/false with a number" in result.stdout


def test_keys_in_the_wrong_place_and_numbers_are_explained(tmp_path):
    body = ("scenes:\n  - id: one\n    title: One\n    text: x\n    if: trust > 1\n    choices:\n      - id: a\n        label: A\n"
            "        text: wrong\n        add: {trust: true}\n        next:\n          - {to: fin, chance: true}\n          - to: fin\n"
            "endings:\n  - id: fin\n    title: F\n    text: t\n    what_really_happened: w\n    next: one\n")
    result = run_cli("validate", str(write(tmp_path, scenario_header() + body)))
    out = result.stdout
    assert "[ending 'fin', next] an ending is where the story stops, so it has no `next`" in out
    assert "[scene 'one', if] a scene has no `if`: put the condition on the choices or routes" in out
    assert "[scene 'one', choice 'a', text] a choice has `consequence` (shown after it is chosen), not `text`" in out
    assert "[scene 'one', choice 'a', add, trust] `add` adds a whole number, not true/false" in out
    assert "[scene 'one', choice 'a', next, route 1, chance] expected a whole number from 1 to 99 (fix:" in out


def test_a_missing_catalogue_is_named_and_list_agrees_with_validate(tmp_path, monkeypatch, capsys):
    from leadgame import cli, locations

    folder = tmp_path / "lg"
    folder.mkdir()
    (folder / "demo.yaml").write_text((REPO / "tests" / "fixtures" / "scenarios" / "mini.yaml").read_text(), encoding="utf-8")
    monkeypatch.setenv(locations.SCENARIOS_ENV, str(folder))
    monkeypatch.setattr(locations, "builtin_scenarios_dir", lambda: tmp_path / "nowhere")
    monkeypatch.setenv("COLUMNS", "400")
    assert cli.main(["validate", str(folder / "demo.yaml")]) == 1
    validated = capsys.readouterr().out.splitlines()[0]
    assert validated.startswith(f"{folder / 'demo.yaml'}:1:1: E-CATALOGUE no construct catalogue (constructs.yaml)")
    assert str(folder) in validated and "nowhere" in validated
    assert cli.main(["list"]) == 0
    listed = capsys.readouterr().out
    assert f"skipped {folder / 'demo.yaml'}: 1 problem(s)" in listed and validated in listed
    assert cli.main(["check", str(folder / "demo.yaml")]) == 1
    assert f"     {validated}" in capsys.readouterr().out
    shutil.copy(FIXTURES / "scenarios" / "constructs.yaml", folder)
    assert cli.main(["validate", str(folder / "demo.yaml")]) == 0
