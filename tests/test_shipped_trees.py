"""Every tree that ships lints clean, links resolve across them, each node says why and how, and each has practice
evidence."""

from pathlib import Path

import pytest

from content_kit import routes_to_runbooks, sample_value

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


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_runbook_is_reached_by_a_walk(path: Path, monkeypatch):
    """Walks the tree headless to each of its runbooks, answering the questions on the way."""
    from wizard.core.model import Runbook
    from wizard.core.render import runbook_markdown, runbook_steps
    from wizard.core.walk import walk

    monkeypatch.delenv("WIZARD_TREES", raising=False)
    catalog = load_catalog()
    tree = catalog.get(load_tree(path).tree.id)
    routes = routes_to_runbooks(tree)
    runbooks = {n for n, node in tree.nodes.items() if isinstance(node, Runbook)}
    assert set(routes) == runbooks
    for runbook, route in routes.items():
        answers = {f"{tree.id}:{node}": choice for node, choice in route if choice is not None}
        values = {}
        for node_id, _ in route:
            capture = getattr(tree.nodes[node_id], "capture", None)
            if capture is not None:
                values[capture.name] = sample_value(capture)
        outcome = walk(catalog, tree.id, answers=answers, values=values)
        assert outcome.status == "runbook", f"{runbook}: stopped at {outcome.session.node_id}"
        assert (outcome.session.tree_id, outcome.session.node_id) == (tree.id, runbook)
        text = runbook_markdown(outcome.session)
        assert text.count("\n### ") == len(runbook_steps(outcome.session)) > 0
