"""leadgame benchmarks: one command, one table.

    .venv/bin/python benchmarks/run.py            # the full run (a few minutes)
    .venv/bin/python benchmarks/run.py --quick    # smallest sizes, few repeats (the test suite's smoke run)

Each figure is the median of repeated runs. Where a baseline is named, it is measured in the same
run and the figure is reported as a ratio to it, so a slow or busy machine does not move the verdict.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from leadgame import library  # noqa: E402
from leadgame.core import engine  # noqa: E402
from leadgame.core.loader import load_constructs, load_scenario  # noqa: E402

SCENARIOS = REPO / "scenarios"
MINI = REPO / "tests" / "fixtures" / "scenarios" / "mini.yaml"


@dataclass
class Row:
    figure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(action, repeats: int) -> float:
    results = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        results.append(time.perf_counter() - started)
    return median(results)


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


# --- fresh processes -----------------------------------------------------------------------------

TUI_READY = """
import asyncio, sys
from leadgame.tui.app import LeadgameApp
async def main():
    app = LeadgameApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print("ready", flush=True)
asyncio.run(main())
"""
MINIMAL_READY = """
import asyncio
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("hello")
async def main():
    async with Minimal().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print("ready", flush=True)
asyncio.run(main())
"""


def time_until(command: list[str], marker: bytes, env: dict) -> float:
    """Seconds from starting a process until `marker` appears on its output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    seen = b""
    while marker not in seen:
        chunk = os.read(process.stdout.fileno(), 4096)
        if not chunk:
            raise RuntimeError(f"{command} ended before printing {marker!r}")
        seen += chunk
    elapsed = time.perf_counter() - started
    process.kill()
    process.wait()
    return elapsed


def cold_starts(repeats: int, env: dict) -> list[Row]:
    python = sys.executable
    tui = median([time_until([python, "-c", TUI_READY], b"ready", env) for _ in range(repeats)])
    minimal = median([time_until([python, "-c", MINIMAL_READY], b"ready", env) for _ in range(repeats)])
    play = [python, "-m", "leadgame.cli", "play", "barnet-troubled-families", "--plain"]
    plain = median([time_until(play, b"[Enter]", env) for _ in range(repeats)])
    rich = median([time_until([python, "-c", "import rich.console; print('ready', flush=True)"], b"ready", env) for _ in range(repeats)])
    return [
        Row("TUI cold start to first screen", seconds(tui), f"minimal Textual app {seconds(minimal)}", f"{tui / minimal:.2f}x", "<= 1.5x", verdict(tui / minimal <= 1.5)),
        Row("plain mode cold start to first prompt", seconds(plain), f"import rich.console {seconds(rich)}", f"{plain / rich:.2f}x", "<= 1.5x", verdict(plain / rich <= 1.5)),
    ]


# --- loading -------------------------------------------------------------------------------------


def yaml_baseline(paths: list[Path]) -> None:
    import yaml

    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def loading(sizes: list[int], repeats: int, folder: Path) -> list[Row]:
    shipped = sorted(SCENARIOS.glob("*.yaml"))
    ours = timed(lambda: [library.load(p) for p in shipped if p.name != "constructs.yaml"], repeats)
    base = timed(lambda: yaml_baseline(shipped), repeats)
    rows = [Row("load + validate shipped scenarios", seconds(ours), f"PyYAML C loader {seconds(base)}", f"{ours / base:.2f}x", "<= 3x", verdict(ours / base <= 3))]
    catalogue = load_constructs(SCENARIOS / "constructs.yaml")
    per_scene = []
    for size in sizes:
        path = generate.write(folder, size)
        ours = timed(lambda: load_scenario(path, catalogue), repeats)
        base = timed(lambda: yaml_baseline([path]), repeats)
        per_scene.append(ours / size)
        rows.append(Row(f"load + validate generated {size:,} scenes", f"{seconds(ours)} ({ours / size * 1e6:.0f} µs/scene)",
                        f"PyYAML C loader {seconds(base)}", f"{ours / base:.2f}x", "<= 3x", verdict(ours / base <= 3)))
    spread = max(per_scene) / min(per_scene)
    rows.append(Row("time per scene across sizes", f"largest/smallest {spread:.2f}", "", "", "flat (<= 1.5)", verdict(spread <= 1.5)))
    return rows


