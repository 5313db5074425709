"""Paths and helpers shared by the tests (imported by name; conftest modules are not importable
reliably once several folders have one)."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
FIXTURE_SCENARIOS = FIXTURES / "scenarios"
MINI = FIXTURE_SCENARIOS / "mini.yaml"
FOLLOWS = FIXTURES / "follows" / "follows.yaml"  # format 2: text that follows the story state
REPO = TESTS.parent


def scenario_header(version: int = 1, state: str = "  trust: 0\n") -> str:
    """The top of a small scenario file, up to its scenes: every required key, the given
    `format` and `state:` lines, and `start: one`."""
    return (f"format: {version}\nid: t\ntitle: T\nsummary: s\nplace: p\nyears: \"2010\"\nrole: r\nminutes: 5\n"
            f"intro: i\nlearning_objectives: [a]\nsources: [b]\nreflection: [c]\nstate:\n{state}start: one\n")


ENDING_TAIL = "endings:\n  - id: fin\n    title: F\n    text: t\n    what_really_happened: w\n"


# --- compiled scenarios ----------------------------------------------------------------------------


def fresh(path: Path):
    """The scenario straight from its YAML, as the loader alone makes it (with the catalogue
    beside it)."""
    from leadgame.core.loader import load_constructs, load_scenario

    return load_scenario(path, load_constructs(Path(path).parent / "constructs.yaml"))


def compiled_entries(cache: Path) -> list[Path]:
    return sorted(Path(cache).glob("*.json"))


def yaml_unreadable(monkeypatch) -> None:
    """From here on, reading any YAML fails the test: what loads must come from the cache."""
    def refuse(*args, **kwargs):
        raise AssertionError("the YAML was parsed again")

    monkeypatch.setattr("leadgame.core.loader.load_scenario", refuse)
    monkeypatch.setattr("leadgame.core.loader.load_constructs", refuse)


def placements(scenario) -> list:
    """Where each placeholder of each text with placeholders sits in the file (text compares as
    text, so its placeholders' places are compared here)."""
    from leadgame.core import compiled, templates

    texts = [scene.text for scene in scenario.scenes.values()]
    texts += [choice.consequence for scene in scenario.scenes.values() for choice in scene.choices]
    texts += [ending.text for ending in scenario.endings.values()]
    return [(str(text), compiled._positions(text.parts)) for text in texts if isinstance(text, templates.Template)]


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `leadgame` as a user would, in a fresh process."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "leadgame.cli", *args],
        input=input, capture_output=True, text=True, env=full_env, timeout=timeout, cwd=REPO,
    )


def _generator(folder: Path):
    """benchmarks/generate.py, with the fixture catalogue written into `folder`."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    (Path(folder) / "constructs.yaml").write_text((FIXTURE_SCENARIOS / "constructs.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return generate


def flags_scenario(folder: Path, flags: int, growing: bool = False) -> Path:
    """A valid scenario whose story state explodes, with its catalogue."""
    return _generator(folder).write_flags(Path(folder), flags, growing)


def options_scenario(folder: Path, options: int) -> Path:
    """A valid scenario whose one decision has `options` options, with its catalogue."""
    return _generator(folder).write_options(Path(folder), options)


ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()][0-9A-Za-z]|.)")


class Terminal:
    """`leadgame` on its own pseudo-terminal of 100×30, read and typed to as a person would."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "leadgame.cli", *args], stdin=slave, stdout=slave, stderr=slave,
            env=env, cwd=REPO, start_new_session=True, close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.raw = b""
        self.closed = False
        threading.Thread(target=self._pump, daemon=True).start()

    @property
    def text(self) -> str:
        """What was written, without the escape sequences."""
        return ESCAPE.sub("", self.raw.decode("utf-8", "replace"))

    def _pump(self) -> None:
        """Read the program's output as it comes, so a busy screen never blocks on a full pty."""
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: every writer has gone
                chunk = b""
            if not chunk:
                self.closed = True
                return
            self.raw += chunk

    def read(self, timeout: float) -> None:
        time.sleep(timeout)  # the output is read all along, by a thread

    def wait_for(self, words: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while words not in self.text and not self.closed and time.monotonic() < deadline:
            self.read(0.1)
        assert words in self.text, f"never saw {words!r}; the terminal shows:\n{self.text[-3000:]}"

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 60) -> int:
        """Read to the end of the program's output; its exit status."""
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            self.read(0.1)
        return self.process.wait(timeout=max(1, deadline - time.monotonic()))

    def __enter__(self) -> "Terminal":
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


def environment(**changes: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("TERM", "NO_COLOR", "COLUMNS", "LINES")}
    for key, value in changes.items():
        if value is not None:
            env[key] = value
    return env


class LocalLrs:
    """A stand-in LRS on a free loopback port, served by threads of this process: `answer`
    decides the reply to each request (method, body) made to it."""

    def __init__(self) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = outer.answer(self.command, body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_PUT = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}/xAPI/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, method: str, body: bytes) -> tuple[int, bytes]:
        raise NotImplementedError

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class HangingLrs(LocalLrs):
    """An LRS that accepts connections and then holds every request until `release()` (or a
    minute): the slowest LRS there is. Counts the requests sent to it and those it has answered,
    so a test can show that something went on while none had been answered."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.requests = 0
        self.answered = 0
        super().__init__()

    def answer(self, method: str, body: bytes) -> tuple[int, bytes]:
        self.requests += 1
        self.released.wait(60)
        self.answered += 1
        return 503, b""

    def release(self) -> None:
        self.released.set()
        self.stop()


class CountingLrs(LocalLrs):
    """The least an LRS can do: take POSTed batches of statements and count each id once."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        super().__init__()

    def answer(self, method: str, body: bytes) -> tuple[int, bytes]:
        if method != "POST":
            return 200, b'{"statements": [], "more": ""}'
        ids = [statement["id"] for statement in json.loads(body)]
        self.ids.update(ids)
        return 200, json.dumps(ids).encode()
