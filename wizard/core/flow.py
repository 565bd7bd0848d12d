"""What comes next in a walk: the one place that decides what the operator is shown and what needs no one.

Every front end (the headless walk, the full-screen wizard, the plain prompts) asks `settle` to move past what
needs no operator and `pending` for what to put in front of them, and only renders the answer. Evidence given once
lives in an `EvidenceBook` and answers every later check it covers, in this tree and across links.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from wizard.core.model import Capture, Check, Question, Runbook, Tree
from wizard.core.session import (
    AnswerError,
    Citation,
    Session,
    citations_from,
    file_notes,
    proposal_citations,
    validate_value,
)

if TYPE_CHECKING:
    from wizard.core.evidence.hits import EvidenceFile, FileRead, Hit, Proposal, ScanReport

MAX_CITATIONS = 20
EVIDENCE_SOURCE = "the evidence"


@dataclass(frozen=True)
class EvidenceBook:
    """Everything scanned for one walk, kept together so each check reads it as it is reached."""

    paths: tuple[str, ...] = ()
    hits: tuple[Hit, ...] = ()
    names: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    bytes_read: int = 0
    readable: int = 0
    files: tuple[EvidenceFile, ...] = ()
    """What each given file turned out to hold, by content: a check reads the files of the kind it needs."""

    @property
    def empty(self) -> bool:
        return not self.paths and not self.hits

    def with_report(self, report: ScanReport, paths: Iterable[str] = ()) -> EvidenceBook:
        """The book with one more scan added (its paths, if any, are remembered for the walk)."""
        return self.merged(
            EvidenceBook(
                paths=tuple(paths),
                hits=tuple(report.hits),
                names=tuple(report.names),
                problems=tuple(report.problems),
                bytes_read=report.bytes_read,
                readable=report.inputs_readable,
                files=tuple(report.files),
            )
        )

    def merged(self, other: EvidenceBook) -> EvidenceBook:
        """Both books as one; a path, a match or a problem met twice (the same evidence read again) is kept once."""
        return EvidenceBook(
            paths=tuple(dict.fromkeys(self.paths + other.paths)),
            hits=tuple(dict.fromkeys(self.hits + other.hits)),
            names=tuple(dict.fromkeys(self.names + other.names)),
            problems=tuple(dict.fromkeys(self.problems + other.problems)),
            bytes_read=self.bytes_read + other.bytes_read,
            readable=self.readable + other.readable,
            files=tuple({f.name: f for f in self.files + other.files}.values()),
        )

    def short_name(self, file: str) -> str:
        """A file as the operator knows it: relative to the folder or zip they gave, when it came from one."""
        for root in self.paths:
            base = root.rstrip("/\\")
            if file == base:  # a file given by itself: its name is enough
                return file.replace("\\", "/").rsplit("/", 1)[-1]
            if file.startswith(base) and file[len(base) : len(base) + 1] in ("/", "\\", "!", ":"):
                return file[len(base) + 1 :] or file
        return file

    def hits_for(self, tree: str, node: str) -> list[Hit]:
        return [h for h in self.hits if h.tree == tree and h.node == node]

    def values_for(self, name: str) -> dict[str, list[Hit]]:
        """Every value the evidence captured under `name`, with the hits that gave it, in order of first sight."""
        found: dict[str, list[Hit]] = {}
        for hit in self.hits:
            value = hit.captures.get(name)
            if value:
                found.setdefault(value, []).append(hit)
        return found


def read_book(
    paths: Sequence[str | os.PathLike[str]],
    catalog: Iterable[Tree],
    *,
    text: str = "",
    book: EvidenceBook | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> EvidenceBook:
    """Scan files, folders, zips and pasted text for every signature of every tree; add them to `book`."""
    from wizard.core.evidence import probes_for, scan, scan_text

    book = book or EvidenceBook()
    probes = probes_for(catalog)
    if paths:
        names = [os.fspath(p) for p in paths]
        book = book.with_report(scan(names, probes, progress=progress, cancelled=cancelled), names)
    if text.strip():
        book = book.with_report(scan_text(text, probes))
    return book


@dataclass(frozen=True)
class Reading:
    """What the evidence says at one check: the hits that are this check's, and the answer they propose."""

    hits: tuple[Hit, ...]
    proposal: Proposal | None
    """None when none of the given files holds what the check reads: then it proposes nothing."""
    others: int = 0
    """Hits for other steps, counted so the operator knows the evidence was read."""
    files: tuple[FileRead, ...] = ()
    """Each given file, read or skipped for this check, and why."""

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The lines behind the proposal: those that decided, the other side, those about something else."""
        if self.proposal is None:
            return ()
        return proposal_citations(self.proposal, MAX_CITATIONS)

    @property
    def captures(self) -> dict[str, str]:
        """Values the deciding lines name (never those of lines about another object)."""
        return dict(self.proposal.captures) if self.proposal is not None else {}

    @property
    def contested(self) -> bool:
        return bool(self.proposal is not None and self.proposal.contested)


def read_check(
    session: Session,
    book: EvidenceBook,
    *,
    extra: Sequence[Hit] = (),
    by_hand: bool = False,
    pasted: bool = False,
) -> Reading | None:
    """The evidence's reading of the check the walk stands at (None when the walk is not at a check).

    `extra` are hits scanned at this check only (pasted text, a file picked by hand): they always count here.
    """
    from wizard.core.evidence import propose
    from wizard.core.listvalues import list_names

    check = session.node
    if not isinstance(check, Check):
        return None
    tree = session.tree_id
    every = [*book.hits, *extra]
    mine = [h for h in every if h.tree == tree and h.node == check.id]
    proposal = propose(
        check, mine, tree, known=session.values, any_file=by_hand, files=book.files, lists=list_names(session.tree)
    )
    covered = proposal.read_any or pasted or by_hand
    return Reading(tuple(mine), proposal if covered else None, len(every) - len(mine), tuple(proposal.files))


@dataclass(frozen=True)
class Pending:
    """What the operator is to do next, decided here and only drawn by the screens."""

    session: Session
    kind: Literal["question", "check", "value", "runbook"]
    capture: Capture | None = None
    """A value still to be typed at this step (with or without choices after it)."""
    prefill: str = ""
    prefill_source: str = ""
    """Where `prefill` comes from, in words: typed before going back, or the evidence line that gave it."""
    reading: Reading | None = None
    preselect: str | None = None
    """The choice the cursor starts on: the one the evidence proposes (None: the operator chooses)."""
    known: tuple[tuple[str, str], ...] = ()
    """(label, value) of this step's value when the walk already knows it."""

    @property
    def proposed(self) -> str | None:
        return self.reading.proposal.choice if self.reading and self.reading.proposal else None

    @property
    def from_evidence(self) -> bool:
        """Whether the value offered in the box was read from the evidence (not typed before)."""
        return bool(self.prefill) and self.prefill_source.startswith(EVIDENCE_SOURCE)


