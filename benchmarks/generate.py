"""Generate large valid scenarios for benchmarks: a branch-and-bottleneck story, the shape real
case studies have, with a flag that gates an option and a detour passage after some choices.
With `story_text`, the file is format 2 and every scene text and consequence follows the state.
`ink_story` writes the same story in ink, so the benchmark can time inkjs on it side by side.

Every scene is reachable and every option can be taken: the first decision offers no detour
(its gate, the flag, starts down) and the last decision leads to the endings.
"""

from __future__ import annotations

import argparse
from pathlib import Path

CONSTRUCTS = ["trust_relationships", "courage_conflict", "shared_narrative", "ceding_power"]
NARRATIVE = "Scene {index} of the generated story, with a few words of narrative to read."
STORY_NARRATIVE = ("Scene {index} of the generated story. {{flag: The flag is up, and {{count}} things are "
                   "counted.|The flag is down.}} A few more words to read{{count >= 2:, and more}}.")
COUNT_MAX = 3
FIRST_STORY_TEXT = 2  # the first scenes' state is known, so their text follows it from this scene on


def _texts(index: int, story_text: bool, ink: bool = False) -> tuple[str, str]:
    """A decision's narrative and its options' consequence. Conditional text starts once the
    story state can differ, so the checker finds no text that never shows."""
    if not story_text or index < FIRST_STORY_TEXT:
        return NARRATIVE.format(index=index), "Done." if story_text else "r"
    consequence = "Done{count >= 2:, and counted|}."
    return STORY_NARRATIVE.format(index=index), consequence if ink else f'"{consequence}"'


def story_plan(scenes: int) -> list[tuple[int, bool]]:
    """The decisions in order, each with whether a detour passage follows it: exactly `scenes`
    scenes in all. The first decision has no detour (its gate starts shut) nor has the last."""
    if scenes < 1:
        raise ValueError("a story needs at least one scene")
    decisions = (scenes + 2) // 2  # decisions 1 .. n-2 have a detour each: 2n - 2 scenes, or 2n - 1
    detours = scenes - decisions
    return [(index, 1 <= index <= detours) for index in range(decisions)]


def scenario_yaml(scenes: int, story_text: bool = False) -> str:
    """A scenario with exactly `scenes` scenes (decisions and detours), every one reachable."""
    lines = [
        f"format: {2 if story_text else 1}", f"id: generated-{scenes}", f"title: Generated {scenes}", "summary: A generated benchmark scenario.",
        "place: Benchmark", 'years: "2026"', "role: Tester", "minutes: 60", "intro: Generated.",
        "learning_objectives: [Measure]", "sources: [None]", "reflection: [Fast?]",
        "state:", "  flag: false", *([f"  count: {{start: 0, max: {COUNT_MAX}}}"] if story_text else []), "start: s0", "scenes:",
    ]
    plan = story_plan(scenes)
    for index, detour in plan:
        target = f"s{index + 1}" if index + 1 < len(plan) else "end"
        a, b = CONSTRUCTS[index % 4], CONSTRUCTS[(index + 1) % 4]
        narrative, consequence = _texts(index, story_text)
        lines += [
            f"  - id: s{index}", f"    title: Scene {index}", "    text: |",
            "      " + narrative,
            "    facilitator:", "      notes: Notes.", "      prompts: [Why?]",
            "    choices:",
            "      - id: a", "        label: Option A", f"        scores: {{{a}: 1, {b}: -1}}",
            "        set: {flag: false}", f"        consequence: {consequence}", "        rationale: r", '        ref: "1"',
            f"        next: {target}",
            "      - id: b", "        label: Option B", f"        scores: {{{a}: -1, {b}: 1}}",
            "        set: {flag: true}", *(["        add: {count: 1}"] if story_text else []),
            f"        consequence: {consequence}", "        rationale: r", '        ref: "1"',
            f"        next: {target}",
        ]
        if detour:
            lines += [
                "      - id: c", "        label: Option C", '        if: "flag"', f"        scores: {{{a}: 2, {b}: -2}}",
                "        rationale: r", '        ref: "1"', f"        next: d{index}",
                f"  - id: d{index}", f"    title: Detour {index}", "    text: A detour.", f"    next: {target}",
            ]
    lines += [
        "endings:",
        "  - id: flagged", "    title: Flagged", '    if: "flag"', "    text: t", "    what_really_happened: w",
        "  - id: plain", "    title: Plain", "    text: t", "    what_really_happened: w",
    ]
    return "\n".join(lines) + "\n"


