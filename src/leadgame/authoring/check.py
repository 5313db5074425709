"""`leadgame check`: explore every reachable state of a scenario and report what an author
needs to know, as errors (the scenario is broken) and warnings (the learning design is weak).

Builds on core exploration, like ChoiceScript's quicktest but exhaustive: every option and
both sides of every condition are visited because every reachable state is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leadgame import library
from leadgame.authoring import design as ld
from leadgame.core.audit import dominated_choices, one_way_constructs, scene_words, total_words
from leadgame.core.explore import Exploration, ExplorationLimit, survey
from leadgame.core.model import Scenario
from leadgame.core.problems import ScenarioError
from leadgame.core.templates import Template

MAX_SCENE_WORDS = 180


@dataclass(frozen=True, order=True)
class Finding:
    """One finding, printed as `leadgame validate` prints a problem: file:line:column: CODE message."""

    path: str
    line: int
    severity: str  # "error" | "warning" | "note"
    code: str
    message: str
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"


@dataclass
class Report:
    path: str
    scenario: Scenario | None = None
    exploration: Exploration | None = None
    design: ld.Design | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return sorted(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> list[Finding]:
        return sorted(f for f in self.findings if f.severity == "warning")

    @property
    def notes(self) -> list[Finding]:
        return sorted(f for f in self.findings if f.severity == "note")

    def add(self, severity: str, code: str, where, message: str, column: int = 1, owner=None) -> None:
        """`where` is a line number, or a scene, choice, ending or variable (its own file, line and
        column); `owner` names the file a bare line number is in (an included file's scene)."""
        path = getattr(owner or where, "file", "") or self.path
        if not isinstance(where, int):
            where, column = where.line or 1, where.column or 1
        self.findings.append(Finding(path, where, severity, code, message, column))

    def to_dict(self) -> dict:
        scenario, found = self.scenario, self.exploration
        data: dict = {"scenario": scenario.id if scenario else None, "path": self.path}
        if scenario and found:
            data.update({
                "scenes": len(scenario.scenes),
                "reachable_scenes": len(found.reachable_scenes),
                "endings": len(scenario.endings),
                "reachable_endings": len(found.reachable_endings),
                "choices": sum(len(s.choices) for s in scenario.scenes.values()),
                "reachable_choices": len(found.reachable_choices),
                "dead_ends": sorted(found.dead_ends),
                "unreachable": found.unreachable(),
                "loops": [{"scenes": list(loop.scenes), "trapped": loop.trapped} for loop in found.loops],
                "states": found.states,
                "paths": found.paths,
                "decisions_per_playthrough": found.decisions,
                "construct_ranges": {c: list(r) for c, r in sorted(found.construct_ranges.items())},
                "dominated_choices": [
                    {"scene": d.scene, "choice": d.choice, "over": list(d.over)} for d in dominated_choices(found)
                ],
                "words": {"total": total_words(scenario), "scenes": scene_words(scenario)},
                "pinned_scenes": [s.id for s in scenario.scenes.values() if s.order_fixed],
            })
            if self.design:
                data.update(self.design.to_dict())
        data["errors"] = [_finding_dict(f) for f in self.errors]
        data["warnings"] = [_finding_dict(f) for f in self.warnings]
        data["notes"] = [_finding_dict(f) for f in self.notes]
        return data


def _finding_dict(finding: Finding) -> dict:
    return {"path": finding.path, "line": finding.line, "column": finding.column, "code": finding.code, "message": finding.message}


def choice_name(scene_id: str, choice_id: str) -> str:
    return f"scene '{scene_id}', choice '{choice_id}'"


def check_file(path: Path) -> Report:
    report = Report(str(path))
    try:
        report.scenario = library.load(path)
    except ScenarioError as error:
        for problem in error.problems:  # the very line `validate` prints, in the file the problem is in
            key = f"[{problem.key}] " if problem.key else ""
            report.findings.append(Finding(problem.path, problem.line, "error", problem.code,
                                           f"{key}{problem.message} (fix: {problem.hint})", problem.column))
        return report
    try:
        report.exploration = survey(report.scenario)
    except ExplorationLimit as error:
        report.add("error", "C-TOO-MANY-STATES", error.line, str(error))
        return report
    _reachability(report)
    _conditions(report)
    _text_variants(report)
    _variables(report)
    _learning_design(report)
    _outcomes(report)
    if report.errors:  # a broken story cannot be judged as a learning design
        return report
    report.design = ld.analyse(report.scenario, report.exploration)
    _strategies(report)
    _dilemmas(report)
    _real_path(report)
    return report


def _reachability(report: Report) -> None:
    scenario, found = report.scenario, report.exploration
    for scene in scenario.scenes.values():
        if scene.id not in found.reachable_scenes:
            report.add("error", "C-UNREACHABLE-SCENE", scene, f"scene '{scene.id}' can never be reached")
            continue
        for choice in scene.choices:
            if (scene.id, choice.id) not in found.reachable_choices:
                report.add("warning", "C-UNREACHABLE-CHOICE", choice, f"{choice_name(scene.id, choice.id)} is never available")
    for ending in scenario.endings.values():
        if ending.id not in found.reachable_endings:
            report.add("error", "C-UNREACHABLE-ENDING", ending, f"ending '{ending.id}' can never be reached")
    deciding = {scene for scene, _ in found.decision_points}  # lone options where the scene is otherwise a decision
    for scene_id, lone in sorted((s, lone) for s, lone in found.lone_options.items() if s in deciding):
        names = " or ".join(f"'{c}'" for c in sorted(lone))
        report.add("warning", "C-ONE-OPTION", scenario.scenes[scene_id],
                   f"decision '{scene_id}' offers only {names} in some story states: there the learner has nothing to decide")
    for scene_id in sorted(found.dead_ends):
        report.add("error", "C-DEAD-END", scenario.scenes[scene_id], f"scene '{scene_id}' can offer no choice and is not an ending")
    for loop in found.loops:
        first = scenario.scenes[loop.cycle[0]]
        cycle = " -> ".join(loop.cycle + loop.cycle[:1])
        others = [s for s in loop.scenes if s not in loop.cycle]
        also = f" (the loop also passes {', '.join(repr(s) for s in others)})" if others else ""
        if loop.trapped:
            report.add("error", "C-LOOP-TRAPPED", first, f"a loop with no way out to any ending: {cycle}{also}")
        else:
            report.add("warning", "C-LOOP", first, f"the learner can go round {cycle} without end (there is a way out){also}")


def _conditions(report: Report) -> None:
    scenario, found = report.scenario, report.exploration
    for where, values in sorted(found.condition_values.items()):
        if len(values) == 2:
            continue
        always = "always true" if True in values else "never true"
        if where[0] == "ending":
            ending = scenario.endings[where[1]]
            place, text, label = ending, ending.condition, f"ending '{ending.id}'"
        else:
            choice = next(c for c in scenario.scenes[where[1]].choices if c.id == where[2])
            place = choice
            text = choice.condition if where[0] == "choice" else choice.routes[where[3]].condition
            label = choice_name(where[1], where[2]) + (f", route {where[3] + 1}" if where[0] == "route" else "")
        report.add("warning", f"C-{always.upper().replace(' ', '-')}", place, f"condition `{text}` of {label} is {always} wherever it is checked")


def _story_texts(scenario: Scenario):
    """(text, its owner, words naming where it is) for every scene text, consequence and ending text."""
    for scene in scenario.scenes.values():
        yield scene.text, scene, f"scene '{scene.id}'"
        for choice in scene.choices:
            yield choice.consequence, choice, f"the consequence of {choice_name(scene.id, choice.id)}"
    for ending in scenario.endings.values():
        yield ending.text, ending, f"ending '{ending.id}'"


def _text_variants(report: Report) -> None:
    """Conditional text whose condition never varies where the text is shown: a variant no
    learner can see, or a condition that is always true (reported at the text itself)."""
    seen = report.exploration.text_values
    for text, holder, owner in _story_texts(report.scenario):
        for conditional in getattr(text, "conditionals", ()):
            values = seen.get(conditional)
            if values is None or len(values) == 2:
                continue  # never shown (its text or branch is unreachable, reported there) or varies
            condition = conditional.condition
            if True in values and conditional.otherwise is None:
                report.add("warning", "C-TEXT-ALWAYS", conditional.at[0],
                           f"in {owner}, `{condition}` is true wherever the text is shown, so `{{{condition}: …}}` always shows",
                           column=conditional.at[1], owner=holder)
                continue
            line, column = conditional.otherwise_at if True in values else conditional.then_at
            branch = "`|` branch" if True in values else "text after `:`"
            always = "true" if True in values else "false"
            report.add("warning", "C-TEXT-NEVER", line,
                       f"in {owner}, the {branch} of `{{{condition}: …}}` never shows: the condition is {always} "
                       f"wherever the text is shown", column=column, owner=holder)


def _variables(report: Report) -> None:
    scenario = report.scenario
    written: dict[str, object] = {}  # variable -> the first choice, passage or ending that sets or reads it
    read: dict[str, object] = {}
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            for effect in (*choice.effects, *(e for r in choice.routes for e in r.effects)):
                if effect.kind != "score":
                    written.setdefault(effect.target, choice)
            for condition in [choice.condition, *(r.condition for r in choice.routes)]:
                for name in condition.names if condition else ():
                    read.setdefault(name, choice)
    for ending in scenario.endings.values():
        for name in ending.condition.names if ending.condition else ():
            read.setdefault(name, ending)
    for text, owner, _ in _story_texts(scenario):
        for name in sorted(text.names) if isinstance(text, Template) else ():
            read.setdefault(name, owner)
    for name in sorted(scenario.initial_state):
        declared = scenario.variables.get(name) or 1
        if name in written and name not in read:
            report.add("warning", "C-VAR-UNREAD", written[name], f"variable '{name}' is set but never read")
        elif name in read and name not in written:
            report.add("warning", "C-VAR-UNSET", read[name], f"variable '{name}' is read but never set, so it never changes")
        elif name not in read:
            report.add("warning", "C-VAR-UNUSED", declared, f"variable '{name}' is declared but never used")


def _first_scored(scenario: Scenario) -> dict:
    """Each construct's first scoring choice: where a finding about the construct points."""
    first: dict = {}
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            for construct in choice.scores:
                first.setdefault(construct, choice)
    return first


def _learning_design(report: Report) -> None:
    scenario, found = report.scenario, report.exploration
    for dominance in dominated_choices(found):
        choice = next(c for c in scenario.scenes[dominance.scene].choices if c.id == dominance.choice)
        report.add("warning", "C-DOMINANT", choice,
                   f"{choice_name(dominance.scene, dominance.choice)} is at least as good as {', '.join(dominance.over)} on every construct: a quiz, not a dilemma")
    first_scored = _first_scored(scenario)
    for construct, how in sorted(one_way_constructs(found).items()):
        report.add("warning", "C-ONE-WAY", first_scored.get(construct, 1), f"construct '{construct}' {how}: the profile cannot show both sides")
    for construct_id in scenario.scored_constructs:
        construct = scenario.constructs.get(construct_id)
        if construct is None or not construct.definition.strip():
            report.add("warning", "C-NO-DEBRIEF-TEXT", first_scored.get(construct_id, 1),
                       f"construct '{construct_id}' has no definition for the debrief")
    counts = scene_words(scenario)
    for scene in scenario.scenes.values():
        words = counts[scene.id]
        if words > MAX_SCENE_WORDS:
            report.add("warning", "C-LONG-SCENE", scene, f"scene '{scene.id}' has {words} words; aim for under {MAX_SCENE_WORDS} so it fits a terminal")
        if not scene.is_passage and len(scene.choices) > 1 and not (scene.facilitator_notes.strip() and scene.facilitator_prompts):
            report.add("warning", "C-NO-FACILITATOR", scene, f"decision '{scene.id}' lacks facilitator notes or discussion prompts")
    for ending in scenario.endings.values():
        if not ending.what_really_happened.strip():
            report.add("warning", "C-NO-REAL-OUTCOME", ending, f"ending '{ending.id}' says nothing about what really happened")


def _outcomes(report: Report) -> None:
    scenario = report.scenario
    for ending in scenario.endings.values():
        if not ending.outcome:
            report.add("warning", "C-NO-OUTCOME", ending, f"ending '{ending.id}' has no `outcome:` (strongest, strong, mixed, weak or weakest)")
    if not ld.strongest_endings(scenario):
        report.add("warning", "C-NO-STRONGEST", 1, "no ending is marked `outcome: strongest`, so the checker cannot tell whether a trivial strategy reaches it")
    if scenario.source.kind != "fiction" and not any(c.real for s in scenario.scenes.values() for c in s.choices):
        report.add("warning", "C-NO-REAL-PATH", 1, "no option is marked `real:`, so the debrief cannot show the real leaders' path")
    for scene in scenario.scenes.values():
        if scene.order_fixed:
            report.add("note", "C-ORDER-PINNED", scene, f"scene '{scene.id}' shows its options in authored order (`order: fixed`)")


def _strategies(report: Report) -> None:
    """Playing without thinking must not reach the strongest ending or beat most random play."""
    scenario, design = report.scenario, report.design
    strongest = ld.strongest_endings(scenario)
    start = scenario.scenes[scenario.start]
    if not design.rankable:
        report.add("note", "C-TOO-SHORT-TO-RANK", start,
                   f"playthroughs are too short (median under {ld.MIN_DECISIONS_TO_RANK} decisions) to compare strategies with random play")
    for name, played in design.strategies.items():
        if played.ending in strongest:
            ending = scenario.endings[played.ending]
            if name == ld.GREEDY:
                report.add("warning", "C-GREEDY-WINS", ending,
                           f"'{name}' reaches the strongest ending '{played.ending}': the best outcome should need a choice that costs now and pays later")
            else:
                report.add("error", "C-STRATEGY-WINS", ending, f"'{name}' reaches the strongest ending '{played.ending}' ({ld.describe(played)})")
        if name != ld.GREEDY and design.rankable and played.percentile > ld.TOP_QUARTER:
            report.add("error", "C-STRATEGY-SCORES", start,
                       f"'{name}' scores above the {ld.TOP_QUARTER:.0f}th percentile of random play ({ld.describe(played)})")


def _dilemmas(report: Report) -> None:
    scenario, design = report.scenario, report.design
    options = {(s.id, c.id): c for s in scenario.scenes.values() for c in s.choices}
    for scene_id, choice_id, margin in design.clear_winners:
        report.add("warning", "C-CLEAR-WINNER", options[(scene_id, choice_id)],
                   f"choice '{scene_id}/{choice_id}' nets {margin} more than every alternative: a clear winner, not a dilemma")
    if design.decision_scenes and len(design.clear_winners) > ld.CLEAR_SHARE * design.decision_scenes:
        report.add("error", "C-CLEAR-WINNERS", 1,
                   f"{len(design.clear_winners)} of {design.decision_scenes} decisions have a clear winner (more than {ld.CLEAR_SHARE:.0%})")
    decided = sum(design.position_bias.values())
    if decided >= ld.MIN_DECISIONS_FOR_BIAS:
        position, count = max(design.position_bias.items(), key=lambda item: item[1])
        if count > decided / 2:
            report.add("warning", "C-POSITION-BIAS", 1,
                       f"the best-scoring option is written in position {position} in {count} of {decided} decisions")
    for key, what in (("best_longest", "best-scoring option"), ("real_longest", "real leaders' option")):
        if design.decision_scenes >= ld.MIN_DECISIONS_FOR_BIAS and design.length_bias.get(key, 0) > 0.5:
            report.add("warning", "C-LENGTH-BIAS", 1,
                       f"the {what} has the longest label in {design.length_bias[key]:.0%} of decisions: length gives it away")
    if abs(design.path_length_r) > ld.MAX_R:
        report.add("warning", "C-PATH-LENGTH", 1,
                   f"in random play, decisions made and profile correlate (r = {design.path_length_r:+.2f}; keep |r| <= {ld.MAX_R})")
    for scene_id, choice_id, detour in design.detours:
        report.add("warning", "C-DETOUR-PAYS", options[(scene_id, choice_id)],
                   f"choice '{scene_id}/{choice_id}' leads to '{detour}', whose best option nets more than the mistake cost")
    first_scored = _first_scored(scenario)
    for construct, (low, high) in sorted(design.narrow.items()):
        report.add("warning", "C-NARROW-CONSTRUCT", first_scored.get(construct, 1),
                   f"construct '{construct}' can move only from {low} to {high} over a whole playthrough: one choice swings it")


def _real_path(report: Report) -> None:
    scenario, design = report.scenario, report.design
    if design.real is None:
        if design.real_stopped != ld.NO_REAL_MARKS:
            report.add("error", "C-REAL-PATH-STOPS", 1, f"the real leaders' path stops: {design.real_stopped}")
        return
    real_endings = {e.id for e in scenario.endings.values() if e.real}
    if real_endings and design.real.ending not in real_endings:
        ending = scenario.endings[design.real.ending]
        report.add("error", "C-REAL-ENDING", ending,
                   f"the real leaders' path ends at '{ending.id}', not at the ending marked `real:` ({', '.join(sorted(real_endings))})")
    if design.rankable and design.real.percentile < ld.TOP_QUARTER:
        report.add("warning", "C-REAL-PATH-LOW", 1,
                   f"the real leaders' path is at the {design.real.percentile:.0f}th percentile of random play; it should be in the top quarter")


def unscored_constructs(reports: list[Report]) -> list[str]:
    """Catalogue constructs that no checked scenario scores."""
    catalogues = [r.scenario.constructs for r in reports if r.scenario]
    if not catalogues:
        return []
    from leadgame.core.loader import load_constructs
    from leadgame import locations

    catalogue = load_constructs(locations.catalogue_for(Path(reports[0].path)))
    scored = {c for r in reports if r.scenario for c in r.scenario.scored_constructs}
    return sorted(set(catalogue) - scored)


def render_text(report: Report) -> str:
    lines = [f"== {report.path}" + (f" ({report.scenario.id})" if report.scenario else "")]
    found = report.exploration
    if report.scenario and found:
        decisions = found.decisions
        lines.append(
            f"   scenes {len(found.reachable_scenes)}/{len(report.scenario.scenes)} reachable, "
            f"endings {len(found.reachable_endings)}/{len(report.scenario.endings)}, "
            f"{found.states} states, {found.paths} paths"
        )
        lines.append(f"   decisions per playthrough: min {decisions['min']}, median {decisions['median']}, max {decisions['max']}")
        lines.append(f"   words: {total_words(report.scenario)}")
        for construct, (low, high) in sorted(found.construct_ranges.items()):
            lines.append(f"   range {construct}: {low} to {high}")
    if report.design:
        lines += _design_lines(report.design)
    for title, items in (("errors", report.errors), ("warnings", report.warnings), ("notes", report.notes)):
        if items or title != "notes":
            lines.append(f"   {len(items)} {title}" + (":" if items else ""))
        lines += [f"     {item}" for item in items]
    return "\n".join(lines)


def _design_lines(design: ld.Design) -> list[str]:
    lines = ["   learning design (mean profile position; percentile of seeded random play; ending):"]
    rows = [*design.strategies.items()] + ([("the real leaders' path", design.real)] if design.real else [])
    width = max(len(name) for name, _ in rows)
    for name, played in rows:
        mean = "  -  " if played.mean is None else f"{played.mean:.2f}"
        lines.append(f"     {name:<{width}}  {mean}  p{played.percentile:<3.0f}  {played.ending}")
    lines.append(f"     clear winners {len(design.clear_winners)} of {design.decision_scenes} decisions; "
                 f"path-length r {design.path_length_r:+.2f}")
    return lines

