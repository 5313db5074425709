"""`include:` — a scenario in several files: scenes and endings from files beside the main one,
with every problem and finding located in the file it is written in."""

from __future__ import annotations

import os
import shutil
import textwrap

from leadgame import library
from leadgame.core import engine
from leadgame.tui.watch import FileWatch
from support import FIXTURES, run_cli, scenario_header

MAIN = scenario_header(2, "  trust: {start: 0, max: 3}\n") + textwrap.dedent("""\
    include: [acts/two.yaml]
    scenes:
      - id: one
        title: One
        text: The first act.
        facilitator: {notes: n, prompts: [p]}
        choices:
          - {id: warm, label: Warm, add: {trust: 1}, next: two}
          - {id: cool, label: Cool, next: two}
    """)
TWO = textwrap.dedent("""\
    # the second act, included by main.yaml
    scenes:
      - id: two
        title: Two
        text: |
          The second act. {trust >= 1: They remember the warmth.|They remember nothing.}
        next: end
    endings:
      - id: fin
        title: Fin
        text: t
        what_really_happened: w
    """)


def write(tmp_path, main: str = MAIN, two: str = TWO):
    shutil.copy(FIXTURES / "scenarios" / "constructs.yaml", tmp_path)
    (tmp_path / "acts").mkdir(exist_ok=True)
    (tmp_path / "acts" / "two.yaml").write_text(two, encoding="utf-8")
    (tmp_path / "main.yaml").write_text(main, encoding="utf-8")
    return tmp_path / "main.yaml"


def test_included_scenes_and_endings_play_as_one_story(tmp_path):
    scenario = library.load(write(tmp_path))
    assert list(scenario.scenes) == ["one", "two"] and list(scenario.endings) == ["fin"]
    assert scenario.includes == (str((tmp_path / "acts" / "two.yaml").resolve()),)
    assert scenario.scenes["two"].file.endswith("two.yaml") and scenario.scenes["one"].file == ""
    state, _ = engine.choose(engine.start(scenario), "warm")
    assert state.text == "The second act. They remember the warmth.\n"
    played = run_cli("play", str(tmp_path / "main.yaml"), "--plain", "--no-save", input="cool\n\n")
    assert "They remember nothing." in played.stdout and "Ending: Fin" in played.stdout


def test_problems_and_findings_name_the_file_they_are_in(tmp_path):
    path = write(tmp_path, two=TWO.replace("    title: Two\n", "    title: Two\n    titel: oops\n"))
    result = run_cli("validate", str(path))
    assert f"{tmp_path / 'acts' / 'two.yaml'}:5:5: E-KEY-UNKNOWN [scene 'two', titel]" in result.stdout
    checked = run_cli("check", str(write(tmp_path, two=TWO + "  - id: lost\n    title: Lost\n    text: t\n    what_really_happened: w\n")))
    assert f"{tmp_path / 'acts' / 'two.yaml'}:13:5: C-UNREACHABLE-ENDING ending 'lost' can never be reached" in checked.stdout
    never = TWO.replace("{trust >= 1:", "{trust >= 9:")
    checked = run_cli("check", str(write(tmp_path, two=never)))
    assert f"{tmp_path / 'acts' / 'two.yaml'}:6:36: C-TEXT-NEVER" in checked.stdout


def test_a_duplicate_id_across_files_names_the_first(tmp_path):
    path = write(tmp_path, two=TWO.replace("id: two", "id: one", 1))
    result = run_cli("validate", str(path))
    assert "id 'one' is already used by the scene at line 18 of main.yaml (scenes and endings share one set of ids)" in result.stdout
    assert f"{tmp_path / 'acts' / 'two.yaml'}:3:9: E-ID-DUPLICATE" in result.stdout


def test_includes_stay_inside_the_scenario_folder_and_need_format_2(tmp_path):
    for include, words in (("[../elsewhere.yaml]", "is not a file inside the scenario's folder"),
                           ("[/etc/hosts]", "is not a file inside the scenario's folder"),
                           ("[acts/two.yaml, acts/two.yaml]", "is included twice"),
                           ("[acts/none.yaml]", "E-FILE-READ")):
        result = run_cli("validate", str(write(tmp_path, MAIN.replace("[acts/two.yaml]", include))))
        assert result.returncode == 1 and words in result.stdout, (include, result.stdout)
    missing = run_cli("validate", str(write(tmp_path, MAIN.replace("[acts/two.yaml]", "[acts/none.yaml]"))))
    assert f"{tmp_path / 'acts' / 'none.yaml'}:1:1: E-FILE-READ" in missing.stdout
    old = run_cli("validate", str(write(tmp_path, MAIN.replace("format: 2", "format: 1").replace("{start: 0, max: 3}", "0"))))
    assert "E-FORMAT-2 [include] `include` needs `format: 2`" in old.stdout


def test_editing_an_included_file_is_an_edit_to_the_scenario(tmp_path):
    path = write(tmp_path)
    first = library.load(path)
    watch = FileWatch(path, first.includes)
    assert not watch.changed()
    included = tmp_path / "acts" / "two.yaml"
    included.write_text(TWO.replace("The second act.", "The second act, later."), encoding="utf-8")
    stamp = included.stat().st_mtime_ns + 10**9
    os.utime(included, ns=(stamp, stamp))
    assert watch.changed()
    assert library.load(path).content_hash != first.content_hash
