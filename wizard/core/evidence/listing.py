"""Folder evidence: files seen in a copied folder, a .zip, or a pasted `dir` listing, and the file signatures
they satisfy, counted and aged (how many instruction files wait in despoolr.box\\receive, since when).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import re2

from wizard.core.evidence.events import parse_local_time
from wizard.core.evidence.hits import Hit
from wizard.core.evidence.matcher import Matcher


@dataclass(frozen=True, slots=True)
class FileEntry:
    folder: str
    name: str
    mtime: datetime | None = None

    @property
    def path(self) -> str:
        if not self.folder:
            return self.name
        sep = "/" if "/" in self.folder and "\\" not in self.folder else "\\"
        return self.folder.rstrip("\\/") + sep + self.name


# Every pattern here is linear in its line: no lazy group is followed by an optional tail (`.*?\s*$` backtracks
# quadratically on a long run of spaces); a name runs greedily to the end of the line and is stripped in code.
_DIR_HEADER = re.compile(r"^\s*Directory of\s+(\S.*)$", re.IGNORECASE)
_PS_HEADER = re.compile(r"^\s*Directory:\s+(\S.*)$", re.IGNORECASE)
_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
_DIR_ENTRY = re.compile(
    rf"^\s*(?P<date>{_DATE})\s+(?P<time>{_CLOCK})\s+"
    r"(?P<size><DIR>|<JUNCTION>|<SYMLINKD?>|\d[\d.,\u00a0\u202f]*)\s+(?P<name>\S.*)$"
)
_PS_ENTRY = re.compile(
    rf"^\s*(?P<mode>[-dlarhs]{{5,6}})\s+(?P<date>{_DATE})\s+(?P<time>{_CLOCK})\s+"
    r"(?:(?P<size>\d+)\s+)?(?P<name>\S.*)$"
)
_BARE_PATH = re.compile(r'^\s*(?P<path>(?:[A-Za-z]:|\\\\[^\\/\s]+\\[^\\/]+)[\\/][^<>"|*?\t]*)$')
_LISTING_NOISE = re.compile(
    r"^\s*(Volume in drive|Volume Serial Number|Total Files Listed|\d[\d.,\u00a0\u202f]*\s+(File\(s\)|Dir\(s\)))",
    re.IGNORECASE,
)

LISTING_MARKERS = re2.compile(r"(?im)^\s*(Directory of\s|Directory:\s)|^\s*[A-Za-z]:\\\S")
"""Searched once per file in its first part; RE2, because a leading blank pattern under MULTILINE is quadratic over
blank lines with Python's engine."""


class ListingReader:
    """Reads `dir`, `dir /s /b` and Get-ChildItem output line by line."""

    def __init__(self) -> None:
        self.folder = ""

    def take(self, line: str) -> FileEntry | bool:
        """A file entry; True for a line that belongs to a listing but names no file; False otherwise."""
        m = _DIR_HEADER.match(line) or _PS_HEADER.match(line)
        if m:
            self.folder = m.group(1).rstrip()
            return True
        if _LISTING_NOISE.match(line):
            return True
        m = _DIR_ENTRY.match(line) or _PS_ENTRY.match(line)
        if m:
            size = m.group("size") or ""
            mode = m.groupdict().get("mode") or ""
            if size.startswith("<") or mode.startswith("d"):
                return True
            name = m.group("name").rstrip()
            return FileEntry(self.folder, name, parse_local_time(f"{m.group('date')} {m.group('time')}"))
        m = _BARE_PATH.match(line)
        path = m.group("path").rstrip() if m else ""
        if path and path[-1] not in "\\/" and ">" not in line:
            cut = max(path.rfind("\\"), path.rfind("/"))
            return FileEntry(path[:cut], path[cut + 1 :])
        return False


@dataclass
class _Count:
    count: int = 0
    oldest: FileEntry | None = None
    first: FileEntry | None = None


@dataclass
class Tally:
    """File-signature matches for one piece of evidence (a folder, a zip, a listing)."""

    root: str
    reference: datetime | None = None
    newest: datetime | None = None
    entries: int = 0
    counts: dict[int, _Count] = field(default_factory=dict)

    def add(self, matcher: Matcher, entry: FileEntry) -> None:
        self.entries += 1
        if entry.mtime is not None and (self.newest is None or entry.mtime > self.newest):
            self.newest = entry.mtime
        for index in matcher.file_probes_matching(entry.folder, entry.name):
            c = self.counts.setdefault(index, _Count())
            c.count += 1
            if c.first is None:
                c.first = entry
            if entry.mtime is not None and (c.oldest is None or entry.mtime < c.oldest.mtime):  # type: ignore[operator]
                c.oldest = entry

    def hits(self, matcher: Matcher) -> list[tuple[int, Hit]]:
        """One hit per file signature that matched: the oldest matching file, with the count and its age."""
        reference = self.reference or self.newest
        out = []
        for index in sorted(self.counts):
            c = self.counts[index]
            probe = matcher.probes[index]
            shown = c.oldest or c.first
            assert shown is not None
            captures: dict[str, str] = {}
            name = probe.signature.count_as
            if name:
                captures[name] = str(c.count)
                if c.oldest is not None and c.oldest.mtime is not None:
                    captures[f"{name}_oldest"] = c.oldest.mtime.strftime("%Y-%m-%d %H:%M")
                    if reference is not None:
                        hours = max(0.0, (reference - c.oldest.mtime).total_seconds() / 3600)
                        captures[f"{name}_age_hours"] = f"{hours:.1f}"
            time = shown.mtime.strftime("%Y-%m-%d %H:%M:%S") if shown.mtime else ""
            out.append(
                (
                    index,
                    Hit(probe.tree, probe.node, probe.signature.id, self.root, 0, time, "", shown.path, captures),
                )
            )
        return out
