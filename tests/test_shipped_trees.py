"""Every tree that ships lints clean, links resolve across them, and each has practice evidence."""

from pathlib import Path

import pytest

from wizard.core.catalog import load_catalog, samples_dir, shipped_tree_dir, tree_files
from wizard.core.loader import check_links, load_tree

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


@pytest.mark.parametrize("tree_id", sorted(EXPECTED))
def test_each_tree_has_a_practice_case_with_a_readme(tree_id):
    cases = [p for p in (samples_dir() / tree_id).iterdir() if p.is_dir()]
    assert cases, f"no sample bundle for {tree_id}"
    for case in cases:
        assert (case / "README.md").is_file(), f"{case} has no README.md"
