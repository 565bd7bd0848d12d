"""Scanning: every path the operator gave (files, folders, .zip bundles) or pasted text, in one pass each.

Each input is opened, its kind sniffed from its first bytes, and handed to the matching reader. Anything wrong
with one input becomes one line in the report's problems and the scan moves on to the next.
"""

from __future__ import annotations

import io
import itertools
import re
import os
import posixpath
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import BinaryIO

from wizard.core.evidence.events import csv_layout, is_evt, read_event_csv, read_event_xml, read_evt, read_evtx
from wizard.core.evidence.hits import EvidenceFile, Hit, Probe, ScanReport
from wizard.core.evidence.listing import FileEntry, Tally
from wizard.core.evidence.logs import CMTRACE, LINES, LogScanner
from wizard.core.evidence.matcher import Matcher, Record
from wizard.core.evidence.mixed import looks_mixed, read_mixed
from wizard.core.evidence.text import BINARY, MAX_RECORD, Transcoder, detect_encoding, has_control_characters, iter_lines

CHUNK_SIZE = 4 << 20
SNIFF_SIZE = 64 << 10
HIT_CAP = 100
"""Hits kept per signature per file; a signature that matches more often is reported, not listed."""
WORKERS = min(2, os.cpu_count() or 1)
"""Threads that run the prefilter on big logs alongside the reading thread."""
MAX_ZIP_DEPTH = 2
MAX_UNZIPPED = 1 << 30
"""Most bytes one scan reads out of .zip files (nested ones included): 1 GiB. A bundle that unpacks to more is read
up to there and the cut is reported, so a small zip that inflates to gigabytes cannot fill memory or time."""

_CONTENT_FREE = {
    ".ins", ".ist", ".sni", ".ct0", ".ct1", ".ct2", ".ct3", ".ct4", ".ct5", ".ct6", ".ct7", ".pkc", ".pkp",
    ".lkp", ".pck", ".sha", ".pkg", ".nal", ".srq", ".srs", ".ofr", ".job", ".sig", ".tmp", ".mif", ".ddr",
    ".svf", ".dll", ".exe", ".cab", ".msi", ".mof", ".udc", ".bin",
}
"""Extensions that are evidence by their presence (inbox files, binaries); their content is not read."""

MAX_COMPUTERS = 20
"""Event computers remembered per file, enough to tell the servers of a bundle apart."""
_DOCUMENT_START = re.compile(r"^#{1,6} \S")
_CASE_FILE_START = re.compile(r"^case:\s*\d+\s*(#.*)?$")

EVENT_XML = "event-xml"
EVENT_CSV = "event-csv"
MIXED = "mixed"


class _Cancelled(Exception):
    pass


class _UnzipLimit(Exception):
    """The scan has read MAX_UNZIPPED bytes out of .zip files."""


