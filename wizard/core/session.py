"""A walk through the trees as an immutable value.

`answer`, `back`, `restart` and `jump` each return a new Session, so a screen can keep the one it shows and an
undo is just the previous value. Sessions save to JSON atomically: a kill at any instant leaves the old file or
the new one.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from wizard.core.catalog import Catalog
from wizard.core.errors import WizardError
from wizard.core.files import write_atomic
from wizard.core.model import Capture, Check, Link, Node, Question, Runbook, Tree, choice_of
from wizard.core.paths import DATA_ENV, data_dir, sessions_dir
from wizard.core.suggest import did_you_mean
from wizard.core.textsafe import dumps_json

__all__ = ["DATA_ENV", "data_dir", "sessions_dir", "write_atomic"]

FORMAT = "wizard-session"
FORMAT_VERSION = 1
MAX_NUMBER = 1e15
"""Largest magnitude a typed number may have: far beyond any count or timing, far below where arithmetic breaks."""
ID_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,79}\Z")
"""What a saved walk's id may look like; it names the walk's file, so it can never hold a path."""


def is_session_id(text: object) -> bool:
    return isinstance(text, str) and ID_PATTERN.match(text) is not None


class AnswerError(WizardError, ValueError):
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
    guess: bool = False
    """The operator marked this answer (or value) as a guess: the runbook asks to confirm it first."""
    unknown: bool = False
    """The operator did not know the value yet: it stays unknown, and the runbook says how to find it."""
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
        capture: Capture | None = getattr(node, "capture", None)
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
        guess: bool = False,
        unknown: bool = False,
        contested: bool = False,
        files: Sequence[FileNote] = (),
    ) -> Session:
        """Take an answer at the current node and move on. Raises AnswerError with a message for the operator.

        `auto` marks an answer the wizard took itself (a value the evidence gave), which going back skips over.
        `guess` marks the answer or value as the operator's guess; `unknown` (a question that only asks for a
        value) leaves the value unknown and moves on.
        """
        node = self.node
        if isinstance(node, Runbook):
            raise AnswerError("this is a runbook: the walk ends here (go back or restart to change an answer)")
        assert isinstance(node, (Question, Check))
        captured: dict[str, str] = dict(captures or {})
        if unknown:
            if node.capture is None or node.choices or value is not None:
                raise AnswerError("only a question that asks for a value alone can be left unknown")
            return self._leave_unknown(node, guess)
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
                hint = did_you_mean(choice, ids)
                hint = f" ({hint})" if hint else ""
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
            guess=guess,
            contested=contested,
            files=tuple(files),
        )
        moved = replace(self, node_id=target, moves=self.moves + (move,), updated=stamp)
        return moved._settle(stamp)

    def _leave_unknown(self, node: Question | Check, guess: bool) -> Session:
        assert node.capture is not None
        stamp = now()
        moved = self._past_capture(node.capture, f"{node.capture.label}: not known yet", stamp, guess=guess, unknown=True)
        return moved._settle(stamp)

    def _past_capture(self, capture: Capture, label: str, stamp: str, **flags: Any) -> Session:
        """Record a move at a question that only asks for a value, and stand at the node after it."""
        move = Move(tree=self.tree_id, node=self.node_id, choice="", label=label, at=stamp, **flags)
        return replace(self, node_id=capture.next, moves=self.moves + (move,), updated=stamp)

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
        return self._past_capture(capture, f"{capture.label}: {value}", stamp, value=value, auto=True)

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
        number = parse_number(value, whole=capture.type == "integer")
        if number is None:
            kind = "a whole number" if capture.type == "integer" else "a number"
            raise AnswerError(f"{capture.label}: '{value[:40]}' is not {kind}{example}")
        if abs(number) > MAX_NUMBER:
            raise AnswerError(f"{capture.label}: '{value[:40]}' is too large; at most {MAX_NUMBER:.0e}{example}")
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


def parse_number(text: str, *, whole: bool = False) -> float | None:
    """A finite number written in `text`, or None. Whole numbers are digits with an optional sign; the length
    check comes first so a 5,000-digit paste is refused quickly instead of hitting Python's conversion limit."""
    if len(text) > 40:
        return None
    try:
        number = float(int(text)) if whole else float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# ---------------------------------------------------------------------------------------------- saving


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
                "guess": m.guess,
                "unknown": m.unknown,
                "contested": m.contested,
                "files": [{"file": f.file, "read": f.read, "why": f.why} for f in m.files],
            }
            for m in session.moves
        ],
    }


