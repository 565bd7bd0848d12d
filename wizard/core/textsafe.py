"""The one cleaner for text that did not come from us, before it reaches a terminal, a screen or an export.

Log lines, file names, tree strings and what the operator typed can all carry escape sequences (a clipboard
write, a window title, a cleared screen), C0 and C1 control characters (U+009B is an 8-bit CSI), bidirectional
overrides and isolates (a line that displays in another order than it reads) and zero-width characters (two names
that look the same and are not). `clean` removes all of them; a file name that was not valid UTF-8 (its bytes
kept as surrogates by the operating system's file-name decoding) shows those bytes as `\\xNN` instead.

JSON keeps the text exact: `dumps_json` escapes the same characters as `\\uXXXX`, so nothing raw reaches a
terminal that prints the JSON, and a reader of the JSON gets the original string back.

Every pattern here is linear in its input: each alternative starts at an escape character and its repeated
class excludes that character, so no position is scanned twice.
"""

from __future__ import annotations

import json
import re
from typing import Any

_ESCAPE_SEQUENCE = re.compile(
    r"""
      \x1b\[ [0-?]* [ -/]* [@-~]                 # CSI: colours, cursor moves, clearing the screen
    | \x1b\] [^\x07\x1b\x9c]* (?:\x07|\x1b\\|\x9c)?   # OSC: window titles, clipboard writes, hyperlinks
    | \x1b [P^_X] [^\x1b\x9c]* (?:\x1b\\|\x9c)?  # DCS, PM, APC, SOS strings
    | \x1b [\x20-\x2f]* [\x30-\x7e]              # two- and three-byte escapes
    | \x9b [0-?]* [ -/]* [@-~]                   # 8-bit CSI
    | \x9d [^\x07\x1b\x9c]* (?:\x07|\x1b\\|\x9c)?     # 8-bit OSC
    | [\x90\x98\x9e\x9f] [^\x1b\x9c]* (?:\x1b\\|\x9c)?  # 8-bit DCS, SOS, PM, APC
    """,
    re.VERBOSE,
)

BIDI = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
"""Marks, embeddings, overrides and isolates that change the order text is displayed in."""
ZERO_WIDTH = frozenset([0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF])
"""Characters that take no room on screen, so two different strings can look the same."""
CONTROLS = frozenset([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)])
"""C0, DEL and C1 (U+0085 next line and U+009B CSI among them)."""
LINE_BREAKS = frozenset([0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029])

UNSAFE = CONTROLS | BIDI | ZERO_WIDTH
"""Everything `clean` removes and `dumps_json` escapes."""

UNSAFE_CHAR = re.compile("[" + "".join(f"\\u{code:04x}" for code in sorted(UNSAFE - {0x09, 0x0A, 0x0D})) + "]")
"""One character `clean` removes, besides tab and line breaks (a C-speed search for whole trees)."""

_REMOVE = dict.fromkeys(UNSAFE | LINE_BREAKS | {0x09})
_REMOVE_KEEP_LINES = {**{code: None for code in _REMOVE if code != 0x0A}, 0x09: "    "}
_BREAK_RUN = re.compile("[\t\n\x0b\x0c\r\u2028\u2029]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
# json.dumps escapes C0 itself; the layout's own line breaks must stay as they are.
_UNSAFE_CLASS = "".join(f"\\u{code:04x}" for code in sorted(UNSAFE) if code >= 0x20)
_UNSAFE_OR_SURROGATE = re.compile(f"[{_UNSAFE_CLASS}\ud800-\udfff]")


def _show_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def clean(text: object, *, lines: bool = False) -> str:
    """The text as it may be shown: escape sequences, controls, bidi and zero-width characters removed.

    By default the result is one line: tabs and line breaks become single spaces and the ends are trimmed, so a
    multi-line record prints as one line. With `lines`, line breaks are kept (CR LF and CR become LF) and a tab
    becomes four spaces, for a block of text shown as written.
    """
    value = text if isinstance(text, str) else str(text)
    if value.isascii() and value.isprintable():
        return value.strip() if not lines else value
    value = _ESCAPE_SEQUENCE.sub("", value)
    if _SURROGATE.search(value):
        value = _SURROGATE.sub(_show_surrogate, value)
    if lines:
        return value.replace("\r\n", "\n").replace("\r", "\n").translate(_REMOVE_KEEP_LINES)
    return _BREAK_RUN.sub(" ", value).translate(_REMOVE).strip()


def has_unsafe(text: str) -> bool:
    """Whether `text` holds anything `clean` would remove besides tabs and line breaks."""
    return UNSAFE_CHAR.search(text) is not None


def first_unsafe(text: str) -> str | None:
    """The first character `clean` would remove besides tabs and line breaks, if any."""
    found = UNSAFE_CHAR.search(text)
    return found.group() if found else None


def _escape_unsafe(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_json_text(encoded: str) -> str:
    """JSON text with every unsafe or surrogate character written as a `\\uXXXX` escape.

    Such characters can only stand inside JSON strings (the syntax itself is ASCII), so the result is still the
    same JSON, decoding to the same strings, and safe to print.
    """
    return _UNSAFE_OR_SURROGATE.sub(_escape_unsafe, encoded)


def dumps_json(data: Any, *, indent: int | None = 2) -> str:
    """`json.dumps` that keeps text readable (not ASCII-only) but escapes what a terminal would act on."""
    return escape_json_text(json.dumps(data, indent=indent, ensure_ascii=False))
