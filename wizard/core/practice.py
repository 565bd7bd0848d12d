"""Practice: a trainee walks a case, and each answer is set beside the expert's.

The expert's answer at a node comes from the case: its expected path first, then its answers and values, then what
the case's evidence proposes at a check (so a trainee who strays onto a check the expert never met is still judged
by the evidence). Nodes none of these speak for are not judged.

The API for a practice screen:

- `Expert(case, catalog)`: the expert's view of one case; `expected_choice(tree, node)`, `judge(move)`,
  `score(session)`. The module functions `expected_choice`, `judge` and `score` do the same with a cached Expert.
- `Score` and `Verdict`: what a screen shows during and after the walk; `record(...)` the JSON a trainer collects.
- `class_report(records)` and `report_markdown` / `report_html`: which questions most trainees got wrong.
"""

from __future__ import annotations

import html
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from wizard.core.cases import Case
from wizard.core.model import Check, Question, Tree

RECORD_FORMAT = "wizard-practice-record"
RECORD_VERSION = 1


@dataclass(frozen=True)
class Verdict:
    """One answer of the trainee beside the expert's. `right` is None where no expert answer is known."""

    tree: str
    node: str
    prompt: str
    chosen: str
    expected: str | None
    right: bool | None
    on_expert_path: bool
    why: str = ""
    proposed: str | None = None
    overridden: bool = False
    evidence_lines: int = 0

    @property
    def override_right(self) -> bool | None:
        """For an override of the evidence: whether the expert overrides it the same way."""
        if not self.overridden or self.right is None:
            return None
        return self.right

    @property
    def key(self) -> str:
        return f"{self.tree}:{self.node}"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["override_right"] = self.override_right
        return data


@dataclass(frozen=True)
class Score:
    right: int
    wrong: int
    unjudged: int
    checks: int
    checks_with_evidence: int
    evidence_lines: int
    overrides_right: int
    overrides_wrong: int
    missed_overrides: int
    seconds: int | None
    runbook_expected: str
    runbook_reached: str | None
    verdicts: tuple[Verdict, ...] = ()
    side_by_side: tuple[tuple[str | None, str | None, bool], ...] = ()

    @property
    def runbook_right(self) -> bool:
        return self.runbook_reached == self.runbook_expected

    @property
    def percent(self) -> int:
        judged = self.right + self.wrong
        return round(100 * self.right / judged) if judged else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "right": self.right,
            "wrong": self.wrong,
            "unjudged": self.unjudged,
            "percent": self.percent,
            "checks": self.checks,
            "checks_with_evidence": self.checks_with_evidence,
            "evidence_lines": self.evidence_lines,
            "overrides_right": self.overrides_right,
            "overrides_wrong": self.overrides_wrong,
            "missed_overrides": self.missed_overrides,
            "seconds": self.seconds,
            "runbook_expected": self.runbook_expected,
            "runbook_reached": self.runbook_reached,
            "runbook_right": self.runbook_right,
        }


def _same_value(a: str, b: str) -> bool:
    """Typed values compare as numbers when both are numbers, otherwise as text without regard to case."""
    try:
        return float(a) == float(b)
    except ValueError:
        return a.strip().casefold() == b.strip().casefold()


