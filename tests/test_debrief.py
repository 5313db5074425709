"""The debrief model: the learner's path beside the real leaders', each decision told once, the
profile with the real leaders' positions, what-if comparisons, and the Markdown and HTML that
plain mode and export write from it."""

from __future__ import annotations

import re

import pytest

from leadgame.core import engine
from leadgame.core.debrief import (AWAY, FELT, HAPPENED, NEXT, OTHER, PATH, PROFILE, SAME, SILENT, WHAT_IF, build_debrief,
                                   compare, junctures, profile_line, sections, to_markdown)
from leadgame.core.real import real_path
from leadgame.core.saves import SaveGame
from leadgame.core.scoring import profile

RUN = ("stark", "share-now", "continue", "continue", "cede")  # seed 0: the chance passage comes up
OTHER_RUN = ("stark", "share-later", "continue", "continue", "cede")


def finished(mini, log=RUN, seed=0):
    return engine.replay(mini, seed, log).state


def headings(markdown: str) -> list[str]:
    return [line[3:] for line in markdown.splitlines() if line.startswith("## ")]


def test_sections_follow_the_reflection_cycle(mini):
    debrief = build_debrief(finished(mini), "Uneasy")
    assert [s.heading for s in sections(debrief)] == [
        FELT, PATH, PROFILE, "Your ending: Work still in progress", f"{HAPPENED} (paper §2.5)", NEXT]
    assert headings(to_markdown(debrief)) == [s.heading for s in sections(debrief)]
    compared = build_debrief(finished(mini), origin=finished(mini, OTHER_RUN))
    assert [s.heading for s in sections(compared)][-2:] == [WHAT_IF, NEXT]


def test_each_decision_is_told_once_with_what_it_gained_and_cost(mini):
    state = finished(mini)
    text = to_markdown(build_debrief(state))
    for step in state.history:
        choice = next(c for c in mini.scenes[step.scene].choices if c.id == step.choice)
        if choice.rationale:
            assert text.count(choice.rationale) == 1, choice.id
    assert re.findall(r"^### (\d+)\. ", text, re.M) == ["1", "2", "3"]  # passages are not numbered
    assert "*Then: Winter.*" in text
    stark = text[text.index("### 1."):text.index("### 2.")]
    assert "**Gained:** Burning platform and burning ambition +2, Courage, risk and conflict +1" in stark
    assert "**Cost:** Trust and relationships −2" in stark
    assert "**Not taken:** Lead with the one-time opportunity" in stark
    assert "(paper §2.5)" in stark


def test_the_real_leaders_choice_at_each_juncture(mini):
    state = finished(mini)
    real = real_path(mini, 0).state
    path = [j for j in junctures(state, real) if j.decision]
    assert [j.real.kind for j in path] == [OTHER, OTHER, SAME]
    assert path[0].real.label == "Lead with the one-time opportunity to change children's services"
    assert path[0].real.words(mini.source) == "Lead with the one-time opportunity to change children's services (paper §2.5)"
    assert path[2].real.words(mini.source) == "the same (paper §2.5)"
    # the options as the learner saw them, the one taken and the real leaders' marked
    seen = [c.label for c in engine.ordered_choices(engine.start(mini, 0))]
    assert [o.label for o in path[0].options] == seen
    assert [o.label for o in path[0].options if o.chosen] == ["Paint the perfect storm in stark terms"]
    assert [o.label for o in path[0].options if o.real] == [path[0].real.label]
    # a real path that stopped at the first decision never came to the later ones
    partial = engine.replay(mini, 0, ("ambition",)).state
    away = [j for j in junctures(state, partial) if j.decision]
    assert [j.real.kind for j in away] == [OTHER, AWAY, AWAY]
    assert away[1].real.words(mini.source) == "the real leaders' path did not come this way"
    assert not any(o.real for o in away[1].options)


