"""Compiled entries read back. An entry holding every feature of the format, at the edges of
what the loader allows, is used as it is: no YAML is parsed. An entry with any one value just
outside what the loader allows, of the wrong type or in the wrong place is ignored: the scenario
is loaded afresh from its YAML, as the loader makes it, and its entry written anew. The key an
entry is kept under tells every file, spelling of a path and leadgame apart."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from leadgame import library
from leadgame.core import compiled
from leadgame.core.compiled import CHOICE, ENDING, ROUTE, SCENE, VARIABLE
from leadgame.core.model import MAX_FILE_BYTES, MAX_INCLUDES, MAX_TEXT_CHARS
from leadgame.core.saves import MAX_SAVE_BYTES
from support import FIXTURE_SCENARIOS, FIXTURES, compiled_entries, fresh, placements, yaml_unreadable

EVERYTHING = FIXTURES / "compiled"
START = "the_budget_meeting_where_every_feature_of_the_format_comes_first"  # ids of the longest length
WALK_AWAY = "walk-away-from-both-the-cafe-and-the-system-and-keep-the-money-0"

# A whole scenario in YAML's flow style: a variable on line 1, a scene and a placeholder at
# column 1 (the least place a file has), and the shortest playing time.
FLOW = """\
{format: 2, state: {trust: 0}, id: flow, title: F, summary: s, place: p, years: "2010", role: r, minutes: 1,
intro: i, learning_objectives: [a], sources: [b], reflection: [c], start: one, scenes: [
{id: one, title: One, text: "The room is quiet.
{trust} of them stay.", choices: [{id: go, label: Go, next: fin}]}],
endings: [{id: fin, title: F, text: t, what_really_happened: w}]}
"""


def case(folder: Path) -> Path:
    """A copy of the fixture scenario (and the file it includes) in `folder`, with the catalogue beside it."""
    shutil.copytree(EVERYTHING, folder, dirs_exist_ok=True)
    shutil.copy(FIXTURE_SCENARIOS / "constructs.yaml", folder)
    return folder / "everything.yaml"


def edit(path: Path, *changes: tuple[str, str]) -> Path:
    """`path`, with each `(old, new)` change made to it."""
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def flow(folder: Path) -> Path:
    shutil.copy(FIXTURE_SCENARIOS / "constructs.yaml", folder)
    (folder / "flow.yaml").write_text(FLOW, encoding="utf-8")
    return folder / "flow.yaml"


def longest_text(folder: Path) -> Path:
    return edit(case(folder), ("  You run **Early Help** in Anytown.\n", "  " + "x" * (MAX_TEXT_CHARS - 1) + "\n"))


def last_ending_conditional(folder: Path) -> Path:
    """No route ends by `end`, so the last ending may have a condition."""
    path = edit(case(folder), ("        next: end\n", "        next: apart\n"))
    edit(folder / "acts" / "epilogue.yaml", ("    what_really_happened: Nothing is settled.\n",
                                             "    what_really_happened: Nothing is settled.\n    if: ready\n"))
    return path


def most_includes(folder: Path) -> Path:
    """Endings in as many included files as a scenario may have."""
    path = edit(case(folder), ("include: [acts/epilogue.yaml]", f"include: [{', '.join(f'acts/{i}.yaml' for i in range(MAX_INCLUDES))}]"),
                ("      - to: epilogue\n", "      - to: ending-0\n"))
    for i in range(MAX_INCLUDES):
        ending = f"endings:\n  - {{id: ending-{i}, title: E, text: t, what_really_happened: w}}\n"
        (folder / "acts" / f"{i}.yaml").write_text(ending, encoding="utf-8")
    return path


AT_THE_EDGES = {
    "every feature": case,
    "line and column 1, the shortest playing time": flow,
    "a text of the longest length": longest_text,
    "the last ending conditional where no route ends by `end`": last_ending_conditional,
    "as many included files as a scenario may have": most_includes,
}


@pytest.mark.parametrize("make", AT_THE_EDGES.values(), ids=AT_THE_EDGES.keys())
def test_an_entry_at_the_edges_of_the_format_is_used_whole(make, tmp_path, cache, monkeypatch):
    path = make(tmp_path)
    first = library.load(path)
    assert first == fresh(path) and len(compiled_entries(cache)) == 1
    yaml_unreadable(monkeypatch)
    again = library.load(path)
    assert again == first and placements(again) == placements(first)


def test_an_entry_larger_than_a_save_may_be_is_used(tmp_path, cache, monkeypatch):
    """A big scenario's entry is read within a scenario's limit, not a save's."""
    passages = "".join(f"  - {{id: long-{i}, title: Long, text: {'x' * MAX_TEXT_CHARS}, next: review}}\n"
                       for i in range(MAX_SAVE_BYTES // MAX_TEXT_CHARS + 1))
    path = edit(case(tmp_path), ("scenes:\n", "scenes:\n" + passages))
    first = library.load(path)
    (entry,) = compiled_entries(cache)
    assert entry.stat().st_size > MAX_SAVE_BYTES
    yaml_unreadable(monkeypatch)
    assert library.load(path) == first


# --- a tampered entry: ignored, and the scenario loaded afresh -----------------------------------


@pytest.fixture(scope="module")
def compiled_case(tmp_path_factory) -> tuple[Path, dict, object]:
    """The fixture scenario in a folder of its own, its entry as written, and the scenario."""
    path = case(tmp_path_factory.mktemp("case"))
    cache = path.parent / "first-cache"
    scenario = compiled.load(path, path.parent / "constructs.yaml", cache)
    return path, json.loads(compiled._entry_path(cache, path).read_text(encoding="utf-8")), scenario


def by_id(items: list, item_id: str) -> list:
    return next(item for item in items if item[0] == item_id)


def scene(s: dict, scene_id: str) -> list:
    return by_id(s["scenes"], scene_id)


def choice(s: dict, scene_id: str, choice_id: str) -> list:
    return by_id(scene(s, scene_id)[SCENE.index("choices")], choice_id)


def route(s: dict, scene_id: str, choice_id: str, index: int) -> list:
    return choice(s, scene_id, choice_id)[CHOICE.index("routes")][index]


def put(item: list, layout: tuple, field: str, value) -> None:
    item[layout.index(field)] = value


def text_of(item: list, layout: tuple) -> list:
    """The [source, places] of a scene's or ending's text with placeholders."""
    return item[layout.index("text")]


def effect(s: dict, kind: str, target: str, value) -> int:
    """The index of an effect in the entry's table."""
    return s["effects"].index([kind, target, value])


def with_effect(s: dict, new: list) -> None:
    """`new` added to the table and to the café choice's effects."""
    s["effects"].append(new)
    choice(s, START, "cafe")[CHOICE.index("effects")].append(len(s["effects"]) - 1)


def no_endings(s: dict) -> None:
    """No endings, every route leading back to the start."""
    s["endings"] = []
    for each in s["scenes"]:
        for option in each[SCENE.index("choices")]:
            for way in option[CHOICE.index("routes")]:
                put(way, ROUTE, "to", START)


def ending_renamed(s: dict, new_id: str) -> None:
    """The ending 'apart' renamed, and the route to it too."""
    put(by_id(s["endings"], "apart"), ENDING, "id", new_id)
    put(route(s, START, WALK_AWAY, 0), ROUTE, "to", new_id)


def budget_text(s: dict, old: str, new: str) -> None:
    """The start scene's text with `old` replaced by `new` of the same length (so every
    placeholder keeps its place)."""
    text = text_of(scene(s, START), SCENE)
    assert len(old) == len(new) and old in text[0]
    text[0] = text[0].replace(old, new)


def second_way_on(s: dict) -> None:
    """The passage 'spring' with a second way on, besides `continue`."""
    ways = scene(s, "spring")[SCENE.index("choices")]
    ways.append(["also", *ways[0][1:]])


def forge(data: dict, includes: list[str]) -> None:
    """The entry made to list `includes`, with the content hash they and the file make."""
    digest = hashlib.sha256(Path(data["key"]["resolved"]).read_bytes())
    for name in includes:
        digest.update(Path(name).read_bytes())
    data["includes"], data["content_hash"] = includes, digest.hexdigest()


def too_many_included(data: dict) -> None:
    forge(data, data["includes"] * (MAX_INCLUDES + 1))


def included_too_large(data: dict) -> None:
    big = Path(data["includes"][0]).with_name("big.yaml")
    big.write_bytes(b"#" * (MAX_FILE_BYTES // MAX_INCLUDES + 1))
    forge(data, [str(big)] * MAX_INCLUDES)


def entry_change(change):
    """A tampering that changes the entry's data in place (`change(data)`)."""
    def tamper(data: dict) -> str:
        change(data)
        return json.dumps(data)

    return tamper


def scenario_change(change):
    """A tampering that changes the compiled scenario in the entry in place (`change(s)`)."""
    return entry_change(lambda data: change(data["scenario"]))


E, S = entry_change, scenario_change
TAMPERINGS = {  # each one value just outside what the loader allows, of the wrong type or in the wrong place
    # the file
    "truncated": lambda data: json.dumps(data)[:1000],
    "not JSON": lambda data: "\x00garbage",
    "a list": lambda data: "[]",
    # what it was made from
    "another leadgame": E(lambda data: data["key"].update(leadgame="0.0.0-other")),
    "another catalogue": E(lambda data: data["key"].update(catalogue="0" * 64)),
    "another content hash": E(lambda data: data.update(content_hash="0" * 64)),
    "included files not a list": E(lambda data: data.update(includes="acts/epilogue.yaml")),
    "an included file that is not there": E(lambda data: data.update(includes=[str(Path(data["includes"][0]).with_name("gone.yaml"))])),
    "more included files than a scenario may have, hashed to match": E(too_many_included),
    "included files larger than a scenario may be, hashed to match": E(included_too_large),
    # the scenario's own fields
    "a scenario that is a list": E(lambda data: data.update(scenario=[])),
    "format 3": S(lambda s: s.update(format=3)),
    "format true": S(lambda s: s.update(format=True)),
    "format 1, with text that follows the story": S(lambda s: s.update(format=1)),
    "an id with an underscore": S(lambda s: s.update(id="every_thing")),
    "minutes 0": S(lambda s: s.update(minutes=0)),
    "minutes 601": S(lambda s: s.update(minutes=601)),
    "minutes true": S(lambda s: s.update(minutes=True)),
    "minutes not whole": S(lambda s: s.update(minutes=5.5)),
    "a title that is a number": S(lambda s: s.update(title=7)),
    "a title longer than text may be": S(lambda s: s.update(title="x" * (MAX_TEXT_CHARS + 1))),
    "a terminal escape in the intro": S(lambda s: s.update(intro="You run \x1b[2J Early Help.")),
    "a bidi override in a learning objective": S(lambda s: s.update(learning_objectives=["\u202eNotice"])),
    "sources not a list": S(lambda s: s.update(sources="Lewis")),
    "a source of an unknown kind": S(lambda s: s.update(source=["blog", "Anytown review"])),
    "a report that does not say how it is cited": S(lambda s: s.update(source=["report", "  "])),
    "a source of three fields": S(lambda s: s["source"].append("x")),
    "a start that is an ending": S(lambda s: s.update(start="apart")),
    "a start that is not text": S(lambda s: s.update(start=[START])),
    "no endings": S(no_endings),
    "an ending with a scene's id": S(lambda s: ending_renamed(s, "spring")),
    "an ending called `end`": S(lambda s: ending_renamed(s, "end")),
    "the last ending conditional where a route ends by `end`": S(lambda s: put(s["endings"][-1], ENDING, "condition", "ready")),
    "a construct kept that nothing scores": S(lambda s: s["constructs"].append(["burning_platform", "B", "d", ["2.5"]])),
    "a construct scored that is not kept": S(lambda s: s["constructs"].pop()),
    # variables
    "listed text starting at a value it does not list": S(lambda s: put(by_id(s["variables"], "stance"), VARIABLE, "start", "hide")),
    "listed text with a bound": S(lambda s: put(by_id(s["variables"], "stance"), VARIABLE, "low", 0)),
    "listed text with a value twice": S(lambda s: by_id(s["variables"], "stance")[VARIABLE.index("values")].append("wait")),
    "listed text with a value that is not an id": S(lambda s: by_id(s["variables"], "stance")[VARIABLE.index("values")].append("With Draw")),
    "true/false with a lower bound": S(lambda s: put(by_id(s["variables"], "ready"), VARIABLE, "low", 0)),
    "true/false with an upper bound": S(lambda s: put(by_id(s["variables"], "ready"), VARIABLE, "high", 1)),
    "a number starting below its lower bound": S(lambda s: put(by_id(s["variables"], "floor"), VARIABLE, "start", -1)),
    "a number starting above its upper bound": S(lambda s: put(by_id(s["variables"], "ceiling"), VARIABLE, "start", 4)),
    "a number starting at text": S(lambda s: put(by_id(s["variables"], "months"), VARIABLE, "start", "none")),
    "a number starting at one half": S(lambda s: put(by_id(s["variables"], "months"), VARIABLE, "start", 0.5)),
    "a number starting past the largest the loader reads": S(lambda s: put(by_id(s["variables"], "months"), VARIABLE, "start", 2**40)),
    "a lower bound past the widest": S(lambda s: put(by_id(s["variables"], "trust"), VARIABLE, "low", -1_000_001)),
    "an upper bound past the widest": S(lambda s: put(by_id(s["variables"], "trust"), VARIABLE, "high", 1_000_001)),
    "bounds the wrong way round": S(lambda s: by_id(s["variables"], "fixed").__setitem__(slice(2, 4), [3, 2])),
    "a variable's name that is not an id": S(lambda s: put(by_id(s["variables"], "months"), VARIABLE, "name", "Months")),
    "a variable at line 0": S(lambda s: put(s["variables"][0], VARIABLE, "line", 0)),
    "a variable at a column that is text": S(lambda s: put(s["variables"][0], VARIABLE, "column", "3")),
    # effects
    "a score above the strongest": S(lambda s: s["effects"][effect(s, "score", "trust_relationships", 3)].__setitem__(2, 4)),
    "a score below the weakest": S(lambda s: s["effects"][effect(s, "score", "trust_relationships", -3)].__setitem__(2, -4)),
    "a score that is true": S(lambda s: s["effects"][effect(s, "score", "courage_conflict", 2)].__setitem__(2, True)),
    "a score of no construct, used by nothing": S(lambda s: s["effects"].append(["score", "no_such_construct", 1])),
    "a set of listed text to a value it does not list": S(lambda s: with_effect(s, ["set", "stance", "hide"])),
    "a set of true/false to a number": S(lambda s: with_effect(s, ["set", "funded", 1])),
    "a set of a number to true/false": S(lambda s: with_effect(s, ["set", "months", True])),
    "a set above an upper bound": S(lambda s: with_effect(s, ["set", "ceiling", 4])),
    "a set below a lower bound": S(lambda s: with_effect(s, ["set", "floor", -1])),
    "a set past the largest number the loader reads": S(lambda s: with_effect(s, ["set", "months", 2**40])),
    "an add to true/false": S(lambda s: with_effect(s, ["add", "ready", 1])),
    "an add to listed text": S(lambda s: with_effect(s, ["add", "stance", 1])),
    "an add of true": S(lambda s: with_effect(s, ["add", "months", True])),
    "an add of text": S(lambda s: with_effect(s, ["add", "months", "1"])),
    "an add past the largest number the loader reads": S(lambda s: with_effect(s, ["add", "months", -(2**40)])),
    "an effect of an unknown kind": S(lambda s: with_effect(s, ["multiply", "months", 2])),
    "an effect on no variable": S(lambda s: with_effect(s, ["set", "ghost", 1])),
    "an effect of four fields": S(lambda s: s["effects"][0].append(None)),
    "effects that are not a list": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "effects", "")),
    "effects that are a mapping": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "effects", {})),
    "an effect's index that is true": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "effects", [True])),
    "an effect's index below 0": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "effects", [-1])),
    "an effect's index past the table": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "effects", [len(s["effects"])])),
    "a route that scores": S(lambda s: put(route(s, START, "cafe", 1), ROUTE, "effects", [effect(s, "score", "trust_relationships", 3)])),
    # scenes, choices and routes
    "a scene with no choices": S(lambda s: put(scene(s, "review"), SCENE, "choices", [])),
    "a scene of fourteen fields": S(lambda s: scene(s, "review").append("")),
    "a scene of twelve fields": S(lambda s: scene(s, "review").pop()),
    "two choices with one id": S(lambda s: put(choice(s, START, "system"), CHOICE, "id", "cafe")),
    "two choices the real leaders'": S(lambda s: put(choice(s, START, "system"), CHOICE, "real", "2.5")),
    "a decision marked a passage": S(lambda s: put(scene(s, "review"), SCENE, "is_passage", True)),
    "a passage mark that is 0": S(lambda s: put(scene(s, "review"), SCENE, "is_passage", 0)),
    "a passage whose way on is not `continue`": S(lambda s: put(choice(s, "spring", "continue"), CHOICE, "id", "onwards")),
    "a passage with two ways on": S(second_way_on),
    "an order mark that is text": S(lambda s: put(scene(s, "review"), SCENE, "order_fixed", "fixed")),
    "a choice with no routes": S(lambda s: put(choice(s, START, "system"), CHOICE, "routes", [])),
    "a last route with a condition": S(lambda s: put(route(s, START, "cafe", -1), ROUTE, "condition", "ready")),
    "a last route with a chance": S(lambda s: put(route(s, START, "cafe", -1), ROUTE, "chance", 50)),
    "a chance of 0": S(lambda s: put(route(s, START, "cafe", 0), ROUTE, "chance", 0)),
    "a chance of 100": S(lambda s: put(route(s, START, "cafe", 2), ROUTE, "chance", 100)),
    "a chance not whole": S(lambda s: put(route(s, START, "cafe", 2), ROUTE, "chance", 50.5)),
    "a route to no scene": S(lambda s: put(route(s, START, "cafe", 1), ROUTE, "to", "nowhere")),
    "a route to a list": S(lambda s: put(route(s, START, "cafe", 1), ROUTE, "to", ["review"])),
    "a route of five fields": S(lambda s: route(s, START, "cafe", 1).append(None)),
    "a condition on no variable": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "condition", "ghost >= 1")),
    "a condition that calls": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "condition", "__import__('os')")),
    "a mistyped condition": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "condition", "trust and ready")),
    "a condition that is not text": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "condition", 5)),
    "a mistyped condition on an ending": S(lambda s: put(by_id(s["endings"], "together"), ENDING, "condition", "stance")),
    "a scene's id with a slash": S(lambda s: put(scene(s, "review"), SCENE, "id", "../review")),
    "a choice's id that is not an id": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "id", "Café")),
    "an ending's id that is not text": S(lambda s: put(by_id(s["endings"], "apart"), ENDING, "id", 7)),
    "a scene at a negative line": S(lambda s: put(scene(s, "spring"), SCENE, "line", -4)),
    "a choice at line 0": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "line", 0)),
    "an ending at column 0": S(lambda s: put(by_id(s["endings"], "together"), ENDING, "column", 0)),
    "a scene at a line that is true": S(lambda s: put(scene(s, "spring"), SCENE, "line", True)),
    "a choice at a line not whole": S(lambda s: put(choice(s, START, "system"), CHOICE, "line", 9.5)),
    "a scene's file that is not text": S(lambda s: put(scene(s, "spring"), SCENE, "file", None)),
    "facilitator prompts that are not a list": S(lambda s: put(scene(s, START), SCENE, "facilitator_prompts", "Why?")),
    "an outcome that is not an outcome": S(lambda s: put(by_id(s["endings"], "apart"), ENDING, "outcome", "best")),
    "an outcome that is a number": S(lambda s: put(by_id(s["endings"], "apart"), ENDING, "outcome", 1)),
    # text
    "a terminal escape in a title": S(lambda s: put(scene(s, "review"), SCENE, "title", "Title \x1b[2J")),
    "a bidi override in a label": S(lambda s: put(choice(s, START, "cafe"), CHOICE, "label", "\u202eLabel")),
    "a control character in a consequence": S(lambda s: put(choice(s, START, "system"), CHOICE, "consequence", "Live.\x07")),
    "a placeholder the entry does not place": S(lambda s: text_of(scene(s, START), SCENE)[1].__delitem__(slice(0, 3))),
    "places one short": S(lambda s: text_of(scene(s, START), SCENE)[1].pop()),
    "a placeholder at line 0": S(lambda s: text_of(scene(s, START), SCENE)[1].__setitem__(1, 0)),
    "a placeholder at a column that is text": S(lambda s: text_of(scene(s, START), SCENE)[1].__setitem__(2, "23")),
    "placed text that holds no placeholder": S(lambda s: put(choice(s, START, "system"), CHOICE, "consequence", ["Live.", []])),
    "text of three parts": S(lambda s: text_of(scene(s, START), SCENE).append([])),
    "a placeholder naming no variable": S(lambda s: budget_text(s, "{months}", "{monthz}")),
    "conditional text on a mistyped condition": S(lambda s: budget_text(s, "{ready:", "{trust:")),
    "conditional text on a condition that calls": S(lambda s: budget_text(s, "{ready:", "{id(1):")),
    "text that is a number": S(lambda s: put(by_id(s["endings"], "apart"), ENDING, "text", 7)),
}


