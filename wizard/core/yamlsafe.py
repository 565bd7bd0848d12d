"""Strict, located YAML reading for tree files.

The parser's event stream is turned into plain data (dict, list, str, int, float, bool, None) with an explicit
stack, so no input depth can exhaust Python's recursion (PyYAML's composer recurses once per level, and its C
version crashes the interpreter on a deep enough ``[[[[``), and every mapping key and value is recorded with its
line and column under a field path such as ``nodes.q-ping.choices[1].next``. Duplicate keys, anchors, aliases,
tags, tabs in indentation, control characters and undecodable bytes are reported, never raised.

Plain scalars are resolved with the YAML 1.2 core schema: only ``true``/``false`` are booleans, so a choice id
such as ``yes`` or ``no`` stays a string.
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from wizard.core import textsafe

try:
    _LoaderBase: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _LoaderBase = yaml.SafeLoader

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64

_COL_MAX = (1 << 20) - 1
_intern = sys.intern

# (code, severity, line, col, path, message, hint); kept as tuples so the located form caches as plain data.
Problem = tuple[str, str, int, int, str, str, str]
# path -> where its key and its value start, packed in one int (see pack_loc); a list item's key is the item.
Locations = dict[str, int]


def pack_loc(key_line: int, key_col: int, value_line: int, value_col: int) -> int:
    """Four 1-based positions in one int: lines take 28 bits, columns 20 (longer columns are clamped)."""
    return (((key_line << 20) | min(key_col, _COL_MAX)) << 48) | (value_line << 20) | min(value_col, _COL_MAX)


def unpack_loc(packed: int) -> tuple[int, int, int, int]:
    return (packed >> 68, (packed >> 48) & _COL_MAX, (packed >> 20) & 0xFFFFFFF, packed & _COL_MAX)


@dataclass
class Located:
    """What a YAML file holds, where each part of it is, and what was wrong with it."""

    data: Any = None
    # Where each mapping and list sits (what records need) ...
    locs: Locations = field(default_factory=dict)
    # ... and each single value (needed only to point at a problem, so a cache may load it lazily).
    scalar_locs: Locations = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Paths whose value was replaced because of a problem already reported (alias, too deep, bad key).
    suppressed: set[str] = field(default_factory=set)
    fatal: bool = False

    def add(self, code: str, line: int, col: int, path: str, message: str, hint: str = "",
            severity: str = "error") -> None:
        self.problems.append((code, severity, line, col, path, message, hint))


class StrictLoader(_LoaderBase):  # type: ignore[misc]
    """A PyYAML safe loader that builds located plain data from the event stream instead of composing nodes."""

    def located(self, out: Located, tab_lines: frozenset[int]) -> None:
        try:
            _build(self, out)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            out.fatal = True
            if line in tab_lines:
                return
            message = (exc.problem or exc.context or "invalid YAML").strip()
            if exc.context and exc.problem:
                message = f"{message} ({_began(exc.context, exc.context_mark, (line, col))})"
            out.add("WZ101", line, col, "", f"YAML syntax error: {message}", _syntax_hint(message))
        except yaml.YAMLError as exc:
            out.fatal = True
            line, col = _reader_error_position(exc)
            out.add("WZ101", line, col, "", f"YAML syntax error: {exc}".strip())
        finally:
            self.dispose()


_OPENED = ("flow sequence", "flow mapping", "block mapping", "block collection", "block sequence")


def _began(context: str, mark: Any, noticed: tuple[int, int]) -> str:
    """Where the broken construct began, beside where the parser noticed: "the flow sequence opened at 5:10".

    An unclosed bracket or quote is noticed only lines later, at the end of the file or at the next key; the
    place it began is the one to look at.
    """
    what = context.strip()
    for prefix in ("while parsing ", "while scanning "):
        what = what.removeprefix(prefix)
    what = what.removeprefix("a ").removeprefix("an ")
    if mark is None:
        return f"in the {what}"
    where = (mark.line + 1, mark.column + 1)
    verb = "opened" if what in _OPENED else "started"
    if where == noticed:
        return f"in the {what} here"
    return f"the {what} {verb} at {where[0]}:{where[1]}"


def _syntax_hint(message: str) -> str:
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be quoted"
    if "could not find expected ':'" in message:
        return "check the indentation of this block and the line before it"
    if "found character '\\t'" in message:
        return "indent with spaces, not tabs"
    if "did not find expected key" in message or "expected <block end>" in message:
        return "check that items of this block line up with each other"
    return ""


def _reader_error_position(exc: yaml.YAMLError) -> tuple[int, int]:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return mark.line + 1, mark.column + 1
    return 1, 1


_WORD_START = frozenset(("", "~", "n", "N", "t", "T", "f", "F"))
_PLAIN_SPECIAL_START_OR_EMPTY = frozenset("-+.0123456789") | _WORD_START
_INT_DEC = re.compile(r"[-+]?[0-9]+\Z")
_INT_OCT = re.compile(r"0o[0-7]+\Z")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_WORDS: dict[str, Any] = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
}
_NUMBER_START = frozenset("-+.0123456789")


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema."""
    first = text[:1]
    if first not in _NUMBER_START:
        return _WORDS.get(text, text) if first in _WORD_START else text
    if _INT_DEC.match(text):
        return int(text)
    if _INT_OCT.match(text):
        return int(text[2:], 8)
    if _INT_HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text[0] == "-" else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