def test_the_paper_silent_and_no_real_path_declared(mini):
    from dataclasses import replace

    scenes = dict(mini.scenes)
    board = scenes["trust-board"]
    scenes["trust-board"] = replace(board, choices=tuple(replace(c, real="silent" if c.real else "") for c in board.choices))
    silent = replace(mini, scenes=scenes)
    state = engine.replay(silent, 0, RUN).state
    kinds = [j.real.kind for j in build_debrief(state).path if j.decision]
    assert kinds == [OTHER, SILENT, SAME]
    assert "the paper is silent on what they chose here" in to_markdown(build_debrief(state))
    plain = {k: replace(s, choices=tuple(replace(c, real="") for c in s.choices)) for k, s in mini.scenes.items()}
    undeclared = build_debrief(engine.replay(replace(mini, scenes=plain), 0, RUN).state)
    assert {j.real.kind for j in undeclared.path} == {""} and not undeclared.real_profile
    assert "real leaders" not in to_markdown(undeclared).split("## Your profile")[1].split("## Your ending")[0]


def test_a_case_from_a_report_or_invented_speaks_in_its_own_words(mini):
    from dataclasses import replace

    from leadgame.core.debrief import PATH_ALONE
    from leadgame.core.model import Source

    scenes = dict(mini.scenes)
    board = scenes["trust-board"]
    scenes["trust-board"] = replace(board, choices=tuple(replace(c, real="silent" if c.real else "") for c in board.choices))
    report = replace(mini, scenes=scenes, source=Source("report", "Early Help review"))
    text = to_markdown(build_debrief(engine.replay(report, 0, RUN).state))
    assert "paper" not in text.lower()
    assert "the source is silent on what they chose here" in text and "(Early Help review, 2.5)" in text
    assert "where the source reports what the real leaders chose" in text
    invented = replace(mini, source=Source("fiction", "Author's notes"))  # real: marks, but no real leaders
    debrief = build_debrief(engine.replay(invented, 0, RUN).state)
    text = to_markdown(debrief)
    assert headings(text)[1] == PATH_ALONE and "This case is invented" in text
    assert "real leaders" not in text.replace("no real leaders' choices", "") and not debrief.real_profile
    assert "## What tends to happen in cases like this (Author's notes, 2.5)" in text


def test_profile_reads_aloud_with_the_real_leaders_and_sorts_by_how_far_it_leans(mini):
    state = finished(mini)
    debrief = build_debrief(state)
    real = {s.construct.id: s for s in profile(real_path(mini, 0).state)}
    assert dict(debrief.real_profile) == real
    trust = next(s for s in debrief.profile if s.construct.id == "trust_relationships")
    assert profile_line(trust, real["trust_relationships"]) == (
        f"Trust and relationships: {trust.on_scale} of 10, from {trust.decisions} decisions; "
        f"the real leaders: {real['trust_relationships'].on_scale}")
    leans = [abs(s.position - 0.5) for s in debrief.profile if s.position is not None]
    assert leans == sorted(leans, reverse=True) and leans[0] > leans[-1]
    assert f"- {profile_line(trust, real['trust_relationships'])}" in to_markdown(debrief)


def test_notes_answers_mode_date_and_learner_text_that_cannot_forge_sections(mini):
    state = finished(mini)
    save = SaveGame("mine", mini.id, mini.content_hash, 0, RUN, coached=True, updated="2026-03-04T12:00:00+00:00",
                    feeling="## Hacked\nsecond line", notes={1: "Felt rushed", 2: "A quiet winter"},
                    answers={mini.reflection[0]: "The council, *often*.\n- and [more](x)"})
    debrief = build_debrief(state, save.feeling, save=save)
    text = to_markdown(debrief)
    assert headings(text) == [s.heading for s in sections(debrief)]  # nothing the learner typed became a heading
    assert "*Played 4 March 2026 · Coached mode*" in text
    board = text[text.index("### 2."):text.index("### 3.")]
    assert "- **Your note:** Felt rushed" in board
    assert "*Then: Winter.*  \n**Your note:** A quiet winter" in text
    assert "\\#\\# Hacked  \nsecond line" in text
    assert "The council, \\*often\\*\\.  \n   \\- and \\[more\\]\\(x\\)" in text


