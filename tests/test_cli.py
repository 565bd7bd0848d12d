"""The command line, called as `main(argv)` on the fixture trees."""

import io
import json
from pathlib import Path

import pytest

from wizard.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = str(FIXTURES / "good")


def run(*argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _no_site_trees(monkeypatch, tmp_path):
    monkeypatch.delenv("WIZARD_TREES", raising=False)
    monkeypatch.setenv("WIZARD_DATA_DIR", str(tmp_path / "data"))


def test_version():
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("wizard ")


def test_list_json_includes_site_trees_with_node_counts():
    code, out, _ = run("list", "--json", "--trees", GOOD)
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["mini"] == {"id": "mini", "title": rows["mini"]["title"], "version": 1, "nodes": 5}
    assert rows["mini-linked"]["version"] == 2


def test_trees_from_environment(monkeypatch):
    monkeypatch.setenv("WIZARD_TREES", GOOD)
    code, out, _ = run("list")
    assert code == 0 and "mini-linked" in out


def test_lint_clean_file_exits_zero():
    code, out, _ = run("lint", str(FIXTURES / "good" / "mini.yaml"), "--trees", GOOD)
    assert code == 0, out
    assert "0 error(s)" in out


def test_lint_reports_problems_with_locations_and_json(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (FIXTURES / "good" / "mini.yaml").read_text().replace("next: q-retries", "next: q-retry")
    bad.write_text(text)
    code, out, err = run("lint", str(bad), "--trees", GOOD)
    assert code == 1
    line = next(text for text in out.splitlines() if "q-retry" in text)
    assert line.startswith(f"{bad}:")
    assert "q-retries" in line
    code, out, _ = run("lint", str(bad), "--json", "--trees", GOOD)
    rows = json.loads(out)
    assert code == 1 and rows
    assert set(rows[0]) == {"code", "severity", "file", "line", "col", "path", "message", "hint"}
    dangling = [r for r in rows if "q-retry" in r["message"]]
    assert dangling and dangling[0]["path"].endswith(".next") and "q-retries" in dangling[0]["hint"]


def test_lint_missing_path_is_a_usage_error(tmp_path):
    code, _, err = run("lint", str(tmp_path / "nope.yaml"))
    assert code == 2 and "no such file" in err


def test_show_markdown_and_json():
    code, out, _ = run("show", "mini", "--trees", GOOD)
    assert code == 0
    assert out.startswith("# Secondary site cannot talk to its parent")
    assert "preinst /keyforparent" in out and "Why: Only a site that requires" in out
    code, out, _ = run("show", "mini", "--format", "json", "--trees", GOOD)
    data = json.loads(out)
    assert {n["id"] for n in data["nodes"]} == {"q-secure", "c-despool", "q-retries", "r-exchange-keys", "l-address"}


def test_unknown_tree_suggests_a_close_name():
    code, _, err = run("show", "minii", "--trees", GOOD)
    assert code == 2 and "did you mean 'mini'" in err


def test_graph_mermaid_and_dot():
    code, out, _ = run("graph", "mini", "--trees", GOOD)
    assert code == 0 and out.startswith("flowchart TD")
    assert out.count("-->") == 5
    code, out, _ = run("graph", "mini", "--format", "dot", "--trees", GOOD)
    assert code == 0 and out.startswith('digraph "mini"') and '"c-despool" -> "q-retries"' in out


def test_walk_stops_at_a_question_with_exit_3():
    code, out, _ = run("walk", "mini", "--format", "json", "--trees", GOOD)
    assert code == 3
    data = json.loads(out)
    assert data["status"] == "question" and data["node"] == "q-secure"
    assert data["choices"] == [
        {"id": "yes", "label": "Yes, secure key exchange is required"},
        {"id": "no", "label": "No, it is not required"},
    ]
    code, out, _ = run("walk", "mini", "--trees", GOOD)
    assert code == 3 and "--answer q-secure=CHOICE" in out


def test_walk_to_runbook_with_answers_and_values():
    code, out, err = run(
        "walk", "mini", "--answer", "q-secure=yes", "--answer", "c-despool=key-missing",
        "--set", "retries=40", "--set", "site_code=S01", "--set", "ins_count=3", "--format", "json", "--trees", GOOD,
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["status"] == "runbook" and data["node"] == "r-exchange-keys"
    assert data["computed"][0]["value"] == "300"
    assert data["steps"][0]["verify"] == "The file S01.ct4 exists at the root of the system drive."
    assert [p["node"] for p in data["path"]] == ["q-secure", "c-despool", "q-retries"]


def test_walk_crosses_a_link_into_the_other_tree():
    code, out, _ = run(
        "walk", "mini", "--answer", "q-secure=no", "--set", "site_code=S02", "--answer", "c-sender=no-address",
        "--format", "json", "--trees", GOOD,
    )
    assert code == 0
    data = json.loads(out)
    assert (data["tree"], data["node"]) == ("mini-linked", "r-add-address")


def test_walk_answers_a_check_from_evidence(tmp_path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "despool.log").write_text(
        "Cannot find valid public key for key exchange instruction coming from site S07"
        "  $$<SMS_DESPOOLER><11-20-2026 10:00:00.000+000><thread=1 (0x1)>\n"
    )
    code, out, err = run(
        "walk", "mini", "--answer", "q-secure=yes", "--set", "retries=10", "--set", "ins_count=0",
        "--evidence", str(bundle), "--format", "json", "--trees", GOOD,
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["node"] == "r-exchange-keys"
    step = data["path"][1]
    assert step["proposed"] == "key-missing" and not step["overridden"]
    assert step["evidence"][0]["line"] == 1
    assert data["values"]["site_code"] == "S07"


def test_walk_evidence_without_the_right_file_leaves_the_check_open(tmp_path):
    (tmp_path / "other.log").write_text("nothing here\n")
    code, out, _ = run(
        "walk", "mini", "--answer", "q-secure=yes", "--evidence", str(tmp_path), "--format", "json", "--trees", GOOD
    )
    assert code == 3 and json.loads(out)["node"] == "c-despool"


def test_walk_bad_answer_is_a_usage_error():
    code, _, err = run("walk", "mini", "--answer", "q-secure=maybe", "--trees", GOOD)
    assert code == 2 and "not a choice" in err
    code, _, err = run("walk", "mini", "--answer", "q-secure", "--trees", GOOD)
    assert code == 2 and "NAME=VALUE" in err


def test_usage_error_exits_2():
    code, _, _ = run("walk")
    assert code == 2
