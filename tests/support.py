"""Paths and helpers shared by the tests (imported by name; conftest modules are not importable
reliably once several folders have one)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
FIXTURE_SCENARIOS = FIXTURES / "scenarios"
MINI = FIXTURE_SCENARIOS / "mini.yaml"
REPO = TESTS.parent


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `leadgame` as a user would, in a fresh process."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "leadgame.cli", *args],
        input=input, capture_output=True, text=True, env=full_env, timeout=timeout, cwd=REPO,
    )


class HangingLrs:
    """An LRS that accepts connections and then holds every request until `release()` (or a
    minute): the slowest LRS there is. Counts the requests sent to it and those it has answered,
    so a test can show that something went on while none had been answered."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.requests = 0
        self.answered = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                outer.requests += 1
                outer.released.wait(60)
                outer.answered += 1
                self.send_response(503)
                self.end_headers()

            do_GET = do_PUT = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}/xAPI/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def release(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
