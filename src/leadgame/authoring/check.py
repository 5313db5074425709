"""`leadgame check`: explore every reachable state of a scenario and report what an author
needs to know, as errors (the scenario is broken) and warnings (the learning design is weak).

Builds on core exploration, like ChoiceScript's quicktest but exhaustive: every option and
both sides of every condition are visited because every reachable state is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leadgame import library
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
    severity: str  # "error" | "warning"
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
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return sorted(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> list[Finding]:
        return sorted(f for f in self.findings if f.severity == "warning")

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
            })
        data["errors"] = [_finding_dict(f) for f in self.errors]
        data["warnings"] = [_finding_dict(f) for f in self.warnings]
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
        report.add("error", "C-TOO-MANY-STATES", 1, f"{error}; simplify the story state")
        return report
    _reachability(report)
    _conditions(report)
    _text_variants(report)
    _variables(report)
    _learning_design(report)
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


def _learning_design(report: Report) -> None:
    scenario, found = report.scenario, report.exploration
    for dominance in dominated_choices(found):
        choice = next(c for c in scenario.scenes[dominance.scene].choices if c.id == dominance.choice)
        report.add("warning", "C-DOMINANT", choice,
                   f"{choice_name(dominance.scene, dominance.choice)} is at least as good as {', '.join(dominance.over)} on every construct: a quiz, not a dilemma")
    first_scored = {}
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            for construct in choice.scores:
                first_scored.setdefault(construct, choice)
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
    for title, items in (("errors", report.errors), ("warnings", report.warnings)):
        lines.append(f"   {len(items)} {title}" + (":" if items else ""))
        lines += [f"     {item}" for item in items]
    return "\n".join(lines)

