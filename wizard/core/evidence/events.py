"""Windows event logs in every shape a ticket brings them: .evtx and legacy .evt files, Event Viewer XML and CSV
exports, and the text forms (wevtutil /f:text, the Vista-style "Log Name:" block, the Server 2003
"Event Type:" block). Every reader yields the same Record: provider, event ID, level, time, computer, message.
"""

from __future__ import annotations

import csv
import re
import struct
import warnings
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from typing import BinaryIO, TypedDict, cast
from xml.parsers import expat

from wizard.core.evidence.matcher import Record
from wizard.core.evidence.text import MAX_RECORD

Problem = Callable[[str], None]

_LEVEL_NAMES = {"0": "information", "1": "critical", "2": "error", "3": "warning", "4": "information", "5": "verbose"}
_EVT_TYPES = {0: "information", 1: "error", 2: "warning", 4: "information", 8: "success audit", 16: "failure audit"}


def level_name(value: str) -> str:
    value = value.strip()
    return _LEVEL_NAMES.get(value, value.lower())


def event_record(
    line: int, event_id: str, provider: str, level: str, time: str, computer: str, message: str
) -> Record:
    digits = event_id.strip()
    number = int(digits) if digits.isdigit() else None
    if number is not None and number > 0xFFFF:
        number &= 0xFFFF
    text = message.strip()
    return Record(
        line=line,
        text=text[:MAX_RECORD],
        time=normal_time(time),
        component=provider.strip(),
        severity=level_name(level) if level else "",
        event_id=number,
        provider=provider.strip(),
        computer=computer.strip(),
    )


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")
_SLASHED = re.compile(
    r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp]\.?[Mm]\.?)?"
)


def normal_time(stamp: str) -> str:
    """An event time as `YYYY-MM-DD HH:MM:SS[.mmm][Z]`; a form it cannot read is kept as written."""
    stamp = stamp.strip()
    m = _ISO.match(stamp)
    if m:
        year, month, day, clock, fraction, zone = m.groups()
        fraction = (fraction or "")[:4]
        return f"{year}-{month}-{day} {clock}{fraction}{'Z' if zone == 'Z' else (zone or '')}"
    parsed = parse_local_time(stamp)
    if parsed is not None:
        return parsed.strftime("%Y-%m-%d %H:%M:%S")
    return stamp


def parse_local_time(stamp: str) -> datetime | None:
    """A date and time as Windows prints them: US month/day by default, day first when the day cannot be a month
    or the separator is a dot, ISO order when the year comes first; 12-hour clocks with AM/PM."""
    m = _SLASHED.search(stamp)
    if m is None:
        return None
    a, b, c, hour, minute, second, half = m.groups()
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:
        year = int(c) + (2000 if len(c) <= 2 and int(c) < 70 else 1900 if len(c) <= 2 else 0)
        first, second_part = int(a), int(b)
        dotted = "." in stamp[m.start(1) : m.end(2)]
        if first > 12 or dotted:
            day, month = first, second_part
        else:
            month, day = first, second_part
    h = int(hour)
    if half:
        pm = half[0] in "pP"
        h = (h % 12) + (12 if pm else 0)
    try:
        return datetime(year, month, day, h, int(minute), int(second or 0))
    except ValueError:
        return None


MAX_XML_DEPTH = 64
"""Deepest element nesting read in event XML; real events nest six or seven levels, and a deeper document would
cost memory in proportion to its depth."""


class XmlTooDeep(Exception):
    """Raised from inside expat when a document nests deeper than MAX_XML_DEPTH."""