def pending(session: Session, book: EvidenceBook | None = None) -> Pending:
    """What to put in front of the operator at `session`'s current step."""
    node = session.node
    if isinstance(node, Runbook):
        return Pending(session, "runbook")
    assert isinstance(node, (Question, Check))
    capture = session.needs_value()
    known: tuple[tuple[str, str], ...] = ()
    if node.capture is not None and capture is None:
        known = ((node.capture.label, session.values[node.capture.name]),)
    reading = read_check(session, book) if book is not None and isinstance(node, Check) else None
    prefill, source = "", ""
    if capture is not None:
        recalled = session.recalled()
        if recalled is not None:
            prefill, source = recalled, "the value you gave before going back"
        elif reading is not None and reading.captures.get(capture.name):
            prefill, source = _checked(capture, reading.captures[capture.name], reading.hits)
        elif book is not None:
            prefill, source = evidence_value(capture, book)
    preselect = reading.proposal.choice if reading and reading.proposal and reading.proposal.choice else None
    if not node.choices:
        kind: Literal["question", "check", "value", "runbook"] = "value"
    else:
        kind = "check" if isinstance(node, Check) else "question"
    return Pending(session, kind, capture, prefill, source, reading, preselect, known)


def evidence_value(capture: Capture, book: EvidenceBook) -> tuple[str, str]:
    """A value for `capture` the evidence gave, with the line it came from; empty when none or not valid."""
    for value, hits in book.values_for(capture.name).items():
        found = _checked(capture, value, hits)
        if found[0]:
            return found
    return "", ""


def _checked(capture: Capture, value: str, hits: Sequence[Hit]) -> tuple[str, str]:
    try:
        checked = validate_value(capture, value)
    except AnswerError:
        return "", ""
    first = next((h for h in hits if h.captures.get(capture.name) == value), hits[0] if hits else None)
    if first is None:
        return checked, EVIDENCE_SOURCE
    where = f"{first.file}:{first.line}" if first.line else first.file
    return checked, f"{EVIDENCE_SOURCE} ({where})"


def settle(session: Session, book: EvidenceBook | None = None) -> Session:
    """Move past every step that needs no operator: values the evidence gave without doubt are taken.

    Links and values the walk already knows are crossed by the session itself; here a question that only asks
    for a value is answered when the evidence holds exactly one valid value for it, citing the line it came from.
    """
    if book is None:
        return session
    for _ in range(len(session.catalog.trees[session.tree_id].nodes) + 1):
        node = session.node
        capture = session.needs_value()
        if capture is None or not isinstance(node, (Question, Check)) or node.choices or not capture.next:
            return session
        found = book.values_for(capture.name)
        valid: dict[str, list[Hit]] = {}
        for value, hits in found.items():
            try:
                valid.setdefault(validate_value(capture, value), hits)
            except AnswerError:
                continue
        if len(valid) != 1:
            return session
        value, hits = next(iter(valid.items()))
        session = session.answer(value=value, evidence=citations_from(hits[:MAX_CITATIONS]), auto=True)
    return session


@dataclass(frozen=True)
class Given:
    """Answers and values given up front (the command line, a replayed walk, a practice case's expert)."""

    answers: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    def answer_for(self, tree_id: str, node_id: str) -> tuple[str, str] | None:
        """The (key, choice) given for a node, as TREE:NODE, TREE/NODE or plain NODE."""
        for key in (f"{tree_id}:{node_id}", f"{tree_id}/{node_id}", node_id):
            if key in self.answers:
                return key, self.answers[key]
        return None


def proposal_choice(proposal: Proposal | None) -> str | None:
    return proposal.choice if proposal is not None and proposal.choice else None


def answer_with_evidence(session: Session, choice: str | None, reading: Reading | None, **kwargs: Any) -> Session:
    """Answer the current step, recording what the evidence proposed and the lines behind it."""
    if reading is None or reading.proposal is None:
        return session.answer(choice, **kwargs)
    return session.answer(
        choice,
        proposed=proposal_choice(reading.proposal),
        evidence=reading.citations,
        captures=reading.captures,
        contested=reading.contested,
        files=file_notes(reading.proposal),
        **kwargs,
    )


__all__ = [
    "EvidenceBook",
    "Given",
    "Pending",
    "Reading",
    "answer_with_evidence",
    "pending",
    "read_book",
    "read_check",
    "settle",
]

