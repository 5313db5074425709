"""Saved games: versioned JSON holding the scenario id and content hash, the seed and the log of
choice ids. Resuming replays the log, so a save survives an author's edits as far as it still
fits. Writes are atomic (temporary file, fsync, rename): a crash mid-write leaves the previous
save intact, and the last few generations are kept as backups. A save is the file: its name is
the file's name (a copy is a game of its own), plain words that can never point outside the
saves folder."""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import re
import stat
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from leadgame.core.engine import Replay, State, replay
from leadgame.core.text import clean_text
from leadgame.core.model import CONTINUE, Choice, Scenario, Scene

FORMAT_VERSION = 4
BACKUP_SUFFIX = ".bak"
BACKUPS = 3  # generations kept: NAME.json.bak (the newest), .bak2, .bak3
MAX_SAVE_BYTES = 4 * 1024 * 1024
MAX_NOTE_CHARS = 4000
MAX_SET_ASIDE = 20  # edits that cut a path short, remembered per save (the newest kept)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}\Z")


class SaveError(ValueError):
    """A save that cannot be read or written; the message names the file and the problem."""


@dataclass(frozen=True)
class SetAside:
    """Decisions a resume could no longer replay after the scenario was edited: kept in the save,
    never dropped, with what happened. `kept` is how many decisions before them still held."""

    when: str
    kept: int
    reason: str
    decisions: tuple[tuple[str, str, str], ...]  # (scene, choice, text) as recorded
    notes: tuple[tuple[int, str], ...] = ()  # the learner's notes on those decisions, by step

    def to_data(self) -> dict:
        return {"when": self.when, "kept": self.kept, "reason": self.reason,
                "decisions": [{"scene": s, "choice": c, "text": t} for s, c, t in self.decisions],
                "notes": [[step, text] for step, text in self.notes]}


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
    learner: str = ""  # who played, as they named themselves (browser play), for reports
    start_scene: str = ""  # set when an author starts mid-story with --from
    created: str = field(default_factory=lambda: now())
    updated: str = field(default_factory=lambda: now())
    # What each choice was made on, (scene id, decision_text), so a resume after an edit can
    # say which decisions changed and find a renamed start scene; empty for older saves.
    trail: tuple[tuple[str, str], ...] = ()
    set_aside: tuple[SetAside, ...] = ()
    # What the learner wrote: a note per step of the path (by the step's 0-based index in the
    # history) and an answer per reflection question (by the question's words).
    notes: dict[int, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    # A what-if replay: the save it branched from, and how many of that game's steps it kept.
    origin: str = ""
    branched_at: int = 0

    def to_json(self) -> str:
        data = {"format_version": FORMAT_VERSION, **asdict(self)}
        data["choices"] = list(self.choices)
        data["trail"] = [list(pair) for pair in self.trail]
        data["set_aside"] = [entry.to_data() for entry in self.set_aside]
        data["notes"] = {str(step): text for step, text in sorted(self.notes.items())}
        return json.dumps(data, indent=2, ensure_ascii=False)


def decision_text(scene: Scene, choice: Choice) -> str:
    """A short fingerprint of what a decision was made on: the scene's text and the option's label."""
    return hashlib.sha256(f"{scene.text}\0{choice.label}".encode()).hexdigest()[:12]


def trail_of(state: State) -> tuple[tuple[str, str], ...]:
    scenes = state.scenario.scenes
    return tuple((step.scene, decision_text(scenes[step.scene], next(c for c in scenes[step.scene].choices if c.id == step.choice)))
                 for step in state.history)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name) or ".." in name:
        raise SaveError(
            f"'{clean_text(str(name)[:40])}' is not a usable save name: use letters, digits, '-', '_' and '.' (up to 80)"
        )
    return name


def file_problem(error: OSError, folder: Path) -> str:
    """What an operating-system error means for a folder leadgame writes in, in words a learner
    can act on (a read-only folder, a full disk, a file where the folder should be)."""
    code = error.errno
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"the folder {folder} cannot be written to (it is read-only, or you lack permission)"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"the disk that holds {folder} is full"
    if code in (errno.ENOTDIR, errno.EEXIST):
        return f"a file stands where the folder {folder} (or one of the folders above it) should be"
    return f"{folder}: {error.strerror or error.__class__.__name__}"


