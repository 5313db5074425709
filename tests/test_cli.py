"""The `leadgame` command, driven by subprocess as a user (or a script) would."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time

import pytest

from support import FIXTURE_SCENARIOS, MINI, REPO, run_cli

FULL_RUN = "ambition\nshare-now\n\n\nconfront\nIt felt tense\n"  # by choice id (the order on screen is shuffled), passage(s), feeling note


def saves_in(folder):
    return sorted(folder.glob("*.json"))


def test_version_and_help_on_every_subcommand():
    assert run_cli("--version").stdout.strip().startswith("leadgame 0.")
    for command in ([], ["list"], ["play"], ["validate"]):
        result = run_cli(*command, "--help")
        assert result.returncode == 0 and "usage: leadgame" in result.stdout



def test_a_command_built_alone_parses_helps_and_fails_as_in_the_whole_tree(capsys):
    """The command line builds only the command it names: every command's help, a bad option's
    message and the parsed options must be what the whole tree gives."""
    from leadgame.cli import COMMANDS, build_parser

    def outcome(parser, argv):
        try:
            return vars(parser.parse_args(argv)), capsys.readouterr()
        except SystemExit as stop:
            return stop.code, capsys.readouterr()

    for name in COMMANDS:
        for argv in ([name, "--help"], [name, "--no-such-option"], [name, "a.yaml"]):
            assert outcome(build_parser(argv), argv) == outcome(build_parser(), argv), argv
    alone = build_parser(["play", "x"])
    assert set(alone._subparsers._group_actions[0].choices) == {"play"}  # the others were never built
    whole_help = outcome(build_parser(["-h", "play"]), ["-h", "play"])[1].out
    assert all(name in whole_help for name in COMMANDS)  # a top-level option first builds them all

def test_list_shows_the_shipped_scenarios():
    result = run_cli("list", env={"COLUMNS": "300"})
    assert result.returncode == 0
    cells = [[cell.strip() for cell in line.split("│")[1:3]] for line in result.stdout.splitlines() if line.startswith("│")]
    assert [cell for cell in cells if cell[0]] == [
        ["barnet-troubled-families", "Barnet: Troubled Families"],
        ["bradford-total-place", "Bradford Total Place: Better Outcomes at the Points of Transition"],
        ["nwl-integrated-care", "North West London Integrated Care Pilot"],
    ]
    assert "your role" in result.stdout and "Director of Children's Services" in result.stdout


def test_list_reads_an_overridden_scenarios_folder():
    result = run_cli("list", env={"LEADGAME_SCENARIOS": str(FIXTURE_SCENARIOS), "COLUMNS": "200"})
    assert "mini-pilot" in result.stdout and "Director of Children's Services" in result.stdout


def test_validate_passes_good_files_and_folders():
    result = run_cli("validate", str(FIXTURE_SCENARIOS), str(MINI))
    assert result.returncode == 0, result.stdout
    assert "no problems" in result.stdout


def test_validate_reports_located_errors_for_a_broken_file(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINI.read_text().replace("next: trust-board", "next: nowhere", 1).replace("minutes: 5", "minutes: soon"))
    result = run_cli("validate", str(broken))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(str(broken))]
    assert any(":9:10: E-TYPE [minutes]" in line for line in lines)
    assert any("E-REF-SCENE [scene 'panel', choice 'stark', next]" in line and "fix:" in line for line in lines)
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_usage_errors_exit_2(tmp_path):
    assert run_cli("validate").returncode == 2
    missing = run_cli("validate", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_validate_never_tracebacks_on_garbage(tmp_path):
    for name, data in {"bin.yaml": bytes(range(256)), "tags.yaml": b"!!python/name:os.system x", "list.yaml": b"- 1\n- 2\n"}.items():
        (tmp_path / name).write_bytes(data)
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.count(str(tmp_path)) >= 3


def test_piped_playthrough_reaches_the_debrief(isolated_saves):
    result = run_cli("play", str(MINI), "--plain", "--save", "piped", input=FULL_RUN)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    order = ["The scrutiny panel", "The pooled budget", "Ending: The principle has been won", "How it felt",
             "Your path beside the real leaders'", "Your profile", "What really happened", "What next"]
    positions = [out.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "Coach:" not in out
    save = json.loads((isolated_saves / "piped.json").read_text())
    assert save["finished"] is True and save["feeling"] == "It felt tense"
    assert save["choices"][:2] == ["ambition", "share-now"] and save["choices"][-1] == "confront"
    assert "\x1b" not in out


def test_coached_mode_shows_rationale_after_each_decision():
    result = run_cli("play", str(MINI), "--plain", "--coached", input=FULL_RUN)
    assert "Coach:" in result.stdout and "paper §2.5" in result.stdout
    assert "+2 Information sharing" in result.stdout


def test_choices_by_id_and_bad_answers_are_handled():
    result = run_cli("play", str(MINI), "--plain", input="7\nwhatever\nambition\nq\n")
    assert "Please type a number from 1 to 2" in result.stdout
    assert "The Children's Trust Board" in result.stdout and "Saved as" in result.stdout


def test_input_ending_mid_game_leaves_a_resumable_save(isolated_saves):
    first = run_cli("play", str(MINI), "--plain", "--save", "half", input="stark\n")
    assert first.returncode == 0 and "Input ended" in first.stdout
    assert json.loads((isolated_saves / "half.json").read_text())["choices"] == ["stark"]
    resumed = run_cli("play", "--plain", "--resume", "half", input="share-now\n\n\nescalate\n\n")
    assert resumed.returncode == 0
    assert "The Children's Trust Board" in resumed.stdout and "What really happened" in resumed.stdout
    assert json.loads((isolated_saves / "half.json").read_text())["finished"] is True


def test_resume_without_a_name_takes_the_newest_unfinished_game(isolated_saves):
    run_cli("play", str(MINI), "--plain", "--save", "one", input="ambition\n")
    result = run_cli("play", str(MINI), "--plain", "--resume", input="")
    assert "Input ended. Saved as 'one'" in result.stdout


def test_resume_of_a_missing_or_corrupt_save_is_a_clear_error(isolated_saves):
    missing = run_cli("play", "--plain", "--resume", "ghost")
    assert missing.returncode == 2 and "no such leadgame save" in missing.stderr
    isolated_saves.mkdir(parents=True, exist_ok=True)
    (isolated_saves / "torn.json").write_text('{"format_version": 1, "na')
    torn = run_cli("play", "--plain", "--resume", "torn")
    assert torn.returncode == 2 and "not valid JSON" in torn.stderr and "Traceback" not in torn.stderr
    escape = run_cli("play", "--plain", "--resume", "../../etc/passwd")
    assert escape.returncode == 2 and "not a usable save name" in escape.stderr


def test_playing_a_broken_scenario_lists_its_problems(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINI.read_text().replace("start: panel", "start: lobby"))
    result = run_cli("play", str(broken), "--plain")
    assert result.returncode == 1
    assert "E-REF-SCENE [start]" in result.stderr and "Traceback" not in result.stderr


def test_unknown_scenario_is_a_usage_error():
    result = run_cli("play", "atlantis", "--plain")
    assert result.returncode == 2 and "no scenario called 'atlantis'" in result.stderr


def read_until(process: subprocess.Popen, words: str, count: int, timeout: float = 60) -> str:
    """The child's output up to the `count`th time it shows `words` (a prompt), read as it comes."""
    seen, descriptor = b"", process.stdout.fileno()
    deadline = time.monotonic() + timeout
    while seen.decode("utf-8", "replace").count(words) < count:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"never showed {words!r} {count} times; it showed:\n{seen.decode('utf-8', 'replace')}"
        if select.select([descriptor], [], [], remaining)[0]:
            chunk = os.read(descriptor, 65536)
            assert chunk, f"it ended before showing {words!r} {count} times:\n{seen.decode('utf-8', 'replace')}"
            seen += chunk
    return seen.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_at_a_prompt_leaves_a_resumable_save(isolated_saves):
    env = {**os.environ, "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "leadgame.cli", "play", str(MINI), "--plain", "--save", "interrupted"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as at a terminal, even if this run ignores Ctrl-C
    )
    try:
        process.stdin.write(b"stark\n")  # by id: the order on screen is shuffled
        process.stdin.flush()
        shown = read_until(process, "Your choice (1-2): ", 2)  # the second decision's prompt, waiting
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)  # stdin stays open: an end of input would end the game another way
        out, err = shown + process.stdout.read().decode(), process.stderr.read().decode()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            stream.close()
    assert process.returncode == 130, (out, err)
    assert "Interrupted. Saved as 'interrupted'" in out and "Traceback" not in err
    assert json.loads((isolated_saves / "interrupted.json").read_text())["choices"] == ["stark"]


