"""`{name}` placeholders in tree text: one grammar for the linter that checks them and the renderer that fills them."""

from __future__ import annotations

import re
from collections.abc import Mapping

TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")
"""`{{` and `}}` are literal braces, `{name}` a placeholder, and a lone brace is a mistake the linter reports."""


def names(text: str) -> list[str]:
    return [m.group(1) for m in TOKEN.finditer(text) if m.group(1)]


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace `{name}` with its value. One not known yet reads as what it is when `values` can say so (it has a
    `describe(name)`, as the walk's values do), else as `<name>`: either way a blank to fill in."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        if name is None:
            return token
        found = values.get(name)
        if found is not None:
            return found
        describe = getattr(values, "describe", None)
        return str(describe(name)) if describe is not None else f"<{name}>"

    return TOKEN.sub(swap, text)