# --- checking and playing -------------------------------------------------------------------------


def checking(check_size: int, repeats: int, folder: Path) -> list[Row]:
    from leadgame.authoring.check import check_file
    from leadgame.core.explore import explore

    rows = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        if path.name == "constructs.yaml":
            continue
        spent = timed(lambda: check_file(path), repeats)
        rows.append(Row(f"full check: {path.stem}", seconds(spent), "", "", "< 1 s", verdict(spent < 1)))
    path = generate.write(folder, check_size)
    scenario = load_scenario(path, load_constructs(SCENARIOS / "constructs.yaml"))
    started = time.perf_counter()
    found = explore(scenario)
    spent = time.perf_counter() - started
    rows.append(Row(f"full check of generated {check_size:,} scenes", f"{seconds(spent)} ({found.states / spent:,.0f} states/s)", "", "", "< 10 s", verdict(spent < 10)))
    return rows


def engine_step(steps: int) -> Row:
    scenario = library.load(SCENARIOS / "barnet-troubled-families.yaml")
    rng = random.Random(1)
    timings = []
    state = engine.start(scenario, 0)
    for _ in range(steps):
        if state.finished:
            state = engine.start(scenario, rng.randrange(1000))
        started = time.perf_counter_ns()
        choices = engine.available_choices(state)
        state, _ = engine.choose(state, choices[rng.randrange(len(choices))].id)
        timings.append(time.perf_counter_ns() - started)
    value = median(timings) / 1000
    return Row("engine step (available choices + choose)", f"{value:.1f} µs", "", "", "median < 50 µs", verdict(value < 50))


def random_playthroughs(runs: int) -> Row:
    from leadgame.authoring.randomtest import random_playthroughs as play

    scenario = library.load(SCENARIOS / "barnet-troubled-families.yaml")
    started = time.perf_counter()
    play(scenario, runs, seed=0)
    spent = time.perf_counter() - started
    return Row(f"{runs:,} seeded random playthroughs", seconds(spent), "", "", "< 10 s" if runs >= 10_000 else "(smoke)", verdict(spent < 10 * runs / 10_000))


async def _minimal_keypress(presses: int) -> float:
    """Pilot's own round trip for one key in a minimal app: the harness cost inside every figure."""
    from textual.app import App
    from textual.widgets import OptionList

    class Minimal(App):
        def compose(self):
            yield OptionList(*[f"option {i}" for i in range(5)])

    timings = []
    async with Minimal().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(presses):
            started = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            timings.append(time.perf_counter() - started)
    return median(timings)


async def _keypresses(presses: int) -> tuple[float, float]:
    from leadgame.core.session import Session
    from leadgame.tui.app import LeadgameApp

    scenario = library.load(SCENARIOS / "bradford-total-place.yaml")
    folder = Path(tempfile.mkdtemp())
    game = Session.new(scenario, folder, name="bench")
    app = LeadgameApp(game)
    moves, chooses = [], []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for index in range(presses):
            if game.finished:
                break
            started = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            moves.append(time.perf_counter() - started)
            started = time.perf_counter()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("enter")  # past the consequence, to the next scene
            await pilot.pause()
            chooses.append((time.perf_counter() - started) / 2)
    return median(moves), median(chooses)


def keypresses(presses: int) -> list[Row]:
    """Pilot's press-and-settle costs tens of milliseconds even for a minimal app, so the figure
    that says how fast leadgame answers is ours minus that harness cost, measured in the same run."""
    harness = asyncio.run(_minimal_keypress(presses))
    move, choose = asyncio.run(_keypresses(presses))
    rows = []
    for name, value in (("move highlight", move), ("choose, then show the next scene", choose)):
        own = max(0.0, value - harness)
        rows.append(Row(f"TUI keypress: {name} (Pilot)", f"{value * 1000:.1f} ms; app's own {own * 1000:.1f} ms",
                        f"minimal app via Pilot {harness * 1000:.1f} ms", f"{value / harness:.2f}x",
                        "app's own < 30 ms", verdict(own < 0.030)))
    return rows


