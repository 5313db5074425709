"""The condition language: `trust >= 2 and not data_shared`.

Parsed with Python's `ast` into a small tree of our own, then evaluated by our own code over
the story state. Only names, whole numbers, true/false, short quoted text (to compare with a
listed-text variable), comparisons, and/or/not and unary minus are allowed; there is no way to
call, import, index or reach a Python object. Length and nesting depth are bounded so a hostile
file cannot make evaluation expensive. `type_problems` checks a parsed condition against the
declared variables, so `flag == 1` or `trust and ready` is an error at load, not a surprise in play.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping

MAX_LENGTH = 200
MAX_DEPTH = 12
MAX_NUMBER = 10**9
MAX_TEXT = 64

_COMPARE: dict[type, Callable[[object, object], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_LITERALS = {"true": True, "false": False, "True": True, "False": False}


class ExpressionError(ValueError):
    """A condition that cannot be parsed; `column` is 1-based within the expression."""

    def __init__(self, message: str, column: int = 1):
        super().__init__(message)
        self.column = column


# The compiled tree: tuples tagged by their first element.
#   ("const", value) | ("var", name) | ("not", node) | ("neg", node)
#   ("and", [nodes]) | ("or", [nodes]) | ("cmp", left, [(op, right), ...])


@dataclass(frozen=True)
class Expression:
    source: str
    tree: tuple
    names: frozenset[str]
    run: Callable[[Mapping], object] = field(repr=False, compare=False, default=None)

    def evaluate(self, state: Mapping[str, int | bool]) -> bool:
        return bool(self.run(state))

    def __str__(self) -> str:
        return self.source


@lru_cache(maxsize=4096)  # an Expression is immutable: a condition written in many places is parsed once
def parse(source: str) -> Expression:
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("empty condition")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"condition longer than {MAX_LENGTH} characters", MAX_LENGTH)
    try:
        module = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        hint = _operator_hint(source.strip())
        if hint:
            raise ExpressionError(f"cannot parse condition: {hint[0]}", hint[1]) from None
        raise ExpressionError(f"cannot parse condition: {error.msg}", error.offset or len(source.strip()) + 1) from None
    except (ValueError, MemoryError, RecursionError):
        raise ExpressionError("cannot parse condition") from None
    names: set[str] = set()
    tree = _compile(module.body, names, depth=0)
    return Expression(source.strip(), tree, frozenset(names), _closure(tree))


# Operators from other languages that authors reach for, with what this language says instead.
_FOREIGN_OPERATORS = (
    (re.compile(r"=>"), "`=>` is not an operator: write `>=` for 'at least'"),
    (re.compile(r"=<"), "`=<` is not an operator: write `<=` for 'at most'"),
    (re.compile(r"&&?"), "write `and` instead of `&&`"),
    (re.compile(r"\|\|?"), "write `or` instead of `||`"),
    (re.compile(r"!(?!=)"), "write `not` instead of `!`"),
    (re.compile(r"(?<![=!<>])=(?!=)"), "write `==` to compare (a single `=` assigns, which a condition cannot do)"),
)
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def _operator_hint(source: str) -> tuple[str, int] | None:
    """What to write instead of an operator from another language, and its column."""
    bare = _QUOTED.sub(lambda match: " " * len(match.group()), source)  # never look inside quoted text
    found = []
    for order, (pattern, hint) in enumerate(_FOREIGN_OPERATORS):
        match = pattern.search(bare)
        if match:
            found.append((match.start(), order, hint))
    if not found:
        return None
    column, _, hint = min(found)
    return hint, column + 1


def _compile(node: ast.AST, names: set[str], depth: int) -> tuple:
    if depth > MAX_DEPTH:
        raise ExpressionError(f"condition nested deeper than {MAX_DEPTH} levels", _column(node))
    deeper = depth + 1
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.BitAnd)):
        word = "or" if isinstance(node.op, ast.BitOr) else "and"
        raise ExpressionError(f"write `{word}` instead of `{'|' if word == 'or' else '&'}`", _column(node))
    if isinstance(node, ast.BoolOp):
        tag = "and" if isinstance(node.op, ast.And) else "or"
        return (tag, tuple(_compile(value, names, deeper) for value in node.values))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        tag = "not" if isinstance(node.op, ast.Not) else "neg"
        return (tag, _compile(node.operand, names, deeper))
    if isinstance(node, ast.Compare):
        pairs = []
        for op, right in zip(node.ops, node.comparators):
            if type(op) not in _COMPARE:
                raise ExpressionError("only == != < <= > >= comparisons are allowed", _column(node))
            pairs.append((type(op), _compile(right, names, deeper)))
        return ("cmp", _compile(node.left, names, deeper), tuple(pairs))
    if isinstance(node, ast.Name):
        if node.id in _LITERALS:
            return ("const", _LITERALS[node.id])
        names.add(node.id)
        return ("var", node.id)
    if isinstance(node, ast.Constant) and type(node.value) in (int, bool):
        if abs(node.value) > MAX_NUMBER:
            raise ExpressionError(f"number larger than {MAX_NUMBER}", _column(node))
        return ("const", node.value)
    if isinstance(node, ast.Constant) and type(node.value) is str:
        if len(node.value) > MAX_TEXT:
            raise ExpressionError(f"quoted text longer than {MAX_TEXT} characters", _column(node))
        return ("const", node.value)
    raise ExpressionError(f"'{_describe(node)}' is not allowed in a condition", _column(node))


def _closure(tree: tuple) -> Callable[[Mapping], object]:
    """Turn the checked tree into nested Python closures: evaluated by our code, no `eval`,
    several times faster than walking the tree on every call (exploration calls it a lot)."""
    tag = tree[0]
    if tag == "const":
        value = tree[1]
        return lambda state: value
    if tag == "var":
        name = tree[1]
        return lambda state: state[name]
    if tag in ("not", "neg"):
        inner = _closure(tree[1])
        return (lambda state: not inner(state)) if tag == "not" else (lambda state: -inner(state))
    if tag in ("and", "or"):
        parts = tuple(_closure(part) for part in tree[1])
        if tag == "and":
            return lambda state: all(part(state) for part in parts)
        return lambda state: any(part(state) for part in parts)
    first = _closure(tree[1])
    if len(tree[2]) == 1:
        (op, right_tree), = tree[2]
        compare, right = _COMPARE[op], _closure(right_tree)
        return lambda state: compare(first(state), right(state))
    chain = tuple((_COMPARE[op], _closure(right)) for op, right in tree[2])

    def chained(state):
        left = first(state)
        for compare, right in chain:
            value = right(state)
            if not compare(left, value):
                return False
            left = value
        return True

    return chained


def _column(node: ast.AST) -> int:
    return getattr(node, "col_offset", 0) + 1


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Call: "a function call",
        ast.Attribute: "attribute access",
        ast.Subscript: "indexing",
        ast.BinOp: "arithmetic",
        ast.Lambda: "lambda",
    }
    if isinstance(node, ast.Constant):
        return f"the literal {node.value!r}"[:40]
    return kinds.get(type(node), type(node).__name__)


# --- types --------------------------------------------------------------------------------------

# A variable's kind, as the loader declares it: "bool", "int", or the tuple of a listed-text
# variable's values.
Kind = str | tuple[str, ...]
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def type_problems(expression: Expression, kinds: Mapping[str, Kind]) -> list[str]:
    """What is wrong with the condition's types, in words (empty when nothing is): true/false
    compared with a number, a number used as true/false, text compared with a value its
    variable cannot hold. Names missing from `kinds` are left to the caller to report."""
    problems: list[str] = []
    if _kind_of(expression.tree, kinds, problems) not in ("bool", None):
        problems.append(f"`{unparse(expression.tree)}` is {_describe_kind(_kind_of(expression.tree, kinds, []))}, "
                        f"not true/false: compare it, e.g. `{_example(expression.tree, kinds)}`")
    return list(dict.fromkeys(problems))


def _kind_of(tree: tuple, kinds: Mapping[str, Kind], problems: list[str]) -> Kind | None:
    """The kind a piece of a condition yields ("bool", "int", "text" or a variable's values),
    or None when unknown (an undeclared name); problems found on the way are appended."""
    tag = tree[0]
    if tag == "const":
        value = tree[1]
        return "bool" if isinstance(value, bool) else "int" if isinstance(value, int) else "text"
    if tag == "var":
        return kinds.get(tree[1])
    if tag in ("not", "and", "or"):
        for part in (tree[1],) if tag == "not" else tree[1]:
            kind = _kind_of(part, kinds, problems)
            if kind not in ("bool", None):
                word = "`not`" if tag == "not" else f"`{tag}`"
                problems.append(f"{word} needs true/false, but `{unparse(part)}` is {_describe_kind(kind)}: "
                                f"compare it, e.g. `{_example(part, kinds)}`")
        return "bool"
    if tag == "neg":
        kind = _kind_of(tree[1], kinds, problems)
        if kind not in ("int", None):
            problems.append(f"`-` needs a number, but `{unparse(tree[1])}` is {_describe_kind(kind)}")
        return "int"
    left = tree[1]
    for op, right in tree[2]:
        _compare(left, op, right, kinds, problems)
        left = right
    return "bool"


def _compare(left: tuple, op: type, right: tuple, kinds: Mapping[str, Kind], problems: list[str]) -> None:
    a, b = _kind_of(left, kinds, problems), _kind_of(right, kinds, problems)
    if a is None or b is None:
        return
    shown = f"`{unparse(left)} {_SYMBOLS[op]} {unparse(right)}`"
    listed = a if isinstance(a, tuple) else b if isinstance(b, tuple) else None
    plain_a = "text" if isinstance(a, tuple) else a
    plain_b = "text" if isinstance(b, tuple) else b
    if plain_a != plain_b:
        problems.append(f"{shown} compares {_describe_kind(a)} with {_describe_kind(b)}")
        return
    if plain_a in ("bool", "text") and op in _ORDERING:
        problems.append(f"{shown}: only numbers can be compared with < <= > >=; use == or !=")
        return
    if listed is not None:
        for side in (left, right):
            if side[0] == "const" and side[1] not in listed:
                problems.append(f"{shown}: '{side[1]}' is not one of the values declared for it ({', '.join(listed)})")


def _describe_kind(kind: Kind | None) -> str:
    if isinstance(kind, tuple):
        return "listed text"
    return {"bool": "true/false", "int": "a number", "text": "text"}.get(kind, "unknown")


def _example(tree: tuple, kinds: Mapping[str, Kind]) -> str:
    kind = _kind_of(tree, kinds, [])
    shown = unparse(tree)
    if isinstance(kind, tuple):
        return f'{shown} == "{kind[0]}"'
    return f"{shown} >= 1" if kind == "int" else f'{shown} == "..."'


_SYMBOLS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


def unparse(tree: tuple) -> str:
    """The compiled tree written back as a condition (for messages)."""
    tag = tree[0]
    if tag == "const":
        value = tree[1]
        if isinstance(value, bool):
            return "true" if value else "false"
        return f'"{value}"' if isinstance(value, str) else str(value)
    if tag == "var":
        return tree[1]
    if tag == "not":
        return f"not {_grouped(tree[1])}"
    if tag == "neg":
        return f"-{_grouped(tree[1])}"
    if tag in ("and", "or"):
        return f" {tag} ".join(_grouped(part) for part in tree[1])
    text = _grouped(tree[1], _COMPARED_IN_BRACKETS)
    for op, right in tree[2]:
        text += f" {_SYMBOLS[op]} {_grouped(right, _COMPARED_IN_BRACKETS)}"
    return text


_COMPARED_IN_BRACKETS = ("and", "or", "cmp")  # `(a == b) == c` is not the chain `a == b == c`


def _grouped(tree: tuple, bracketed: tuple[str, ...] = ("and", "or")) -> str:
    return f"({unparse(tree)})" if tree[0] in bracketed else unparse(tree)
