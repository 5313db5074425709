"""`leadgame new ID`: a valid, playable scenario file showing every feature of the format."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class ScaffoldError(ValueError):
    pass


def scaffold_text(scenario_id: str) -> str:
    if not _ID.match(scenario_id):
        raise ScaffoldError(f"'{scenario_id[:40]}' is not a valid scenario id: use lowercase letters, digits and hyphens")
    template = resources.files("leadgame.authoring").joinpath("template.yaml").read_text(encoding="utf-8")
    title = scenario_id.replace("-", " ").title()
    return template.replace("__ID__", scenario_id).replace("__TITLE__", title)


def write_scaffold(scenario_id: str, folder: Path) -> Path:
    text = scaffold_text(scenario_id)
    path = Path(folder) / f"{scenario_id}.yaml"
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x" refuses to overwrite, atomically
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; leadgame new never overwrites a file") from None
    except OSError as error:
        raise ScaffoldError(f"cannot write {path}: {error.strerror or error}") from None
    return path
