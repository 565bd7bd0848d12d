"""The rms-failover tree: the agent's event sequence, the RMS decisions and the key requirement sit in the right
nodes, and the sample bundles reach their runbooks."""

import pytest

from content_kit import assert_triage_ranks_first, tree_fixture, walk_json
from wizard.core.model import Runbook

tree = tree_fixture("rms-failover")


def step_index(runbook: Runbook, command: str) -> int:
    found = [i for i, s in enumerate(runbook.steps) if any(command in c for c in s.commands)]
    assert len(found) == 1, f"{command!r} should be a command of exactly one step of {runbook.id}"
    return found[0]


def test_agent_event_check_matches_the_connector_events_in_the_right_order(tree):
    check = tree.nodes["c-agent-events"]
    by_id = {s.event_id: s for s in check.signatures if s.event_id is not None}
    assert set(by_id) == {21006, 21015, 21016, 21019}
    assert all(s.source == "OpsMgr Connector" for s in by_id.values())
    assert by_id[21015].proposes == "failed-over" and by_id[21019].proposes == "primary-back"
    assert by_id[21016].proposes == "no-failover-host" and by_id[21006].proposes == "cannot-connect"
    order = [s.event_id for s in check.signatures if s.event_id is not None]
    assert order.index(21019) < order.index(21015) < order.index(21006)
    assert "two minutes" in check.why and "21019" in check.why
    assert set(tree.triage.event_ids) == {21006, 21015, 21016, 21019}
    only_21006 = next(c for c in check.choices if c.id == "cannot-connect")
    assert "two minutes" in only_21006.note
    assert any(note.startswith("Unconfirmed:") and "21015" in note for note in check.learn)


def test_lost_server_name_is_captured_from_the_21006_text(tree):
    check = tree.nodes["c-lost-ms-name"]
    assert check.capture.name == "lost_ms"
    (sig,) = check.signatures
    assert sig.regex.startswith("The OpsMgr Connector could not connect to (?P<lost_ms>")


def test_rms_question_explains_the_sdk_service(tree):
    question = tree.nodes["q-is-rms"]
    assert "SDK service" in question.why
    assert {c.id: c.next for c in question.choices} == {"rms": "q-rms-clustered", "plain-ms": "rb-ms-down"}
    assert any("SDK service" in note and "authenticates" in note for note in tree.learn)


def test_a_clustered_rms_is_failed_over_before_any_promotion(tree):
    question = tree.nodes["q-rms-clustered"]
    assert {c.id: c.next for c in question.choices} == {"clustered": "rb-cluster-failover", "not-clustered": "q-rms-returns"}
    assert "/DeleteExistingRMS:true" in question.why
    assert any("cluster" in c and "group" in c for c in question.commands)
    runbook = tree.nodes["rb-cluster-failover"]
    move = step_index(runbook, "/move:")
    assert runbook.steps[move].changes and "/move:" in runbook.steps[move].undo
    assert step_index(runbook, "Move-ClusterGroup") == move
    assert "never with /DeleteExistingRMS:true" in runbook.steps[move].caution


def test_will_the_rms_come_back_decides_between_restore_and_the_key(tree):
    question = tree.nodes["q-rms-returns"]
    assert {c.id: c.next for c in question.choices} == {"comes-back": "rb-restore-rms", "lost": "q-key-backup"}
    key = tree.nodes["q-key-backup"]
    assert "no way to promote" in key.why
    assert {c.id: c.next for c in key.choices} == {"have-key": "q-new-rms", "no-key": "rb-no-key"}


def test_restore_runbook_waits_for_21019_and_says_no_console_until_the_rms_is_back(tree):
    runbook = tree.nodes["rb-restore-rms"]
    assert "SDK service" in runbook.diagnosis and "no console" in runbook.diagnosis
    back = next(s for s in runbook.steps if "21019" in s.verify)
    assert back.runs_on == "agent computer" and "couple of minutes" in back.wait
    assert step_index(runbook, "SecureStorageBackup.exe Backup") == len(runbook.steps) - 1


def test_promotion_backs_up_the_database_then_restores_the_key_before_promoting(tree):
    runbook = tree.nodes["rb-promote-ms"]
    backup = step_index(runbook, "BACKUP DATABASE [OperationsManager]")
    restore = step_index(runbook, "SecureStorageBackup.exe Restore")
    promote = step_index(runbook, "ManagementServerConfigTool.exe PromoteRMS")
    assert backup < restore < promote and runbook.steps[backup].backup
    for index in (restore, promote):
        assert runbook.steps[index].runs_on == "management server {new_rms}"
    assert "password" in runbook.steps[restore].do
    promotion = runbook.steps[promote]
    assert promotion.changes and not promotion.reversible and "backup of step 1" in promotion.undo
    assert "clustered" in promotion.caution and "not clustered" in runbook.diagnosis
    assert "before SP1" in runbook.steps[restore].caution
    assert step_index(runbook, "SecureStorageBackup.exe Backup") == len(runbook.steps) - 1
    assert "password" in runbook.steps[-1].do
    assert any(note.startswith("Background:") and "PromoteRMS" in note for note in runbook.learn)
    assert any("cluster" in note for note in runbook.learn)