def save_path(folder: Path, name: str) -> Path:
    """The file for a save name, guaranteed to sit directly inside `folder`."""
    path = Path(folder) / f"{check_name(name)}.json"
    if path.is_symlink():
        raise SaveError(f"{path} is a symbolic link; leadgame will not follow it")
    return path


def lock_path(folder: Path, name: str) -> Path:
    return Path(folder) / f".{check_name(name)}.lock"



def write_save(folder: Path, save: SaveGame) -> Path:
    """Write a save whole or not at all; raises SaveError saying why it could not be written."""
    folder = Path(folder)
    path = save_path(folder, save.name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, replace(save, updated=now()).to_json(), keep_backup=True)
    except OSError as error:
        raise SaveError(f"could not save the game '{save.name}': {file_problem(error, folder)}") from None
    return path


def backup_path(path: Path, generation: int = 1) -> Path:
    """Generation 1 is the newest backup (NAME.json.bak), then NAME.json.bak2 and so on."""
    return path.with_name(path.name + BACKUP_SUFFIX + (str(generation) if generation > 1 else ""))


_SAVE_FILE = re.compile(r"^(?P<name>.+)\.json(?:\.bak\d*)?$")


def name_of(path: Path) -> str:
    """A save's name: its file's name, whatever the file says inside, so a copy is its own game."""
    found = _SAVE_FILE.match(Path(path).name)
    return found["name"] if found else Path(path).stem


def atomic_write(path: Path, text: str | Iterable[str], keep_backup: bool = False) -> None:
    """Replace `path` with `text` (a string, or pieces of one written as they come) so that a
    crash at any moment leaves either the old or the new file whole. With `keep_backup`, the
    old file becomes `path.bak` (the last good generation). The temporary file carries this
    process's id, so one a crash leaves can be told from one a live writer is still using (see
    remove_temporaries)."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.writelines([text] if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_backup and path.is_file():
            _keep_previous(path)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


STALE_SECONDS = 600  # a temporary file this old was left by a crash, whoever made it


def remove_temporaries(path: Path, locked: bool = False) -> None:
    """Remove the temporary files a crash (kill -9, a power cut) left while `path` was written.
    Holding the lock that guards `path` (`locked`), no write of it can be under way, so all go;
    otherwise only those whose process has ended, or that are older than STALE_SECONDS."""
    path = Path(path)
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(?:bak\d*|(?:(?P<pid>\d+)\.)?[a-z0-9_]{{8}})\.tmp$")
    try:
        found = [(p, pattern.match(p.name)) for p in path.parent.iterdir()]
    except OSError:
        return
    for candidate, match in found:
        if match is None:
            continue
        try:
            if locked or _ended(match["pid"]) or time.time() - candidate.lstat().st_mtime > STALE_SECONDS:
                candidate.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: it harms nothing


def _ended(pid: str | None) -> bool:
    """Whether the process that made a temporary file has ended (on this computer)."""
    if not pid or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return False


def write_output(path: Path, text: str) -> None:
    """Write a file the user named (a report, an exported debrief). A new or regular file is
    replaced atomically; anything else that already exists there (a device such as /dev/null,
    a pipe, a link) is written through, never replaced by a file of ours."""
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return
    remove_temporaries(path)
    atomic_write(path, text)


def _keep_previous(path: Path) -> None:
    """Make each backup one generation older, then the current file the newest backup. Every
    name is only ever replaced, never removed, so a crash at any moment leaves the live file and
    every backup whole (at worst two generations alike); the oldest generation drops off."""
    for generation in range(BACKUPS, 1, -1):
        if backup_path(path, generation - 1).exists():
            _link_over(backup_path(path, generation - 1), backup_path(path, generation))
    _link_over(path, backup_path(path))


def _link_over(source: Path, target: Path) -> None:
    """Replace `target` with `source`'s content, atomically: a hard link, or a copy where the
    file system has none."""
    staging = target.with_name(f".{target.name}.tmp")
    staging.unlink(missing_ok=True)
    try:
        os.link(source, staging)
    except OSError:
        import shutil

        shutil.copy2(source, staging)
    os.replace(staging, target)


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
        data = parse_json(read_regular_file(path, what, limit).decode("utf-8"))
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


def read_regular_file(path: Path, what: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (never a link, a pipe or a device);
    raises SaveError naming the file and `what` it should have been, or OSError."""
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
    level, depth = [data] if isinstance(data, (dict, list)) else [], 1
    while level:  # one level of containers at a time, iteratively: the depth being checked is the danger
        if depth > MAX_JSON_DEPTH:
            raise _Refused("nested too deeply")
        level = [child for value in level for child in (value.values() if type(value) is dict else value)
                 if type(child) is dict or type(child) is list]
        depth += 1
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


