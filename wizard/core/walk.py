"""Walking a tree without a screen: answers given up front, checks answered from evidence files."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from wizard.core.catalog import Catalog
from wizard.core.model import Check, Question, Runbook
from wizard.core.session import AnswerError, Session, file_notes, proposal_citations

MAX_CITATIONS = 20


@dataclass
class WalkOutcome:
    status: Literal["runbook", "question"]
    session: Session
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class WalkError(ValueError):
    """A walk that cannot go on: a bad --answer, a loop, a tree that is not there."""


def check_is_covered(check: Check, names: Sequence[str], has_hits: bool) -> bool:
    """Whether the evidence given can speak for this check: a matching file is there, or something matched."""
    if has_hits:
        return True
    if not names:
        return False
    if not check.evidence.files:
        return True
    globs = [g.lower() for g in check.evidence.files]
    return any(fnmatch.fnmatchcase(name, glob) for name in names for glob in globs)


def parse_assignments(items: Sequence[str], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise WalkError(f"{what} '{item}' is not of the form NAME=VALUE")
        out[key.strip()] = value.strip()
    return out


def _answer_for(answers: Mapping[str, str], tree_id: str, node_id: str) -> tuple[str, str] | None:
    """The (key, choice) given for a node, as TREE:NODE, TREE/NODE or plain NODE."""
    for key in (f"{tree_id}:{node_id}", f"{tree_id}/{node_id}", node_id):
        if key in answers:
            return key, answers[key]
    return None


def walk(
    catalog: Catalog,
    tree_id: str,
    *,
    answers: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    evidence: Sequence[str | os.PathLike] = (),
    max_moves: int = 500,
) -> WalkOutcome:
    """Answer what can be answered and stop at a runbook or at the first question nobody answered."""
    answers = dict(answers or {})
    session = Session.start(catalog, tree_id).with_values(values or {})
    notes: list[str] = []
    problems: list[str] = []
    hits_by_node: dict[tuple[str, str], list[Any]] = {}
    names: list[str] = []
    if evidence:
        from wizard.core.evidence import probes_for, scan

        report = scan(list(evidence), probes_for(catalog))
        problems += report.problems
        for hit in report.hits:
            hits_by_node.setdefault((hit.tree, hit.node), []).append(hit)
        names = report.names
    used: set[str] = set()
    for _ in range(max_moves):
        node = session.node
        if isinstance(node, Runbook):
            _warn_unused(catalog, answers, used, notes)
            return WalkOutcome("runbook", session, notes, problems)
        assert isinstance(node, (Question, Check))
        given = _answer_for(answers, session.tree_id, session.node_id)
        key_choice = None
        if given is not None:
            used.add(given[0])
            key_choice = given[1]
        proposal = None
        if isinstance(node, Check) and evidence:
            from wizard.core.evidence import propose

            hits = hits_by_node.get((session.tree_id, node.id), [])
            proposal = propose(node, hits, known=session.values, files=report.files)
            if not proposal.read_any:
                proposal = None
        choice = key_choice if key_choice is not None else (proposal.choice if proposal else None)
        if choice is None and (node.choices or session.needs_value() is not None):
            _warn_unused(catalog, answers, used, notes)
            return WalkOutcome("question", session, notes, problems)
        try:
            session = session.answer(
                choice or None,
                proposed=proposal.choice if proposal else None,
                evidence=proposal_citations(proposal, MAX_CITATIONS) if proposal else (),
                captures=proposal.captures if proposal else None,
                contested=proposal.contested if proposal else False,
                files=file_notes(proposal) if proposal else (),
            )
        except AnswerError as exc:
            raise WalkError(f"{session.tree_id}/{node.id}: {exc}") from None
    raise WalkError(f"the walk took more than {max_moves} steps; the answers go round in a loop")


def _warn_unused(catalog: Catalog, answers: Mapping[str, str], used: set[str], notes: list[str]) -> None:
    import difflib

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
