"""The outbox: statements waiting for the LRS, kept on disk so that nothing is lost.

    <saves>/.lrs/outbox.jsonl   every statement queued, one JSON object a line (append-only)
    <saves>/.lrs/sent.txt       the ids the LRS has accepted, one a line (append-only)
    <saves>/.lrs/refused.jsonl  statements the LRS refused as invalid, with its reason

A statement is queued while its id is in outbox.jsonl and not in sent.txt or refused.jsonl. Each
append is whole lines written and flushed to disk under a short lock, so a crash can at worst
leave one torn last line, which is skipped (the statement is made again from the save the next
time the game is saved or exported: its id is the same). Several leadgame processes may append
at once; each reads only what the others appended since it last looked. After a push, sent
statements are dropped by rewriting the file atomically; sent.txt keeps the latest ids so the
same statement is not queued again. sent.txt alone is not forced to disk line by line: an id a
crash loses from it is sent again, and the LRS already holds it. Everything is bounded.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from leadgame.core import locks
from leadgame.core.saves import atomic_write

FOLDER = ".lrs"
MAX_QUEUED_BYTES = 64 * 1024 * 1024  # ~50,000 statements: months of a laptop's play offline
MAX_SENT_IDS = 200_000  # ids remembered after the statements themselves are dropped
MAX_STATEMENT_BYTES = 256 * 1024
COMPACT_AFTER_BYTES = 1024 * 1024


class OutboxFull(OSError):
    """The outbox holds as much as it may; nothing more is queued until it is sent."""


@dataclass
class Status:
    queued: int = 0
    queued_bytes: int = 0
    sent: int = 0  # ids remembered as sent
    refused: int = 0
    damaged: int = 0  # lines that could not be read (a torn write): skipped
    oldest: str = ""
    newest: str = ""
    verbs: dict[str, int] = field(default_factory=dict)


class _Tail:
    """A file read incrementally: only what was appended since the last look."""

    def __init__(self, path: Path):
        self.path = path
        self.identity: tuple[int, int] | None = None
        self.offset = 0
        self.lines = 0  # complete lines read from the file as it is now

    def new_lines(self) -> tuple[list[str], bool]:
        """(complete lines appended since last time, whether the file was replaced meanwhile)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            replaced = self.identity is not None
            self.identity, self.offset = None, 0
            return [], replaced
        identity = (stat.st_dev, stat.st_ino)
        replaced = identity != self.identity or stat.st_size < self.offset
        if replaced:
            self.identity, self.offset, self.lines = identity, 0, 0
        if stat.st_size == self.offset:
            return [], replaced
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            data = handle.read(stat.st_size - self.offset)
        complete = data[:data.rfind(b"\n") + 1]
        self.offset += len(complete)
        lines = complete.decode("utf-8", "replace").splitlines()
        self.lines += len(lines)
        return lines, replaced

    def skip(self, lines: int) -> None:
        """Step over what this process has just appended itself (under the lock: nobody else can
        have written meanwhile), so it is never read back."""
        stat = self.path.stat()
        if (stat.st_dev, stat.st_ino) == self.identity:
            self.offset, self.lines = stat.st_size, self.lines + lines


