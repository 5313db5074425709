"""kill -9 at random moments across plain play, room mode and reports: no game lost or corrupted.

    .venv/bin/python benchmarks/kill_loop.py              # 50 kills (the figure the docs quote)
    .venv/bin/python benchmarks/kill_loop.py 150 --seed 7

Each iteration starts one leadgame process, feeds it as a person would, and kills it (SIGKILL,
no chance to clean up) at a random moment. Then it checks, from the files alone:

- plain play (`leadgame play --plain`): the save and every backup read back whole, and the save
  holds at least every decision the player had been shown as made (a prompt for the next one
  appears only once the last is saved);
- room mode (a room session, voting and advancing as the room screen does): the session reads
  back whole and holds at least every step the process reported saved;
- a cohort report (`leadgame report -o`): the output is absent or whole, and no save changed.

At the end every game and session is opened once more (as resuming does) and no temporary file
may be left anywhere: opening a game cleans up what a crash left. The test suite runs a few
iterations of this (tests/test_kill_loop.py); this script runs as many as asked.
"""

from __future__ import annotations

import argparse
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "fixtures" / "scenarios" / "mini.yaml"
CATALOGUE = MINI.with_name("constructs.yaml")

ROOM = """
import random, sys, time
from pathlib import Path
from leadgame import library
from leadgame.core.workshop import WorkshopSession, read_workshop, workshop_file
saves, code, seed = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
scenario = library.load(Path(sys.argv[4]))
path = workshop_file(saves, code)
room = WorkshopSession.resume(scenario, saves, read_workshop(path))[0] if path.exists() else WorkshopSession.new(scenario, saves, code)
rng = random.Random(seed)
print("ready", flush=True)
pause = lambda: time.sleep(rng.uniform(0, 0.08))  # a facilitator's pace, so kills land between and within writes
while not room.finished:
    options = [choice.id for choice in room.choices()]
    if not room.is_passage:
        room.set_votes(options[0], rng.randrange(1, 9))
        pause()
        room.set_votes(options[-1], rng.randrange(0, 9) if len(options) > 1 else 0)
        pause()
    try:
        room.advance()
    except Exception:  # a tie: the facilitator breaks it
        room.advance(tie_break=room.leaders()[0])
    print("saved", len(room.record.decisions), flush=True)
"""


@dataclass
class Tally:
    kills: dict[str, int] = field(default_factory=lambda: {"play": 0, "room": 0, "report": 0})
    lost: list[str] = field(default_factory=list)  # decisions shown as made but missing after the kill
    corrupted: list[str] = field(default_factory=list)  # files that no longer read back whole
    stray: list[str] = field(default_factory=list)  # temporary files left after reopening everything
    mid_game: int = 0  # kills that landed after a decision of this run was saved and before the ending

    @property
    def iterations(self) -> int:
        return sum(self.kills.values())

    def line(self) -> str:
        kinds = ", ".join(f"{kind} {count}" for kind, count in self.kills.items())
        return (f"{self.iterations} kills ({kinds}; {self.mid_game} mid-game): {len(self.lost)} lost, "
                f"{len(self.corrupted)} corrupted, {len(self.stray)} stray temporary files")


def _environment(saves: Path) -> dict[str, str]:
    return {**os.environ, "LEADGAME_SAVES": str(saves), "LEADGAME_SCENARIOS": str(MINI.parent), "NO_COLOR": "1",
            "COLUMNS": "100"}


def _kill_after(process: subprocess.Popen, seconds: float, on_output=None, marker: str = "") -> str:
    """Read the process's output (answering it through `on_output`) until `seconds` have passed
    since `marker` first appeared in it (since the start, without one), then SIGKILL it.
    Returns everything it wrote."""
    deadline = time.monotonic() + (seconds if not marker else 30)
    seen = b""
    while time.monotonic() < deadline and process.poll() is None:
        if marker and marker in seen.decode("utf-8", "replace"):
            deadline, marker = time.monotonic() + seconds, ""
        ready, _, _ = select.select([process.stdout], [], [], max(0.0, min(0.02, deadline - time.monotonic())))
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            seen += chunk
        if on_output:  # every tick, so answers come at a person's pace rather than all at once
            on_output(seen.decode("utf-8", "replace"))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    try:
        seen += process.stdout.read() or b""
    except (OSError, ValueError):
        pass
    return seen.decode("utf-8", "replace")


