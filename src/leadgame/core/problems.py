"""Located problems in scenario files: what went wrong, where, a stable code and a fix hint."""

from __future__ import annotations

from dataclasses import dataclass

# Stable error codes an author can look up in docs/authoring.md, each with a one-line fix hint.
HINTS: dict[str, str] = {
    "E-FILE-READ": "check the path exists and is a readable file",
    "E-FILE-SIZE": "split the scenario or trim it; files are limited in size",
    "E-ENCODING": "save the file as UTF-8 text",
    "E-EMPTY": "the file has no content; start from `leadgame new ID`",
    "E-YAML-SYNTAX": "fix the YAML syntax at this position (indentation, quotes, colons)",
    "E-YAML-DOCS": "keep one YAML document per file (remove extra '---' lines)",
    "E-YAML-TAG": "remove the '!' tag; scenario files use plain YAML values only",
    "E-YAML-DUPKEY": "remove or rename one of the duplicated keys",
    "E-YAML-DEPTH": "flatten the structure; it nests far deeper than any scenario needs",
    "E-TEXT-CONTROL": "remove control characters (such as terminal escapes) from the text",
    "E-FORMAT": "set `format: 2` at the top of the file (files written for format 1 may keep `format: 1`)",
    "E-FORMAT-2": "put `format: 2` at the top of the file; `leadgame validate --upgrade FILE` does it and keeps the rest as written",
    "E-TYPE": "give this key a value of the type shown",
    "E-KEY-UNKNOWN": "check the spelling against docs/authoring.md, or remove the key",
    "E-KEY-MISSING": "add the missing key",
    "E-VALUE": "change the value to one the format allows",
    "E-ID-DUPLICATE": "give each scene, ending and choice its own id",
    "E-REAL-TWICE": "keep `real:` on the one option the real leaders chose",
    "E-REF-SCENE": "point to an existing scene or ending id, or `end`",
    "E-REF-CONSTRUCT": "use a construct id from constructs.yaml",
    "E-CATALOGUE": "put constructs.yaml (the construct catalogue) beside the scenario file",
    "E-REF-VAR": "declare the variable under `state:` with its starting value",
    "E-EXPR": "write conditions like `trust >= 2 and not data_shared`",
    "E-EXPR-TYPE": "compare numbers with numbers, use true/false variables on their own or with `not`, and compare listed text with one of its values",
    "E-TEXT-SYNTAX": "write `{name}` to show a variable and `{condition: if true|if false}` for conditional text; `\\{` `\\}` `\\|` show the characters themselves",
    "E-ROUTE-FALLBACK": "make the last route unconditional (no `if` or `chance`)",
    "E-END-FALLBACK": "give the last ending no `if`, so `end` always finds an ending",
    "E-SCENE-SHAPE": "give the scene either `choices` or a scene-level `next`, not both",
    "E-LIMIT": "reduce the size of this part of the file",
    "W-STATE-SPACE": "bound the variables named; `leadgame check` explores the states that remain",
}


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    code: str
    key: str
    message: str

    @property
    def hint(self) -> str:
        return HINTS.get(self.code, "see docs/authoring.md")

    def __str__(self) -> str:
        key = f" [{self.key}]" if self.key else ""
        return f"{self.path}:{self.line}:{self.column}: {self.code}{key} {self.message} (fix: {self.hint})"


class ScenarioError(Exception):
    """Raised when a scenario or catalogue cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        first = self.problems[0] if self.problems else "no details"
        super().__init__(f"{len(self.problems)} problem(s); first: {first}")
