"""Checks on a built Tree: references, graph shape and field content. Reports every problem found at once."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from wizard.core.diagnostics import Diagnostic
from wizard.core.lint_codes import severity_of
from wizard.core.loader import closest
from wizard.core.model import Check, Link, Loc, Question, Runbook, Tree
from wizard.core.yamlsafe import Locator


class _Reporter:
    def __init__(self, tree: Tree, locator: Locator | None) -> None:
        self.file = tree.path or tree.loc.file
        self.locator = locator or Locator(self.file)
        self.problems: list[Diagnostic] = []

    def add(self, code: str, path: str, fallback: Loc, message: str, hint: str = "", *,
            at_key: bool = False) -> None:
        where = self.locator.key(path) if at_key else self.locator.value(path)
        line, col = where or (fallback.line, fallback.col)
        self.problems.append(Diagnostic(code, severity_of(code), self.file, line, col, path, message, hint))


def lint_tree(tree: Tree, locator: Locator | None = None, *, broken: Collection[str] = ()) -> list[Diagnostic]:
    """Every reference, graph and content problem of ``tree``.

    ``broken`` names nodes that exist in the file but could not be built; references to them are not dangling.
    """
    report = _Reporter(tree, locator)
    known = set(tree.nodes) | set(broken)
    _check_references(tree, known, report)
    return report.problems


def _check_references(tree: Tree, known: set[str], report: _Reporter) -> None:
    if tree.start and tree.start not in known:
        report.add("WZ300", "start", tree.loc, f"start names no node: '{tree.start}'", closest(tree.start, known))
    if tree.triage.entry and tree.triage.entry not in known:
        report.add("WZ301", "triage.entry", tree.loc, f"triage entry names no node: '{tree.triage.entry}'",
                   closest(tree.triage.entry, known))
    for node in tree.nodes.values():
        if not isinstance(node, (Question, Check)):
            continue
        base = f"nodes.{node.id}"
        for index, choice in enumerate(node.choices):
            if choice.next and choice.next not in known:
                report.add("WZ301", f"{base}.choices[{index}].next", choice.loc,
                           f"choice '{choice.id}' leads to no node: '{choice.next}'", closest(choice.next, known))
        if node.capture is not None and node.capture.next and node.capture.next not in known:
            report.add("WZ301", f"{base}.capture.next", node.capture.loc,
                       f"capture leads to no node: '{node.capture.next}'", closest(node.capture.next, known))
        if isinstance(node, Check):
            choice_ids = [c.id for c in node.choices]
            for index, signature in enumerate(node.signatures):
                if signature.proposes and signature.proposes not in choice_ids:
                    report.add("WZ302", f"{base}.signatures[{index}].proposes", signature.loc,
                               f"signature '{signature.id}' proposes '{signature.proposes}', "
                               f"which is not a choice of this node", closest(signature.proposes, choice_ids))
            if node.otherwise and node.otherwise not in choice_ids:
                report.add("WZ302", f"{base}.otherwise", node.loc,
                           f"otherwise names '{node.otherwise}', which is not a choice of this node",
                           closest(node.otherwise, choice_ids))


def link_problems(tree: Tree, known_tree_ids: Collection[str], locator: Locator | None = None) -> list[Diagnostic]:
    """Links and runbook next entries naming trees outside ``known_tree_ids`` (or nodes those trees lack)."""
    report = _Reporter(tree, locator)
    known = set(known_tree_ids)
    trees = known_tree_ids if isinstance(known_tree_ids, Mapping) else {}
    for node in tree.nodes.values():
        base = f"nodes.{node.id}"
        if isinstance(node, Link):
            if node.tree and node.tree not in known:
                report.add("WZ306", f"{base}.tree", node.loc, f"link to unknown tree '{node.tree}'",
                           closest(node.tree, known))
            elif node.tree and node.node:
                target = trees.get(node.tree)
                if isinstance(target, Tree) and node.node not in target.nodes:
                    report.add("WZ307", f"{base}.node", node.loc,
                               f"tree '{node.tree}' has no node '{node.node}'", closest(node.node, target.nodes))
        elif isinstance(node, Runbook):
            for index, item in enumerate(node.next):
                if item.tree and item.tree not in known:
                    report.add("WZ306", f"{base}.next[{index}].tree", item.loc,
                               f"next names unknown tree '{item.tree}'", closest(item.tree, known))
    return report.problems