def cohort_report(saves: int, folder: Path) -> list[Row]:
    """Generate `saves` finished games by playing the engine, then time the report over them."""
    return report_rows(saves, folder)


def write_cohort(saves: int, cohort: Path) -> Path:
    """`saves` finished games of the shipped scenarios, made by playing the engine at random."""
    from leadgame.authoring.randomtest import play_once
    from leadgame.core.saves import SaveGame, write_save

    rng = random.Random(5)
    scenarios = [library.load(p) for p in sorted(SCENARIOS.glob("*.yaml")) if p.name != "constructs.yaml"]
    for index in range(saves):
        scenario = scenarios[index % len(scenarios)]
        state = play_once(scenario, rng)
        write_save(cohort, SaveGame(f"learner-{index}", scenario.id, scenario.content_hash, state.seed,
                                    state.choice_log, finished=True, feeling="fine", scenario_path=scenario.path))
    return cohort


def report_rows(saves: int, folder: Path) -> list[Row]:
    cohort = write_cohort(saves, folder / "cohort")
    import shutil

    rows = []
    cache = Path(os.environ["LEADGAME_SAVES"]) / ".cache"
    # Cold: construct ranges explored from scratch (first report after a scenario edit); warm: cached.
    for fmt, cold in (("text", True), ("text", False), ("html", False)):
        if cold:
            shutil.rmtree(cache, ignore_errors=True)
        out = folder / f"report.{fmt}"
        command = [sys.executable, "-m", "leadgame.cli", "report", str(cohort), "--format", fmt, "-o", str(out)]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        spent = time.perf_counter() - started
        peak = _peak_memory(cohort, fmt)
        label = f"cohort report over {saves:,} saves ({fmt}, {'cold: ranges explored' if cold else 'ranges cached'})"
        rows.append(Row(label, f"{seconds(spent)}, peak {peak:.0f} MB", "", "", "< 1 s, < 200 MB", verdict(spent < 1 and peak < 200)))
    return rows


def _peak_memory(cohort: Path, fmt: str) -> float:
    return peak_memory(["report", str(cohort), "--format", fmt, "-o", str(cohort.parent / ("peak." + fmt))])


def peak_memory(arguments: list[str], env: dict | None = None) -> float:
    """Peak resident memory of a leadgame command, in MB. Linux's VmHWM starts afresh at exec;
    the rusage maximum does not (a child forked from this large process would inherit its size)."""
    code = (
        "import resource, sys\n"
        "from leadgame.cli import main\n"
        f"main({arguments!r})\n"
        "try:\n"
        "    line = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "    print(int(line.split()[1]))\n"
        "except OSError:\n"
        "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return int(result.stdout.strip().splitlines()[-1]) / 1024


# --- learning records ------------------------------------------------------------------------------


BENCH_BATCH = 1000


def lrs_export(playthroughs: int, folder: Path) -> list[Row]:
    """`leadgame lrs export` of finished saves to a real LRS (Ralph, file backend, as the tests
    start it), against posting the same statements, made beforehand, straight to the same LRS
    with nothing else: the LRS's own cost, so the ratio is what leadgame adds. Both send
    batches of BENCH_BATCH: Ralph's file backend reads its whole file for every batch it
    takes, which at 100 a batch would make this row take most of an hour."""
    sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "lrs")]
    try:
        from lrs_helpers import RalphLrs

        lrs = RalphLrs(folder / "ralph")
    except BaseException as error:  # the helpers skip when Ralph is not installed
        return [Row(f"lrs export of {playthroughs:,} saved playthroughs", f"not measured: {str(error)[:80]}")]
    cohort = write_cohort(playthroughs, folder / "lrs-cohort")
    lrs.start()
    try:
        ours, theirs = lrs.account(), lrs.account()
        env = {**os.environ, **ours.env(), "LEADGAME_LRS_BATCH": str(BENCH_BATCH), "LEADGAME_SAVES": str(folder / "lrs-saves"),
               "LEADGAME_CONFIG": str(folder / "lrs-config.toml")}
        started = time.perf_counter()
        peak = peak_memory(["lrs", "export", str(cohort)], env)
        spent = time.perf_counter() - started
        stored = len(ours.stored_lines())
        statements = _statements_of(cohort)
        baseline = _post_directly(statements, theirs)
    finally:
        lrs.stop()
    per_second, base_rate = stored / spent, len(statements) / baseline
    ok = stored == len(statements) and spent / baseline <= 2 and peak < 200
    target = "<= 2x, < 200 MB, every statement stored" if playthroughs >= 1000 else "(smoke)"
    return [Row(f"lrs export of {playthroughs:,} saved playthroughs to Ralph (one run, {BENCH_BATCH} a batch)",
                f"{stored:,} statements in {seconds(spent)}: {per_second:,.0f}/s, peak {peak:.0f} MB",
                f"POST of the same, made beforehand: {base_rate:,.0f}/s", f"{spent / baseline:.2f}x",
                target, verdict(ok) if playthroughs >= 1000 else verdict(stored == len(statements)))]


