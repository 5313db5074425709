"""Generate large valid scenarios for benchmarks: a branch-and-bottleneck story, the shape real
case studies have, with a flag that gates an option and a detour passage after some choices."""

from __future__ import annotations

import argparse
from pathlib import Path

CONSTRUCTS = ["trust_relationships", "courage_conflict", "shared_narrative", "ceding_power"]


def scenario_yaml(scenes: int) -> str:
    """A scenario with exactly `scenes` scenes (decisions, passages and detours)."""
    lines = [
        "format: 1", f"id: generated-{scenes}", f"title: Generated {scenes}", "summary: A generated benchmark scenario.",
        "place: Benchmark", 'years: "2026"', "role: Tester", "minutes: 60", "intro: Generated.",
        "learning_objectives: [Measure]", "sources: [None]", "reflection: [Fast?]",
        "state:", "  flag: false", "  count: 0", "start: s0", "scenes:",
    ]
    index = 0
    made = 0
    while made < scenes:
        scene = f"s{index}"
        nxt = f"s{index + 1}"
        last = made >= scenes - 2
        target = "end" if last else nxt
        a, b = CONSTRUCTS[index % 4], CONSTRUCTS[(index + 1) % 4]
        lines += [
            f"  - id: {scene}", f"    title: Scene {index}", "    text: |",
            f"      Scene {index} of the generated story, with a few words of narrative to read.",
            "    facilitator:", "      notes: Notes.", "      prompts: [Why?]",
            "    choices:",
            "      - id: a", "        label: Option A", f"        scores: {{{a}: 1, {b}: -1}}",
            "        set: {flag: false}", "        rationale: r", '        ref: "1"', f"        next: {target}",
            "      - id: b", "        label: Option B", f"        scores: {{{a}: -1, {b}: 1}}",
            "        set: {flag: true}", "        rationale: r", '        ref: "1"', f"        next: {target}",
        ]
        made += 1
        if not last:
            lines += [
                "      - id: c", "        label: Option C", '        if: "flag"', f"        scores: {{{a}: 2, {b}: -2}}",
                "        rationale: r", '        ref: "1"', f"        next: d{index}",
                f"  - id: d{index}", f"    title: Detour {index}", "    text: A detour.", f"    next: {nxt}",
            ]
            made += 1
        index += 1
    lines += [
        "endings:",
        "  - id: flagged", "    title: Flagged", '    if: "flag"', "    text: t", "    what_really_happened: w",
        "  - id: plain", "    title: Plain", "    text: t", "    what_really_happened: w",
    ]
    return "\n".join(lines) + "\n"


def write(folder: Path, scenes: int) -> Path:
    path = Path(folder) / f"generated-{scenes}.yaml"
    path.write_text(scenario_yaml(scenes), encoding="utf-8")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenes", type=int)
    parser.add_argument("folder", type=Path)
    print(write(parser.parse_args().folder, parser.parse_args().scenes))