@pytest.mark.parametrize("tampering", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_a_tampered_entry_is_ignored_and_the_scenario_loaded_afresh(tampering, compiled_case, cache):
    path, written, scenario = compiled_case
    entry = compiled._entry_path(cache, path)
    cache.mkdir()
    entry.write_text(tampering(copy.deepcopy(written)), encoding="utf-8")
    assert library.load(path) == scenario
    assert json.loads(entry.read_text(encoding="utf-8")) == written  # written anew, as it was


def test_the_entry_as_written_is_used(compiled_case, cache, monkeypatch):
    """The entry each tampering above changes one thing in, unchanged, serves the scenario."""
    path, written, scenario = compiled_case
    cache.mkdir()
    compiled._entry_path(cache, path).write_text(json.dumps(written), encoding="utf-8")
    yaml_unreadable(monkeypatch)
    assert library.load(path) == scenario


# --- what an entry is kept for -------------------------------------------------------------------


def test_an_edit_to_the_code_that_compiles_makes_every_entry_stale(tmp_path, cache, monkeypatch):
    """In a checkout, a change to a file of the compiler (a new size or time) compiles each
    scenario again, as a new version of leadgame does. (The compiler's files are copied, so
    that no other test sees one change.)"""
    code = tmp_path / "core"
    code.mkdir()
    for name in compiled._COMPILER:
        shutil.copy2(Path(compiled.__file__).with_name(name), code)
    monkeypatch.setattr(compiled, "__file__", str(code / "compiled.py"))
    path = case(tmp_path / "case")
    library.load(path)
    (entry,) = compiled_entries(cache)
    made_by = json.loads(entry.read_text(encoding="utf-8"))["key"]["code"]
    before = (code / "loader.py").stat()
    os.utime(code / "loader.py", ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert library.load(path) == fresh(path)
    assert json.loads(entry.read_text(encoding="utf-8"))["key"]["code"] != made_by  # compiled again


def test_each_spelling_of_a_path_has_an_entry_naming_its_files_so(tmp_path, cache, monkeypatch):
    """A scenario named by its full path, a relative one or a link beside it: the included
    files are named as each spelling names them, so each has an entry of its own."""
    path = case(tmp_path / "case")
    (tmp_path / "case" / "link.yaml").symlink_to(path)
    monkeypatch.chdir(tmp_path)
    spellings = [path, Path("case/everything.yaml"), Path("case/link.yaml")]
    first = [library.load(spelling) for spelling in spellings]
    assert len(compiled_entries(cache)) == len(spellings)
    yaml_unreadable(monkeypatch)
    for spelling, scenario in zip(spellings, first):
        assert library.load(spelling) == scenario
        assert (scenario.path, scenario.scenes["epilogue"].file) == (str(spelling), str(spelling.with_name("acts") / "epilogue.yaml"))


def test_an_entry_put_in_the_place_of_another_spellings_is_refused(tmp_path, cache, monkeypatch):
    path = case(tmp_path / "case")
    monkeypatch.chdir(tmp_path)
    relative = Path("case/everything.yaml")
    library.load(path)
    shutil.copy(compiled._entry_path(cache, path), compiled._entry_path(cache, relative))
    assert library.load(relative) == fresh(relative)


def test_an_entry_made_through_a_link_since_moved_is_refused(tmp_path, cache):
    """A folder link moved to another copy of the scenario: the entry made through it before,
    put where the new one belongs, names the first copy's files and is refused."""
    first, second = case(tmp_path / "first").parent, case(tmp_path / "second").parent
    current = tmp_path / "current"
    current.symlink_to(first, target_is_directory=True)
    path = current / "everything.yaml"
    library.load(path)
    made = compiled._entry_path(cache, path)
    current.unlink()
    current.symlink_to(second, target_is_directory=True)
    shutil.copy(made, compiled._entry_path(cache, path))
    scenario = library.load(path)
    assert scenario == fresh(path) and scenario.includes == (str(second / "acts" / "epilogue.yaml"),)


# --- writing and pruning ----------------------------------------------------------------------------


def test_a_cache_folder_not_there_yet_is_made(tmp_path, monkeypatch):
    folder = tmp_path / "not" / "made" / "yet"
    monkeypatch.setenv("LEADGAME_CACHE", str(folder))
    path = case(tmp_path / "case")
    first = library.load(path)
    assert len(compiled_entries(folder)) == 1
    yaml_unreadable(monkeypatch)
    assert library.load(path) == first


def test_the_least_recently_used_entries_go_first(tmp_path, cache, monkeypatch):
    """Over the limit, the entry used longest ago goes; reading an entry counts as using it."""
    monkeypatch.setattr(compiled, "MAX_ENTRIES", 3)
    copies = [case(tmp_path / f"copy{index}") for index in range(4)]
    for path in copies[:3]:
        library.load(path)
    scenario_of = {compiled._entry_path(cache, path): path for path in copies[:3]}
    by_name = sorted(scenario_of)
    now = time.time()
    for age, entry in zip((100, 200, 300), by_name):  # last used in the reverse of their names' order
        os.utime(entry, (now - age, now - age))
    library.load(scenario_of[by_name[2]])  # the least recently used, used again
    library.load(copies[3])  # a fourth: one must go
    assert [entry.exists() for entry in by_name] == [True, False, True]
    assert compiled._entry_path(cache, copies[3]).exists()
