"""Case files: the loader locates every problem, `wizard test` passes the shipped cases and locates differences."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from case_kit import _no_site_trees, catalog, run  # noqa: F401  (shared fixtures)
from wizard.core.cases import CODES, TOP_FIELDS, case_files, load_case, run_case

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "cases"
SCHEMA = json.loads((ROOT / "wizard" / "core" / "case.schema.json").read_text(encoding="utf-8"))
SHIPPED = case_files()




def located(output: str) -> set[tuple[str, int, str]]:
    """(case folder, line, code) of each difference line `wizard test` printed."""
    found = set()
    for line in output.splitlines():
        where, _, rest = line.partition(" ")
        path, line_no, _col = where.rsplit(":", 2)
        found.add((Path(path).parent.name, int(line_no), rest.split(" ")[0]))
    return found


def test_every_sample_folder_is_a_case():
    folders = {p for p in (ROOT / "samples").glob("*/*") if p.is_dir()}
    assert folders and folders == {p.parent for p in SHIPPED}


def test_every_tree_has_at_least_three_cases():
    trees = sorted(p.stem for p in (ROOT / "trees").glob("*.yaml"))
    per_tree = {tree: [p for p in SHIPPED if p.parent.parent.name == tree] for tree in trees}
    assert all(len(found) >= 3 for found in per_tree.values()), {t: len(f) for t, f in per_tree.items()}


def test_every_shipped_case_passes():
    code, out, err = run("test")
    assert code == 0, out + err
    assert f"{len(SHIPPED)} case(s), {len(SHIPPED)} passed, 0 difference(s)" in out


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_shipped_case_validates_against_the_schema(path):
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), SCHEMA)
    loaded = load_case(path)
    assert loaded.ok and not loaded.problems, [p.format() for p in loaded.problems]


def test_schema_describes_the_fields_the_loader_reads():
    assert set(SCHEMA["properties"]) == set(TOP_FIELDS)
    readme = (ROOT / "trees" / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("# Case files"):]
    for name in TOP_FIELDS:
        assert f"`{name}`" in section
    for code in CODES:
        assert f"`{code}`" in section


def test_broken_case_reports_each_difference_at_its_line():
    code, out, err = run("test", str(FIXTURES / "broken-walk"))
    assert code == 1
    assert located(out) == {
        ("broken-walk", 5, "WC200"),  # the ticket is about Operations Manager
        ("broken-walk", 9, "WC208"),  # an answer for a node never reached
        ("broken-walk", 10, "WC208"),  # an answer for a node of another tree
        ("broken-walk", 13, "WC208"),  # a value no question asks for
        ("broken-walk", 15, "WC201"),  # the evidence answers key-missing, not no-key-errors
        ("broken-walk", 17, "WC205"),  # the walk stops at a question, not at this runbook
    }
    assert "the evidence proposed 'key-missing'" in out
    assert "1 case(s), 0 passed, 6 difference(s)" in err


def test_case_naming_what_is_not_there_is_located_with_hints():
    code, out, _ = run("test", str(FIXTURES / "bad-refs"))
    assert code == 1
    assert located(out) == {
        ("bad-refs", 5, "WC104"),  # missing file, and a path out of the folder
        ("bad-refs", 7, "WC102"),
        ("bad-refs", 8, "WC103"),
        ("bad-refs", 10, "WZ203"),
        ("bad-refs", 13, "WC106"),
        ("bad-refs", 14, "WC105"),
        ("bad-refs", 15, "WZ201"),
    }
    assert "did you mean 'q-retry-evidence'?" in out
    assert out.count("WC104") == 2


def test_json_output_and_usage_errors(tmp_path):
    code, out, _ = run("test", str(FIXTURES / "broken-walk"), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["cases"][0]["passed"] is False
    assert {d["code"] for d in data["differences"]} >= {"WC200", "WC201", "WC205"}
    assert run("test", str(tmp_path / "nothing-here"))[0] == 2
    assert run("test", str(tmp_path))[0] == 2  # a folder without any case.yaml


def _copy_case(tmp_path: Path, source: Path, edit) -> Path:
    folder = tmp_path / source.parent.name
    folder.mkdir()
    for item in source.parent.iterdir():
        if item.is_file():
            (folder / item.name).write_bytes(item.read_bytes())
    text = edit((source).read_text(encoding="utf-8"))
    (folder / "case.yaml").write_text(text, encoding="utf-8")
    return folder / "case.yaml"


def test_a_value_step_that_differs_is_reported_at_its_line(tmp_path, catalog):
    source = ROOT / "samples" / "rms-failover" / "fab-rms-lost" / "case.yaml"
    path = _copy_case(tmp_path, source, lambda t: t.replace("q-new-rms: OPSMS02", "q-new-rms: OPSMS03"))
    loaded = load_case(path)
    assert loaded.ok
    diffs = run_case(loaded.case, catalog).differences
    assert [d.code for d in diffs] == ["WC206"]
    line = path.read_text().splitlines()[diffs[0].line - 1]
    assert "q-new-rms: OPSMS03" in line


def test_a_missing_expert_answer_stops_the_walk_where_it_is_needed(tmp_path, catalog):
    source = ROOT / "samples" / "rms-failover" / "fab-rms-lost" / "case.yaml"
    path = _copy_case(tmp_path, source, lambda t: t.replace("  q-is-rms: rms\n", ""))
    diffs = run_case(load_case(path).case, catalog).differences
    codes = [d.code for d in diffs]
    assert "WC202" in codes and "WC205" in codes
    stop = next(d for d in diffs if d.code == "WC202")
    assert "rms-failover:q-is-rms" in path.read_text().splitlines()[stop.line - 1]


@pytest.mark.parametrize(
    "text, code",
    [
        (b"case: 1\ntree: key-exchange\x00\n", "WZ105"),
        (b"case: 1\ncase: 1\n", "WZ103"),
        (b"case: &a 1\ntree: *a\n", "WZ104"),
        (b"[" * 5000, "WZ107"),
        (b"- a\n- b\n", "WZ200"),
        (b"case: 2\n", "WC100"),
        (b"\xff\xfe\x00\xd8", "WZ105"),
        (b"", "WZ108"),
        (b"case: 1\ntree: Key Exchange\n", "WZ205"),
        (b"case: 1\npath: {a: b}\n", "WZ204"),
    ],
)
def test_hostile_case_files_give_located_problems(tmp_path, text, code):
    path = tmp_path / "case.yaml"
    path.write_bytes(text)
    loaded = load_case(path)
    assert code in {p.code for p in loaded.problems}
    assert all(p.file == str(path) and p.line >= 1 and p.col >= 1 for p in loaded.problems)


def test_evidence_may_not_leave_the_case_folder_through_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.log").write_text("x\n")
    case = tmp_path / "case"
    case.mkdir()
    (case / "logs").symlink_to(outside, target_is_directory=True)
    (case / "case.yaml").write_text(
        "case: 1\ntree: key-exchange\ntitle: t\nticket: t\nevidence: [logs, /etc/passwd, 'C:\\\\Windows']\n"
        "path:\n  - key-exchange:c-despool-key-errors: key-missing\nrunbook: rb-manual-key-exchange\n"
    )
    problems = [p for p in load_case(case / "case.yaml").problems if p.code == "WC104"]
    assert [p.path for p in problems] == ["evidence[0]", "evidence[1]", "evidence[2]"]
    assert all("leads out" in p.message or "must stay inside" in p.message for p in problems)


def test_a_site_tests_its_own_tree_with_its_own_case():
    site_case = FIXTURES / "site"
    code, out, err = run("test", "--trees", str(ROOT / "tests" / "fixtures" / "good"), str(site_case))
    assert code == 0, out + err
    assert "1 case(s), 1 passed" in out
    code, out, _ = run("test", str(site_case))  # without the site's trees the case names an unknown tree
    assert code == 1 and "WC101" in out
