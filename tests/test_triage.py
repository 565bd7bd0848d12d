"""Triage ranking on the miniature trees in tests/fixtures/triage."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.core.loader import load_tree
from wizard.core.triage import analyse, rank, stem

FIXTURES = Path(__file__).parent / "fixtures" / "triage"


@pytest.fixture(scope="module")
def trees():
    loaded = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        result = load_tree(path)
        assert result.tree is not None, [d.format() for d in result.problems]
        loaded.append(result.tree)
    return loaded


def best(text: str, trees) -> str:
    matches = rank(text, trees)
    assert matches, text
    return matches[0].tree


@pytest.mark.parametrize(
    "ticket, tree",
    [
        ("machines won't download software", "dead-dp-mini"),
        ("the DP is offline and PCs keep retrying", "dead-dp-mini"),
        ("secondary site is stuck", "stuck-site-mini"),
        ("site shows pending", "stuck-site-mini"),
        ("public folders not replicating old items", "backfill-mini"),
        ("older emails missing in the public folder", "backfill-mini"),
        ("the RMS crashed and the console cannot connect", "rms-mini"),
        ("console can't connect after the server went down", "rms-mini"),
    ],
)
def test_help_desk_words_find_the_tree(trees, ticket, tree):
    assert best(ticket, trees) == tree


@pytest.mark.parametrize(
    "ticket, tree, reason",
    [
        ("21006", "rms-mini", "event ID 21006"),
        ("we see event 21006 on the agents", "rms-mini", "event ID 21006"),
        ("21015", "rms-mini", "event ID 21015 is read by a check"),
        ("0x8", "backfill-mini", "message type 0x8"),
        ("Type: 0x08 only", "backfill-mini", "message type 0x8"),
        ("Event ID: 3016", "backfill-mini", "event ID 3016"),
    ],
)
def test_ids_and_message_types(trees, ticket, tree, reason):
    matches = rank(ticket, trees)
    assert matches[0].tree == tree and reason in matches[0].why
    assert all(m.tree == tree for m in matches) or matches[0].score > 2 * matches[1].score


def test_a_pasted_log_line_matches_the_trees_signatures(trees):
    line = (
        "Error sending request, ERROR_WINHTTP_CANNOT_CONNECT  $$<ContentTransferManager><07-30-2008 08:14:03.002+240>"
        "<thread=3120 (0xC30)>"
    )
    top = rank(line, trees)[0]
    assert top.tree == "dead-dp-mini" and "log text \u201cERROR_WINHTTP_CANNOT_CONNECT\u201d" in top.why


def test_a_pasted_check_signature_counts(trees):
    cmtrace = (
        '<![LOG[CCTMJob::UpdateLocations - Received empty location update for CTM Job {X}]LOG]!><time="08:14:03.002+240"'
        ' date="07-30-2008" component="ContentTransferManager" context="" type="2" thread="3120" file="ctmjob.cpp:1">'
    )
    top = rank(cmtrace, trees)[0]
    assert top.tree == "dead-dp-mini" and "c-client-log/empty" in top.why


def test_a_pasted_event_block_counts_through_its_id(trees):
    block = "Log Name: Operations Manager\nSource: OpsMgr Connector\nEvent ID: 21015\nLevel: Warning\nDescription:\nx\n"
    top = rank(block, trees)[0]
    assert top.tree == "rms-mini" and "c-events/failed-over" in top.why


def test_a_whole_ticket(trees):
    ticket = """Hello,

    Since the data centre test on Saturday none of the laptops in Leeds get their software. Software Center
    just sits there. The old DP in the server room was powered off for the test. Can someone take a look?

    Thanks, Ann"""
    matches = rank(ticket, trees)
    assert matches[0].tree == "dead-dp-mini" and matches[0].node == "c-client-log"


def test_results_name_the_entry_node_and_come_best_first(trees):
    matches = rank("site pending console connect server down", trees)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    entries = {t.id: t.entry for t in trees}
    assert all(m.node == entries[m.tree] for m in matches)
    assert all(m.score > 0 and m.why for m in matches)


def test_nothing_to_go_on(trees):
    assert rank("hello, thanks", trees) == []
    assert rank("   ", trees) == []
    assert rank("anything", []) == []


@pytest.mark.parametrize(
    "words, same",
    [
        (["replication", "replicating", "replicated", "replicates"], True),
        (["connection", "connecting", "connected", "connects", "connectivity"], True),
        (["message", "messages"], True),
        (["address", "addresses"], True),
        (["process", "processing"], True),
        (["status"], True),
        (["pending", "stuck"], False),
    ],
)
def test_stemming(words, same):
    stems = {stem(w) for w in words}
    assert (len(stems) == 1) is same, stems


def test_synonyms_join_help_desk_and_tree_words():
    ticket = analyse("clients won't download, the DP went down")
    tree = analyse("the distribution point is offline so machines cannot get content")
    shared = set(ticket.counts) & set(tree.counts)
    assert {"~client", "~content", "~dp", "~down"} <= shared
    assert "will" not in ticket.counts and "not" not in ticket.counts
