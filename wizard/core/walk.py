"""Walking a tree without a screen: answers and values given up front, checks answered from the evidence.

The walk asks `wizard.core.flow` what comes next at every step, exactly as the screens do, so the command line
and the interactive wizard cannot disagree about the path.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from wizard.core.catalog import Catalog
from wizard.core.flow import EvidenceBook, Given, answer_with_evidence, pending, read_book, settle
from wizard.core.model import Capture, Check, Question, Tree
from wizard.core.session import AnswerError, Session, validate_value


@dataclass
class WalkOutcome:
    status: Literal["runbook", "question"]
    session: Session
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    book: EvidenceBook | None = None


class WalkError(ValueError):
    """A walk that cannot go on: a bad --answer or --set, a loop, a tree that is not there."""


def parse_assignments(items: Sequence[str], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise WalkError(f"{what} '{item}' is not of the form NAME=VALUE")
        out[key.strip()] = value.strip()
    return out


def captures_by_name(catalog: Catalog) -> dict[str, Capture]:
    """Every value a question of an installed tree asks for, by name (the first tree to ask it describes it)."""
    found: dict[str, Capture] = {}
    for tree in catalog:
        for node in tree.nodes.values():
            capture = getattr(node, "capture", None)
            if capture is not None:
                found.setdefault(capture.name, capture)
    return found


def checked_values(catalog: Catalog, values: Mapping[str, str]) -> dict[str, str]:
    """Values given with --set, each checked and normalised like a typed one; an unknown name is an error."""
    known = captures_by_name(catalog)
    implied = {name for tree in catalog for name in _names_set_by_choices(tree)}
    out: dict[str, str] = {}
    for name, raw in values.items():
        capture = known.get(name)
        if capture is None:
            if name in implied:
                out[name] = raw
                continue
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise WalkError(f"--set {name}=...: no question asks for a value called '{name}'{hint}")
        try:
            out[name] = validate_value(capture, raw)
        except AnswerError as exc:
            raise WalkError(f"--set {name}={raw}: {exc}") from None
    return out


def _names_set_by_choices(tree: Tree) -> set[str]:
    """Values a tree learns other than by a typed answer: set by a choice, counted or captured by a signature."""
    import re2

    names = {name for node in tree.nodes.values() for choice in getattr(node, "choices", ()) for name, _ in choice.sets}
    for node in tree.nodes.values():
        for signature in getattr(node, "signatures", ()):
            if signature.count_as:
                names.add(signature.count_as)
            if signature.regex:
                try:
                    names.update(re2.compile(signature.regex).groupindex)
                except re2.error:
                    continue
    return names


def walk(
    catalog: Catalog,
    tree_id: str,
    *,
    answers: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    evidence: Sequence[str | os.PathLike[str]] = (),
    book: EvidenceBook | None = None,
    max_moves: int = 500,
) -> WalkOutcome:
    """Answer what can be answered and stop at a runbook or at the first question nobody answered.

    A check the evidence covers takes the evidence's proposal unless an answer was given for it (then the
    override is recorded); a value the evidence gave without doubt is taken; the rest must be given.
    """
    given = Given(dict(answers or {}), checked_values(catalog, values or {}))
    notes: list[str] = []
    if evidence:
        book = read_book(list(evidence), catalog, book=book)
    problems = list(book.problems) if book is not None else []
    try:
        session = Session.start(catalog, tree_id, values=given.values)
    except AnswerError as exc:
        raise WalkError(str(exc)) from None
    if book is not None:
        session = session.with_evidence(book.paths)
    used: set[str] = set()
    for _ in range(max_moves):
        session = settle(session, book)
        step = pending(session, book)
        if step.kind == "runbook":
            _warn_unused(catalog, given.answers, used, notes)
            return WalkOutcome("runbook", session, notes, problems, book)
        node = session.node
        assert isinstance(node, (Question, Check))
        key_choice = given.answer_for(session.tree_id, node.id)
        if key_choice is not None:
            used.add(key_choice[0])
            if not node.choices:
                assert node.capture is not None
                raise WalkError(
                    f"{session.tree_id}/{node.id} asks for a value ({node.capture.label}), not a choice: "
                    f"give it with --set {node.capture.name}=VALUE"
                )
        choice = key_choice[1] if key_choice is not None else step.proposed
        value = None
        if step.capture is not None:
            if not step.from_evidence:
                _warn_unused(catalog, given.answers, used, notes)
                return WalkOutcome("question", session, notes, problems, book)
            value = step.prefill
            notes.append(f"{step.capture.label}: {value}, taken from {step.prefill_source}")
        if node.choices and choice is None:
            _warn_unused(catalog, given.answers, used, notes)
            return WalkOutcome("question", session, notes, problems, book)
        try:
            session = answer_with_evidence(session, choice, step.reading, value=value)
        except AnswerError as exc:
            raise WalkError(f"{session.tree_id}/{node.id}: {exc}") from None
    raise WalkError(f"the walk took more than {max_moves} steps; the answers go round in a loop")


def _warn_unused(catalog: Catalog, answers: Mapping[str, str], used: set[str], notes: list[str]) -> None:
    known = {n for tree in catalog for n in tree.nodes}
    for key in answers:
        if key in used:
            continue
        node = key.replace("/", ":").rpartition(":")[2]
        note = f"--answer {key}={answers[key]} was not used: the walk never reached that node"
        if node not in known:
            close = difflib.get_close_matches(node, sorted(known), n=1)
            note = f"--answer {key}={answers[key]} was not used: no node is called '{node}'" + (
                f" (did you mean '{close[0]}'?)" if close else ""
            )
        notes.append(note)
