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


def _cache_files(tmp_path):
    return sorted((tmp_path / "cache").rglob("*.bin"))


def test_second_load_comes_from_the_cache(tmp_path, monkeypatch):
    import wizard.core.loader as loader

    first = load_tree(GOOD / "mini.yaml")
    assert len(_cache_files(tmp_path)) == 1

    def refuse(raw):
        raise AssertionError("parsed again despite the cache")

    monkeypatch.setattr(loader, "parse_bytes", refuse)
    second = load_tree(GOOD / "mini.yaml")
    assert second.tree == first.tree and second.problems == first.problems


def test_no_cache_setting_bypasses_the_cache(tmp_path, monkeypatch):
    import wizard.core.loader as loader

    monkeypatch.setenv("WIZARD_NO_CACHE", "1")
    parsed = []
    real = loader.parse_bytes
    monkeypatch.setattr(loader, "parse_bytes", lambda raw: parsed.append(1) or real(raw))
    load_tree(GOOD / "mini.yaml")
    load_tree(GOOD / "mini.yaml")
    assert parsed == [1, 1]
    assert _cache_files(tmp_path) == []


def test_damaged_cache_files_are_ignored(tmp_path):
    expected = load_tree(GOOD / "mini.yaml")
    (cache_file,) = _cache_files(tmp_path)
    blob = cache_file.read_bytes()
    for damaged in (b"", b"junk", blob[:-10], blob[:100] + bytes([blob[100] ^ 0xFF]) + blob[101:],
                    blob[:5] + b"\x99\x99" + blob[7:]):
        cache_file.write_bytes(damaged)
        again = load_tree(GOOD / "mini.yaml")
        assert again.tree == expected.tree and again.problems == expected.problems


def test_problems_from_a_cached_file_point_at_the_same_places(tmp_path):
    bad = Path(__file__).parent / "fixtures" / "bad" / "several.yaml"
    cold = load_tree(bad)
    warm = load_tree(bad)
    assert len(_cache_files(tmp_path)) == 1
    assert warm.problems == cold.problems and len(cold.problems) >= 5


def test_cache_written_atomically_leaves_no_temporary_files(tmp_path):
    load_tree(GOOD / "mini.yaml")
    load_tree(GOOD / "mini-linked.yaml")
    leftovers = [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.name.startswith(".tmp-")]
    assert leftovers == [] and len(_cache_files(tmp_path)) == 2


def test_unwritable_cache_folder_still_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("WIZARD_CACHE_DIR", str(blocker))
    assert load_tree(GOOD / "mini.yaml").ok


def test_same_text_under_another_name_reports_that_name(tmp_path):
    text = (Path(__file__).parent / "fixtures" / "bad" / "WZ301.yaml").read_text(encoding="utf-8")
    first = load_text(text, "one.yaml")
    second = load_text(text, "two.yaml")
    assert {p.file for p in first.problems} == {"one.yaml"}
    assert {p.file for p in second.problems} == {"two.yaml"}
    assert second.tree.path == "two.yaml"


def test_wrong_types_in_string_fields_suggest_quotes():
    text = (GOOD / "mini.yaml").read_text(encoding="utf-8").replace("title: Secure exchange", "title: 2003")
    (problem,) = load_text(text).problems
    assert (problem.code, problem.path) == ("WZ203", "nodes.q-secure.title")
    assert "quotes" in problem.hint


def test_load_text_accepts_bytes():
    result = load_text((GOOD / "mini-linked.yaml").read_bytes(), "linked.yaml")
    assert result.ok and result.tree.id == "mini-linked"


def test_cache_keeps_a_bounded_number_of_files(tmp_path, monkeypatch):
    import wizard.core.cache as cache

    monkeypatch.setattr(cache, "CACHE_KEEP", 3)
    text = (GOOD / "mini-linked.yaml").read_text(encoding="utf-8")
    for number in range(6):
        load_text(text + f"# edit {number}\n", "linked.yaml")
    assert len(_cache_files(tmp_path)) == 3


@pytest.mark.posix_only
def test_special_files_are_read_only_up_to_the_limit(monkeypatch):
    import wizard.core.yamlsafe as yamlsafe

    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 1000)
    result = load_tree("/dev/zero")
    assert [p.code for p in result.problems] == ["WZ106"]
