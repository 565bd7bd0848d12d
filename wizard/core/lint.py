"""Checks on a built Tree: references, graph shape and field content. Reports every problem found at once.

Graph checks work on plain dicts and sets with explicit stacks, so a tree of any size or depth is safe and the
module stays cheap to import.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping

from wizard.core.diagnostics import Diagnostic
from wizard.core.lint_codes import closest, severity_of
from wizard.core.listvalues import list_names
from wizard.core.model import Check, Link, Loc, Node, Question, Runbook, Tree
from wizard.core.placeholders import TOKEN as PLACEHOLDER_TOKEN
from wizard.core.suggest import closest_match
from wizard.core.yamlsafe import Locator



class _Reporter:
    def __init__(self, tree: Tree, locator: Locator | None) -> None:
        self.file = tree.path or tree.loc.file
        self.locator = locator or Locator(self.file)
        self.problems: list[Diagnostic] = []
        self.regex_verdicts: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}
        self.expr_verdicts: dict[str, set[str] | ExprProblem] = {}

    def regex(self, pattern: str) -> tuple[str, str, str, tuple[str, ...]]:
        found = self.regex_verdicts.get(pattern)
        if found is None:
            found = self.regex_verdicts[pattern] = regex_verdict(pattern)
        return found

    def add(self, code: str, path: str, fallback: Loc, message: str, hint: str = "", *,
            at_key: bool = False) -> None:
        where = self.locator.key(path) if at_key else self.locator.value(path)
        line, col = where or (fallback.line, fallback.col)
        self.problems.append(Diagnostic(code, severity_of(code), self.file, line, col, path, message, hint))


_hint = closest
"""The 'did you mean' hint; the helper narrows a huge candidate list by length itself."""


def lint_tree(tree: Tree, locator: Locator | None = None, *, broken: Collection[str] = ()) -> list[Diagnostic]:
    """Every reference, graph and content problem of ``tree``.

    ``broken`` names nodes that exist in the file but could not be built; references to them are not dangling
    and they count as possible exits, so one bad node does not cascade into graph problems.
    """
    report = _Reporter(tree, locator)
    known = set(tree.nodes) | set(broken)
    _check_references(tree, known, report)
    _check_graph(tree, set(broken), report)
    declared = declared_names(tree, report.regex_verdicts)
    for node in tree.nodes.values():
        base = f"nodes.{node.id}"
        if isinstance(node, (Question, Check)):
            _check_choices(node, base, report)
            if not node.why:
                report.add("WZ409", f"{base}.why", node.loc, f"{node.kind} '{node.id}' has no 'why'",
                           "say in a sentence what the answer tells the operator", at_key=True)
            if node.capture is not None and node.capture.pattern:
                _check_regex(node.capture.pattern, f"{base}.capture.pattern", node.capture.loc, report)
        if isinstance(node, Check):
            _check_signatures(node, base, report)
        if isinstance(node, Runbook):
            _check_computes(node, base, declared, report)
            _check_step_conditions(tree, node, base, report)
            _check_steps(node, base, list_names(tree), report)
    _check_placeholders(tree, declared, report)
    _check_skip_promises(tree, report)
    _check_scopes(tree, report)
    return report.problems


SKIP_PROMISE = re.compile(
    r"\b(?:is|are|gets?|will be) skipped\b|\bskips? (?:this|the) question\b|\b(?:is|will be) not asked\b|"
    r"\bnot be asked\b|\bwon't be asked\b",
    re.IGNORECASE,
)
"""Words by which a question promises to be left out when the evidence already gave its value."""


def _check_skip_promises(tree: Tree, report: _Reporter) -> None:
    """A question that says it is skipped when the evidence gave its value must have evidence that can give it:
    some check of the tree captures a value of that name (a regex group or a count)."""
    captured: set[str] = set()
    for node in tree.nodes.values():
        if isinstance(node, Check):
            captured |= _check_captures(node, report.regex_verdicts) - {"computer"}
    for node in tree.nodes.values():
        if not isinstance(node, (Question, Check)) or node.capture is None:
            continue
        for field in ("prompt", "why", "how"):
            text = getattr(node, field)
            if SKIP_PROMISE.search(text) and node.capture.name not in captured:
                report.add("WZ471", f"nodes.{node.id}.{field}", node.loc,
                           f"'{node.id}' says it is skipped when known, but no check of this tree captures "
                           f"'{node.capture.name}'",
                           f"capture it with a named group (?P<{node.capture.name}>...) in a check's regex, "
                           "or take the promise out of the text")
                break


def _check_step_conditions(tree: Tree, node: Runbook, base: str, report: _Reporter) -> None:
    """A step's `when` must name a node of this tree (or TREE:NODE of another) and choices that node has.

    Nodes of other trees cannot be checked here (they may not be loaded); only this tree's are.
    """
    for index, step in enumerate(node.steps):
        for key, choices in step.when:
            path = f"{base}.steps[{index}].when.{key}"
            other, _, node_id = key.rpartition(":")
            if other and other != tree.id:
                continue
            target = tree.nodes.get(node_id)
            if not isinstance(target, (Question, Check)):
                report.add("WZ470", path, step.loc, f"when names '{node_id}', which is no question or check here",
                           _hint(node_id, [n for n, v in tree.nodes.items() if isinstance(v, (Question, Check))]))
                continue
            ids = [c.id for c in target.choices]
            for choice in choices:
                if choice not in ids:
                    report.add("WZ470", path, step.loc, f"'{node_id}' has no choice '{choice}'", closest(choice, ids))


# ---------------------------------------------------------------------------------------------------------
# References

def _check_references(tree: Tree, known: set[str], report: _Reporter) -> None:
    if tree.start and tree.start not in known:
        report.add("WZ300", "start", tree.loc, f"start names no node: '{tree.start}'", _hint(tree.start, known))
    if tree.triage.entry and tree.triage.entry not in known:
        report.add("WZ301", "triage.entry", tree.loc, f"triage entry names no node: '{tree.triage.entry}'",
                   _hint(tree.triage.entry, known))
    for node in tree.nodes.values():
        if not isinstance(node, (Question, Check)):
            continue
        base = f"nodes.{node.id}"
        for index, choice in enumerate(node.choices):
            if choice.next and choice.next not in known:
                report.add("WZ301", f"{base}.choices[{index}].next", choice.loc,
                           f"choice '{choice.id}' leads to no node: '{choice.next}'", _hint(choice.next, known))
        if node.capture is not None and node.capture.next and node.capture.next not in known:
            report.add("WZ301", f"{base}.capture.next", node.capture.loc,
                       f"capture leads to no node: '{node.capture.next}'", _hint(node.capture.next, known))
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
                           _hint(node.tree, known))
            elif node.tree and node.node:
                target = trees.get(node.tree)
                if isinstance(target, Tree) and node.node not in target.nodes:
                    report.add("WZ307", f"{base}.node", node.loc,
                               f"tree '{node.tree}' has no node '{node.node}'", _hint(node.node, target.nodes))
        elif isinstance(node, Runbook):
            for index, item in enumerate(node.next):
                if item.tree and item.tree not in known:
                    report.add("WZ306", f"{base}.next[{index}].tree", item.loc,
                               f"next names unknown tree '{item.tree}'", _hint(item.tree, known))
    return report.problems


# ---------------------------------------------------------------------------------------------------------
# Graph

def successors(tree: Tree) -> dict[str, list[str]]:
    """Node id -> ids of the nodes it leads to inside the tree (unknown targets left out)."""
    nodes = tree.nodes
    out: dict[str, list[str]] = {}
    for node_id, node in nodes.items():
        targets: list[str] = []
        if isinstance(node, (Question, Check)):
            for choice in node.choices:
                if choice.next in nodes:
                    targets.append(choice.next)
            if node.capture is not None and node.capture.next in nodes:
                targets.append(node.capture.next)
        out[node_id] = targets
    return out


def _with_typos_repaired(tree: Tree, graph: dict[str, list[str]]) -> dict[str, list[str]]:
    """The graph as it would be once each dangling target is corrected to the node its hint names.

    Reachability is judged on this, so one misspelt `next` is reported once (WZ301) instead of also as a
    cascade of unreachable nodes behind it.
    """
    nodes = tree.nodes
    repaired = graph
    for node_id, node in nodes.items():
        if not isinstance(node, (Question, Check)):
            continue
        targets = [c.next for c in node.choices] + ([node.capture.next] if node.capture and node.capture.next else [])
        for target in targets:
            if target and target not in nodes:
                found = closest_match(target, nodes)
                if found:
                    if repaired is graph:
                        repaired = {k: list(v) for k, v in graph.items()}
                    repaired[node_id].append(found)
    return repaired


def _check_graph(tree: Tree, broken: set[str], report: _Reporter) -> None:
    nodes = tree.nodes
    graph = successors(tree)

    roots = [r for r in (tree.start, tree.triage.entry) if r in nodes]
    if tree.start in nodes:
        repaired = _with_typos_repaired(tree, graph)
        seen = set(roots)
        stack = list(roots)
        while stack:
            for target in repaired[stack.pop()]:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        for node_id, node in nodes.items():
            if node_id not in seen:
                report.add("WZ303", f"nodes.{node_id}", node.loc, f"node '{node_id}' cannot be reached from start",
                           "lead a choice to it, or remove it", at_key=True)

    dead_ends: set[str] = set()
    for node_id, node in nodes.items():
        if isinstance(node, (Question, Check)):
            leaves = bool(node.choices) or (node.capture is not None and bool(node.capture.next))
            if not leaves:
                dead_ends.add(node_id)
                report.add("WZ304", f"nodes.{node_id}", node.loc,
                           f"{node.kind} '{node.id}' has no way out: no choices and no capture 'next'",
                           "add choices, or a capture with 'next'", at_key=True)

    # Nodes from which a runbook, a link or a node that could not be built is reachable.
    predecessors: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    for source, targets in graph.items():
        for target in targets:
            predecessors[target].append(source)
    exits = [n for n, node in nodes.items() if isinstance(node, (Runbook, Link))]
    has_exit = set(exits)
    stack = list(exits)
    for source, node in nodes.items():
        if isinstance(node, (Question, Check)) and _leads_to_broken(node, broken, nodes):
            if source not in has_exit:
                has_exit.add(source)
                stack.append(source)
    while stack:
        for source in predecessors[stack.pop()]:
            if source not in has_exit:
                has_exit.add(source)
                stack.append(source)
    trapped = {n for n in nodes if n not in has_exit and n not in dead_ends}
    if not trapped:
        return
    for component in strongly_connected(trapped, graph):
        if len(component) == 1:
            only = component[0]
            if only not in graph[only]:
                continue
        first = min(component, key=lambda n: (nodes[n].loc.line, nodes[n].loc.col))
        names = ", ".join(sorted(component)[:6]) + (", ..." if len(component) > 6 else "")
        report.add("WZ305", f"nodes.{first}", nodes[first].loc,
                   f"cycle with no exit: from {names} no runbook or link can be reached",
                   "give one of these nodes a choice that leads out of the loop", at_key=True)


def _leads_to_broken(node: Question | Check, broken: set[str], nodes: Mapping[str, Node]) -> bool:
    if not broken:
        return False
    targets = [c.next for c in node.choices]
    if node.capture is not None:
        targets.append(node.capture.next)
    return any(t in broken and t not in nodes for t in targets)


def strongly_connected(members: set[str], graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm with an explicit stack, over the subgraph induced by ``members``."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(members):
        if root in index_of:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        index_of[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in members:
                    continue
                if child not in index_of:
                    index_of[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index_of[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index_of[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


# ---------------------------------------------------------------------------------------------------------
# Node content

def _check_choices(node: Question | Check, base: str, report: _Reporter) -> None:
    first_seen: dict[str, int] = {}
    for index, choice in enumerate(node.choices):
        if not choice.id:
            continue
        if choice.id in first_seen:
            earlier = node.choices[first_seen[choice.id]].loc.line
            report.add("WZ208", f"{base}.choices[{index}].id", choice.loc,
                       f"choice id '{choice.id}' is used twice in node '{node.id}' (first at line {earlier})",
                       "give each choice of a node its own id")
        else:
            first_seen[choice.id] = index


_MATCHERS = ("literal", "regex", "event_id", "file")


def _check_signatures(node: Check, base: str, report: _Reporter) -> None:
    first_seen: dict[str, int] = {}
    for index, signature in enumerate(node.signatures):
        path = f"{base}.signatures[{index}]"
        if signature.id:
            if signature.id in first_seen:
                earlier = node.signatures[first_seen[signature.id]].loc.line
                report.add("WZ209", f"{path}.id", signature.loc,
                           f"signature id '{signature.id}' is used twice in node '{node.id}' "
                           f"(first at line {earlier})", "give each signature of a node its own id")
            else:
                first_seen[signature.id] = index
        used = [m for m, on in zip(_MATCHERS, (bool(signature.literal), bool(signature.regex),
                                               signature.event_id is not None, bool(signature.file))) if on]
        if not used:
            report.add("WZ404", path, signature.loc, f"signature '{signature.id}' has no matcher",
                       "add exactly one of: literal, regex, event_id, file")
        elif len(used) > 1:
            report.add("WZ405", path, signature.loc,
                       f"signature '{signature.id}' has {len(used)} matchers: {', '.join(used)}",
                       "split it into one signature per matcher")
        if signature.regex:
            _check_regex(signature.regex, f"{path}.regex", signature.loc, report)
        if signature.source and signature.event_id is None:
            report.add("WZ410", f"{path}.source", signature.loc, "'source' only narrows an event_id signature",
                       "add event_id, or remove source")
        for option in ("under", "count_as"):
            if getattr(signature, option) and not signature.file:
                report.add("WZ410", f"{path}.{option}", signature.loc,
                           f"'{option}' only applies to a file signature", f"add file, or remove {option}")
        if signature.ignore_case and not (signature.literal or signature.regex):
            report.add("WZ410", f"{path}.ignore_case", signature.loc,
                       "'ignore_case' only applies to literal and regex signatures", "remove ignore_case")


def regex_verdict(pattern: str) -> tuple[str, str, str, tuple[str, ...]]:
    """(code or '', message, hint, named groups) for one pattern, checked against RE2."""
    import re2

    options = re2.Options()
    options.log_errors = False
    try:
        compiled = re2.compile(pattern, options)
    except Exception as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", errors="replace")
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError, ValueError) as python_error:
            return ("WZ402", f"invalid regular expression: {python_error}", "", ())
        hint = "RE2 has no backreferences or lookaround; match the text around it instead"
        return ("WZ403", f"the linear-time regex engine rejects this pattern: {reason}", hint, ())
    return ("", "", "", tuple(compiled.groupindex))


def _check_regex(pattern: str, path: str, fallback: Loc, report: _Reporter) -> None:
    code, message, hint, _groups = report.regex(pattern)
    if code:
        report.add(code, path, fallback, message, hint)


def declared_names(tree: Tree, verdicts: dict[str, tuple[str, str, str, tuple[str, ...]]] | None = None) -> set[str]:
    """Names a placeholder may use: capture names, choice `set` names, regex named groups, count_as names and compute names."""
    verdicts = {} if verdicts is None else verdicts
    names: set[str] = set()
    for node in tree.nodes.values():
        if isinstance(node, (Question, Check)):
            if node.capture is not None and node.capture.name:
                names.add(node.capture.name)
            for choice in node.choices:
                names.update(name for name, _ in choice.sets)
        if isinstance(node, Check):
            for signature in node.signatures:
                if signature.count_as:
                    names.add(signature.count_as)
                if signature.regex:
                    found = verdicts.get(signature.regex)
                    if found is None:
                        found = verdicts[signature.regex] = regex_verdict(signature.regex)
                    names.update(found[3])
        elif isinstance(node, Runbook):
            names.update(c.name for c in node.compute if c.name)
    return names


# ---------------------------------------------------------------------------------------------------------
# Compute expressions
#
# The evaluator's own checker (wizard.core.expr) decides, so an expression lint accepts always runs; its kind of
# refusal picks the code.

class ExprProblem(Exception):
    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


def expr_names(text: str) -> set[str]:
    """The variable names an expression uses; raises ExprProblem (WZ406 or WZ408) when it is not allowed."""
    from wizard.core.expr import ExprError, names_in

    try:
        return names_in(text)
    except ExprError as exc:
        if exc.kind == "not-allowed":
            raise ExprProblem("WZ408", f"compute expression: {exc}", exc.hint) from None
        if exc.kind == "syntax":
            raise ExprProblem("WZ406", f"compute expression does not parse: {str(exc).removeprefix('not an expression: ')}",
                              exc.hint) from None
        raise ExprProblem("WZ406", f"compute expression is rejected by the evaluator: {exc}", exc.hint) from None


def _expr_verdict(text: str) -> set[str] | ExprProblem:
    """The names ``text`` uses, or the problem with it."""
    try:
        return expr_names(text)
    except ExprProblem as problem:
        return problem


def _check_computes(node: Runbook, base: str, declared: set[str], report: _Reporter) -> None:
    runbook_computes = {c.name for c in node.compute}
    earlier: set[str] = set()
    for index, compute in enumerate(node.compute):
        path = f"{base}.compute[{index}].expr"
        if not compute.expr.strip():
            if compute.name:
                earlier.add(compute.name)
            continue
        verdict = report.expr_verdicts.get(compute.expr)
        if verdict is None:
            verdict = report.expr_verdicts[compute.expr] = _expr_verdict(compute.expr)
        if isinstance(verdict, ExprProblem):
            report.add(verdict.code, path, compute.loc, verdict.message, verdict.hint)
            if compute.name:
                earlier.add(compute.name)
            continue
        for name in sorted(verdict):
            if name in earlier or (name in declared and name not in runbook_computes):
                continue
            if name == compute.name:
                report.add("WZ407", path, compute.loc, f"compute '{compute.name}' uses itself",
                           "compute it from captured values")
            elif name in runbook_computes:
                report.add("WZ407", path, compute.loc, f"'{name}' is computed later in this runbook",
                           f"move the compute of '{name}' above '{compute.name}'")
            else:
                report.add("WZ407", path, compute.loc,
                           f"'{name}' is not captured, matched by a regex group, counted or computed in this tree",
                           _hint(name, (declared - runbook_computes) | earlier)
                           or "capture it in a question first, or compute it earlier in this runbook")
        if compute.name:
            earlier.add(compute.name)


# ---------------------------------------------------------------------------------------------------------
# Runbook steps: the parts of the runbook checklist (trees/README.md) that follow from the step fields.

_STEP_TEXT_FIELDS = ("do", "runs_on", "console", "wait", "wait_source", "caution", "verify", "undo")


def _check_steps(node: Runbook, base: str, lists: Collection[str], report: _Reporter) -> None:
    backed_up = False
    for index, step in enumerate(node.steps):
        path = f"{base}.steps[{index}]"
        for name in step.for_each:
            if name not in lists:
                report.add("WZ440", f"{path}.for_each", step.loc,
                           f"for_each names '{name}', which no capture of type list declares",
                           _hint(name, lists) or "give the question that asks for it 'type: list'")
        if step.for_each:
            texts = [getattr(step, field) for field in _STEP_TEXT_FIELDS] + list(step.commands)
            used = {name for text in texts for name in placeholders(text)[0]}
            if not used & set(step.for_each):
                report.add("WZ446", f"{path}.for_each", step.loc,
                           "the step repeats for each item but never uses " +
                           ", ".join(f"{{{n}}}" for n in step.for_each),
                           "use the item in the step's text or commands, or remove for_each")
        if step.changes and step.reversible and not step.undo:
            report.add("WZ441", path, step.loc, "step changes something but says neither how to undo it nor that "
                       "it cannot be undone", "add 'undo: ...', or 'reversible: false' with a backup step before it")
        if not step.changes and (step.undo or not step.reversible):
            report.add("WZ443", path, step.loc, "undo and reversible only apply to a step marked 'changes: true'",
                       "add 'changes: true', or remove undo and reversible")
        if step.changes and not step.reversible and not backed_up:
            report.add("WZ442", path, step.loc, "this change cannot be undone and no step before it makes a backup",
                       "add a step with 'backup: true' before it (back up what the change destroys)")
        if step.wait_source and not step.wait:
            report.add("WZ444", f"{path}.wait_source", step.loc, "wait_source explains a wait the step does not have",
                       "add 'wait: ...', or remove wait_source")
        if step.shell and not step.commands:
            report.add("WZ445", f"{path}.shell", step.loc, "shell names the shell of commands the step does not have",
                       "add commands, or remove shell")
        backed_up = backed_up or step.backup


# ---------------------------------------------------------------------------------------------------------
# Placeholders

def prose_fields(tree: Tree) -> Iterator[tuple[str, str, Loc]]:
    """(path, text, fallback location) of every field where placeholders are filled in."""
    yield "title", tree.title, tree.loc
    yield "summary", tree.summary, tree.loc
    for index, note in enumerate(tree.learn):
        yield f"learn[{index}]", note, tree.loc
    for node in tree.nodes.values():
        base = f"nodes.{node.id}"
        loc = node.loc
        yield f"{base}.title", node.title, loc
        for index, note in enumerate(node.learn):
            yield f"{base}.learn[{index}]", note, loc
        if isinstance(node, (Question, Check)):
            yield f"{base}.prompt", node.prompt, loc
            yield f"{base}.why", node.why, loc
            yield f"{base}.how", node.how, loc
            for index, command in enumerate(node.commands):
                yield f"{base}.commands[{index}]", command, loc
            for index, choice in enumerate(node.choices):
                yield f"{base}.choices[{index}].label", choice.label, choice.loc
                yield f"{base}.choices[{index}].note", choice.note, choice.loc
            if node.capture is not None:
                yield f"{base}.capture.label", node.capture.label, node.capture.loc
            if isinstance(node, Check):
                yield f"{base}.evidence.where", node.evidence.where, loc
                for index, signature in enumerate(node.signatures):
                    yield f"{base}.signatures[{index}].means", signature.means, signature.loc
        elif isinstance(node, Runbook):
            yield f"{base}.diagnosis", node.diagnosis, loc
            yield f"{base}.escalate", node.escalate, loc
            for index, step in enumerate(node.steps):
                step_path = f"{base}.steps[{index}]"
                for name in ("do", "runs_on", "console", "wait", "wait_source", "caution", "verify", "undo"):
                    yield f"{step_path}.{name}", getattr(step, name), step.loc
                for number, command in enumerate(step.commands):
                    yield f"{step_path}.commands[{number}]", command, step.loc
            for index, compute in enumerate(node.compute):
                yield f"{base}.compute[{index}].label", compute.label, compute.loc
                yield f"{base}.compute[{index}].unit", compute.unit, compute.loc
            for index, item in enumerate(node.next):
                yield f"{base}.next[{index}].why", item.why, item.loc
        elif isinstance(node, Link):
            yield f"{base}.why", node.why, loc


def placeholders(text: str) -> tuple[list[str], list[int]]:
    """The placeholder names in ``text`` and the offsets of stray braces ('{{' and '}}' are literal)."""
    names: list[str] = []
    stray: list[int] = []
    for match in PLACEHOLDER_TOKEN.finditer(text):
        token = match.group()
        if match.group(1) is not None:
            names.append(match.group(1))
        elif token in ("{", "}"):
            stray.append(match.start())
    return names, stray


def _check_placeholders(tree: Tree, declared: set[str], report: _Reporter) -> None:
    for path, text, loc in prose_fields(tree):
        if not text or ("{" not in text and "}" not in text):
            continue
        names, stray = placeholders(text)
        for name in dict.fromkeys(names):
            if name not in declared:
                report.add("WZ400", path, loc,
                           f"placeholder {{{name}}} is not filled by any capture, regex group, count_as or "
                           f"compute in this tree", _hint(name, declared)
                           or f"capture it in a question of this tree, or write {{{{{name}}}}} for literal braces")
        if stray:
            offset = stray[0]
            shown = text[max(0, offset - 15):offset + 15].replace("\n", " ")
            report.add("WZ401", path, loc, f"stray '{text[offset]}' in \"{shown}\"",
                       "write {{ or }} for a literal brace; a placeholder is {name}")


# ---------------------------------------------------------------------------------------------------------
# Scopes of checks

def _check_captures(node: Check, verdicts: dict[str, tuple[str, str, str, tuple[str, ...]]]) -> set[str]:
    """Names a check's matches can carry: regex groups, count_as names, and `computer` (an event's computer)."""
    names = {"computer"}
    for signature in node.signatures:
        if signature.count_as:
            names.add(signature.count_as)
        if signature.regex:
            found = verdicts.get(signature.regex)
            if found is None:
                found = verdicts[signature.regex] = regex_verdict(signature.regex)
            names.update(found[3])
    return names


def _provided_by(node: Node, verdicts: dict[str, tuple[str, str, str, tuple[str, ...]]]) -> set[str]:
    names: set[str] = set()
    if isinstance(node, (Question, Check)):
        if node.capture is not None and node.capture.name:
            names.add(node.capture.name)
        for choice in node.choices:
            names.update(name for name, _ in choice.sets)
    if isinstance(node, Check):
        names |= _check_captures(node, verdicts) - {"computer"}
    return names


def _ancestors(node_id: str, graph: Mapping[str, list[str]]) -> set[str]:
    """Nodes from which ``node_id`` can be reached."""
    before: dict[str, list[str]] = {n: [] for n in graph}
    for source, targets in graph.items():
        for target in targets:
            before.setdefault(target, []).append(source)
    seen: set[str] = set()
    stack = list(before.get(node_id, []))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(before.get(current, []))
    seen.discard(node_id)
    return seen


def _check_scopes(tree: Tree, report: _Reporter) -> None:
    """A scope compares a capture of the check's matches with a value the walk has learnt before the check (or
    that the check's own matches bring, which then tells their objects apart until it is known)."""
    checks = [n for n in tree.nodes.values() if isinstance(n, Check) and (n.scope or any(s.scope for s in n.signatures))]
    if not checks:
        return
    graph = successors(tree)
    verdicts = report.regex_verdicts
    for node in checks:
        base = f"nodes.{node.id}"
        captures = _check_captures(node, verdicts)
        provided = set().union(*(_provided_by(tree.nodes[n], verdicts) for n in _ancestors(node.id, graph)))
        provided |= captures - {"computer"}
        entries = [(f"{base}.scope", node.scope, node.loc)]
        entries += [(f"{base}.signatures[{i}].scope", s.scope, s.loc) for i, s in enumerate(node.signatures) if s.scope]
        for path, scope, loc in entries:
            for capture, value in scope or ():
                if capture not in captures:
                    report.add("WZ421", f"{path}.{capture}", loc,
                               f"scope names '{capture}', which no signature of check '{node.id}' captures",
                               _hint(capture, captures) or "name a regex group of a signature, or computer")
                if value not in provided:
                    report.add("WZ422", f"{path}.{capture}", loc,
                               f"scope compares '{capture}' with '{value}', which no question, check or choice "
                               f"before '{node.id}' provides", _hint(value, provided)
                               or "capture the value in an earlier question first")
