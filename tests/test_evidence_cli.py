"""The `wizard scan` and `wizard triage` handlers, called directly with string streams."""

from __future__ import annotations

import io
import json
import re
from argparse import Namespace
from pathlib import Path

import pytest

from wizard.commands_evidence import cmd_scan, cmd_triage
from wizard.core.loader import load_tree

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "evidence"


@pytest.fixture(scope="module")
def catalog() -> Namespace:
    trees = {}
    for path in sorted((FIXTURES / "triage").glob("*.yaml")):
        result = load_tree(path)
        assert result.tree is not None, [d.format() for d in result.problems]
        trees[result.tree.id] = result.tree
    return Namespace(trees=trees)


def run_scan(catalog, *paths: Path, as_json: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cmd_scan(Namespace(paths=[str(p) for p in paths], json=as_json), catalog, out, err)
    return code, out.getvalue(), err.getvalue()


def run_triage(catalog, text: str, as_json: bool = False, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cmd_triage(Namespace(text=text, json=as_json), catalog, out, err, io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_scan_prints_one_line_per_hit(catalog):
    code, out, err = run_scan(catalog, SAMPLES / "opsmgr.evtx")
    assert code == 0 and err == ""
    hits, summary = out.split("\n\n")
    assert hits.splitlines() == [
        f"{SAMPLES / 'opsmgr.evtx'}:102  rms-mini/c-events  failed-over  2007-04-29 10:17:44.000Z OpsMgr Connector  COOM01"
    ]
    assert summary.startswith("1 diagnosis matched (1 match):\n  rms-mini")


def test_scan_json(catalog):
    code, out, _ = run_scan(catalog, SAMPLES / "opsmgr-wevtutil.txt", SAMPLES / "CAS.log", as_json=True)
    rows = json.loads(out)
    assert code == 0 and len(rows) == 1
    assert set(rows[0]) == {"tree", "node", "signature", "file", "line", "time", "component", "text"}
    assert rows[0]["node"] == "c-events" and rows[0]["line"] == 16 and rows[0]["component"] == "OpsMgr Connector"


def test_scan_nothing_found_and_nothing_readable(catalog, tmp_path):
    code, out, err = run_scan(catalog, SAMPLES / "despool.log", as_json=True)
    assert code == 1 and json.loads(out) == [] and "no known signature found in 1 input" in err
    code, out, err = run_scan(catalog, tmp_path / "gone.log", tmp_path)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"wizard scan: {tmp_path / 'gone.log'}: no such file or folder",
        f"wizard scan: {tmp_path}: the folder has no files",
    ]


def test_triage_prints_score_tree_title_and_why(catalog):
    code, out, err = run_triage(catalog, "machines won't download software since the DR test")
    assert code == 0 and err == ""
    first = out.splitlines()[0]
    m = re.match(r"^ *(\d+\.\d\d) (\S+)  (.+)  \u2014 (.+)$", first)
    assert m, first
    assert m.group(2) == "dead-dp-mini" and m.group(3) == catalog.trees["dead-dp-mini"].title
    assert "symptom" in m.group(4)


def test_triage_json_reads_a_ticket_from_stdin(catalog):
    ticket = "Subject: agents\n\nSince last night event 21006 shows on every agent and the console is empty.\n"
    code, out, _ = run_triage(catalog, "-", as_json=True, stdin=ticket)
    rows = json.loads(out)
    assert code == 0 and rows[0]["tree"] == "rms-mini" and rows[0]["node"] == "c-events"
    assert set(rows[0]) == {"tree", "node", "score", "why"} and "event ID 21006" in rows[0]["why"]
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_triage_empty_and_unmatched_text(catalog):
    code, out, err = run_triage(catalog, "-", stdin="   \n")
    assert code == 2 and out == "" and "nothing to triage" in err
    code, out, err = run_triage(catalog, "hello there")
    assert code == 1 and out == "" and "no tree matches" in err
