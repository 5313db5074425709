"""The README's commands do what it says they do."""

from __future__ import annotations

import re
import shlex

from support import REPO, run_cli

README = (REPO / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_quick_start_is_one_command_to_play_and_one_to_test() -> None:
    play, test = quick_start_commands()
    assert play.endswith(".venv/bin/leadgame") and "python3 -m venv .venv" in play
    assert test.endswith(".venv/bin/pytest") and "'.[test]'" in test
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci, "CI runs the README's test command"


def test_the_piped_example_plays_by_choice_id_whatever_the_order() -> None:
    match = re.search(r"`printf '([^']*)' \| leadgame (play [^`]*)`", README)
    assert match, "the README shows a piped plain-mode example"
    answers = match.group(1).encode().decode("unicode_escape")
    args = shlex.split(match.group(2))
    outcomes = set()
    for seed in ("1", "2", "3"):
        result = run_cli(*args, "--seed", seed, "--no-save", input=answers + "q\n")
        assert result.returncode == 0, result.stderr
        assert "Please type" not in result.stdout, "every answer was taken"
        prompts = result.stdout.split("Your choice")
        assert len(prompts) == 3, "one decision made, the next one asked"
        outcomes.add(prompts[1].split("\n", 2)[1].strip())
    # The same id leads to the same consequence however the options were ordered.
    assert len(outcomes) == 1 and outcomes != {""}
