"""Saved games: versioned JSON holding the scenario id and content hash, the seed and the log of
choice ids. Resuming replays the log, so a save survives an author's edits as far as it still
fits. Writes are atomic (temporary file, fsync, rename): a crash mid-write leaves the previous
save intact. Save names are plain words and can never point outside the saves folder."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from leadgame.core.engine import Replay, decisions_made, replay
from leadgame.core.text import clean_text
from leadgame.core.model import Scenario

FORMAT_VERSION = 2
BACKUP_SUFFIX = ".bak"
MAX_SAVE_BYTES = 4 * 1024 * 1024
MAX_NOTE_CHARS = 4000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


class SaveError(ValueError):
    """A save that cannot be read or written; the message names the file and the problem."""


@dataclass(frozen=True)
class SaveGame:
    name: str
    scenario_id: str
    scenario_hash: str
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


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


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
    """Hard-link the current file to its backup name: the live file never stops existing."""
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
    """A JSON file leadgame wrote, parsed. Refuses links and files over `limit` bytes; raises
    SaveError naming the file and the problem (a truncated file gets its line and column)."""
    path = Path(path)
    try:
        if path.is_symlink():
            raise SaveError(f"{path}: is a symbolic link; leadgame will not follow it")
        if path.stat().st_size > limit:
            raise SaveError(f"{path}: too large to be a {what}")
        return json.loads(path.read_text(encoding="utf-8"))
    except SaveError:
        raise
    except FileNotFoundError:
        raise SaveError(f"{path}: no such {what}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SaveError(f"{path}: cannot be read ({error.__class__.__name__})") from None
    except json.JSONDecodeError as error:
        raise SaveError(f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); the file may be truncated") from None


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
    if not isinstance(data, dict) or "format_version" not in data:
        raise SaveError(f"{path}: not a leadgame save")
    checked_version(path, data.get("format_version"), FORMAT_VERSION, "save")
    while data["format_version"] < FORMAT_VERSION:
        data = _MIGRATIONS[data["format_version"]](data)
    expected = {
        "name": str, "scenario_id": str, "scenario_hash": str, "seed": int, "choices": list,
        "coached": bool, "finished": bool, "feeling": str, "scenario_path": str, "team": str,
        "session": str, "start_scene": str, "created": str, "updated": str,
    }
    values = {}
    for key, kind in expected.items():
        if key not in data:
            if key in ("name", "scenario_id", "choices"):
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
    return SaveGame(**values)


def restore_backup(folder: Path, name: str) -> SaveGame:
    """Put the last good generation of a damaged save back in place; the damaged file is kept."""
    path = save_path(Path(folder), name)
    backup = read_save(backup_path(path))
    if path.exists():
        stamp = now().replace(":", "").replace("+", "_")
        os.replace(path, path.with_name(f"{path.name}.damaged-{stamp}"))
    atomic_write(path, backup.to_json())
    return backup


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


def resume(scenario: Scenario, save: SaveGame, variables=None) -> Resumed:
    """The saved game replayed on `scenario`; `variables` are starting values an author set
    for a test run (they are never saved)."""
    if save.scenario_id != scenario.id:
        raise SaveError(f"save '{save.name}' belongs to scenario '{save.scenario_id}', not '{scenario.id}'")
    result = replay(scenario, save.seed, save.choices, save.start_scene, variables)
    notes = []
    if save.scenario_hash and save.scenario_hash != scenario.content_hash:
        notes.append("The scenario file has changed since this game was saved.")
    if result.problem:
        made = decisions_made(result.state)
        notes.append(f"Replayed {made} decision{'s' if made != 1 else ''} of your path: {result.problem}.")
    return Resumed(result, tuple(notes))
