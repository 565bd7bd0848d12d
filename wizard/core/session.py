"""A walk through the trees as an immutable value.

`answer`, `back`, `restart` and `jump` each return a new Session, so a screen can keep the one it shows and an
undo is just the previous value. Sessions save to JSON atomically: a kill at any instant leaves the old file or
the new one.
"""

from __future__ import annotations

import difflib
import json
import os
import secrets
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from wizard.core.catalog import Catalog
from wizard.core.model import Capture, Check, Link, Node, Question, Runbook, Tree, choice_of

FORMAT = "wizard-session"
FORMAT_VERSION = 1
DATA_ENV = "WIZARD_DATA_DIR"


class AnswerError(ValueError):
    """An answer the current node cannot take; the message is meant for the operator."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Citation:
    """One evidence line behind an answer."""

    file: str
    line: int
    text: str
    signature: str = ""
    time: str = ""
    component: str = ""
    role: str = "decided"
    """"decided" (the line behind the proposal), "other side" (it points to another answer) or "not about this"
    (it is about another folder, server, site or DP than the walk follows)."""


ROLES = ("decided", "other side", "not about this")


@dataclass(frozen=True, slots=True)
class FileNote:
    """Whether a check read one of the given files, and why (or why it skipped it)."""

    file: str
    read: bool
    why: str


@dataclass(frozen=True, slots=True)
class Move:
    """One step of the path: at `node` of `tree` the operator chose `choice` (empty when crossing a link)."""

    tree: str
    node: str
    choice: str
    label: str
    value: str | None = None
    proposed: str | None = None
    evidence: tuple[Citation, ...] = ()
    captured: tuple[tuple[str, str], ...] = ()
    at: str = ""
    is_link: bool = False
    auto: bool = False
    """Answered by the wizard, not the operator: the value the question asks for was already known."""
    contested: bool = False
    """The evidence pointed two ways; `proposed` is what the check's rule picked, `evidence` holds both sides."""
    files: tuple[FileNote, ...] = ()
    """The given files the check read or skipped, with the reason."""

    @property
    def overridden(self) -> bool:
        return self.proposed is not None and self.proposed != self.choice

    @property
    def by_operator(self) -> bool:
        """Whether the operator gave this answer (not a link crossing, not a value the walk already knew)."""
        return not (self.is_link or self.auto)


