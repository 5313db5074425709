"""Reliability and security: hostile files, damaged saves, crashes, and concurrent windows."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadgame import library
from leadgame.core import engine
from leadgame.core.loader import load_scenario
from leadgame.core.problems import ScenarioError
from leadgame.core.saves import SaveError, SaveGame, backup_path, read_save, restore_backup, write_save
from leadgame.core.scoring import profile
from leadgame.core.session import Session
from support import FIXTURE_SCENARIOS, MINI, REPO, run_cli

SHIPPED = sorted(p for p in (REPO / "scenarios").glob("*.yaml") if p.name != "constructs.yaml")


# --- hostile and broken scenario files -----------------------------------------------------------

HOSTILE = {
    "python-tag": "title: !!python/object/apply:os.system ['echo pwned']\n",
    "custom-tag": "title: !custom x\n",
    "alias-bomb": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    + "learning_objectives: *i\n",
    "deep-flow": "[" * 100_000,
    "deep-block": "- " * 50_000 + "x\n",
    "deep-mapping": "".join(" " * i + f"k{i}:\n" for i in range(3000)),
    "huge-number": "format: 1\nminutes: " + "9" * 100_000 + "\n",
    "binary": bytes(range(256)) * 64,
    "invalid-utf8": b"format: 1\ntitle: caf\xe9\n",
    "empty": b"",
    "several-documents": "format: 1\n---\nformat: 1\n",
    "terminal-escape": 'format: 1\ntitle: "\\e]0;owned\\a\\e[2J"\n',
    "bidi-override": 'format: 1\ntitle: "abc\\u202Edef"\n',
    "null-byte": 'format: 1\ntitle: "a\\0b"\n',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_get_located_errors_in_bounded_time(tmp_path, name, catalogue):
    path = tmp_path / f"{name}.yaml"
    data = HOSTILE[name]
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    started = time.monotonic()
    with pytest.raises(ScenarioError) as error:
        load_scenario(path, catalogue)
    assert time.monotonic() - started < 10  # generous: a bound, not a benchmark
    problems = error.value.problems
    assert problems and len(problems) <= 500
    assert all(p.path == str(path) and p.line >= 1 and p.column >= 1 for p in problems)
    assert not any("\x1b" in str(p) or "\u202e" in str(p) for p in problems)


def test_huge_file_is_refused_before_parsing(tmp_path, catalogue, monkeypatch):
    from leadgame.core import loader

    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("title: " + "x" * 2000)
    with pytest.raises(ScenarioError) as error:
        load_scenario(path, catalogue)
    assert [p.code for p in error.value.problems] == ["E-FILE-SIZE"]


def _mutations():
    text = MINI.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    return st.one_of(
        st.builds(lambda i, junk: "".join(lines[:i] + [junk] + lines[i:]), st.integers(0, len(lines)), st.text(max_size=40)),
        st.builds(lambda i: "".join(lines[:i] + lines[i + 1:]), st.integers(0, len(lines) - 1)),
        st.builds(lambda i, j: text[:i] + text[j:], st.integers(0, len(text)), st.integers(0, len(text))),
        st.builds(lambda i, c: text[:i] + c + text[i:], st.integers(0, len(text)), st.sampled_from(list(":-[]{}&*!|>'\"#%@`\t"))),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(_mutations().map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=400)))
def test_loader_only_ever_loads_or_reports_located_problems(tmp_path, catalogue, data):
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    try:
        scenario = load_scenario(path, catalogue)
    except ScenarioError as error:
        assert error.problems and all(p.line >= 1 and p.code.startswith("E-") for p in error.problems)
    else:
        assert scenario.start in scenario.scenes


# --- engine invariants ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    from leadgame.core.loader import load_constructs

    return [library.load(path) for path in SHIPPED] + [load_scenario(MINI, load_constructs(FIXTURE_SCENARIOS / "constructs.yaml"))]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_random_play_never_raises_and_replays_exactly(shipped, data):
    scenario = data.draw(st.sampled_from(shipped))
    seed = data.draw(st.integers(0, 2**31))
    state = engine.start(scenario, seed)
    for _ in range(200):
        if state.finished:
            break
        choices = engine.available_choices(state)
        assert choices, f"no choice at {state.node}"
        state, _ = engine.choose(state, data.draw(st.sampled_from(choices)).id)
    assert state.finished
    again = engine.replay(scenario, seed, state.choice_log)
    assert again.state == state and again.problem == ""
    assert profile(again.state) == profile(state)


# --- saves: backups, migration, damage, crashes, concurrency --------------------------------------


def test_each_write_keeps_the_previous_generation_as_a_backup(tmp_path):
    write_save(tmp_path, SaveGame("g", "mini-pilot", "h", choices=("stark",)))
    write_save(tmp_path, SaveGame("g", "mini-pilot", "h", choices=("stark", "share-now")))
    assert read_save(tmp_path / "g.json").choices == ("stark", "share-now")
    assert read_save(backup_path(tmp_path / "g.json")).choices == ("stark",)


def test_a_damaged_save_is_explained_and_its_backup_offered(isolated_saves):
    run_cli("play", str(MINI), "--plain", "--save", "dmg", input="stark\nshare-now\n")
    path = isolated_saves / "dmg.json"
    path.write_text(path.read_text()[:40])  # truncated, as by a full disk
    result = run_cli("play", "--plain", "--resume", "dmg")
    assert result.returncode == 2 and "not valid JSON" in result.stderr
    assert "--use-backup" in result.stderr and "Traceback" not in result.stderr
    restored = run_cli("play", "--plain", "--resume", "dmg", "--use-backup", "--yes", input="")
    assert restored.returncode == 0 and "The Children's Trust Board" in restored.stdout
    assert read_save(path).choices == ("stark",)
    assert list(isolated_saves.glob("dmg.json.damaged-*")), "the damaged file is kept, not deleted"


def test_older_save_formats_migrate_forward(tmp_path):
    old = {"format_version": 1, "name": "old", "scenario_id": "mini-pilot", "scenario_hash": "h",
           "seed": 0, "choices": ["stark"], "coached": False, "finished": False, "feeling": "",
           "scenario_path": "", "team": "", "session": "", "created": "2025-01-01T00:00:00+00:00",
           "updated": "2025-01-01T00:00:00+00:00"}
    (tmp_path / "old.json").write_text(json.dumps(old))
    save = read_save(tmp_path / "old.json")
    assert save.start_scene == "" and save.choices == ("stark",)


@pytest.mark.parametrize("version", [0, -1, "2", True, None])
def test_nonsense_format_versions_are_refused(tmp_path, version):
    (tmp_path / "odd.json").write_text(json.dumps({"format_version": version, "name": "odd", "scenario_id": "x", "choices": []}))
    with pytest.raises(SaveError, match="save format"):
        read_save(tmp_path / "odd.json")


WRITER = """
import sys
from pathlib import Path
from leadgame.core.saves import SaveGame, write_save
folder = Path(sys.argv[1])
for i in range(100000):
    write_save(folder, SaveGame("crashy", "mini-pilot", "h", choices=tuple(f"c{j}" for j in range(i % 50))))
    if i == 0:
        print("started", flush=True)