def test_validate_and_check_accept_a_scenario_id():
    env = {"LEADGAME_SCENARIOS": str(FIXTURE_SCENARIOS)}
    assert "1 file(s) checked: no problems" in run_cli("validate", "mini-pilot", env=env).stdout
    assert "0 errors" in run_cli("check", "mini-pilot", env=env).stdout
    unknown = run_cli("validate", "atlantis", env=env)
    assert unknown.returncode == 2 and "no scenario called 'atlantis'" in unknown.stderr


def test_plain_debrief_and_export_carry_the_same_sections(isolated_saves):
    from leadgame.core.debrief import FELT, HAPPENED, NEXT, PATH, PROFILE

    typed = "stark\nn\nThe board went quiet\nshare-now\n\n\ncede\nTense\nPartners who nod along\n"
    played = run_cli("play", str(MINI), "--plain", "--seed", "0", "--save", "same", input=typed)
    assert played.returncode == 0, played.stderr
    assert "Noted." in played.stdout and "leadgame export same" in played.stdout
    save = json.loads((isolated_saves / "same.json").read_text())
    assert save["notes"] == {"1": "The board went quiet"}  # typed at the second decision
    assert list(save["answers"].values()) == ["Partners who nod along"]

    exported = run_cli("export", "same")
    assert exported.returncode == 0, exported.stderr
    markdown = (isolated_saves / "exports" / "same-debrief.md").read_text(encoding="utf-8")
    assert (isolated_saves / "exports" / "same-debrief.html").is_file()
    assert f"Wrote {isolated_saves / 'exports' / 'same-debrief.md'}" in exported.stdout
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert [h.split(":")[0].split(" (")[0] for h in headings] == [FELT, PATH, PROFILE, "Your ending", HAPPENED, NEXT.split(":")[0]]
    plain = played.stdout[played.stdout.index("Debrief: Mini"):]
    positions = [plain.index(heading) for heading in headings]  # every section, in the same order
    assert positions == sorted(positions)
    for words in ("The board went quiet", "Tense", "Partners who nod along", "the real leaders:"):
        assert words in plain and words in markdown


def test_export_to_a_named_folder_and_a_missing_save(isolated_saves, tmp_path):
    run_cli("play", str(MINI), "--plain", "--save", "kept", input=FULL_RUN)
    result = run_cli("export", "kept", "-o", str(tmp_path / "handouts"))
    assert result.returncode == 0 and (tmp_path / "handouts" / "kept-debrief.html").is_file()
    missing = run_cli("export", "nosuch")
    assert missing.returncode == 2 and "no such leadgame save" in missing.stderr and "Traceback" not in missing.stderr