def _statements_of(cohort: Path) -> list[str]:
    from leadgame.lrs.config import LrsConfig
    from leadgame.lrs.statements import Profile, from_save
    from leadgame.report.collect import Scenarios, read_games

    profile = Profile(LrsConfig(), "00000000-0000-4000-8000-000000000000")
    lines = []
    for _, loaded in read_games([cohort], Scenarios()):
        lines += [json.dumps(s, separators=(",", ":")) for s in profile.statements(from_save(loaded.record, loaded.replay.state))]
    return lines


def _post_directly(lines: list[str], account, batch: int = 0) -> float:
    import base64
    import urllib.request

    token = base64.b64encode(f"{account.name}:{account.password}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"}
    batch = batch or BENCH_BATCH
    started = time.perf_counter()
    for start in range(0, len(lines), batch):
        body = ("[" + ",".join(lines[start:start + batch]) + "]").encode()
        request = urllib.request.Request(account.lrs.endpoint + "statements", data=body, headers=headers, method="POST")
        urllib.request.urlopen(request, timeout=300).read()
    return time.perf_counter() - started


# --- the table -------------------------------------------------------------------------------------


def render(rows: list[Row]) -> str:
    headers = ("figure", "measured (median)", "baseline, same run", "ratio", "target", "")
    table = [headers] + [(r.figure, r.value, r.baseline, r.ratio, r.target, r.verdict) for r in rows]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(headers))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths)) + " |" for line in table]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smallest sizes and few repeats: proves the script runs")
    args = parser.parse_args(argv)
    quick = args.quick
    repeats = 2 if quick else 7
    folder = Path(tempfile.mkdtemp(prefix="leadgame-bench-"))
    (folder / "constructs.yaml").write_text((SCENARIOS / "constructs.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "LEADGAME_SAVES": str(folder / "saves"), "NO_COLOR": "1"}
    os.environ["LEADGAME_SAVES"] = env["LEADGAME_SAVES"]
    rows: list[Row] = []
    rows += cold_starts(1 if quick else 7, env)
    rows += loading([100, 200] if quick else [1000, 10_000, 50_000], 1 if quick else 3, folder)
    rows += checking(200 if quick else 10_000, 1 if quick else 3, folder)
    rows.append(engine_step(200 if quick else 20_000))
    rows += keypresses(3 if quick else 15)
    rows += cohort_report(20 if quick else 1000, folder)
    rows.append(random_playthroughs(100 if quick else 10_000))
    rows += lrs_export(20 if quick else 10_000, folder)
    print(f"leadgame benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}{' (quick)' if quick else ''}")
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
