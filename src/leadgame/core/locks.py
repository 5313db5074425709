"""One process at a time per save: an advisory lock held for as long as a game is open.

Two leadgame windows playing the same save would each write their own history and the last
write would silently drop the other's decisions. A lock makes the second window say so instead.
The operating system releases the lock when the holding process ends, even by a crash or kill,
so a stale lock never blocks a learner. Within one process the lock is shared (re-entrant), so
an app may open the same game again after going back to its title screen.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

_held: dict[Path, list] = {}  # lock path -> [file descriptor, reference count]


class LockedElsewhere(OSError):
    pass


def _try_lock(descriptor: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def acquire(path: Path) -> Path:
    path = Path(path).resolve()
    if path in _held:
        _held[path][1] += 1
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)  # a planted link is refused
    if not _try_lock(descriptor):
        os.close(descriptor)
        raise LockedElsewhere(f"{path.name} is held by another process")
    _held[path] = [descriptor, 1]
    return path


def release(path: Path) -> None:
    entry = _held.get(path)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] == 0:
        del _held[path]
        os.close(entry[0])  # closing the descriptor releases the lock


@contextmanager
def briefly(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` for a short critical section, waiting for any other
    process that holds it (unlike `acquire`, which refuses at once)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        else:
            msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock
