"""The in-memory form of a tree: frozen records the walker, renderers and evidence engine share.

Every record keeps the location it was read from, so any later complaint can point at the YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from wizard.core.yamlsafe import Locator

CaptureType = Literal["text", "integer", "number", "list"]
CaptureCase = Literal["", "upper", "lower"]
EvidenceKind = Literal["log", "folder", "events", "command", "text"]


@dataclass(frozen=True, slots=True)
class Loc:
    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


NOWHERE = Loc("<memory>", 0, 0)


@dataclass(frozen=True, slots=True)
class Choice:
    """An answer. `sets` gives values the answer implies, so a runbook can compute with a yes or a no."""

    id: str
    label: str
    next: str
    note: str = ""
    sets: tuple[tuple[str, str], ...] = ()
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Capture:
    name: str
    label: str
    pattern: str = ""
    type: CaptureType = "text"
    example: str = ""
    next: str = ""
    case: CaptureCase = ""
    """Typed text is turned to this case where it enters (site codes are upper case in the product)."""
    min: float | None = None
    max: float | None = None
    """For numbers: the range a value must lie in; anything outside is refused with the range in the message."""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Signature:
    """One thing a check looks for. Exactly one of literal, regex, event_id, file is set."""

    id: str
    means: str
    proposes: str
    literal: str = ""
    regex: str = ""
    event_id: int | None = None
    source: str = ""
    file: str = ""
    under: str = ""
    count_as: str = ""
    ignore_case: bool = False
    scope: tuple[tuple[str, str], ...] | None = None
    """This signature's own scope (capture name, walk value name), replacing the check's; None keeps the check's."""
    loc: Loc = NOWHERE

    @property
    def matcher(self) -> Literal["literal", "regex", "event_id", "file"]:
        if self.literal:
            return "literal"
        if self.regex:
            return "regex"
        if self.event_id is not None:
            return "event_id"
        return "file"

    @property
    def describe(self) -> str:
        """The signature as one line an operator can read."""
        if self.literal:
            return self.literal
        if self.regex:
            return f"/{self.regex}/"
        if self.event_id is not None:
            return f"event {self.event_id}" + (f" from {self.source}" if self.source else "")
        where = f" under {self.under}" if self.under else ""
        return f"file {self.file}{where}"


@dataclass(frozen=True, slots=True)
class EvidenceSpec:
    kind: EvidenceKind = "text"
    files: tuple[str, ...] = ()
    where: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    """One runbook step. A step that changes something says how to undo it, or that it cannot be undone
    (`reversible` false), and an irreversible step comes after a `backup` step. `for_each` names list values:
    the step is shown once per item, each name standing for its item."""

    do: str
    runs_on: str
    verify: str
    commands: tuple[str, ...] = ()
    console: str = ""
    wait: str = ""
    caution: str = ""
    shell: str = ""
    wait_source: str = ""
    changes: bool = False
    reversible: bool = True
    undo: str = ""
    backup: bool = False
    for_each: tuple[str, ...] = ()
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Shown only if the walk answered each named node (NODE or TREE:NODE) with one of the listed choices."""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Compute:
    name: str
    expr: str
    label: str
    unit: str = ""
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class NextTree:
    tree: str
    why: str
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Asking:
    """What questions and checks share: a prompt, why it matters, how to find out, and the answers."""

    id: str
    prompt: str
    how: str
    why: str = ""
    title: str = ""
    commands: tuple[str, ...] = ()
    capture: Capture | None = None
    choices: tuple[Choice, ...] = ()
    learn: tuple[str, ...] = ()
    loc: Loc = NOWHERE


@dataclass(frozen=True, slots=True)
class Question(Asking):
    kind: Literal["question"] = "question"


@dataclass(frozen=True, slots=True)
class Check(Asking):
    """A question the evidence can answer: the signatures propose a choice, the operator confirms it."""

    evidence: EvidenceSpec = field(default_factory=EvidenceSpec)
    signatures: tuple[Signature, ...] = ()
    otherwise: str = ""
    scope: tuple[tuple[str, str], ...] = ()
    """(capture name, walk value name): matches whose capture disagrees with the known value are about another object."""
    decide: str = "any"
    """"any": the first signature in order that matched decides; "newest": the newest state on the timeline."""
    kind: Literal["check"] = "check"


@dataclass(frozen=True, slots=True)
class Runbook:
    id: str
    title: str
    diagnosis: str
    steps: tuple[Step, ...]
    compute: tuple[Compute, ...] = ()
    next: tuple[NextTree, ...] = ()
    escalate: str = ""
    learn: tuple[str, ...] = ()
    loc: Loc = NOWHERE
    kind: Literal["runbook"] = "runbook"


@dataclass(frozen=True, slots=True)
class Link:
    id: str
    tree: str
    why: str
    node: str = ""
    title: str = ""
    learn: tuple[str, ...] = ()
    loc: Loc = NOWHERE
    kind: Literal["link"] = "link"


Node = Question | Check | Runbook | Link


@dataclass(frozen=True, slots=True)
class Triage:
    symptoms: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ()
    event_ids: tuple[int, ...] = ()
    status_ids: tuple[int, ...] = ()
    message_types: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    entry: str = ""


@dataclass(frozen=True, slots=True)
class Tree:
    id: str
    title: str
    version: int
    product: str
    summary: str
    start: str
    nodes: dict[str, Node]
    triage: Triage = field(default_factory=Triage)
    learn: tuple[str, ...] = ()
    path: str = ""
    content_hash: str = ""
    loc: Loc = NOWHERE
    locator: Locator | None = field(default=None, compare=False, repr=False)
    """Where every field of the file sits, for problems found after loading (set by the loader)."""

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    def label(self, node_id: str) -> str:
        """A short name for a node, for breadcrumbs and maps."""
        node = self.nodes[node_id]
        if node.title:
            return node.title
        if isinstance(node, (Question, Check)):
            return node.prompt
        if isinstance(node, Link):
            return f"continue in {node.tree}"
        return node_id

    @property
    def entry(self) -> str:
        return self.triage.entry or self.start

    def edges(self) -> list[tuple[str, str, str]]:
        """Every (source, target, choice id) inside this tree; link nodes have no in-tree edge."""
        out: list[tuple[str, str, str]] = []
        for node in self.nodes.values():
            if isinstance(node, (Question, Check)):
                for choice in node.choices:
                    out.append((node.id, choice.next, choice.id))
                if node.capture is not None and node.capture.next:
                    out.append((node.id, node.capture.next, ""))
        return out


def choice_of(node: Node, choice_id: str) -> Choice | None:
    choices: tuple[Choice, ...] = getattr(node, "choices", ())
    for choice in choices:
        if choice.id == choice_id:
            return choice
    return None
