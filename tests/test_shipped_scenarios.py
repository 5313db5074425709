"""The three case studies: complete, faithful to the format's learning rules, and playable to
every ending the way a learner plays them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from support import REPO, run_cli
from leadgame import library
from leadgame.core import engine
from leadgame.core.debrief import build_debrief
from leadgame.core.loader import load_constructs
from leadgame.authoring.check import check_file
from playthroughs import paths_to_endings, plain_input

SCENARIOS = REPO / "scenarios"
FILES = sorted(p for p in SCENARIOS.glob("*.yaml") if p.name != "constructs.yaml")
EXPECTED = {"barnet-troubled-families", "nwl-integrated-care", "bradford-total-place"}


def test_all_three_case_studies_ship():
    assert {p.stem for p in FILES} == EXPECTED


def test_validate_passes_on_the_scenarios_folder():
    result = run_cli("validate", str(SCENARIOS))
    assert result.returncode == 0, result.stdout
    assert f"{len(FILES) + 1} file(s) checked: no problems" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_scenario_meets_every_case_study_requirement(path):
    """The checker finds nothing (every scene and ending reachable, no dead end or loop, no
    dominated option, every construct able to rise and fall, scenes under 180 words, facilitator
    notes and prompts on every decision), and the case is as big as a case study must be."""
    report = check_file(path)
    assert [str(f) for f in report.errors + report.warnings] == []
    found = report.exploration
    assert len(report.scenario.scenes) >= 30 and len(report.scenario.endings) >= 4
    assert found.decisions["min"] >= 10


def test_construct_catalogue_is_used_across_scenarios():
    catalogue = load_constructs(SCENARIOS / "constructs.yaml")
    assert 10 <= len(catalogue) <= 14
    uses = Counter(c for path in FILES for c in library.load(path).scored_constructs)
    assert {c: uses[c] for c in catalogue if uses[c] < 2} == {}
    for construct in catalogue.values():
        assert construct.definition and construct.sections


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_ending_is_playable_in_plain_mode(path):
    scenario = library.load(path)
    routes = paths_to_endings(scenario)
    assert set(routes) == set(scenario.endings)
    for ending_id, (seed, log) in routes.items():
        result = run_cli("play", str(path), "--plain", "--seed", str(seed), "--save", f"to-{ending_id}",
                         input=plain_input(scenario, seed, log, feeling="Thoughtful"))
        assert result.returncode == 0, result.stderr
        title = scenario.endings[ending_id].title
        assert f"Ending: {title}" in " ".join(result.stdout.split()), ending_id
        assert "What really happened" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_scripted_playthroughs_give_distinct_profiles_with_their_evidence(path):
    scenario = library.load(path)
    routes = paths_to_endings(scenario)
    debriefs = {}
    for ending_id in list(routes)[:2]:
        seed, log = routes[ending_id]
        state = engine.replay(scenario, seed, log).state
        assert state.node == ending_id
        debrief = build_debrief(state, feeling="noted")
        debriefs[ending_id] = debrief
        assert [s.construct.id for s in debrief.profile] and {s.construct.id for s in debrief.profile} == set(scenario.scored_constructs)
        for score in debrief.profile:
            places = [item.place for item in score.evidence if item.place is not None]
            assert score.decisions == len(places)
            assert score.position == (pytest.approx(sum(places) / len(places)) if places else None)
            assert score.total == sum(item.delta for item in score.evidence)
            moved = [i for i, step in enumerate(state.history, 1)
                     if score.construct.id in _choice(scenario, step).scores]
            assert set(moved) <= {item.step for item in score.evidence}
            assert all(item.rationale and item.ref for item in score.evidence)
        assert debrief.ending.what_really_happened
        assert len(debrief.decisions) >= 10
    first, second = debriefs.values()
    assert [(s.construct.id, s.position) for s in first.profile] != [(s.construct.id, s.position) for s in second.profile]


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_real_leaders_path_tells_the_papers_story_and_scores_well(path):
    """The path the paper reports reaches the ending that tells the paper's account, whatever
    the chance events, and its profile is in the top quarter of random play (it need not be
    the best: the leaders' own hindsight leaves room to do better)."""
    from leadgame.authoring.design import analyse
    from leadgame.core.real import real_path

    report = check_file(path)
    scenario = report.scenario
    told = {e.id for e in scenario.endings.values() if e.real}
    assert len(told) == 1
    for seed in range(8):
        path_taken = real_path(scenario, seed)
        assert path_taken.complete and path_taken.state.node in told, (seed, path_taken.stopped)
    design = analyse(scenario, report.exploration)
    assert design.real.percentile >= 75


def _choice(scenario, step):
    return next(c for c in scenario.scenes[step.scene].choices if c.id == step.choice)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_choice_cites_a_section_of_its_case(path):
    scenario = library.load(path)
    chapter = {"barnet-troubled-families": "2", "nwl-integrated-care": "3", "bradford-total-place": "4"}[path.stem]
    refs = [c.ref for s in scenario.scenes.values() for c in s.choices if c.scores]
    assert refs and all(ref.split(".")[0] in "1234" for ref in refs)
    assert sum(ref.startswith(chapter) for ref in refs) / len(refs) > 0.8


def test_the_checker_passes_the_shipped_scenarios():
    result = run_cli("check", str(SCENARIOS))
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("0 errors") == len(FILES)


PAPER = REPO.parent / "shared" / "paper" / "000_ee7f87da510b47a4.txt"


def _normalise(text: str) -> str:
    for fancy, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("…", "..."), ("–", "-"), ("—", "-"), ("*", "")):
        text = text.replace(fancy, plain)
    return " ".join(text.split()).lower()


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


@pytest.mark.skipif(not PAPER.is_file(), reason="the source paper lives beside the repository, in shared/")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_quotation_of_four_words_or_more_is_verbatim_from_the_paper(path):
    import re

    import yaml

    paper = _normalise(PAPER.read_text(encoding="utf-8"))
    checked, misquoted = 0, []
    for text in _texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
        for quote in re.findall(r'"([^"]*)"', _normalise(text)):
            # Quotes may elide with "..." or add [clarifications] / (asides): check each run of words.
            runs = [r.strip(" .,;:") for r in re.split(r"\.\.\.|\[[^\]]*\]|\([^)]*\)", quote)]
            runs = [r for r in runs if len(r.split()) >= 4]
            checked += bool(runs)
            misquoted += [quote for r in runs if r not in paper][:1]
    assert misquoted == []
    assert checked >= 3
