"""`{name}` placeholders in tree text: one grammar for the linter that checks them and the renderer that fills them."""

from __future__ import annotations

import re
from collections.abc import Mapping

TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")
"""`{{` and `}}` are literal braces, `{name}` a placeholder, and a lone brace is a mistake the linter reports."""


def names(text: str) -> list[str]:
    return [m.group(1) for m in TOKEN.finditer(text) if m.group(1)]


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace `{name}` with its value; an unknown one shows as `<name>` so it reads as a blank to fill in."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        if name is None:
            return token
        return values.get(name, f"<{name}>")

    return TOKEN.sub(swap, text)
