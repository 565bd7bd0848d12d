"""Content of the pf-backfill tree: the facts of the backfill source sit in the node that uses them, and every
sample bundle walks to the runbook its README promises."""

from __future__ import annotations

import pytest

from content_kit import SAMPLES, TREES, assert_triage_ranks_first, tree_fixture, walk_json
from wizard.core.loader import load_tree
from wizard.core.model import Check, Question, Runbook
from wizard.core.render import compute_values

TREE_FILE = TREES / "pf-backfill.yaml"

tree = tree_fixture("pf-backfill")


def node_text(node) -> str:
    """Every piece of prose, command and console path a node shows, joined for searching."""
    parts: list[str] = [getattr(node, "title", ""), *getattr(node, "learn", ())]
    if isinstance(node, (Question, Check)):
        parts += [node.prompt, node.why, node.how, *node.commands]
        parts += [f"{c.label} {c.note}" for c in node.choices]
        if node.capture is not None:
            parts += [node.capture.label, node.capture.name]
    if isinstance(node, Check):
        parts += [s.means for s in node.signatures]
    if isinstance(node, Runbook):
        parts += [node.diagnosis, node.escalate]
        for step in node.steps:
            parts += [step.do, step.runs_on, step.console, step.wait, step.caution, step.verify, *step.commands]
    return "\n".join(p for p in parts if p)


def steps_with(runbook: Runbook, needle: str):
    return [s for s in runbook.steps if needle in " ".join([s.do, s.console, *s.commands])]


def choice_target(node, choice_id: str) -> str:
    return next(c.next for c in node.choices if c.id == choice_id)


def test_lints_clean_without_warnings():
    result = load_tree(TREE_FILE)
    assert result.ok
    assert [p.format() for p in result.problems] == []


def test_the_four_questions_form_the_spine(tree):
    assert tree.nodes["c-q1-knows"].prompt.startswith("Question 1 of 4")
    assert choice_target(tree.nodes["c-q1-knows"], "knows") == "c-q2-requests"
    assert tree.nodes["c-q2-requests"].prompt.startswith("Question 2 of 4")
    assert choice_target(tree.nodes["c-q2-requests"], "this-folder") == "q-q3-target"
    assert tree.nodes["q-q3-target"].capture.next == "c-q3-answers"
    assert tree.nodes["c-q3-answers"].prompt.startswith("Question 3 of 4")
    assert choice_target(tree.nodes["c-q3-answers"], "answered") == "c-q4-received"
    assert tree.nodes["c-q4-received"].prompt.startswith("Question 4 of 4")


def test_change_numbers_and_message_types_are_explained_for_the_whole_tree(tree):
    background = "\n".join(tree.learn)
    assert "CNSet" in background and "status information" in background
    for kind in ("0x2", "0x4", "0x20", "0x10", "0x8", "0x80000002", "0x80000004"):
        assert kind in background


def test_question_1_reads_status_messages_and_the_backfill_array(tree):
    check = tree.nodes["c-q1-knows"]
    text = node_text(check)
    assert "backfill array" in check.why
    assert "0x20" in check.why and "0x10" in check.why
    assert "No supported tool" in check.why
    proposals = {s.id: s.proposes for s in check.signatures}
    assert proposals["incoming-status"] == "knows"
    assert "0x10" in next(s.regex for s in check.signatures if s.id == "incoming-status")
    assert proposals["outgoing-status-request-only"] == "unknown"
    assert check.otherwise == "unknown"
    assert "24 hours" in text and "48 hours" in text


def test_pre_sp2_stores_ignoring_status_requests_decide_the_question_1_fix(tree):
    question = tree.nodes["q-q1-service-pack"]
    assert "SP2" in question.why and "ignore" in question.why
    assert choice_target(question, "sp2") == "rb-q1-give-status-sp2"
    assert choice_target(question, "sp1") == "rb-q1-give-status-sp1"
    assert "before Exchange 2003 SP2" in tree.nodes["rb-q1-give-status-sp1"].diagnosis.replace("older than", "before")