@dataclass(frozen=True)
class Session:
    catalog: Catalog = field(compare=False, repr=False)
    start_tree: str
    tree_id: str
    node_id: str
    moves: tuple[Move, ...] = ()
    id: str = ""
    created: str = ""
    updated: str = ""
    preset: tuple[tuple[str, str], ...] = ()
    evidence: tuple[str, ...] = ()
    """Paths of the evidence given for this walk; every later check reads them."""
    recall: tuple[tuple[str, str], ...] = ()
    """Values typed at steps that were undone, by TREE:NODE, so going back shows what was given before."""

    @classmethod
    def start(
        cls, catalog: Catalog, tree_id: str, node_id: str | None = None, values: Mapping[str, str] | None = None
    ) -> Session:
        tree = catalog.get(tree_id)
        stamp = now()
        ident = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
        session = cls(
            catalog=catalog,
            start_tree=tree.id,
            tree_id=tree.id,
            node_id=node_id or tree.start,
            id=ident,
            created=stamp,
            updated=stamp,
            preset=tuple(sorted((values or {}).items())),
        )
        if session.node_id not in tree.nodes:
            raise AnswerError(f"tree '{tree_id}' has no node '{session.node_id}'")
        return session._settle(stamp)

    @property
    def tree(self) -> Tree:
        return self.catalog.get(self.tree_id)

    @property
    def node(self) -> Node:
        return self.tree.nodes[self.node_id]

    @property
    def values(self) -> dict[str, str]:
        merged = dict(self.preset)
        for move in self.moves:
            merged.update(move.captured)
        return merged

    @property
    def at_runbook(self) -> bool:
        return isinstance(self.node, Runbook)

    @property
    def trees_used(self) -> list[str]:
        seen = [self.start_tree]
        for move in self.moves:
            if move.tree not in seen:
                seen.append(move.tree)
        if self.tree_id not in seen:
            seen.append(self.tree_id)
        return seen

    def with_values(self, values: Mapping[str, str]) -> Session:
        """Values known before the walk (from `--set` or a triage hit), kept apart from the path."""
        merged = dict(self.preset)
        merged.update(values)
        return replace(self, preset=tuple(sorted(merged.items())))

    def with_evidence(self, paths: Iterable[str]) -> Session:
        """The walk with more evidence paths given (kept in order, each once)."""
        merged = list(self.evidence)
        merged += [p for p in paths if p not in merged]
        return replace(self, evidence=tuple(merged))

    def needs_value(self) -> Capture | None:
        """The capture the current node still waits for, if any."""
        node = self.node
        capture = getattr(node, "capture", None)
        if capture is None or capture.name in self.values:
            return None
        return capture

    @property
    def skippable(self) -> bool:
        """A question that only asks for a value the walk already knows: nothing is left to ask there."""
        node = self.node
        if not isinstance(node, (Question, Check)) or node.choices or node.capture is None:
            return False
        return node.capture.name in self.values and bool(node.capture.next)

    def recalled(self) -> str | None:
        """The value typed here before the operator went back, to show it again."""
        return dict(self.recall).get(f"{self.tree_id}:{self.node_id}")

    def answer(
        self,
        choice: str | None = None,
        *,
        value: str | None = None,
        proposed: str | None = None,
        evidence: Sequence[Citation] = (),
        captures: Mapping[str, str] | None = None,
        auto: bool = False,
        contested: bool = False,
        files: Sequence[FileNote] = (),
    ) -> Session:
        """Take an answer at the current node and move on. Raises AnswerError with a message for the operator.

        `auto` marks an answer the wizard took itself (a value the evidence gave), which going back skips over.
        """
        node = self.node
        if isinstance(node, Runbook):
            raise AnswerError("this is a runbook: the walk ends here (go back or restart to change an answer)")
        assert isinstance(node, (Question, Check))
        captured: dict[str, str] = dict(captures or {})
        if node.capture is not None:
            if value is None and node.capture.name in captured:
                value = captured[node.capture.name]
            if value is None and node.capture.name in self.values:
                value = self.values[node.capture.name]
            if value is None:
                raise AnswerError(f"{node.capture.label}: a value is needed here")
            value = validate_value(node.capture, value)
            captured[node.capture.name] = value
        elif value is not None:
            raise AnswerError("this question does not take a typed value")
        if node.choices:
            if not choice:
                raise AnswerError("choose one of: " + ", ".join(c.id for c in node.choices))
            picked = choice_of(node, choice)
            if picked is None:
                ids = [c.id for c in node.choices]
                close = difflib.get_close_matches(choice, ids, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise AnswerError(f"'{choice}' is not a choice here{hint}; choose one of: {', '.join(ids)}")
            target, label = picked.next, picked.label
            for name, implied in picked.sets:
                captured.setdefault(name, implied)
        else:
            if choice:
                raise AnswerError("this question has no choices; it only takes a value")
            assert node.capture is not None
            target, label = node.capture.next, f"{node.capture.label}: {value}"
        stamp = now()
        move = Move(
            tree=self.tree_id,
            node=self.node_id,
            choice=choice or "",
            label=label,
            value=value,
            proposed=proposed,
            evidence=tuple(evidence),
            captured=tuple(sorted(captured.items())),
            at=stamp,
            auto=auto,
            contested=contested,
            files=tuple(files),
        )
        moved = replace(self, node_id=target, moves=self.moves + (move,), updated=stamp)
        return moved._settle(stamp)

    def _settle(self, stamp: str) -> Session:
        """Move on past what needs no operator: links are crossed, questions whose value is known are answered.

        This is the one place that decides such steps, so every front end lands on the same next question.
        """
        session = self
        for _ in range(len(session.catalog.trees[session.tree_id].nodes) + len(session.catalog) + 2):
            if session.skippable:
                session = session._answer_known(stamp)
                continue
            node = session.node
            if not isinstance(node, Link):
                return session
            if node.tree not in session.catalog:
                raise AnswerError(f"this step continues in tree '{node.tree}', which is not installed")
            target_tree = session.catalog.get(node.tree)
            crossing = Move(
                tree=session.tree_id,
                node=session.node_id,
                choice="",
                label=f"continue in {node.tree}",
                at=stamp,
                is_link=True,
            )
            session = replace(
                session,
                tree_id=target_tree.id,
                node_id=node.node or target_tree.start,
                moves=session.moves + (crossing,),
            )
        raise AnswerError("the steps that need no answer lead round in a circle")

    def _answer_known(self, stamp: str) -> Session:
        node = self.node
        assert isinstance(node, (Question, Check)) and node.capture is not None
        capture = node.capture
        value = self.values[capture.name]
        move = Move(
            tree=self.tree_id,
            node=self.node_id,
            choice="",
            label=f"{capture.label}: {value}",
            value=value,
            at=stamp,
            auto=True,
        )
        return replace(self, node_id=capture.next, moves=self.moves + (move,))

    def back(self) -> Session:
        """Undo the operator's last answer (and the link crossings and known values it led through).

        At the start, returns self. A value typed at the step returned to is remembered, to be shown again.
        """
        moves = list(self.moves)
        while moves and not moves[-1].by_operator:
            moves.pop()
        if not moves:
            return self
        last = moves.pop()
        recall = dict(self.recall)
        if last.value is not None:
            recall[f"{last.tree}:{last.node}"] = last.value
        return replace(
            self,
            tree_id=last.tree,
            node_id=last.node,
            moves=tuple(moves),
            recall=tuple(sorted(recall.items())),
            updated=now(),
        )

    def jump(self, index: int) -> Session:
        """Return to the node answered at move `index`, forgetting that answer and everything after it."""
        if not 0 <= index < len(self.moves):
            raise AnswerError(f"no step {index + 1} in this walk")
        target = self.moves[index]
        if not target.by_operator:
            raise AnswerError("the wizard took that step by itself; jump to the question before it")
        return replace(self, tree_id=target.tree, node_id=target.node, moves=self.moves[:index], updated=now())

    def restart(self) -> Session:
        tree = self.catalog.get(self.start_tree)
        first = self.moves[0] if self.moves else None
        node_id = first.node if first is not None and first.tree == self.start_tree else tree.start
        session = replace(self, tree_id=self.start_tree, node_id=node_id, moves=(), recall=(), updated=now())
        return session._settle(session.updated)

    def visited(self) -> list[tuple[str, str]]:
        return [(m.tree, m.node) for m in self.moves] + [(self.tree_id, self.node_id)]


def validate_value(capture: Capture, raw: str) -> str:
    """Check a typed value and normalise it where it enters; return it or raise AnswerError saying what fits.

    Text is trimmed and put in the capture's case; a number must be finite and inside the capture's range. A value
    is never silently replaced: anything that does not fit is refused with a message.
    """
    value = raw.strip()
    if not value:
        raise AnswerError(f"{capture.label}: a value is needed here")
    if capture.case == "upper":
        value = value.upper()
    elif capture.case == "lower":
        value = value.lower()
    example = f" (for example {capture.example})" if capture.example else ""
    if capture.type == "list":
        return _validate_list(capture, value, example)
    if capture.type in ("integer", "number"):
        number = _parse_number(capture, value, example)
        low, high = capture.min, capture.max
        if (low is not None and number < low) or (high is not None and number > high):
            raise AnswerError(f"{capture.label}: {value} is outside the range this step allows ({_range(low, high)})")
    if capture.pattern:
        import re2

        try:
            matched = re2.fullmatch(capture.pattern, value) is not None
        except re2.error:
            matched = False
        if not matched:
            raise AnswerError(f"{capture.label}: '{value}' does not look right{example}")
    return value


MAX_DIGITS = 15
"""Longer numbers are refused: no count or time in these trees comes near it, and compute stays finite."""


def _parse_number(capture: Capture, value: str, example: str) -> float:
    kind = "a whole number" if capture.type == "integer" else "a number"
    if len(value) > 40 or sum(ch.isdigit() for ch in value) > MAX_DIGITS:
        raise AnswerError(f"{capture.label}: '{value[:20]}…' is too long for {kind}{example}")
    try:
        number = float(int(value)) if capture.type == "integer" else float(value)
    except ValueError:
        raise AnswerError(f"{capture.label}: '{value}' is not {kind}{example}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise AnswerError(f"{capture.label}: '{value}' is not {kind}{example}")
    return number


def _range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"from {low:g} to {high:g}"
    if low is not None:
        return f"{low:g} or more"
    return f"{high:g} or less"


def _validate_list(capture: Capture, value: str, example: str) -> str:
    """A list is typed with commas between its items; the pattern applies to each item."""
    from wizard.core.listvalues import join_list, split_list

    items = split_list(value)
    if not items:
        raise AnswerError(f"{capture.label}: a value is needed here")
    if capture.pattern:
        import re2

        for item in items:
            try:
                matched = re2.fullmatch(capture.pattern, item) is not None
            except re2.error:
                matched = False
            if not matched:
                raise AnswerError(f"{capture.label}: '{item}' does not look right{example}")
    return join_list(items)


# ---------------------------------------------------------------------------------------------- saving


def data_dir() -> Path:
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("wizard", appauthor=False))


def sessions_dir(base: Path | None = None) -> Path:
    return (base or data_dir()) / "sessions"


def to_dict(session: Session) -> dict[str, Any]:
    trees = {}
    for tree_id in session.trees_used:
        if tree_id in session.catalog:
            tree = session.catalog.get(tree_id)
            trees[tree_id] = {"version": tree.version, "hash": tree.content_hash}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": session.id,
        "created": session.created,
        "updated": session.updated,
        "start_tree": session.start_tree,
        "tree": session.tree_id,
        "node": session.node_id,
        "trees": trees,
        "preset": dict(session.preset),
        "evidence": list(session.evidence),
        "recall": dict(session.recall),
        "moves": [
            {
                "tree": m.tree,
                "node": m.node,
                "choice": m.choice,
                "label": m.label,
                "value": m.value,
                "proposed": m.proposed,
                "evidence": [
                    {
                        "file": c.file,
                        "line": c.line,
                        "text": c.text,
                        "signature": c.signature,
                        "time": c.time,
                        "component": c.component,
                        "role": c.role,
                    }
                    for c in m.evidence
                ],
                "captured": dict(m.captured),
                "at": m.at,
                "link": m.is_link,
                "auto": m.auto,
                "contested": m.contested,
                "files": [{"file": f.file, "read": f.read, "why": f.why} for f in m.files],
            }
            for m in session.moves
        ],
    }