def test_comparison_finds_where_the_paths_part_and_each_constructs_change(mini):
    first, second = finished(mini), finished(mini, OTHER_RUN)
    comparison = compare(first, second)
    assert (comparison.shared, comparison.parting) == (1, 2)
    assert [(n, a.choice_label, b.choice_label) for n, a, b in comparison.rows()][1] == (
        2, "Start the data-sharing protocols now", "Build relationships first; data can wait")
    mine = {s.construct.id: s.on_scale for s in profile(first)}
    theirs = {s.construct.id: s.on_scale for s in profile(second)}
    for change in comparison.changes:
        cid = change.construct.id
        expected = None if mine[cid] is None or theirs[cid] is None else theirs[cid] - mine[cid]
        assert change.change == expected
    moved = [abs(c.change) for c in comparison.changes if c.change is not None]
    assert moved == sorted(moved, reverse=True)
    assert compare(first, first).parting == 0
    save = SaveGame("whatif", mini.id, mini.content_hash, 0, OTHER_RUN, origin="first", branched_at=1)
    text = to_markdown(build_debrief(second, save=save, origin=first))
    what_if = text.split("## What if")[1].split("## What next")[0]
    assert "What if: replayed from decision 2 of 'first'. The two paths part at decision 2." in what_if
    assert "- Decision 1, The scrutiny panel: both runs chose Paint the perfect storm in stark terms." in what_if
    assert "**They part here.**" in what_if and "Information sharing: 10 → 0 (−10)" in what_if


def test_saves_keep_notes_answers_and_what_if_origin(mini, tmp_path):
    from leadgame.core.saves import read_save, write_save

    save = SaveGame("keep", mini.id, mini.content_hash, 3, ("stark",), notes={0: "first \x1b[31mthought"},
                    answers={"Why?": "Because"}, origin="older-game", branched_at=2)
    back = read_save(write_save(tmp_path, save))
    assert back.notes == {0: "first [31mthought"} and back.answers == {"Why?": "Because"}
    assert (back.origin, back.branched_at) == ("older-game", 2)


def test_a_format_3_save_opens_with_nothing_written_and_is_kept_as_format_4(mini, tmp_path):
    import json

    from leadgame.core.saves import FORMAT_VERSION, read_save, write_save

    path = write_save(tmp_path, SaveGame("older", mini.id, mini.content_hash, 0, ("stark",)))
    data = json.loads(path.read_text())
    for key in ("notes", "answers", "origin", "branched_at"):
        del data[key]
    path.write_text(json.dumps({**data, "format_version": 3}))
    back = read_save(path)
    assert back.choices == ("stark",) and (back.notes, back.answers, back.origin) == ({}, {}, "")
    assert FORMAT_VERSION == 4 and json.loads(write_save(tmp_path, back).read_text())["format_version"] == 4


def test_notes_and_answers_are_made_only_once_saved_and_a_test_run_writes_nothing(mini, tmp_path, monkeypatch):
    from leadgame.core import saves
    from leadgame.core.saves import SaveError
    from leadgame.core.session import Session

    game = Session.new(mini, tmp_path, name="kept", seed=0)
    game.set_note(0, "before the disk filled")
    real = saves.atomic_write

    def full_disk(path, text, keep_backup=False):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(saves, "atomic_write", full_disk)
    for write in (lambda: game.set_note(0, "lost?"), lambda: game.set_answer(mini.reflection[0], "lost?")):
        with pytest.raises(SaveError, match="full"):
            write()
    assert game.save.notes == {0: "before the disk filled"} and game.save.answers == {}  # the game is as it was
    monkeypatch.setattr(saves, "atomic_write", real)
    game.close()
    trial = Session.new(mini, tmp_path / "nothing", name="trial", seed=0, persist=False)
    trial.set_note(0, "kept in memory")
    trial.set_answer(mini.reflection[0], "and this")
    assert trial.save.notes == {0: "kept in memory"} and not (tmp_path / "nothing").exists()