class Expert:
    """The expert's answers for one case, with the case's evidence read once."""

    def __init__(self, case: Case, catalog: Any) -> None:
        self.case = case
        self.catalog = catalog
        self._path = {(s.tree, s.node): s.answer for s in case.path}
        self._proposals: dict[tuple[str, str], str | None] | None = None

    def _tree(self, tree: Tree | str) -> Tree:
        return tree if isinstance(tree, Tree) else self.catalog.get(tree)

    def expected_choice(self, tree: Tree | str, node: Any) -> str | None:
        """The expert's choice id at a node (or the value, at a question that only takes one); None if unknown."""
        tree_obj = self._tree(tree)
        node_obj = tree_obj.nodes[node] if isinstance(node, str) else node
        key = (tree_obj.id, node_obj.id)
        if key in self._path:
            return self._path[key]
        given = self.case.answer_for(*key)
        if given is not None:
            return given[1]
        capture = getattr(node_obj, "capture", None)
        if capture is not None and not getattr(node_obj, "choices", ()) and capture.name in self.case.values:
            return self.case.values[capture.name]
        if isinstance(node_obj, Check):
            return self.proposal(tree_obj.id, node_obj.id)
        return None

    def proposal(self, tree_id: str, node_id: str) -> str | None:
        """What the case's evidence proposes at a check, as the headless walk would read it."""
        if self._proposals is None:
            self._proposals = self._read_evidence()
        return self._proposals.get((tree_id, node_id))

    def _read_evidence(self) -> dict[tuple[str, str], str | None]:
        """Each check's proposal from the case's evidence, read by the same engine as every walk."""
        from wizard.core.flow import read_book, read_check
        from wizard.core.session import Session

        book = read_book(list(self.case.evidence), self.catalog)
        out: dict[tuple[str, str], str | None] = {}
        for tree in self.catalog:
            for node in tree.nodes.values():
                if not isinstance(node, Check):
                    continue
                session = Session.start(self.catalog, tree.id, node.id, values=dict(self.case.values))
                reading = read_check(session, book) if session.node_id == node.id else None
                if reading is not None and reading.proposal is not None:
                    out[(tree.id, node.id)] = reading.proposal.choice
        return out

    def judge(self, move: Any) -> Verdict:
        """The trainee's answer at one move set beside the expert's, with the node's `why` when they differ."""
        tree = self.catalog.get(move.tree)
        node = tree.nodes[move.node]
        chosen = move.choice or (move.value or "")
        expected = self.expected_choice(tree, node)
        if expected is None:
            right = None
        elif move.choice:
            right = move.choice == expected
        else:
            right = _same_value(chosen, expected)
        prompt = getattr(node, "prompt", "") if isinstance(node, (Question, Check)) else ""
        return Verdict(
            tree=move.tree,
            node=move.node,
            prompt=prompt,
            chosen=chosen,
            expected=expected,
            right=right,
            on_expert_path=(move.tree, move.node) in self._path,
            why=getattr(node, "why", "") if right is False else "",
            proposed=move.proposed,
            overridden=bool(move.proposed is not None and move.proposed != move.choice),
            evidence_lines=len(move.evidence),
        )

    def score(self, session: Any, *, started: str | None = None, ended: str | None = None) -> Score:
        # Only the trainee's own answers are judged: not link crossings, nor values the wizard already knew.
        answered = [m for m in session.moves if not m.is_link and not getattr(m, "auto", False)]
        verdicts = tuple(self.judge(m) for m in answered)
        checks = [v for v, m in zip(verdicts, answered) if isinstance(self.catalog.get(m.tree).nodes[m.node], Check)]
        reached = f"{session.tree_id}:{session.node_id}" if session.at_runbook else None
        return Score(
            right=sum(v.right is True for v in verdicts),
            wrong=sum(v.right is False for v in verdicts),
            unjudged=sum(v.right is None for v in verdicts),
            checks=len(checks),
            checks_with_evidence=sum(v.proposed is not None or v.evidence_lines > 0 for v in checks),
            evidence_lines=sum(v.evidence_lines for v in verdicts),
            overrides_right=sum(v.override_right is True for v in verdicts),
            overrides_wrong=sum(v.override_right is False for v in verdicts),
            missed_overrides=sum(
                v.proposed is not None and not v.overridden and v.expected is not None and v.expected != v.proposed
                for v in verdicts
            ),
            seconds=_seconds(started or session.created, ended or session.updated),
            runbook_expected=f"{self.case.runbook_tree}:{self.case.runbook}",
            runbook_reached=reached,
            verdicts=verdicts,
            side_by_side=tuple(self.side_by_side(session)),
        )

    def side_by_side(self, session: Any) -> list[tuple[str | None, str | None, bool]]:
        """(expert step, trainee step, same) rows in order; the shorter path leaves its column empty."""
        expert = [f"{s.tree}:{s.node} = {s.answer}" for s in self.case.path]
        trainee = [f"{m.tree}:{m.node} = {m.choice or (m.value or '')}" for m in session.moves if not m.is_link]
        rows = []
        for index in range(max(len(expert), len(trainee))):
            left = expert[index] if index < len(expert) else None
            right = trainee[index] if index < len(trainee) else None
            rows.append((left, right, left == right))
        return rows


def _seconds(start: str, end: str) -> int | None:
    try:
        return max(0, int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()))
    except (TypeError, ValueError):
        return None


_EXPERTS: dict[tuple[str, int], Expert] = {}


def expert_for(case: Case, catalog: Any | None = None) -> Expert:
    """A cached Expert for a case (the evidence is read once per case and catalog)."""
    if catalog is None:
        from wizard.core.catalog import load_catalog

        catalog = load_catalog()
    key = (str(case.file), id(catalog))
    found = _EXPERTS.get(key)
    if found is None or found.case is not case or found.catalog is not catalog:
        found = _EXPERTS[key] = Expert(case, catalog)
        while len(_EXPERTS) > 16:
            _EXPERTS.pop(next(iter(_EXPERTS)))
    return found