_ScalarEvent = yaml.ScalarEvent
_MappingStartEvent = yaml.MappingStartEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_MappingEndEvent = yaml.MappingEndEvent
_SequenceEndEvent = yaml.SequenceEndEvent
_AliasEvent = yaml.AliasEvent
_DocumentStartEvent = yaml.DocumentStartEvent
_StreamEndEvent = yaml.StreamEndEvent
_NO_KEY = object()
_BAD_KEY = object()


def _build(loader: StrictLoader, out: Located) -> None:
    """Consume the event stream into ``out``; one frame per open mapping or sequence, no recursion."""
    locs = out.locs
    slocs = out.scalar_locs
    get_event = loader.get_event
    check_event = loader.check_event
    documents = 0
    root: Any = None
    # frame: [container, path or None (value discarded), is_mapping, pending key, packed key position]
    stack: list[list[Any]] = []
    skip_depth = 0
    skip_as_key = False

    while check_event():
        event = get_event()
        cls = event.__class__
        if skip_depth:
            if cls is _MappingStartEvent or cls is _SequenceStartEvent:
                skip_depth += 1
            elif cls is _MappingEndEvent or cls is _SequenceEndEvent:
                skip_depth -= 1
                if skip_depth == 0 and skip_as_key:
                    stack[-1][3] = _BAD_KEY
            continue

        if cls is _ScalarEvent:
            mark = event.start_mark
            line = mark.line + 1
            col = mark.column + 1
            if col > _COL_MAX:
                col = _COL_MAX
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                _report_marks(event, out, line, col, _path_here(stack))
            text = event.value
            if _UNSAFE_CHAR.search(text) is not None:
                _report_unsafe(out, stack, text, line, col)
            if event.implicit[0] and not event.style and text[:1] in _PLAIN_SPECIAL_START_OR_EMPTY:
                try:
                    value = resolve_plain(text)
                except ValueError:  # an integer of thousands of digits: Python refuses to convert it
                    where = _path_here(stack) if not (stack and stack[-1][2] and stack[-1][3] is _NO_KEY) else ""
                    out.add("WZ206", line, col, where, f"a number of {len(text)} digits is far too long",
                            "a tree needs small numbers; check for a pasted value")
                    if where:
                        out.suppressed.add(where)
                    value = None
            else:
                value = text
            if not stack:
                root = value
                locs[""] = ((line << 20 | col) << 48) | (line << 20 | col)
                continue
            frame = stack[-1]
            path = frame[1]
            if frame[2]:
                key = frame[3]
                if key is _NO_KEY:
                    text = _intern(text)
                    if text in frame[0]:
                        _report_duplicate(out, locs, slocs, path, text, line, col)
                        frame[3] = _BAD_KEY
                    else:
                        frame[3] = text
                    frame[4] = (line << 20 | col) << 48
                    continue
                frame[3] = _NO_KEY
                if key is _BAD_KEY:
                    continue
                frame[0][key] = value
                if path is not None:
                    slocs[f"{path}.{key}" if path else key] = frame[4] | (line << 20 | col)
            else:
                items = frame[0]
                if path is not None:
                    slocs[f"{path}[{len(items)}]"] = ((line << 20 | col) << 48) | (line << 20 | col)
                items.append(value)
            continue

        if cls is _MappingEndEvent or cls is _SequenceEndEvent:
            stack.pop()
            continue

        if cls is _MappingStartEvent or cls is _SequenceStartEvent:
            mark = event.start_mark
            line = mark.line + 1
            col = mark.column + 1
            if col > _COL_MAX:
                col = _COL_MAX
            is_mapping = cls is _MappingStartEvent
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                _report_marks(event, out, line, col, _path_here(stack))
            container: Any = {} if is_mapping else []
            if not stack:
                root = container
                stack.append([container, "", is_mapping, _NO_KEY, 0])
                locs[""] = ((line << 20 | col) << 48) | (line << 20 | col)
                continue
            parent = stack[-1]
            if parent[2] and parent[3] is _NO_KEY:
                out.add("WZ111", line, col, _path_here(stack), "a mapping key must be a plain name, not a "
                        + ("mapping" if is_mapping else "list"), "write the key as a single word")
                skip_depth, skip_as_key = 1, True
                continue
            too_deep = len(stack) >= MAX_DEPTH
            attached: Any = None if too_deep else container
            parent_path = parent[1]
            if parent[2]:
                key = parent[3]
                parent[3] = _NO_KEY
                if key is _BAD_KEY:
                    path = None
                else:
                    parent[0][key] = attached
                    path = None if parent_path is None else (f"{parent_path}.{key}" if parent_path else key)
                if path is not None:
                    locs[path] = parent[4] | (line << 20 | col)
            else:
                path = None if parent_path is None else f"{parent_path}[{len(parent[0])}]"
                parent[0].append(attached)
                if path is not None:
                    locs[path] = ((line << 20 | col) << 48) | (line << 20 | col)
            if too_deep:
                out.add("WZ107", line, col, path or _path_here(stack),
                        f"nesting deeper than {MAX_DEPTH} levels", "a tree needs only a few levels; check the indentation")
                if path is not None:
                    out.suppressed.add(path)
                skip_depth, skip_as_key = 1, False
                continue
            stack.append([container, path, is_mapping, _NO_KEY, 0])
            continue

        if cls is _AliasEvent:
            mark = event.start_mark
            line, col = mark.line + 1, min(mark.column + 1, _COL_MAX)
            out.add("WZ104", line, col, _path_here(stack), f"alias '*{event.anchor}' is not allowed in a tree",
                    "write the value out in full; trees do not share values")
            if not stack:
                continue
            frame = stack[-1]
            if frame[2]:
                if frame[3] is _NO_KEY:
                    frame[3] = _BAD_KEY
                    frame[4] = (line << 20 | col) << 48
                    continue
                key = frame[3]
                frame[3] = _NO_KEY
                if key is _BAD_KEY:
                    continue
                frame[0][key] = None
                if frame[1] is not None:
                    child = _join(frame[1], key)
                    slocs[child] = frame[4] | (line << 20 | col)
                    out.suppressed.add(child)
            else:
                if frame[1] is not None:
                    child = f"{frame[1]}[{len(frame[0])}]"
                    slocs[child] = ((line << 20 | col) << 48) | (line << 20 | col)
                    out.suppressed.add(child)
                frame[0].append(None)
            continue

        if cls is _DocumentStartEvent:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                out.add("WZ109", mark.line + 1, mark.column + 1, "", "a tree file holds exactly one YAML document",
                        "split the documents into separate files")
                out.fatal = True
                return
            continue

        if cls is _StreamEndEvent:
            break

    if documents == 0:
        out.add("WZ108", 1, 1, "", "the file holds no YAML document", "a tree is a mapping starting with 'id:'")
        out.fatal = True
        return
    out.data = root


