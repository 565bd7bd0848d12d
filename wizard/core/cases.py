"""Case files: a ticket, its evidence and the path an expert takes, kept beside the evidence as `case.yaml`.

One file serves three uses: a regression test for tree authors (`wizard test` walks it headless and reports every
difference from the expected path and runbook), a practice case for trainees (wizard.core.practice), and a demo.
Case files are read with the same strict, located YAML reader as trees, so every problem and every difference
points at a line of the case file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from wizard.core import yamlsafe
from wizard.core.diagnostics import Diagnostic, Severity
from wizard.core.lint_codes import closest
from wizard.core.yamlsafe import Locator

CASE_FILE = "case.yaml"
TRAINER_README = "README.md"
CASE_FORMAT = 1
TRIAGE_RANK_LIMIT = 2
"""Triage must put the case's tree at most this far down its ranking of the ticket."""

# WC1xx: the case file refers to something that is not there. WC2xx: walking the case differs from it.
CODES: dict[str, tuple[Severity, str]] = {
    "WC100": ("error", "case format version not supported"),
    "WC101": ("error", "the case's tree is not installed"),
    "WC102": ("error", "a node the case names is not in its tree"),
    "WC103": ("error", "an answer or path step names no choice of its node"),
    "WC104": ("error", "an evidence path is missing or leaves the case folder"),
    "WC105": ("error", "the expected runbook is not a runbook node"),
    "WC106": ("error", "a path step is not written TREE:NODE"),
    "WC200": ("error", "triage does not rank the case's tree first or second for the ticket"),
    "WC201": ("error", "the walk answered a step differently from the expected path"),
    "WC202": ("error", "the walk stopped at a question the case does not answer"),
    "WC203": ("error", "the walk took a step the expected path does not have"),
    "WC204": ("error", "the walk did not take an expected step"),
    "WC205": ("error", "the walk ended at another runbook, or at none"),
    "WC206": ("error", "a value the path expects was not given or differs"),
    "WC207": ("error", "the walk could not go on"),
    "WC208": ("warning", "an answer or value of the case was never used"),
    "WC209": ("warning", "part of the evidence could not be read"),
}

TOP_FIELDS = ("case", "tree", "title", "ticket", "evidence", "answers", "values", "path", "runbook", "notes")
REQUIRED = ("case", "tree", "title", "ticket", "path", "runbook")


@dataclass(frozen=True, slots=True)
class PathStep:
    """One expected step: at TREE:NODE the expert answers `answer` (a choice id, or the value typed)."""

    tree: str
    node: str
    answer: str
    field_path: str

    @property
    def key(self) -> str:
        return f"{self.tree}:{self.node}"


@dataclass(frozen=True)
class Case:
    file: Path
    tree: str
    title: str
    ticket: str
    evidence: tuple[Path, ...]
    answers: dict[str, str]
    values: dict[str, str]
    path: tuple[PathStep, ...]
    runbook_tree: str
    runbook: str
    notes: str = ""
    version: int = CASE_FORMAT
    locator: Locator = field(default_factory=lambda: Locator(""), compare=False, repr=False)

    @property
    def folder(self) -> Path:
        return self.file.parent

    @property
    def id(self) -> str:
        """TREE/FOLDER, how trainers and reports name a case."""
        return f"{self.tree}/{self.folder.name}"

    def where(self, field_path: str, *, at_key: bool = False) -> tuple[int, int]:
        found = self.locator.key(field_path) if at_key else self.locator.value(field_path)
        return found or (1, 1)

    def diagnostic(self, code: str, field_path: str, message: str, hint: str = "", *, at_key: bool = False
                   ) -> Diagnostic:
        line, col = self.where(field_path, at_key=at_key)
        return Diagnostic(code, CODES[code][0], str(self.file), line, col, field_path, message, hint)

    def answer_for(self, tree_id: str, node_id: str) -> tuple[str, str] | None:
        """The case's answer for a node (given as TREE:NODE or NODE) with the key it was given under."""
        for key in (f"{tree_id}:{node_id}", node_id):
            if key in self.answers:
                return key, self.answers[key]
        return None


