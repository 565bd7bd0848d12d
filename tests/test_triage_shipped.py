"""Triage on the shipped trees: ticket phrases in help-desk words point to the right diagnosis.

Each case is skipped while its tree is not yet in trees/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.core.loader import load_tree
from wizard.core.triage import rank

TREES = Path(__file__).resolve().parent.parent / "trees"
SHIPPED = ("key-exchange", "pending-site", "sender-address", "dp-stickiness", "rms-failover", "pf-backfill")


@pytest.fixture(scope="module")
def trees():
    loaded = []
    for tree_id in SHIPPED:
        path = TREES / f"{tree_id}.yaml"
        if path.exists():
            result = load_tree(path, lint=False)
            if result.tree is not None:
                loaded.append(result.tree)
    return loaded


@pytest.mark.parametrize(
    "ticket, expected",
    [
        ("clients won't download", "dp-stickiness"),
        ("site shows pending", "pending-site"),
        ("public folders not replicating old items", "pf-backfill"),
        ("console can't connect after the server went down", "rms-failover"),
    ],
)
def test_ticket_phrase_points_to_its_tree(trees, ticket, expected):
    if expected not in {t.id for t in trees}:
        pytest.skip(f"{expected} is not in trees/ yet")
    matches = rank(ticket, trees)
    assert matches and matches[0].tree == expected, [(m.tree, m.score, m.why) for m in matches]
    assert matches[0].node == next(t for t in trees if t.id == expected).entry