_UNSAFE_CHAR = textsafe.UNSAFE_CHAR
_NAMES = {0x1B: "escape", 0x07: "bell", 0x08: "backspace", 0x7F: "delete", 0x9B: "8-bit CSI", 0x9D: "8-bit OSC"}


def _report_unsafe(out: Located, stack: list[list[Any]], text: str, line: int, col: int) -> None:
    """Tree text that, once YAML has unescaped it (\\e, \\x1b, \\u202e), holds what a terminal acts on or what
    reorders or hides text: the byte check on the raw file cannot see these."""
    if stack and stack[-1][2] and stack[-1][3] is _NO_KEY:
        base = stack[-1][1]
        path = _join(base, text) if base is not None else ""
    else:
        path = _path_here(stack)
    char = textsafe.first_unsafe(text) or "?"
    code = ord(char)
    count = len(_UNSAFE_CHAR.findall(text))
    extra = f" ({count} in this text)" if count > 1 else ""
    if code in textsafe.CONTROLS:
        name = _NAMES.get(code, "control character")
        out.add("WZ430", line, col, path, f"{name} U+{code:04X} in tree text{extra}; on a terminal it could move the "
                "cursor, retitle the window or write the clipboard", "remove it (look for \\e, \\x or \\u escapes "
                "in a double-quoted string)")
    else:
        kind = "bidirectional control" if code in textsafe.BIDI else "zero-width character"
        out.add("WZ431", line, col, path, f"{kind} U+{code:04X} in tree text{extra}; it changes how the text looks "
                "without changing what it says", "remove it; write the text in reading order")


