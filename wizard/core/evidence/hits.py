"""The records the evidence engine hands out: what to look for, what was found, what a check should propose."""

from __future__ import annotations

from dataclasses import dataclass, field

from wizard.core.model import Signature


@dataclass(frozen=True)
class Probe:
    """One signature of one check node, tagged with where it came from."""

    tree: str
    node: str
    signature: Signature


@dataclass(frozen=True)
class Hit:
    """One record (or, for a file signature, one folder) that matched a probe.

    For a file signature `line` is 0, `text` is the matching path (the oldest one when several match) and
    `captures` holds the count under the signature's `count_as` name.
    """

    tree: str
    node: str
    signature: str
    file: str
    line: int
    time: str
    component: str
    text: str
    captures: dict[str, str] = field(default_factory=dict, hash=False)
    severity: str = ""
    computer: str = ""
    offset: int | None = None
    """For a record too long to search at once: the byte offset of the match within it."""

    def as_dict(self) -> dict[str, object]:
        extra: dict[str, object] = {} if self.offset is None else {"offset": self.offset}
        return {
            "tree": self.tree,
            "node": self.node,
            "signature": self.signature,
            "file": self.file,
            "line": self.line,
            "time": self.time,
            "component": self.component,
            "text": self.text,
            **extra,
        }


@dataclass(frozen=True)
class ScanReport:
    hits: list[Hit] = field(hash=False)
    problems: list[str] = field(hash=False)
    inputs_readable: int
    bytes_read: int
    cancelled: bool = False
    names: list[str] = field(default_factory=list, hash=False)
    """Lower-cased names of every file met (in folders and .zip files too), read or only counted."""


@dataclass(frozen=True)
class Proposal:
    """The choice a check proposes from the hits, and the evidence behind it."""

    choice: str
    signature: str | None
    hits: list[Hit] = field(hash=False)
    captures: dict[str, str] = field(hash=False)