def expected_choice(case: Case, tree: Tree | str, node: Any, catalog: Any | None = None) -> str | None:
    return expert_for(case, catalog).expected_choice(tree, node)


def judge(case: Case, move: Any, catalog: Any | None = None) -> Verdict:
    return expert_for(case, catalog).judge(move)


def score(case: Case, session: Any, **times: str | None) -> Score:
    return expert_for(case, session.catalog).score(session, **times)


# ------------------------------------------------------------------------------------------------ records


def record(case: Case, session: Any, *, trainee: str = "", started: str | None = None, ended: str | None = None
           ) -> dict[str, Any]:
    """The practice record a trainer collects: who, which case, when, the score and every answer judged."""
    result = score(case, session, started=started, ended=ended)
    return {
        "format": RECORD_FORMAT,
        "format_version": RECORD_VERSION,
        "trainee": trainee,
        "case": case.id,
        "case_title": case.title,
        "tree": case.tree,
        "started": started or session.created,
        "ended": ended or session.updated,
        "score": result.as_dict(),
        "answers": [v.as_dict() for v in result.verdicts],
        "side_by_side": [{"expert": e, "trainee": t, "same": same} for e, t, same in result.side_by_side],
    }


class RecordError(ValueError):
    """A file that is not a practice record."""


def read_record(path: str | os.PathLike[str]) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordError(f"{path}: cannot be read as JSON ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT:
        raise RecordError(f"{path}: not a practice record")
    if data.get("format_version") != RECORD_VERSION:
        raise RecordError(f"{path}: practice record version {data.get('format_version')!r} is not supported")
    if not isinstance(data.get("answers"), list) or not isinstance(data.get("score"), dict):
        raise RecordError(f"{path}: the record has no answers or no score")
    return data


@dataclass
class QuestionTally:
    key: str
    prompt: str
    answered: int = 0
    wrong: int = 0
    wrong_choices: Counter[str] = field(default_factory=Counter)
    expected: str = ""


@dataclass
class ClassReport:
    records: list[dict[str, Any]]
    questions: list[QuestionTally]
    problems: list[str]


def class_report(records: Iterable[Mapping[str, Any]], problems: Sequence[str] = ()) -> ClassReport:
    """Per question: how many trainees answered it and how many got it wrong, most missed first."""
    kept = [dict(r) for r in records]
    tallies: dict[str, QuestionTally] = {}
    for rec in kept:
        for answer in rec.get("answers", []):
            if not isinstance(answer, Mapping):
                continue
            key = f"{answer.get('tree', '')}:{answer.get('node', '')}"
            tally = tallies.setdefault(key, QuestionTally(key, str(answer.get("prompt", ""))))
            tally.answered += 1
            if answer.get("right") is False:
                tally.wrong += 1
                tally.wrong_choices[str(answer.get("chosen", ""))] += 1
                tally.expected = str(answer.get("expected") or "")
    ordered = sorted(tallies.values(), key=lambda t: (-t.wrong, -t.answered, t.key))
    return ClassReport(kept, ordered, list(problems))


def read_class(folder: str | os.PathLike[str]) -> ClassReport:
    records, problems = [], []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            records.append(read_record(path))
        except RecordError as exc:
            problems.append(str(exc))
    return class_report(records, problems)


def _minutes(seconds: Any) -> str:
    return f"{int(seconds) // 60} min {int(seconds) % 60:02d} s" if isinstance(seconds, int) else "-"


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "\\<").replace("`", "'")


def report_markdown(report: ClassReport) -> str:
    out = ["# Practice report", "", f"{len(report.records)} record(s).", ""]
    out += ["## Questions most often answered differently from the expert", ""]
    if report.questions:
        out += ["| question | node | answered | wrong | chosen instead | expert |", "|---|---|---|---|---|---|"]
        for t in report.questions:
            chosen = ", ".join(f"{c} ({n})" for c, n in t.wrong_choices.most_common(3)) or "-"
            out.append(f"| {_cell(t.prompt)} | {_cell(t.key)} | {t.answered} | {t.wrong} | {_cell(chosen)} | "
                       f"{_cell(t.expected or '-')} |")
    else:
        out.append("No answers recorded.")
    out += ["", "## Trainees", "", "| trainee | case | right | wrong | runbook | overrides right/wrong | time |",
            "|---|---|---|---|---|---|---|"]
    for rec in report.records:
        s = rec["score"]
        runbook = "right" if s.get("runbook_right") else f"reached {s.get('runbook_reached') or 'none'}"
        out.append(f"| {_cell(rec.get('trainee') or '-')} | {_cell(rec.get('case', ''))} | {s.get('right', 0)} | "
                   f"{s.get('wrong', 0)} | {_cell(runbook)} | {s.get('overrides_right', 0)}/"
                   f"{s.get('overrides_wrong', 0)} | {_minutes(s.get('seconds'))} |")
    if report.problems:
        out += ["", "## Files skipped", ""] + [f"- {_cell(p)}" for p in report.problems]
    return "\n".join(out) + "\n"