class _EventXmlHandler:
    """Collects Event elements from expat callbacks, whatever root or namespace they sit in."""

    def __init__(self, parser: expat.XMLParserType, line_offset: int = 0) -> None:
        self.parser = parser
        self.line_offset = line_offset
        self.ready: list[Record] = []
        self.stack: list[str] = []
        self.current: dict[str, object] | None = None
        self.buffer: list[str] = []
        self.buffered = 0
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.chars

    @staticmethod
    def _local(name: str) -> str:
        return name.rsplit(":", 1)[-1].rsplit("}", 1)[-1]

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if len(self.stack) >= MAX_XML_DEPTH:
            raise XmlTooDeep(self.parser.CurrentLineNumber + self.line_offset)
        local = self._local(name)
        self.stack.append(local)
        self.buffer, self.buffered = [], 0
        if local == "Event":
            self.current = {"line": self.parser.CurrentLineNumber + self.line_offset, "data": []}
            return
        current = self.current
        if current is None:
            return
        if local == "Provider":
            current["provider"] = attrs.get("Name") or attrs.get("EventSourceName", "")
        elif local == "TimeCreated":
            current["time"] = attrs.get("SystemTime", "")

    def chars(self, data: str) -> None:
        if self.current is not None and self.buffered < MAX_RECORD:
            self.buffer.append(data)
            self.buffered += len(data)

    def end(self, name: str) -> None:
        local = self._local(name)
        if self.stack:
            self.stack.pop()
        current = self.current
        if current is None:
            return
        value = "".join(self.buffer).strip()
        self.buffer, self.buffered = [], 0
        parent = self.stack[-1] if self.stack else ""
        if local == "Event":
            self.ready.append(self._record(current))
            self.current = None
        elif local == "EventID":
            current["event_id"] = value
        elif local == "Level":
            current["level_name" if parent == "RenderingInfo" else "level"] = value
        elif local == "Computer":
            current["computer"] = value
        elif local == "Message" and parent == "RenderingInfo":
            current["message"] = value
        elif value and local != "Binary" and ("EventData" in self.stack or "UserData" in self.stack):
            cast("list[str]", current["data"]).append(value)

    @staticmethod
    def _record(fields: dict[str, object]) -> Record:
        message = str(fields.get("message") or "\n".join(cast("list[str]", fields["data"])))
        return event_record(
            line=int(cast(int, fields["line"])),
            event_id=str(fields.get("event_id", "")),
            provider=str(fields.get("provider", "")),
            level=str(fields.get("level_name") or fields.get("level", "")),
            time=str(fields.get("time", "")),
            computer=str(fields.get("computer", "")),
            message=message,
        )


_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
_DOCTYPE = re.compile(rb"^\s*<!DOCTYPE[^>]*>")


def read_event_xml(chunks: Iterable[bytes], problem: Problem) -> Iterator[Record]:
    """Events from an Event Viewer "Save as XML" export or `wevtutil qe /f:xml` output (UTF-8 chunks)."""
    parser = expat.ParserCreate("UTF-8")
    parser.buffer_text = True
    handler = _EventXmlHandler(parser)
    parser.Parse(b"<wizard-events>", False)
    first = True
    try:
        for chunk in chunks:
            if first:
                chunk = _DOCTYPE.sub(b"", _XML_DECLARATION.sub(b"", chunk, count=1), count=1)
                first = False
            parser.Parse(chunk, False)
            yield from handler.ready
            handler.ready.clear()
        parser.Parse(b"</wizard-events>", True)
    except expat.ExpatError as exc:
        yield from handler.ready
        handler.ready.clear()
        problem(f"the XML is malformed at line {exc.lineno} ({expat.ErrorString(exc.code)}); events after it were not read")
        return
    except XmlTooDeep as exc:
        yield from handler.ready
        handler.ready.clear()
        problem(
            f"the XML nests deeper than {MAX_XML_DEPTH} levels at line {exc.args[0]}, which no event export does; "
            "events after it were not read"
        )
        return
    yield from handler.ready


def record_from_event_xml(xml: str, line: int) -> Record | None:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    handler = _EventXmlHandler(parser)
    parser.Parse(xml, True)
    if not handler.ready:
        return None
    record = handler.ready[0]
    record.line = line
    return record


class _EvtxItem(TypedDict):
    """One record as `PyEvtxParser.records()` yields it; the package's stubs say only Optional[Any], but the
    iterator ends instead of yielding None."""

    event_record_id: int
    timestamp: str
    data: str


def read_evtx(source: str | BinaryIO, problem: Problem) -> Iterator[Record]:
    """Events of a .evtx file (a path or a readable, seekable stream) through the `evtx` package; the line of each
    is its EventRecordID."""
    from evtx import PyEvtxParser

    try:
        parser = PyEvtxParser(source, number_of_threads=1, skip_errors=True)
    except (OSError, RuntimeError, ValueError) as exc:
        problem(f"not a readable .evtx file ({_short(exc)})")
        return
    skipped = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            for item in cast("Iterator[_EvtxItem]", parser.records()):
                try:
                    record = record_from_event_xml(item["data"], int(item.get("event_record_id") or 0))
                except (expat.ExpatError, XmlTooDeep):
                    skipped += 1
                    continue
                if record is not None:
                    if not record.time and item.get("timestamp"):
                        record.time = normal_time(str(item["timestamp"]))
                    yield record
        except (RuntimeError, OSError) as exc:
            problem(f"the .evtx file is damaged ({_short(exc)}); events after it were not read")
        skipped += sum(1 for w in caught if issubclass(w.category, RuntimeWarning))
    if skipped:
        problem(f"{skipped} damaged event record(s) skipped")


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


