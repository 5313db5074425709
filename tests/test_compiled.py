"""Compiled scenarios: an unchanged scenario is read from its compiled entry instead of its YAML;
any change to a file that went into it (the scenario, an included file, the catalogue) loads it
afresh, with its problems shown as ever; an entry that is damaged, tampered with or written for
another file is never trusted, only rebuilt."""

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
from leadgame.core import compiled, templates
from leadgame.core.loader import load_constructs, load_scenario
from leadgame.core.problems import ScenarioError
from support import ENDING_TAIL, FIXTURE_SCENARIOS, FOLLOWS, MINI, REPO, run_cli, scenario_header

SHIPPED = sorted(p for p in (REPO / "scenarios").glob("*.yaml") if p.name != "constructs.yaml")
INCLUDING = """\
include: [acts/two.yaml]
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LEADGAME_CACHE", str(folder))
    return folder


@pytest.fixture
def mini_copy(tmp_path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(FIXTURE_SCENARIOS / "constructs.yaml", folder)
    shutil.copy(MINI, folder)
    return folder / MINI.name


def fresh(path: Path):
    """The scenario straight from its YAML, as the loader alone makes it."""
    return load_scenario(path, load_constructs(path.parent / "constructs.yaml"))


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json"))


def yaml_unreadable(monkeypatch) -> None:
    """From here on, reading any YAML fails the test: what loads must come from the cache."""
    def refuse(*args, **kwargs):
        raise AssertionError("the YAML was parsed again")

    monkeypatch.setattr("leadgame.core.loader.load_scenario", refuse)
    monkeypatch.setattr("leadgame.core.loader.load_constructs", refuse)


@pytest.mark.parametrize("path", [*SHIPPED, MINI, FOLLOWS], ids=lambda p: p.stem)
def test_a_compiled_scenario_is_the_scenario_the_loader_makes(path, cache, monkeypatch):
    """Every field, every position (for the checker's findings) and every condition and text,
    read back from the entry, equal what the YAML gives."""
    first = library.load(path)
    assert first == fresh(path) and len(entries(cache)) == 1
    yaml_unreadable(monkeypatch)
    again = library.load(path)
    assert again == first
    assert placements(again) == placements(first)  # text compares as text: its placeholders' places too


def placements(scenario) -> list:
    """Where each placeholder of each text with placeholders sits in the file."""
    texts = [scene.text for scene in scenario.scenes.values()]
    texts += [choice.consequence for scene in scenario.scenes.values() for choice in scene.choices]
    texts += [ending.text for ending in scenario.endings.values()]
    return [(str(text), compiled._positions(text.parts)) for text in texts if isinstance(text, templates.Template)]


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
    assert len(entries(cache)) == 1  # the file's entry, rewritten


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


def _entry(cache: Path) -> tuple[Path, dict]:
    (path,) = entries(cache)
    return path, json.loads(path.read_text(encoding="utf-8"))


def _scene(data: dict, scene_id: str) -> list:
    return next(scene for scene in data["scenario"]["scenes"] if scene[0] == scene_id)


TAMPERINGS = {
    "truncated": lambda text, data: text[: len(text) // 2],
    "not json": lambda text, data: "\x00garbage",
    "a list": lambda text, data: "[]",
    "a terminal escape in a title": lambda text, data: _set(data, lambda s: s["scenes"][0].__setitem__(1, "Title \x1b[2J")),
    "a bidi override in a label": lambda text, data: _set(data, lambda s: s["scenes"][0][3][0].__setitem__(1, "\u202eLabel")),
    "a route to no scene": lambda text, data: _set(data, lambda s: s["scenes"][0][3][0][2][0].__setitem__(0, "nowhere")),
    "a condition on no variable": lambda text, data: _set(data, lambda s: s["scenes"][0][3][0].__setitem__(3, "ghost >= 1")),
    "a condition that calls": lambda text, data: _set(data, lambda s: s["scenes"][0][3][0].__setitem__(3, "__import__('os')")),
    "a mistyped condition": lambda text, data: _set(data, lambda s: s["scenes"][0][3][0].__setitem__(3, "trust and 3")),
    "an effect out of the table": lambda text, data: _set(data, lambda s: s["scenes"][0][3][0].__setitem__(4, [999])),
    "a score out of range": lambda text, data: _set(data, lambda s: s["effects"].append(["score", s["constructs"][0][0], 99])
                                                     or s["scenes"][0][3][0][4].append(len(s["effects"]) - 1)),
    "a set of the wrong kind": lambda text, data: _set(data, lambda s: s["effects"].append(["set", "trust", "lots"])
                                                         or s["scenes"][0][3][0][4].append(len(s["effects"]) - 1)),
    "a scene with no choices": lambda text, data: _set(data, lambda s: s["scenes"][0].__setitem__(3, [])),
    "a last route with a condition": lambda text, data: _set(data, lambda s: s["scenes"][0][3][0][2][-1].__setitem__(1, "trust >= 1")),
    "a start that is not a scene": lambda text, data: _set(data, lambda s: s.__setitem__("start", "fin-nowhere")),
    "an id with a slash": lambda text, data: _set(data, lambda s: s["scenes"][0].__setitem__(0, "../x")),
    "a negative line": lambda text, data: _set(data, lambda s: s["scenes"][0].__setitem__(9, -4)),
    "a text that is a number": lambda text, data: _set(data, lambda s: s.__setitem__("intro", 7)),
    "a missing field": lambda text, data: _set(data, lambda s: s["scenes"][0].pop()),
    "another content hash": lambda text, data: json.dumps({**data, "content_hash": "0" * 64}),
    "another leadgame": lambda text, data: json.dumps({**data, "key": {**data["key"], "leadgame": "0.0.0-other"}}),
}


def _set(data: dict, change) -> str:
    change(data["scenario"])
    return json.dumps(data)


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_a_damaged_or_tampered_entry_is_ignored_and_rebuilt(tampering, mini_copy, cache):
    expected = library.load(mini_copy)
    path, data = _entry(cache)
    text = path.read_text(encoding="utf-8")
    path.write_text(TAMPERINGS[tampering](text, json.loads(text)), encoding="utf-8")
    assert library.load(mini_copy) == expected
    assert _entry(cache)[1] == data  # rebuilt as it was


def test_an_entry_never_serves_another_scenario(tmp_path, mini_copy, cache):
    """Two files with the same content have an entry each, each naming its own file; an entry
    put in the place of another file's is refused, even when its content matches."""
    twin = tmp_path / "twin"
    shutil.copytree(mini_copy.parent, twin)
    first, second = library.load(mini_copy), library.load(twin / mini_copy.name)
    assert first.path == str(mini_copy) and second.path == str(twin / mini_copy.name)
    assert first.content_hash == second.content_hash and len(entries(cache)) == 2
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
    assert len(entries(cache)) == 3


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