def test_question_1_fix_sp2_has_every_way_to_make_the_store_learn(tree):
    runbook = tree.nodes["rb-q1-give-status-sp2"]
    change = steps_with(runbook, "Option A")[0]
    assert "0x4" in change.do and "0x2" in change.do and "{source_server}" in change.runs_on
    sync = steps_with(runbook, "Synchronize Content")[0]
    assert "right-click {source_server}" in sync.console and "Status tab" in sync.console
    assert "0x20" in sync.do and "Public Folders node" in sync.do
    registry = steps_with(runbook, "KB813629")[0]
    assert "KB321082" in registry.do and "{source_server}" in registry.runs_on
    assert any('"Replication Flags"' in c for c in registry.commands)
    assert any('"Enable Replication Messages At Startup"' in c for c in registry.commands)
    resend = steps_with(runbook, "Resend Changes")[0]
    assert "day or two" in resend.caution
    assert "0x80000004" in resend.do and "0x80000002" in resend.do
    assert not steps_with(runbook, "Send Contents")


def test_question_1_fix_sp1_uses_send_hierarchy_and_send_contents(tree):
    runbook = tree.nodes["rb-q1-give-status-sp1"]
    send = steps_with(runbook, "Send Contents")[0]
    assert "Send Hierarchy" in send.console and "day or two" in send.caution
    assert "no Synchronize Content for the hierarchy" in steps_with(runbook, "Option B")[0].do


def test_question_2_reads_outgoing_backfill_requests(tree):
    check = tree.nodes["c-q2-requests"]
    by_id = {s.id: s for s in check.signatures}
    assert by_id["event-3016"].event_id == 3016 and by_id["event-3016"].proposes == "this-folder"
    assert by_id["event-3014"].event_id == 3014
    assert "(?P<backfill_target>" in by_id["outgoing-backfill-request"].regex
    assert "(?P<request_msgid>" in by_id["outgoing-backfill-request"].regex
    assert check.otherwise == "none"
    assert choice_target(check, "other-folders") == "rb-q2-obl"


def test_timeouts_and_the_five_minute_check_are_in_the_waiting_runbook(tree):
    runbook = tree.nodes["rb-q2-wait"]
    notes = "\n".join(runbook.learn)
    for fact in ("15 minutes", "6 hours", "12 hours", "12 and then 24 hours", "24 and then 48"):
        assert fact in notes
    assert "every five minutes" in runbook.diagnosis
    sync = steps_with(runbook, "Synchronize Content")[0]
    assert "right-click {lacking_server}" in sync.console
    assert "immediately" in sync.do


def timing_values(tree, how_it_began: str, routing: str, **typed: str) -> dict[str, str]:
    """The values the two timing choices set, plus the numbers typed at the later questions."""
    values = dict(next(c for c in tree.nodes["q-q2-new-replica"].choices if c.id == how_it_began).sets)
    values.update(next(c for c in tree.nodes["q-q2-same-rg"].choices if c.id == routing).sets)
    values.update(typed)
    return values


@pytest.mark.parametrize(
    ("how_it_began", "routing", "requests_sent", "wait_hours", "following_hours"),
    [
        ("new-replica", "same", 0, "0.25", "12"),  # new replica: first request after 15 minutes
        ("new-replica", "different", 0, "0.25", "24"),
        ("normal-replication", "same", 0, "6", "12"),  # gap found in normal replication, same routing group
        ("normal-replication", "different", 0, "12", "24"),  # ... only another routing group has the data
        ("normal-replication", "same", 1, "12", "24"),
        ("normal-replication", "same", 2, "24", "24"),
        ("normal-replication", "different", 1, "24", "48"),
        ("normal-replication", "different", 5, "48", "48"),
        ("new-replica", "different", 1, "24", "48"),
    ],
)
def test_next_backfill_request_arithmetic(tree, how_it_began, routing, requests_sent, wait_hours, following_hours):
    values = timing_values(
        tree, how_it_began, routing, requests_sent=str(requests_sent), start_hour="14", start_minute="20"
    )
    computed = {c.name: c.value for c in compute_values(tree.nodes["rb-q2-wait"], values)}
    assert computed["wait_hours"] == wait_hours
    assert computed["following_hours"] == following_hours