class SessionFileError(ValueError):
    """A saved session that cannot be read at all."""


@dataclass(frozen=True)
class LoadedSession:
    session: Session
    warnings: tuple[str, ...] = ()


def from_dict(data: Any, catalog: Catalog) -> LoadedSession:
    """Rebuild a session; replay its moves so a changed tree is noticed and the walk stops where it breaks."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SessionFileError("not a wizard session file")
    if data.get("format_version") != FORMAT_VERSION:
        raise SessionFileError(f"session format {data.get('format_version')!r} is not supported")
    start_tree = data.get("start_tree")
    if start_tree not in catalog:
        raise SessionFileError(f"the session's tree '{start_tree}' is not installed")
    warnings: list[str] = []
    for tree_id, saved in (data.get("trees") or {}).items():
        if tree_id not in catalog:
            warnings.append(f"tree '{tree_id}' used by this session is no longer installed")
            continue
        tree = catalog.get(tree_id)
        if saved.get("hash") != tree.content_hash:
            warnings.append(
                f"tree '{tree_id}' changed since this session was saved "
                f"(saved version {saved.get('version')}, now version {tree.version}); answers were replayed "
                "and the walk stops where they no longer fit"
            )
    raw_moves = data.get("moves") or []
    first_node = raw_moves[0]["node"] if raw_moves and raw_moves[0].get("tree") == start_tree else None
    try:
        session = Session.start(catalog, start_tree, first_node, values=data.get("preset") or {})
    except AnswerError:
        session = Session.start(catalog, start_tree, values=data.get("preset") or {})
    evidence = data.get("evidence") or []
    recall = data.get("recall") or {}
    session = replace(
        session,
        id=str(data.get("id") or session.id),
        created=str(data.get("created") or ""),
        evidence=tuple(str(p) for p in evidence) if isinstance(evidence, list) else (),
        recall=tuple(sorted((str(k), str(v)) for k, v in recall.items())) if isinstance(recall, dict) else (),
    )
    for index, raw in enumerate(raw_moves):
        if not isinstance(raw, dict):
            warnings.append(f"step {index + 1} is unreadable; the walk stops there")
            break
        here = (raw.get("tree"), raw.get("node")) == (session.tree_id, session.node_id)
        if raw.get("link") or (raw.get("auto") and not (here and session.needs_value() is not None)):
            continue
        if not here:
            warnings.append(f"step {index + 1} ({raw.get('tree')}/{raw.get('node')}) no longer follows; the walk stops there")
            break
        evidence = tuple(
            Citation(
                file=str(c.get("file", "")),
                line=int(c.get("line", 0) or 0),
                text=str(c.get("text", "")),
                signature=str(c.get("signature", "")),
                time=str(c.get("time", "")),
                component=str(c.get("component", "")),
                role=str(c.get("role") or "decided") if c.get("role") in ROLES else "decided",
            )
            for c in raw.get("evidence") or []
            if isinstance(c, dict)
        )
        try:
            advanced = session.answer(
                raw.get("choice") or None,
                value=raw.get("value"),
                proposed=raw.get("proposed"),
                evidence=evidence,
                captures={str(k): str(v) for k, v in (raw.get("captured") or {}).items()},
                auto=bool(raw.get("auto")),
                contested=raw.get("contested") is True,
                files=tuple(
                    FileNote(str(f.get("file", "")), f.get("read") is True, str(f.get("why", "")))
                    for f in raw.get("files") or []
                    if isinstance(f, dict)
                ),
            )
        except AnswerError as exc:
            warnings.append(f"step {index + 1} no longer applies ({exc}); the walk stops there")
            break
        stamped = list(advanced.moves)
        for i in range(len(session.moves), len(stamped)):
            stamped[i] = replace(stamped[i], at=str(raw.get("at") or stamped[i].at))
        session = replace(advanced, moves=tuple(stamped))
    session = replace(session, updated=str(data.get("updated") or session.updated))
    return LoadedSession(session, tuple(warnings))


def write_atomic(path: Path, text: str, *, private: bool = True) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over the target.

    Saved sessions stay private to the user (they name servers and sites); an export meant for a ticket gets the
    usual permissions the umask allows.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def save(session: Session, directory: Path | None = None) -> Path:
    path = sessions_dir(directory) / f"{session.id}.json"
    write_atomic(path, json.dumps(to_dict(session), indent=1, ensure_ascii=False))
    return path


def load(path: str | os.PathLike, catalog: Catalog) -> LoadedSession:
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SessionFileError(f"cannot read {path}: {exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SessionFileError(f"{path} is not valid JSON: {exc}") from None
    return from_dict(data, catalog)


@dataclass(frozen=True)
class SessionInfo:
    id: str
    path: Path
    start_tree: str
    tree: str
    node: str
    updated: str
    steps: int


def list_sessions(directory: Path | None = None) -> list[SessionInfo]:
    """Saved sessions, newest first; unreadable files are skipped."""
    folder = sessions_dir(directory)
    if not folder.is_dir():
        return []
    found: list[SessionInfo] = []
    for path in folder.glob("*.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found.append(
                SessionInfo(
                    id=str(data["id"]),
                    path=path,
                    start_tree=str(data["start_tree"]),
                    tree=str(data["tree"]),
                    node=str(data["node"]),
                    updated=str(data.get("updated", "")),
                    steps=len(data.get("moves") or []),
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted(found, key=lambda s: s.updated, reverse=True)


def citations_from(hits: Iterable[Any]) -> tuple[Citation, ...]:
    """Evidence hits (anything with file, line, text, signature, time, component) as citations."""
    return tuple(
        Citation(
            file=str(h.file),
            line=int(h.line),
            text=str(h.text),
            signature=str(h.signature),
            time=str(getattr(h, "time", "") or ""),
            component=str(getattr(h, "component", "") or ""),
        )
        for h in hits
    )


def proposal_citations(proposal: Any, limit: int) -> tuple[Citation, ...]:
    """A proposal's lines as citations: those that decided, then the other side, then those about something else,
    each role kept to `limit` lines."""
    out: list[Citation] = []
    for role, hits in (
        ("decided", proposal.hits),
        ("other side", getattr(proposal, "other_side", ())),
        ("not about this", getattr(proposal, "not_about", ())),
    ):
        out += [replace(c, role=role) for c in citations_from(list(hits)[:limit])]
    return tuple(out)


def file_notes(proposal: Any) -> tuple[FileNote, ...]:
    """The files a proposal read or skipped, as notes a move keeps."""
    return tuple(FileNote(str(f.file), bool(f.read), str(f.why)) for f in getattr(proposal, "files", ()))