_EVT_SIGNATURE = b"LfLe"
_EVT_FIXED = struct.Struct("<IIIIIIHHHHIIIIII")


def is_evt(head: bytes) -> bool:
    return len(head) >= 8 and head[4:8] == _EVT_SIGNATURE and struct.unpack_from("<I", head)[0] == 0x30


def read_evt(chunks: Iterable[bytes], problem: Problem) -> Iterator[Record]:
    """Events of a Windows 2003 .evt file (EVENTLOGRECORD structures), streamed; the line is the record number.

    The description is not rendered (that needs the provider's message DLL); the insertion strings stand in for it.
    """
    carry = b""
    for chunk in chunks:
        buf = carry + chunk if carry else chunk
        pos = 0
        while True:
            at = buf.find(_EVT_SIGNATURE, pos + 4)
            if at < 0:
                pos = max(pos, len(buf) - 7)
                break
            start = at - 4
            length = struct.unpack_from("<I", buf, start)[0]
            if length < _EVT_FIXED.size or length > 0x10000 * 16:
                pos = at - 3
                continue
            if start + length > len(buf):
                pos = start
                break
            record = _evt_record(buf[start : start + length])
            if record is None:
                pos = at - 3
                continue
            yield record
            pos = start + length - 4
        carry = buf[pos:]


def _evt_record(raw: bytes) -> Record | None:
    (length, _sig, number, generated, _written, event_id, event_type, strings, _category, _flags, _closing,
     string_offset, _sid_len, _sid_off, _data_len, _data_off) = _EVT_FIXED.unpack_from(raw)
    if struct.unpack_from("<I", raw, length - 4)[0] != length or string_offset > length:
        return None
    names = raw[_EVT_FIXED.size :].decode("utf-16-le", "replace").split("\x00")
    source = names[0] if names else ""
    computer = names[1] if len(names) > 1 else ""
    values = raw[string_offset:length].decode("utf-16-le", "replace").split("\x00")[:strings]
    when = datetime.fromtimestamp(generated, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")
    return event_record(
        line=number,
        event_id=str(event_id & 0xFFFF),
        provider=source,
        level=_EVT_TYPES.get(event_type, str(event_type)),
        time=when,
        computer=computer,
        message="\n".join(v for v in values if v),
    )


_CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "event_id": ("event id", "eventid", "id", "event_id", "instanceid", "event"),
    "provider": ("source", "providername", "provider", "event source", "provider name"),
    "level": ("leveldisplayname", "level", "entrytype", "type", "event type"),
    "time": ("date and time", "timecreated", "timegenerated", "time created", "date time", "date"),
    "clock": ("time",),
    "computer": ("computer", "machinename", "computer name", "computername"),
    "message": ("message", "description"),
}
_CSV_2003_ROW = re.compile(
    r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}[,\t]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?[,\t][^,\t]*[,\t]"
    r"(?:Information|Warning|Error|Success Audit|Failure Audit)[,\t][^,\t]*[,\t]\d+[,\t]"
)


def csv_layout(sample: str) -> tuple[str, bool] | None:
    """(delimiter, has header) if the sample looks like an Event Viewer, PowerShell or eventquery.vbs export.

    eventquery.vbs (Windows Server 2003) is taken to name its columns Type, Event, Date Time, Source,
    ComputerName, Category, User and Description; unconfirmed, as remembered rather than checked on a 2003 machine.
    """
    for raw in sample.splitlines()[:3]:
        line = raw.strip()
        if not line or line.startswith("#TYPE"):
            continue
        delimiter = "\t" if line.count("\t") > line.count(",") else ","
        names = {n.strip().strip('"').lower() for n in line.split(delimiter)}
        has_id = bool(names & {"event id", "eventid", "id", "instanceid", "event"})
        has_source = bool(names & {"source", "providername", "provider", "event source"})
        if has_id and has_source:
            return delimiter, True
        if _CSV_2003_ROW.match(line):
            return delimiter, False
        return None
    return None