def test_next_backfill_request_clock_time_rolls_over_midnight(tree):
    values = timing_values(
        tree, "normal-replication", "different", requests_sent="1", start_hour="22", start_minute="50"
    )
    computed = {c.name: c.value for c in compute_values(tree.nodes["rb-q2-wait"], values)}
    assert (computed["due_day"], computed["due_hour"], computed["due_minute"]) == ("1", "22", "50")
    values = timing_values(tree, "normal-replication", "same", requests_sent="0", start_hour="22", start_minute="50")
    computed = {c.name: c.value for c in compute_values(tree.nodes["rb-q2-wait"], values)}
    assert (computed["due_day"], computed["due_hour"], computed["due_minute"]) == ("1", "4", "50")


def test_waiting_runbook_uses_the_computed_time(tree):
    first = tree.nodes["rb-q2-wait"].steps[0].do
    for name in ("{wait_hours}", "{due_day}", "{due_hour}", "{due_minute}", "{following_hours}", "five"):
        assert name in first


def test_timing_captures_are_numbers(tree):
    for node_id, name in [
        ("q-q2-requests-sent", "requests_sent"),
        ("q-q2-start-hour", "start_hour"),
        ("q-q2-start-minute", "start_minute"),
    ]:
        capture = tree.nodes[node_id].capture
        assert capture.name == name and capture.type == "integer"


def test_yes_no_timing_inputs_are_labelled_choices_that_set_one_or_zero(tree):
    for node_id, name, then, expected in [
        ("q-q2-new-replica", "new_replica", "q-q2-same-rg", {"new-replica": "1", "normal-replication": "0"}),
        ("q-q2-same-rg", "same_rg", "q-q2-requests-sent", {"same": "1", "different": "0"}),
    ]:
        node = tree.nodes[node_id]
        assert node.capture is None
        assert {c.id: dict(c.sets) for c in node.choices} == {cid: {name: value} for cid, value in expected.items()}
        assert {c.next for c in node.choices} == {then}
        assert "Type 1" not in node.how and "type 0" not in node.how


def test_outstanding_backfill_limit_runbook(tree):
    runbook = tree.nodes["rb-q2-obl"]
    assert "50" in runbook.diagnosis and "grinds to a halt" in runbook.diagnosis
    test = steps_with(runbook, "Replication Outstanding Backfill Limit")[0]
    assert any("Replication Outstanding Backfill Limit" in c and "{lacking_server}" in c and "/d 51" in c
               for c in test.commands)
    assert any(c.startswith("reg delete") for c in test.commands)
    assert "Information Store" in test.console and "five minutes" in test.wait
    keep = steps_with(runbook, "floodgates")[0]
    assert "5000" in keep.do and "fixing the cause" in keep.caution
    assert any("Oustanding" in note and note.startswith("Background:") for note in runbook.learn)
    assert steps_with(runbook, "stuck folders")


def test_question_3_follows_the_request_to_its_target(tree):
    check = tree.nodes["c-q3-answers"]
    assert "{request_msgid}" in check.how and "message ID" in check.how
    by_id = {s.id: s for s in check.signatures}
    assert by_id["event-3021"].proposes == "answered"
    assert by_id["event-3026"].proposes == "received-only"
    assert check.otherwise == "not-logged"
    assert all(g.startswith("source") for g in check.evidence.files)
    assert "one server only" in tree.nodes["q-q3-target"].why


def test_question_3_target_says_how_to_save_the_export_the_check_reads(tree):
    how = tree.nodes["q-q3-target"].how
    assert "source-<server>-app.txt" in how and "Save Log File As" in how
    globs = tree.nodes["c-q3-answers"].evidence.files
    assert any(g.startswith("source") and g.endswith(".txt") for g in globs)


