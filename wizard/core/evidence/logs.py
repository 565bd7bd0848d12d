"""ConfigMgr and SMS logs at speed: legacy `$$<...>` lines, CMTrace `<![LOG[...]LOG]!>` records, plain text.

A log arrives as UTF-8 chunks. Each chunk is cut at its last record boundary (the rest waits for the next chunk),
the combined prefilter finds candidate records, and only those are decoded, parsed and confirmed. The prefilter
runs in worker threads (RE2 releases the interpreter lock) while the main thread counts lines and reads ahead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from typing import Protocol

from wizard.core.evidence.hits import Hit
from wizard.core.evidence.matcher import Matcher, Prefilter, Record
from wizard.core.evidence.text import MAX_RECORD, WINDOW_OVERLAP

LINES = "lines"
CMTRACE = "cmtrace"

CMTRACE_START = b"<![LOG["
_CMTRACE_END = "]LOG]!>"
_COUNT_STEP = 1 << 18
_PARALLEL_MIN = 1 << 20

_LEGACY_TAIL = re.compile(r"\$\$<([^<>]*)><([^<>]*)>(?:<thread=([^<>]*)>)?")
_NUMERIC_TIME = re.compile(r"(\d{1,2})[-\u2013/](\d{1,2})[-\u2013/](\d{4}) (\d{1,2}:\d{2}:\d{2}(?:\.\d+)?)\s*([+-]\d+)?")
_WEEKDAY_TIME = re.compile(r"[A-Za-z]{3} ([A-Za-z]{3}) +(\d{1,2}) (\d{1,2}:\d{2}:\d{2}(?:\.\d+)?) (\d{4})\s*([^~]*)")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_CMTRACE_TYPES = {"0": "success", "1": "information", "2": "warning", "3": "error"}


class Sink(Protocol):
    """Where a reader delivers matches and complaints for one file."""

    excluded: frozenset[int]

    def add(self, found: list[tuple[int, Hit]]) -> None: ...

    def overlong(self, line: int) -> None: ...


def legacy_time(stamp: str) -> str:
    """`07-15-2023 09:12:45.332+240` -> `2023-07-15 09:12:45.332+240`; the SMS 1.x/2.0 weekday forms likewise."""
    m = _NUMERIC_TIME.match(stamp)
    if m:
        month, day, year, clock, bias = m.groups()
        return f"{year}-{int(month):02d}-{int(day):02d} {clock}{bias or ''}"
    m = _WEEKDAY_TIME.match(stamp)
    if m and m.group(1).lower() in _MONTHS:
        month, day, clock, year, zone = m.groups()
        zone = zone.strip()
        return f"{year}-{_MONTHS[month.lower()]:02d}-{int(day):02d} {clock}" + (f" {zone}" if zone else "")
    return stamp.strip("~ ")


def parse_line(raw: bytes, line: int) -> Record:
    """A legacy SMS/ConfigMgr line (message, then `$$<component><time><thread=...>`), or a plain line."""
    text = raw.decode("utf-8", "replace").rstrip("\r\n")
    at = text.rfind("$$<")
    if at < 0:
        return Record(line, text)
    m = _LEGACY_TAIL.match(text, at)
    if m is None:
        return Record(line, text)
    return Record(line, text[:at].rstrip(), time=legacy_time(m.group(2)), component=m.group(1))


def parse_cmtrace(raw: bytes, line: int) -> Record:
    """A CMTrace record: `<![LOG[message]LOG]!><time="..." date="..." component="..." type="N" ...>`."""
    text = raw.decode("utf-8", "replace")
    start = text.find("<![LOG[")
    if start < 0:
        return Record(line, text.strip("\r\n"))
    end = text.find(_CMTRACE_END, start)
    if end < 0:
        return Record(line, text[start + 7 :].rstrip("\r\n"))
    fields = dict(_ATTRIBUTE.findall(text, end, end + 2000))
    clock, date = fields.get("time", ""), fields.get("date", "")
    stamp = legacy_time(f"{date} {clock}") if date and clock else (date or clock)
    return Record(
        line,
        text[start + 7 : end],
        time=stamp,
        component=fields.get("component", ""),
        severity=_CMTRACE_TYPES.get(fields.get("type", ""), ""),
    )


@dataclass
class _Region:
    buf: bytes
    start: int
    end: int
    first_line: int
    spans: list[Future[list[tuple[int, int]]]] | list[tuple[int, int]] | None
    checkpoints: list[int]


class LogScanner:
    """Scans one log's UTF-8 chunks; hands every confirmed match to the sink.

    Chunks are searched where they lie: only the record that straddles two chunks is copied.
    """

    def __init__(
        self, matcher: Matcher, framing: str, file: str, sink: Sink, pool: Executor | None = None, workers: int = 1
    ) -> None:
        self.matcher = matcher
        self.file = file
        self.sink = sink
        self.pool = pool
        self.workers = workers
        self.cmtrace = framing == CMTRACE
        self.parse: Callable[[bytes, int], Record] = parse_cmtrace if self.cmtrace else parse_line
        self.line_no = 1
        self.pending: _Region | None = None

    def run(self, chunks: Iterable[bytes]) -> None:
        carry = b""
        long: _LongRecord | None = None
        held = b""
        for chunk in chunks:
            start = 0
            if long is not None:
                chunk = held + chunk if held else chunk
                boundary = self._first_boundary(chunk, 0)
                if boundary < 0:
                    keep = len(CMTRACE_START) - 1 if self.cmtrace else 0
                    held = chunk[len(chunk) - keep :] if keep else b""
                    long.feed(chunk[: len(chunk) - len(held)])
                    continue
                long.feed(chunk[:boundary])
                self._end_long(long)
                long, held, start = None, b"", boundary
            elif carry:
                boundary = self._first_boundary(chunk, 0)
                if boundary < 0:
                    carry += chunk
                    if len(carry) > MAX_RECORD:
                        long, carry = self._begin_long(carry), b""
                    continue
                joined = carry + chunk[:boundary]
                carry = b""
                if len(joined) > MAX_RECORD:
                    self._end_long(self._begin_long(joined))
                else:
                    self._queue(joined, 0, len(joined))
                start = boundary
            cut = self._last_boundary(chunk, start)
            if cut > start:
                self._queue(chunk, start, cut)
            carry = chunk[cut:]
            if len(carry) > MAX_RECORD:
                long, carry = self._begin_long(carry), b""
        if long is not None:
            long.feed(held)
            self._end_long(long)
        elif carry:
            self._queue(carry, 0, len(carry))
        self._finish(self.pending)
        self.pending = None

    def _begin_long(self, data: bytes) -> _LongRecord:
        """Starts a record too long to hold: it is searched window by window as it streams in, and reported."""
        self._finish(self.pending)
        self.pending = None
        self.sink.overlong(self.line_no)
        long = _LongRecord(self, self.line_no)
        long.feed(data)
        return long

    def _end_long(self, long: _LongRecord) -> None:
        long.close()
        self.line_no += long.newlines

    def _search_window(self, window: bytes, line: int, base: int, seen: set[tuple[int, int]]) -> None:
        """Matches one window of an overlong record; each hit carries its byte offset in the record."""
        record = self.parse(window, line)
        found = self.matcher.match(record, self.file, self.sink.excluded)
        located = []
        for index, hit in found:
            where = self.matcher.locate(index, record.text)
            offset = base + (window.find(where.encode("utf-8", "replace")) if where else 0)
            if (index, offset) in seen:
                continue
            seen.add((index, offset))
            located.append((index, replace(hit, offset=offset)))
        if located:
            self.sink.add(located)

    def _queue(self, buf: bytes, start: int, end: int) -> None:
        region = self._start(buf, start, end, self.line_no)
        self._finish(self.pending)
        self.pending = region
        self.line_no += region.checkpoints[-1]

    def _first_boundary(self, data: bytes, start: int) -> int:
        if self.cmtrace:
            return data.find(CMTRACE_START, start)
        at = data.find(b"\n", start)
        return at + 1 if at >= 0 else -1

    def _last_boundary(self, data: bytes, start: int) -> int:
        """Where the last record that may continue in the next chunk begins (start if there is none)."""
        if self.cmtrace:
            at = data.rfind(CMTRACE_START, start + 1)
            return at if at > start else start
        at = data.rfind(b"\n", start)
        return at + 1 if at >= 0 else start

    def _next_boundary(self, data: bytes, start: int, end: int) -> int:
        if self.cmtrace:
            at = data.find(CMTRACE_START, start, end)
            return at if at >= 0 else end
        at = data.find(b"\n", start, end)
        return at + 1 if at >= 0 else end

    def _start(self, buf: bytes, start: int, end: int, first_line: int) -> _Region:
        """Sets the prefilter going on buf[start:end] and counts its lines meanwhile."""
        pre = self.matcher.prefilter(self.sink.excluded)
        spans: list[Future[list[tuple[int, int]]]] | list[tuple[int, int]] | None
        if pre is None:
            spans = None
        elif self.pool is not None and end - start >= _PARALLEL_MIN:
            spans = [self.pool.submit(self._candidates, pre, buf, a, b) for a, b in self._parts(buf, start, end)]
        else:
            spans = self._candidates(pre, buf, start, end)
        checkpoints = [0]
        total = 0
        for at in range(start, end, _COUNT_STEP):
            total += buf.count(b"\n", at, min(at + _COUNT_STEP, end))
            checkpoints.append(total)
        return _Region(buf, start, end, first_line, spans, checkpoints)

    def _parts(self, buf: bytes, start: int, end: int) -> list[tuple[int, int]]:
        bounds = [start]
        size = end - start
        for k in range(1, self.workers):
            at = self._next_boundary(buf, start + size * k // self.workers, end)
            if bounds[-1] < at < end:
                bounds.append(at)
        bounds.append(end)
        return list(zip(bounds, bounds[1:]))

    def _candidates(self, pre: Prefilter, buf: bytes, start: int, end: int) -> list[tuple[int, int]]:
        """Spans of the records in buf[start:end] the prefilter says may match."""
        spans = []
        pos = start
        search = pre.search
        while pos < end:
            m = search(buf, pos, end)
            if m is None:
                break
            spans.append(self._record_span(buf, m.start(), start, end))
            pos = spans[-1][1]
        return spans

    def _record_span(self, buf: bytes, at: int, start: int, end: int) -> tuple[int, int]:
        if self.cmtrace:
            s = buf.rfind(CMTRACE_START, start, min(at + len(CMTRACE_START), end))
            s = start if s < 0 else s
            e = buf.find(CMTRACE_START, s + 1, end)
            return s, (end if e < 0 else e)
        s = max(buf.rfind(b"\n", start, at) + 1, start)
        e = buf.find(b"\n", at, end)
        return s, (end if e < 0 else e + 1)

    def _all_spans(self, buf: bytes, start: int, end: int) -> list[tuple[int, int]]:
        spans = []
        pos = start
        while pos < end:
            stop = self._next_boundary(buf, pos + 1 if self.cmtrace else pos, end)
            spans.append((pos, stop))
            pos = stop
        return spans

    def _finish(self, region: _Region | None) -> None:
        """Confirms the candidates of a region whose prefilter has run."""
        if region is None:
            return
        buf, start = region.buf, region.start
        if region.spans is None:
            spans = self._all_spans(buf, start, region.end)
        elif region.spans and isinstance(region.spans[0], Future):
            spans = [span for future in region.spans for span in future.result()]
        else:
            spans = region.spans  # type: ignore[assignment]
        for s, e in spans:
            step = (s - start) // _COUNT_STEP
            at = start + step * _COUNT_STEP
            line = region.first_line + region.checkpoints[step] + buf.count(b"\n", at, s)
            if e - s > MAX_RECORD:
                self.sink.overlong(line)
                long = _LongRecord(self, line)
                long.feed(buf[s:e])
                long.close()
                continue
            self._match_one(self.parse(buf[s:e], line))

    def _match_one(self, record: Record) -> None:
        found = self.matcher.match(record, self.file, self.sink.excluded, prefiltered=True)
        if found:
            self.sink.add(found)


class _LongRecord:
    """A record longer than MAX_RECORD, searched in overlapping windows as its bytes arrive (memory stays bounded).

    Windows are MAX_RECORD long and share WINDOW_OVERLAP bytes, so a match up to that long is found wherever it
    lies; a hit found twice in the shared part is kept once.
    """

    def __init__(self, scanner: LogScanner, line: int) -> None:
        self.scanner = scanner
        self.line = line
        self.buf = b""
        self.base = 0
        self.searched_to = 0
        self.newlines = 0
        self.seen: set[tuple[int, int]] = set()

    def feed(self, data: bytes) -> None:
        self.newlines += data.count(b"\n")
        self.buf += data
        step = MAX_RECORD - WINDOW_OVERLAP
        while len(self.buf) >= MAX_RECORD:
            self.scanner._search_window(self.buf[:MAX_RECORD], self.line, self.base, self.seen)
            self.searched_to = self.base + MAX_RECORD
            self.buf = self.buf[step:]
            self.base += step

    def close(self) -> None:
        if self.base + len(self.buf) > self.searched_to or not self.searched_to:
            self.scanner._search_window(self.buf, self.line, self.base, self.seen)
        self.buf = b""