def test_promotion_says_how_to_point_the_web_console_and_reporting_at_the_new_rms(tree):
    runbook = tree.nodes["rb-promote-ms"]
    web = runbook.steps[step_index(runbook, "copy web.config web.config.before-rms-move")]
    assert "MOMServer" in web.do and "iisreset" in web.commands and "web.config.before-rms-move" in web.undo
    reporting = runbook.steps[step_index(runbook, "DefaultSDKServiceMachine")]
    assert any(c.startswith("reg export") for c in reporting.commands) and "reg import" in reporting.undo
    assert any(n.startswith("Unconfirmed:") and "MOMServer" in n for n in runbook.learn)


def test_every_key_backup_asks_for_the_password_a_restore_needs(tree):
    for node in tree.nodes.values():
        if isinstance(node, Runbook):
            for step in node.steps:
                if any("SecureStorageBackup.exe" in c for c in step.commands):
                    assert "password" in step.do, (node.id, step.do)
    assert "password" in tree.nodes["q-key-backup"].why


def test_port_tests_give_an_alternative_to_telnet_for_each_platform(tree):
    for node_id, commands in (("q-lost-ms", tree.nodes["q-lost-ms"].commands),
                              ("rb-agent-connectivity", tree.nodes["rb-agent-connectivity"].steps[0].commands)):
        assert any(c.startswith("telnet ") for c in commands), node_id
        assert any("Net.Sockets.TcpClient" in c for c in commands), node_id
        assert any("Test-NetConnection" in c for c in commands), node_id
    assert "Windows Server 2008" in tree.nodes["q-lost-ms"].how


def test_no_step_relies_on_the_failover_event_whose_id_is_unknown(tree):
    for node in tree.nodes.values():
        if isinstance(node, Runbook):
            for step in node.steps:
                assert "failover event" not in step.verify, node.id


def test_without_the_key_there_is_no_promotion_and_the_runbook_says_what_then(tree):
    runbook = tree.nodes["rb-no-key"]
    assert "promotion is impossible" in runbook.diagnosis
    assert "original RMS" in runbook.steps[1].do
    assert "reinstallation of the RMS and of the management group" in runbook.steps[2].do
    assert runbook.escalate and "Microsoft support" in runbook.escalate
    assert any(note.startswith("Background:") and "reinstall" in note for note in runbook.learn)
    assert any(note.startswith("Unconfirmed:") and "SP1" in note for note in runbook.learn)


def test_design_advice_backs_up_the_key_and_clusters_the_rms(tree):
    runbook = tree.nodes["rb-primary-back"]
    step_index(runbook, "SecureStorageBackup.exe Backup")
    assert any("clustered RMS" in s.do for s in runbook.steps)
    assert any("most likely" in s.do and "could not update the database" in s.do for s in runbook.steps)


def test_failover_settings_and_the_default_are_explained(tree):
    assert any("Active Directory" in note and "any other management server" in note for note in tree.learn)
    runbook = tree.nodes["rb-no-failover-host"]
    assert "21016" in runbook.diagnosis and "By default" in runbook.diagnosis


def walk(capsys, bundle: str, *args: str) -> dict:
    return walk_json(capsys, "rms-failover", *args, bundle=bundle)


def test_lost_rms_bundle_reaches_promotion(capsys):
    data = walk(
        capsys,
        "fab-rms-lost",
        "--answer", "q-lost-ms=server-down",
        "--answer", "q-is-rms=rms",
        "--answer", "q-rms-clustered=not-clustered",
        "--answer", "q-rms-returns=lost",
        "--answer", "q-key-backup=have-key",
        "--set", "new_rms=OPSMS02.fabrikam.local",
    )
    assert data["status"] == "runbook" and data["node"] == "rb-promote-ms"
    assert data["values"]["lost_ms"] == "OPSRMS01.fabrikam.local"
    path = {p["node"]: p for p in data["path"]}
    assert path["c-agent-events"]["choice"] == "failed-over"
    assert path["c-lost-ms-name"]["choice"] == "named-in-event"
    assert data["steps"][1]["runs_on"] == "management server OPSMS02.fabrikam.local"
    assert "OPSRMS01.fabrikam.local" in data["steps"][5]["do"] and "OPSMS02.fabrikam.local" in data["steps"][5]["do"]


def test_lost_rms_bundle_without_a_key_reaches_the_no_key_runbook(capsys):
    data = walk(
        capsys,
        "fab-rms-lost",
        "--answer", "q-lost-ms=server-down",
        "--answer", "q-is-rms=rms",
        "--answer", "q-rms-clustered=not-clustered",
        "--answer", "q-rms-returns=lost",
        "--answer", "q-key-backup=no-key",
    )
    assert data["node"] == "rb-no-key"
    assert "OPSRMS01.fabrikam.local" in data["diagnosis"]


def test_rms_back_bundle_reaches_the_primary_back_runbook_on_evidence_alone(capsys):
    data = walk(capsys, "fab-rms-back")
    assert data["status"] == "runbook" and data["node"] == "rb-primary-back"


@pytest.mark.parametrize(
    "ticket",
    [
        "SCOM console won't connect since the root management server crashed",
        "event 21006 on agents",
        "21015",
        "21019",
        "we lost the RMS and have no encryption key backup",
        "agents failed over to the other management server",
    ],
)
def test_triage_finds_the_tree_from_ticket_words(capsys, ticket):
    assert_triage_ranks_first(capsys, ticket, "rms-failover")
