"""Showing text that did not come from us: log lines, file names, what the operator typed.

Such text is never handed to a markup parser, and goes through the core's one cleaner
(`wizard.core.textsafe.clean`) before it reaches the terminal.
"""

from __future__ import annotations

from textual.content import Content

from wizard.core import textsafe


def clean(text: object, *, one_line: bool = False) -> str:
    """Text as it may be drawn: lines kept (tabs become spaces) unless `one_line` asks for a single line."""
    if one_line:
        return " ".join(textsafe.clean(text).split())
    return textsafe.clean(text, lines=True)


def plain(text: object, style: str = "", *, one_line: bool = False) -> Content:
    """A Content that shows the text exactly as written, styled as a whole."""
    content = Content(clean(text, one_line=one_line))
    return content.stylize(style) if style else content


def join(*parts: Content | str | tuple[object, str]) -> Content:
    """Build one Content from pieces: a Content is kept, a str or (text, style) is cleaned and never parsed."""
    out: list[Content] = []
    for part in parts:
        if isinstance(part, Content):
            out.append(part)
        elif isinstance(part, tuple):
            out.append(plain(part[0], part[1]))
        else:
            out.append(plain(part))
    return Content("").join(out)


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"