@dataclass(frozen=True)
class CaseLoad:
    case: Case | None
    problems: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.case is not None and not any(p.severity == "error" for p in self.problems)


# ---------------------------------------------------------------------------------------------------- reading


def load_case(path: str | os.PathLike[str]) -> CaseLoad:
    """Read a case file (or the case.yaml of a folder); never raises, every problem is located."""
    file = Path(path)
    if file.is_dir():
        file = file / CASE_FILE
    try:
        with open(file, "rb") as handle:
            raw = handle.read(yamlsafe.MAX_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return CaseLoad(None, (Diagnostic("WZ100", "error", str(file), 1, 1, "", f"cannot read the case: {reason}",
                                          "check the path and its permissions"),))
    located = yamlsafe.parse_bytes(raw)
    problems = [Diagnostic(code, cast(Severity, severity), str(file), line, col, fpath,
                           message.replace("a tree", "a case"), hint)
                for code, severity, line, col, fpath, message, hint in located.problems]
    if located.fatal:
        return CaseLoad(None, tuple(problems))
    if located.data is None:
        problems.append(Diagnostic("WZ108", "error", str(file), 1, 1, "", "empty file: no case in it"))
        return CaseLoad(None, tuple(problems))
    reader = _Reader(file, Locator(str(file), located.locs, located.scalar_locs), located.suppressed)
    case = reader.read(located.data)
    problems += reader.problems
    problems.sort(key=lambda d: (d.line, d.col, d.code))
    return CaseLoad(case, tuple(problems))


def _text_of(value: Any) -> str | None:
    """Plain scalars as the text an operator would type: `29` and `"29"` are the same answer."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


class _Reader:
    def __init__(self, file: Path, locator: Locator, suppressed: set[str]) -> None:
        self.file = file
        self.locator = locator
        self.suppressed = suppressed
        self.problems: list[Diagnostic] = []

    def report(self, code: str, field_path: str, message: str, hint: str = "", *, at_key: bool = False) -> None:
        if field_path in self.suppressed:
            return
        found = self.locator.key(field_path) if at_key else self.locator.value(field_path)
        line, col = found or (1, 1)
        severity: Severity = CODES[code][0] if code in CODES else "error"
        self.problems.append(Diagnostic(code, severity, str(self.file), line, col, field_path, message, hint))

    def read(self, data: Any) -> Case | None:
        if not isinstance(data, dict):
            self.report("WZ200", "", "the top of a case file must be a mapping (case:, tree:, title:, ...)")
            return None
        for name in data:
            if name not in TOP_FIELDS:
                hint = closest(str(name), TOP_FIELDS) or "fields of a case: " + ", ".join(TOP_FIELDS)
                self.report("WZ201", str(name), f"unknown field '{name}' in a case", hint, at_key=True)
        for name in REQUIRED:
            if name not in data:
                self.report("WZ202", "", f"a case needs '{name}'")
        version = data.get("case", CASE_FORMAT)
        if isinstance(version, bool) or not isinstance(version, int):
            self.report("WZ203", "case", "the case format version must be a whole number", "write case: 1")
        elif version != CASE_FORMAT:
            self.report("WC100", "case", f"case format {version} is not supported; this wizard reads format "
                        f"{CASE_FORMAT}")
        texts = {name: self.text(data, name) for name in ("tree", "title", "ticket", "notes")}
        tree = texts["tree"]
        if tree and not _is_id(tree):
            self.report("WZ205", "tree", f"'{tree}' is not a tree id", "tree ids look like key-exchange")
        evidence = self.evidence(data.get("evidence"), "evidence" in data)
        answers = self.mapping(data, "answers")
        values = self.mapping(data, "values")
        steps = self.steps(data.get("path"))
        runbook_tree, runbook = self.runbook(data.get("runbook"), tree)
        return Case(
            file=self.file,
            tree=tree,
            title=texts["title"],
            ticket=texts["ticket"],
            evidence=evidence,
            answers=answers,
            values=values,
            path=steps,
            runbook_tree=runbook_tree,
            runbook=runbook,
            notes=texts["notes"],
            version=version if isinstance(version, int) else CASE_FORMAT,
            locator=self.locator,
        )

    def text(self, data: dict[str, Any], name: str) -> str:
        value = data.get(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            hint = "put the value in quotes to make it text" if not isinstance(value, (dict, list)) else ""
            self.report("WZ204" if isinstance(value, (dict, list)) else "WZ203", name, f"'{name}' must be text",
                        hint)
            return ""
        return value

    def evidence(self, value: Any, given: bool) -> tuple[Path, ...]:
        folder = self.file.parent
        if not given or value is None:
            # The whole folder, less the case file and the trainer's README: their words are no evidence.
            return tuple(sorted(p for p in folder.iterdir() if p.name not in (CASE_FILE, TRAINER_README)))
        if isinstance(value, str):
            value = [value]
            items = [("evidence", value[0])]
        elif isinstance(value, list):
            items = [(f"evidence[{i}]", item) for i, item in enumerate(value)]
        else:
            self.report("WZ204", "evidence", "evidence must be a path or a list of paths",
                        "write evidence: [despool.log, inboxes]")
            return ()
        out: list[Path] = []
        root = folder.resolve()
        for fpath, item in items:
            if not isinstance(item, str) or not item.strip():
                self.report("WZ203", fpath, "an evidence path must be text")
                continue
            relative = Path(item)
            drive = item[1:2] == ":" and item[:1].isalpha()
            if relative.is_absolute() or drive or item.startswith(("\\", "/")) or ".." in relative.parts:
                self.report("WC104", fpath, f"evidence path '{item}' must stay inside the case folder",
                            "give a path relative to the folder that holds case.yaml")
                continue
            target = folder / relative
            try:
                inside = target.resolve().is_relative_to(root)
            except OSError:
                inside = False
            if not inside:
                self.report("WC104", fpath, f"evidence path '{item}' leads out of the case folder")
                continue
            if not target.exists():
                self.report("WC104", fpath, f"evidence path '{item}' is not in the case folder")
                continue
            out.append(target)
        return tuple(out) if out or not items else ()

    def mapping(self, data: dict[str, Any], name: str) -> dict[str, str]:
        value = data.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.report("WZ204", name, f"'{name}' must be a mapping of NAME: value")
            return {}
        out: dict[str, str] = {}
        for key, item in value.items():
            text = _text_of(item)
            if text is None:
                self.report("WZ203", f"{name}.{key}", f"the value of '{key}' must be text or a number",
                            "write the answer after the colon")
                continue
            out[str(key)] = text
        return out

    def steps(self, value: Any) -> tuple[PathStep, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.report("WZ204", "path", "path must be a list of '- TREE:NODE: ANSWER' lines")
            return ()
        if not value:
            self.report("WZ207", "path", "the expected path is empty", "list at least one step")
        out: list[PathStep] = []
        for index, item in enumerate(value):
            where = f"path[{index}]"
            if not isinstance(item, dict) or len(item) != 1:
                self.report("WZ204", where, "each path step is one 'TREE:NODE: ANSWER' pair",
                            "write - key-exchange:c-despool-key-errors: key-missing")
                continue
            ((key, answer),) = item.items()
            text = _text_of(answer)
            if text is None:
                self.report("WZ203", f"{where}.{key}", f"the answer at '{key}' must be a choice id or a value")
                continue
            tree, sep, node = str(key).partition(":")
            if not sep or not _is_id(tree) or not _is_id(node):
                self.report("WC106", f"{where}.{key}", f"path step '{key}' is not written TREE:NODE",
                            "write the tree id, a colon, then the node id", at_key=True)
                continue
            out.append(PathStep(tree, node, text, f"{where}.{key}"))
        return tuple(out)

    def runbook(self, value: Any, tree: str) -> tuple[str, str]:
        if value is None:
            return "", ""
        if not isinstance(value, str):
            self.report("WZ203", "runbook", "runbook must be text: TREE:NODE")
            return "", ""
        runbook_tree, sep, node = value.partition(":")
        if not sep:
            runbook_tree, node = tree, value
        if not _is_id(runbook_tree) or not _is_id(node):
            self.report("WC106", "runbook", f"runbook '{value}' is not written TREE:NODE")
            return "", ""
        return runbook_tree, node


def _is_id(text: str) -> bool:
    return bool(text) and text[0].isascii() and text[0].islower() and all(
        c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in text
    )


# ---------------------------------------------------------------------------------------------------- finding


def shipped_cases_dir() -> Path:
    from wizard.core.catalog import samples_dir

    return samples_dir()


def case_files(targets: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Case files named directly, or found anywhere below the folders given; the shipped ones by default."""
    found: list[Path] = []
    for target in [Path(t) for t in targets] or [shipped_cases_dir()]:
        if target.is_file():
            found.append(target)
        elif target.is_dir():
            found += sorted(p for p in target.rglob(CASE_FILE) if p.is_file())
    return found


# ---------------------------------------------------------------------------------------------------- checking


def check_references(case: Case, catalog: Any) -> list[Diagnostic]:
    """What the case names that the installed trees do not have: trees, nodes, choices, the runbook."""
    from wizard.core.model import Check, Question, Runbook, choice_of

    problems: list[Diagnostic] = []
    if case.tree and case.tree not in catalog:
        hint = closest(case.tree, list(catalog.trees))
        return [case.diagnostic("WC101", "tree", f"no tree '{case.tree}' is installed", hint)]

    def node_of(tree_id: str, node_id: str, field_path: str, at_key: bool) -> Any:
        if tree_id not in catalog:
            problems.append(case.diagnostic("WC101", field_path, f"no tree '{tree_id}' is installed",
                                            closest(tree_id, list(catalog.trees)), at_key=at_key))
            return None
        tree = catalog.get(tree_id)
        if node_id not in tree.nodes:
            problems.append(case.diagnostic("WC102", field_path, f"tree '{tree_id}' has no node '{node_id}'",
                                            closest(node_id, list(tree.nodes)), at_key=at_key))
            return None
        return tree.nodes[node_id]

    def answer_fits(node: Any, answer: str, field_path: str) -> None:
        if not isinstance(node, (Question, Check)):
            problems.append(case.diagnostic("WC102", field_path, f"node '{node.id}' is not a question or check"))
            return
        if node.choices and choice_of(node, answer) is None:
            ids = [c.id for c in node.choices]
            problems.append(case.diagnostic("WC103", field_path, f"'{answer}' is not a choice of '{node.id}'",
                                            closest(answer, ids) or "choices: " + ", ".join(ids)))

    for key, answer in case.answers.items():
        tree_id, sep, node_id = key.rpartition(":")
        if not sep:
            # A plain NODE answers that node in whichever tree the walk meets it; the case's own tree first.
            holders = [t.id for t in catalog if node_id in t.nodes]
            tree_id = case.tree if case.tree in holders or not holders else holders[0]
        node = node_of(tree_id, node_id, f"answers.{key}", True)
        if node is not None:
            answer_fits(node, answer, f"answers.{key}")
    for step in case.path:
        node = node_of(step.tree, step.node, step.field_path, True)
        if node is not None:
            answer_fits(node, step.answer, step.field_path)
    if case.runbook:
        node = node_of(case.runbook_tree, case.runbook, "runbook", False)
        if node is not None and not isinstance(node, Runbook):
            problems.append(case.diagnostic("WC105", "runbook", f"'{case.runbook}' is a {node.kind}, not a runbook"))
    return problems


@dataclass
class CaseRun:
    """What walking a case gave: the differences found, and the walk for whoever wants to show it."""

    case: Case
    differences: list[Diagnostic] = field(default_factory=list)
    outcome: Any = None
    triage: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.differences


def decided_steps(session: Any) -> list[tuple[str, str, str]]:
    """(tree, node, answer) for each answer of a walk: the choice id, or the value of a question without choices."""
    steps = []
    for move in session.moves:
        if move.is_link:
            continue
        steps.append((move.tree, move.node, move.choice or (move.value or "")))
    return steps


def _is_value_step(catalog: Any, tree_id: str, node_id: str) -> bool:
    tree = catalog.trees.get(tree_id)
    node = tree.nodes.get(node_id) if tree is not None else None
    return node is not None and not getattr(node, "choices", ()) and getattr(node, "capture", None) is not None


def run_case(case: Case, catalog: Any) -> CaseRun:
    """Triage the ticket, walk the tree with the evidence and the case's answers, and list every difference."""
    from wizard.core.triage import rank
    from wizard.core.walk import WalkError, walk

    run = CaseRun(case)
    problems = check_references(case, catalog)
    if any(p.severity == "error" for p in problems):
        run.differences = problems
        return run
    diffs = run.differences
    ranked = [m.tree for m in rank(case.ticket, list(catalog))] if case.ticket.strip() else []
    run.triage = ranked
    if case.tree not in ranked[:TRIAGE_RANK_LIMIT]:
        position = (f"ranks {case.tree} {ranked.index(case.tree) + 1}" if case.tree in ranked
                    else f"does not rank {case.tree} at all")
        top = ", ".join(ranked[:TRIAGE_RANK_LIMIT]) or "nothing"
        diffs.append(case.diagnostic("WC200", "ticket", f"triage of the ticket {position} (first: {top})",
                                     "use the words of the tree's triage symptoms, or add a symptom to the tree"))
    values = dict(case.values)
    for _ in range(len(values) + 1):
        try:
            outcome = walk(catalog, case.tree, answers=case.answers, values=values, evidence=list(case.evidence))
            break
        except WalkError as exc:
            name = _value_named(str(exc), values)
            if name is not None and "no question asks" in str(exc):
                # A value no tree asks for: say so at its line and walk on without it.
                diffs.append(case.diagnostic("WC208", f"values.{name}", f"the value {name} was never asked for",
                                             at_key=True))
                values.pop(name)
                continue
            where = f"values.{name}" if name is not None else _answer_named(str(exc), case) or "tree"
            diffs.append(case.diagnostic("WC207", where, f"the walk stopped: {exc}", at_key=where != "tree"))
            return run
    else:  # pragma: no cover - every pass either walks or drops one value
        return run
    run.outcome = outcome
    for problem in outcome.problems:
        diffs.append(case.diagnostic("WC209", "evidence" if case.locator.value("evidence") else "tree",
                                     f"evidence: {problem}"))
    diffs += compare_path(case, catalog, outcome.session)
    diffs += _unused(case, outcome, values)
    session = outcome.session
    reached = (session.tree_id, session.node_id) if outcome.status == "runbook" else None
    if reached != (case.runbook_tree, case.runbook):
        got = f"runbook {reached[0]}:{reached[1]}" if reached else f"question {session.tree_id}:{session.node_id}"
        on_path = any((s.tree, s.node) == (session.tree_id, session.node_id) for s in case.path)
        hint = "" if reached or on_path else (
            f"nothing in the case answers {session.tree_id}:{session.node_id}; add it to answers and to path")
        diffs.append(case.diagnostic("WC205", "runbook", f"expected runbook {case.runbook_tree}:{case.runbook}, "
                                     f"the walk ended at {got}", hint))
    return run


def _value_named(message: str, values: dict[str, str]) -> str | None:
    """The value a walk error is about (`--set NAME=...`), when the case gives one of that name."""
    head = message.partition("--set ")[2].partition("=")[0]
    return head if head in values else None


def _answer_named(message: str, case: Case) -> str | None:
    """The answers entry a walk error is about (it names TREE/NODE), as a field path of the case."""
    for key in case.answers:
        tree_id, sep, node_id = key.rpartition(":")
        if f"/{node_id}:" in message or f"/{node_id} " in message:
            return f"answers.{key}"
    return None


def compare_path(case: Case, catalog: Any, session: Any) -> list[Diagnostic]:
    """Differences between the answers a walk took and the case's expected path.

    Choice steps must match in order. A question that only takes a typed value is checked by its value, wherever
    the walk asked it (or did not need to ask it because the evidence gave the value).
    """
    diffs: list[Diagnostic] = []
    actual = [s for s in decided_steps(session) if not _is_value_step(catalog, s[0], s[1])]
    expected = [s for s in case.path if not _is_value_step(catalog, s.tree, s.node)]
    values = session.values
    for step in case.path:
        if step in expected:
            continue
        node = catalog.get(step.tree).nodes[step.node]
        name = node.capture.name
        got = values.get(name)
        if got is None:
            diffs.append(case.diagnostic("WC206", step.field_path, f"the walk never got a value for {name} "
                                         f"(expected '{step.answer}')", f"add '{name}' to values"))
        elif got.strip() != step.answer.strip():
            diffs.append(case.diagnostic("WC206", step.field_path, f"{name} is '{got}', the path expects "
                                         f"'{step.answer}'"))
    index = 0
    for index, step in enumerate(expected):
        if index >= len(actual):
            break
        tree_id, node_id, answer = actual[index]
        if (tree_id, node_id) != (step.tree, step.node):
            diffs.append(case.diagnostic("WC204", step.field_path, f"step {index + 1}: expected {step.key}, the walk "
                                         f"was at {tree_id}:{node_id} (answered '{answer}')", at_key=True))
            return diffs
        if answer != step.answer:
            proposed = _proposal_at(session, tree_id, node_id)
            why = f" (the evidence proposed '{proposed}')" if proposed else ""
            hint = "" if proposed else f"add {step.key}: {step.answer} to answers"
            diffs.append(case.diagnostic("WC201", step.field_path, f"step {index + 1}: at {step.key} the walk "
                                         f"answered '{answer}', the path expects '{step.answer}'{why}", hint))
            return diffs
    if len(actual) < len(expected):
        step = expected[len(actual)]
        if session.tree_id == step.tree and session.node_id == step.node:
            diffs.append(case.diagnostic("WC202", step.field_path, f"the walk stopped at {step.key}: nothing answers "
                                         "it", f"add {step.key}: {step.answer} to answers", at_key=True))
        else:
            diffs.append(case.diagnostic("WC204", step.field_path, f"the walk never reached {step.key}; it ended at "
                                         f"{session.tree_id}:{session.node_id}", at_key=True))
    elif len(actual) > len(expected):
        for tree_id, node_id, answer in actual[len(expected):]:
            anchor = expected[-1].field_path if expected else "path"
            diffs.append(case.diagnostic("WC203", anchor, f"after the expected path the walk also answered "
                                         f"{tree_id}:{node_id} with '{answer}'", at_key=bool(expected)))
    return diffs


def _proposal_at(session: Any, tree_id: str, node_id: str) -> str | None:
    for move in session.moves:
        if (move.tree, move.node) == (tree_id, node_id):
            proposed: str | None = move.proposed
            return proposed
    return None


def _unused(case: Case, outcome: Any, values: dict[str, str]) -> list[Diagnostic]:
    """Answers for nodes the walk never reached, and values no question took: a case gone stale."""
    diffs: list[Diagnostic] = []
    reached = {(m.tree, m.node) for m in outcome.session.moves}
    for key in case.answers:
        tree_id, sep, node_id = key.rpartition(":")
        if sep and (tree_id, node_id) in reached:
            continue
        if not sep and any(n == node_id for _, n in reached):
            continue
        diffs.append(case.diagnostic("WC208", f"answers.{key}", f"the answer for {key} was never used: the walk "
                                     "did not reach that node", at_key=True))
    taken: set[str] = set()
    catalog = outcome.session.catalog
    for tree_id in outcome.session.trees_used:
        for node in catalog.get(tree_id).nodes.values():
            capture = getattr(node, "capture", None)
            if capture is not None:
                taken.add(capture.name)
    for name in values:
        if name not in taken:
            diffs.append(case.diagnostic("WC208", f"values.{name}", f"the value {name} was never asked for",
                                         at_key=True))
    return diffs


# ---------------------------------------------------------------------------------------------------- reporting


@dataclass
class CasesReport:
    runs: list[CaseRun] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def differences(self) -> list[Diagnostic]:
        out = list(self.problems)
        for run in self.runs:
            out += run.differences
        return out


def run_cases(paths: Sequence[Path], catalog: Any) -> CasesReport:
    """Load and walk each case file; problems reading a file are reported like differences."""
    report = CasesReport()
    for path in paths:
        loaded = load_case(path)
        report.problems += loaded.problems
        if loaded.ok and loaded.case is not None:
            report.runs.append(run_case(loaded.case, catalog))
        elif loaded.case is not None:
            report.problems += check_references(loaded.case, catalog)
    return report