class SessionFileError(WizardError, ValueError):
    """A saved session that cannot be read at all."""


@dataclass(frozen=True)
class LoadedSession:
    session: Session
    warnings: tuple[str, ...] = ()


_TEXT_FIELDS = ("id", "created", "updated", "start_tree", "tree", "node")
_MOVE_TEXT = ("tree", "node", "choice", "label", "at")
_MOVE_OPTIONAL_TEXT = ("value", "proposed")
_CITATION_TEXT = ("file", "text", "signature", "time", "component", "role")
MAX_LINE = 1 << 40


def _check_shape(data: Any) -> dict[str, Any]:
    """The saved walk's fields with the types the wizard writes, or SessionFileError naming the first that is not.

    A saved file is data from disk: anything may have been written into it, by hand, by another version, or by
    someone hoping to crash the wizard. Nothing past this check needs to wonder about types.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SessionFileError("not a wizard session file")
    if data.get("format_version") != FORMAT_VERSION:
        raise SessionFileError(f"session format {str(data.get('format_version'))[:20]!r} is not supported")

    def bad(where: str, expected: str) -> SessionFileError:
        return SessionFileError(f"{where} should be {expected}")

    for name in _TEXT_FIELDS:
        if name in data and not isinstance(data[name], str):
            raise bad(f"'{name}'", "text")
    for name in ("start_tree", "tree", "node"):
        if not data.get(name):
            raise SessionFileError(f"'{name}' is missing")
    if not is_session_id(data.get("id")):
        raise SessionFileError("its id is not a plain name of letters, digits and dashes")
    preset = data.get("preset") or {}
    if not isinstance(preset, dict) or not all(isinstance(v, str) for v in preset.values()):
        raise bad("'preset'", "a mapping of names to text")
    trees = data.get("trees") or {}
    if not isinstance(trees, dict) or not all(isinstance(v, dict) for v in trees.values()):
        raise bad("'trees'", "a mapping of tree ids to versions")
    evidence = data.get("evidence") or []
    if not isinstance(evidence, list) or not all(isinstance(p, str) for p in evidence):
        raise bad("'evidence'", "a list of paths")
    recall = data.get("recall") or {}
    if not isinstance(recall, dict) or not all(isinstance(v, str) for v in recall.values()):
        raise bad("'recall'", "a mapping of steps to text")
    moves = data.get("moves") or []
    if not isinstance(moves, list):
        raise bad("'moves'", "a list")
    for number, move in enumerate(moves, 1):
        where = f"step {number}"
        if not isinstance(move, dict):
            raise bad(where, "a mapping")
        for name in _MOVE_TEXT:
            if name in move and not isinstance(move[name], str):
                raise bad(f"{where} '{name}'", "text")
        for name in _MOVE_OPTIONAL_TEXT:
            if move.get(name) is not None and not isinstance(move[name], str):
                raise bad(f"{where} '{name}'", "text or null")
        for flag in ("link", "auto", "contested", "guess", "unknown"):
            if not isinstance(move.get(flag, False), bool):
                raise bad(f"{where} '{flag}'", "true or false")
        notes = move.get("files") or []
        if not isinstance(notes, list) or not all(
            isinstance(n, dict) and isinstance(n.get("file", ""), str) and isinstance(n.get("why", ""), str)
            for n in notes
        ):
            raise bad(f"{where} 'files'", "a list of files read or skipped")
        captured = move.get("captured") or {}
        if not isinstance(captured, dict) or not all(isinstance(v, str) for v in captured.values()):
            raise bad(f"{where} 'captured'", "a mapping of names to text")
        evidence = move.get("evidence") or []
        if not isinstance(evidence, list):
            raise bad(f"{where} 'evidence'", "a list")
        for cite in evidence:
            if not isinstance(cite, dict):
                raise bad(f"{where} evidence", "a list of mappings")
            line = cite.get("line", 0)
            if isinstance(line, bool) or not isinstance(line, int) or not 0 <= line <= MAX_LINE:
                raise bad(f"{where} evidence line", "a line number")
            for name in _CITATION_TEXT:
                if name in cite and not isinstance(cite[name], str):
                    raise bad(f"{where} evidence '{name}'", "text")
    return data


def from_dict(data: Any, catalog: Catalog) -> LoadedSession:
    """Rebuild a session; replay its moves so a changed tree is noticed and the walk stops where it breaks.

    Raises SessionFileError, and nothing else, for a file that cannot be a saved walk.
    """
    data = _check_shape(data)
    try:
        return _rebuild(data, catalog)
    except SessionFileError:
        raise
    except (LookupError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise SessionFileError(f"the saved walk does not fit the trees installed ({exc.__class__.__name__})") from None


def _rebuild(data: dict[str, Any], catalog: Catalog) -> LoadedSession:
    start_tree = data["start_tree"]
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
                f"(saved version {str(saved.get('version'))[:12]}, now version {tree.version}); answers were replayed "
                "and the walk stops where they no longer fit"
            )
    raw_moves = data.get("moves") or []
    preset = data.get("preset") or {}
    first_node = raw_moves[0].get("node") if raw_moves and raw_moves[0].get("tree") == start_tree else None
    try:
        session = Session.start(catalog, start_tree, first_node, values=preset)
    except AnswerError:
        session = Session.start(catalog, start_tree, values=preset)
    evidence = data.get("evidence") or []
    recall = data.get("recall") or {}
    session = replace(
        session,
        id=data["id"],
        created=str(data.get("created") or ""),
        evidence=tuple(evidence),
        recall=tuple(sorted(recall.items())),
    )
    for index, raw in enumerate(raw_moves):
        here = (raw.get("tree"), raw.get("node")) == (session.tree_id, session.node_id)
        if raw.get("link") or (raw.get("auto") and not (here and session.needs_value() is not None)):
            continue
        if not here:
            warnings.append(f"step {index + 1} ({raw.get('tree')}/{raw.get('node')}) no longer follows; the walk stops there")
            break
        evidence = tuple(
            Citation(
                file=c.get("file", ""),
                line=c.get("line", 0),
                text=c.get("text", ""),
                signature=c.get("signature", ""),
                time=c.get("time", ""),
                component=c.get("component", ""),
                role=c.get("role") if c.get("role") in ROLES else "decided",
            )
            for c in raw.get("evidence") or []
        )
        try:
            advanced = session.answer(
                raw.get("choice") or None,
                value=raw.get("value"),
                proposed=raw.get("proposed"),
                evidence=evidence,
                captures={str(k): v for k, v in (raw.get("captured") or {}).items()},
                auto=raw.get("auto") is True,
                guess=raw.get("guess") is True,
                unknown=raw.get("unknown") is True,
                contested=raw.get("contested") is True,
                files=tuple(
                    FileNote(f.get("file", ""), f.get("read") is True, f.get("why", "")) for f in raw.get("files") or []
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


def session_path(session_id: str, directory: Path | None = None) -> Path:
    """The file a walk is saved in. The id is checked here too, so no id can lead outside the sessions folder."""
    if not is_session_id(session_id):
        raise SessionFileError(f"'{session_id[:40]}' is not a valid session id")
    return sessions_dir(directory) / f"{session_id}.json"


def save(session: Session, directory: Path | None = None) -> Path:
    """Write the walk; file names come from the checked id, never from what a file said. Text that the file
    system gave as surrogates (a name that was not UTF-8) is stored as JSON escapes, so nothing is lost."""
    path = session_path(session.id, directory)
    write_atomic(path, dumps_json(to_dict(session), indent=1))
    return path


MAX_SESSION_BYTES = 64 * 1024 * 1024


def read_json(path: str | os.PathLike[str]) -> Any:
    """The JSON in a saved walk, or SessionFileError for a file that is not (too big, too deep, a number of
    thousands of digits: everything json.loads can refuse with)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SESSION_BYTES + 1)
    except OSError as exc:
        raise SessionFileError(f"cannot read {path}: {exc.strerror or exc.__class__.__name__}") from None
    if len(raw) > MAX_SESSION_BYTES:
        raise SessionFileError(f"{path} is too large to be a saved walk")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SessionFileError(f"{path} is not UTF-8 text") from None
    except RecursionError:
        raise SessionFileError(f"{path} is nested too deeply to be a saved walk") from None
    except ValueError as exc:  # JSONDecodeError, and ints beyond Python's digit limit
        raise SessionFileError(f"{path} is not valid JSON: {exc}") from None


