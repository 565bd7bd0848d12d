"""Bytes to text: encoding detection, streaming transcoding to UTF-8, display cleaning.

Every reader works on UTF-8 bytes, so a file is transcoded once, chunk by chunk, whatever it was written in:
UTF-8 (with or without BOM), UTF-16 LE/BE (by BOM, or by the pattern of zero bytes when there is none), and
Windows-1252 for old files that are not valid UTF-8. Undecodable bytes become U+FFFD; they never stop a scan.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator

from wizard.core import textsafe

MAX_RECORD = 1 << 20
"""Longest record kept, in bytes; anything beyond is cut and reported."""

clean = textsafe.clean
"""The core's one cleaner (wizard.core.textsafe), kept under this name for the readers."""


def has_control_characters(text: str) -> bool:
    """Whether clean() would remove anything besides turning line breaks and tabs into spaces."""
    return textsafe.has_unsafe(text)


BINARY = "binary"


def detect_encoding(head: bytes) -> tuple[str, int]:
    """(codec, length of the byte-order mark) for a file starting with `head`; codec may be BINARY."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF16_LE) and not head.startswith(codecs.BOM_UTF32_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    sample = head[:8192]
    if b"\x00" in sample:
        pairs = len(sample) // 2
        if pairs == 0:
            return BINARY, 0
        even_zeros = sample[0 : pairs * 2 : 2].count(0)
        odd_zeros = sample[1 : pairs * 2 : 2].count(0)
        if odd_zeros >= 0.3 * pairs and even_zeros <= 0.05 * pairs:
            return "utf-16-le", 0
        if even_zeros >= 0.3 * pairs and odd_zeros <= 0.05 * pairs:
            return "utf-16-be", 0
        return BINARY, 0
    controls = sum(sample.count(bytes([c])) for c in range(0x20) if c not in b"\t\n\r\f\v\x1b")
    if sample and controls > 0.1 * len(sample):
        return BINARY, 0
    return "utf-8", 0


class Transcoder:
    """Turns the raw chunks of one file into UTF-8 chunks, keeping state across chunk boundaries."""

    def __init__(self, codec: str) -> None:
        self.codec = codec
        self.fell_back = False
        self.truncated = False
        strict = codec == "utf-8"
        self._decoder = codecs.getincrementaldecoder(codec)("strict" if strict else "replace")

    def feed(self, raw: bytes, final: bool = False) -> bytes:
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
    chunks: Iterable[bytes], on_overlong: Callable[[int], None], limit: int = MAX_RECORD
) -> Iterator[tuple[int, str]]:
    """(line number, text) for each line of UTF-8 chunks; a line longer than `limit` is cut and reported."""
    carry = b""
    number = 1
    skipping = False
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
                end_of_kept = start + limit
            else:
                end_of_kept = end
            yield number, buf[start:end_of_kept].decode("utf-8", "replace").rstrip("\r")
            number += 1
            start = end + 1
        carry = buf[start:]
        if len(carry) > limit:
            on_overlong(number)
            yield number, carry[:limit].decode("utf-8", "replace")
            carry = b""
            skipping = True
    if carry and not skipping:
        yield number, carry.decode("utf-8", "replace").rstrip("\r")
