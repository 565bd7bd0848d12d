"""What the content tests of the shipped trees share: loading a tree, walking a sample bundle, ranking a ticket."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.core.loader import load_tree
from wizard.core.model import Tree

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
