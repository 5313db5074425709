"""A real Learning Record Store for the tests: Ralph, started as `ralph runserver -b fs` on a free
loopback port, with HTTP basic credentials made by `ralph auth ... -w`.

Ralph is in the test extras. If it cannot be found the Ralph tests are skipped, with the reason;
LEADGAME_REQUIRE_LRS=1 (set by .ci/run) turns that skip into a failure.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urljoin

import pytest

REQUIRE = os.environ.get("LEADGAME_REQUIRE_LRS") == "1"
PATCH = Path(__file__).resolve().parent / "lrs" / "ralph_fs"
USERS = 16  # one LRS account (and statements file) per test that needs a clean LRS
HOME_PAGE = "https://leadgame.test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ralph_command() -> str:
    """The `ralph` beside this Python, or a skip (a failure when LEADGAME_REQUIRE_LRS=1)."""
    found = shutil.which("ralph", path=str(Path(sys.executable).parent))
    problem = "" if found else "the `ralph` command is not installed beside this Python"
    if found:
        check = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=60)
        problem = "" if check.returncode == 0 else f"`ralph --version` failed: {check.stderr.strip()[-300:]}"
    if problem:
        message = f"Ralph LRS unavailable ({problem}); install the test extras: pip install -e '.[test]'"
        if REQUIRE:
            pytest.fail(message)
        pytest.skip(message)
    return found


class RalphLrs:
    """Ralph with USERS accounts, each storing its statements in a file of its own."""

    def __init__(self, folder: Path):
        self.command = ralph_command()
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI/"
        self.env = {**os.environ, "RALPH_APP_DIR": str(folder / "app"), "RALPH_RUNSERVER_BACKEND": "fs",
                    "PYTHONPATH": str(PATCH)}
        self.users = [(f"user{n}", secrets.token_urlsafe(12)) for n in range(USERS)]
        self.handed_out = 0
        self.process: subprocess.Popen | None = None
        for number, (name, password) in enumerate(self.users):
            (self.data / f"target{number}").mkdir(parents=True, exist_ok=True)
            subprocess.run([self.command, "auth", "-u", name, "-p", password, "-s", "all", "-A", name, HOME_PAGE,
                            "-t", f"target{number}", "-w"], env=self.env, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        run = self.folder / "run"  # the dev server watches its working folder: give it an empty one
        run.mkdir(exist_ok=True)
        log = open(self.folder / "ralph.log", "ab")
        self.process = subprocess.Popen(
            [self.command, "runserver", "-b", "fs", "-h", "127.0.0.1", "-p", str(self.port),
             "--fs-default-directory-path", str(self.data)],
            cwd=run, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph stopped at start; see {self.folder / 'ralph.log'}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("Ralph did not answer within 90 seconds")

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)  # the server and its reloader: the group we started
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        self.process = None

    def account(self) -> "Account":
        """A fresh account whose statements no other test sees."""
        if self.handed_out >= len(self.users):
            raise RuntimeError("raise USERS in lrs_helpers.py: every Ralph account is in use")
        name, password = self.users[self.handed_out]
        self.handed_out += 1
        return Account(self, name, password, self.data / f"target{self.handed_out - 1}" / "fs_lrs.jsonl")


class Account:
    def __init__(self, lrs: RalphLrs, name: str, password: str, stored: Path):
        self.lrs, self.name, self.password, self.stored = lrs, name, password, stored

    def env(self, **extra: str) -> dict[str, str]:
        """leadgame's settings for this account, as environment variables."""
        return {"LEADGAME_LRS_ENDPOINT": self.lrs.endpoint, "LEADGAME_LRS_USERNAME": self.name,
                "LEADGAME_LRS_PASSWORD": self.password, **extra}

    def statements(self, **filters: str) -> list[dict]:
        """Every statement the LRS returns to this account, page after page (plain urllib: the
        tests check leadgame against the LRS, not against itself)."""
        token = base64.b64encode(f"{self.name}:{self.password}".encode()).decode()
        headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}
        url = f"{self.lrs.endpoint}statements?{urlencode({'limit': 100, **filters})}"
        found = []
        for _ in range(10_000):
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as answer:
                page = json.load(answer)
            found += page["statements"]
            if not page.get("more") or not page["statements"]:
                return found
            url = urljoin(self.lrs.endpoint, page["more"])
        raise RuntimeError("too many pages")

    def stored_lines(self) -> list[dict]:
        """What Ralph wrote to its statements file for this account: one line per statement stored."""
        if not self.stored.exists():
            return []
        return [json.loads(line) for line in self.stored.read_text(encoding="utf-8").splitlines() if line.strip()]


class PlainGame:
    """`leadgame play --plain` in a process of its own, answered one prompt at a time, the way a
    learner at a terminal (or a screen reader) meets it."""

    PROMPTS = ("Your choice (", "[Enter] ", "how did that feel?", "Your note (", "Your answer (")

    def __init__(self, *args: str, env: dict | None = None):
        from support import REPO

        full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
        self.process = subprocess.Popen([sys.executable, "-m", "leadgame.cli", "play", *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env, cwd=REPO)
        self.output = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait_for_prompts(1)

    def _read(self) -> None:
        while chunk := os.read(self.process.stdout.fileno(), 4096):
            self.output += chunk

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace")

    def prompts(self) -> int:
        return sum(self.text.count(prompt) for prompt in self.PROMPTS)

    def wait_for_prompts(self, count: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.prompts() < count and self.process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"no prompt within {timeout} s; the game said:\n{self.text[-1500:]}")
            time.sleep(0.02)

    def answer(self, line: str) -> None:
        """Type a line and wait for the next prompt (or the end of the game)."""
        before = self.prompts()
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()
        self.wait_for_prompts(before + 1)

    def finish(self, timeout: float = 30) -> int:
        self.process.stdin.close()
        code = self.process.wait(timeout)
        self._reader.join(timeout)
        self.errors = self.process.stderr.read().decode("utf-8", "replace")
        return code
