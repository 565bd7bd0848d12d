"""List values, steps repeated per item, undo and shell fields, and the 'on the' wording rule."""

from __future__ import annotations

import pytest

from wizard.core.evidence import Hit, propose
from wizard.core.listvalues import join_list, list_names, split_list
from wizard.core.loader import load_text
from wizard.core.model import Capture, Check, Choice, Signature
from wizard.core.render import expand_steps, step_lines, tree_markdown
from wizard.core.session import AnswerError, validate_value
from wizard.core.wording import place_phrase

TREE = """
id: lists
title: Lists
version: 1
product: Configuration Manager 2007
summary: Every dead DP gets its own change.
triage:
  keywords: [lists]
start: q-dps
nodes:
  q-dps:
    kind: question
    prompt: Which DPs are down?
    why: Each needs its record changed.
    how: Read the client log.
    capture:
      name: dead_dps
      label: Dead DPs
      type: list
      pattern: '[A-Za-z0-9-]{1,15}'
      next: q-ips
  q-ips:
    kind: question
    prompt: Their addresses, in the same order?
    why: The revert needs them.
    how: nslookup each name.
    capture:
      name: dead_dp_ips
      label: Addresses
      type: list
      next: r-fix
  r-fix:
    kind: runbook
    title: Change the records
    diagnosis: Clients wait on {dead_dps}.
    steps:
      - do: Export the zone.
        runs_on: DNS server
        backup: true
        shell: cmd
        commands: ['dnscmd /ZoneExport corp.example zone.bak']
        verify: The export exists.
      - do: Point {dead_dps} away from {dead_dp_ips}.
        runs_on: The DNS server.
        for_each: [dead_dps, dead_dp_ips]
        shell: cmd
        commands: ['dnscmd /RecordDelete corp.example {dead_dps} A {dead_dp_ips} /f']
        changes: true
        undo: dnscmd /RecordAdd corp.example {dead_dps} A {dead_dp_ips}
        wait: up to one TTL
        wait_source: the zone's TTL
        verify: nslookup {dead_dps} returns the new address.
      - do: Delete the old zone file.
        runs_on: DNS server
        changes: true
        reversible: false
        verify: It is gone.
"""


@pytest.fixture(scope="module")
def tree():
    result = load_text(TREE, "lists.yaml")
    assert result.ok and not result.problems, [p.format() for p in result.problems]
    return result.tree


def test_typed_lists_are_split_checked_per_item_and_kept_once():
    capture = Capture("dead_dps", "Dead DPs", pattern="[A-Za-z0-9-]{1,15}", type="list")
    assert validate_value(capture, " CMDP01,CMDP02 ; cmdp03, CMDP01,, ") == "CMDP01, CMDP02, cmdp03"
    with pytest.raises(AnswerError, match="'bad name' does not look right"):
        validate_value(capture, "CMDP01, bad name")
    with pytest.raises(AnswerError, match="a value is needed"):
        validate_value(capture, " , ;")
    assert split_list("a, b, a") == ["a", "b"] and join_list(["a, b", "b", "c"]) == "a, b, c"


def test_evidence_keeps_every_value_of_a_list_name_and_the_first_of_others():
    check = Check(id="c", prompt="p", how="h", signatures=(Signature(id="s", means="", proposes="x", literal="y"),),
                  choices=(Choice("x", "X", "r"),), otherwise="x")
    hits = [Hit("t", "c", "s", "f.log", n, "", "", "t", {"dead_dps": dp, "zone": z})
            for n, (dp, z) in enumerate([("CMDP01", "a"), ("CMDP02", "b"), ("CMDP01", "c")], 1)]
    assert propose(check, hits, lists={"dead_dps"}).captures == {"dead_dps": "CMDP01, CMDP02", "zone": "a"}
    assert propose(check, hits).captures == {"dead_dps": "CMDP01", "zone": "a"}


def test_a_for_each_step_repeats_per_item_with_parallel_lists_paired(tree):
    assert list_names(tree) == {"dead_dps", "dead_dp_ips"}
    steps = expand_steps(tree.nodes["r-fix"], {"dead_dps": "CMDP01, CMDP02", "dead_dp_ips": "10.0.0.1, 10.0.0.2"})
    assert [s["label"] for s in steps] == ["1", "2.1", "2.2", "3"]
    assert [s["item"] for s in steps] == ["", "CMDP01", "CMDP02", ""]
    assert steps[2]["commands"] == ["dnscmd /RecordDelete corp.example CMDP02 A 10.0.0.2 /f"]
    assert steps[2]["undo"] == "dnscmd /RecordAdd corp.example CMDP02 A 10.0.0.2"
    assert steps[1]["do"] == "Point CMDP01 away from 10.0.0.1."


def test_a_shorter_parallel_list_leaves_its_placeholder_unfilled_and_no_list_leaves_one_step(tree):
    steps = expand_steps(tree.nodes["r-fix"], {"dead_dps": "CMDP01, CMDP02", "dead_dp_ips": "10.0.0.1"})
    assert steps[2]["do"] == "Point CMDP02 away from <dead_dp_ips>."
    unfilled = expand_steps(tree.nodes["r-fix"], {})
    assert [s["label"] for s in unfilled] == ["1", "2", "3"] and unfilled[1]["item"] == ""


def test_step_lines_show_the_shell_the_wait_source_the_undo_and_what_cannot_be_undone(tree):
    steps = expand_steps(tree.nodes["r-fix"], {"dead_dps": "CMDP01", "dead_dp_ips": "10.0.0.1"})
    lines = dict(step_lines(steps[1]))
    assert lines["shell"] == "Run in Command Prompt (cmd.exe):"
    assert lines["wait"] == "up to one TTL" and lines["wait_source"] == "the zone's TTL"
    assert lines["undo"].startswith("dnscmd /RecordAdd corp.example CMDP01")
    assert step_lines(steps[2])[0] == ("irreversible", "This change cannot be undone.")
    document = tree_markdown(tree)
    assert "(once for each item of `{dead_dps}`, `{dead_dp_ips}`)" in document
    assert "> **CANNOT BE UNDONE:**" in document and "```bat" in document


@pytest.mark.parametrize(
    ("place", "phrase"),
    [
        ("DNS server", "on the DNS server"),
        ("The Operations Manager event log on an affected agent.", "on the Operations Manager event log on an affected agent"),
        ("On the stuck client: %WINDIR%\\CCM\\Logs for a 2012 client.", "on the stuck client: %WINDIR%\\CCM\\Logs for a 2012 client"),
        ("an agent computer", "on an agent computer"),
        ("  ", ""),
    ],
)
def test_place_phrase_never_doubles_an_article_or_a_full_stop(place, phrase):
    assert place_phrase(place) == phrase
    if phrase:
        assert place_phrase(place, capital=True) == phrase[0].upper() + phrase[1:]