def read_event_csv(
    lines: Iterable[tuple[int, str]], delimiter: str, header: bool, problem: Problem
) -> Iterator[Record]:
    texts = (text + "\n" for _, text in lines)
    reader = csv.reader(texts, delimiter=delimiter)
    columns: dict[str, int] = {}
    width = 0
    if header:
        for row in reader:
            if not row or not any(cell.strip() for cell in row) or row[0].startswith("#TYPE"):
                continue
            names = [name.strip().lower() for name in row]
            width = len(names)
            for field, candidates in _CSV_COLUMNS.items():
                for candidate in candidates:
                    if candidate in names:
                        columns[field] = names.index(candidate)
                        break
            break
    else:
        columns = {"time": 0, "clock": 1, "provider": 2, "level": 3, "event_id": 5, "computer": 7}
    previous = reader.line_num
    bad_rows: list[int] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            bad_rows.append(previous + 1)
            if len(bad_rows) == 1:
                problem(
                    f"the CSV row at line {previous + 1} could not be read ({exc}); it was skipped and the rows "
                    "after it were read"
                )
            previous = reader.line_num
            continue
        start = previous + 1
        previous = reader.line_num
        if not row or not any(cell.strip() for cell in row):
            continue

        def cell(field: str) -> str:
            at = columns.get(field)
            return row[at] if at is not None and at < len(row) else ""

        if header:
            message = cell("message") if "message" in columns else delimiter.join(row[width:])
        else:
            message = delimiter.join(row[8:])
        time = cell("time")
        if "clock" in columns and cell("clock"):
            time = f"{time} {cell('clock')}"
        yield event_record(start, cell("event_id"), cell("provider"), cell("level"), time, cell("computer"), message)
    if len(bad_rows) > 1:
        more = ", ".join(str(n) for n in bad_rows[1:6]) + (", ..." if len(bad_rows) > 6 else "")
        problem(f"{len(bad_rows) - 1} more CSV row(s) could not be read and were skipped (lines {more})")


_TEXT_KEYS = {
    "log name": "log",
    "source": "provider",
    "event source": "provider",
    "date": "date",
    "time": "clock",
    "event id": "event_id",
    "task": "task",
    "task category": "task",
    "event category": "task",
    "level": "level",
    "event type": "level",
    "opcode": "opcode",
    "keyword": "keywords",
    "keywords": "keywords",
    "user": "user",
    "user name": "user",
    "computer": "computer",
    "record number": "record",
    "description": "description",
}
_FIELD = re.compile(r"^[ \t]*([A-Za-z][A-Za-z \t]{0,30}):(.*)$")
"""`Key: value`; linear: the bounded key takes its trailing blanks and is normalised in code."""
_WEVTUTIL_START = re.compile(r"^\s*Event\[\d+\]:?\s*$")
_BLOCK_START = re.compile(r"^\s*(Log Name|Event Type)\s*:\s*\S")


def is_event_start(line: str) -> bool:
    return bool(_WEVTUTIL_START.match(line) or _BLOCK_START.match(line))


class EventTextBlock:
    """One event in a text export, filled line by line."""

    def __init__(self, line: int, numbered: bool) -> None:
        self.line = line
        self.numbered = numbered
        self.fields: dict[str, str] = {}
        self.description: list[str] = []
        self.size = 0
        self.in_description = False

    def take_field(self, text: str) -> bool:
        """Records a `Key: value` header line; False if the line is not one."""
        m = _FIELD.match(text)
        if m is None:
            return False
        key = _TEXT_KEYS.get(" ".join(m.group(1).lower().split()))
        if key is None:
            return False
        value = m.group(2).strip()
        if key == "description":
            self.in_description = True
            if value:
                self.add_description(value)
        else:
            self.fields.setdefault(key, value)
        return True

    def add_description(self, text: str) -> None:
        if self.size < MAX_RECORD:
            self.description.append(text)
            self.size += len(text) + 1

    def record(self) -> Record:
        f = self.fields
        time = f"{f.get('date', '')} {f.get('clock', '')}".strip()
        message = "\n".join(self.description).strip()
        return event_record(
            self.line, f.get("event_id", ""), f.get("provider", ""), f.get("level", ""), time, f.get("computer", ""),
            message,
        )

    @property
    def has_fields(self) -> bool:
        return bool(self.fields)
