"""Saved games: versioned JSON holding the scenario id and content hash, the seed and the log of
choice ids. Resuming replays the log, so a save survives an author's edits as far as it still
fits. Writes are atomic (temporary file, fsync, rename): a crash mid-write leaves the previous
save intact, and the last few generations are kept as backups. A save is the file: its name is
the file's name (a copy is a game of its own), plain words that can never point outside the
saves folder."""

from __future__ import annotations

import json
import math
import os
import re
import stat
import tempfile
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from leadgame.core.engine import Replay, replay
from leadgame.core.text import clean_text
from leadgame.core.model import Scenario

FORMAT_VERSION = 2
BACKUP_SUFFIX = ".bak"
BACKUPS = 3  # generations kept: NAME.json.bak (the newest), .bak2, .bak3
MAX_SAVE_BYTES = 4 * 1024 * 1024
MAX_NOTE_CHARS = 4000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


class SaveError(ValueError):
    """A save that cannot be read or written; the message names the file and the problem."""


@dataclass(frozen=True)
class SaveGame:
    name: str
    scenario_id: str
    scenario_hash: str = ""
    seed: int = 0
    choices: tuple[str, ...] = ()
    coached: bool = False
    finished: bool = False
    feeling: str = ""
    scenario_path: str = ""
    team: str = ""
    session: str = ""
    start_scene: str = ""  # set when an author starts mid-story with --from
    created: str = field(default_factory=lambda: now())
    updated: str = field(default_factory=lambda: now())

    def to_json(self) -> str:
        data = {"format_version": FORMAT_VERSION, **asdict(self)}
        data["choices"] = list(self.choices)
        return json.dumps(data, indent=2, ensure_ascii=False)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name) or ".." in name:
        raise SaveError(
            f"'{name[:40]}' is not a usable save name: use letters, digits, '-', '_' and '.' (up to 80)"
        )
    return name


def save_path(folder: Path, name: str) -> Path:
    """The file for a save name, guaranteed to sit directly inside `folder`."""
    path = Path(folder) / f"{check_name(name)}.json"
    if path.is_symlink():
        raise SaveError(f"{path} is a symbolic link; leadgame will not follow it")
    return path


def lock_path(folder: Path, name: str) -> Path:
    return Path(folder) / f".{check_name(name)}.lock"


def write_save(folder: Path, save: SaveGame) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = save_path(folder, save.name)
    atomic_write(path, replace(save, updated=now()).to_json(), keep_backup=True)
    return path


def backup_path(path: Path, generation: int = 1) -> Path:
    """Generation 1 is the newest backup (NAME.json.bak), then NAME.json.bak2 and so on."""
    return path.with_name(path.name + BACKUP_SUFFIX + (str(generation) if generation > 1 else ""))


_SAVE_FILE = re.compile(r"^(?P<name>.+)\.json(?:\.bak\d*)?$")


def name_of(path: Path) -> str:
    """A save's name: its file's name, whatever the file says inside, so a copy is its own game."""
    found = _SAVE_FILE.match(Path(path).name)
    return found["name"] if found else Path(path).stem


