"""Arithmetic for runbook `compute` items: small, safe, and checkable before it runs.

Trees are data written by site admins, so expressions are parsed with `ast` and only a handful of node types
are allowed; nothing is ever passed to `eval`.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from typing import cast

from wizard.core.errors import WizardError
from wizard.core.suggest import did_you_mean

FUNCTIONS: dict[str, Callable[..., float]] = {
    "min": min,
    "max": max,
    "round": round,
    "ceil": math.ceil,
    "floor": math.floor,
}
ARITY = {"min": (1, None), "max": (1, None), "round": (1, 1), "ceil": (1, 1), "floor": (1, 1)}
_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
}
_SYMBOLS = {ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>",
            ast.MatMult: "@"}
_SYNTAX = {
    ast.Compare: "a comparison", ast.BoolOp: "'and'/'or'", ast.Attribute: "an attribute ('.')",
    ast.Subscript: "indexing ('[...]')", ast.IfExp: "'if ... else'", ast.Lambda: "lambda",
    ast.List: "a list", ast.Tuple: "a tuple", ast.Dict: "a mapping", ast.Set: "a set",
    ast.JoinedStr: "an f-string", ast.Starred: "'*'",
}
ALLOWED = "numbers, names, + - * / // %, parentheses, min max round ceil floor"
MAX_LENGTH = 500


class ExprError(WizardError, ValueError):
    """An expression that cannot be parsed, uses something not allowed, or cannot be evaluated.

    `kind` says which: "syntax", "too-long", "not-allowed" or "evaluation"; `hint` says what to write instead.
    """

    def __init__(self, message: str, kind: str = "evaluation", hint: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.hint = hint


def _parse(text: str) -> tuple[ast.expr, set[str]]:
    """The parsed expression and the value names it reads, once it is known to be plain arithmetic."""
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters", "too-long")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        detail = exc.msg if isinstance(exc, SyntaxError) else exc.__class__.__name__
        raise ExprError(f"not an expression: {detail}", "syntax", f"use {ALLOWED}") from None
    return tree.body, _validate(tree.body)


def _refuse(message: str, hint: str = "") -> ExprError:
    return ExprError(message, "not-allowed", hint)


def _validate(node: ast.AST) -> set[str]:
    names: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Constant):
            if isinstance(item.value, bool) or not isinstance(item.value, (int, float)):
                raise _refuse(f"constant {item.value!r} is not a number", "an expression works on numbers only")
        elif isinstance(item, ast.Name):
            names.add(item.id)
        elif isinstance(item, ast.BinOp):
            if type(item.op) not in _BINARY:
                symbol = _SYMBOLS.get(type(item.op), type(item.op).__name__)
                raise _refuse(f"operator '{symbol}' is not allowed", "allowed: + - * / // % and parentheses")
            stack.extend((item.left, item.right))
        elif isinstance(item, ast.UnaryOp):
            if not isinstance(item.op, (ast.USub, ast.UAdd)):
                raise _refuse("only + and - may stand before a value")
            stack.append(item.operand)
        elif isinstance(item, ast.Call):
            if not isinstance(item.func, ast.Name):
                raise _refuse("only min, max, round, ceil and floor may be called")
            function = item.func.id
            if function not in FUNCTIONS:
                hint = did_you_mean(function, FUNCTIONS) or "allowed: min max round ceil floor"
                raise _refuse(f"function '{function}' is not allowed", hint)
            if item.keywords:
                raise _refuse(f"{function}() takes no named arguments")
            least, most = ARITY[function]
            if len(item.args) < least or (most is not None and len(item.args) > most):
                wanted = f"exactly {least}" if least == most else f"at least {least}"
                raise _refuse(f"{function}() takes {wanted} argument(s), found {len(item.args)}")
            stack.extend(item.args)
        else:
            raise _refuse(f"{_SYNTAX.get(type(item), type(item).__name__)} is not allowed", f"allowed: {ALLOWED}")
    return names


def names_in(text: str) -> set[str]:
    """The value names an expression reads (function names excluded). Raises ExprError."""
    return _parse(text)[1]


MAX_RESULT = 1e15
"""Largest magnitude a computed value may reach; beyond it the inputs were surely wrong."""


def evaluate(text: str, values: Mapping[str, float]) -> float:
    """Evaluate with the given values. Raises ExprError, and only ExprError, on a missing or non-finite input, an
    arithmetic failure, or a result that is not a finite number of sensible size."""
    body, names = _parse(text)
    for name in names:
        if name in values and not math.isfinite(values[name]):
            raise ExprError(f"{name} is not a finite number")
    try:
        result = _eval(body, values)
    except ZeroDivisionError:
        raise ExprError("division by zero") from None
    except OverflowError:
        raise ExprError("number too large") from None
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise ExprError(f"cannot compute: {exc}") from None
    if not math.isfinite(result) or abs(result) > MAX_RESULT:
        raise ExprError("the result is not a finite number of sensible size")
    return result


def _eval(node: ast.expr, values: Mapping[str, float]) -> float:
    if isinstance(node, ast.Constant):
        return cast(float, node.value)  # _validate let numbers only through
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise ExprError(f"no value for {node.id}")
        return values[node.id]
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    args = [_eval(arg, values) for arg in node.args]
    return FUNCTIONS[node.func.id](*args)


def format_number(value: float) -> str:
    """Integers without a decimal point, other numbers to at most two places."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")
