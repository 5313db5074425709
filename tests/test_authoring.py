"""The authoring toolkit, driven by subprocess as an author would: new, check, graph, schema,
random playthroughs and starting mid-story."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from support import FIXTURES, FOLLOWS, MINI, REPO, run_cli

DEFECTS = FIXTURES / "defects" / "defects.yaml"


def test_new_scaffolds_a_valid_clean_playable_scenario(tmp_path):
    result = run_cli("new", "my-case", "--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    path = tmp_path / "my-case.yaml"
    text = path.read_text()
    assert "id: my-case" in text and text.count("#") > 20  # commented throughout
    for feature in ("if:", "scores:", "set:", "add:", "chance:", "continue_label:", "next: end", "facilitator:",
                    "what_really_happened:", "format: 2", "source:", "min:", "{data_shared:"):
        assert feature in text
    # comments stay in one column whatever the id's length
    comment_column = text.splitlines()[5].index("#")
    assert text.splitlines()[5].startswith("id: my-case ") and text.splitlines()[4].index("#") == comment_column
    assert run_cli("validate", str(path)).returncode == 0
    checked = run_cli("check", str(path))
    assert checked.returncode == 0 and "0 errors" in checked.stdout and "0 warnings" in checked.stdout
    played = run_cli("play", str(path), "--plain", input="1\n1\n\n\n2\nfine\n")
    assert played.returncode == 0 and "What really happened" in played.stdout


def test_new_example_gives_the_tutorials_scenario_finished(tmp_path):
    result = run_cli("new", "--example", "--dir", str(tmp_path))
    assert result.returncode == 0 and "tutorial" in result.stdout
    path = tmp_path / "cafe-pilot.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Step 1." in text and "Step 6." in text and "kind: fiction" in text
    checked = run_cli("check", str(path))
    assert checked.returncode == 0 and " 0 errors" in checked.stdout and " 0 warnings" in checked.stdout
    played = run_cli("play", str(path), "--plain", "--no-save", input="cafe\n\nshare\n\n")
    assert "People have started calling it your café." in played.stdout and "Ending: The café stays" in played.stdout
    renamed = run_cli("new", "my-copy", "--example", "--dir", str(tmp_path))
    assert renamed.returncode == 0 and "id: my-copy" in (tmp_path / "my-copy.yaml").read_text(encoding="utf-8")
    tutorial = (REPO / "docs" / "tutorial.md").read_text(encoding="utf-8")
    for step in range(1, 9):
        assert f"## Step {step}." in tutorial
    assert run_cli("new").returncode == 2


def test_new_refuses_to_overwrite_and_rejects_bad_ids(tmp_path):
    path = tmp_path / "taken.yaml"
    path.write_text("mine")
    result = run_cli("new", "taken", "--dir", str(tmp_path))
    assert result.returncode == 2 and "already exists" in result.stderr
    assert path.read_text() == "mine"
    bad = run_cli("new", "../Escape", "--dir", str(tmp_path))
    assert bad.returncode == 2 and "not a valid scenario id" in bad.stderr


EXPECTED_FINDINGS = [  # (line, column, code): a scene or ending at column 5, a choice at 9, a variable at 3
    (84, 5, "C-LOOP-TRAPPED"),
    (92, 5, "C-DEAD-END"),
    (100, 5, "C-UNREACHABLE-SCENE"),
    (127, 5, "C-UNREACHABLE-ENDING"),
    (127, 5, "C-NO-REAL-OUTCOME"),
    (50, 9, "C-NO-DEBRIEF-TEXT"),
    (18, 3, "C-VAR-UNUSED"),
    (1, 1, "C-NO-STRONGEST"),
    (1, 1, "C-NO-REAL-PATH"),
    (127, 5, "C-NO-OUTCOME"),
    (29, 9, "C-DOMINANT"),
    (29, 9, "C-VAR-UNREAD"),
    (42, 5, "C-LONG-SCENE"),
    (42, 5, "C-NO-FACILITATOR"),
    (46, 9, "C-NEVER-TRUE"),
    (46, 9, "C-UNREACHABLE-CHOICE"),
    (46, 9, "C-VAR-UNSET"),
    (50, 9, "C-ALWAYS-TRUE"),
    (50, 9, "C-ONE-WAY"),
    (63, 5, "C-LOOP"),
    (65, 37, "C-TEXT-NEVER"),
    (69, 29, "C-TEXT-ALWAYS"),
    (112, 5, "C-ONE-OPTION"),
]


def test_check_finds_every_seeded_defect_with_its_location():
    result = run_cli("check", str(DEFECTS))
    assert result.returncode == 1
    for line, column, code in EXPECTED_FINDINGS:
        assert f"defects.yaml:{line}:{column}: {code} " in result.stdout, code
    assert "C-CONSTRUCT-UNSCORED" in result.stdout and "never_scored" in result.stdout
    assert "4 errors" in result.stdout


def test_check_reports_nothing_for_a_clean_scenario():
    result = run_cli("check", str(MINI))
    assert result.returncode == 0
    assert "0 errors" in result.stdout and "0 warnings" in result.stdout
    assert "decisions per playthrough: min 3, median 3, max 3" in result.stdout


def test_check_json_has_the_documented_keys():
    result = run_cli("check", str(MINI), str(DEFECTS), "--json")
    assert result.returncode == 1
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["scenario"] for o in objects] == ["mini-pilot", "defects"]
    keys = {"scenario", "scenes", "reachable_scenes", "endings", "reachable_endings", "dead_ends", "unreachable",
            "decisions_per_playthrough", "construct_ranges", "dominated_choices", "errors", "warnings", "words"}
    for data in objects:
        assert keys <= set(data)
    mini, defects = objects
    assert mini["decisions_per_playthrough"] == {"min": 3, "median": 3, "max": 3}
    assert mini["errors"] == [] and mini["warnings"] == [] and mini["reachable_endings"] == 2
    assert mini["construct_ranges"]["trust_relationships"] == [-5, 3]
    assert defects["dead_ends"] == ["dead"] and set(defects["unreachable"]) == {"orphan", "orphan-ending"}
    # ranges count only playthroughs that reach an ending: not the dead end, not the trap
    assert defects["construct_ranges"]["courage_conflict"] == [1, 1]
    assert defects["dominated_choices"] == [{"scene": "start", "choice": "greedy", "over": ["worse"]}]
    assert {"line": 92, "column": 5, "code": "C-DEAD-END"} == {k: defects["errors"][1][k] for k in ("line", "column", "code")}


def test_check_of_a_broken_file_gives_located_load_errors(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINI.read_text().replace("start: panel", "start: lobby"))
    result = run_cli("check", str(broken))
    assert result.returncode == 1 and "E-REF-SCENE" in result.stdout and "Traceback" not in result.stderr
    # the very line `leadgame validate` prints for the same problem
    validated = run_cli("validate", str(broken)).stdout.splitlines()[0]
    assert validated.startswith(f"{broken}:") and ":8: E-REF-SCENE [start]" in validated
    assert f"     {validated}\n" in result.stdout


def test_random_playthroughs_are_repeatable_from_their_seed():
    first = run_cli("check", str(MINI), "--random", "300", "--seed", "7", "--json")
    again = run_cli("check", str(MINI), "--random", "300", "--seed", "7", "--json")
    other = run_cli("check", str(MINI), "--random", "300", "--seed", "8", "--json")
    assert first.stdout == again.stdout
    report = json.loads(first.stdout)["random"]
    assert report["runs"] == 300 and report["scene_hits"]["panel"] == 300
    assert sum(report["ending_shares"].values()) == pytest.approx(1.0)
    assert 0 < report["scene_hits"]["commander-moves"] < 300  # the 50% chance route fires sometimes
    assert report["choice_hits"]["panel/stark"] + report["choice_hits"]["panel/ambition"] == 300
    assert set(report["constructs"]) == {"authorising_environment", "burning_platform", "ceding_power",
                                         "courage_conflict", "information_sharing", "trust_relationships"}
    assert json.loads(other.stdout)["random"] != report
    text = run_cli("check", str(MINI), "--random", "50")
    assert "50 random playthroughs" in text.stdout and "endings:" in text.stdout


def test_graph_in_mermaid_and_dot():
    mermaid = run_cli("graph", str(MINI)).stdout
    assert mermaid.startswith("flowchart TD")
    for node in ("n_panel[", "n_interlude(", "n_model_agreed([\"END:", "n_work_in_progress([\"END:"):
        assert node in mermaid
    assert 'n_panel -->|"Paint the perfect storm in stark terms"| n_trust_board' in mermaid
    assert "n_interlude -.->|\"chance 50%\"| n_commander_moves" in mermaid
    # an option only some learners are offered is drawn apart, not like an ordinary link
    assert 'n_conflict -.->|"Confront them [if trust #gt;= 1]"| n_work_in_progress' in mermaid
    dot = run_cli("graph", str(MINI), "--format", "dot").stdout
    assert dot.startswith('digraph "mini-pilot" {') and dot.rstrip().endswith("}")
    assert '"conflict" -> "model-agreed"' in dot and "doubleoctagon" in dot
    assert '"interlude" -> "commander-moves" [label="chance 50%", style=dotted];' in dot
    assert '"conflict" -> "work-in-progress" [label="Confront them [if trust >= 1]", style=dashed];' in dot
    assert '"panel" -> "trust-board" [label="Paint the perfect storm in stark terms"];' in dot
    assert run_cli("graph", "atlantis").returncode == 2


def test_schema_accepts_every_shipped_scenario_and_rejects_typos():
    result = run_cli("schema")
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = [MINI, FOLLOWS, REPO / "src" / "leadgame" / "authoring" / "example.yaml",
             *sorted(p for p in (REPO / "scenarios").glob("*.yaml") if p.name != "constructs.yaml")]
    for path in files:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert errors == [], (path, errors[:1])
    typo = yaml.safe_load(MINI.read_text())
    typo["scenes"][0]["titel"] = "oops"
    typo["scenes"][0]["choices"][0]["scores"]["bravery"] = 1
    messages = " ".join(e.message for e in validator.iter_errors(typo))
    assert "titel" in messages and "bravery" in messages


def test_play_from_a_scene_and_resume_from_there(isolated_saves):
    result = run_cli("play", str(MINI), "--plain", "--from", "conflict", "--save", "branch", input="")
    assert "The pooled budget" in result.stdout and "The scrutiny panel" not in result.stdout
    save = json.loads((isolated_saves / "branch.json").read_text())
    assert save["start_scene"] == "conflict"
    resumed = run_cli("play", "--plain", "--resume", "branch", input="2\n\n")
    assert "The pooled budget" in resumed.stdout and "What really happened" in resumed.stdout
    unknown = run_cli("play", str(MINI), "--plain", "--from", "nowhere")
    assert unknown.returncode == 2 and "there is no scene or ending 'nowhere'" in unknown.stderr


def test_every_checker_code_is_documented_for_authors():
    import re

    source = (REPO / "src" / "leadgame" / "authoring" / "check.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'"(C-[A-Z-]+)"', source)) | {"C-ALWAYS-TRUE", "C-NEVER-TRUE", "C-CONSTRUCT-UNSCORED"}
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert len(codes) >= 15
    assert sorted(code for code in codes if f"`{code}`" not in guide) == []


def test_random_playthroughs_on_a_broken_scenario_say_why_none_ran(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 2\nid: broken\ntitle: Broken\n", encoding="utf-8")
    text = run_cli("check", str(broken), "--random", "20")
    assert text.returncode == 1
    assert "no random playthroughs were run" in text.stdout and "error(s)" in text.stdout
    data = json.loads(run_cli("check", str(broken), "--random", "20", "--json").stdout)
    assert data["random"]["runs"] == 0 and "needs a scenario without errors" in data["random"]["skipped"]
