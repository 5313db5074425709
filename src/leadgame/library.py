"""Finding and loading scenarios by id or path: shared by every interface."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leadgame import locations
from leadgame.core import compiled
from leadgame.core.model import Scenario
from leadgame.core.problems import Problem, ScenarioError

SCENARIO_SUFFIXES = (".yaml", ".yml")


class NotFound(LookupError):
    pass


@dataclass(frozen=True)
class Entry:
    """A scenario file found on the search path, loaded or with the problems that stopped it."""

    path: Path
    scenario: Scenario | None
    error: ScenarioError | None = None


def scenario_files(folder: Path, with_catalogue: bool = False) -> list[Path]:
    return sorted(
        p for p in Path(folder).iterdir()
        if p.suffix in SCENARIO_SUFFIXES and (with_catalogue or p.name != locations.CATALOGUE) and p.is_file()
    )


def load(path: Path) -> Scenario:
    """Load one scenario with the catalogue that belongs beside it, compiled once per edit of
    any file that goes into it; raises ScenarioError."""
    catalogue = locations.catalogue_for(path)
    if not catalogue.is_file():
        looked = ", ".join(str(place.parent) for place in locations.catalogue_candidates(path))
        raise ScenarioError([Problem(str(path), 1, 1, "E-CATALOGUE", "",
                                     f"no construct catalogue ({locations.CATALOGUE}) for this scenario; leadgame "
                                     f"looks beside the file, then in the scenario folders: {looked}")])
    return compiled.load(path, catalogue, locations.compiled_dir())


def entries() -> list[Entry]:
    """Every scenario on the search path, first id wins."""
    found: dict[str, Entry] = {}
    for folder in locations.scenario_dirs():
        for path in scenario_files(folder):
            try:
                scenario = load(path)
            except ScenarioError as error:
                found.setdefault(f"file:{path.name}", Entry(path, None, error))
                continue
            found.setdefault(scenario.id, Entry(path, scenario))
    return list(found.values())


def find(name: str) -> Path:
    """A scenario file from a path, a scenario id or a file stem on the search path."""
    candidate = Path(name)
    if candidate.suffix in SCENARIO_SUFFIXES and candidate.is_file():
        return candidate
    for folder in locations.scenario_dirs():
        for suffix in SCENARIO_SUFFIXES:
            if (folder / f"{name}{suffix}").is_file():
                return folder / f"{name}{suffix}"
    found = [entry for entry in entries() if entry.scenario is not None]  # loaded once: it parses every file
    for entry in found:
        if entry.scenario.id == name:
            return entry.path
    known = ", ".join(entry.scenario.id for entry in found) or "none"
    raise NotFound(f"no scenario called '{name}' (available: {known})")


def for_save(save) -> Path:
    """The scenario file a save was played from, or (moved or gone) its scenario by id."""
    path = Path(save.scenario_path) if save.scenario_path else None
    return path if path is not None and path.is_file() else find(save.scenario_id)