def _v2_to_v3(data: dict) -> dict:
    """Format 3 added `trail` (what each decision was made on) and `set_aside` (decisions an
    edit stopped from replaying, kept)."""
    return {**data, "trail": [], "set_aside": [], "format_version": 3}


def _v3_to_v4(data: dict) -> dict:
    """Format 4 added what the learner wrote (`notes` per step, reflection `answers`) and a
    what-if's `origin` and `branched_at`: an older leadgame would drop them on its next write."""
    return {**data, "notes": {}, "answers": {}, "origin": "", "branched_at": 0, "format_version": 4}


_MIGRATIONS = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


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
        "session": str, "learner": str, "start_scene": str, "created": str, "updated": str,
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
    for key in ("feeling", "team", "session", "learner", "scenario_id", "scenario_hash", "scenario_path", "start_scene",
                "created", "updated"):
        if key in values:  # a save is untrusted text too: one cleaning rule for every field shown anywhere
            values[key] = clean_text(values[key], MAX_NOTE_CHARS)
    trail = _ids(data.get("trail"), 2)
    values["trail"] = trail if trail is not None and len(trail) == len(values["choices"]) else ()
    values["set_aside"] = _set_aside(path, data.get("set_aside", []))
    return SaveGame(name=name_of(path), **values, **learner_writing(path, data))


MAX_NOTES = 500  # notes or answers in one save: far more than any path has steps


def learner_writing(path: Path, data: dict) -> dict:
    """The save's notes, reflection answers and what-if origin, checked and cleaned; all
    optional (saves from before they existed have none)."""
    found: dict = {}
    for key in ("notes", "answers"):
        value = data.get(key, {})
        if not isinstance(value, dict) or len(value) > MAX_NOTES or not all(isinstance(v, str) for v in value.values()):
            raise SaveError(f"{path}: '{key}' should map to text (at most {MAX_NOTES} entries)")
        found[key] = {k: clean_text(v, MAX_NOTE_CHARS) for k, v in value.items() if clean_text(v, MAX_NOTE_CHARS)}
    if not all(k.isascii() and k.isdigit() and len(k) < 7 for k in found["notes"]):
        raise SaveError(f"{path}: 'notes' should be keyed by step numbers")
    found["notes"] = {int(k): v for k, v in found["notes"].items()}
    found["answers"] = {clean_text(k, MAX_NOTE_CHARS): v for k, v in found["answers"].items()}
    origin, branched_at = data.get("origin", ""), data.get("branched_at", 0)
    if not isinstance(origin, str) or (origin and not _NAME.match(origin)):
        raise SaveError(f"{path}: 'origin' should be the name of a save")
    if not isinstance(branched_at, int) or isinstance(branched_at, bool) or not 0 <= branched_at < 100_000:
        raise SaveError(f"{path}: 'branched_at' should be a step number")
    return {**found, "origin": origin, "branched_at": branched_at}

def _ids(value: object, width: int) -> tuple[tuple[str, ...], ...] | None:
    """A list of `width`-long lists of short strings, as tuples; None when it is anything else."""
    if not isinstance(value, list) or not all(isinstance(item, list) and len(item) == width for item in value):
        return None
    if not all(isinstance(part, str) and len(part) <= 64 for item in value for part in item):
        return None
    return tuple(tuple(item) for item in value)


def _set_aside(path: Path, value: object) -> tuple[SetAside, ...]:
    entries = []
    for entry in value if isinstance(value, list) else [None]:
        decisions = entry.get("decisions") if isinstance(entry, dict) else None
        triples = _ids([[d.get(k) for k in ("scene", "choice", "text")] if isinstance(d, dict) else None
                        for d in decisions] if isinstance(decisions, list) else None, 3)
        kept, when, reason = (entry.get(k) for k in ("kept", "when", "reason")) if isinstance(entry, dict) else (None,) * 3
        notes = entry.get("notes", []) if isinstance(entry, dict) else None
        if triples is None or type(kept) is not int or not isinstance(when, str) or not isinstance(reason, str) \
                or not _step_notes(notes, len(triples)):
            raise SaveError(f"{path}: 'set_aside' must list the decisions an edit set aside")
        entries.append(SetAside(clean_text(when, 40), kept, clean_text(reason, 400), triples,
                                tuple((step, clean_text(text, MAX_NOTE_CHARS)) for step, text in notes)))
    return tuple(entries[-MAX_SET_ASIDE:])


