"""Compiled scenarios: an unchanged scenario is read from its compiled entry instead of its YAML;
any change to a file that went into it (the scenario, an included file, the catalogue) loads it
afresh, with its problems shown as ever; an entry written for another file is never trusted,
only rebuilt (test_compiled_entries.py tampers with an entry in each way one is checked for)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from leadgame import library
from leadgame.authoring.check import check_file
from leadgame.core import compiled
from leadgame.core.problems import ScenarioError
from support import (ENDING_TAIL, FIXTURE_SCENARIOS, FOLLOWS, MINI, REPO, compiled_entries, fresh, placements, run_cli,
                     scenario_header, yaml_unreadable)

SHIPPED = sorted(p for p in (REPO / "scenarios").glob("*.yaml") if p.name != "constructs.yaml")


@pytest.fixture
def mini_copy(tmp_path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(FIXTURE_SCENARIOS / "constructs.yaml", folder)
    shutil.copy(MINI, folder)
    return folder / MINI.name


@pytest.mark.parametrize("path", [*SHIPPED, MINI, FOLLOWS], ids=lambda p: p.stem)
def test_a_compiled_scenario_is_the_scenario_the_loader_makes(path, cache, monkeypatch):
    """Every field, every position (for the checker's findings) and every condition and text,
    read back from the entry, equal what the YAML gives."""
    first = library.load(path)
    assert first == fresh(path) and len(compiled_entries(cache)) == 1
    yaml_unreadable(monkeypatch)
    again = library.load(path)
    assert again == first
    assert placements(again) == placements(first)


def test_the_checker_finds_the_same_on_a_compiled_scenario(tmp_path, cache):
    """Its findings point inside text by the places the entry keeps."""
    shutil.copy(FIXTURE_SCENARIOS / "constructs.yaml", tmp_path)
    path = tmp_path / "never.yaml"
    path.write_text(scenario_header(2, "  trust: {start: 0, max: 3}\n") + textwrap.dedent("""\
        scenes:
          - id: one
            title: One
            text: |
              The room is quiet.
              Trust is {trust >= 5: unshakeable|still fragile}.
            facilitator: {notes: n, prompts: [p]}
            choices:
              - {id: warm, label: Warm, add: {trust: 1}, next: end}
              - {id: cool, label: Cool, next: end}
        """) + ENDING_TAIL, encoding="utf-8")
    before = check_file(path)  # compiles it
    after = check_file(path)  # reads the entry
    assert [str(f) for f in after.findings] == [str(f) for f in before.findings]
    assert any(f.code == "C-TEXT-NEVER" and (f.line, f.column) == (21, 29) for f in after.findings)


def test_play_reads_an_unchanged_scenario_without_parsing_yaml(mini_copy, cache):
    code = ("import sys\nfrom leadgame.cli import main\n"
            f"main(['play', {str(mini_copy)!r}, '--plain', '--no-save'])\n"
            "print('yaml parsed' if 'yaml' in sys.modules else 'yaml not parsed')\n")
    env = {**os.environ, "LEADGAME_CACHE": str(cache), "NO_COLOR": "1"}

    def play() -> str:
        return subprocess.run([sys.executable, "-c", code], input="", capture_output=True, text=True, env=env, timeout=60).stdout

    first, second = play(), play()
    assert "yaml parsed" in first and "yaml not parsed" in second
    assert "Your choice" in second


def test_an_edited_scenario_is_loaded_afresh(mini_copy, cache):
    library.load(mini_copy)
    mini_copy.write_text(mini_copy.read_text(encoding="utf-8").replace("title: \"Mini: A Local Pilot\"", "title: \"Mini, edited\"", 1), encoding="utf-8")
    assert library.load(mini_copy).title == "Mini, edited"
    assert len(compiled_entries(cache)) == 1  # the file's entry, rewritten


def test_an_edit_that_breaks_the_scenario_is_reported_as_ever(mini_copy, cache):
    library.load(mini_copy)
    text = mini_copy.read_text(encoding="utf-8")
    mini_copy.write_text(text.replace("start: ", "start: nowhere-", 1), encoding="utf-8")
    played = run_cli("play", str(mini_copy), "--plain", "--no-save", env={"LEADGAME_CACHE": str(cache)})
    assert played.returncode == 1 and "E-REF-SCENE" in played.stderr and "does not exist" in played.stderr
    mini_copy.write_text(text, encoding="utf-8")  # put back: the old entry may serve again
    assert library.load(mini_copy) == fresh(mini_copy)


def test_an_edited_included_file_is_loaded_afresh(tmp_path, cache):
    from test_include import write

    main = write(tmp_path)
    assert library.load(main).scenes["two"].title == "Two"
    two = tmp_path / "acts" / "two.yaml"
    two.write_text(two.read_text(encoding="utf-8").replace("title: Two", "title: Act two"), encoding="utf-8")
    assert library.load(main).scenes["two"].title == "Act two"
    two.write_text(two.read_text(encoding="utf-8").replace("next: end", "next: nowhere"), encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        library.load(main)
    assert [(p.code, Path(p.path).name) for p in error.value.problems] == [("E-REF-SCENE", "two.yaml")]


def test_an_edited_catalogue_revalidates_the_scenario(mini_copy, cache):
    scenario = library.load(mini_copy)
    scored = scenario.scored_constructs[0]
    catalogue = mini_copy.parent / "constructs.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(f"id: {scored}", "id: renamed-construct"), encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        library.load(mini_copy)
    assert any(p.code == "E-KEY-UNKNOWN" and scored in p.key for p in error.value.problems)


def test_an_entry_never_serves_another_scenario(tmp_path, mini_copy, cache):
    """Two files with the same content have an entry each, each naming its own file; an entry
    put in the place of another file's is refused, even when its content matches."""
    twin = tmp_path / "twin"
    shutil.copytree(mini_copy.parent, twin)
    first, second = library.load(mini_copy), library.load(twin / mini_copy.name)
    assert first.path == str(mini_copy) and second.path == str(twin / mini_copy.name)
    assert first.content_hash == second.content_hash and len(compiled_entries(cache)) == 2
    mine = compiled._entry_path(cache, mini_copy)
    theirs = compiled._entry_path(cache, twin / mini_copy.name)
    shutil.copy(mine, theirs)  # the first file's entry where the second's belongs
    assert library.load(twin / mini_copy.name).path == str(twin / mini_copy.name)
    assert json.loads(theirs.read_text(encoding="utf-8"))["key"]["path"] == str(twin / mini_copy.name)


def test_a_cache_folder_that_cannot_be_written_costs_only_speed(mini_copy, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("LEADGAME_CACHE", str(blocked / "compiled"))
    assert library.load(mini_copy) == fresh(mini_copy)
    played = run_cli("play", str(mini_copy), "--plain", "--no-save", input="q\n", env={"LEADGAME_CACHE": str(blocked / "compiled")})
    assert played.returncode == 0 and "Traceback" not in played.stderr


def test_the_cache_keeps_a_bounded_number_of_entries(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(compiled, "MAX_ENTRIES", 3)
    shutil.copy(FIXTURE_SCENARIOS / "constructs.yaml", tmp_path)
    for index in range(5):
        path = tmp_path / f"copy{index}.yaml"
        shutil.copy(MINI, path)
        library.load(path)
    assert len(compiled_entries(cache)) == 3


def test_the_compiled_layout_holds_every_field_of_the_model():
    """A field added to the model must be added to the compiled form too (or an entry would
    drop it silently): each layout names its class's fields, in order."""
    from dataclasses import fields

    from leadgame.core import model

    for layout, kind in ((compiled.SCENE, model.Scene), (compiled.CHOICE, model.Choice), (compiled.ROUTE, model.Route),
                         (compiled.ENDING, model.Ending), (compiled.VARIABLE, model.Variable),
                         (compiled.CONSTRUCT, model.Construct)):
        assert layout == tuple(f.name for f in fields(kind) if f.init), kind.__name__  # the rest are made from these
    assert compiled.SOURCE == tuple(f.name for f in fields(model.Source))
    assert compiled.EFFECT + ("low", "high") == tuple(f.name for f in fields(model.Effect))  # bounds from the variable
    made_on_reading = {"initial_state", "scored_constructs", "path", "content_hash", "includes"}
    assert set(compiled.SCENARIO) | made_on_reading == {f.name for f in fields(model.Scenario)}
    assert set(compiled._encode(library.load(MINI))) == set(compiled.SCENARIO) | {"effects"}
