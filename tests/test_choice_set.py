"""Choices that set values: a yes or a no a runbook can compute with."""

from wizard.core.catalog import Catalog
from wizard.core.loader import load_text
from wizard.core.render import runbook_dict, tree_markdown
from wizard.core.session import Session

TREE = """
id: gate
title: Gate
version: 1
product: Test
summary: A gate that takes longer to open across the yard.
triage: {symptoms: [gate]}
start: q-where
nodes:
  q-where:
    kind: question
    prompt: Is the gate in your yard?
    why: Across the yard it takes twice as long.
    how: Look.
    choices:
      - id: same
        label: Same yard
        next: rb-open
        set: {factor: 1, yard: home}
      - id: other
        label: Another yard
        next: rb-open
        set: {factor: 2, yard: far}
  rb-open:
    kind: runbook
    title: Open the gate in the {yard} yard
    diagnosis: It is shut.
    compute:
      - {name: hours, expr: 6 * factor, label: Hours to wait, unit: h}
    steps:
      - {do: "Wait {hours} hours.", runs_on: gate, verify: It is open.}
"""


def test_set_values_load_fill_placeholders_and_feed_compute():
    result = load_text(TREE, "gate.yaml")
    assert result.problems == ()
    tree = result.tree
    assert tree.nodes["q-where"].choices[1].sets == (("factor", "2"), ("yard", "far"))
    session = Session.start(Catalog(trees={"gate": tree}), "gate").answer("other")
    data = runbook_dict(session)
    assert data["title"] == "Open the gate in the far yard"
    assert data["computed"][0]["value"] == "12"
    assert data["steps"][0]["do"] == "Wait 12 hours."
    assert "sets `factor` = 2" in tree_markdown(tree)


def test_bad_set_names_and_values_are_located_errors():
    bad = TREE.replace("set: {factor: 2, yard: far}", "set: {Factor: 2, yard: [far]}")
    problems = {(d.code, d.path) for d in load_text(bad, "gate.yaml").problems}
    assert ("WZ205", "nodes.q-where.choices[1].set.Factor") in problems
    assert ("WZ204", "nodes.q-where.choices[1].set.yard") in problems


def test_a_name_only_set_by_a_choice_is_declared_for_placeholders():
    unset = TREE.replace("set: {factor: 1, yard: home}", "set: {factor: 1}").replace(
        "set: {factor: 2, yard: far}", "set: {factor: 2}"
    )
    codes = [d.code for d in load_text(unset, "gate.yaml").problems]
    assert codes == ["WZ400"]
