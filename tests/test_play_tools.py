"""Authors' tools for testing a branch, driven through the command line as an author would:
`play --from SCENE --set VAR=VALUE`, `--no-save`, `--ending ID` and `--script FILE`."""

from __future__ import annotations

from support import FOLLOWS, MINI, run_cli


def saves(folder):
    """Every file under the saves folder (the ranges cache included), by name."""
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def test_from_a_scene_with_variables_set_reaches_gated_text_and_saves_nothing(isolated_saves):
    env = {"LEADGAME_SAVES": str(isolated_saves)}
    result = run_cli("play", str(FOLLOWS), "--plain", "--from", "review", "--set", "cafe_funded=true",
                     "--set", "trust=3", "--set", "stance=leading", input="share\n\n", env=env)
    assert result.returncode == 0, result.stderr
    assert "You are leading now. Parents nod as you come in." in result.stdout
    assert "Lena speaks first, about the café." in result.stdout
    assert "This was a test run: nothing was saved." in result.stdout
    assert saves(isolated_saves) == []


def test_set_refuses_what_the_variable_cannot_hold():
    for assignment, words in (("trust=9", "'trust' is kept between 0 and 3; 9 is outside"),
                              ("cafe_funded=yes", "'cafe_funded' holds true or false, not 'yes'"),
                              ("stance=bold", "'stance' holds one of waiting, leading, withdrawn, sharing, not 'bold'"),
                              ("trsut=1", "no variable 'trsut'; did you mean 'trust'?"),
                              ("trust", "--set wants VAR=VALUE")):
        result = run_cli("play", str(FOLLOWS), "--plain", "--set", assignment, input="")
        assert result.returncode == 2 and words in result.stderr, (assignment, result.stderr)


def test_no_save_plays_a_whole_game_and_leaves_nothing(isolated_saves):
    env = {"LEADGAME_SAVES": str(isolated_saves)}
    result = run_cli("play", str(MINI), "--plain", "--no-save", input="1\n1\n\n\n1\nfine\n", env=env)
    assert result.returncode == 0 and "What really happened" in result.stdout
    assert "q to stop" in result.stdout and "q to save and stop" not in result.stdout
    assert saves(isolated_saves) == [] and not list(isolated_saves.glob(".*.lock"))  # no save, no lock
    kept = run_cli("play", str(MINI), "--plain", "--save", "kept", input="1\n", env=env)
    assert "Saved as 'kept'" in kept.stdout and "kept.json" in saves(isolated_saves)


def test_ending_preview_shows_the_ending_and_its_debrief(isolated_saves):
    env = {"LEADGAME_SAVES": str(isolated_saves)}
    result = run_cli("play", str(FOLLOWS), "--plain", "--ending", "together", "--set", "delayed=true", input="", env=env)
    assert result.returncode == 0, result.stderr
    assert "Ending: Together" in result.stdout and "The café is still open a year later despite the slow start." in result.stdout
    assert "What tends to happen in cases like this" in result.stdout and "_No decisions._" not in result.stdout
    assert "No decisions" in result.stdout  # a preview has no path behind it
    assert saves(isolated_saves) == []
    missing = run_cli("play", str(FOLLOWS), "--plain", "--ending", "end-blame", input="")
    assert missing.returncode == 2 and "there is no scene or ending 'end-blame'" in missing.stderr
    both = run_cli("play", str(FOLLOWS), "--plain", "--ending", "together", "--from", "review")
    assert both.returncode == 2 and "--ending shows an ending straight away" in both.stderr


def test_a_script_plays_choice_ids_with_passages_implied(tmp_path, isolated_saves):
    script = tmp_path / "path.txt"
    script.write_text("# the café path\ncafe\n\nshare\n", encoding="utf-8")
    env = {"LEADGAME_SAVES": str(isolated_saves)}
    result = run_cli("play", str(FOLLOWS), "--plain", "--script", str(script), "--no-save", input="", env=env)
    assert result.returncode == 0, result.stderr
    assert "Your choice (1-2): cafe" in result.stdout and "[Enter] Continue" in result.stdout
    assert "Your choice (1-2): share" in result.stdout and "Ending: Together" in result.stdout
    again = run_cli("play", str(FOLLOWS), "--plain", "--script", str(script), "--no-save", input="", env=env)
    assert again.stdout == result.stdout  # repeatable
    partial = tmp_path / "partial.txt"
    partial.write_text("system\n", encoding="utf-8")
    played_on = run_cli("play", str(FOLLOWS), "--plain", "--script", str(partial), "--no-save", input="\nown\n\n", env=env)
    assert "Your choice (1-2): own" in played_on.stdout and "Ending: Apart" in played_on.stdout  # typed input takes over


def test_a_script_line_that_does_not_fit_is_named_with_its_line(tmp_path):
    script = tmp_path / "path.txt"
    script.write_text("cafe\n# then\ncourt\n", encoding="utf-8")
    result = run_cli("play", str(FOLLOWS), "--plain", "--script", str(script), input="")
    assert result.returncode == 2
    assert f"{script}:3: 'court' is not offered in scene 'review' (The review); offered here: own, share" in result.stderr
    script.write_text("cafe\nown\nshare\n", encoding="utf-8")
    ended = run_cli("play", str(FOLLOWS), "--plain", "--script", str(script), input="")
    assert f"{script}:3: 'share': the story has already ended (at 'apart')" in ended.stderr
    assert run_cli("play", str(FOLLOWS), "--plain", "--script", str(tmp_path / "none.txt")).returncode == 2
