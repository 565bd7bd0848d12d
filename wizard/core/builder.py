"""Building the model from located plain data: every record checked for shape and type on the way.

The builder never raises on bad data: each problem becomes a located Diagnostic and the part that could not be
built is left out (its node id is remembered in `broken`, so the linter does not report it twice).
"""

from __future__ import annotations

import re
from typing import Any, cast

from wizard.core.diagnostics import Diagnostic, Severity
from wizard.core.lint_codes import closest, severity_of
from wizard.core.model import (
    Capture,
    CaptureCase,
    CaptureType,
    Check,
    Choice,
    Compute,
    EvidenceKind,
    EvidenceSpec,
    Link,
    Loc,
    NextTree,
    Node,
    Question,
    Runbook,
    Signature,
    Step,
    Tree,
    Triage,
)
from wizard.core.yamlsafe import Locator

ID_PATTERN = r"^[a-z][a-z0-9-]*$"
CHOICE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"

TOP_FIELDS = ("id", "title", "version", "product", "summary", "triage", "start", "learn", "nodes")
TOP_REQUIRED = ("id", "title", "version", "product", "summary", "triage", "start", "nodes")
TRIAGE_FIELDS = ("symptoms", "signatures", "event_ids", "status_ids", "message_types", "keywords", "entry")
NODE_COMMON = ("kind", "title", "learn")
QUESTION_FIELDS = NODE_COMMON + ("prompt", "why", "how", "commands", "capture", "choices")
QUESTION_REQUIRED = ("prompt", "how")
CHECK_FIELDS = QUESTION_FIELDS + ("evidence", "signatures", "otherwise", "scope", "decide")
DECIDE_RULES = ("any", "newest")
RUNBOOK_FIELDS = NODE_COMMON + ("diagnosis", "compute", "steps", "next", "escalate")
RUNBOOK_REQUIRED = ("title", "diagnosis", "steps")
LINK_FIELDS = NODE_COMMON + ("tree", "node", "why")
LINK_REQUIRED = ("tree", "why")
CHOICE_FIELDS = ("id", "label", "next", "note", "set")
CHOICE_REQUIRED = ("id", "label", "next")
CAPTURE_FIELDS = ("name", "label", "pattern", "type", "example", "next", "case", "min", "max")
CAPTURE_CASES = ("upper", "lower")
CAPTURE_REQUIRED = ("name", "label")
CAPTURE_TYPES = ("text", "integer", "number", "list")
EVIDENCE_FIELDS = ("kind", "files", "where")
EVIDENCE_KINDS = ("log", "folder", "events", "command", "text")
SIGNATURE_FIELDS = ("id", "means", "proposes", "literal", "regex", "event_id", "source", "file", "under",
                    "count_as", "ignore_case", "scope")
SIGNATURE_REQUIRED = ("id", "means", "proposes")
STEP_FIELDS = ("do", "runs_on", "commands", "console", "wait", "caution", "verify", "shell", "wait_source",
               "changes", "reversible", "undo", "backup", "for_each", "when")
SHELLS = ("cmd", "powershell")
"""The shells a step's commands are written for: Command Prompt (cmd.exe) and Windows PowerShell."""
STEP_REQUIRED = ("do", "runs_on", "verify")
COMPUTE_FIELDS = ("name", "expr", "label", "unit")
COMPUTE_REQUIRED = ("name", "expr", "label")
NEXT_FIELDS = ("tree", "why")
NEXT_REQUIRED = ("tree", "why")
NODE_KINDS = ("question", "check", "runbook", "link")
_REQUIRED_SETS: dict[tuple[str, ...], frozenset[str]] = {fields: frozenset(fields) for fields in (
    (), TOP_REQUIRED, QUESTION_REQUIRED, RUNBOOK_REQUIRED, LINK_REQUIRED, CHOICE_REQUIRED, CAPTURE_REQUIRED,
    SIGNATURE_REQUIRED, STEP_REQUIRED, COMPUTE_REQUIRED, NEXT_REQUIRED)}
ANY_NODE_FIELDS = tuple(dict.fromkeys(CHECK_FIELDS + RUNBOOK_FIELDS + LINK_FIELDS))
_ALLOWED_SETS: dict[tuple[str, ...], frozenset[str]] = {fields: frozenset(fields) for fields in (
    TOP_FIELDS, TRIAGE_FIELDS, QUESTION_FIELDS, CHECK_FIELDS, RUNBOOK_FIELDS, LINK_FIELDS, CHOICE_FIELDS,
    CAPTURE_FIELDS, EVIDENCE_FIELDS, SIGNATURE_FIELDS, STEP_FIELDS, COMPUTE_FIELDS, NEXT_FIELDS,
    ANY_NODE_FIELDS)}