def ink_story(scenes: int, story_text: bool = False) -> str:
    """The same story in ink: the same scenes, options, gates, scores (as variables), story
    state and text, for inkjs to compile and play."""
    lines = ["VAR flag = false", *(["VAR count = 0"] if story_text else []),
             *(f"VAR {name} = 0" for name in CONSTRUCTS), "-> s0", ""]
    plan = story_plan(scenes)
    for index, detour in plan:
        target = f"s{index + 1}" if index + 1 < len(plan) else "finale"
        a, b = CONSTRUCTS[index % 4], CONSTRUCTS[(index + 1) % 4]
        narrative, consequence = _texts(index, story_text, ink=True)
        lines += [f"=== s{index} ===", f"# Scene {index}", narrative,
                  "+ [Option A]", f"    ~ {a} += 1", f"    ~ {b} -= 1", "    ~ flag = false", f"    {consequence}", f"    -> {target}",
                  "+ [Option B]", f"    ~ {a} -= 1", f"    ~ {b} += 1", "    ~ flag = true",
                  *([f"    ~ count = MIN(count + 1, {COUNT_MAX})"] if story_text else []),
                  f"    {consequence}", f"    -> {target}"]
        if detour:
            lines += ["+ {flag} [Option C]", f"    ~ {a} += 2", f"    ~ {b} -= 2", f"    -> d{index}",
                      "", f"=== d{index} ===", "# Detour", "A detour.", "+ [Continue]", f"    -> {target}"]
        lines.append("")
    lines += ["=== finale ===", "{ flag:", "    -> flagged", "- else:", "    -> plain", "}",
              "=== flagged ===", "t", "-> END", "=== plain ===", "t", "-> END"]
    return "\n".join(lines) + "\n"


def loop_yaml(flags: int, bound: int | None = 50) -> str:
    """The loop that hurts a checker most: a way round that toggles `flags` flags and passes an
    `add:` (kept under `bound`, or growing without end when `bound` is None), every one of them
    read after the loop, so the loop is met in a great many story states."""
    count = f"{{start: 0, max: {bound}}}" if bound is not None else "0"
    lines = [
        "format: 2", "id: loop", "title: Loop", "summary: A loop.", "place: Benchmark", 'years: "2026"',
        "role: Tester", "minutes: 5", "intro: A loop.", "learning_objectives: [Measure]", "sources: [None]",
        "reflection: [Fast?]", "state:", f"  rounds: {count}", *(f"  flag{i}: false" for i in range(flags)),
        "start: hub", "scenes:",
        "  - id: hub", "    title: Hub", "    text: Round again?", "    facilitator: {notes: n, prompts: [p]}", "    choices:",
    ]
    for i in range(flags):
        lines += [f"      - id: toggle{i}", f"        label: Toggle {i}", f"        set: {{flag{i}: true}}",
                  "        add: {rounds: 1}", "        next: corridor",
                  f"      - id: untoggle{i}", f"        label: Untoggle {i}", f"        set: {{flag{i}: false}}",
                  "        next: corridor"]
    lines += ["      - id: leave", "        label: Leave", "        next: end",
              "  - id: corridor", "    title: Corridor", "    text: Back to the hub.", "    next: hub",
              "endings:"]
    condition = " and ".join(f"flag{i}" for i in range(flags)) + " and rounds >= 3"
    lines += ["  - id: all", "    title: All", f'    if: "{condition}"', "    text: t", "    what_really_happened: w",
              "  - id: some", "    title: Some", "    text: t", "    what_really_happened: w"]
    return "\n".join(lines) + "\n"


def write_loop(folder: Path, flags: int, bound: int | None = 50) -> Path:
    path = Path(folder) / f"loop-{flags}-{bound}.yaml"
    path.write_text(loop_yaml(flags, bound), encoding="utf-8")
    return path


def write(folder: Path, scenes: int, story_text: bool = False) -> Path:
    path = Path(folder) / f"generated-{scenes}{'-text' if story_text else ''}.yaml"
    path.write_text(scenario_yaml(scenes, story_text), encoding="utf-8")
    return path


def write_ink(folder: Path, scenes: int, story_text: bool = False) -> Path:
    path = Path(folder) / f"generated-{scenes}{'-text' if story_text else ''}.ink"
    path.write_text(ink_story(scenes, story_text), encoding="utf-8")
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
