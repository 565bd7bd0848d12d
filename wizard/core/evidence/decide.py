"""How a check decides from its matches, as an engineer reads a log: which files speak to the question, which
lines are about the object in question, and what the newest state is.

1. Files. A check reads every given file whose content is of the kind it needs (`evidence.kind`): event records,
   ConfigMgr/SMS log records, a folder or listing, plain text. The file name is only a hint. A Markdown page (a
   case's README) is never evidence. Pasted text is always read.
2. Records. Matches of one record (an event, a log line) are judged together: their named captures, plus the
   event's computer as `computer`, say what the record is about.
3. The object. `scope` maps a capture name to a value name of the walk. A record whose capture disagrees with a
   value already known is "not about this" and never decides. A value not known yet tells the records about
   different objects apart instead (two DPs, two servers). A log line that names no object is about the object of
   the line before it in the same file.
4. Time. The records go on one timeline: by their time, and in file order where a line has none.
5. The rule. `decide: any` (the default): the first signature, in the check's order, that matched a record about
   this decides; the matches pointing elsewhere are kept as the other side. `decide: newest`: for each object the
   newest episode gives its state; the check's first signature is the state that ends an episode (back to normal,
   download done), and within the current episode the signature order decides. When the objects end in
   different states, or records of the same moment disagree, the proposal is contested: the check's signature
   order picks among them and both sides are kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from wizard.core.evidence.hits import EvidenceFile, FileRead, Hit, Proposal
from wizard.core.evidence.matcher import wildcard_match
from wizard.core.model import Check

RULES = ("any", "newest")
COMPUTER = "computer"
"""The capture name under which an event record offers the computer it was logged on."""

READS: dict[str, tuple[str, ...]] = {
    "events": ("events",),
    "log": ("log",),
    "folder": ("folder", "listing"),
    "command": ("text", "dns", "listing"),
    "text": ("events", "log", "text", "listing", "dns", "folder"),
}
"""Content kinds each kind of check evidence reads."""

KIND_WORDS = {
    "events": "event records",
    "log": "ConfigMgr/SMS log records",
    "text": "plain text",
    "listing": "a folder listing",
    "dns": "DNS cache entries",
    "folder": "a folder of files",
    "document": "a document about the evidence (a README or a case file)",
}

_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?")
_SPACES = re.compile(r"\s+")
_FOLDER_ROOTS = ("ipm_subtree", "public folders", "all public folders")


# ---------------------------------------------------------------------------------------------- the object


def normal_value(value: str) -> str:
    """A value as it is compared: case and spacing ignored, one kind of path separator, no outer separators."""
    text = _SPACES.sub(" ", value.strip().casefold()).replace("/", "\\").strip("\\ ")
    for root in _FOLDER_ROOTS:
        if text == root:
            return ""
        if text.startswith(root + "\\"):
            return text[len(root) + 1 :]
    return text


def same_object(found: str, known: str) -> bool:
    """Whether a value read from a record names the same thing as a value the walk knows.

    Case, spaces and slashes do not matter; a public folder path may start with IPM_SUBTREE (or Public Folders)
    or not; a short host name equals a fully qualified one that starts with it (EXHQ01 and exhq01.corp.contoso.com).
    """
    a, b = normal_value(found), normal_value(known)
    if a == b:
        return True
    if ("." in a) != ("." in b) and "\\" not in a + b and " " not in a + b:
        return a.split(".", 1)[0] == b.split(".", 1)[0]
    return False


# ---------------------------------------------------------------------------------------------- files


def plan_reads(
    check: Check, files: Sequence[EvidenceFile] | None, hits: Sequence[Hit], scope: Mapping[str, str],
    known: Mapping[str, str], any_file: bool,
) -> tuple[list[FileRead], set[str]]:
    """Which given files the check reads, with the reason for each; and the set of names read."""
    needed = READS.get(check.evidence.kind, READS["text"])
    with_hits = {h.file for h in hits}
    listed = list(files) if files is not None else [EvidenceFile(name) for name in dict.fromkeys(h.file for h in hits)]
    reads: list[FileRead] = []
    names: set[str] = set()
    server_value = scope.get(COMPUTER, "")
    server = known.get(server_value, "") if server_value else ""
    for item in listed:
        name, kinds = item.name, item.kinds
        hint = _name_hint(check, name)
        what = ", ".join(KIND_WORDS.get(k, k) for k in kinds) or "nothing readable"
        if name.startswith("<"):
            reads.append(FileRead(name, True, "pasted text is always read"))
            names.add(name)
            continue
        if item.problem and not kinds:
            reads.append(FileRead(name, False, f"not read: {item.problem}"))
            continue
        if kinds == ("folder",) and "folder" not in needed and name not in with_hits:
            continue  # a folder or .zip only holds the files listed on their own
        if "document" in kinds and not any_file:
            reads.append(FileRead(name, False, f"skipped: {what}, not evidence"))
            continue
        fits = any(k in needed for k in kinds) or not kinds and name in with_hits
        if not (fits or any_file or name in with_hits):
            wanted = " or ".join(KIND_WORDS[k] for k in needed)
            reads.append(FileRead(name, False, f"skipped: holds {what}; this step reads {wanted}{hint}"))
            continue
        if server and item.computers and not any(same_object(c, server) for c in item.computers):
            others = ", ".join(_short(c) for c in item.computers[:3])
            reads.append(FileRead(
                name, False,
                f"skipped: its events were logged on {others}; this step is about {_short(server)} ({server_value})",
            ))
            continue
        names.add(name)
        if not kinds:
            reads.append(FileRead(name, True, "read: it holds lines this step looks for"))
        elif fits:
            where = f" logged on {', '.join(_short(c) for c in item.computers[:3])}" if item.computers else ""
            reads.append(FileRead(name, True, f"read: {what}{where}{hint}"))
        elif any_file:
            reads.append(FileRead(name, True, f"read: pointed at by hand ({what})"))
        elif kinds == ("folder",):
            reads.append(FileRead(name, True, "read: files in this folder match what this step looks for"))
        else:
            reads.append(FileRead(name, True, f"read: holds {what}, and lines in it match what this step looks for"))
    return reads, names


def _name_hint(check: Check, name: str) -> str:
    base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    for glob in check.evidence.files:
        if wildcard_match(base, glob):
            return f"; the name fits {glob}"
    return ""


# ---------------------------------------------------------------------------------------------- records


@dataclass
class _Record:
    """The matches of one record (or, for file signatures, one signature's folder match)."""

    hits: list[Hit]
    captures: dict[str, str]
    order: int
    file_index: int
    time: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    counted: list[Hit] = field(default_factory=list)
    choice: str | None = None
    rank: int = 0
    why_not: str = ""

    @property
    def when(self) -> tuple[str, int, int]:
        return (self.time, self.file_index, self.order)


def _time_key(stamp: str) -> str:
    m = _TIME.match(stamp.strip())
    if m is None:
        return ""
    year, month, day, hour, minute, second, fraction = m.groups()
    return f"{year}-{month}-{day} {hour}:{minute}:{second}{(fraction or '.0')[1:7].ljust(6, '0')}"


def _records(hits: Sequence[Hit]) -> list[_Record]:
    """Hits grouped by record, in file order, each with its captures and its place on the timeline."""
    by_key: dict[tuple[str, int, str], _Record] = {}
    files: dict[str, int] = {}
    for hit in hits:
        file_index = files.setdefault(hit.file, len(files))
        key = (hit.file, hit.line, hit.signature if hit.line == 0 else "")
        record = by_key.get(key)
        if record is None:
            record = by_key[key] = _Record([], {}, len(by_key), file_index)
        record.hits.append(hit)
        if hit.computer:
            record.captures.setdefault(COMPUTER, hit.computer)
        for name, value in hit.captures.items():
            record.captures.setdefault(name, value)
    records = sorted(by_key.values(), key=lambda r: (r.file_index, r.hits[0].line, r.order))
    last_time: dict[int, str] = {}
    for record in records:
        stamp = _time_key(record.hits[0].time)
        record.time = stamp or last_time.get(record.file_index, "")
        if stamp:
            last_time[record.file_index] = stamp
    return records


def _judge(check: Check, records: list[_Record], known: Mapping[str, str]) -> None:
    """Counts each record's matches that are about the object of the check; notes why the others are not."""
    ranks = {sig.id: index for index, sig in enumerate(check.signatures)}
    proposes = {sig.id: sig.proposes for sig in check.signatures}
    scopes = {sig.id: dict(sig.scope) if sig.scope is not None else dict(check.scope) for sig in check.signatures}
    for record in records:
        reasons = []
        for hit in sorted(record.hits, key=lambda h: ranks.get(h.signature, len(ranks))):
            clash = _disagreement(scopes.get(hit.signature, dict(check.scope)), record.keys, known)
            if clash:
                reasons.append(clash)
            else:
                record.counted.append(hit)
        if record.counted:
            first = record.counted[0]
            record.choice = proposes.get(first.signature)
            record.rank = ranks.get(first.signature, len(ranks))
        elif reasons:
            record.why_not = reasons[0]


def _disagreement(scope: Mapping[str, str], captures: Mapping[str, str], known: Mapping[str, str]) -> str:
    for capture, value_name in scope.items():
        found = captures.get(capture)
        expected = known.get(value_name)
        if found and expected and not same_object(found, expected):
            return f"about {_short(found)}, not {_short(expected)} ({value_name})"
    return ""


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _inherit_keys(records: list[_Record], key_names: Sequence[str]) -> None:
    """Object keys of each record; a log line that names none takes those of the line before it in its file."""
    previous: dict[int, dict[str, str]] = {}
    for record in records:
        own = {name: record.captures[name] for name in key_names if record.captures.get(name)}
        is_log_line = all(h.event_id is None and h.line > 0 for h in record.hits)
        if not own and is_log_line and record.file_index in previous:
            own = dict(previous[record.file_index])
        record.keys = own
        if own:
            previous[record.file_index] = own


def _compatible(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    return all(same_object(a[name], b[name]) for name in a.keys() & b.keys())


def _objects(records: list[_Record]) -> list[list[_Record]]:
    """The records about each object told apart by its keys; records that name none belong to every object."""
    distinct: list[dict[str, str]] = []
    for record in records:
        if record.keys and not any(record.keys == other for other in distinct):
            distinct.append(record.keys)
    if not distinct:
        return [records]
    return [[r for r in records if _compatible(r.keys, keys)] for keys in distinct]


# ---------------------------------------------------------------------------------------------- deciding


def decide(
    check: Check,
    hits: Sequence[Hit],
    *,
    known: Mapping[str, str] | None = None,
    files: Sequence[EvidenceFile] | None = None,
    any_file: bool = False,
) -> Proposal:
    """The proposal for `check` from its own hits (already narrowed to this check)."""
    known = {k: v for k, v in (known or {}).items() if v}
    rule = check.decide if check.decide in RULES else "any"
    scope = dict(check.scope)
    reads, read_names = plan_reads(check, files, hits, scope, known, any_file)
    records = _records([h for h in hits if h.file in read_names])
    scope_names = set(scope)
    for sig in check.signatures:
        if sig.scope is not None:
            scope_names.update(name for name, _ in sig.scope)
    open_keys = [name for name in sorted(scope_names) if not known.get(_value_for(check, name))]
    _inherit_keys(records, open_keys + [n for n in sorted(scope_names) if n not in open_keys])
    _judge(check, records, known)
    for record in records:
        record.keys = {k: v for k, v in record.keys.items() if k in open_keys}
    counted = sorted((r for r in records if r.counted), key=lambda r: r.when)
    not_about = [h for r in records if not r.counted for h in r.hits]
    reasons = {(h.file, h.line, h.signature): r.why_not for r in records if not r.counted for h in r.hits}
    if not counted:
        return Proposal(
            choice=check.otherwise or None, signature=None, hits=[], captures={}, not_about=not_about,
            rule=rule, files=tuple(reads), reasons=reasons,
        )
    objects = _objects(counted)
    verdicts = [(_newest if rule == "newest" else _any)(members) for members in objects]
    states: dict[str | None, int] = {}
    for verdict in verdicts:
        states[verdict.choice] = min(states.get(verdict.choice, verdict.rank), verdict.rank)
    choice = min(states, key=lambda c: states[c])
    # Under `any` a lower-ranked answer never argues against a higher one (or one object against another):
    # any occurrence counts. Only the newest state of different objects, or of one moment, can disagree.
    contested = rule == "newest" and (len(states) > 1 or any(v.tie for v in verdicts))
    picked: dict[int, _Record] = {}
    for verdict in verdicts:
        if verdict.choice == choice:
            picked.update((id(r), r) for r in verdict.records)
    deciding_records = sorted(picked.values(), key=lambda r: r.when)
    proposes = {sig.id: sig.proposes for sig in check.signatures}
    deciding = [h for r in deciding_records for h in r.counted if proposes.get(h.signature) == choice]
    other = [h for r in counted for h in r.counted if proposes.get(h.signature) != choice]
    captures: dict[str, str] = {}
    dropped = {name for name in scope_names if known.get(_value_for(check, name))} | {COMPUTER}
    for hit in deciding:
        for name, value in hit.captures.items():
            if name not in dropped:
                captures.setdefault(name, value)
    ranks = {sig.id: index for index, sig in enumerate(check.signatures)}
    signature = min((h.signature for h in deciding), key=lambda sid: ranks.get(sid, len(ranks)))
    return Proposal(
        choice=choice, signature=signature, hits=deciding, captures=captures, contested=contested,
        other_side=other, not_about=not_about, rule=rule, files=tuple(reads), reasons=reasons,
    )


@dataclass
class _Verdict:
    """What the records about one object say: the state, its rank in the check's order, the records behind it."""

    choice: str | None
    rank: int
    records: list[_Record]
    tie: bool = False


def _any(members: list[_Record]) -> _Verdict:
    """Any occurrence counts: the best-ranked signature that matched decides."""
    rank = min(r.rank for r in members)
    chosen = [r for r in members if r.rank == rank]
    return _Verdict(chosen[0].choice, rank, [r for r in members if r.choice == chosen[0].choice])


def _newest(members: list[_Record]) -> _Verdict:
    """The newest state decides. The check's first signature is the state that ends an episode (back to normal,
    download done): when the newest record is of it, that is the state; otherwise the records after its last
    occurrence make up the current episode, and within it the signature order decides."""
    last = members[-1]
    resets = [i for i, r in enumerate(members) if r.rank == 0]
    if last.rank == 0:
        same_moment = [r for r in members if last.time and r.time == last.time]
        tie = any(r.choice != last.choice for r in same_moment)
        run = []
        for record in reversed(members):
            if record.choice != last.choice:
                break
            run.append(record)
        return _Verdict(last.choice, 0, run[::-1], tie)
    episode = members[resets[-1] + 1 :] if resets else members
    reset = members[resets[-1]] if resets else None
    tie = reset is not None and bool(reset.time) and any(r.time == reset.time for r in episode)
    verdict = _any(episode)
    verdict.tie = tie
    return verdict


def _value_for(check: Check, capture: str) -> str:
    """The walk value a capture name is compared with (from the check's scope, else a signature's)."""
    for name, value in check.scope:
        if name == capture:
            return value
    for sig in check.signatures:
        for name, value in sig.scope or ():
            if name == capture:
                return value
    return ""