"""


def test_killing_a_writer_mid_save_never_leaves_a_corrupt_save(tmp_path):
    rng = random.Random(1)
    for attempt in range(12):
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "started"
        time.sleep(rng.uniform(0.0, 0.15))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        save = read_save(tmp_path / "crashy.json")  # raises if torn
        assert all(c.startswith("c") for c in save.choices)
        read_save(backup_path(tmp_path / "crashy.json"))


HOLDER = """
import sys, time
from pathlib import Path
from leadgame.core.loader import load_constructs, load_scenario
from leadgame.core.saves import read_save
from leadgame.core.session import Session
folder, mini, catalogue = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
scenario = load_scenario(mini, load_constructs(catalogue))
game, _ = Session.resume(scenario, folder, read_save(folder / "shared.json"))
print("holding", flush=True)
time.sleep(60)
"""


def test_a_game_open_in_one_process_cannot_be_overwritten_by_another(isolated_saves):
    run_cli("play", str(MINI), "--plain", "--save", "shared", input="stark\n")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(isolated_saves), str(MINI), str(FIXTURE_SCENARIOS / "constructs.yaml")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        blocked = run_cli("play", "--plain", "--resume", "shared", input="stark\n")
        assert blocked.returncode == 2 and "open in another leadgame window" in blocked.stderr
        assert read_save(isolated_saves / "shared.json").choices == ("stark",)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    freed = run_cli("play", "--plain", "--resume", "shared", input="share-now\n")
    assert freed.returncode == 0, freed.stderr
    assert read_save(isolated_saves / "shared.json").choices[:2] == ("stark", "share-now")


def test_the_same_process_may_reopen_its_own_game(mini, tmp_path):
    first = Session.new(mini, tmp_path, name="again")
    first.choose("stark")
    second, _ = Session.resume(mini, tmp_path, read_save(tmp_path / "again.json"))  # no "open elsewhere"
    assert second.state == first.state
    first.close()
    second.close()


def test_plain_mode_with_stdin_closed_saves_and_exits(isolated_saves):
    result = subprocess.run([sys.executable, "-m", "leadgame.cli", "play", str(MINI), "--plain", "--save", "closed"],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0 and "Input ended" in result.stdout
    assert read_save(isolated_saves / "closed.json").choices == ()


def test_learner_text_cannot_inject_escapes_into_the_terminal(isolated_saves):
    result = run_cli("play", str(MINI), "--plain", "--save", "esc", input="ambition\nshare-now\n\n\nconfront\n\x1b[2J\x1b]0;pwned\x07 fine\n")
    assert "\x1b" not in result.stdout
    assert "\x1b" not in read_save(isolated_saves / "esc.json").feeling


ROOM_HOLDER = """
import sys, time
from pathlib import Path
from leadgame.core.loader import load_constructs, load_scenario
from leadgame.core.workshop import WorkshopSession
folder, mini, catalogue = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
scenario = load_scenario(mini, load_constructs(catalogue))
room = WorkshopSession.new(scenario, folder, code="ROOM1")
room.set_votes("stark", 5)
print("holding", flush=True)
time.sleep(60)
"""


def test_a_workshop_session_open_on_one_laptop_cannot_be_overwritten_from_another(mini, tmp_path):
    from leadgame.core.workshop import WorkshopError, WorkshopSession, read_workshop, workshop_file

    holder = subprocess.Popen(
        [sys.executable, "-c", ROOM_HOLDER, str(tmp_path), str(MINI), str(FIXTURE_SCENARIOS / "constructs.yaml")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        record = read_workshop(workshop_file(tmp_path, "ROOM1"))
        with pytest.raises(WorkshopError, match="open in another leadgame window"):
            WorkshopSession.resume(mini, tmp_path, record)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    room, _ = WorkshopSession.resume(mini, tmp_path, read_workshop(workshop_file(tmp_path, "ROOM1")))
    assert room.record.pending_votes == {"stark": 5}
    room.close()


def test_writing_a_report_to_a_device_or_link_writes_through_it(tmp_path):
    import stat

    import threading

    run_cli("play", str(MINI), "--plain", "--save", "r1", input="stark\n", env={"LEADGAME_SAVES": str(tmp_path / "saves")})
    # A pipe of the test's own stands for a device: the real /dev/null is shared by the whole
    # machine, and a broken write (a mutant, a regression) run as root would replace it.
    pipe = tmp_path / "device"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    result = run_cli("report", str(tmp_path / "saves"), "-o", str(pipe))
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(pipe).st_mode), "the device must stay a device"
    assert received and "leadgame cohort report" in received[0]
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert run_cli("report", str(tmp_path / "saves"), "-o", str(link)).returncode == 0
    assert link.is_symlink() and "leadgame cohort report" in target.read_text()
    fifo_free = run_cli("report", str(tmp_path / "saves"), "-o", str(tmp_path / "no" / "such" / "dir.txt"))
    assert fifo_free.returncode == 2 and "cannot write" in fifo_free.stderr


def test_notes_and_names_lose_control_characters_however_they_arrive(mini, tmp_path):
    game = Session.new(mini, tmp_path, name="typed")
    game.set_feeling("calm\x1b[2J\x1b]0;pwned\x07 \u202eenough")  # e.g. pasted into the app's note field
    assert read_save(tmp_path / "typed.json").feeling == "calm[2J]0;pwned enough"
    game.close()
    edited = json.loads((tmp_path / "typed.json").read_text())
    edited.update(team="Red\x1b[31m", session="S1\x9b2J", feeling="\x1b[5m")
    (tmp_path / "typed.json").write_text(json.dumps(edited))
    save = read_save(tmp_path / "typed.json")
    assert (save.team, save.session, save.feeling) == ("Red[31m", "S12J", "[5m")
