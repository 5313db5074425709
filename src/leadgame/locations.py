"""Where scenarios, saves, settings and the cache live: the one place that decides every path.

Order: an environment variable override, then `scenarios/` and `saves/` in a source checkout,
then the user's data folder (platformdirs), then the scenarios packaged with leadgame.
Settings (`config.toml`) live in the user's config folder, or where LEADGAME_CONFIG points; the
compiled scenarios live in the user's cache folder, or where LEADGAME_CACHE says.
"""

from __future__ import annotations

import os
from pathlib import Path

SCENARIOS_ENV = "LEADGAME_SCENARIOS"
SAVES_ENV = "LEADGAME_SAVES"
CONFIG_ENV = "LEADGAME_CONFIG"
CACHE_ENV = "LEADGAME_CACHE"
CATALOGUE = "constructs.yaml"
_PACKAGE = Path(__file__).resolve().parent


def checkout_root() -> Path | None:
    """The source checkout leadgame runs from (an editable install), if any."""
    root = _PACKAGE.parents[1]
    if (root / "pyproject.toml").is_file() and (root / "scenarios" / CATALOGUE).is_file():
        return root
    return None


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("leadgame", appauthor=False)


def config_file() -> Path:
    """The settings file (learning-record settings among them); it need not exist."""
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    from platformdirs import user_config_path

    return user_config_path("leadgame", appauthor=False) / "config.toml"


def compiled_dir() -> Path:
    """Where scenarios are kept compiled, so an unchanged file is never parsed twice."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    from platformdirs import user_cache_path

    return user_cache_path("leadgame", appauthor=False) / "compiled"


def packaged_scenarios_dir() -> Path:
    return _PACKAGE / "scenarios"


def scenario_dirs() -> list[Path]:
    """Folders searched for scenarios, first match wins."""
    if os.environ.get(SCENARIOS_ENV):
        return [Path(os.environ[SCENARIOS_ENV])]
    root = checkout_root()
    dirs = [root / "scenarios"] if root else []
    dirs += [user_data_dir() / "scenarios", packaged_scenarios_dir()]
    return [d for d in dirs if d.is_dir()]


def saves_dir() -> Path:
    if os.environ.get(SAVES_ENV):
        return Path(os.environ[SAVES_ENV])
    root = checkout_root()
    if root:
        return root / "saves"
    return user_data_dir() / "saves"


def cache_dir() -> Path:
    """Figures leadgame can always work out again (kept beside the saves, out of their way)."""
    return saves_dir() / ".cache"


def exports_dir() -> Path:
    """Where an exported debrief goes unless the learner names another folder."""
    return saves_dir() / "exports"


def catalogue_candidates(scenario_path: Path) -> list[Path]:
    """Where a scenario's construct catalogue may be, in the order looked: beside the file, then
    in each scenario folder on the search path, then the one leadgame ships."""
    places = [Path(scenario_path).parent / CATALOGUE]
    places += [folder / CATALOGUE for folder in scenario_dirs() + [builtin_scenarios_dir()]]
    return list(dict.fromkeys(places))


def builtin_scenarios_dir() -> Path:
    """The scenarios leadgame comes with: packaged in an installed copy, `scenarios/` in a checkout."""
    root = checkout_root()
    packaged = packaged_scenarios_dir()
    return root / "scenarios" if root and not packaged.is_dir() else packaged


def catalogue_for(scenario_path: Path) -> Path:
    """The construct catalogue beside a scenario file, else the first one on the search path
    (the one beside the file, missing, when there is none anywhere)."""
    places = catalogue_candidates(scenario_path)
    return next((place for place in places if place.is_file()), places[0])
