"""`leadgame check PATH --random N --seed S`: N seeded random playthroughs, like ChoiceScript's
randomtest. Run i uses its own generator seeded from (S, i), so any single run can be repeated."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from statistics import mean, median

from leadgame.core.pace import random_play
from leadgame.core.model import Scenario


@dataclass
class RandomReport:
    runs: int
    seed: int
    scene_hits: Counter = field(default_factory=Counter)
    choice_hits: Counter = field(default_factory=Counter)
    endings: Counter = field(default_factory=Counter)
    totals: dict[str, list[int]] = field(default_factory=dict)
    decisions: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "runs": self.runs,
            "seed": self.seed,
            "scene_hits": dict(sorted(self.scene_hits.items())),
            "choice_hits": {f"{s}/{c}": n for (s, c), n in sorted(self.choice_hits.items())},
            "ending_shares": {e: n / self.runs for e, n in sorted(self.endings.items())},
            "constructs": {c: _summary(v) for c, v in sorted(self.totals.items())},
            "decisions": _summary(self.decisions),
        }


def _summary(values: list[int]) -> dict:
    if not values:
        return {}
    return {"min": min(values), "median": median(values), "mean": round(mean(values), 2), "max": max(values)}


play_once = random_play  # one seeded random playthrough, as the core's pace figure plays it


def random_playthroughs(scenario: Scenario, runs: int, seed: int = 0) -> RandomReport:
    report = RandomReport(runs, seed, totals={c: [] for c in scenario.scored_constructs})
    for index in range(runs):
        state = play_once(scenario, random.Random(f"{seed}:{index}"))
        totals = Counter()
        decisions = 0
        for step in state.history:
            scene = scenario.scenes[step.scene]
            report.scene_hits[step.scene] += 1
            report.choice_hits[(step.scene, step.choice)] += 1
            decisions += not scene.is_passage
            for construct, delta in next(c for c in scene.choices if c.id == step.choice).scores.items():
                totals[construct] += delta
        report.endings[state.node] += 1
        report.decisions.append(decisions)
        for construct in scenario.scored_constructs:
            report.totals[construct].append(totals[construct])
    return report


def render_text(scenario: Scenario, report: RandomReport) -> str:
    lines = [f"== {scenario.id}: {report.runs} random playthroughs, seed {report.seed}"]
    lines.append("endings:")
    lines += [f"  {e:<32} {n:>7}  {n / report.runs:6.1%}" for e, n in report.endings.most_common()]
    lines.append("scenes (visits):")
    for scene_id in scenario.scenes:
        lines.append(f"  {scene_id:<32} {report.scene_hits[scene_id]:>7}" + ("   never visited" if not report.scene_hits[scene_id] else ""))
    lines.append("choices (times chosen):")
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            lines.append(f"  {scene.id + '/' + choice.id:<48} {report.choice_hits[(scene.id, choice.id)]:>7}")
    lines.append("constructs (final totals: min / median / mean / max):")
    for construct, summary in report.to_dict()["constructs"].items():
        lines.append(f"  {construct:<32} {summary['min']:>4} {summary['median']:>6} {summary['mean']:>7} {summary['max']:>4}")
    decisions = report.to_dict()["decisions"]
    lines.append(f"decisions per playthrough: min {decisions['min']}, median {decisions['median']}, max {decisions['max']}")
    return "\n".join(lines)
