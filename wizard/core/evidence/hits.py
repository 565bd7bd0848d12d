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
    event_id: int | None = None
    """Set for an event record; the event's computer is then also a capture named `computer` for a check's scope."""

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
    files: list[EvidenceFile] = field(default_factory=list, hash=False)
    """What each input turned out to hold, by content: the files a check may read (see `propose`)."""


CONTENT_KINDS = ("events", "log", "text", "listing", "dns", "folder", "document")
"""What a file can turn out to hold: event records, ConfigMgr/SMS log records, plain text lines, `dir` listing
entries, DNS cache entries, files of a folder or .zip, or a document about the evidence (a Markdown page, a practice
case file) that is no evidence itself."""


@dataclass(frozen=True)
class EvidenceFile:
    """One input as the scan found it: its name as hits give it, the kinds of content in it, and (for event logs)
    the computers its events came from."""

    name: str
    kinds: tuple[str, ...] = ()
    computers: tuple[str, ...] = ()
    problem: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "kinds": list(self.kinds), "computers": list(self.computers), "problem": self.problem}


@dataclass(frozen=True)
class FileRead:
    """Whether a check read one of the given files, and why (or why not), in words for the operator."""

    file: str
    read: bool
    why: str

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "read": self.read, "why": self.why}


@dataclass(frozen=True)
class Proposal:
    """The choice a check proposes from the hits, and the evidence behind it.

    `hits` are the matches that decided (the same list as `deciding`); `other_side` are matches about the same
    thing that point to another choice; `not_about` are matches about another object (another folder, server,
    site, DP), which never decide. `contested` means the evidence points two ways and the rule (`rule`) picked
    one; `choice` is None when it could not. `files` says which given files the check read and why.
    """

    choice: str | None
    signature: str | None
    hits: list[Hit] = field(hash=False)
    captures: dict[str, str] = field(hash=False)
    contested: bool = False
    other_side: list[Hit] = field(default_factory=list, hash=False)
    not_about: list[Hit] = field(default_factory=list, hash=False)
    rule: str = "any"
    files: tuple[FileRead, ...] = field(default=(), hash=False)
    reasons: dict[tuple[str, int, str], str] = field(default_factory=dict, hash=False, repr=False)
    """Why each hit of `not_about` is about something else, keyed by (file, line, signature)."""

    @property
    def deciding(self) -> list[Hit]:
        return self.hits

    @property
    def read_any(self) -> bool:
        """Whether any given file (or pasted text) held content this check reads."""
        return any(f.read for f in self.files) or bool(self.hits or self.other_side or self.not_about)

    def why_not_about(self, hit: Hit) -> str:
        return self.reasons.get((hit.file, hit.line, hit.signature), "")
