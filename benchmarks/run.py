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
import shutil
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
import asyncio
from leadgame.tui.app import LeadgameApp
async def main():
    app = LeadgameApp()
    async with app.run_test(size=(100, 30)) as pilot:
        while app.entries is None:  # the case studies listed on the title screen
            await asyncio.sleep(0.002)
        await pilot.press("down")  # and a key answered
        await pilot.pause()
        assert app.screen.query_one("#title-menu").highlighted == 1
        print("ready", flush=True)
asyncio.run(main())
"""
MINIMAL_READY = """
import asyncio
from textual.app import App
from textual.widgets import OptionList, Static
class Minimal(App):
    def compose(self):
        yield Static("hello")
        yield OptionList("one", "two")
async def main():
    app = Minimal()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down")
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


def interleaved(commands: dict[str, tuple[list[str], bytes]], repeats: int, env: dict) -> dict[str, float]:
    """The median time to each command's marker, the commands run in turn so that a busy
    machine slows them alike. Each first runs once untimed: that run compiles bytecode, the
    scenario and the disk cache, and the figures are for every run after."""
    for command, marker in commands.values():
        time_until(command, marker, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, (command, marker) in commands.items():
            times[name].append(time_until(command, marker, env))
    return {name: median(values) for name, values in times.items()}


# The least a plain first prompt can cost with the project's fixed choices and no leadgame code:
# parse the play command with argparse, find the cache with platformdirs, hash the scenario file,
# read the compiled entry leadgame left there, and print a title rule, the introduction and the
# first scene with Rich. It measures how much of the plain target is left for leadgame's own work.
PLAIN_FLOOR = """
import argparse, hashlib, json, sys
from pathlib import Path
import platformdirs
from rich.console import Console
from rich.rule import Rule
from rich.text import Text
scenario, entry = Path(sys.argv[1]), Path(sys.argv[2])
parser = argparse.ArgumentParser(prog="leadgame")
play = parser.add_subparsers(dest="command").add_parser("play")
play.add_argument("scenario")
for flag in ("--plain", "--coached", "--use-backup", "--yes", "--replace", "--no-save", "--watch"):
    play.add_argument(flag, action="store_true")
for option in ("--resume", "--save", "--seed", "--from", "--ending", "--script", "--team", "--session"):
    play.add_argument(option)
args = parser.parse_args(sys.argv[3:])
platformdirs.user_cache_path("leadgame", appauthor=False)
hashlib.sha256(scenario.read_bytes()).hexdigest()
data = json.loads(entry.read_text(encoding="utf-8"))
words = [text for text in json.dumps(data).split('"') if len(text) > 200]
console = Console(highlight=False)
console.print(Rule(Text("The case")))
console.print(Text(words[0]))
console.print(Rule(Text("The first scene"), align="left"))
console.print(Text(words[1]))
console.print(Text("[Enter] Continue "), end="")
sys.stdout.flush()
"""



def compiled_entry(env: dict, scenario_id: str) -> Path:
    """The compiled entry leadgame keeps for `scenario_id` in the run's cache folder."""
    folder = Path(env["XDG_CACHE_HOME"]) / "leadgame" / "compiled"
    for entry in folder.glob("*.json"):
        if json.loads(entry.read_text(encoding="utf-8"))["scenario"]["id"] == scenario_id:
            return entry
    raise RuntimeError(f"no compiled entry for {scenario_id} in {folder}")

def cold_starts(repeats: int, env: dict) -> list[Row]:
    python = sys.executable
    play = [*leadgame_command(), "play", "barnet-troubled-families", "--plain"]
    time_until(play, b"[Enter]", env)  # compiles the case, whose entry the floor reads
    floor = [python, "-c", PLAIN_FLOOR, str(SCENARIOS / "barnet-troubled-families.yaml"),
             str(compiled_entry(env, "barnet-troubled-families")), *play[-3:]]
    commands = {
        "tui": ([python, "-c", TUI_READY], b"ready"),
        "minimal": ([python, "-c", MINIMAL_READY], b"ready"),
        "plain": (play, b"[Enter]"),
        "floor": (floor, b"[Enter]"),
        "rich": ([python, "-c", "import rich.console; print('ready', flush=True)"], b"ready"),
    }
    found = interleaved(commands, repeats, env)
    tui, minimal, plain, floor, rich = found["tui"], found["minimal"], found["plain"], found["floor"], found["rich"]
    return [
        Row("app ready: cases listed, a key answered", seconds(tui), f"minimal Textual app {seconds(minimal)}", f"{tui / minimal:.2f}x", "<= 1.5x", verdict(tui / minimal <= 1.5)),
        Row("plain mode cold start to first prompt", seconds(plain), f"import rich.console {seconds(rich)}", f"{plain / rich:.2f}x", "<= 1.5x", verdict(plain / rich <= 1.5)),
        Row("the same with no leadgame code (argparse, platformdirs, hashlib, json, Rich)", seconds(floor),
            f"import rich.console {seconds(rich)}", f"{floor / rich:.2f}x", "(the floor)", ""),
    ]


# --- side by side with ink -------------------------------------------------------------------------

INKJS_VERSION = "2.4.0"
INK_PLAYER = """// Play a compiled ink story to its first prompt, with the runtime alone (as a game ships it).
const fs = require("fs");
const { Story } = require(process.argv[2]);
const story = new Story(fs.readFileSync(process.argv[3], "utf-8").replace(/^\\uFEFF/, ""));
let text = "";
while (story.canContinue) text += story.Continue();
process.stdout.write(text);
story.currentChoices.forEach((choice, i) => process.stdout.write(`${i + 1}: ${choice.text}\\n`));
process.stdout.write("?> ");
"""


def inkjs(install: bool) -> tuple[Path | None, str]:
    """inkjs from npm, in a cache folder outside the repository (LEADGAME_BENCH_INKJS to choose
    another): its folder, or None and why it cannot be used."""
    if shutil.which("node") is None:
        return None, "node is not installed"
    folder = Path(os.environ.get("LEADGAME_BENCH_INKJS") or Path.home() / ".cache" / "leadgame-bench" / "inkjs")
    package = folder / "node_modules" / "inkjs"
    if not (package / "dist" / "ink.js").is_file():
        if not install:
            return None, f"inkjs is not installed in {folder} (the full run installs it with npm)"
        if shutil.which("npm") is None:
            return None, "npm is not installed"
        folder.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", f"inkjs@{INKJS_VERSION}"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            return None, f"npm could not install inkjs: {result.stderr.strip()[-200:]}"
    (folder / "player.js").write_text(INK_PLAYER, encoding="utf-8")
    return package, ""


def ink_rows(sizes: list[int], cold_size: int, repeats: int, folder: Path, env: dict, install: bool) -> list[Row]:
    """The same generated stories played to their first prompt by leadgame's plain mode (from its
    compiled cache) and by ink (node running inkjs on the story's compiled JSON); and the first run
    of an unseen story against inkjs compiling it."""
    package, why = inkjs(install)
    if package is None:
        return [Row("plain first prompt against ink", f"skipped: {why}")]
    node, python = shutil.which("node"), sys.executable
    player, compiler = package.parents[1] / "player.js", package / "bin" / "inkjs-compiler.js"
    rows = []
    for size in sizes:
        story, ink = checked(generate.write(folder, size)), generate.write_ink(folder, size)
        compiled = ink.with_suffix(".json")
        subprocess.run([node, str(compiler), str(ink), "-o", str(compiled)], check=True, capture_output=True)
        play = [*leadgame_command(), "play", str(story), "--plain"]
        found = interleaved({"ours": (play, b"Your choice"),
                             "ink": ([node, str(player), str(package / "dist" / "ink.js"), str(compiled)], b"?> ")}, repeats, env)
        ours, theirs = found["ours"], found["ink"]
        rows.append(Row(f"plain first prompt, generated {size:,} scenes (cached)", seconds(ours), f"ink {seconds(theirs)}",
                        f"{ours / theirs:.2f}x", "<= 1.0x", verdict(ours / theirs <= 1.0)))
    story, ink = checked(generate.write(folder, cold_size)), generate.write_ink(folder, cold_size)
    cold_env = {**env, "XDG_CACHE_HOME": str(folder / "cold-cache")}
    ours, theirs = [], []
    for _ in range(max(1, repeats // 2)):
        shutil.rmtree(folder / "cold-cache", ignore_errors=True)
        ours.append(time_until([*leadgame_command(), "play", str(story), "--plain"], b"Your choice", cold_env))
        started = time.perf_counter()
        subprocess.run([node, str(compiler), str(ink), "-o", str(ink.with_suffix(".json"))], check=True, capture_output=True)
        theirs.append(time.perf_counter() - started)
    ours_median, theirs_median = median(ours), median(theirs)
    rows.append(Row(f"first run of an unseen {cold_size:,}-scene story (nothing cached)", seconds(ours_median),
                    f"inkjs compile {seconds(theirs_median)}", f"{ours_median / theirs_median:.2f}x", "<= 1.0x",
                    verdict(ours_median / theirs_median <= 1.0)))
    return rows


_CHECKED: set[Path] = set()


def checked(path: Path) -> Path:
    """The generated story at `path`, after the checker has found no error in it: a benchmark
    that timed a broken story would measure nothing, so it stops here instead."""
    from leadgame.authoring.check import check_file

    if path not in _CHECKED:
        report = check_file(path)
        if report.errors:
            lines = "\n".join(f"  {finding}" for finding in report.errors[:10])
            raise SystemExit(f"benchmark stopped: the generated story {path} has {len(report.errors)} error(s):\n{lines}")
        _CHECKED.add(path)
    return path


# --- loading -------------------------------------------------------------------------------------


def yaml_baseline(paths: list[Path]) -> None:
    import yaml

    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def loading(sizes: list[int], repeats: int, folder: Path, text_size: int) -> list[Row]:
    shipped = sorted(SCENARIOS.glob("*.yaml"))
    ours = timed(lambda: [library.load(p) for p in shipped if p.name != "constructs.yaml"], repeats)
    base = timed(lambda: yaml_baseline(shipped), repeats)
    rows = [Row("load + validate shipped scenarios", seconds(ours), f"PyYAML C loader {seconds(base)}", f"{ours / base:.2f}x", "<= 3x", verdict(ours / base <= 3))]
    catalogue = load_constructs(SCENARIOS / "constructs.yaml")
    per_scene = []
    for size in sizes:
        path = checked(generate.write(folder, size))
        ours = timed(lambda: load_scenario(path, catalogue), repeats)
        base = timed(lambda: yaml_baseline([path]), repeats)
        per_scene.append(ours / size)
        rows.append(Row(f"load + validate generated {size:,} scenes", f"{seconds(ours)} ({ours / size * 1e6:.0f} µs/scene)",
                        f"PyYAML C loader {seconds(base)}", f"{ours / base:.2f}x", "<= 3x", verdict(ours / base <= 3)))
    spread = max(per_scene) / min(per_scene)
    rows.append(Row("time per scene across sizes", f"largest/smallest {spread:.2f}", "", "", "flat (<= 1.5)", verdict(spread <= 1.5)))
    rows.append(story_text_loading(text_size, repeats, folder, catalogue))
    return rows


def story_text_loading(size: int, repeats: int, folder: Path, catalogue) -> Row:
    """Format 2 with conditional text in every scene and consequence: parsed, placed and
    type-checked at load, still within a few times what PyYAML's C loader alone takes."""
    path = checked(generate.write(folder, size, story_text=True))
    ours = timed(lambda: load_scenario(path, catalogue), repeats)
    base = timed(lambda: yaml_baseline([path]), repeats)
    return Row(f"load + validate generated {size:,} scenes with conditional text", f"{seconds(ours)} ({ours / size * 1e6:.0f} µs/scene)",
               f"PyYAML C loader {seconds(base)}", f"{ours / base:.2f}x", "<= 3x", verdict(ours / base <= 3))


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
    path = checked(generate.write(folder, check_size))
    scenario = load_scenario(path, load_constructs(SCENARIOS / "constructs.yaml"))
    started = time.perf_counter()
    found = explore(scenario)
    spent = time.perf_counter() - started
    rows.append(Row(f"full check of generated {check_size:,} scenes", f"{seconds(spent)} ({found.states / spent:,.0f} states/s)", "", "", "< 10 s", verdict(spent < 10)))
    rows.append(state_budget_row(folder))
    return rows


def state_budget_row(folder: Path) -> Row:
    """`leadgame check` on a scenario of 22 flags read late (over four million states): the shared
    exploration budget must end it in seconds, in bounded memory, with a located message."""
    path = generate.write_flags(folder, 22)
    code = (
        "import contextlib, io, sys\n"
        "from leadgame.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    status = main(['check', {str(path)!r}])\n"
        "line = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "print(status, 'C-TOO-MANY-STATES' in out.getvalue(), int(line.split()[1]))\n"
    )
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    spent = time.perf_counter() - started
    status, flagged, peak = result.stdout.split()
    peak_mb = int(peak) / 1024
    ok = spent < 10 and peak_mb < 300 and status == "1" and flagged == "True"
    return Row("check of 22 flags read late (4M states): budget ends it", f"{seconds(spent)}, peak {peak_mb:.0f} MB",
               "", "", "< 10 s, < 300 MB, C-TOO-MANY-STATES", verdict(ok))
def loop_checks(quick: bool, folder: Path) -> list[Row]:
    """`leadgame check` of the loops that hurt it most: one met in tens of thousands of story
    states (a way round that toggles flags and passes an `add:` kept under a bound) must end
    quickly with one finding; the same loop with an unbounded `add:` must end quickly too, which
    is the state budget's work (its figure is reported here either way)."""
    from leadgame.authoring.check import check_file

    rows = []
    cases = [(4, 50)] if quick else [(8, 50), (4, None)]
    for flags, bound in cases:
        path = generate.write_loop(folder, flags, bound)
        started = time.perf_counter()
        report = check_file(path)
        spent = time.perf_counter() - started
        loops = sum(1 for f in report.findings if f.code.startswith("C-LOOP"))
        states = f"{report.exploration.states:,} states" if report.exploration else "state limit reached"
        kind = f"kept under {bound}" if bound is not None else "unbounded"
        ok = spent < 5 and (loops == 1 or report.exploration is None)
        rows.append(Row(f"check of the worst loop: {flags} flags, an add {kind}", f"{seconds(spent)} ({states}, {loops} loop finding)",
                        "", "", "< 5 s, one finding", verdict(ok)))
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


def step_cost_by_length(lengths: list[int], repeats: int, folder: Path) -> Row:
    """What one engine step costs in runs of each length on one long generated story: a step at
    step 10,000 should cost what one at step 10 does. Each length plays the same stretch of the
    story (runs of that length from successive scenes), so every figure meets the story's
    scenes as fresh as the longest run does and only the length of the history differs. The
    lengths take turns within each repeat and the figure is CPU time, so a busy spell on a
    shared machine neither lands on one length nor counts other programs' work."""
    longest = max(lengths)
    scenario = library.load(checked(generate.write(folder, 2 * longest + 2)))
    per_step: dict[int, list[float]] = {length: [] for length in lengths}
    for repeat in range(repeats):
        for length in lengths:
            rng = random.Random(repeat)
            spent = 0
            for run in range(longest // length):
                state = engine.start(scenario, 0, at=f"s{run * length}")
                started = time.process_time_ns()
                for _ in range(length):
                    choices = engine.available_choices(state)
                    state, _ = engine.choose(state, choices[rng.randrange(len(choices))].id)
                spent += time.process_time_ns() - started
            per_step[length].append(spent / longest)
    costs = {length: median(values) / 1000 for length, values in per_step.items()}
    spread = max(costs.values()) / min(costs.values())
    shown = ", ".join(f"{length:,}: {cost:.1f} µs" for length, cost in costs.items())
    return Row("engine step cost by run length (CPU)", shown, "", f"largest/smallest {spread:.2f}", "<= 1.3", verdict(spread <= 1.3))


def random_playthroughs(runs: int) -> Row:
    from leadgame.authoring.randomtest import random_playthroughs as play

    scenario = library.load(SCENARIOS / "barnet-troubled-families.yaml")
    started = time.process_time()  # CPU time: other programs on a shared machine do not count
    play(scenario, runs, seed=0)
    spent = time.process_time() - started
    return Row(f"{runs:,} seeded random playthroughs (CPU)", seconds(spent), "", "", "< 10 s" if runs >= 10_000 else "(smoke)", verdict(spent < 10 * runs / 10_000))


@dataclass
class Cost:
    """One action's cost: wall-clock latency, and the CPU time this process spent on it (the
    work itself, which a busy shared machine inflates far less than the waiting)."""

    wall: float
    cpu: float


async def _measure(pilot, keys: tuple[str, ...], ready=None) -> Cost:
    """Press `keys` and let the app settle (until `ready()` holds, when given)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for key in keys:
        await pilot.press(key)
    await pilot.pause()
    for _ in range(1000):
        if ready is None or ready():
            break
        await pilot.pause()
    else:
        raise RuntimeError(f"{keys} never got ready")
    return Cost(time.perf_counter() - wall, time.process_time() - cpu)


def _median(costs: list[Cost]) -> Cost:
    return Cost(median([c.wall for c in costs]), median([c.cpu for c in costs]))


async def _minimal_keypress(presses: int) -> Cost:
    """Pilot's own round trip for one key in a minimal app: the harness cost inside every figure."""
    from textual.app import App
    from textual.widgets import OptionList

    class Minimal(App):
        def compose(self):
            yield OptionList(*[f"option {i}" for i in range(5)])

    return await _press(Minimal(), "down", presses)


async def _press(app, key: str, presses: int) -> Cost:
    """The median cost of pressing `key` and letting the app settle, through Pilot."""
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        return _median([await _measure(pilot, (key,)) for _ in range(presses)])


async def _settled(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _read_on(pilot) -> None:
    """Read to the end of the scene, as a learner must before the choices show (not timed)."""
    for _ in range(50):
        if pilot.app.screen.revealed:
            return
        await pilot.press("pagedown")
        await pilot.pause()


async def _play_keys(presses: int, scenario_path: Path) -> dict[str, Cost]:
    """Each key a learner presses in play and in the debrief, timed in a real game."""
    from leadgame.core.session import Session
    from leadgame.tui.app import LeadgameApp
    from leadgame.tui.screens.scene import SceneScreen

    scenario = library.load(scenario_path)
    folder = Path(os.environ["LEADGAME_SAVES"])
    game = Session.new(scenario, folder, name=f"bench-{scenario.id}", seed=3)
    app = LeadgameApp(game)
    found: dict[str, list[Cost]] = {}

    def keep(name: str, cost: Cost) -> None:
        found.setdefault(name, []).append(cost)

    async with app.run_test(size=(100, 30)) as pilot:
        await _settled(pilot)
        for _ in range(presses):
            if game.finished:
                break
            await _read_on(pilot)
            keep("move the highlight", await _measure(pilot, ("down",)))
            keep("show or hide the side panel (t)", await _measure(pilot, ("t",)))
            await _measure(pilot, ("t",))
            keep("open the note box (n)", await _measure(pilot, ("n",)))
            keep("close the note box (Esc)", await _measure(pilot, ("escape",)))
            keep(CHOOSE, await _measure(pilot, ("1",)))
            if isinstance(app.screen, SceneScreen) and not game.finished:
                await _read_on(pilot)
                await _measure(pilot, ("enter",))
        for _ in range(presses):
            keep("open help (?)", await _measure(pilot, ("question_mark",)))
            keep("close help (Esc)", await _measure(pilot, ("escape",)))
            keep("projector mode (F3)", await _measure(pilot, ("f3",)))
        while not game.finished:
            await _read_on(pilot)
            await _measure(pilot, ("1",))
        await _read_on(pilot)
        await _measure(pilot, ("enter",))  # to the debrief
        await _settled(pilot)
        for _ in range(presses):
            keep("debrief: scroll a page", await _measure(pilot, ("pagedown",)))
        await _measure(pilot, ("tab",))
        for _ in range(presses):
            keep("debrief: type a letter in an answer", await _measure(pilot, ("a",)))
    return {name: _median(costs) for name, costs in found.items()}


async def _opening(presses: int, scenario_path: Path) -> dict[str, Cost]:
    """Starting a new game from the mode dialog, and resuming one from Continue, until its
    scene is on screen."""
    from leadgame.tui.app import LeadgameApp
    from leadgame.tui.screens.saved import SavedGamesScreen
    from leadgame.tui.screens.scene import SceneScreen

    found: dict[str, list[Cost]] = {}
    scene_ready = None
    for _ in range(presses):
        app = LeadgameApp(seed=1)
        async with app.run_test(size=(100, 30)) as pilot:
            await _settled(pilot)
            await pilot.press("1")  # New game
            await _settled(pilot)
            titles = [e.scenario.title if e.scenario else "" for e in app.entries]
            await pilot.press(str(titles.index(library.load(scenario_path).title) + 1))
            await _settled(pilot)

            def scene_ready() -> bool:
                screen = pilot.app.screen
                return isinstance(screen, SceneScreen) and bool(screen.query_one("#narrative").source)

            found.setdefault("start a game (mode chosen to scene shown)", []).append(
                await _measure(pilot, ("1",), scene_ready))
            await pilot.press("escape")
            await _settled(pilot)
            await pilot.press("2")  # Continue
            await _settled(pilot)
            assert isinstance(app.screen, SavedGamesScreen) and app.screen.rows
            found.setdefault("resume a game (Continue to scene shown)", []).append(
                await _measure(pilot, ("enter",), scene_ready))
    return {name: _median(costs) for name, costs in found.items()}


KEYPRESS_TARGET, CHOOSE_TARGET, HEAVY_TARGET = 0.050, 0.030, 0.150
CHOOSE = "choose with a number key, see what follows"
HEAVY = {"open help (?)", "projector mode (F3)", "start a game (mode chosen to scene shown)",
         "resume a game (Continue to scene shown)"}


def keypresses(presses: int) -> list[Row]:
    """Pilot's press-and-settle costs tens of milliseconds even for a minimal app, so the figure
    that says how fast leadgame answers is ours minus that harness cost, measured in the same
    run. The verdict is on CPU time (the app's own work); wall-clock latency is shown beside it."""
    path = SCENARIOS / "bradford-total-place.yaml"
    harness = asyncio.run(_minimal_keypress(max(presses, 5)))
    costs = {**asyncio.run(_play_keys(presses, path)), **asyncio.run(_opening(max(2, presses // 2), path))}
    rows = []
    for name, cost in costs.items():
        own = max(0.0, cost.cpu - harness.cpu)
        target = HEAVY_TARGET if name in HEAVY else CHOOSE_TARGET if name == CHOOSE else KEYPRESS_TARGET
        rows.append(Row(f"TUI: {name} (Pilot)", f"app's own {own * 1000:.0f} ms CPU; {cost.wall * 1000:.0f} ms wall",
                        f"minimal app key: {harness.cpu * 1000:.0f} ms CPU, {harness.wall * 1000:.0f} ms wall",
                        f"{cost.cpu / harness.cpu:.1f}x", f"app's own < {target * 1000:.0f} ms", verdict(own < target)))
    return rows


# --- a live room under load -------------------------------------------------------------------------

LIVE_SERVER = """
import asyncio, statistics, sys, time
from pathlib import Path
from leadgame import library
from leadgame.core.workshop import WorkshopSession
from leadgame.workshop.app import WorkshopApp
from leadgame.workshop.live.server import LiveRoom

def rss():
    line = next(l for l in open('/proc/self/status') if l.startswith('VmRSS:'))
    return int(line.split()[1])

async def main():
    saves, port, scenario = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    game = WorkshopSession.new(library.load(scenario), saves, 'BENCH1')
    while game.is_passage:
        game.advance()
    app = WorkshopApp(game, live=LiveRoom(game, '127.0.0.1', port))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        print('ready', flush=True)
        while True:
            command = (await reader.readline()).decode().split()
            if not command or command[0] == 'quit':
                break
            if command[0] == 'rss':
                print(rss(), flush=True)
            elif command[0] == 'open':
                await pilot.press('v')
                await pilot.pause()
                print('open', flush=True)
            elif command[0] == 'keys':
                timings = []
                for _ in range(int(command[1])):
                    started = time.perf_counter()
                    await pilot.press('down')
                    await pilot.pause()
                    timings.append(time.perf_counter() - started)
                print(statistics.median(timings), flush=True)

asyncio.run(main())
"""


class LiveServer:
    """The projector (under Pilot) and its live room in a process of their own, told what to do on stdin."""

    def __init__(self, folder: Path, port: int, env: dict) -> None:
        scenario = str(SCENARIOS / "bradford-total-place.yaml")
        self.process = subprocess.Popen([sys.executable, "-c", LIVE_SERVER, str(folder / "live-saves"), str(port), scenario],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True, env=env)
        self.ask_sync("", expect="ready")

    def ask_sync(self, command: str, expect: str | None = None) -> str:
        if command:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        line = self.process.stdout.readline().strip()
        if not line or (expect and line != expect):
            raise RuntimeError(f"the live-room benchmark server said {line!r}")
        return line

    async def ask(self, command: str, expect: str | None = None) -> str:
        return await asyncio.to_thread(self.ask_sync, command, expect)

    def stop(self) -> None:
        try:
            self.ask_sync("quit")
        except (RuntimeError, OSError):
            pass
        self.process.kill()
        self.process.wait()


async def _live_load(folder: Path, participants: int, presses: int, env: dict) -> dict:
    import json

    import aiohttp

    from leadgame.workshop.live.server import COOKIE

    port = _free_port()
    server = LiveServer(folder, port, env)
    base = f"http://127.0.0.1:{port}"
    figures: dict = {}
    try:
        figures["rss_base"] = int(await server.ask("rss")) / 1024
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:
            async def join() -> str:
                async with http.post(f"{base}/join", json={"code": "bench1"}) as response:
                    assert response.status == 200
                    return response.cookies[COOKIE].value

            started = time.perf_counter()
            tokens = await asyncio.wait_for(asyncio.gather(*(join() for _ in range(participants))), 30)
            figures["join"] = time.perf_counter() - started

            async def connect(token: str):
                socket = await http.ws_connect(f"{base}/ws", headers={"Cookie": f"{COOKIE}={token}"})
                while (await socket.receive_json())["type"] != "room":
                    pass
                return socket

            started = time.perf_counter()
            sockets = await asyncio.wait_for(asyncio.gather(*(connect(t) for t in tokens)), 30)
            figures["scene"] = time.perf_counter() - started

            async def until_open(socket) -> None:
                while True:
                    data = await socket.receive_json()
                    if data["type"] == "room" and data["voting"]:
                        return

            started = time.perf_counter()
            await server.ask("open", expect="open")
            await asyncio.wait_for(asyncio.gather(*(until_open(s) for s in sockets)), 30)
            figures["change"] = time.perf_counter() - started

            options = [o["id"] for o in (await _room_state(base, tokens[0], http))["options"]]
            round_trips: list[float] = []

            async def vote(socket, number: int) -> None:
                choice = options[number % len(options)]
                started = time.perf_counter()
                await socket.send_str(json.dumps({"type": "vote", "choice": choice, "id": number}))
                while True:
                    data = await socket.receive_json()
                    if data.get("id") == number:
                        assert data["type"] == "you", data
                        round_trips.append(time.perf_counter() - started)
                        return

            for wave in range(3):  # everyone votes at once, three times (the second and third change their votes)
                await asyncio.wait_for(asyncio.gather(*(vote(s, wave * participants + i) for i, s in enumerate(sockets))), 60)
            figures["round_trips"] = sorted(round_trips)

            # The facilitator's keys while the room keeps voting (each device about once a second).
            stop = asyncio.Event()

            async def keep_voting(socket, index: int) -> None:
                number = 10 * participants + index
                while not stop.is_set():
                    await vote(socket, number)
                    number += participants
                    await asyncio.sleep(1.0)

            voters = [asyncio.create_task(keep_voting(s, i)) for i, s in enumerate(sockets)]
            await asyncio.sleep(0.5)
            figures["keys"] = float(await server.ask(f"keys {presses}"))
            stop.set()
            await asyncio.wait_for(asyncio.gather(*voters), 30)
            figures["rss_after"] = int(await server.ask("rss")) / 1024
            for socket in sockets:
                await socket.close()
    finally:
        server.stop()
    return figures


async def _room_state(base: str, token: str, http) -> dict:
    from leadgame.workshop.live.server import COOKIE

    async with http.ws_connect(f"{base}/ws", headers={"Cookie": f"{COOKIE}={token}"}) as socket:
        while True:
            data = await socket.receive_json()
            if data["type"] == "room":
                return data


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def live_room(participants: int, presses: int, folder: Path, env: dict) -> list[Row]:
    """Simulated participants on loopback against the projector's own process (Pilot driving the
    projector): joining, seeing the scene, a change reaching everyone, votes' round trips, the
    server's memory, and the facilitator's keys while the votes keep coming."""
    figures = asyncio.run(_live_load(folder, participants, presses, env))
    harness = asyncio.run(_minimal_keypress(presses)).wall  # the projector's keys are timed by the wall clock
    trips = figures["round_trips"]
    p95 = trips[min(len(trips) - 1, int(0.95 * len(trips)))]
    per_head = max(0.0, figures["rss_after"] - 60) / participants  # MB each beyond the 60 MB base
    grown = max(0.0, figures["rss_after"] - figures["rss_base"]) / participants * 1024  # KB each, from idle
    own_keys = max(0.0, figures["keys"] - harness)
    n = participants
    return [
        Row(f"live room: {n} participants join (POST /join, all at once)", seconds(figures["join"]), "", "", "< 1 s",
            verdict(figures["join"] < 1)),
        Row(f"live room: {n} sockets open and see the current scene", seconds(figures["scene"]), "", "", "< 1 s",
            verdict(figures["scene"] < 1)),
        Row(f"live room: the facilitator opens voting, all {n} see it", seconds(figures["change"]), "", "", "< 1 s",
            verdict(figures["change"] < 1)),
        Row(f"live room: vote round trip, {n} voting at once x3 (p95)", f"{p95 * 1000:.0f} ms (median {median(trips) * 1000:.0f} ms)",
            "", "", "p95 < 100 ms", verdict(p95 < 0.1)),
        Row(f"live room: server memory with {n} participants", f"{figures['rss_after']:.0f} MB; {grown:.0f} KB more each than idle",
            f"idle room {figures['rss_base']:.0f} MB", "", "< 60 MB + 1 MB each", verdict(per_head < 1)),
        Row(f"live room: projector keypress while {n} keep voting (Pilot)", f"{figures['keys'] * 1000:.1f} ms; app's own {own_keys * 1000:.1f} ms",
            f"minimal app via Pilot {harness * 1000:.1f} ms", f"{figures['keys'] / harness:.2f}x", "app's own < 30 ms",
            verdict(own_keys < 0.030)),
    ]
async def _room_votes(options: int, presses: int, folder: Path) -> Cost:
    from leadgame.core.workshop import WorkshopSession
    from leadgame.workshop.app import WorkshopApp

    scenario = load_scenario(generate.write_options(folder, options), load_constructs(SCENARIOS / "constructs.yaml"))
    room = WorkshopSession.new(scenario, Path(tempfile.mkdtemp()), "BENCH")
    try:
        return await _press(WorkshopApp(room), "plus", presses)
    finally:
        room.close()


def room_vote(options: int, presses: int, folder: Path) -> Row:
    """One vote (+) in room mode on a decision of `options` options, saved and drawn: the app's
    own cost is the CPU time less Pilot's own round trip in a minimal app, measured in the same run."""
    harness = asyncio.run(_minimal_keypress(presses))
    value = asyncio.run(_room_votes(options, presses, folder))
    own = max(0.0, value.cpu - harness.cpu)
    return Row(f"room vote on a decision of {options:,} options (Pilot)", f"app's own {own * 1000:.0f} ms CPU; {value.wall * 1000:.0f} ms wall",
               f"minimal app key: {harness.cpu * 1000:.0f} ms CPU, {harness.wall * 1000:.0f} ms wall",
               f"{value.cpu / harness.cpu:.1f}x", "app's own < 100 ms", verdict(own < 0.100))


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


RALPH_BATCH = 1000  # Ralph's file backend reads its whole file for every batch: bigger batches, fewer reads


def lrs_export(quick: bool, folder: Path) -> list[Row]:
    """`leadgame lrs export` of saved playthroughs, each against posting the very same statements
    (made beforehand, written to a file) straight to the same LRS, in the same run: to a stand-in
    LRS at full size, which measures leadgame's own throughput; and to a real LRS (Ralph, as the
    tests start it) at a tenth of that, since Ralph's file backend rereads its whole file for every
    batch, so that 10,000 playthroughs would take it most of an hour. The stand-in (tests/support.py)
    takes POSTed batches on the same path and counts the ids: it costs almost nothing, so an
    export to it measures leadgame's own work (reading, replaying, making statements, the outbox, HTTP)."""
    sys.path.insert(0, str(REPO / "tests"))
    from support import CountingLrs

    stand_in = _export_row(CountingLrs(), 20 if quick else 10_000, 100, "a stand-in LRS (in this process: accepts and counts)",
                           folder / "stand-in", quick)
    try:
        from lrs_helpers import RalphLrs

        ralph = RalphLrs(folder / "ralph")
    except BaseException as error:  # the helpers skip when Ralph is not installed
        return [stand_in, Row("lrs export to Ralph", f"not measured: {str(error)[:80]}")]
    ralph.start()
    try:
        return [stand_in, _export_row(ralph, 20 if quick else 1_000, RALPH_BATCH, "Ralph (file backend)", folder / "ralph-run", quick)]
    finally:
        ralph.stop()


def _export_row(lrs, playthroughs: int, batch: int, what: str, folder: Path, quick: bool) -> Row:
    cohort = write_cohort(playthroughs, folder / "cohort")
    ours, theirs = (lrs.account(), lrs.account()) if hasattr(lrs, "account") else (None, None)
    settings = ours.env() if ours else {"LEADGAME_LRS_ENDPOINT": lrs.endpoint}
    env = {**os.environ, **settings, "LEADGAME_LRS_BATCH": str(batch), "LEADGAME_SAVES": str(folder / "saves"),
           "LEADGAME_CONFIG": str(folder / "config.toml")}
    try:
        started = time.perf_counter()
        peak = peak_memory(["lrs", "export", str(cohort)], env)
        spent = time.perf_counter() - started
        stored = len(ours.stored_lines()) if ours else len(lrs.ids)
        made = _statements_of(cohort, folder / "statements.jsonl")
        if not ours:
            lrs.ids.clear()
        direct = _post_directly(folder / "statements.jsonl", theirs.env() if theirs else settings, batch)
        directly_stored = len(theirs.stored_lines()) if theirs else len(lrs.ids)
    finally:
        if not ours:
            lrs.stop()
    every = stored == made == directly_stored
    ratio = spent / direct
    label = f"lrs export of {playthroughs:,} saved playthroughs to {what}, {batch} a batch"
    measured = f"{stored:,} statements in {seconds(spent)}: {stored / spent:,.0f}/s, peak {peak:.0f} MB"
    baseline = f"POST of the same, made beforehand: {seconds(direct)}, {made / direct:,.0f}/s"
    if quick:
        return Row(label, measured, baseline, f"{ratio:.2f}x", "(smoke)", verdict(every))
    limit = 6 if ours is None else 2
    return Row(label, measured, baseline, f"{ratio:.2f}x", f"<= {limit}x, < 200 MB, every statement stored",
               verdict(every and ratio <= limit and peak < 200))


def _statements_of(cohort: Path, out: Path) -> int:
    """Write the statements of every game under `cohort` to `out`, one JSON a line; how many."""
    from leadgame.lrs.config import LrsConfig
    from leadgame.lrs.statements import Profile, from_save
    from leadgame.report.collect import Scenarios, read_games

    profile = Profile(LrsConfig(), "00000000-0000-4000-8000-000000000000")
    count = 0
    with open(out, "w", encoding="utf-8") as handle:
        for _, loaded in read_games([cohort], Scenarios()):
            for statement in profile.statements(from_save(loaded.record, loaded.replay.state)):
                handle.write(json.dumps(statement, ensure_ascii=False, separators=(",", ":")) + "\n")
                count += 1
    return count


POST_DIRECTLY = r"""
import base64, os, sys, urllib.request
path, batch = sys.argv[1], int(sys.argv[2])
url = os.environ["LEADGAME_LRS_ENDPOINT"] + "statements"
headers = {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"}
if os.environ.get("LEADGAME_LRS_USERNAME"):
    token = base64.b64encode((os.environ["LEADGAME_LRS_USERNAME"] + ":" + os.environ["LEADGAME_LRS_PASSWORD"]).encode())
    headers["Authorization"] = "Basic " + token.decode()
def send(lines):
    body = ("[" + ",".join(lines) + "]").encode()
    urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers, method="POST"), timeout=300).read()
lines = []
for line in open(path, encoding="utf-8"):
    lines.append(line.rstrip("\n"))
    if len(lines) == batch:
        send(lines)
        lines = []
if lines:
    send(lines)
"""


def _post_directly(statements: Path, settings: dict, batch: int) -> float:
    """Seconds a process of its own takes to POST the statements in `statements`, `batch` at a
    time, with nothing else (the baseline: what the LRS and HTTP cost)."""
    env = {**os.environ, **settings}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", POST_DIRECTLY, str(statements), str(batch)], check=True, env=env)
    return time.perf_counter() - started


# --- the table -------------------------------------------------------------------------------------


GROUPS = ("startup", "ink", "loading", "checking", "engine", "tui", "rooms", "report", "lrs")


def render(rows: list[Row]) -> str:
    headers = ("figure", "measured (median)", "baseline, same run", "ratio", "target", "")
    table = [headers] + [(r.figure, r.value, r.baseline, r.ratio, r.target, r.verdict) for r in rows]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(headers))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths)) + " |" for line in table]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def benchmark_env(folder: Path) -> dict:
    """Processes run as an installed leadgame runs: from compiled bytecode (kept in this run's
    folder, so the checkout stays clean, and made by each command's first, untimed run), with
    saves and the user's cache folder (where compiled scenarios go) in this run's folder too."""
    env = {**os.environ, "LEADGAME_SAVES": str(folder / "saves"), "XDG_CACHE_HOME": str(folder / "cache"),
           "NO_COLOR": "1", "PYTHONPYCACHEPREFIX": str(folder / "bytecode")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("LEADGAME_CACHE", None)
    return env


def leadgame_command() -> list[str]:
    """How a user starts leadgame: its console script, beside this Python."""
    script = Path(sys.executable).parent / "leadgame"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "leadgame.cli"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smallest sizes and few repeats: proves the script runs")
    parser.add_argument("--only", choices=GROUPS, action="append", help="run only these groups of figures (repeatable)")
    args = parser.parse_args(argv)
    wanted = set(args.only or GROUPS)
    quick = args.quick
    repeats = 2 if quick else 7
    folder = Path(tempfile.mkdtemp(prefix="leadgame-bench-"))
    (folder / "constructs.yaml").write_text((SCENARIOS / "constructs.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    env = benchmark_env(folder)
    os.environ.update({name: env[name] for name in ("LEADGAME_SAVES", "XDG_CACHE_HOME")})
    rows: list[Row] = []
    if "startup" in wanted:
        rows += cold_starts(1 if quick else 7, env)
    if "ink" in wanted:
        rows += ink_rows([100] if quick else [100, 1000, 10_000], 200 if quick else 10_000, 1 if quick else 7, folder, env, install=not quick)
    if "loading" in wanted:
        rows += loading([100, 200] if quick else [1000, 10_000, 50_000], 1 if quick else 3, folder, 200 if quick else 10_000)
    if "checking" in wanted:
        rows += checking(200 if quick else 10_000, 1 if quick else 3, folder)
        rows += loop_checks(quick, folder)
    if "engine" in wanted:
        rows.append(engine_step(200 if quick else 20_000))
        rows.append(step_cost_by_length([10, 100] if quick else [10, 100, 1000, 10_000], 3 if quick else 9, folder))
        rows.append(random_playthroughs(100 if quick else 10_000))
    if "tui" in wanted:
        rows += keypresses(2 if quick else 9)
    if "rooms" in wanted:
        rows.append(room_vote(5000, 3 if quick else 15, folder))
        rows += live_room(20 if quick else 200, 3 if quick else 15, folder, env)
    if "report" in wanted:
        rows += cohort_report(20 if quick else 1000, folder)
    if "lrs" in wanted:
        rows += lrs_export(quick, folder)
    print(f"leadgame benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}{' (quick)' if quick else ''}")
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