def test_service_pack_question_asks_about_the_requesting_and_the_answering_stores(tree):
    question = tree.nodes["q-q1-service-pack"]
    assert "{lacking_server}" in question.prompt and "{source_server}" in question.prompt
    assert "asks all of them" in question.why and "even when it was not asked" in question.why
    older = next(c for c in question.choices if c.id == "requester-older")
    assert older.next == "rb-q1-give-status-sp2" and "{lacking_server}" in older.label


def test_touching_every_item_comes_after_a_store_backup_and_cannot_be_undone(tree):
    for node_id in ("rb-q2-common-problems", "rb-delivered-not-logged"):
        steps = tree.nodes[node_id].steps
        touch = next(i for i, s in enumerate(steps) if "modify every item" in s.do)
        assert steps[touch].changes and not steps[touch].reversible and "restore" in steps[touch].undo
        assert any(s.backup for s in steps[:touch]), node_id


def test_question_3_response_time_depends_on_the_message_size_limit(tree):
    runbook = tree.nodes["rb-q3-slow-response"]
    assert "1 GB" in runbook.diagnosis and "an hour or more" in runbook.diagnosis
    assert "Replication message size limit" in steps_with(runbook, "size limit")[0].console


def test_message_tracking_and_delivered_but_not_logged(tree):
    for node_id in ("q-q3-tracking", "q-q4-tracking"):
        question = tree.nodes[node_id]
        assert "Message Tracking Center" in question.how
        assert choice_target(question, "delivered") == "rb-delivered-not-logged"
    assert choice_target(tree.nodes["q-q4-tracking"], "stuck") == "rb-q4-response-lost"
    assert "Common Problems" in tree.nodes["rb-delivered-not-logged"].diagnosis


def test_question_4_reads_incoming_backfill_responses(tree):
    check = tree.nodes["c-q4-received"]
    by_id = {s.id: s for s in check.signatures}
    assert by_id["event-3031"].proposes == "logged"
    assert "0x80000004" in by_id["incoming-backfill-response"].regex.replace("0x8000000[24]", "0x80000004")
    assert all(g.startswith("lacking") for g in check.evidence.files)
    assert "clears" in tree.nodes["rb-q4-satisfied"].diagnosis


def test_raising_diagnostics_logging_comes_first(tree):
    assert choice_target(tree.nodes["q-logging"], "not-raised") == "rb-raise-logging"
    logging_step = tree.nodes["rb-raise-logging"].steps[0]
    assert "Diagnostics Logging" in logging_step.console and "Maximum" in logging_step.do
    assert "Replication Errors to Medium" in logging_step.do


def test_outside_and_uncertain_facts_are_marked(tree):
    for node in [tree, *tree.nodes.values()]:
        for note in node.learn:
            if "KB 10042" in note:
                assert note.startswith(("Background:", "Unconfirmed:")), note
    assert any(n.startswith("Unconfirmed:") and "3014" in n for n in tree.learn)
    sp2 = tree.nodes["rb-q1-give-status-sp2"]
    assert any(n.startswith("Unconfirmed:") and "set to 1" in n for n in sp2.learn)


def test_triage_points_here(tree):
    triage = tree.triage
    assert {3016, 3021, 3026, 3031}.issubset(triage.event_ids)
    assert {"0x8", "0x20", "0x10", "0x80000004"}.issubset(triage.message_types)
    assert "backfill" in triage.keywords
    assert any("replica" in s for s in triage.symptoms)


# --------------------------------------------------------------------------------------------- sample bundles

COMMON = ["--answer", "q-symptom=content", "--answer", "q-logging=raised"]


def walk(capsys, case: str, *extra: str) -> dict:
    data = walk_json(capsys, "pf-backfill", *COMMON, *extra, bundle=case)
    assert data["status"] == "runbook"
    return data


def answered_from_evidence(data: dict, node: str) -> bool:
    row = next(r for r in data["path"] if r["node"] == node)
    return row["proposed"] == row["choice"] and bool(row["evidence"])


