"""Triage that reads a ticket like a help desk writes it: causes ruled out lower their tree, traffic in one
direction is the sender address, pasted lines and IDs count, and the reasons say what was ruled out."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
import yaml

from content_kit import load_shipped_tree
from wizard.cli import main
from wizard.core.triage import MAX_TRIAGE_TEXT, rank, ruled_out_clauses

TICKETS = Path(__file__).parent / "fixtures" / "triage" / "tickets" / "helpdesk.yaml"
SHIPPED = ("key-exchange", "pending-site", "sender-address", "dp-stickiness", "rms-failover", "pf-backfill")
HELPDESK = yaml.safe_load(TICKETS.read_text())["tickets"]


@pytest.fixture(scope="module")
def trees():
    return [load_shipped_tree(tree_id) for tree_id in SHIPPED]


def _score(matches, tree_id: str) -> float:
    return next((m.score for m in matches if m.tree == tree_id), 0.0)


def _why(matches, tree_id: str) -> str:
    return next((m.why for m in matches if m.tree == tree_id), "")


def test_there_are_at_least_forty_help_desk_tickets():
    assert len(HELPDESK) >= 40
    assert {t["tree"] for t in HELPDESK} == set(SHIPPED)
    assert all(len(t["ticket"]) > 120 for t in HELPDESK)


@pytest.mark.parametrize("case", HELPDESK, ids=[f"{i:02d}-{t['tree']}" for i, t in enumerate(HELPDESK)])
def test_help_desk_ticket_ranks_its_tree_first(trees, case):
    matches = rank(case["ticket"], trees)
    assert matches and matches[0].tree == case["tree"], [(m.tree, m.score, m.why) for m in matches[:3]]


@pytest.mark.parametrize(
    "ruling_out",
    [
        "despool.log on both sides is clean, no key errors at all.",
        "The keys were exchanged by hand last week.",
        "It's not the keys, we checked.",
    ],
)
def test_a_cause_ruled_out_lowers_its_tree(trees, ruling_out):
    base = "The new secondary site stays in pending in the console on the primary since the install."
    before = rank(base, trees)
    after = rank(f"{base} {ruling_out}", trees)
    assert _score(after, "key-exchange") < _score(before, "key-exchange")
    assert after[0].tree == "pending-site"
    assert "ruled out" in _why(after, "key-exchange") or _score(after, "key-exchange") == 0.0


def test_the_same_words_without_the_ruling_out_still_raise_the_tree(trees):
    base = "The new secondary site stays in pending in the console on the primary since the install."
    raised = rank(f"{base} despool.log on the primary has key errors.", trees)
    lowered = rank(f"{base} despool.log on the primary is clean, no key errors.", trees)
    assert _score(raised, "key-exchange") > _score(lowered, "key-exchange")


def test_clauses_that_rule_out_are_found_and_log_lines_are_not_among_them():
    text = (
        "Site is pending. despool.log on both sides is clean, no key errors at all.\n"
        "Cannot connect to server X at remote site Y, no active send requests  $$<SMS_LAN_SENDER><1-1-2009 1:00:00.000+0>\n"
        "The keys were\nexchanged by hand."
    )
    clauses = [c for _, _, c in ruled_out_clauses(text)]
    assert clauses == [
        "despool.log on both sides is clean",
        "no key errors at all.",
        "The keys were exchanged by hand.",
    ]


@pytest.mark.parametrize(
    "ticket",
    [
        "Traffic goes one way only",
        "nothing ever comes back from the secondary",
        "packages reach it but no inventory returns",
        "We think replication is broken: traffic goes one way only and nothing ever comes back from the secondary.",
    ],
)
def test_one_way_traffic_is_the_sender_address(trees, ticket):
    matches = rank(ticket, trees)
    assert matches[0].tree == "sender-address", [(m.tree, m.score) for m in matches[:3]]


@pytest.mark.parametrize(
    "ticket, tree, reason",
    [
        (
            "Hi, since last night the console is acting up and users complain. On the DC the Operations Manager log "
            "has Event ID 21006. Please have a look when you can, thanks.",
            "rms-failover",
            "event ID 21006",
        ),
        (
            "Hello, the new child site was installed on monday and since then the primary shows warnings from the "
            "despooler, message ID 4405. Can you check?",
            "key-exchange",
            "status message 4405",
        ),
        (
            "Users in the branch report no software. One PC has this in its log: "
            "Error retrieving manifest (0x800704cf). Any idea?",
            "dp-stickiness",
            "Error retrieving manifest",
        ),
    ],
)
def test_ids_and_log_lines_inside_a_longer_ticket_count(trees, ticket, tree, reason):
    matches = rank(ticket, trees)
    assert matches[0].tree == tree and reason in matches[0].why, [(m.tree, m.why) for m in matches[:2]]


def test_reasons_name_what_was_ruled_out_and_what_matched(trees):
    ticket = (
        "Secondary site LDN stuck in pending after the upgrade. The keys were exchanged by hand and despool.log is "
        "clean."
    )
    matches = rank(ticket, trees)
    assert matches[0].tree == "pending-site" and "symptom" in matches[0].why
    assert "ruled out: \u201cThe keys were exchanged by hand" in _why(matches, "key-exchange") or not _score(
        matches, "key-exchange"
    )


def test_triage_of_a_huge_input_is_capped_and_says_so():
    line = "Cannot connect to server DAL-CM01 at remote site DAL, won't try send requests going to site DAL\n"
    text = line * ((40 << 20) // len(line))
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    code = main(["triage", "-"], stdin=io.StringIO(text), stdout=out, stderr=err)
    elapsed = time.perf_counter() - started
    assert code == 0 and "sender-address" in out.getvalue().splitlines()[0]
    assert f"only the first {MAX_TRIAGE_TEXT >> 10} KiB" in err.getvalue()
    assert elapsed < 10, f"{elapsed:.1f}s"


def test_the_triage_cap_reads_no_more_than_it_ranks():
    class Counting(io.StringIO):
        asked: list[int] = []

        def read(self, size=-1):
            self.asked.append(size)
            return super().read(size)

    stdin = Counting("site pending " * 100_000)
    main(["triage", "-"], stdin=stdin, stdout=io.StringIO(), stderr=io.StringIO())
    assert stdin.asked and all(0 < size <= MAX_TRIAGE_TEXT + 1 for size in stdin.asked)


@pytest.mark.parametrize(
    "unit",
    [" ", "no ", "a, ", " but", "\n \n", "it's not the ", "exchanged ", ". ", "no errors, ", "is fine but "],
)
def test_a_hostile_ticket_is_ranked_in_linear_time(trees, unit):
    ticket = unit * (MAX_TRIAGE_TEXT // len(unit)) + "x pending"
    started = time.perf_counter()
    rank(ticket, trees)
    elapsed = time.perf_counter() - started
    assert elapsed < 3, f"{elapsed:.1f}s for a ticket of {unit!r}"
