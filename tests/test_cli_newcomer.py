"""`wizard scan` and `wizard lint` as a first-time user meets them: listings, a summary, a README named by mistake."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from wizard.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
LISTING = FIXTURES / "evidence" / "dir-receive.txt"
BUNDLE = FIXTURES / "tui" / "bundle"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], stdout=out, stderr=err, stdin=io.StringIO())
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _no_site_trees(monkeypatch, tmp_path):
    monkeypatch.delenv("WIZARD_TREES", raising=False)
    monkeypatch.setenv("WIZARD_DATA_DIR", str(tmp_path / "data"))


def hit_lines(out: str) -> list[str]:
    return out.split("\n\n")[0].splitlines()


def test_a_listing_match_names_the_listing_without_a_line_zero():
    code, out, _ = run("scan", LISTING, "--trees", GOOD)
    assert code == 0
    mini = [line for line in hit_lines(out) if "  mini/c-despool  " in line]
    assert mini == [
        f"{LISTING}  mini/c-despool  receive-backlog  2008-07-29 06:12:00 -  "
        "C:\\Program Files\\Microsoft Configuration Manager\\inboxes\\despoolr.box\\receive\\ds_1vfda.ins"
    ]
    assert ":0 " not in out


def test_a_folder_match_has_no_line_and_a_log_match_keeps_its_line():
    code, out, _ = run("scan", BUNDLE, "--trees", GOOD)
    assert code == 0
    lines = hit_lines(out)
    assert f"{BUNDLE}  mini/c-despool  receive-backlog  " in "\n".join(lines)
    assert any(line.startswith(f"{BUNDLE / 'despool.log'}:4  mini/c-despool  no-key  ") for line in lines)


def test_scan_ends_with_which_diagnoses_matched():
    code, out, _ = run("scan", BUNDLE, "--trees", GOOD)
    assert code == 0
    summary = out.split("\n\n")[1].splitlines()
    assert summary[0] == "3 diagnoses matched (8 matches):"
    rows = [line.split() for line in summary[1::2][:3]]
    assert [(r[0], r[1]) for r in rows] == [("key-exchange", "3"), ("mini", "3"), ("pending-site", "2")]
    assert summary[2].split() == ["checks:", "c-despool-key-errors", "(2),", "c-receive-backlog", "(1)"]
    assert "Secondary site cannot talk to its parent (test miniature)" in summary[3]
    assert summary[-1].startswith("Walk one with this evidence: wizard walk TREE --evidence")


def test_scan_json_stays_a_plain_array():
    import json

    code, out, _ = run("scan", BUNDLE, "--trees", GOOD, "--json")
    assert code == 0 and len(json.loads(out)) == 8


def test_lint_names_a_markdown_file_as_not_a_tree():
    readme = Path(__file__).parent.parent / "trees" / "README.md"
    code, out, err = run("lint", readme)
    assert code == 2 and out == ""
    assert err.strip() == f"wizard lint: {readme}: not a tree file; trees are YAML files ending in .yaml or .yml"
    assert "YAML syntax error" not in err


def test_lint_skips_what_is_not_yaml_in_a_folder(tmp_path):
    shutil.copy(GOOD / "mini.yaml", tmp_path / "mini.yaml")
    shutil.copy(GOOD / "mini-linked.yaml", tmp_path / "mini-linked.yml")
    (tmp_path / "README.md").write_text("# Our trees\n\n- key: [unclosed\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("id: : :\n", encoding="utf-8")
    code, out, err = run("lint", tmp_path)
    assert code == 0, out + err
    assert out.strip() == "2 tree file(s), 0 error(s), 0 warning(s)"


def test_a_site_tree_path_that_is_not_yaml_is_noted_not_parsed(tmp_path):
    from wizard.core.catalog import load_catalog

    notes = tmp_path / "notes.md"
    notes.write_text("# not a tree\n- [\n", encoding="utf-8")
    catalog = load_catalog([notes], include_shipped=False, use_env=False)
    assert not catalog.problems
    assert catalog.notes == [f"not a tree file (trees end in .yaml or .yml): {notes}"]