class _ZipMember(io.RawIOBase):
    """A .zip member read as a stream, its bytes counted against the scan's unzip budget.

    Readers that want a file (the .evtx parser, a nested .zip) take this object as it is, so nothing is copied to
    disk and nothing is left behind if the scan is stopped.
    """

    def __init__(self, inner: BinaryIO, scan: _Scan) -> None:
        super().__init__()
        self.inner = inner
        self.scan = scan

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return bool(self.inner.seekable())

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.inner.seek(offset, whence)

    def tell(self) -> int:
        return self.inner.tell()

    def read(self, size: int = -1) -> bytes:
        left = self.scan.unzip_left
        if left <= 0:
            self.scan.unzip_cut = True
            raise _UnzipLimit
        data = self.inner.read(left if size is None or size < 0 or size > left else size)
        self.scan.unzip_left -= len(data)
        return data

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _FileSink:
    """Collects one file's hits, caps them per signature, and words its problems."""

    def __init__(self, scan: _Scan, file: str) -> None:
        self.scan = scan
        self.file = file
        self.counts: dict[int, int] = {}
        self.excluded: frozenset[int] = frozenset()
        self.saturated: list[int] = []
        self.overlong_lines: list[int] = []
        self.controls = False
        self.windowed = True
        """Whether overlong lines are searched whole (False where a reader keeps only their first MiB)."""

    def add(self, found: list[tuple[int, Hit]]) -> None:
        for index, hit in found:
            n = self.counts.get(index, 0) + 1
            self.counts[index] = n
            if n > HIT_CAP:
                continue
            self.scan.hits.append(hit)
            if not self.controls and has_control_characters(hit.text):
                self.controls = True
            if n == HIT_CAP:
                self.excluded = self.excluded | {index}
                self.saturated.append(index)

    def overlong(self, line: int) -> None:
        self.overlong_lines.append(line)

    def close(self) -> None:
        problem = self.scan.problem
        if self.overlong_lines:
            first = self.overlong_lines[0]
            more = len(self.overlong_lines) - 1
            extra = f" (and {more} more such line{'s' if more > 1 else ''})" if more else ""
            if self.windowed:
                problem(
                    f"{self.file}: line {first} is longer than {MAX_RECORD >> 20} MiB without a line break{extra}; "
                    f"it was searched whole, in overlapping {MAX_RECORD >> 20} MiB windows, and a match in it "
                    "gives its byte offset in the line"
                )
            else:
                problem(
                    f"{self.file}: line {first} is longer than {MAX_RECORD >> 20} MiB without a line break; only "
                    f"its first {MAX_RECORD >> 20} MiB was searched{extra}"
                )
        for index in self.saturated:
            probe = self.scan.matcher.probes[index]
            problem(
                f"{self.file}: signature {probe.tree}/{probe.node}/{probe.signature.id} matched {HIT_CAP} records; "
                "those are listed and the rest of the file was not searched for it"
            )
        if self.controls:
            problem(
                f"{self.file}: matching lines contain control characters or terminal escape sequences; "
                "they are removed from what is shown"
            )


class _Facts:
    """What one input turned out to hold, filled while it is read."""

    __slots__ = ("kinds", "computers", "problem")

    def __init__(self) -> None:
        self.kinds: dict[str, None] = {}
        self.computers: dict[str, None] = {}
        self.problem = ""

    def record(self, record: Record) -> None:
        if record.event_id is not None:
            self.kinds["events"] = None
            if record.computer and len(self.computers) < MAX_COMPUTERS:
                self.computers[record.computer[:255]] = None
        elif record.component == "DNS cache":
            self.kinds["dns"] = None
        else:
            self.kinds["log" if record.time or record.component else "text"] = None


