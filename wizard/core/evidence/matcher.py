"""Probes compiled for speed: one combined RE2 prefilter over raw UTF-8 bytes, then per-record confirmation.

Big logs are searched by the prefilter alone, a single linear-time pass over each chunk that finds every place
any literal or regex signature could match. Only the records around those places are decoded and checked
against each probe, so the cost hardly grows with the number of signatures.

The prefilter must never miss a record a probe matches. It searches the raw record (which contains the message a
probe is confirmed against) with each regex's zero-width assertions (^ $ \\A \\z \\b \\B) removed, which can only
widen what it matches.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, cast

import re2

from wizard.core.evidence.hits import Hit, Probe

DISPLAY_LIMIT = 2000
"""Characters of a record kept in a hit's text."""


class _Found(Protocol):
    """What the scan reads of an RE2 match (re2 ships no type hints)."""

    def start(self) -> int: ...

    def group(self, index: int = 0, /) -> str: ...

    def groupdict(self) -> dict[str, str | None]: ...


class TextRegex(Protocol):
    """A compiled RE2 pattern searched over a record's text."""

    def search(self, text: str, /) -> _Found | None: ...


class Prefilter(Protocol):
    """The combined RE2 bytes pattern (or one that never matches) that finds where candidate records lie."""

    def search(self, data: bytes, pos: int = 0, endpos: int = 0, /) -> _Found | None: ...


@dataclass(slots=True)
class Record:
    """One log line, multi-line log record, event, or DNS cache entry, ready to match."""

    line: int
    text: str
    time: str = ""
    component: str = ""
    severity: str = ""
    event_id: int | None = None
    provider: str = ""
    computer: str = ""


@dataclass(slots=True)
class _TextProbe:
    index: int
    probe: Probe
    needle: str = ""
    regex: TextRegex | None = None


@dataclass(slots=True)
class _FileProbe:
    index: int
    probe: Probe
    name: re.Pattern[str]
    depth: int
    under: str


@dataclass
class Matcher:
    """All probes of a scan, compiled once."""

    probes: Sequence[Probe]
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._text: list[_TextProbe] = []
        self._events: dict[int, list[int]] = {}
        self._files: list[_FileProbe] = []
        self._alternatives: dict[int, bytes] = {}
        self._unfiltered: set[int] = set()
        self._prefilters: dict[frozenset[int], Prefilter | None] = {}
        for index, probe in enumerate(self.probes):
            self._add(index, probe)

    def _add(self, index: int, probe: Probe) -> None:
        sig = probe.signature
        where = f"{probe.tree}/{probe.node} signature {sig.id}"
        kind = sig.matcher
        if kind == "literal":
            escaped = re2.escape(sig.literal)
            if sig.ignore_case:
                self._text.append(_TextProbe(index, probe, regex=re2.compile("(?i)" + escaped)))
                self._alternatives[index] = b"(?i:" + escaped.encode() + b")"
            else:
                self._text.append(_TextProbe(index, probe, needle=sig.literal))
                self._alternatives[index] = escaped.encode()
        elif kind == "regex":
            flags = "(?i)" if sig.ignore_case else ""
            try:
                regex = re2.compile(flags + sig.regex)
            except re2.error as exc:
                self.problems.append(f"{where}: the regex does not compile as RE2 ({exc}); skipped")
                return
            if regex.search("") is not None:
                self.problems.append(f"{where}: the regex matches empty text, so it would match every record; skipped")
                return
            self._text.append(_TextProbe(index, probe, regex=regex))
            relaxed = relax_assertions(sig.regex)
            alternative = (("(?i:" + relaxed + ")") if sig.ignore_case else ("(?:" + relaxed + ")")).encode()
            if _usable_alternative(alternative):
                self._alternatives[index] = alternative
            else:
                self._unfiltered.add(index)
        elif kind == "event_id":
            self._events.setdefault(int(sig.event_id), []).append(index)  # type: ignore[arg-type]
        else:
            glob = sig.file.replace("\\", "/").strip("/")
            self._files.append(
                _FileProbe(
                    index,
                    probe,
                    name=_glob_regex(glob),
                    depth=glob.count("/") + 1,
                    under=_folder_key(sig.under) if sig.under else "",
                )
            )

    @property
    def has_text_probes(self) -> bool:
        return bool(self._text)

    @property
    def has_file_probes(self) -> bool:
        return bool(self._files)

    @property
    def has_event_probes(self) -> bool:
        return bool(self._events)

    def prefilter(self, excluded: frozenset[int] = frozenset()) -> Prefilter | None:
        """The combined bytes regex for the probes not excluded; None when every record must be checked."""
        if excluded in self._prefilters:
            return self._prefilters[excluded]
        compiled: Prefilter | None
        if self._unfiltered - excluded:
            compiled = None
        else:
            parts = [alt for index, alt in self._alternatives.items() if index not in excluded]
            compiled = _compile_alternation(parts) if parts else _NEVER
        self._prefilters[excluded] = compiled
        return compiled

    def match(
        self, record: Record, file: str, excluded: frozenset[int] = frozenset(), prefiltered: bool = False
    ) -> list[tuple[int, Hit]]:
        """Every probe that matches this record, as (probe index, hit)."""
        found: list[tuple[int, Hit]] = []
        text = record.text
        if self._text and (prefiltered or self._worth_checking(text, excluded)):
            for tp in self._text:
                if tp.index in excluded:
                    continue
                captures: dict[str, str] = {}
                if tp.regex is None:
                    if tp.needle not in text:
                        continue
                else:
                    m = tp.regex.search(text)
                    if m is None:
                        continue
                    captures = {k: v for k, v in m.groupdict().items() if v is not None}
                found.append((tp.index, self._hit(tp.probe, record, file, captures)))
        if record.event_id is not None and record.event_id in self._events:
            provider = record.provider.lower()
            for index in self._events[record.event_id]:
                if index in excluded:
                    continue
                probe = self.probes[index]
                source = probe.signature.source.lower()
                if source and source not in provider:
                    continue
                found.append((index, self._hit(probe, record, file, {})))
        found.sort(key=lambda pair: pair[0])
        return found

    def locate(self, index: int, text: str) -> str | None:
        """The text a literal or regex probe matched in `text` (None for other probes or no match)."""
        for tp in self._text:
            if tp.index != index:
                continue
            if tp.regex is None:
                return tp.needle if tp.needle in text else None
            m = tp.regex.search(text)
            return m.group(0) if m is not None else None
        return None

    def _worth_checking(self, text: str, excluded: frozenset[int]) -> bool:
        pre = self.prefilter(excluded)
        if pre is None:
            return True
        return pre.search(text.encode("utf-8", "replace")) is not None

    def file_probes_matching(self, folder: str, name: str) -> list[int]:
        """Indexes of the file probes a file called `name` in `folder` satisfies."""
        if not self._files:
            return []
        key = _folder_key(folder)
        out = []
        for fp in self._files:
            if fp.depth > 1:
                tail = "/".join((key.split("/") + [name.lower()])[-fp.depth :])
                if not fp.name.fullmatch(tail):
                    continue
            elif not fp.name.fullmatch(name):
                continue
            if fp.under and fp.under not in key:
                continue
            out.append(fp.index)
        return out

    @staticmethod
    def _hit(probe: Probe, record: Record, file: str, captures: dict[str, str]) -> Hit:
        text = record.text
        if len(text) > DISPLAY_LIMIT:
            text = text[:DISPLAY_LIMIT] + "…"
        return Hit(
            tree=probe.tree,
            node=probe.node,
            signature=probe.signature.id,
            file=file,
            line=record.line,
            time=record.time,
            component=record.component,
            text=text,
            captures=captures,
            severity=record.severity,
            computer=record.computer,
            event_id=record.event_id,
        )


