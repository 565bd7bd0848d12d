"""The dp-stickiness tree: the wait arithmetic, both routes and their cautions sit in the right nodes, and the
sample bundles reach their runbooks."""

import pytest

from content_kit import assert_triage_ranks_first, tree_fixture, walk_json
from wizard.core.model import Runbook
from wizard.core.render import compute_values

tree = tree_fixture("dp-stickiness")


def steps_with_command(runbook: Runbook, command: str):
    return [s for s in runbook.steps if any(command in c for c in s.commands)]


def computed(runbook: Runbook, **values) -> dict[str, str | None]:
    return {c.name: c.value for c in compute_values(runbook, {k: str(v) for k, v in values.items()})}


def test_version_question_sends_1610_and_later_away_from_the_eight_hour_story(tree):
    version = tree.nodes["q-version"]
    targets = {c.id: c.next for c in version.choices}
    assert targets["cb-1610-plus"] == "rb-current-branch"
    assert targets["cm-2007-2012"] == "c-client-logs"
    assert "two minutes" in tree.nodes["rb-current-branch"].diagnosis
    assert any("1610" in note and "two minutes" in note for note in tree.learn)
    assert any("8 hours" in note and "recoverable" in note for note in tree.learn)


@pytest.mark.parametrize(
    ("dead", "hours", "total", "left"),
    [(2, 4, "16", "12"), (1, 0, "8", "8"), (2, 20, "16", "0"), (3, 2.5, "24", "21.5")],
)
def test_hours_until_clients_move_on_is_eight_per_dead_dp_less_time_spent(tree, dead, hours, total, left):
    for node_id in ("rb-dns-a-record", "rb-boundary-group", "rb-wait-it-out", "rb-slow-connection"):
        values = computed(tree.nodes[node_id], dead_dps_ahead=dead, hours_since_failover=hours, ttl_left=0, policy_minutes=60)
        assert values["wait_hours_total"] == total, node_id
        assert values["hours_left_unaided"] == left, node_id


def test_client_logs_check_reads_the_client_download_logs_and_orders_its_signatures(tree):
    check = tree.nodes["c-client-logs"]
    assert {"DataTransferService.lo?", "ContentTransferManager.lo?", "CAS.lo?"} <= set(check.evidence.files)
    assert "CCM\\Logs" in check.evidence.where
    order = [s.id for s in check.signatures]
    assert order.index("sig-unauthorised") < order.index("sig-send-failed")
    assert order.index("sig-download-complete") < order.index("sig-unauthorised")
    send_failed = next(s for s in check.signatures if s.id == "sig-send-failed")
    assert "(?P<dead_dp_host>" in send_failed.regex and "(?P<dns_zone>" in send_failed.regex
    assert check.otherwise == "retrying-dead-dp"


def test_route_question_separates_site_available_from_primary_down(tree):
    route = tree.nodes["q-route"]
    targets = {c.id: c.next for c in route.choices}
    assert targets == {"site-available": "q-policy-interval", "site-down": "q-dead-dp-host", "wait": "rb-wait-it-out"}
    assert "SMS Provider" in route.why
    policy = tree.nodes["q-policy-interval"]
    assert policy.capture.name == "policy_minutes" and policy.capture.type == "integer"
    assert "60" in policy.how and "collection" in policy.how and "site-wide" in policy.how
    slow = next(c for c in policy.choices if c.id == "slow-connection")
    assert "untested" in slow.label and "not tested" in slow.note
    assert slow.next == "q-slow-connection-version"


def test_slow_connection_is_not_offered_to_configmgr_2007(tree):
    gate = tree.nodes["q-slow-connection-version"]
    assert {c.id: c.next for c in gate.choices} == {"cm-2012": "rb-slow-connection", "cm-2007": "rb-boundary-group"}
    assert "2007" in gate.why and "boundary" in gate.why
    reaching = [n.id for n in tree.nodes.values() for c in getattr(n, "choices", ()) if c.next == "rb-slow-connection"]
    assert reaching == ["q-slow-connection-version"]


def test_boundary_route_removes_the_dp_waits_one_policy_interval_and_puts_it_back(tree):
    runbook = tree.nodes["rb-boundary-group"]
    remove = next(s for s in runbook.steps if "Remove" in s.console)
    assert "Boundary Groups" in remove.console and "References" in remove.console
    poll = next(s for s in runbook.steps if "{policy_minutes}" in s.wait)
    assert poll.runs_on == "client"
    assert "After DR" in runbook.steps[-1].do and runbook.steps[-1].caution
    values = computed(runbook, dead_dps_ahead=2, hours_since_failover=4, policy_minutes=60)
    assert values["policy_hours"] == "1" and values["hours_saved"] == "11"


