"""The loader: located errors for every kind of problem, all reported at once."""

from __future__ import annotations

import textwrap

import pytest

from leadgame.core.loader import load_scenario
from leadgame.core.problems import ScenarioError
from support import ENDING_TAIL, scenario_header

HEADER = scenario_header()
TAIL = ENDING_TAIL
SCENE = """\
scenes:
  - id: one
    title: One
    text: x
    choices:
      - id: a
        label: A
        next: fin
"""


def problems_for(tmp_path, text, catalogue):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8") if isinstance(text, str) else path.write_bytes(text)
    with pytest.raises(ScenarioError) as error:
        load_scenario(path, catalogue)
    return error.value.problems


def located(problems):
    """(line, column, code, key) for each problem, for exact assertions."""
    return [(p.line, p.column, p.code, p.key) for p in problems]


def test_the_fixture_loads(mini):
    assert mini.id == "mini-pilot"
    assert mini.start == "panel"
    assert mini.scenes["interlude"].is_passage
    assert mini.scenes["panel"].choices[0].scores == {"burning_platform": 2, "trust_relationships": -2, "courage_conflict": 1}
    assert mini.scenes["panel"].choices[1].real == "2.5" and mini.scenes["panel"].real_choice.id == "ambition"
    assert mini.endings["model-agreed"].outcome == "strongest" and mini.endings["work-in-progress"].real == "2.5"
    assert len(mini.content_hash) == 64


def test_unknown_key_is_located(tmp_path, catalogue):
    text = HEADER + SCENE.replace("    text: x\n", "    text: x\n    titel: oops\n") + TAIL
    (problem,) = problems_for(tmp_path, text, catalogue)
    assert located([problem]) == [(20, 5, "E-KEY-UNKNOWN", "scene 'one', titel")]
    assert problem.message == "unknown key 'titel'; did you mean 'title'?"


def test_wrong_type_is_located(tmp_path, catalogue):
    text = HEADER.replace("minutes: 5", "minutes: [5]") + SCENE + TAIL
    assert located(problems_for(tmp_path, text, catalogue)) == [(8, 10, "E-TYPE", "minutes")]


def test_dangling_scene_reference_is_located(tmp_path, catalogue):
    text = HEADER + SCENE.replace("next: fin", "next: nowhere") + TAIL
    assert located(problems_for(tmp_path, text, catalogue)) == [(23, 15, "E-REF-SCENE", "scene 'one', choice 'a', next")]


def test_dangling_construct_and_variable_references(tmp_path, catalogue):
    choice = "        if: \"trust > 1 and ghost\"\n        scores: {bravery: 1}\n        rationale: r\n        ref: '2.5'\n"
    text = HEADER + SCENE.replace("        next: fin\n", choice + "        next: fin\n") + TAIL
    found = located(problems_for(tmp_path, text, catalogue))
    assert (24, 18, "E-KEY-UNKNOWN", "scene 'one', choice 'a', scores, bravery") in found
    assert (23, 13, "E-REF-VAR", "scene 'one', choice 'a', if") in found


def test_duplicate_ids_are_located(tmp_path, catalogue):
    text = HEADER + SCENE + TAIL.replace("id: fin", "id: one")
    found = located(problems_for(tmp_path, text, catalogue))
    assert (25, 9, "E-ID-DUPLICATE", "ending 'one', id") in found
    (duplicate,) = [p for p in problems_for(tmp_path, text, catalogue) if p.code == "E-ID-DUPLICATE"]
    assert duplicate.message.startswith("id 'one' is already used by the scene at line 17")


def test_an_id_ends_where_its_letters_do(tmp_path, catalogue):
    """A quoted id with a line break after it is not an id (a pattern's `$` would allow it)."""
    text = HEADER.replace("id: t", 'id: "t\\n"', 1) + SCENE.replace("id: a", 'id: "a\\n"', 1) + TAIL
    found = located(problems_for(tmp_path, text, catalogue))
    assert [(code, where) for _, _, code, where in found] == [("E-VALUE", "id"), ("E-VALUE", "scene 'one', choice 'a\n', id")]


def test_missing_start_is_located(tmp_path, catalogue):
    text = HEADER.replace("start: one", "start: two") + SCENE + TAIL
    assert located(problems_for(tmp_path, text, catalogue)) == [(15, 8, "E-REF-SCENE", "start")]


