"""Bytes to text: encoding detection, streaming transcoding to UTF-8, display cleaning.

Every reader works on UTF-8 bytes, so a file is transcoded once, chunk by chunk, whatever it was written in:
UTF-8 (with or without BOM), UTF-16 LE/BE (by BOM, or by the pattern of zero bytes when there is none), and
Windows-1252 for old files that are not valid UTF-8. Undecodable bytes become U+FFFD; they never stop a scan.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Iterator

from wizard.core import textsafe

MAX_RECORD = 1 << 20
"""Longest record searched at once, in bytes; a longer one is searched in overlapping windows of this size."""
WINDOW_OVERLAP = 64 << 10
"""Bytes two windows of an overlong record share, so a match up to this long is found even across a window edge."""

clean = textsafe.clean
"""The core's one cleaner (wizard.core.textsafe), kept under this name for the readers."""


def has_control_characters(text: str) -> bool:
    """Whether clean() would remove anything besides turning line breaks and tabs into spaces."""
    return textsafe.has_unsafe(text)


BINARY = "binary"
_TEXT_CONTROLS = bytes(c for c in range(1, 0x20) if c not in b"\t\n\r\f\v\x1b")


def detect_encoding(head: bytes) -> tuple[str, int]:
    """(codec, length of the byte-order mark) for a file starting with `head`; codec may be BINARY.

    NUL bytes alone do not make a file binary: a log padded with NULs after a crash is still a log. Binary is
    decided by proportion: control bytes (other than NUL) among the rest, once there is enough of it to judge.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF16_LE) and not head.startswith(codecs.BOM_UTF32_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    first = head[:8192]
    if b"\x00" in first:
        pairs = len(first) // 2
        if pairs:
            even_zeros = first[0 : pairs * 2 : 2].count(0)
            odd_zeros = first[1 : pairs * 2 : 2].count(0)
            if odd_zeros >= 0.3 * pairs and even_zeros <= 0.05 * pairs:
                return "utf-16-le", 0
            if even_zeros >= 0.3 * pairs and odd_zeros <= 0.05 * pairs:
                return "utf-16-be", 0
    if _looks_binary(head):
        return BINARY, 0
    return "utf-8", 0


_NUL_RUN = re.compile(rb"\x00+")


def _looks_binary(sample: bytes) -> bool:
    """Whether the sample is binary data rather than text with some NUL padding in it.

    A crash pads a log with a few long runs of NULs; binary data has NULs scattered all through it and many
    control bytes among the rest. A head of nothing but NULs is left to the text readers: what follows decides.
    """
    rest = len(sample) - sample.count(0)
    if rest == 0:
        return False
    controls = len(sample) - len(sample.translate(None, _TEXT_CONTROLS))
    if controls > 0.1 * rest:
        return True
    runs = sum(1 for _ in _NUL_RUN.finditer(sample)) if rest < len(sample) else 0
    return runs > max(8, len(sample) >> 10)


class Transcoder:
    """Turns the raw chunks of one file into UTF-8 chunks, keeping state across chunk boundaries."""

    def __init__(self, codec: str) -> None:
        self.codec = codec
        self.fell_back = False
        self.truncated = False
        self.nuls = 0
        """NUL bytes dropped from a single-byte text (crash padding); UTF-16 keeps its own."""
        strict = codec == "utf-8"
        self._decoder = codecs.getincrementaldecoder(codec)("strict" if strict else "replace")

    def feed(self, raw: bytes, final: bool = False) -> bytes:
        if not self.codec.startswith("utf-16") and b"\x00" in raw:
            before = len(raw)
            raw = raw.replace(b"\x00", b"")
            self.nuls += before - len(raw)
        if self.codec == "utf-8" and not self.fell_back:
            pending = self._decoder.getstate()[0]
            if not pending and raw.isascii():
                return raw
            try:
                return self._decoder.decode(raw, final).encode("utf-8")
            except UnicodeDecodeError:
                self.fell_back = True
                self._decoder = codecs.getincrementaldecoder("cp1252")("replace")
                return self._decoder.decode(pending + raw, final).encode("utf-8")
        if final and self._decoder.getstate()[0]:
            self.truncated = True
        return self._decoder.decode(raw, final).encode("utf-8", "replace")

    @property
    def described(self) -> str:
        if self.fell_back:
            return "windows-1252"
        return self.codec


def iter_lines(
    chunks: Iterable[bytes],
    on_overlong: Callable[[int], None],
    limit: int = MAX_RECORD,
    *,
    windows: bool = False,
    overlap: int = WINDOW_OVERLAP,
) -> Iterator[tuple[int, str]]:
    """(line number, text) for each line of UTF-8 chunks; a line longer than `limit` is reported.

    Without `windows` only its first `limit` bytes are kept. With `windows` all of it is handed out as
    overlapping pieces of at most `limit` bytes under the same line number, so memory stays bounded and a match
    no longer than `overlap` is never split.
    """
    carry = b""
    number = 1
    skipping = False
    step = max(1, limit - overlap)
    for chunk in chunks:
        buf = carry + chunk if carry else chunk
        start = 0
        if skipping:
            end = buf.find(b"\n")
            if end < 0:
                carry = b""
                continue
            skipping = False
            number += 1
            start = end + 1
        while True:
            end = buf.find(b"\n", start)
            if end < 0:
                break
            if end - start > limit:
                on_overlong(number)
                if windows:
                    yield from _windows(buf, start, end, number, limit, step)
                    number += 1
                    start = end + 1
                    continue
                end_of_kept = start + limit
            else:
                end_of_kept = end
            yield number, buf[start:end_of_kept].decode("utf-8", "replace").rstrip("\r")
            number += 1
            start = end + 1
        carry = buf[start:]
        if len(carry) > limit:
            on_overlong(number)
            if windows:
                cut = len(carry) - overlap
                for at in range(0, cut, step):
                    yield number, carry[at : min(at + limit, len(carry))].decode("utf-8", "replace")
                carry = carry[len(carry) - overlap :]
                continue
            yield number, carry[:limit].decode("utf-8", "replace")
            carry = b""
            skipping = True
    if carry and not skipping:
        yield number, carry.decode("utf-8", "replace").rstrip("\r")


def _windows(buf: bytes, start: int, end: int, number: int, limit: int, step: int) -> Iterator[tuple[int, str]]:
    at = start
    while True:
        stop = min(at + limit, end)
        yield number, buf[at:stop].decode("utf-8", "replace").rstrip("\r")
        if stop >= end:
            return
        at += step