def atomic_write(path: Path, text: str, keep_backup: bool = False) -> None:
    """Replace `path` with `text` so that a crash at any moment leaves either the old or the new
    file whole. With `keep_backup`, the old file becomes `path.bak` (the last good generation)."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_backup and path.is_file():
            _keep_previous(path)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def write_output(path: Path, text: str) -> None:
    """Write a file the user named (a report, an exported debrief). A new or regular file is
    replaced atomically; anything else that already exists there (a device such as /dev/null,
    a pipe, a link) is written through, never replaced by a file of ours."""
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return
    atomic_write(path, text)


def _keep_previous(path: Path) -> None:
    """Move each backup one generation older, then hard-link the current file to the newest
    backup name: the live file never stops existing, and the oldest generation drops off."""
    for generation in range(BACKUPS, 1, -1):
        try:
            os.replace(backup_path(path, generation - 1), backup_path(path, generation))
        except FileNotFoundError:
            pass
    staging = path.with_name(f".{path.name}.bak.tmp")
    staging.unlink(missing_ok=True)
    try:
        os.link(path, staging)
    except OSError:  # filesystems without hard links: a copy is as good, just slower
        import shutil

        shutil.copy2(path, staging)
    os.replace(staging, backup_path(path))


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not every platform lets a folder be opened; the rename is still atomic
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def read_json(path: Path, what: str = "leadgame save", limit: int = MAX_SAVE_BYTES) -> object:
    """A small JSON file leadgame wrote, parsed: the one reader for every file a learner or a
    stranger could have put there (saves, room sessions, caches). Only a regular file is read
    (never a link, a pipe or a device, so nothing can make it wait), at most `limit` bytes, no
    deeper than MAX_JSON_DEPTH, numbers of at most MAX_NUMBER_CHARS characters and finite.
    Raises SaveError naming the file and the problem (a truncated file gets its line and column)."""
    path = Path(path)
    try:
        if path.is_symlink():
            raise SaveError(f"{path}: is a symbolic link; leadgame will not follow it")
        data = parse_json(_read_regular_file(path, what, limit).decode("utf-8"))
    except SaveError:
        raise
    except FileNotFoundError:
        raise SaveError(f"{path}: no such {what}") from None
    except UnicodeDecodeError:
        raise SaveError(f"{path}: not a {what} (not UTF-8 text)") from None
    except OSError as error:
        raise SaveError(f"{path}: cannot be read ({error.strerror or error.__class__.__name__})") from None
    except json.JSONDecodeError as error:
        raise SaveError(f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); the file may be truncated") from None
    except (ValueError, RecursionError) as error:
        raise SaveError(f"{path}: not a {what} ({_json_problem(error)})") from None
    return data


MAX_JSON_DEPTH = 24  # a save nests 3 deep, a room session 5
MAX_NUMBER_CHARS = 40


def _read_regular_file(path: Path, what: str, limit: int) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)  # non-blocking: opening a pipe returns at once
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(descriptor)
        problem = "not a regular file, so not" if not stat.S_ISREG(info.st_mode) else "too large to be"
        raise SaveError(f"{path}: {problem} a {what}")
    with os.fdopen(descriptor, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:  # grew while we read it
        raise SaveError(f"{path}: too large to be a {what}")
    return raw


class _Refused(ValueError):
    """A JSON value leadgame never writes, met while parsing."""


def _whole_number(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"a number too long ({len(text)} digits)")
    return int(text)


def _real_number(text: str) -> float:
    value = float(text) if len(text) <= MAX_NUMBER_CHARS else math.inf
    if len(text) > MAX_NUMBER_CHARS or not math.isfinite(value):
        raise _Refused(f"a number too large ({text[:20]}…)" if len(text) > 20 else f"a number too large ({text})")
    return value


def _constant(name: str) -> float:
    raise _Refused(f"{name} is not a number leadgame writes")


def parse_json(text: str) -> object:
    """JSON text parsed within leadgame's bounds (see read_json); raises ValueError, or
    RecursionError when nested too deeply for Python itself."""
    data = json.loads(text, parse_int=_whole_number, parse_float=_real_number, parse_constant=_constant)
    stack = [(data, 1)]
    while stack:  # iterative: the depth being checked is the danger
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise _Refused("nested too deeply")
            stack += [(child, depth + 1) for child in (value.values() if isinstance(value, dict) else value)]
    return data


def _json_problem(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "nested too deeply"
    if isinstance(error, _Refused):
        return str(error)
    return f"unreadable value: {str(error)[:60]}"


def read_save(path: Path) -> SaveGame:
    return save_from_data(Path(path), read_json(path))


def _v1_to_v2(data: dict) -> dict:
    """Format 2 added `start_scene` (games begun mid-story with --from)."""
    return {**data, "start_scene": "", "format_version": 2}


_MIGRATIONS = {1: _v1_to_v2}


def checked_version(path: Path, version: object, current: int, kind: str) -> int:
    """A leadgame JSON file's format version, refused when unknown or newer than `current`."""
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SaveError(f"{path}: unknown {kind} format {str(version)[:20]!r}")
    if version > current:
        raise SaveError(f"{path}: made by a newer leadgame ({kind} format {version}); update leadgame to open it")
    return version