def _step_notes(value: object, most: int) -> bool:
    """Whether `value` lists at most `most` [step, text] pairs."""
    return isinstance(value, list) and len(value) <= most and all(
        isinstance(pair, list) and len(pair) == 2 and type(pair[0]) is int and 0 <= pair[0] < 100_000
        and isinstance(pair[1], str) for pair in value)


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
    """Readable saves newest first, and a message for each file that could not be read. A hidden
    file is never a save (no save name starts with a dot): it is leadgame's own, such as the
    owner record `leadgame serve` keeps in each learner's folder."""
    good, bad = [], []
    folder = Path(folder)
    if not folder.is_dir():
        return good, bad
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):
            continue
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
    start_scene: str = ""  # where a --from game starts now (found again when it was renamed)
    set_aside: SetAside | None = None  # decisions that no longer replay, to keep in the save


def resume(scenario: Scenario, save: SaveGame, variables=None) -> Resumed:
    """Replay a save on the scenario as it is now: every decision that still fits is kept, those
    made on words that have since changed are named, and any that no longer replay are returned
    as a SetAside for the save to keep. Nothing is written here. `variables` are starting
    values an author set for a test run (they are never saved)."""
    if save.scenario_id != scenario.id:
        raise SaveError(f"save '{save.name}' belongs to scenario '{save.scenario_id}', not '{scenario.id}'")
    notes = []
    if save.scenario_hash and save.scenario_hash != scenario.content_hash:
        notes.append("The scenario file has changed since this game was saved.")
    start, moved = _start_scene(scenario, save)
    if moved:
        notes.append(moved)
    result = replay(scenario, save.seed, save.choices, start, variables)
    recorded = save.trail if len(save.trail) == len(save.choices) else (("", ""),) * len(save.choices)
    reworded = [str(i + 1) for i, (now_was, then_was) in enumerate(zip(trail_of(result.state), recorded))
                if then_was[1] and now_was[1] != then_was[1]]
    if reworded:
        which = f"Decision{'s' if len(reworded) > 1 else ''} {', '.join(reworded)}"
        notes.append(f"{which} {'were' if len(reworded) > 1 else 'was'} reworded since you made "
                     f"{'them' if len(reworded) > 1 else 'it'}; your choices stand.")
    set_aside = None
    if result.applied < len(save.choices):
        later = save.choices[result.applied:]
        set_aside = SetAside(now(), result.applied, result.problem,
                             tuple((scene, choice, text) for choice, (scene, text) in zip(later, recorded[result.applied:])),
                             tuple((step, text) for step, text in sorted(save.notes.items()) if step >= result.applied))
        made, total = _decisions(save.choices[:result.applied]), _decisions(save.choices)
        aside = total - made
        notes.append(f"Replayed {made} of {total} decisions: {result.problem}. "
                     f"The {aside} decision{'s' if aside != 1 else ''} from there on "
                     f"{'are' if aside != 1 else 'is'} kept in the save, set aside; you can continue "
                     f"from decision {made}, the last that still holds.")
    return Resumed(result, tuple(notes), start, set_aside)


def _decisions(choices: tuple[str, ...]) -> int:
    """Decisions as the learner counts them (and the debrief numbers them): passages, whose one
    choice is always `continue`, are not decisions."""
    return sum(1 for choice in choices if choice != CONTINUE)


def _start_scene(scenario: Scenario, save: SaveGame) -> tuple[str, str]:
    """Where a game begun with --from starts now, and a note when its scene was renamed: the one
    scene offering the first decision the game recorded (by its words, else by its id)."""
    if not save.start_scene or save.start_scene in scenario.scenes or not save.choices:
        return save.start_scene, ""
    first = save.choices[0]
    text = save.trail[0][1] if len(save.trail) == len(save.choices) else ""
    offering = [scene for scene in scenario.scenes.values() if any(c.id == first for c in scene.choices)]
    same_words = [scene for scene in offering if any(c.id == first and decision_text(scene, c) == text for c in scene.choices)]
    found = same_words if len(same_words) == 1 else offering
    if len(found) != 1:
        return save.start_scene, ""
    return found[0].id, f"The scene this game started at, '{save.start_scene}', is now '{found[0].id}'."