_MISSING = object()


_is_id = re.compile(r"[a-z][a-z0-9-]*\Z").match
_is_choice_id = re.compile(r"[a-z0-9][a-z0-9-]*\Z").match
_is_name = re.compile(r"[a-z][a-z0-9_]*\Z").match


def describe_value(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value:g}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


class Builder:
    """Turns located plain data into model records, collecting shape and type problems on the way."""

    def __init__(self, file: str, locator: Locator, suppressed: set[str]) -> None:
        self.file = file
        self.locator = locator
        self.suppressed = suppressed
        self.problems: list[Diagnostic] = []
        self.broken: set[str] = set()

    # -- reporting --------------------------------------------------------------------------------------
    def report(self, code: str, path: str, message: str, hint: str = "", *, at_key: bool = False,
               severity: Severity | None = None) -> None:
        where = self.locator.key(path) if at_key else self.locator.value(path)
        line, col = where or (1, 1)
        self.problems.append(Diagnostic(code, severity or severity_of(code), self.file, line, col, path,
                                        message, hint))

    def loc(self, path: str, at_key: bool = False) -> Loc:
        found = self.locator.locs.get(path)
        if found is not None:
            if at_key:
                return Loc(self.file, found >> 68, (found >> 48) & 0xFFFFF)
            return Loc(self.file, (found >> 20) & 0xFFFFFFF, found & 0xFFFFF)
        where = self.locator.key(path) if at_key else self.locator.value(path)
        line, col = where or (1, 1)
        return Loc(self.file, line, col)

    def wrong(self, path: str, value: Any, expected: str, container_expected: bool = False) -> None:
        if path in self.suppressed:
            return
        shape = container_expected or isinstance(value, (dict, list))
        hint = ""
        if expected == "text" and isinstance(value, (int, float, bool)):
            hint = "put the value in quotes to make it text"
        elif expected == "text" and value is None:
            hint = "write a value after the colon, or remove the field"
        elif expected == "a whole number" and isinstance(value, str) and value.strip().lstrip("-").isdigit():
            hint = "remove the quotes around the number"
        elif expected == "a list" and not isinstance(value, (dict, list)):
            hint = "write it as a list: '- item' lines or [item, ...]"
        self.report("WZ204" if shape else "WZ203", path, f"expected {expected}, found {describe_value(value)}",
                    hint)

    def fields(self, mapping: dict[str, Any], path: str, allowed: tuple[str, ...], required: tuple[str, ...],
               what: str) -> None:
        keys = mapping.keys()
        if keys <= _ALLOWED_SETS[allowed] and _REQUIRED_SETS[required] <= keys:
            return
        for name in mapping:
            if name not in allowed:
                hint = closest(name, allowed) or f"fields of {what}: {', '.join(allowed)}"
                self.report("WZ201", _join(path, name), f"unknown field '{name}' in {what}", hint, at_key=True)
        for name in required:
            if name not in mapping:
                self.report("WZ202", _join(path, name), f"{what} needs '{name}'", "", at_key=True)

    # -- typed getters ----------------------------------------------------------------------------------
    def text(self, mapping: dict[str, Any], path: str, name: str) -> str:
        value = mapping.get(name)
        if value.__class__ is str:
            return value
        if value is None and name not in mapping:
            return ""
        self.wrong(_join(path, name), value, "text")
        return ""

    def integer(self, mapping: dict[str, Any], path: str, name: str) -> int | None:
        value = mapping.get(name, _MISSING)
        if value is _MISSING:
            return None
        if type(value) is int:
            return value
        self.wrong(_join(path, name), value, "a whole number")
        return None

    def number(self, mapping: dict[str, Any], path: str, name: str) -> float | None:
        value = mapping.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) > 1e15:
            self.wrong(_join(path, name), value, "a number")
            return None
        return float(value)

    def boolean(self, mapping: dict[str, Any], path: str, name: str) -> bool:
        value = mapping.get(name, _MISSING)
        if value is _MISSING:
            return False
        if isinstance(value, bool):
            return value
        self.wrong(_join(path, name), value, "true or false")
        return False

    def texts(self, mapping: dict[str, Any], path: str, name: str) -> tuple[str, ...]:
        items = self.sequence(mapping, path, name)
        out = []
        base = _join(path, name)
        for index, item in enumerate(items):
            if isinstance(item, str):
                out.append(item)
            else:
                self.wrong(f"{base}[{index}]", item, "text")
        return tuple(out)

    def integers(self, mapping: dict[str, Any], path: str, name: str) -> tuple[int, ...]:
        items = self.sequence(mapping, path, name)
        out = []
        base = _join(path, name)
        for index, item in enumerate(items):
            if type(item) is int:
                out.append(item)
            else:
                self.wrong(f"{base}[{index}]", item, "a whole number")
        return tuple(out)

    def sequence(self, mapping: dict[str, Any], path: str, name: str) -> list[Any]:
        value = mapping.get(name, _MISSING)
        if value is _MISSING:
            return []
        if isinstance(value, list):
            return value
        self.wrong(_join(path, name), value, "a list", container_expected=True)
        return []

    def submapping(self, mapping: dict[str, Any], path: str, name: str) -> dict[str, Any] | None:
        value = mapping.get(name, _MISSING)
        if value is _MISSING:
            return None
        if isinstance(value, dict):
            return value
        self.wrong(_join(path, name), value, "a mapping", container_expected=True)
        return None

    def records(self, mapping: dict[str, Any], path: str, name: str, what: str) -> list[tuple[str, dict[str, Any]]]:
        """The mapping items of a list field, with their paths; other items are reported."""
        base = _join(path, name)
        out = []
        for index, item in enumerate(self.sequence(mapping, path, name)):
            item_path = f"{base}[{index}]"
            if isinstance(item, dict):
                out.append((item_path, item))
            else:
                self.wrong(item_path, item, f"a mapping ({what})", container_expected=True)
        return out

    def check_pattern(self, path: str, value: str, ok: Any, what: str, pattern: str, field: str = "") -> None:
        if value and not ok:
            path = f"{path}.{field}" if field else path
            suggestion = _suggest_id(value, "_" if pattern == NAME_PATTERN else "-")
            hint = f"for example '{suggestion}'" if suggestion and suggestion != value else ""
            self.report("WZ205", path, f"{what} '{value}' does not match {pattern}", hint)

    # -- records ----------------------------------------------------------------------------------------
    def build(self, data: Any, digest: str) -> Tree | None:
        if not isinstance(data, dict):
            self.report("WZ200", "", f"the top level of a tree must be a mapping, found {describe_value(data)}",
                        "start the file with 'id: my-tree' and the other top-level fields")
            return None
        self.fields(data, "", TOP_FIELDS, TOP_REQUIRED, "a tree")
        tree_id = self.text(data, "", "id")
        self.check_pattern("id", tree_id, _is_id(tree_id), "tree id", ID_PATTERN)
        version = self.integer(data, "", "version")
        if version is not None and version < 1:
            self.report("WZ206", "version", f"version must be 1 or more, found {version}", "start at version: 1")
        triage_data = self.submapping(data, "", "triage")
        triage = self.triage(triage_data) if triage_data is not None else Triage()
        nodes: dict[str, Node] = {}
        node_map = self.submapping(data, "", "nodes")
        if node_map is not None:
            for node_id, node_data in node_map.items():
                node = self.node(node_id, node_data)
                if node is None:
                    self.broken.add(node_id)
                else:
                    nodes[node_id] = node
        return Tree(
            id=tree_id,
            title=self.text(data, "", "title"),
            version=version if version is not None else 0,
            product=self.text(data, "", "product"),
            summary=self.text(data, "", "summary"),
            start=self.text(data, "", "start"),
            nodes=nodes,
            triage=triage,
            learn=self.texts(data, "", "learn"),
            path=self.file,
            content_hash=digest,
            loc=self.loc(""),
            locator=self.locator,
        )

    def triage(self, data: dict[str, Any]) -> Triage:
        path = "triage"
        self.fields(data, path, TRIAGE_FIELDS, (), "triage")
        return Triage(
            symptoms=self.texts(data, path, "symptoms"),
            signatures=self.texts(data, path, "signatures"),
            event_ids=self.integers(data, path, "event_ids"),
            status_ids=self.integers(data, path, "status_ids"),
            message_types=self.texts(data, path, "message_types"),
            keywords=self.texts(data, path, "keywords"),
            entry=self.text(data, path, "entry"),
        )

    def node(self, node_id: str, data: Any) -> Node | None:
        path = f"nodes.{node_id}"
        self.check_pattern(path, node_id, _is_id(node_id), "node id", ID_PATTERN)
        if not isinstance(data, dict):
            self.wrong(path, data, "a mapping (a node)", container_expected=True)
            return None
        kind = data.get("kind", _MISSING)
        if kind is _MISSING:
            self.fields(data, path, ANY_NODE_FIELDS, (), "a node")
            self.report("WZ202", _join(path, "kind"), "a node needs 'kind'",
                        f"one of: {', '.join(NODE_KINDS)}", at_key=True)
            return None
        if kind not in NODE_KINDS:
            if isinstance(kind, str):
                hint = closest(kind, NODE_KINDS) or f"one of: {', '.join(NODE_KINDS)}"
                self.report("WZ206", f"{path}.kind", f"unknown node kind '{kind}'", hint)
            else:
                self.wrong(f"{path}.kind", kind, "text")
            return None
        loc = self.loc(path, at_key=True)
        title = self.text(data, path, "title")
        learn = self.texts(data, path, "learn")
        if kind == "runbook":
            self.fields(data, path, RUNBOOK_FIELDS, RUNBOOK_REQUIRED, "a runbook")
            steps_path = f"{path}.steps"
            if isinstance(data.get("steps"), list) and not data["steps"]:
                self.report("WZ207", steps_path, "a runbook needs at least one step")
            return Runbook(
                id=node_id,
                title=title,
                diagnosis=self.text(data, path, "diagnosis"),
                steps=tuple(self.step(p, d) for p, d in self.records(data, path, "steps", "a step")),
                compute=tuple(self.compute(p, d) for p, d in self.records(data, path, "compute", "a compute")),
                next=tuple(self.next_tree(p, d) for p, d in self.records(data, path, "next", "a next tree")),
                escalate=self.text(data, path, "escalate"),
                learn=learn,
                loc=loc,
            )
        if kind == "link":
            self.fields(data, path, LINK_FIELDS, LINK_REQUIRED, "a link")
            target = self.text(data, path, "tree")
            self.check_pattern(path, target, _is_id(target), "tree id", ID_PATTERN, "tree")
            target_node = self.text(data, path, "node")
            self.check_pattern(path, target_node, _is_id(target_node), "node id", ID_PATTERN, "node")
            return Link(id=node_id, tree=target, why=self.text(data, path, "why"), node=target_node,
                        title=title, learn=learn, loc=loc)
        is_check = kind == "check"
        self.fields(data, path, CHECK_FIELDS if is_check else QUESTION_FIELDS, QUESTION_REQUIRED,
                    "a check" if is_check else "a question")
        capture_data = self.submapping(data, path, "capture")
        capture = self.capture(f"{path}.capture", capture_data) if capture_data is not None else None
        choices = tuple(self.choice(p, d) for p, d in self.records(data, path, "choices", "a choice"))
        common: dict[str, Any] = dict(
            id=node_id,
            prompt=self.text(data, path, "prompt"),
            how=self.text(data, path, "how"),
            why=self.text(data, path, "why"),
            title=title,
            commands=self.texts(data, path, "commands"),
            capture=capture,
            choices=choices,
            learn=learn,
            loc=loc,
        )
        if not is_check:
            return Question(**common)
        evidence_data = self.submapping(data, path, "evidence")
        evidence = self.evidence(f"{path}.evidence", evidence_data) if evidence_data is not None else EvidenceSpec()
        signatures = tuple(self.signature(p, d)
                           for p, d in self.records(data, path, "signatures", "a signature"))
        decide = self.text(data, path, "decide") or "any"
        if decide not in DECIDE_RULES:
            self.report("WZ420", f"{path}.decide", f"unknown decide rule '{decide}'",
                        closest(decide, DECIDE_RULES) or f"one of: {', '.join(DECIDE_RULES)}")
            decide = "any"
        return Check(evidence=evidence, signatures=signatures, otherwise=self.text(data, path, "otherwise"),
                     scope=self.scope(data, path) or (), decide=decide, **common)

    def scope(self, data: dict[str, Any], path: str) -> tuple[tuple[str, str], ...] | None:
        """A `scope`: capture names to the walk value names they must agree with; None when absent."""
        mapping = self.submapping(data, path, "scope")
        if mapping is None:
            return None
        out = []
        base = _join(path, "scope")
        for name, value in mapping.items():
            name_path = _join(base, str(name))
            self.check_pattern(name_path, str(name), _is_name(str(name)), "capture name", NAME_PATTERN)
            if not isinstance(value, str):
                self.wrong(name_path, value, "text")
                continue
            self.check_pattern(name_path, value, _is_name(value), "value name", NAME_PATTERN)
            out.append((str(name), value))
        return tuple(out)

    def choice(self, path: str, data: dict[str, Any]) -> Choice:
        get = data.get
        choice_id, label, target, note = get("id"), get("label"), get("next"), get("note", "")
        if (choice_id.__class__ is str and label.__class__ is str and target.__class__ is str
                and note.__class__ is str and (len(data) == 3 or (len(data) == 4 and "note" in data))
                and _is_choice_id(choice_id)):
            return Choice(id=choice_id, label=label, next=target, note=note, loc=self.loc(path))
        self.fields(data, path, CHOICE_FIELDS, CHOICE_REQUIRED, "a choice")
        choice_id = self.text(data, path, "id")
        self.check_pattern(path, choice_id, _is_choice_id(choice_id), "choice id", CHOICE_ID_PATTERN, "id")
        return Choice(id=choice_id, label=self.text(data, path, "label"), next=self.text(data, path, "next"),
                      note=self.text(data, path, "note"), sets=self.assignments(data, path), loc=self.loc(path))

    def assignments(self, data: dict[str, Any], path: str) -> tuple[tuple[str, str], ...]:
        """A choice's `set`: value names to plain numbers or text."""
        mapping = self.submapping(data, path, "set")
        if mapping is None:
            return ()
        out = []
        base = _join(path, "set")
        for name, value in mapping.items():
            name_path = _join(base, str(name))
            self.check_pattern(name_path, str(name), _is_name(str(name)), "value name", NAME_PATTERN)
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                self.wrong(name_path, value, "a number or text")
                continue
            out.append((str(name), str(value)))
        return tuple(out)

    def capture(self, path: str, data: dict[str, Any]) -> Capture:
        self.fields(data, path, CAPTURE_FIELDS, CAPTURE_REQUIRED, "a capture")
        name = self.text(data, path, "name")
        self.check_pattern(path, name, _is_name(name), "capture name", NAME_PATTERN, "name")
        kind = self.text(data, path, "type") or "text"
        if kind not in CAPTURE_TYPES:
            self.report("WZ206", f"{path}.type", f"unknown capture type '{kind}'",
                        closest(kind, CAPTURE_TYPES) or f"one of: {', '.join(CAPTURE_TYPES)}")
            kind = "text"
        case = self.text(data, path, "case")
        if case and case not in CAPTURE_CASES:
            self.report("WZ206", f"{path}.case", f"unknown case '{case}'",
                        closest(case, CAPTURE_CASES) or f"one of: {', '.join(CAPTURE_CASES)}")
            case = ""
        low, high = (self.number(data, path, end) for end in ("min", "max"))
        if (low is not None or high is not None) and kind not in ("integer", "number"):
            self.report("WZ206", f"{path}.type", "min and max need a capture of type integer or number",
                        "add type: integer (or number), or drop min and max")
        if low is not None and high is not None and low > high:
            self.report("WZ206", f"{path}.min", f"min {low:g} is above max {high:g}")
        return Capture(name=name, label=self.text(data, path, "label"), pattern=self.text(data, path, "pattern"),
                       type=cast(CaptureType, kind), example=self.text(data, path, "example"),
                       next=self.text(data, path, "next"), case=cast(CaptureCase, case), min=low, max=high,
                       loc=self.loc(path))

    def evidence(self, path: str, data: dict[str, Any]) -> EvidenceSpec:
        self.fields(data, path, EVIDENCE_FIELDS, (), "evidence")
        kind = self.text(data, path, "kind") or "text"
        if kind not in EVIDENCE_KINDS:
            self.report("WZ206", f"{path}.kind", f"unknown evidence kind '{kind}'",
                        closest(kind, EVIDENCE_KINDS) or f"one of: {', '.join(EVIDENCE_KINDS)}")
            kind = "text"
        return EvidenceSpec(kind=cast(EvidenceKind, kind), files=self.texts(data, path, "files"), where=self.text(data, path, "where"))

    def signature(self, path: str, data: dict[str, Any]) -> Signature:
        self.fields(data, path, SIGNATURE_FIELDS, SIGNATURE_REQUIRED, "a signature")
        signature_id = self.text(data, path, "id")
        self.check_pattern(path, signature_id, _is_choice_id(signature_id), "signature id", CHOICE_ID_PATTERN,
                           "id")
        count_as = self.text(data, path, "count_as")
        self.check_pattern(path, count_as, _is_name(count_as), "count_as name", NAME_PATTERN, "count_as")
        return Signature(
            id=signature_id,
            means=self.text(data, path, "means"),
            proposes=self.text(data, path, "proposes"),
            literal=self.text(data, path, "literal"),
            regex=self.text(data, path, "regex"),
            event_id=self.integer(data, path, "event_id"),
            source=self.text(data, path, "source"),
            file=self.text(data, path, "file"),
            under=self.text(data, path, "under"),
            count_as=count_as,
            ignore_case=self.boolean(data, path, "ignore_case"),
            scope=self.scope(data, path),
            loc=self.loc(path),
        )

    def step(self, path: str, data: dict[str, Any]) -> Step:
        self.fields(data, path, STEP_FIELDS, STEP_REQUIRED, "a step")
        shell = self.text(data, path, "shell")
        if shell and shell not in SHELLS:
            self.report("WZ206", f"{path}.shell", f"unknown shell '{shell}'",
                        closest(shell, SHELLS) or f"one of: {', '.join(SHELLS)}")
            shell = ""
        reversible = data.get("reversible", _MISSING)
        return Step(do=self.text(data, path, "do"), runs_on=self.text(data, path, "runs_on"),
                    verify=self.text(data, path, "verify"), commands=self.texts(data, path, "commands"),
                    console=self.text(data, path, "console"), wait=self.text(data, path, "wait"),
                    caution=self.text(data, path, "caution"), shell=shell,
                    wait_source=self.text(data, path, "wait_source"), changes=self.boolean(data, path, "changes"),
                    reversible=True if reversible is _MISSING else self.boolean(data, path, "reversible"),
                    undo=self.text(data, path, "undo"), backup=self.boolean(data, path, "backup"),
                    for_each=self.names_or_name(data, path, "for_each"), when=self.when(path, data),
                    loc=self.loc(path))

    def names_or_name(self, mapping: dict[str, Any], path: str, name: str) -> tuple[str, ...]:
        """A field that takes one value name or a list of them (`for_each: dead_dps` or `[dead_dps, dead_dp_ips]`)."""
        value = mapping.get(name, _MISSING)
        if value is _MISSING:
            return ()
        items = self.texts(mapping, path, name) if isinstance(value, list) else (self.text(mapping, path, name),)
        base = _join(path, name)
        for item in items:
            self.check_pattern(base, item, _is_name(item), "value name", NAME_PATTERN)
        return tuple(item for item in items if item)

    def when(self, path: str, data: dict[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """`when: {node: choice}` or `{node: [choice, ...]}`: the answers after which a step applies."""
        raw = self.submapping(data, path, "when")
        if not raw:
            return ()
        out = []
        for key, value in raw.items():
            where = f"{path}.when.{key}"
            choices = [value] if isinstance(value, str) else value
            if not isinstance(key, str) or not isinstance(choices, list) or not choices or not all(
                isinstance(c, str) for c in choices
            ):
                self.wrong(where, value, "a choice id or a list of choice ids")
                continue
            out.append((key, tuple(choices)))
        return tuple(out)

    def compute(self, path: str, data: dict[str, Any]) -> Compute:
        self.fields(data, path, COMPUTE_FIELDS, COMPUTE_REQUIRED, "a compute")
        name = self.text(data, path, "name")
        self.check_pattern(path, name, _is_name(name), "compute name", NAME_PATTERN, "name")
        expr = data.get("expr")
        if type(expr) in (int, float):  # a constant written as a bare number is still a valid expression
            expr_text = str(expr)
        else:
            expr_text = self.text(data, path, "expr")
        return Compute(name=name, expr=expr_text, label=self.text(data, path, "label"),
                       unit=self.text(data, path, "unit"), loc=self.loc(path))

    def next_tree(self, path: str, data: dict[str, Any]) -> NextTree:
        self.fields(data, path, NEXT_FIELDS, NEXT_REQUIRED, "a next tree")
        target = self.text(data, path, "tree")
        self.check_pattern(path, target, _is_id(target), "tree id", ID_PATTERN, "tree")
        return NextTree(tree=target, why=self.text(data, path, "why"), loc=self.loc(path))


def _suggest_id(value: str, separator: str) -> str:
    cleaned = []
    for char in value.lower():
        if char.isascii() and char.isalnum():
            cleaned.append(char)
        elif cleaned and cleaned[-1] != separator:
            cleaned.append(separator)
    text = "".join(cleaned).strip(separator)
    while text and not ("a" <= text[0] <= "z"):
        text = text[1:]
    return text


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