class _Scan:
    def __init__(
        self,
        probes: Sequence[Probe],
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.matcher = Matcher(probes)
        self.hits: list[Hit] = []
        self.problems: list[str] = list(self.matcher.problems)
        self.readable = 0
        self.bytes_read = 0
        self.total = 0
        self.progress = progress
        self.cancelled = cancelled
        self.pool: ThreadPoolExecutor | None = None
        self.was_cancelled = False
        self.names: list[str] = []
        self.unzip_left = MAX_UNZIPPED
        self.unzip_cut = False
        self.facts: dict[str, _Facts] = {}

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def fact(self, name: str) -> _Facts:
        found = self.facts.get(name)
        if found is None:
            found = self.facts[name] = _Facts()
        return found

    def unreadable(self, name: str, text: str) -> None:
        """A problem that means this input holds nothing a check can read."""
        self.fact(name).problem = text
        self.problem(f"{name}: {text}")

    def report(self) -> ScanReport:
        if self.unzip_cut:
            self.problem(
                f"the .zip files unpack to more than {MAX_UNZIPPED >> 30} GiB; reading stopped there and the "
                "members after it were not read"
            )
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        files = [
            EvidenceFile(name, tuple(f.kinds), tuple(f.computers), f.problem) for name, f in self.facts.items()
        ]
        return ScanReport(
            self.hits, self.problems, self.readable, self.bytes_read, self.was_cancelled, self.names, files
        )

    def _met(self, tally: Tally, entry: FileEntry) -> None:
        """Counts a file for folder signatures and remembers its name for the checks it may answer."""
        self.names.append(entry.name.lower())
        tally.add(self.matcher, entry)

    def run(self, paths: Sequence[str | os.PathLike[str]]) -> ScanReport:
        names = list(dict.fromkeys(os.fspath(p) for p in paths))
        self.total = sum(_measure(name) for name in names)
        try:
            for name in names:
                self._check_cancel()
                self._top(name)
        except _Cancelled:
            self.was_cancelled = True
            self.problem("scan cancelled; the hits so far are listed")
        self._tell()
        return self.report()

    def run_text(self, text: str, name: str) -> ScanReport:
        data = text.encode("utf-8", "surrogatepass")
        self.total = len(data)
        if not text.strip():
            self.problem(f"{name}: nothing was pasted")
            return self.report()
        try:
            self._guarded(name, lambda: self._stream(name, io.BytesIO(data), None, depth=0, pasted=True))
        except _Cancelled:
            self.was_cancelled = True
            self.problem("scan cancelled; the hits so far are listed")
        return self.report()

    def _check_cancel(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise _Cancelled

    def _tell(self) -> None:
        if self.progress is not None:
            self.progress(self.bytes_read, max(self.total, self.bytes_read))

    def _read(self, fh: BinaryIO, size: int) -> bytes:
        self._check_cancel()
        data = fh.read(size)
        self.bytes_read += len(data)
        self._tell()
        return data

    def _top(self, name: str) -> None:
        try:
            info = os.stat(name)
        except FileNotFoundError:
            if os.path.lexists(name):
                self.problem(f"{name}: broken link; skipped")
            else:
                self.problem(f"{name}: no such file or folder")
            return
        except PermissionError:
            self.problem(f"{name}: permission denied")
            return
        except OSError as exc:
            self.problem(f"{name}: cannot be read ({exc.strerror or exc})")
            return
        if stat.S_ISDIR(info.st_mode):
            self._folder(name)
            return
        tally = Tally(root=name, reference=datetime.now())
        self._met(tally, _entry_for(name, info))
        self._file(name, name, info)
        self._emit_tally(tally)

    def _folder(self, root: str) -> None:
        tally = Tally(root=root, reference=datetime.now())

        def unreadable(exc: OSError) -> None:
            where = exc.filename or root
            if isinstance(exc, PermissionError):
                self.problem(f"{where}: permission denied")
            else:
                self.problem(f"{where}: cannot be listed ({exc.strerror or exc})")

        files = 0
        for folder, filenames in walk_folders(root, unreadable):
            for filename in sorted(filenames, key=_log_order):
                self._check_cancel()
                path = os.path.join(folder, filename)
                try:
                    info = os.stat(path)
                except OSError as exc:
                    unreadable(exc)
                    continue
                if not stat.S_ISREG(info.st_mode):
                    continue
                files += 1
                self._met(tally, _entry_for(path, info))
                if _extension(filename) in _CONTENT_FREE:
                    continue
                self._file(path, path, info)
        if files == 0:
            self.problem(f"{root}: the folder has no files")
            return
        self.readable += 1
        self.fact(root).kinds["folder"] = None
        self._emit_tally(tally)

    def _file(self, name: str, path: str, info: os.stat_result) -> None:
        if not stat.S_ISREG(info.st_mode):
            self.problem(f"{name}: not a regular file; skipped")
            return
        try:
            fh = open(path, "rb", buffering=0)  # noqa: SIM115
        except PermissionError:
            self.problem(f"{name}: permission denied")
            return
        except OSError as exc:
            self.problem(f"{name}: cannot be opened ({exc.strerror or exc})")
            return
        with fh:
            self._guarded(name, lambda: self._stream(name, fh, path, depth=0))

    def _guarded(self, name: str, work: Callable[[], None]) -> None:
        """Runs one input's reader; whatever goes wrong inside becomes a problem line for that input."""
        try:
            work()
        except _Cancelled:
            raise
        except _UnzipLimit:
            self.problem(f"{name}: not read to its end; the unzip limit was reached")
        except PermissionError:
            self.problem(f"{name}: permission denied")
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
            self.problem(f"{name}: read failed ({getattr(exc, 'strerror', None) or exc})")
        except Exception as exc:  # a reader bug must not end the whole scan
            self.problem(f"{name}: could not be scanned ({type(exc).__name__}: {exc})")

    def _stream(
        self,
        name: str,
        fh: BinaryIO,
        path: str | None,
        depth: int,
        pasted: bool = False,
    ) -> None:
        head = self._read(fh, SNIFF_SIZE)
        if not head:
            self.unreadable(name, "empty file")
            return
        if head.startswith(b"ElfFile\x00"):
            self._with_path(name, fh, head, path, self._evtx)
            return
        if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
            if depth >= MAX_ZIP_DEPTH:
                self.problem(f"{name}: a .zip nested too deep; skipped")
                return
            self._with_path(name, fh, head, path, lambda n, p: self._zip(n, p, depth + 1))
            return
        if is_evt(head):
            self.readable += 1
            self.fact(name).kinds["events"] = None
            sink = _FileSink(self, name)
            chunks: Iterator[bytes] = itertools.chain([head], self._raw_chunks(fh))
            self._match_records(read_evt(chunks, self._problem_for(name)), name, sink)
            sink.close()
            return
        codec, bom = detect_encoding(head)
        if codec == BINARY:
            self.unreadable(name, "binary data, not a log, event export or listing; skipped")
            return
        transcoder = Transcoder(codec)
        chunks = self._text_chunks(fh, head[bom:], transcoder)
        first = next(chunks, b"")
        if not first.strip():
            rest = next(chunks, None)
            if rest is None:
                self.unreadable(name, "empty file" if not first else "only blank lines")
                return
            first += rest
        self.readable += 1
        sample = first[:SNIFF_SIZE].decode("utf-8", "replace")
        stream = itertools.chain([first], chunks)
        sink = _FileSink(self, name)
        kind = _sniff(sample, pasted)
        problem = self._problem_for(name)
        facts = self.fact(name)
        if kind == CMTRACE or (kind == LINES and "$$<" in sample):
            facts.kinds["log"] = None
        elif kind == LINES:
            facts.kinds["document" if _looks_like_document(sample) else "text"] = None
        elif kind in (EVENT_XML, EVENT_CSV):
            facts.kinds["events"] = None
        if kind in (LINES, CMTRACE):
            pool = self._pool() if depth == 0 and not pasted else None
            LogScanner(self.matcher, kind, name, sink, pool, WORKERS).run(stream)
        elif kind == EVENT_XML:
            self._match_records(read_event_xml(stream, problem), name, sink)
        elif kind == EVENT_CSV:
            layout = csv_layout(sample)
            assert layout is not None
            sink.windowed = False
            lines = iter_lines(stream, sink.overlong)
            self._match_records(read_event_csv(lines, layout[0], layout[1], problem), name, sink)
        else:
            listing = Tally(root=name)
            lines = iter_lines(stream, sink.overlong, windows=True)

            def listed(entry: FileEntry) -> None:
                facts.kinds["listing"] = None
                listing.add(self.matcher, entry)

            records = read_mixed(lines, listed, lambda: facts.kinds.setdefault("listing", None))
            self._match_records(records, name, sink)
            self._emit_tally(listing)
        sink.close()
        if transcoder.nuls:
            self.problem(
                f"{name}: {transcoder.nuls} NUL byte{'s' if transcoder.nuls != 1 else ''} (such as a crash leaves "
                "in a log) were skipped; the text around them was read"
            )
        if transcoder.truncated:
            self.problem(f"{name}: ends in the middle of a UTF-16 character; the file looks truncated")

    def _problem_for(self, name: str) -> Callable[[str], None]:
        return lambda text: self.problem(f"{name}: {text}")

    def _match_records(self, records: Iterator[Record], name: str, sink: _FileSink) -> None:
        """Matches each record; a probe counts once per line, so the overlapping windows of one long line
        (which share a line number) do not report the same match twice."""
        match = self.matcher.match
        seen: set[int]
        line, seen = -1, set()
        facts = self.fact(name)
        for count, record in enumerate(records, start=1):
            if count % 4096 == 0:
                self._check_cancel()
            facts.record(record)
            found = match(record, name, sink.excluded)
            if found:
                if record.line != line:
                    line, seen = record.line, set()
                found = [(index, hit) for index, hit in found if index not in seen]
                seen.update(index for index, _ in found)
                if found:
                    sink.add(found)

    def _raw_chunks(self, fh: BinaryIO) -> Iterator[bytes]:
        while True:
            raw = self._read(fh, CHUNK_SIZE)
            if not raw:
                return
            yield raw

    def _text_chunks(self, fh: BinaryIO, first: bytes, transcoder: Transcoder) -> Iterator[bytes]:
        if first:
            yield transcoder.feed(first)
        for raw in self._raw_chunks(fh):
            yield transcoder.feed(raw)
        tail = transcoder.feed(b"", final=True)
        if tail:
            yield tail

    def _pool(self) -> ThreadPoolExecutor | None:
        if WORKERS < 2:
            return None
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="wizard-scan")
        return self.pool

    def _with_path(
        self, name: str, fh: BinaryIO, head: bytes, path: str | None, reader: Callable[[str, str | BinaryIO], None]
    ) -> None:
        """Runs a reader that opens the input itself: by path for a file on disk, or on the member's stream."""
        if path is not None:
            reader(name, path)
            self._skip_rest(fh)
            return
        fh.seek(0)
        reader(name, fh)

    def _skip_rest(self, fh: BinaryIO) -> None:
        """Accounts for the bytes of a file a library reads by itself."""
        try:
            here = fh.tell()
            end = fh.seek(0, os.SEEK_END)
        except OSError:
            return
        self.bytes_read += max(0, end - here)
        self._tell()

    def _evtx(self, name: str, source: str | BinaryIO) -> None:
        self.readable += 1
        self.fact(name).kinds["events"] = None
        sink = _FileSink(self, name)
        self._match_records(read_evtx(source, self._problem_for(name)), name, sink)
        sink.close()
        if self.unzip_cut:
            raise _UnzipLimit

    def _zip(self, name: str, source: str | BinaryIO, depth: int) -> None:
        try:
            archive = zipfile.ZipFile(source)
        except _UnzipLimit:
            raise
        except (zipfile.BadZipFile, OSError) as exc:
            self.problem(f"{name}: not a readable .zip ({exc})")
            return
        with archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if not members:
                self.problem(f"{name}: the .zip has no files")
                return
            self.readable += 1
            self.fact(name).kinds["folder"] = None
            tally = Tally(root=name)
            for info in sorted(members, key=lambda i: _log_order(i.filename)):
                self._check_cancel()
                member = f"{name}/{info.filename}"
                folder, filename = posixpath.split(member)
                try:
                    when: datetime | None = datetime(*info.date_time)
                except ValueError:
                    when = None
                self._met(tally, FileEntry(folder, filename, when))
                if _extension(filename) in _CONTENT_FREE:
                    continue
                if info.flag_bits & 0x1:
                    self.problem(f"{member}: encrypted in the .zip; skipped")
                    continue
                if info.file_size == 0:
                    self.problem(f"{member}: empty file")
                    continue

                def read_member(info: zipfile.ZipInfo = info, member: str = member) -> None:
                    with archive.open(info) as fh:
                        self._stream(member, _ZipMember(fh, self), None, depth=depth)  # type: ignore[arg-type]

                if self.unzip_left <= 0:
                    self.unzip_cut = True
                    break
                self._guarded(member, read_member)
            self._emit_tally(tally)

    def _emit_tally(self, tally: Tally) -> None:
        for _, hit in tally.hits(self.matcher):
            self.hits.append(hit)


def _sniff(sample: str, pasted: bool) -> str:
    start = sample.lstrip("\ufeff \t\r\n")[:200]
    if start.startswith(("<?xml", "<Events", "<Event ", "<Event>")) and "<Event" in sample:
        return EVENT_XML
    if csv_layout(sample) is not None:
        return EVENT_CSV
    if pasted:
        return MIXED
    if "<![LOG[" in sample:
        return CMTRACE
    if "$$<" in sample:
        return LINES
    if looks_mixed(sample):
        return MIXED
    return LINES


def walk_folders(root: str, onerror: Callable[[OSError], None]) -> Iterator[tuple[str, list[str]]]:
    """(folder, names of the files in it) for root and every folder below it, top down, subfolders in name order.

    Iterative, so a tree nested thousands of levels deep cannot exhaust the interpreter's stack (os.walk recurses
    before Python 3.12). Links to folders are not followed, as os.walk does by default.
    """
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError as exc:
            onerror(exc)
            continue
        files: list[str] = []
        subfolders: list[str] = []
        for entry in listed:
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            (subfolders if is_folder else files).append(entry.name)
        yield folder, files
        stack.extend(os.path.join(folder, name) for name in sorted(subfolders, key=str.lower, reverse=True))
def _looks_like_document(sample: str) -> bool:
    """Prose about evidence, not evidence: a Markdown page (it opens with a heading), such as a case's README, or a
    practice case file (its first field is `case:`)."""
    for line in sample.splitlines()[:20]:
        text = line.lstrip("\ufeff").rstrip()
        if not text or text.startswith("# yaml-language-server"):
            continue
        return _DOCUMENT_START.match(text) is not None or _CASE_FILE_START.match(text) is not None
    return False


def _extension(filename: str) -> str:
    return os.path.splitext(filename)[1].lower()


def _log_order(filename: str) -> tuple[str, int, str]:
    """Sort key that puts a rolled `x.lo_` (older lines) before its `x.log`."""
    stem, ext = os.path.splitext(filename.lower())
    return (stem, 0 if ext == ".lo_" else 1, filename.lower())


def _entry_for(path: str, info: os.stat_result) -> FileEntry:
    folder, filename = os.path.split(os.path.abspath(path))
    return FileEntry(folder, filename, datetime.fromtimestamp(info.st_mtime))


def _measure(name: str) -> int:
    """Bytes a scan of this path will read, for progress."""
    try:
        info = os.stat(name)
        if not stat.S_ISDIR(info.st_mode) and not stat.S_ISREG(info.st_mode):
            return 0
        if stat.S_ISDIR(info.st_mode):
            total = 0
            for folder, files in walk_folders(name, lambda exc: None):
                for filename in files:
                    if _extension(filename) in _CONTENT_FREE:
                        continue
                    try:
                        total += os.path.getsize(os.path.join(folder, filename))
                    except OSError:
                        pass
            return total
        size = info.st_size
        if zipfile.is_zipfile(name):
            with zipfile.ZipFile(name) as archive:
                return size + sum(i.file_size for i in archive.infolist())
        return size
    except (OSError, zipfile.BadZipFile):
        return 0


def scan(
    paths: Sequence[str | os.PathLike[str]],
    probes: Sequence[Probe],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ScanReport:
    """Every probe matched against every file, folder and .zip in `paths`."""
    return _Scan(probes, progress, cancelled).run(paths)


def scan_text(text: str, probes: Sequence[Probe], name: str = "<pasted>") -> ScanReport:
    """Every probe matched against pasted text: log lines, event text, a dir listing, displaydns output."""
    return _Scan(probes, None, None).run_text(text, name)


