"""What a value of a walk is and where to find it, for the values a walk has not learned yet.

A runbook or a question never shows a raw `{name}`: a value not known yet reads as what it is (`<Parent site
server>`), and exports list every such value at the top with where to find it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wizard.core.model import Check, Question, Runbook, Tree


@dataclass(frozen=True)
class ValueInfo:
    name: str
    label: str
    """What the value is, in words: the question's label, or a name made readable."""
    where: str
    """Where to find it: the question that asks for it, or the check whose evidence names it."""


def _words(name: str) -> str:
    return name.replace("_", " ").strip()


def _first_sentence(text: str, limit: int = 220) -> str:
    flat = " ".join(text.split())
    cut = flat.find(". ")
    sentence = flat[: cut + 1] if 0 < cut < limit else flat[:limit]
    return sentence if len(sentence) < len(flat) or sentence.endswith(".") else sentence + "…"


def describe_value(trees: Iterable[Tree], name: str) -> ValueInfo:
    """The first thing in the trees that can give `name`: a question, a check's evidence, a compute, a choice."""
    trees = list(trees)
    for tree in trees:
        for node in tree.nodes.values():
            capture = getattr(node, "capture", None)
            if isinstance(node, (Question, Check)) and capture is not None and capture.name == name:
                title = node.title or node.prompt
                return ValueInfo(name, capture.label, f"asked at “{title}”: {_first_sentence(node.how)}")
    for tree in trees:
        for node in tree.nodes.values():
            if not isinstance(node, Check):
                continue
            for signature in node.signatures:
                if f"(?P<{name}>" in signature.regex or signature.count_as == name:
                    where = f" ({node.evidence.where})" if node.evidence.where else ""
                    title = node.title or node.prompt
                    return ValueInfo(name, _words(name), f"read from the evidence of “{title}”{where}")
    for tree in trees:
        for node in tree.nodes.values():
            if isinstance(node, Runbook):
                for item in node.compute:
                    if item.name == name:
                        return ValueInfo(name, item.label, "worked out from the values above once they are known")
            for choice in getattr(node, "choices", ()):
                if any(set_name == name for set_name, _ in choice.sets):
                    prompt = getattr(node, "prompt", node.id)
                    return ValueInfo(name, _words(name), f"set by your answer to “{prompt}”")
    return ValueInfo(name, _words(name), "not asked by this walk; find it on the server the step names")


class KnownValues(dict[str, str]):
    """The walk's values; a placeholder for one not known yet fills in as what it is, never as `{name}`."""

    def __init__(self, values: Mapping[str, str], trees: Iterable[Tree]) -> None:
        super().__init__(values)
        self.trees = tuple(trees)
        self.missing: dict[str, ValueInfo] = {}

    def copy(self) -> KnownValues:
        """A copy that keeps describing, and records what it described in the same list."""
        twin = KnownValues(self, self.trees)
        twin.missing = self.missing
        return twin

    def unknown(self) -> list[ValueInfo]:
        """Every value a placeholder asked for that the walk does not know, in the order met."""
        return list(self.missing.values())

    def describe(self, name: str) -> str:
        info = self.missing.get(name)
        if info is None:
            info = self.missing[name] = describe_value(self.trees, name)
        return f"<{info.label}>"
