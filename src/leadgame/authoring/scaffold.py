"""`leadgame new ID`: a valid, playable scenario file showing every feature of the format; and
`leadgame new --example`: the tutorial's worked example, for anyone without the docs to hand."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from leadgame.core.model import SCENARIO_ID


class ScaffoldError(ValueError):
    pass


EXAMPLE_ID = "cafe-pilot"  # the id of the worked example (example.yaml)


def scaffold_text(scenario_id: str, example: bool = False) -> str:
    """The new file's text: the commented template, or (with `example`) the tutorial's worked
    example, under `scenario_id`."""
    if not SCENARIO_ID.match(scenario_id):
        raise ScaffoldError(f"'{scenario_id[:40]}' is not a valid scenario id: use lowercase letters, digits and hyphens")
    name = "example.yaml" if example else "template.yaml"
    text = resources.files("leadgame.authoring").joinpath(name).read_text(encoding="utf-8")
    if example:
        return text.replace(f"id: {EXAMPLE_ID}", f"id: {scenario_id}", 1)
    title = scenario_id.replace("-", " ").title()
    return _fill(_fill(text, "__ID__", scenario_id), "__TITLE__", title)


def _fill(text: str, placeholder: str, value: str) -> str:
    """Put `value` in place of `placeholder`, keeping any comment on the line in its column."""
    def keep_column(match: re.Match) -> str:
        width = len(placeholder) + len(match.group(1))
        return f"{value:<{width - 1}} #" if len(value) < width else f"{value} #"

    return re.sub(re.escape(placeholder) + r"( +)#", keep_column, text).replace(placeholder, value)


def write_scaffold(scenario_id: str, folder: Path, example: bool = False) -> Path:
    text = scaffold_text(scenario_id, example)
    path = Path(folder) / f"{scenario_id}.yaml"
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x" refuses to overwrite, atomically
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; leadgame new never overwrites a file") from None
    except OSError as error:
        raise ScaffoldError(f"cannot write {path}: {error.strerror or error}") from None
    return path
