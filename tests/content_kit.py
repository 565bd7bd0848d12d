"""What the content tests of the shipped trees share: loading a tree, walking a sample bundle, ranking a ticket."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.core.loader import load_tree
from wizard.core.model import Runbook, Tree

ROOT = Path(__file__).resolve().parents[1]
TREES = ROOT / "trees"
SAMPLES = ROOT / "samples"


def load_shipped_tree(tree_id: str) -> Tree:
    """The tree from trees/, which must load without a single problem, warnings included."""
    result = load_tree(TREES / f"{tree_id}.yaml")
    assert result.ok, [p.format() for p in result.problems]
    assert not result.problems, [p.format() for p in result.problems]
    return result.tree


def tree_fixture(tree_id: str):
    """A module-scoped `tree` fixture for one shipped tree: `tree = tree_fixture("pending-site")`."""

    @pytest.fixture(scope="module", name="tree")
    def shipped_tree() -> Tree:
        return load_shipped_tree(tree_id)

    return shipped_tree


def walk_json(capsys: pytest.CaptureFixture[str], tree_id: str, *args: str, bundle: str | None = None) -> dict:
    """`wizard walk` on the tree, reading the sample bundle when one is named; the JSON it prints, once it exits 0."""
    evidence = ["--evidence", str(SAMPLES / tree_id / bundle)] if bundle is not None else []
    code = main(["walk", tree_id, *evidence, *args, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    return json.loads(captured.out)


def assert_triage_ranks_first(capsys: pytest.CaptureFixture[str], ticket: str, tree_id: str) -> None:
    """`wizard triage --json` on the ticket's words puts the tree at the top of its ranking."""
    assert main(["triage", ticket, "--json"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert ranked and ranked[0]["tree"] == tree_id


def routes_to_runbooks(tree: Tree) -> dict[str, list[tuple[str, str | None]]]:
    """For every runbook, the first path from the start found breadth first: [(node, choice id or None)]."""
    from collections import deque

    routes = {tree.start: []}
    queue = deque([tree.start])
    while queue:
        node_id = queue.popleft()
        node = tree.nodes[node_id]
        steps = [(c.id, c.next) for c in getattr(node, "choices", ())]
        capture = getattr(node, "capture", None)
        if capture is not None and capture.next:
            steps.append((None, capture.next))
        for choice, target in steps:
            if target not in routes:
                routes[target] = routes[node_id] + [(node_id, choice)]
                queue.append(target)
    return {n: r for n, r in routes.items() if isinstance(tree.nodes[n], Runbook)}


def sample_value(capture) -> str:
    from wizard.core.session import AnswerError, validate_value

    for candidate in (capture.example, "1", "S01", "server01", "10"):
        try:
            if candidate and validate_value(capture, candidate):
                return candidate
        except AnswerError:
            continue
    raise AssertionError(f"no sample value fits capture {capture.name}")