@pytest.mark.parametrize("field, value", [("notes", {"x": "a"}), ("notes", ["a"]), ("answers", {"q": 3}),
                                          ("origin", "../elsewhere"), ("branched_at", -1), ("branched_at", True),
                                          ("notes", {str(i): "n" for i in range(501)}), ("notes", {"²": "n"})])
def test_a_hand_edited_save_with_bad_learner_fields_is_refused_by_name(mini, tmp_path, field, value):
    import json

    from leadgame.core.saves import SaveError, read_save, write_save

    path = write_save(tmp_path, SaveGame("odd", mini.id, mini.content_hash))
    data = json.loads(path.read_text())
    data[field] = value
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match=f"'{field}'"):
        read_save(path)


def test_a_branch_keeps_earlier_notes_and_finds_its_first_run(mini, tmp_path):
    from leadgame.core.session import Session, saved_debrief

    game = Session.new(mini, tmp_path, name="first", seed=0)
    game.set_note(0, "before the panel")
    for choice in RUN:
        game.choose(choice)
    game.set_note(3, "after the winter")
    branch = game.branch(1)
    assert branch.save.notes == {0: "before the panel"} and branch.save.origin == "first"
    for choice in OTHER_RUN[1:]:
        branch.choose(choice)
    branch.close()
    game.close()
    debrief = saved_debrief(mini, tmp_path, branch.save)
    assert debrief.comparison is not None and debrief.comparison.parting == 2
    assert debrief.label == "What if: replayed from decision 2 of 'first'"
    (tmp_path / "first.json").unlink()  # the first run's save is gone: no comparison, no error
    assert saved_debrief(mini, tmp_path, branch.save).comparison is None


def test_typical_decisions_are_worked_out_once_per_version(mini, tmp_path, monkeypatch):
    from leadgame.core import pace

    assert pace.typical_decisions(mini) == pace.typical_decisions(mini) == 3
    assert pace.cached_typical_decisions(mini, tmp_path) == 3
    monkeypatch.setattr(pace, "typical_decisions", lambda scenario: pytest.fail("measured again"))
    assert pace.cached_typical_decisions(mini, tmp_path) == 3
    (tmp_path / pace.CACHE_FILE).write_text("{not json")
    monkeypatch.setattr(pace, "typical_decisions", lambda scenario: 7)
    assert pace.cached_typical_decisions(mini, tmp_path) == 7  # a broken cache is measured again, never an error


def test_export_writes_the_same_sections_as_markdown_and_html(mini, tmp_path):
    from leadgame.export import export_debrief

    save = SaveGame("mine", mini.id, mini.content_hash, 0, RUN, feeling="<script>alert(1)</script>",
                    notes={1: "<b>bold?</b>"}, answers={mini.reflection[0]: "<img src=x onerror=alert(1)>"})
    debrief = build_debrief(finished(mini), save.feeling, save=save, origin=finished(mini, OTHER_RUN))
    markdown, html = export_debrief(debrief, tmp_path / "out", "mine")
    text, page = markdown.read_text(), html.read_text()
    assert text == to_markdown(debrief)
    from html import unescape

    assert [unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", page)] == headings(text)
    for raw in ("<script>", "<b>bold", "<img"):
        assert raw not in page
    assert "&lt;script&gt;" in page and "svg" in page and "◆ the real leaders" in page
    assert export_debrief(debrief, tmp_path / "out", "mine") == (markdown, html)  # a later export replaces them
