"""Team mode: `play --team NAME --session CODE` tags each team's save, names it safely from
untrusted words, and never lets one team's game overwrite another's."""

from __future__ import annotations

import json

from support import FIXTURE_SCENARIOS, run_cli

ENV = {"LEADGAME_SCENARIOS": str(FIXTURE_SCENARIOS)}


def test_teams_get_their_own_tagged_saves(isolated_saves):
    env = {**ENV, "LEADGAME_SAVES": str(isolated_saves)}
    for team in ("Red", "Red", "../<script>x</script>"):
        result = run_cli("play", "mini-pilot", "--plain", "--team", team, "--session", "Wed AM", input="1\nq\n", env=env)
        assert result.returncode == 0, result.stderr
    saves = sorted(isolated_saves.glob("*.json"))
    assert len(saves) == 3  # the same team twice is two games, not one overwritten
    names = [path.stem for path in saves]
    assert all(name.startswith("Wed-AM-") for name in names)
    assert not any("Red" in name or "script" in name for name in names), "a file name never reveals its team"
    tags = sorted((data["team"], data["session"]) for data in (json.loads(p.read_text()) for p in saves))
    assert tags == [("../<script>x</script>", "Wed AM"), ("Red", "Wed AM"), ("Red", "Wed AM")]  # kept as typed, escaped on output


def test_a_team_name_with_nothing_usable_still_plays(isolated_saves):
    env = {**ENV, "LEADGAME_SAVES": str(isolated_saves)}
    result = run_cli("play", "mini-pilot", "--plain", "--team", "<<>>", input="q\n", env=env)
    assert result.returncode == 0, result.stderr
    assert [p.stem.split("-")[0] for p in isolated_saves.glob("*.json")] == ["team"]
