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


def flags_yaml(flags: int, growing: bool = False) -> str:
    """A scenario that passes `validate` but whose story state explodes: `flags` booleans set in
    act one and each read by a choice in act two, so every combination is a reachable state
    (2**flags of them). With `growing`, one integer instead, to which each act-one "yes" adds a
different power of two (as many states again)."""
    lines = [
        "format: 1", f"id: flags-{flags}", f"title: Flags {flags}", "summary: Many flags read late.",
        "place: Benchmark", 'years: "2026"', "role: Tester", "minutes: 60", "intro: Generated.",
        "learning_objectives: [Measure]", "sources: [None]", "reflection: [Bounded?]", "state:",
    ]
    lines += [f"  f{i}: false" for i in range(flags)] + (["  tally: 0"] if growing else [])
    lines += ["start: q0", "scenes:"]
    for i in range(flags):
        after = f"q{i + 1}" if i + 1 < flags else "r0"
        yes = f"{{tally: {2 ** i}}}" if growing else f"{{f{i}: true}}"
        effect = "add" if growing else "set"
        lines += [
            f"  - id: q{i}", f"    title: Question {i}", f"    text: Question {i}.",
            "    facilitator: {notes: Notes., prompts: [Why?]}", "    choices:",
            "      - id: yes", "        label: Say yes", "        scores: {trust_relationships: 1, courage_conflict: -1}",
            f"        {effect}: {yes}", "        rationale: r", '        ref: "1"', f"        next: {after}",
            "      - id: no", "        label: Say no", "        scores: {trust_relationships: -1, courage_conflict: 1}",
            "        rationale: r", '        ref: "1"', f"        next: {after}",
        ]
    for i in range(flags):
        after = f"r{i + 1}" if i + 1 < flags else "end"
        gate = f"tally > {i}" if growing else f"f{i}"
        lines += [
            f"  - id: r{i}", f"    title: Reckoning {i}", f"    text: Reckoning {i}.",
            "    facilitator: {notes: Notes., prompts: [Why?]}", "    choices:",
            "      - id: build", "        label: Build on it", f'        if: "{gate}"',
            "        scores: {shared_narrative: 1, ceding_power: -1}", "        rationale: r", '        ref: "1"', f"        next: {after}",
            "      - id: wait", "        label: Wait and see", "        scores: {shared_narrative: -1, ceding_power: 1}",
            "        rationale: r", '        ref: "1"', f"        next: {after}",
        ]
    lines += ["endings:", "  - id: done", "    title: Done", "    text: t", "    what_really_happened: w"]
    return "\n".join(lines) + "\n"


def write_flags(folder: Path, flags: int, growing: bool = False) -> Path:
    path = Path(folder) / f"flags-{flags}{'-growing' if growing else ''}.yaml"
    path.write_text(flags_yaml(flags, growing), encoding="utf-8")
    return path


def options_yaml(options: int) -> str:
    """A scenario whose one decision offers `options` options: the widest room vote."""
    lines = [
        "format: 1", f"id: options-{options}", f"title: Options {options}", "summary: One very wide decision.",
        "place: Benchmark", 'years: "2026"', "role: Tester", "minutes: 5", "intro: Generated.",
        "learning_objectives: [Measure]", "sources: [None]", "reflection: [Fast?]", "start: wide", "scenes:",
        "  - id: wide", "    title: A very wide decision", "    text: Choose.", "    order: fixed",  # numbered options
        "    facilitator: {notes: Notes., prompts: [Why?]}", "    choices:",
    ]
    for i in range(options):
        sign = 1 if i % 2 else -1
        lines += [f"      - id: o{i}", f"        label: Option {i}", f"        scores: {{trust_relationships: {sign}, courage_conflict: {-sign}}}",
                  "        rationale: r", '        ref: "1"', "        next: end"]
    lines += ["endings:", "  - id: done", "    title: Done", "    text: t", "    what_really_happened: w"]
    return "\n".join(lines) + "\n"


def write_options(folder: Path, options: int) -> Path:
    path = Path(folder) / f"options-{options}.yaml"
    path.write_text(options_yaml(options), encoding="utf-8")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenes", type=int)
    parser.add_argument("folder", type=Path)
    print(write(parser.parse_args().folder, parser.parse_args().scenes))