def report_html(report: ClassReport) -> str:
    def e(text: object) -> str:
        return html.escape(str(text), quote=True)

    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Practice report</title>',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        "<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}"
        ".bar{background:#c33;height:.7rem;display:inline-block}</style></head><body>",
        "<h1>Practice report</h1>",
        f"<p>{len(report.records)} record(s).</p>",
        "<h2>Questions most often answered differently from the expert</h2>",
        "<table><tr><th>question</th><th>node</th><th>answered</th><th>wrong</th><th></th><th>chosen instead</th>"
        "<th>expert</th></tr>",
    ]
    for t in report.questions:
        chosen = ", ".join(f"{c} ({n})" for c, n in t.wrong_choices.most_common(3)) or "-"
        width = int(100 * t.wrong / t.answered) if t.answered else 0
        out.append(f"<tr><td>{e(t.prompt)}</td><td><code>{e(t.key)}</code></td><td>{t.answered}</td>"
                   f"<td>{t.wrong}</td><td><span class=\"bar\" style=\"width:{width}px\"></span></td>"
                   f"<td>{e(chosen)}</td><td>{e(t.expected or '-')}</td></tr>")
    out += ["</table>", "<h2>Trainees</h2>",
            "<table><tr><th>trainee</th><th>case</th><th>right</th><th>wrong</th><th>runbook</th>"
            "<th>overrides right/wrong</th><th>time</th></tr>"]
    for rec in report.records:
        s = rec["score"]
        runbook = "right" if s.get("runbook_right") else f"reached {s.get('runbook_reached') or 'none'}"
        out.append(f"<tr><td>{e(rec.get('trainee') or '-')}</td><td>{e(rec.get('case', ''))}</td>"
                   f"<td>{e(s.get('right', 0))}</td><td>{e(s.get('wrong', 0))}</td><td>{e(runbook)}</td>"
                   f"<td>{e(s.get('overrides_right', 0))}/{e(s.get('overrides_wrong', 0))}</td>"
                   f"<td>{e(_minutes(s.get('seconds')))}</td></tr>")
    out.append("</table>")
    if report.problems:
        out += ["<h2>Files skipped</h2>", "<ul>"] + [f"<li>{e(p)}</li>" for p in report.problems] + ["</ul>"]
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def score_markdown(case: Case, result: Score, trainee: str = "") -> str:
    """What a trainee sees at the end: the score, each answer that differed with its why, both paths."""
    who = f" for {_cell(trainee)}" if trainee else ""
    out = [f"# Practice: {_cell(case.title)}{who}", ""]
    judged = result.right + result.wrong
    out.append(f"- Answers like the expert's: {result.right} of {judged} ({result.percent}%)"
               + (f"; {result.unjudged} not judged (off the expert's path)" if result.unjudged else ""))
    out.append(f"- Checks answered with evidence: {result.checks_with_evidence} of {result.checks} "
               f"({result.evidence_lines} evidence line(s) cited)")
    out.append(f"- Overrides of the evidence: {result.overrides_right} right, {result.overrides_wrong} wrong; "
               f"{result.missed_overrides} proposal(s) accepted that the expert overrides")
    out.append(f"- Runbook: {'the expected one' if result.runbook_right else 'not the expected one'} "
               f"(expected {result.runbook_expected}, reached {result.runbook_reached or 'none yet'})")
    if result.seconds is not None:
        out.append(f"- Time: {_minutes(result.seconds)}")
    out.append("")
    differing = [v for v in result.verdicts if v.right is False]
    if differing:
        out += ["## Where you and the expert differ", ""]
        for v in differing:
            out.append(f"- {_cell(v.prompt)} You: `{_cell(v.chosen)}`, expert: `{_cell(v.expected)}`.")
            if v.why:
                out.append(f"  Why it matters: {_cell(v.why)}")
        out.append("")
    out += ["## The expert's path beside yours", "", "| expert | you | |", "|---|---|---|"]
    for left, right, same in result.side_by_side:
        out.append(f"| {_cell(left or '')} | {_cell(right or '')} | {'same' if same else 'differs'} |")
    return "\n".join(out) + "\n"
