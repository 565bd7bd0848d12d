"""Text that is not one clean log: a pasted ticket, a text event export, a `dir` listing, `ipconfig /displaydns`.

Lines are sorted into event blocks (wevtutil, Vista "Log Name:", Server 2003 "Event Type:"), listing entries,
DNS cache records, CMTrace records and plain lines; each becomes the record its kind calls for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import re2

from wizard.core.evidence.dns import MARKER as DNS_MARKER
from wizard.core.evidence.dns import DnsCacheReader
from wizard.core.evidence.events import EventTextBlock, is_event_start
from wizard.core.evidence.listing import LISTING_MARKERS, FileEntry, ListingReader
from wizard.core.evidence.logs import parse_cmtrace, parse_line
from wizard.core.evidence.matcher import Record
from wizard.core.evidence.text import MAX_RECORD

_NUMBERED_START = re.compile(r"^\s*Event\[\d+\]")
_HEX_DUMP = re.compile(r"^\s*[0-9a-fA-F]{4}:\s")
_MORE_INFO = "for more information, see help and support center"
_EVENT_MARKERS = re2.compile(r"(?m)^\s*(Event\[\d+\]:?\s*$|Log Name\s*:|Event Type\s*:|Event ID\s*:)")
"""RE2: searched over a whole sample, where a leading blank pattern under MULTILINE is quadratic in Python's engine."""


def looks_mixed(sample: str) -> bool:
    """Whether a file's first part holds event blocks, a listing or DNS cache output."""
    return bool(_EVENT_MARKERS.search(sample) or LISTING_MARKERS.search(sample) or DNS_MARKER.search(sample))


def read_mixed(
    lines: Iterable[tuple[int, str]],
    on_entry: Callable[[FileEntry], None],
    on_listing: Callable[[], None] | None = None,
) -> Iterator[Record]:
    listing = ListingReader()
    dns = DnsCacheReader()
    event: EventTextBlock | None = None
    blanks = 0
    skip_xml = skip_hex = False
    cmtrace: list[str] | None = None
    cmtrace_line = cmtrace_size = 0

    for number, line in lines:
        if cmtrace is not None:
            cmtrace.append(line)
            cmtrace_size += len(line) + 1
            if "]LOG]!>" in line or cmtrace_size > MAX_RECORD:
                yield parse_cmtrace("\n".join(cmtrace).encode("utf-8", "replace"), cmtrace_line)
                cmtrace = None
            continue
        stripped = line.strip()
        lowered = stripped.lower()

        if event is not None:
            starts_new = is_event_start(line) and not (
                event.numbered and not event.has_fields and not _NUMBERED_START.match(line)
            )
            if starts_new:
                yield event.record()
                event = None
            elif not event.in_description:
                if event.take_field(line) or not stripped:
                    continue
                event.in_description = True
                event.add_description(line)
                continue
            else:
                ends = _description_ends(line, lowered, blanks)
                if ends is None:
                    blanks = blanks + 1 if not stripped else 0
                    event.add_description(line)
                    continue
                yield event.record()
                event = None
                blanks = 0
                if ends == "xml":
                    skip_xml = True
                    continue
                if ends == "hex":
                    skip_hex = True
                    continue
                if ends == "drop":
                    continue

        if skip_xml:
            if is_event_start(line):
                skip_xml = False
            else:
                if "</Event>" in line:
                    skip_xml = False
                continue
        if skip_hex:
            if _HEX_DUMP.match(line) or not stripped:
                continue
            skip_hex = False

        if is_event_start(line):
            event = EventTextBlock(number, numbered=bool(_NUMBERED_START.match(line)))
            event.take_field(line)
            blanks = 0
            continue
        if not stripped:
            continue
        if "<![LOG[" in line:
            if "]LOG]!>" in line:
                yield parse_cmtrace(line.encode("utf-8", "replace"), number)
            else:
                cmtrace, cmtrace_line, cmtrace_size = [line], number, len(line)
            continue
        taken = dns.take(line, number)
        if isinstance(taken, Record):
            yield taken
            continue
        if taken:
            continue
        before = listing.folder
        entry = listing.take(line)
        if isinstance(entry, FileEntry):
            on_entry(entry)
            continue
        if entry:
            if on_listing is not None and listing.folder != before:
                on_listing()  # a listing header: the text is a listing even when the folder holds no file
            continue
        yield parse_line(line.encode("utf-8", "replace"), number)

    if cmtrace is not None:
        yield parse_cmtrace("\n".join(cmtrace).encode("utf-8", "replace"), cmtrace_line)
    if event is not None:
        yield event.record()


def _description_ends(line: str, lowered: str, blanks: int) -> str | None:
    """How an event description ends at this line: "xml", "hex", "drop", "line" (reuse the line), or None."""
    if lowered.startswith("event xml:"):
        return "xml"
    if lowered.startswith("data:") and not lowered[5:].strip():
        return "hex"
    if lowered.startswith(_MORE_INFO):
        return "drop"
    if "$$<" in line or "<![LOG[" in line or lowered.startswith("directory of "):
        return "line"
    if not lowered and blanks >= 1:
        return "line"
    return None
