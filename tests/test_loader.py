"""The loader turns tree files into model records and reports problems as located diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.core.loader import LoadResult, check_links, load_text, load_tree
from wizard.core.model import Check, Link, Question, Runbook

GOOD = Path(__file__).parent / "fixtures" / "good"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("WIZARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("WIZARD_NO_CACHE", raising=False)


def test_good_fixture_loads_into_model_records():
    result = load_tree(GOOD / "mini.yaml")
    assert result.ok, [p.format() for p in result.problems]
    assert result.problems == ()
    tree = result.tree
    assert tree.id == "mini" and tree.version == 1 and tree.start == "q-secure"
    assert tree.path == str(GOOD / "mini.yaml")
    assert isinstance(tree.nodes["q-secure"], Question)
    check = tree.nodes["c-despool"]
    assert isinstance(check, Check)
    assert [s.matcher for s in check.signatures] == ["literal", "regex", "event_id", "file"]
    assert check.evidence.files == ("despool.lo?",)
    assert isinstance(tree.nodes["r-exchange-keys"], Runbook)
    assert isinstance(tree.nodes["l-address"], Link)
    assert tree.triage.status_ids == (4404, 4405)


def test_yes_and_no_stay_text():
    tree = load_tree(GOOD / "mini.yaml").tree
    assert [c.id for c in tree.nodes["q-secure"].choices] == ["yes", "no"]


def test_capture_defaults_and_integer_type():
    tree = load_tree(GOOD / "mini.yaml").tree
    assert tree.nodes["q-retries"].capture.type == "integer"
    linked = load_tree(GOOD / "mini-linked.yaml").tree
    assert linked.nodes["q-site"].capture.type == "text"


def test_records_carry_their_location():
    tree = load_tree(GOOD / "mini.yaml").tree
    node = tree.nodes["q-secure"]
    assert (node.loc.line, node.loc.col) == (23, 3)
    assert (node.choices[1].loc.line, node.choices[1].loc.col) == (33, 9)
    assert node.loc.file == str(GOOD / "mini.yaml")


def test_content_hash_is_sha256_of_bytes():
    import hashlib

    path = GOOD / "mini.yaml"
    assert load_tree(path).tree.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_load_text_matches_load_tree():
    path = GOOD / "mini.yaml"
    from_text = load_text(path.read_text(encoding="utf-8"), str(path))
    from_file = load_tree(path)
    assert from_text.tree == from_file.tree


def test_missing_file_is_a_diagnostic(tmp_path):
    result = load_tree(tmp_path / "absent.yaml")
    assert isinstance(result, LoadResult)
    assert result.tree is None and not result.ok
    assert [p.code for p in result.problems] == ["WZ100"]


def test_check_links_names_unknown_trees_with_a_hint():
    tree = load_tree(GOOD / "mini.yaml").tree
    assert check_links(tree, {"mini", "mini-linked"}) == []
    problems = check_links(tree, {"mini", "mini-linkd"})
    assert {p.code for p in problems} == {"WZ306"}
    assert {p.path for p in problems} == {"nodes.l-address.tree", "nodes.r-exchange-keys.next[0].tree"}
    assert all("mini-linkd" in p.hint for p in problems)