def test_slow_connection_idea_is_marked_untested(tree):
    runbook = tree.nodes["rb-slow-connection"]
    assert "without having tested it" in runbook.diagnosis
    change = next(s for s in runbook.steps if "Change Connection > Slow" in s.console)
    assert change.caution.startswith("Untested")


def test_dns_route_changes_every_dead_dps_record_with_its_check_and_revert(tree):
    runbook = tree.nodes["rb-dns-a-record"]
    (change,) = steps_with_command(runbook, "dnscmd /RecordAdd {dns_zone} {dead_dps} A {substitute_ip}")
    assert change.runs_on == "DNS server the clients use" and change.for_each == ("dead_dps", "dead_dp_ips")
    assert change.changes and "dnscmd /RecordAdd {dns_zone} {dead_dps} A {dead_dp_ips}" in change.undo
    assert "{dead_dp_ips}" in change.caution
    first = runbook.steps[0]
    assert "tens of thousands" in first.caution and "offline" in first.caution and "lab" in first.do
    assert "primary" in first.do
    (check,) = steps_with_command(runbook, "nslookup {dead_dps}.{dns_zone} <other DNS server>")
    assert check.for_each == ("dead_dps",)
    (replication,) = steps_with_command(runbook, "repadmin /syncall /AdeP")
    assert replication.wait and replication.wait_source
    assert "Domain Admins" in replication.caution and "domain controller" in replication.runs_on
    (revert,) = steps_with_command(runbook, "dnscmd /RecordAdd {dns_zone} {dead_dps} A {dead_dp_ips}")
    assert revert is runbook.steps[-1] and "After DR" in revert.do and revert.for_each == change.for_each
    assert "unauthorised" in runbook.diagnosis and "unrecoverable" in runbook.diagnosis
    question = tree.nodes["q-dead-dp-host"]
    assert question.capture.name == "dead_dps" and question.capture.type == "list"
    assert tree.nodes["q-dead-dp-ip"].capture.type == "list"
    assert "skipped" not in question.how


def test_the_wait_for_the_client_to_move_is_the_first_retry_after_its_cache_runs_out(tree):
    runbook = tree.nodes["rb-dns-a-record"]
    moving = next(s for s in runbook.steps if "{client_moves_minutes}" in s.wait)
    assert "Will attempt retry" in moving.wait_source and "Unconfirmed" in moving.do
    late_retry = computed(runbook, dead_dps_ahead=2, hours_since_failover=4, ttl_left=1197, next_retry_minutes=17,
                          retry_seconds=3600)
    assert late_retry["cache_minutes_left"] == "20" and late_retry["client_moves_minutes"] == "77"
    cache_first = computed(runbook, dead_dps_ahead=2, hours_since_failover=4, ttl_left=600, next_retry_minutes=17,
                           retry_seconds=3600)
    assert cache_first["client_moves_minutes"] == "17"


def test_dns_route_reads_and_hurries_the_client_cache(tree):
    runbook = tree.nodes["rb-dns-a-record"]
    (cache,) = [s for s in steps_with_command(runbook, "ipconfig /flushdns") if s.runs_on == "client"]
    assert "ipconfig /displaydns" in cache.commands
    assert "{cache_minutes_left}" in cache.wait and "3,600 seconds" in cache.wait and cache.wait_source
    values = computed(runbook, dead_dps_ahead=2, hours_since_failover=4, ttl_left=1197)
    assert values["cache_minutes_left"] == "20"
    package = next(s for s in runbook.steps if s.do.startswith("Optional, only while the primary"))
    assert "15 minutes" in package.do and "primary" in package.caution


def test_displaydns_check_captures_the_ttl_left(tree):
    check = tree.nodes["c-displaydns"]
    assert check.capture.name == "ttl_left" and check.capture.type == "integer"
    assert "ipconfig /displaydns" in check.commands
    (sig,) = check.signatures
    assert "(?P<ttl_left>" in sig.regex and sig.proposes == "cached"
    assert check.evidence.files == ("displaydns*.txt",)


def test_substitute_address_must_be_online(tree):
    question = tree.nodes["q-substitute-ip"]
    assert "pinned" in question.why and "online" in question.how
    assert any(note.startswith("Unconfirmed:") for note in question.learn)


def test_outside_facts_are_marked(tree):
    notes = list(tree.learn)
    for node in tree.nodes.values():
        notes += list(node.learn)
    for note in notes:
        if "writing team" in note or "1610" in note or "WMIC" in note or "dnscmd" in note:
            assert note.startswith(("Background:", "Unconfirmed:")), note