class Outbox:
    def __init__(self, saves: Path):
        self.folder = Path(saves) / FOLDER
        self.queue_file = self.folder / "outbox.jsonl"
        self.sent_file = self.folder / "sent.txt"
        self.refused_file = self.folder / "refused.jsonl"
        self.lock_file = self.folder / ".outbox.lock"
        self.send_lock = self.folder / ".send.lock"
        # Ids as read so far (this process's appends and others'), only ever growing: ids stay
        # known after compaction drops their statements, since they were sent or refused.
        self._queued: set[str] = set()  # ever queued
        self._done: set[str] = set()  # sent or refused
        self._queue_tail, self._sent_tail, self._refused_tail = (_Tail(f) for f in (self.queue_file, self.sent_file,
                                                                                    self.refused_file))

    def _catch_up(self) -> None:
        """Read what was appended to the three files since the last look (call under the lock)."""
        for tail, ids, read_id in ((self._queue_tail, self._queued, _line_id), (self._sent_tail, self._done, _sent_id),
                                   (self._refused_tail, self._done, _line_id)):
            lines, _ = tail.new_lines()
            ids.update(filter(None, map(read_id, lines)))

    # --- adding -----------------------------------------------------------------------------

    def add(self, statements: Iterable[dict]) -> int:
        """Queue the statements not already known; returns how many were new. Raises OutboxFull."""
        with locks.briefly(self.lock_file):
            self._catch_up()
            queued, done = self._queued, self._done
            lines, ids = [], set()
            for statement in statements:
                if statement["id"] in queued or statement["id"] in done or statement["id"] in ids:
                    continue
                line = json.dumps(statement, ensure_ascii=False, separators=(",", ":"))
                if len(line) > MAX_STATEMENT_BYTES:
                    continue  # cannot happen for statements leadgame makes; never queue a giant
                lines.append(line + "\n")
                ids.add(statement["id"])
            if not lines:
                return 0
            size = self.queue_file.stat().st_size if self.queue_file.exists() else 0
            if size + sum(len(line) for line in lines) > MAX_QUEUED_BYTES:
                raise OutboxFull(f"{self.queue_file}: the outbox is full ({size // 1024 // 1024} MB queued); "
                                 "send it with `leadgame lrs push`")
            _append(self.queue_file, lines)
            self._queue_tail.skip(len(lines))
            queued.update(ids)
            return len(lines)

    # --- sending ----------------------------------------------------------------------------

    def pending(self) -> int:
        """How many statements are still to send (without reading them)."""
        with locks.briefly(self.lock_file):
            self._catch_up()
            return len(self._queued - self._done)

    def queued(self) -> Iterator[tuple[str, str]]:
        """(id, JSON line) of every statement still to send, oldest first, each id once."""
        with locks.briefly(self.lock_file):
            size = self.queue_file.stat().st_size if self.queue_file.exists() else 0
            self._catch_up()
            done = set(self._done)
        if not size:
            return
        with open(self.queue_file, "rb") as handle:
            for raw in _lines(handle, size):
                statement_id = _line_id(raw)
                if statement_id and statement_id not in done:
                    done.add(statement_id)
                    yield statement_id, raw

    def mark_sent(self, ids: list[str]) -> None:
        if ids:
            with locks.briefly(self.lock_file):
                _append(self.sent_file, [i + "\n" for i in ids], durable=False)

    def refuse(self, line: str, reason: str) -> None:
        """Set a statement aside that the LRS says is invalid: kept, shown by status, not retried."""
        record = json.dumps({"reason": reason[:500], "statement": json.loads(line)}, ensure_ascii=False)
        with locks.briefly(self.lock_file):
            _append(self.refused_file, [record + "\n"])

    def compact(self) -> None:
        """Drop sent statements from the queue file, and all but the latest sent ids."""
        with locks.briefly(self.lock_file):
            if not self.queue_file.exists():
                return
            self._catch_up()
            if self._queued <= self._done:  # everything was sent (the usual case): nothing to read
                atomic_write(self.queue_file, "")
            else:
                size = self.queue_file.stat().st_size
                with open(self.queue_file, "rb") as handle:
                    atomic_write(self.queue_file, (raw + "\n" for raw in _unique(_lines(handle, size), self._done)))
            if self._sent_tail.lines > MAX_SENT_IDS:
                kept = self.sent_file.read_text(encoding="utf-8").splitlines()[-MAX_SENT_IDS:]
                atomic_write(self.sent_file, "".join(i + "\n" for i in kept))

    def needs_compacting(self) -> bool:
        return self.queue_file.exists() and self.queue_file.stat().st_size > COMPACT_AFTER_BYTES

    # --- reading ----------------------------------------------------------------------------

    def status(self) -> Status:
        status = Status(sent=len(self._ids(self.sent_file)), refused=len(self._refused_ids()))
        for statement_id, raw in self.queued():
            status.queued += 1
            status.queued_bytes += len(raw) + 1
            try:
                statement = json.loads(raw)
                verb = str(statement["verb"]["display"]["en"])
                stamp = str(statement.get("timestamp", ""))
            except (ValueError, KeyError, TypeError):
                continue
            status.verbs[verb] = status.verbs.get(verb, 0) + 1
            status.oldest = min(status.oldest or stamp, stamp)
            status.newest = max(status.newest, stamp)
        if self.queue_file.exists():
            with open(self.queue_file, "rb") as handle:
                status.damaged = sum(1 for raw in _lines(handle, self.queue_file.stat().st_size) if not _line_id(raw))
        return status

    @staticmethod
    def _ids(path: Path) -> set[str]:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return set()
        return set(filter(None, map(_sent_id, text.splitlines())))

    def _refused_ids(self) -> set[str]:
        try:
            lines = self.refused_file.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return set()
        return set(filter(None, (_line_id(line) for line in lines)))


def _append(path: Path, lines: list[str], durable: bool = True) -> None:
    """Append whole lines (and, if `durable`, flush them to disk). A torn line left by a crash is
    closed first, so it stays one unreadable line rather than spoiling the next."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab+") as handle:
        if handle.tell():
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                handle.write(b"\n")
        handle.write("".join(lines).encode("utf-8"))
        handle.flush()
        if durable:
            os.fsync(handle.fileno())


def _lines(handle, size: int) -> Iterator[str]:
    """The complete lines among the first `size` bytes of a file, decoded."""
    read = 0
    for raw in handle:
        read += len(raw)
        if read > size or not raw.endswith(b"\n"):
            return
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if line:
            yield line


def _unique(lines: Iterable[str], done: set[str]) -> Iterator[str]:
    seen = set(done)
    for line in lines:
        statement_id = _line_id(line)
        if statement_id and statement_id not in seen:
            seen.add(statement_id)
            yield line


def _line_id(line: str) -> str:
    """The statement id of an outbox or refused line; '' for a line that cannot be read."""
    try:
        data = json.loads(line)
    except ValueError:
        return ""
    if isinstance(data, dict) and isinstance(data.get("statement"), dict):
        data = data["statement"]
    statement_id = data.get("id") if isinstance(data, dict) else None
    return statement_id if isinstance(statement_id, str) and _is_uuid(statement_id) else ""


def _sent_id(line: str) -> str:
    return line if _is_uuid(line) else ""


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _is_uuid(text: str) -> bool:
    """A UUID as leadgame writes it (lower case, hyphens): the only ids the outbox keeps."""
    return isinstance(text, str) and _UUID.fullmatch(text) is not None
