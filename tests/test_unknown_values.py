"""A value the walk never learned is never shown as a raw placeholder: it reads as what it is, and every export
lists the values still unknown at the top, with where to find each."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from content_kit import routes_to_runbooks, sample_value
from wizard.core.catalog import load_catalog
from wizard.core.placeholders import names
from wizard.core.render import question_markdown, runbook_dict, runbook_markdown
from wizard.core.session import Session
from wizard.core.transcript import render, transcript
from wizard.core.walk import walk

ROOT = Path(__file__).resolve().parent.parent
TREES = sorted(p.stem for p in (ROOT / "trees").glob("*.yaml"))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(include_shipped=True, use_env=False)


def placeholder_names(tree) -> set[str]:
    found: set[str] = set()
    for node in tree.nodes.values():
        for field in ("prompt", "why", "how", "title", "diagnosis", "escalate"):
            found.update(names(getattr(node, field, "") or ""))
        for command in getattr(node, "commands", ()):
            found.update(names(command))
        for step in getattr(node, "steps", ()):
            for text in (step.do, step.runs_on, step.verify, step.wait, step.caution, step.undo, *step.commands):
                found.update(names(text))
    return found


def raw_placeholders(text: str, known: set[str]) -> list[str]:
    return [m.group(0) for m in re.finditer(r"<([a-z][a-z0-9_]*)>|\{([a-z][a-z0-9_]*)\}", text)
            if (m.group(1) or m.group(2)) in known]


@pytest.mark.parametrize("tree_id", TREES)
def test_no_export_of_any_runbook_shows_a_raw_placeholder(tree_id, catalog):
    tree = catalog.get(tree_id)
    known = placeholder_names(tree)
    for runbook, route in routes_to_runbooks(tree).items():
        answers = {f"{tree_id}:{node}": choice for node, choice in route if choice is not None}
        # Only the values the route asks for are typed; what the evidence would have given stays unknown.
        values = {
            tree.nodes[n].capture.name: sample_value(tree.nodes[n].capture)
            for n, _ in route
            if getattr(tree.nodes[n], "capture", None) is not None
        }
        outcome = walk(catalog, tree_id, answers=answers, values=values)
        assert outcome.session.node_id == runbook
        data = transcript(outcome.session)
        for text in (runbook_markdown(outcome.session), render(data, "md"), render(data, "html"), render(data, "json")):
            assert raw_placeholders(text, known) == [], f"{tree_id}/{runbook}"


def test_an_unknown_value_reads_as_what_it_is_and_is_listed_at_the_top(catalog):
    session = Session.start(catalog, "key-exchange", "rb-manual-key-exchange")
    data = runbook_dict(session)
    labels = {item["label"] for item in data["unknown"]}
    assert {"Secondary site code", "Parent site server"} <= labels
    site = next(item for item in data["unknown"] if item["name"] == "site_code")
    assert "asked at" in site["where"]
    text = runbook_markdown(session)
    assert text.index("## Values still unknown") < text.index("## Diagnosis")
    assert "<Secondary site code>" in text and "<site_code>" not in text and "{site_code}" not in text


def test_a_value_only_evidence_gives_says_which_check_reads_it(catalog):
    tree = catalog.get("pf-backfill")
    node = next(n for n in tree.nodes.values() if "{request_msgid}" in " ".join(getattr(n, "commands", ()))
                or "{request_msgid}" in getattr(n, "how", "") or "{request_msgid}" in getattr(n, "prompt", ""))
    session = Session.start(catalog, "pf-backfill", node.id, values={"folder": "Sales", "lacking_server": "EXBE1"})
    text = question_markdown(session) if not session.at_runbook else runbook_markdown(session)
    assert "<request_msgid>" not in text
    assert "read from the evidence of" in text
