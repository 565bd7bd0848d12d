"""Arithmetic for runbook `compute` items: small, safe, and checkable before it runs.

Trees are data written by site admins, so expressions are parsed with `ast` and only a handful of node types
are allowed; nothing is ever passed to `eval`.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping

FUNCTIONS = {
    "min": min,
    "max": max,
    "round": round,
    "ceil": math.ceil,
    "floor": math.floor,
}
ONE_ARGUMENT = {"round", "ceil", "floor"}
_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
}
MAX_LENGTH = 500


class ExprError(ValueError):
    """An expression that cannot be parsed, uses something not allowed, or cannot be evaluated."""


def _parse(text: str) -> ast.expr:
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError) as exc:
        raise ExprError(f"not an expression: {exc.msg if isinstance(exc, SyntaxError) else exc}") from None
    _validate(tree.body)
    return tree.body


def _validate(node: ast.AST) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Constant):
            if isinstance(item.value, bool) or not isinstance(item.value, (int, float)):
                raise ExprError(f"only numbers are allowed, not {item.value!r}")
        elif isinstance(item, ast.Name):
            continue
        elif isinstance(item, ast.BinOp):
            if type(item.op) not in _BINARY:
                raise ExprError(f"operator {type(item.op).__name__} is not allowed (use + - * / // %)")
            stack.extend((item.left, item.right))
        elif isinstance(item, ast.UnaryOp) and isinstance(item.op, (ast.USub, ast.UAdd)):
            stack.append(item.operand)
        elif isinstance(item, ast.Call):
            if not isinstance(item.func, ast.Name) or item.func.id not in FUNCTIONS:
                name = item.func.id if isinstance(item.func, ast.Name) else "that call"
                raise ExprError(f"function {name} is not allowed (use {', '.join(FUNCTIONS)})")
            if item.keywords or not item.args:
                raise ExprError(f"{item.func.id}() takes plain arguments")
            if item.func.id in ONE_ARGUMENT and len(item.args) != 1:
                raise ExprError(f"{item.func.id}() takes exactly one argument")
            stack.extend(item.args)
        else:
            raise ExprError(f"{type(item).__name__} is not allowed in an expression")


def names_in(text: str) -> set[str]:
    """The value names an expression reads (function names excluded). Raises ExprError."""
    body = _parse(text)
    calls = {id(n.func) for n in ast.walk(body) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(body) if isinstance(n, ast.Name) and id(n) not in calls}


def evaluate(text: str, values: Mapping[str, float]) -> float:
    """Evaluate with the given values. Raises ExprError on a missing name or arithmetic failure."""
    body = _parse(text)
    try:
        return _eval(body, values)
    except ZeroDivisionError:
        raise ExprError("division by zero") from None
    except OverflowError:
        raise ExprError("number too large") from None


def _eval(node: ast.expr, values: Mapping[str, float]) -> float:
    if isinstance(node, ast.Constant):
        return node.value
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