def save_from_data(path: Path, data: object) -> SaveGame:
    """The save a file holds. Its name is the file's (see name_of), not the one written inside."""
    if not isinstance(data, dict) or "format_version" not in data:
        raise SaveError(f"{path}: not a leadgame save")
    checked_version(path, data.get("format_version"), FORMAT_VERSION, "save")
    while data["format_version"] < FORMAT_VERSION:
        data = _MIGRATIONS[data["format_version"]](data)
    expected = {
        "scenario_id": str, "scenario_hash": str, "seed": int, "choices": list,
        "coached": bool, "finished": bool, "feeling": str, "scenario_path": str, "team": str,
        "session": str, "start_scene": str, "created": str, "updated": str,
    }
    values = {}
    for key, kind in expected.items():
        if key not in data:
            if key in ("scenario_id", "choices"):
                raise SaveError(f"{path}: the save has no '{key}'")
            continue
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise SaveError(f"{path}: '{key}' should be {kind.__name__}, found {type(value).__name__}")
        values[key] = value
    if not all(isinstance(c, str) and len(c) <= 64 for c in values["choices"]):
        raise SaveError(f"{path}: 'choices' must be a list of choice ids")
    values["choices"] = tuple(values["choices"])
    for key in ("feeling", "team", "session"):  # hand-edited saves are untrusted text too
        values[key] = clean_text(values.get(key, ""), MAX_NOTE_CHARS)
    return SaveGame(name=name_of(path), **values)


@dataclass(frozen=True)
class BackupOffer:
    """What `--use-backup` would do, in words, before it does it."""

    name: str
    backup: SaveGame
    current: SaveGame | None  # None when the current save is missing or cannot be read
    current_problem: str

    def describe(self) -> str:
        when = self.backup.updated.replace("T", " ").replace("+00:00", " UTC") or "an unknown time"
        words = [f"The last backup of '{self.name}' was saved at {when} and holds {_choices(len(self.backup.choices))}."]
        if self.current is None:
            words.append(f"The current save {self.current_problem}; it is kept beside the restored one.")
        else:
            lost = len(self.current.choices) - len(self.backup.choices)
            back = f", so restoring it goes back {_choices(lost)}" if lost > 0 else ""
            words.append(f"The current save is readable and holds {_choices(len(self.current.choices))}{back}; "
                         "it is kept beside the restored one.")
        return " ".join(words)


def _choices(count: int) -> str:
    return f"{count} choice{'s' if count != 1 else ''}"


def backup_offer(folder: Path, name: str) -> BackupOffer:
    """The newest readable backup of a save, and the state of the current save."""
    path = save_path(Path(folder), name)
    backup = None
    for generation in range(1, BACKUPS + 1):
        try:
            backup = read_save(backup_path(path, generation))
            break
        except SaveError:
            continue
    if backup is None:
        raise SaveError(f"there is no readable backup of the game '{name}' in {folder}")
    try:
        return BackupOffer(name, backup, read_save(path), "")
    except SaveError as error:
        problem = "does not exist" if not path.exists() else f"cannot be read ({_reason_only(path, error)})"
        return BackupOffer(name, backup, None, problem)


def _reason_only(path: Path, error: SaveError) -> str:
    return str(error).removeprefix(f"{path}:").strip(" :")


def restore_backup(folder: Path, name: str) -> SaveGame:
    """Put the newest readable backup of a save back in place. The file it replaces is kept:
    renamed `.damaged-TIME` when it could not be read, `.replaced-TIME` when it could."""
    offer = backup_offer(folder, name)
    path = save_path(Path(folder), name)
    if path.exists():
        stamp = now().replace(":", "").replace("+", "_")
        kind = "replaced" if offer.current is not None else "damaged"
        os.replace(path, path.with_name(f"{path.name}.{kind}-{stamp}"))
    atomic_write(path, offer.backup.to_json())
    return offer.backup


def list_saves(folder: Path) -> tuple[list[tuple[Path, SaveGame]], list[str]]:
    """Readable saves newest first, and a message for each file that could not be read."""
    good, bad = [], []
    folder = Path(folder)
    if not folder.is_dir():
        return good, bad
    for path in sorted(folder.glob("*.json")):
        try:
            good.append((path, read_save(path)))
        except SaveError as error:
            bad.append(str(error))
    good.sort(key=lambda item: item[1].updated, reverse=True)
    return good, bad


@dataclass(frozen=True)
class Resumed:
    replay: Replay
    notes: tuple[str, ...]  # what changed since the save, in plain words


def resume(scenario: Scenario, save: SaveGame) -> Resumed:
    if save.scenario_id != scenario.id:
        raise SaveError(f"save '{save.name}' belongs to scenario '{save.scenario_id}', not '{scenario.id}'")
    result = replay(scenario, save.seed, save.choices, save.start_scene)
    notes = []
    if save.scenario_hash and save.scenario_hash != scenario.content_hash:
        notes.append("The scenario file has changed since this game was saved.")
    if result.problem:
        notes.append(f"Replayed {result.applied} of {len(save.choices)} decisions: {result.problem}.")
    return Resumed(result, tuple(notes))