def _report_marks(event: Any, out: Located, line: int, col: int, path: str) -> None:
    if event.anchor is not None:
        out.add("WZ104", line, col, path, f"anchor '&{event.anchor}' is not allowed in a tree",
                "write the value out in full; trees do not share values")
    if event.tag is not None and event.tag != "!":
        out.add("WZ110", line, col, path, f"YAML tag '{event.tag}' is not allowed in a tree",
                "remove the tag; quote the value if it must be text")


def _report_duplicate(out: Located, locs: Locations, slocs: Locations, path: str | None, key: str, line: int,
                      col: int) -> None:
    child = _join(path, key) if path is not None else key
    first = locs.get(child) or slocs.get(child) if path is not None else None
    where = f" (first at line {first >> 68})" if first else ""
    if path == "nodes":
        message = f"node id '{key}' is defined twice{where}"
        hint = "rename one of the nodes; the second definition is ignored"
    else:
        message = f"duplicate key '{key}'{where}"
        hint = "remove one of them; the second value is ignored"
    out.add("WZ103", line, col, child, message, hint)


def _join(path: str | None, key: str) -> str:
    return f"{path}.{key}" if path else key


def _path_here(stack: list[list[Any]]) -> str:
    """The path of the value being read now, for a problem found before it is attached."""
    if not stack:
        return ""
    frame = stack[-1]
    base = frame[1] or ""
    if frame[2]:
        key = frame[3]
        if isinstance(key, str):
            return _join(base, key)
        return base
    if frame[0] is None:
        return base
    return f"{base}[{len(frame[0])}]"


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Characters YAML does not allow in a stream (it allows tab, LF, CR, NEL and the printable ranges).
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


_BRACKET = re.compile(r"[\[\]{}]")
# libyaml slows down with the square of flow nesting ([[[...), so hopeless depths are refused before parsing.
FLOW_DEPTH_LIMIT = 1000


