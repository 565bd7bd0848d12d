"""Every line parser of the evidence readers is linear in its line: a 1 MB adversarial line takes well under a second.

The lines are shaped to make backtracking regexes quadratic: long runs of blanks after a token a pattern expects,
lazy groups with no end in sight, almost-dates and almost-listings repeated.
"""

from __future__ import annotations

import time

import pytest

from wizard.core.evidence import events
from wizard.core.evidence.dns import MARKER as DNS_MARKER
from wizard.core.evidence.dns import DnsCacheReader
from wizard.core.evidence.events import EventTextBlock, csv_layout, is_event_start, normal_time, parse_local_time
from wizard.core.evidence.listing import LISTING_MARKERS, ListingReader
from wizard.core.evidence.logs import legacy_time, parse_cmtrace, parse_line
from wizard.core.evidence.mixed import looks_mixed, read_mixed
from wizard.core.evidence.text import clean, has_control_characters

SIZE = 1 << 20
LIMIT = 0.8


def _fill(prefix: str, unit: str, suffix: str = "x") -> str:
    return prefix + unit * ((SIZE - len(prefix) - len(suffix)) // len(unit)) + suffix


ADVERSARIAL = {
    "spaces": _fill("", " "),
    "spaces-after-header": _fill(" Directory of C:\\x", " "),
    "spaces-after-ps-header": _fill("    Directory: C:\\x", " "),
    "spaces-after-dir-entry": _fill("01/02/2009  04:41 PM    212 a", " ", "\x00"),
    "spaces-between-dir-fields": _fill("01/02/2009", " ", "04:41"),
    "digits-as-size": _fill("01/02/2009  04:41 PM    ", "1", " "),
    "ps-entry": _fill("-a---   1/2/2009  4:41 PM  ", " ", "\t"),
    "bare-path": _fill("C:\\", "a ", "<"),
    "unc-path": _fill("\\\\", "a", "\\"),
    "dns-field": _fill("    Record Name", " ", ""),
    "dns-dots": _fill("    Record Name", " .", "x"),
    "dns-value": _fill("    Record Name . . . . : a", " ", "\x00"),
    "event-field": _fill("Event ID", " ", "x"),
    "event-field-tabs": _fill("Source", "\t ", "x"),
    "wevtutil-start": _fill("Event[1]", " ", "x"),
    "slashed-dates": _fill("", "1/1/1 ", "x"),
    "date-then-blanks": _fill("1/1/2009", " ", "x"),
    "legacy-tails": _fill("", "$$<", "x"),
    "legacy-tail-open": _fill("message $$<", "a", ""),
    "cmtrace-attributes": _fill("<![LOG[x]LOG]!>", 'a="', ""),
    "hex-dump": _fill("0000: ", " ", "x"),
    "newlines-and-blanks": _fill("", " \n"),
    "escapes": _fill("", "\x1b[0", "x"),
    "osc-unterminated": _fill("\x1b]0;", "a", ""),
    "csi-params": _fill("\x1b[", "0;", ""),
}


def _timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def _listing(line: str) -> None:
    ListingReader().take(line)


def _dns(line: str) -> None:
    DnsCacheReader().take(line, 1)


def _event_field(line: str) -> None:
    is_event_start(line)
    EventTextBlock(1, numbered=False).take_field(line)


def _times(line: str) -> None:
    parse_local_time(line)
    normal_time(line)
    legacy_time(line)


def _log_line(line: str) -> None:
    parse_line(line.encode(), 1)
    parse_cmtrace(line.encode(), 1)


def _sniffers(line: str) -> None:
    looks_mixed(line)
    csv_layout(line)
    LISTING_MARKERS.search(line)
    DNS_MARKER.search(line)


def _mixed(line: str) -> None:
    for _ in read_mixed([(1, line)], lambda entry: None):
        pass


def _csv(line: str) -> None:
    list(events.read_event_csv([(1, "Event ID,Source,Message"), (2, line)], ",", True, lambda text: None))


def _display(line: str) -> None:
    clean(line)
    has_control_characters(line)


PARSERS = {
    "display": _display,
    "listing": _listing,
    "dns": _dns,
    "event-text": _event_field,
    "times": _times,
    "log-line": _log_line,
    "sniffers": _sniffers,
    "mixed": _mixed,
    "event-csv": _csv,
}


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize("shape", sorted(ADVERSARIAL))
def test_line_parser_is_linear(parser, shape):
    line = ADVERSARIAL[shape]
    assert len(line) >= SIZE - 8
    elapsed = _timed(PARSERS[parser], line)
    assert elapsed < LIMIT, f"{parser} took {elapsed:.2f}s on a 1 MB '{shape}' line"