def test_every_step_relying_on_the_401_reading_says_it_is_unconfirmed(tree):
    for node in tree.nodes.values():
        if node.kind != "runbook":
            continue
        for step in node.steps:
            for text in (step.do, step.verify):
                if "401" in text or "unauthorised" in text.lower():
                    assert "nconfirmed" in step.do, (node.id, text)
    assert "Unconfirmed" in tree.nodes["rb-client-moving-on"].diagnosis or "unconfirmed" in tree.nodes["rb-client-moving-on"].diagnosis
    moved_on = next(c for c in tree.nodes["c-client-logs"].choices if c.id == "moved-on")
    assert moved_on.note.startswith("Unconfirmed:")


def walk(capsys, bundle: str, *args: str) -> dict:
    return walk_json(capsys, "dp-stickiness", *args, bundle=bundle)


def test_two_dead_dps_bundle_reaches_the_dns_runbook_with_its_numbers(capsys):
    data = walk(
        capsys,
        "lon-dr-two-dead-dps",
        "--answer", "q-version=cm-2007-2012",
        "--answer", "q-route=site-down",
        "--set", "dead_dps_ahead=2",
        "--set", "hours_since_failover=4",
        "--set", "dead_dps=CMDP01,CMDP02",
        "--set", "dead_dp_ips=10.20.1.31,10.20.1.32",
        "--set", "substitute_ip=10.20.1.10",
        "--set", "next_retry_minutes=17",
        "--set", "retry_seconds=3600",
    )
    assert data["status"] == "runbook" and data["node"] == "rb-dns-a-record"
    assert data["values"]["dead_dp_host"] == "CMDP01"
    assert data["values"]["dns_zone"] == "corp.contoso.com"
    assert data["values"]["ttl_left"] == "1197"
    assert data["values"]["dead_dps"] == "CMDP01, CMDP02"
    numbers = {c["name"]: c["value"] for c in data["computed"]}
    assert numbers == {"wait_hours_total": "16", "hours_left_unaided": "12", "cache_minutes_left": "20",
                       "retry_interval_minutes": "60", "client_moves_minutes": "77"}
    commands = [c for s in data["steps"] for c in s["commands"]]
    for dp, old in (("CMDP01", "10.20.1.31"), ("CMDP02", "10.20.1.32")):
        assert f"dnscmd /RecordDelete corp.contoso.com {dp} A {old} /f" in commands
        assert f"dnscmd /RecordAdd corp.contoso.com {dp} A 10.20.1.10" in commands
        assert f"dnscmd /RecordAdd corp.contoso.com {dp} A {old}" in commands
        assert f"nslookup {dp}.corp.contoso.com <other DNS server>" in commands
    changes = [s for s in data["steps"] if s["for_each"] == ["dead_dps", "dead_dp_ips"]]
    assert [(s["label"], s["item"]) for s in changes] == [("3.1", "CMDP01"), ("3.2", "CMDP02"), ("9.1", "CMDP01"), ("9.2", "CMDP02")]
    assert changes[1]["undo"].endswith("dnscmd /RecordAdd corp.contoso.com CMDP02 A 10.20.1.32 (the last step does this after DR).")
    path = {p["node"]: p for p in data["path"]}
    assert path["c-client-logs"]["choice"] == "retrying-dead-dp"
    assert path["c-displaydns"]["choice"] == "cached"


def test_two_dead_dps_bundle_with_the_site_up_reaches_the_boundary_runbook(capsys):
    data = walk(
        capsys,
        "lon-dr-two-dead-dps",
        "--answer", "q-version=cm-2007-2012",
        "--answer", "q-route=site-available",
        "--answer", "q-policy-interval=boundary-group",
        "--set", "dead_dps_ahead=2",
        "--set", "hours_since_failover=4",
        "--set", "policy_minutes=60",
    )
    assert data["node"] == "rb-boundary-group"
    numbers = {c["name"]: c["value"] for c in data["computed"]}
    assert numbers["hours_left_unaided"] == "12" and numbers["hours_saved"] == "11"


def test_moved_on_bundle_reaches_the_moving_on_runbook(capsys):
    data = walk(capsys, "lon-moved-on-to-second-dead-dp", "--answer", "q-version=cm-2007-2012")
    assert data["status"] == "runbook" and data["node"] == "rb-client-moving-on"


@pytest.mark.parametrize(
    "ticket",
    [
        "Nothing has installed since the data centre test this morning; Software Center just says Downloading",
        "clients keep trying the distribution point we switched off for DR",
        "ERROR_WINHTTP_CANNOT_CONNECT",
        "deployments are on the PCs but the content never downloads after the failover",
    ],
)
def test_triage_finds_the_tree_from_ticket_words(capsys, ticket):
    assert_triage_ranks_first(capsys, ticket, "dp-stickiness")