def _flow_too_deep(text: str, out: Located) -> bool:
    """Report, without parsing, brackets opened far deeper than any tree needs (quotes are not considered)."""
    if text.count("[") + text.count("{") <= FLOW_DEPTH_LIMIT:
        return False
    depth = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > FLOW_DEPTH_LIMIT:
                start = match.start()
                line = text.count("\n", 0, start) + 1
                col = start - (text.rfind("\n", 0, start) + 1) + 1
                out.add("WZ107", line, col, "", f"brackets nested more than {FLOW_DEPTH_LIMIT} deep",
                        "a tree needs only a few levels; check for unclosed [ or {")
                return True
        elif depth:
            depth -= 1
    return False


def decode(raw: bytes, out: Located) -> str | None:
    """The text of a file, or None after reporting why it is not text."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raw, encoding = raw[len(bom):], name
            break
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode(encoding, errors="replace")) + 1
        out.add("WZ105", line, col, "", f"the file is not valid {encoding.upper()} text "
                f"(byte 0x{raw[exc.start]:02x} at offset {exc.start})", "save the file as UTF-8")
        out.fatal = True
        return None


def parse_text(text: str) -> Located:
    """Read one tree document from text into located plain data, reporting every YAML-level problem."""
    out = Located()
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        start = bad.start()
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        count = len(_NOT_PRINTABLE.findall(text))
        extra = f" ({count} such characters in the file)" if count > 1 else ""
        what = "NUL byte" if bad.group() == "\x00" else f"control character U+{ord(bad.group()):04X}"
        out.add("WZ105", line, col, "", f"the file is not text: {what}{extra}",
                "a tree is a UTF-8 text file; check that the right file was given")
        out.fatal = True
        return out
    if _flow_too_deep(text, out):
        out.fatal = True
        return out
    tab_lines: set[int] = set()
    if "\t" in text:
        for match in _TAB_INDENT.finditer(text):
            start = match.start()
            line = text.count("\n", 0, start) + 1
            tab_lines.add(line)
            out.add("WZ102", line, match.end() - start, "", "tab character used for indentation",
                    "indent with spaces only")
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = StrictLoader(text)
    loader.located(out, frozenset(tab_lines))
    if out.fatal:
        out.data = None
    return out


def parse_bytes(raw: bytes) -> Located:
    """Like parse_text, for the raw bytes of a file; refuses files over MAX_BYTES."""
    if len(raw) > MAX_BYTES:
        out = Located(fatal=True)
        out.add("WZ106", 1, 1, "", f"the file is {len(raw) // (1024 * 1024)} MB; a tree may be at most "
                f"{MAX_BYTES // (1024 * 1024)} MB", "check that the right file was given")
        return out
    out = Located()
    text = decode(raw, out)
    if text is None:
        return out
    return parse_text(text)


def parent_path(path: str) -> str:
    """``nodes.q1.choices[2]`` -> ``nodes.q1.choices``; ``nodes.q1`` -> ``nodes``."""
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


class Locator:
    """Answers where a field path sits in one file, falling back to the nearest located ancestor.

    ``scalar_locs`` may be a function returning the mapping, called only when a single value must be located.
    """

    __slots__ = ("file", "locs", "_scalars")

    def __init__(self, file: str, locs: Locations | None = None,
                 scalar_locs: Locations | Callable[[], Locations] | None = None) -> None:
        self.file = file
        self.locs = locs or {}
        self._scalars = scalar_locs if scalar_locs is not None else {}

    @property
    def scalar_locs(self) -> Locations:
        if callable(self._scalars):
            self._scalars = self._scalars()
        return self._scalars

    def _find(self, path: str) -> int | None:
        locs = self.locs
        while True:
            found = locs.get(path)
            if found is None:
                found = self.scalar_locs.get(path)
            if found is not None or not path:
                return found
            path = parent_path(path)

    def value(self, path: str) -> tuple[int, int] | None:
        found = self._find(path)
        return ((found >> 20) & 0xFFFFFFF, found & _COL_MAX) if found is not None else None

    def key(self, path: str) -> tuple[int, int] | None:
        found = self._find(path)
        return (found >> 68, (found >> 48) & _COL_MAX) if found is not None else None