def load(path: str | os.PathLike[str], catalog: Catalog) -> LoadedSession:
    """Read a saved walk. Its id must match its file name: a file cannot send later saves anywhere else."""
    data = read_json(path)
    loaded = from_dict(data, catalog)
    stem = Path(path).stem
    if isinstance(data, dict) and data.get("id") != stem:
        raise SessionFileError(f"the id inside {Path(path).name} does not match its file name")
    return loaded


UNREADABLE_SUFFIX = ".unreadable"


def set_aside(path: Path) -> Path | None:
    """Rename an unreadable saved walk so it is no longer listed (never deleted: someone may want to look at it).

    Returns the new name, or None when it could not be renamed.
    """
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{stamp}{UNREADABLE_SUFFIX}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.{stamp}-{counter}{UNREADABLE_SUFFIX}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


@dataclass(frozen=True)
class SessionInfo:
    id: str
    path: Path
    start_tree: str
    tree: str
    node: str
    updated: str
    steps: int
    problem: str = ""
    """Why the file could not be read; set for a walk that was moved aside (then `path` is where it went)."""

    @property
    def readable(self) -> bool:
        return not self.problem


def list_sessions(directory: Path | None = None) -> list[SessionInfo]:
    """Saved sessions, newest first, then the unreadable ones met this time (each moved aside, the rest still
    listed)."""
    folder = sessions_dir(directory)
    if not folder.is_dir():
        return []
    found: list[SessionInfo] = []
    unreadable: list[SessionInfo] = []
    just_moved: set[str] = set()
    for path in folder.glob("*.json"):
        try:
            data = _check_shape(read_json(path))
            if data["id"] != path.stem:
                raise SessionFileError("the id inside does not match the file name")
        except SessionFileError as exc:
            moved = set_aside(path)
            note = f"{exc}; moved aside to {moved.name}" if moved else f"{exc}; it could not be moved aside"
            unreadable.append(SessionInfo(path.stem, moved or path, "", "", "", "", 0, problem=note))
            if moved is not None:
                just_moved.add(moved.name)
            continue
        found.append(
            SessionInfo(
                id=path.stem,
                path=path,
                start_tree=data["start_tree"],
                tree=data["tree"],
                node=data["node"],
                updated=str(data.get("updated", "")),
                steps=len(data.get("moves") or []),
            )
        )
    for path in sorted(folder.glob(f"*{UNREADABLE_SUFFIX}")):
        if path.name not in just_moved:
            note = f"could not be read earlier; set aside as {path.name}"
            unreadable.append(SessionInfo(path.name.split(".", 1)[0], path, "", "", "", "", 0, problem=note))
    return sorted(found, key=lambda s: s.updated, reverse=True) + unreadable


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
    seen: set[tuple[str, int, str]] = set()
    for role, hits in (
        ("decided", proposal.hits),
        ("other side", getattr(proposal, "other_side", ())),
        ("not about this", getattr(proposal, "not_about", ())),
    ):
        # A record two signatures matched is one line of evidence: it is cited once, under its first role.
        unique = []
        for hit in hits:
            key = (hit.file, hit.line, hit.text)
            if key not in seen:
                seen.add(key)
                unique.append(hit)
        out += [replace(c, role=role) for c in citations_from(unique[:limit])]
    return tuple(out)


def file_notes(proposal: Any) -> tuple[FileNote, ...]:
    """The files a proposal read or skipped, as notes a move keeps."""
    return tuple(FileNote(str(f.file), bool(f.read), str(f.why)) for f in getattr(proposal, "files", ()))