def test_bundle_responses_lost_in_transit(capsys):
    data = walk(
        capsys,
        "responses-lost-in-transit",
        "--set", "folder=Sales\\Price Lists",
        "--set", "lacking_server=EXBR02",
        "--set", "source_server=EXHQ01",
        "--answer", "q-q4-tracking=stuck",
    )
    assert data["node"] == "rb-q4-response-lost"
    assert answered_from_evidence(data, "c-q1-knows")
    assert answered_from_evidence(data, "c-q2-requests")
    assert answered_from_evidence(data, "c-q3-answers")
    q4 = next(r for r in data["path"] if r["node"] == "c-q4-received")
    assert q4["choice"] == "not-logged" and q4["proposed"] == "not-logged"
    assert data["values"]["backfill_target"] == "EXHQ01"
    assert data["values"]["request_msgid"].endswith("@EXBR02.corp.contoso.com>")


def test_bundle_status_request_ignored_sp1(capsys):
    data = walk(
        capsys,
        "status-request-ignored-sp1",
        "--set", "folder=Engineering\\Drawings Archive",
        "--set", "lacking_server=EXMUC01",
        "--set", "source_server=EXFRA01",
        "--answer", "q-q1-service-pack=sp1",
    )
    assert data["node"] == "rb-q1-give-status-sp1"
    q1 = next(r for r in data["path"] if r["node"] == "c-q1-knows")
    assert q1["choice"] == "unknown" and q1["proposed"] == "unknown"


def test_bundle_gap_in_normal_replication(capsys):
    data = walk(
        capsys,
        "gap-in-normal-replication",
        "--set", "folder=HR\\Policies",
        "--set", "lacking_server=EXHQ02",
        "--set", "source_server=EXHQ01",
        "--answer", "q-q2-forced=not-yet",
        "--answer", "q-q2-new-replica=normal-replication",
        "--answer", "q-q2-same-rg=same",
        "--set", "requests_sent=0",
        "--set", "start_hour=16",
        "--set", "start_minute=40",
    )
    assert data["node"] == "rb-q2-wait"
    assert answered_from_evidence(data, "c-q1-knows")
    q2 = next(r for r in data["path"] if r["node"] == "c-q2-requests")
    assert q2["choice"] == "none" and q2["proposed"] == "none"
    assert (data["values"]["new_replica"], data["values"]["same_rg"]) == ("0", "1")
    computed = {c["name"]: c["value"] for c in data["computed"]}
    assert (computed["wait_hours"], computed["due_day"], computed["due_hour"], computed["due_minute"]) == (
        "6", "0", "22", "40")
    assert "22 h 40 min" in data["steps"][0]["do"]


def test_bundle_outstanding_backfill_limit(capsys):
    data = walk(
        capsys,
        "outstanding-backfill-limit",
        "--set", "folder=Projects\\Budget 2008",
        "--set", "lacking_server=EXBR05",
        "--set", "source_server=EXHQ01",
        "--answer", "c-q2-requests=other-folders",
    )
    assert data["node"] == "rb-q2-obl"
    q2 = next(r for r in data["path"] if r["node"] == "c-q2-requests")
    assert q2["proposed"] == "other-folders" and not q2["overridden"]


def test_every_bundle_readme_names_its_expected_end():
    cases = [p for p in (SAMPLES / "pf-backfill").iterdir() if p.is_dir()]
    assert len(cases) >= 4
    for case in cases:
        assert "Expected end" in (case / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "ticket",
    [
        "We added the branch server to the replica list but the older posts never showed up there",
        "New Exchange 2003 server does not show all public folders, new folders do appear",
        "Public folder replication stopped a day after we added replicas of many folders",
        "Application log keeps showing event 3016, Type: 0x8, nothing comes back",
        "0x80000004",
    ],
)
def test_ticket_text_finds_the_tree(capsys, ticket):
    assert_triage_ranks_first(capsys, ticket, "pf-backfill")
