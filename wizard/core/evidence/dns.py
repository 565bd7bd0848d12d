"""`ipconfig /displaydns` output: one record per cached answer, as `NAME TYPE DATA TTL SECONDS`.

That one-line form is what literal and regex signatures see, e.g. `dp01.contoso.com A 10.1.2.3 TTL 3599`.
"""

from __future__ import annotations

import re

import re2

from wizard.core.evidence.matcher import Record

_FIELD = re.compile(r"^[ \t]*(?P<key>[A-Za-z][A-Za-z0-9 ()]*)(?:\.[ \t]?)+:(?P<value>.*)$")
"""`Record Name . . . . . : value`; linear: the key cannot hold a dot, so it ends where the dots begin, and the
value runs to the end of the line and is stripped in code."""

MARKER = re2.compile(r"(?i)Record Name[ .]*:")


class DnsCacheReader:
    def __init__(self) -> None:
        self.name = ""
        self.ttl = ""
        self.line = 0

    def take(self, line: str, number: int) -> Record | bool:
        """A record when the line completes one; True for another displaydns field; False if not displaydns."""
        m = _FIELD.match(line)
        if m is None:
            return False
        key = " ".join(m.group("key").lower().split())
        value = m.group("value").strip()
        if key == "record name":
            self.name, self.ttl, self.line = value, "", number
            return True
        if key == "time to live":
            self.ttl = value
            return True
        if key in ("record type", "data length", "section"):
            return True
        if key.endswith("record") and self.name:
            kind = key.removesuffix("record").replace("(host)", "").strip().upper()
            ttl = f" TTL {self.ttl}" if self.ttl else ""
            return Record(self.line, f"{self.name} {kind} {value}{ttl}", component="DNS cache")
        return False