def test_missing_required_key_is_located(tmp_path, catalogue):
    text = HEADER.replace("role: r\n", "") + SCENE + TAIL
    assert located(problems_for(tmp_path, text, catalogue)) == [(1, 1, "E-KEY-MISSING", "role")]


def test_duplicate_yaml_key_is_located(tmp_path, catalogue):
    text = HEADER.replace("title: T\n", "title: T\ntitle: U\n") + SCENE + TAIL
    assert located(problems_for(tmp_path, text, catalogue)) == [(4, 1, "E-YAML-DUPKEY", "title")]


def test_syntax_error_is_located(tmp_path, catalogue):
    text = HEADER + SCENE + "endings: [unclosed\n"
    (problem,) = problems_for(tmp_path, text, catalogue)
    assert (problem.line, problem.column, problem.code) == (25, 1, "E-YAML-SYNTAX")  # where the list is left open
    assert "did not find expected ',' or ']'" in problem.message


def test_python_tags_are_refused_without_running_anything(tmp_path, catalogue):
    text = HEADER.replace("title: T", "title: !!python/object/apply:os.system ['touch pwned']") + SCENE + TAIL
    found = located(problems_for(tmp_path, text, catalogue))
    assert found == [(3, 8, "E-YAML-TAG", "title")]
    assert not (tmp_path / "pwned").exists()


def test_several_documents_are_refused(tmp_path, catalogue):
    (problem,) = problems_for(tmp_path, HEADER + SCENE + TAIL + "---\nid: two\n", catalogue)
    assert problem.code == "E-YAML-DOCS" and problem.line == 29


def test_invalid_utf8_and_empty_files(tmp_path, catalogue):
    (problem,) = problems_for(tmp_path, b"format: 1\nid: \xff\xfe\n", catalogue)
    assert (problem.line, problem.column, problem.code) == (2, 5, "E-ENCODING")
    (problem,) = problems_for(tmp_path, "  \n", catalogue)
    assert problem.code == "E-EMPTY"


def test_route_without_fallback_and_bad_expression(tmp_path, catalogue):
    scene = SCENE.replace("        next: fin\n", "        next:\n          - if: trust >\n            to: fin\n")
    found = located(problems_for(tmp_path, HEADER + scene + TAIL, catalogue))
    codes = {code for _, _, code, _ in found}
    assert codes == {"E-EXPR", "E-ROUTE-FALLBACK"}


def test_every_problem_is_reported_at_once(tmp_path, catalogue):
    text = HEADER.replace("minutes: 5", "minutes: lots").replace("start: one", "start: two") + SCENE.replace("next: fin", "next: gone") + TAIL
    codes = sorted(p.code for p in problems_for(tmp_path, text, catalogue))
    assert codes == ["E-REF-SCENE", "E-REF-SCENE", "E-TYPE"]


def test_terminal_escapes_in_text_are_refused(tmp_path, catalogue):
    text = HEADER.replace("title: T", 'title: "\\e[2J gotcha"') + SCENE + TAIL
    assert located(problems_for(tmp_path, text, catalogue)) == [(3, 8, "E-TEXT-CONTROL", "title")]


def test_problem_text_names_file_code_key_and_hint(tmp_path, catalogue):
    text = HEADER + SCENE.replace("next: fin", "next: nowhere") + TAIL
    (problem,) = problems_for(tmp_path, text, catalogue)
    rendered = str(problem)
    assert rendered.startswith(f"{tmp_path / 'broken.yaml'}:23:15: E-REF-SCENE [scene 'one', choice 'a', next]")
    assert rendered.endswith("'nowhere' is not a scene or ending id (fix: point to an existing scene or ending id, or `end`)")


def test_alias_bomb_is_bounded(tmp_path, catalogue):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
    text = HEADER.replace("learning_objectives: [a]", "learning_objectives: *i") + SCENE + TAIL
    found = problems_for(tmp_path, bomb.replace("a: &a", "x_a: &a") + text, catalogue)
    # one finding per unknown key and per item of the nine-item list: nothing is expanded 9^9 times
    assert sorted(p.code for p in found) == ["E-KEY-UNKNOWN"] * 9 + ["E-TYPE"] * 9


def test_every_error_code_is_documented_for_authors():
    from support import REPO
    from leadgame.core.problems import HINTS

    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert [code for code in HINTS if f"`{code}`" not in guide] == []