def kill_play(saves: Path, name: str, rng: random.Random, tally: Tally) -> None:
    from leadgame.core.saves import BACKUPS, SaveError, backup_path, read_save

    path = saves / f"{name}.json"
    before = len(read_save(path).choices) if path.exists() else 0
    args = ["play", "--plain", "--resume", name] if path.exists() else ["play", str(MINI), "--plain", "--save", name]
    process = subprocess.Popen([sys.executable, "-m", "leadgame.cli", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env=_environment(saves))
    answered, ready_at = [0], [0.0]

    def answer(text: str) -> None:  # one answer per prompt, a moment after it, as a person types
        prompts = text.count("Your choice (") + text.count("[Enter]")
        if answered[0] < prompts and time.monotonic() >= ready_at[0]:
            ready_at[0] = time.monotonic() + rng.uniform(0.04, 0.25)
            try:
                process.stdin.write(f"{rng.randrange(1, 3)}\n".encode())
                process.stdin.flush()
            except (BrokenPipeError, OSError):
                return
            answered[0] += 1

    output = _kill_after(process, rng.uniform(0.0, 1.2), answer, marker=rng.choice(["", "Your choice (", "Your choice ("]))
    tally.kills["play"] += 1
    prompts = output.count("Your choice (") + output.count("[Enter]") + output.count("how did that feel?")
    shown = max(0, prompts - 1)  # each prompt after the first: the decision before it is saved
    if _judge(tally, name, path, read_save, SaveError, before, before + shown) is None:
        return
    for generation in range(1, BACKUPS + 1):
        if backup_path(path, generation).exists():
            try:
                read_save(backup_path(path, generation))
            except SaveError as error:
                tally.corrupted.append(f"{backup_path(path, generation).name}: {error}")


def _judge(tally: Tally, label: str, path: Path, read, damaged: type[Exception], before: int, promised: int):
    """Read back what a killed process was writing: it must be whole and hold at least the
    `promised` steps the process had shown as saved. Returns what was read, or None."""
    try:
        found = read(path)
    except damaged as error:
        if path.exists():
            tally.corrupted.append(f"{label}: {error}")
        elif promised:
            tally.lost.append(f"{label}: nothing saved after {promised} steps shown as saved")
        return None
    if len(found.choices) < promised:
        tally.lost.append(f"{label}: {len(found.choices)} steps saved, {promised} shown as saved")
    tally.mid_game += before < len(found.choices) and not found.finished
    return found


def kill_room(saves: Path, code: str, rng: random.Random, tally: Tally) -> None:
    from leadgame.core.workshop import WorkshopError, read_workshop, workshop_file

    path = workshop_file(saves, code)
    before = len(read_workshop(path).decisions) if path.exists() else 0
    process = subprocess.Popen([sys.executable, "-c", ROOM, str(saves), code, str(rng.randrange(10**6)), str(MINI)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment(saves))
    output = _kill_after(process, rng.uniform(0.0, 0.6), marker=rng.choice(["", "ready", "ready"]))
    tally.kills["room"] += 1
    reported = [int(line.split()[1]) for line in output.splitlines() if line.startswith("saved ")]
    _judge(tally, code, path, read_workshop, WorkshopError, before, max([before, *reported]))


def kill_report(saves: Path, out: Path, rng: random.Random, tally: Tally) -> None:
    from leadgame.core.saves import read_save

    before = {p.name: p.read_bytes() for p in saves.glob("*.json")}
    process = subprocess.Popen([sys.executable, "-m", "leadgame.cli", "report", str(saves), "--format", "html", "-o", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment(saves))
    _kill_after(process, rng.uniform(0.05, 0.8))
    tally.kills["report"] += 1
    if out.exists() and not out.read_text(encoding="utf-8").endswith("</html>\n"):
        tally.corrupted.append(f"{out.name}: a torn report")
    for name, content in before.items():
        if (saves / name).read_bytes() != content:
            tally.corrupted.append(f"{name}: changed by a report")
        read_save(saves / name)


def reopen_everything(saves: Path, out: Path, tally: Tally) -> None:
    """Open every game and session once (as resuming does) and write the report once more; then
    no temporary file may be left anywhere under the folders."""
    from leadgame import library
    from leadgame.core.saves import read_save, write_output
    from leadgame.core.session import Session
    from leadgame.core.workshop import WorkshopSession, find_workshops, read_workshop

    scenario = library.load(MINI)
    for path in sorted(saves.glob("*.json")):
        game, _ = Session.resume(scenario, saves, read_save(path))
        game.close()
    for path in find_workshops(saves):
        room, _ = WorkshopSession.resume(scenario, saves, read_workshop(path))
        room.close()
    write_output(out, out.read_text(encoding="utf-8") if out.exists() else "")
    tally.stray += [str(p) for p in (*saves.rglob("*.tmp"), *out.parent.glob(".*.tmp"))]


def run(iterations: int, seed: int, folder: Path) -> Tally:
    rng = random.Random(seed)
    saves, out = folder / "saves", folder / "out" / "report.html"
    out.parent.mkdir(parents=True)
    os.environ["LEADGAME_SCENARIOS"] = str(MINI.parent)
    tally = Tally()
    games = rooms = 0
    for index in range(iterations):
        kind = ("play", "room", "report")[index % 3]
        if kind == "play":
            from leadgame.core.saves import SaveError, read_save

            name = f"game-{games}"
            try:
                if read_save(saves / f"{name}.json").finished:
                    games += 1
                    name = f"game-{games}"
            except SaveError:
                pass
            kill_play(saves, name, rng, tally)
        elif kind == "room":
            from leadgame.core.workshop import WorkshopError, read_workshop, workshop_file

            code = f"ROOM{rooms}"
            try:
                if read_workshop(workshop_file(saves, code)).finished:
                    rooms += 1
                    code = f"ROOM{rooms}"
            except WorkshopError:
                pass
            kill_room(saves, code, rng, tally)
        else:
            kill_report(saves, out, rng, tally)
    reopen_everything(saves, out, tally)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("iterations", type=int, nargs="?", default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    folder = Path(tempfile.mkdtemp(prefix="leadgame-kill-"))
    started = time.monotonic()
    try:
        tally = run(args.iterations, args.seed, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{tally.line()} in {time.monotonic() - started:.0f} s")
    for problem in tally.lost + tally.corrupted + tally.stray:
        print(f"  {problem}")
    return 0 if not (tally.lost or tally.corrupted or tally.stray) else 1


if __name__ == "__main__":
    sys.exit(main())
