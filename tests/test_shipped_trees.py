"""Every tree that ships lints clean, links resolve across them, each node says why and how, and each has practice
evidence."""

from pathlib import Path

import pytest

from wizard.core.catalog import load_catalog, samples_dir, shipped_tree_dir, tree_files
from wizard.core.loader import check_links, load_tree
from wizard.core.model import Check, Question, Runbook

SHIPPED = tree_files(shipped_tree_dir())
EXPECTED = {"key-exchange", "pending-site", "sender-address", "dp-stickiness", "rms-failover", "pf-backfill"}


def test_all_six_trees_ship():
    ids = {load_tree(path).tree.id for path in SHIPPED}
    assert ids == EXPECTED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_tree_lints_clean(path: Path):
    result = load_tree(path)
    assert result.tree is not None
    problems = list(result.problems) + check_links(result.tree, EXPECTED)
    assert problems == [], "\n".join(d.format() for d in problems)
    assert path.stem == result.tree.id


def test_catalog_loads_every_shipped_tree_without_problems(monkeypatch):
    monkeypatch.delenv("WIZARD_TREES", raising=False)
    catalog = load_catalog()
    assert EXPECTED <= set(catalog.trees)
    assert catalog.problems == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_question_and_check_says_why_and_how(path: Path):
    for node in load_tree(path).tree.nodes.values():
        if isinstance(node, (Question, Check)):
            assert node.why.strip() and node.how.strip(), node.id


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_runbook_step_says_what_where_and_how_to_verify(path: Path):
    for node in load_tree(path).tree.nodes.values():
        if isinstance(node, Runbook):
            for step in node.steps:
                assert step.runs_on.strip() and step.verify.strip(), node.id
                assert step.do.strip(), node.id


@pytest.mark.parametrize("tree_id", sorted(EXPECTED))
def test_each_tree_has_a_practice_case_with_a_readme(tree_id):
    """Every case folder explains itself, including what its evidence cannot answer."""
    cases = [p for p in (samples_dir() / tree_id).iterdir() if p.is_dir()]
    assert cases, f"no sample bundle for {tree_id}"
    for case in cases:
        readme = case / "README.md"
        assert readme.is_file(), f"{case} has no README.md"
        assert "cannot answer" in readme.read_text(encoding="utf-8"), f"{readme} does not say what it cannot answer"


def _paths_to_runbooks(tree):
    """For every runbook, the first path from the start found breadth first: [(node, choice id or None)]."""
    from collections import deque

    from wizard.core.model import Runbook

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


def _sample_value(capture):
    from wizard.core.session import AnswerError, validate_value

    for candidate in (capture.example, "1", "S01", "server01", "10"):
        if not candidate:
            continue
        try:
            return validate_value(capture, candidate)
        except AnswerError:
            continue
    raise AssertionError(f"no sample value fits capture {capture.name} ({capture.pattern})")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_runbook_is_reached_by_a_walk(path: Path, monkeypatch):
    """Walks the tree headless to each of its runbooks, answering the questions on the way."""
    from wizard.core.model import Runbook
    from wizard.core.render import runbook_markdown, runbook_steps
    from wizard.core.walk import walk

    monkeypatch.delenv("WIZARD_TREES", raising=False)
    catalog = load_catalog()
    tree = catalog.get(load_tree(path).tree.id)
    routes = _paths_to_runbooks(tree)
    runbooks = {n for n, node in tree.nodes.items() if isinstance(node, Runbook)}
    assert set(routes) == runbooks
    for runbook, route in routes.items():
        answers = {f"{tree.id}:{node}": choice for node, choice in route if choice is not None}
        values = {}
        for node_id, _ in route:
            capture = getattr(tree.nodes[node_id], "capture", None)
            if capture is not None:
                values[capture.name] = _sample_value(capture)
        outcome = walk(catalog, tree.id, answers=answers, values=values)
        assert outcome.status == "runbook", f"{runbook}: stopped at {outcome.session.node_id}"
        assert (outcome.session.tree_id, outcome.session.node_id) == (tree.id, runbook)
        text = runbook_markdown(outcome.session)
        assert text.count("\n### ") == len(runbook_steps(outcome.session)) > 0
