"""Showing text that did not come from us: log lines, file names, what the operator typed.

Such text is never handed to a markup parser, and loses its escape sequences and control characters before it
reaches the terminal.
"""

from __future__ import annotations

import re

from textual.content import Content

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, clipboard, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: object, *, one_line: bool = False) -> str:
    """Text with escape sequences and control characters removed; tabs become spaces."""
    value = _CONTROLS.sub("", _ESCAPES.sub("", str(text).replace("\t", "    ").replace("\r\n", "\n")))
    if one_line:
        value = " ".join(value.split())
    return value


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