class _Never:
    """A prefilter for when no text probe is left: finds nothing, costs nothing."""

    def search(self, *_args: object) -> None:
        return None


_NEVER = _Never()


def _compile_alternation(parts: list[bytes]) -> Prefilter | None:
    options = re2.Options()
    options.never_capture = True
    options.max_mem = 64 << 20
    try:
        return cast(Prefilter, re2.compile(b"|".join(parts), options))
    except re2.error:
        return None


def _usable_alternative(alternative: bytes) -> bool:
    options = re2.Options()
    options.never_capture = True
    try:
        compiled = re2.compile(alternative, options)
    except re2.error:
        return False
    return compiled.search(b"") is None


def relax_assertions(pattern: str) -> str:
    """The pattern with every zero-width assertion outside character classes removed.

    Removing an assertion can only let a regex match in more places, so the result is a safe prefilter for a
    raw record whose message the original pattern is later confirmed against.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1 : i + 2]
            if nxt == "Q":
                end = pattern.find("\\E", i + 2)
                end = n if end < 0 else end + 2
                out.append(pattern[i:end])
                i = end
            elif nxt in ("A", "z", "b", "B"):
                i += 2
            else:
                out.append(pattern[i : i + 2])
                i += 2
        elif c == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                if pattern[j] == "\\":
                    j += 2
                elif pattern.startswith("[:", j):
                    k = pattern.find(":]", j + 2)
                    j = k + 2 if k >= 0 else j + 1
                else:
                    j += 1
            out.append(pattern[i : j + 1])
            i = j + 1
        elif c in "^$":
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _glob_regex(glob: str) -> re.Pattern[str]:
    """A Windows wildcard (only * and ? are special) as a case-insensitive regex."""
    parts = []
    for ch in glob:
        if ch == "*":
            parts.append("[^/]*")
        elif ch == "?":
            parts.append("[^/]")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def wildcard_match(name: str, glob: str) -> bool:
    """A file name against a Windows wildcard, ignoring case."""
    return _glob_regex(glob).fullmatch(name) is not None


def _folder_key(path: str) -> str:
    """A folder path for comparison: lower case, forward slashes, no trailing slash."""
    key = path.replace("\\", "/").lower()
    key = posixpath.normpath(key) if key else key
    return key.rstrip("/") if key not in ("/", ".") else ""
