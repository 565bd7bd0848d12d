"""The key-exchange tree: facts from the source sit in the nodes that act on them, and the bundles reach their runbooks."""

import pytest
import re2

from content_kit import assert_triage_ranks_first, tree_fixture, walk_json
from wizard.core.model import Check, Runbook
from wizard.core.render import compute_values

PARENT = "C:\\Program Files\\Microsoft Configuration Manager"
NAMES = {
    "parent_site_code": "NYC",
    "parent_server": "NYC-CM01",
    "child_server": "DAL-CM01",
    "child_install_dir": PARENT,
    "parent_install_dir": PARENT,
    "language_code": "00000409",
}

tree = tree_fixture("key-exchange")


def step_with(runbook: Runbook, command: str):
    found = [s for s in runbook.steps if any(command in c for c in s.commands)]
    assert len(found) == 1, f"{command!r} should be a command of exactly one step"
    return found[0]


def test_manual_exchange_runs_each_preinst_switch_on_the_right_server(tree):
    runbook = tree.nodes["rb-manual-key-exchange"]
    up = step_with(runbook, "preinst /keyforparent")
    down = step_with(runbook, "preinst /keyforchild")
    assert "child" in up.runs_on and "parent" not in up.runs_on
    assert "parent" in down.runs_on and "child" not in down.runs_on
    assert runbook.steps.index(up) < runbook.steps.index(down)
    assert "{site_code}.ct4" in up.verify and "{parent_site_code}.ct5" in down.verify


def test_the_secondary_must_accept_the_parents_key_too_and_write_rights_are_checked(tree):
    runbook = tree.nodes["rb-manual-key-exchange"]
    accept = next(s for s in runbook.steps if "accepted the parent's key" in s.do)
    assert "secondary" in accept.runs_on and accept.wait_source
    assert any("{child_install_dir}\\Logs\\despool.log" in c for c in accept.commands)
    assert "{parent_site_code}.ct5" in accept.verify
    rights = next(s for s in runbook.steps if "write (modify)" in s.do)
    assert "forest" in rights.do and runbook.steps.index(rights) < runbook.steps.index(step_with(runbook, "{site_code}.ct4 "))
    assert "write rights" in step_with(runbook, "{parent_site_code}.ct5 ").do


def test_every_command_uses_the_install_folder_asked_once_per_server(tree):
    assert tree.start == "q-parent-install-dir"
    texts = [c for n in tree.nodes.values() for c in getattr(n, "commands", ())]
    texts += [c for n in tree.nodes.values() if isinstance(n, Runbook) for s in n.steps for c in s.commands]
    assert [c for c in texts if "Microsoft Configuration Manager" in c and not c.startswith("dir /b")] == []
    assert "Program Files (x86)" in tree.nodes["q-parent-install-dir"].how


def test_key_files_go_to_the_other_sites_hman_box(tree):
    runbook = tree.nodes["rb-manual-key-exchange"]
    ct4 = step_with(runbook, "{site_code}.ct4 ")
    ct5 = step_with(runbook, "{parent_site_code}.ct5 ")
    assert any("SMS_{parent_site_code}\\inboxes\\hman.box" in c for c in ct4.commands)
    assert any("SMS_{site_code}\\inboxes\\hman.box" in c for c in ct5.commands)
    assert "pubkey" in ct4.caution and "pubkey" in ct5.caution
    tool_dirs = [c for s in runbook.steps for c in s.commands if c.startswith("cd /d")]
    assert tool_dirs == [
        'cd /d "{child_install_dir}\\bin\\i386\\{language_code}"',
        'cd /d "{parent_install_dir}\\bin\\i386\\{language_code}"',
    ]


def test_runbook_waits_five_minutes_and_verifies_in_despool_log_and_receive_folder(tree):
    runbook = tree.nodes["rb-manual-key-exchange"]
    watch = step_with(runbook, "{parent_install_dir}\\Logs\\despool.log")
    assert "5 minutes" in watch.wait
    assert "despoolr.box\\receive" in " ".join(watch.commands)
    assert "retry it later" in watch.verify and "4405" in watch.verify
    assert runbook.escalate and {n.tree for n in runbook.next} == {"pending-site", "sender-address"}


def retry_values(tree, read: str, typed: str) -> dict[str, str]:
    """What the operator gives on one route: the choice's implied zero plus the number typed at its question."""
    picked = next(c for c in tree.nodes["q-retry-evidence"].choices if c.id == read)
    return {**dict(picked.sets), tree.nodes[picked.next].capture.name: typed}


@pytest.mark.parametrize(
    ("read", "typed", "left", "minutes_left"),
    [("count", "29", "71", "355"), ("time", "143", "72", "360"), ("time", "900", "0", "0"), ("count", "120", "0", "0")],
)
def test_retry_budget_is_five_minutes_times_one_hundred(tree, read, typed, left, minutes_left):
    values = retry_values(tree, read, typed)
    result = {c.name: c.value for c in compute_values(tree.nodes["rb-manual-key-exchange"], values)}
    assert result["retries_left"] == left and result["minutes_left"] == minutes_left
    assert int(result["hours_left"]) * 60 + int(result["minutes_part"]) == int(minutes_left)


def test_one_question_picks_retry_count_or_first_refusal_and_zeroes_the_other(tree):
    status = tree.nodes["c-despooler-status"]
    assert {c.next for c in status.choices} == {"q-retry-evidence"}
    pick = tree.nodes["q-retry-evidence"]
    routes = {c.id: (c.next, dict(c.sets)) for c in pick.choices}
    assert routes == {
        "count": ("q-retries-counted", {"minutes_since_first_refusal": "0"}),
        "time": ("q-minutes-since-first", {"retries_counted": "0"}),
    }
    counted, since = tree.nodes["q-retries-counted"], tree.nodes["q-minutes-since-first"]
    assert (counted.capture.name, since.capture.name) == ("retries_counted", "minutes_since_first_refusal")
    assert counted.capture.next == since.capture.next == "q-child-site-code"
    for node in (pick, counted, since):
        assert "Type 0" not in node.prompt and "Type 0" not in node.how


def test_despool_check_matches_both_source_messages_and_captures_the_site(tree):
    check = tree.nodes["c-despool-key-errors"]
    assert isinstance(check, Check) and check.evidence.files == ("despool.lo?",)
    lines = [
        "Cannot find a public key for instruction %ProgramFiles%\\Microsoft Configuration Manager\\inboxes\\despoolr.box"
        "\\receive incoming from site DAL, retry it later",
        "Cannot find valid public key for key exchange instruction coming from site DAL",
    ]
    for line in lines:
        hits = [s for s in check.signatures if s.regex and re2.search(s.regex, line)]
        assert hits and hits[0].proposes == "key-missing"
        assert re2.search(hits[0].regex, line).group("site_code") == "DAL"
    assert check.otherwise == "no-key-errors"


def test_status_messages_4404_and_4405_are_told_apart(tree):
    assert set(tree.triage.status_ids) == {4404, 4405}
    check = tree.nodes["c-despooler-status"]
    by_id = {s.id: s for s in check.signatures}
    assert by_id["status-4404"].proposes == "refused" and "unsigned key exchange" in by_id["status-4404"].means
    assert by_id["status-4405"].proposes == "retired" and "retired" in by_id["status-4405"].means
    row = "Warning\tMilestone\tNYC\t3/10/2009 12:02:17 PM\tNYC-CM01\tSMS_DESPOOLER\t4405\tDescription"
    assert re2.search("(?i)" + by_id["status-4405"].regex, row)
    assert not re2.search("(?i)" + by_id["status-4404"].regex, row)


def test_receive_backlog_counts_ins_files_in_the_despooler_inbox(tree):
    check = tree.nodes["c-receive-backlog"]
    ins = next(s for s in check.signatures if s.file == "*.ins")
    assert ins.under == "despoolr.box" and ins.proposes == "backlog" and ins.count_as


def test_retry_limits_and_outside_facts_are_marked(tree):
    assert any("every 5 minutes, 100 times" in note for note in tree.learn)
    for node in tree.nodes.values():
        for note in node.learn:
            if "KB 827887" in note or "Current Branch" in note:
                assert note.startswith(("Background:", "Unconfirmed:")), note


def sets(values):
    return [item for name, value in values.items() for item in ("--set", f"{name}={value}")]


def test_bundle_with_refused_instructions_reaches_the_manual_exchange(capsys):
    result = walk_json(
        capsys,
        "key-exchange",
        "--answer", "q-retry-evidence=count",
        *sets({**NAMES, "retries_counted": "29"}),
        bundle="dal-keys-never-exchanged",
    )
    assert (result["status"], result["tree"], result["node"]) == ("runbook", "key-exchange", "rb-manual-key-exchange")
    proposed = {row["node"]: row["proposed"] for row in result["path"]}
    assert proposed["c-despool-key-errors"] == "key-missing"
    assert proposed["c-receive-backlog"] == "backlog"
    assert proposed["c-despooler-status"] == "refused"
    assert result["values"]["site_code"] == "DAL"
    computed = {c["name"]: c["value"] for c in result["computed"]}
    assert computed["retries_left"] == "71"
    commands = [c for step in result["steps"] for c in step["commands"]]
    assert "dir %SystemDrive%\\DAL.ct4" in commands
    assert 'move %SystemDrive%\\NYC.ct5 "\\\\DAL-CM01\\SMS_DAL\\inboxes\\hman.box\\"' in commands


def test_bundle_walked_by_the_time_of_the_first_refusal_gives_the_same_budget(capsys):
    result = walk_json(
        capsys,
        "key-exchange",
        "--answer", "q-retry-evidence=time",
        *sets({**NAMES, "minutes_since_first_refusal": "143"}),
        bundle="dal-keys-never-exchanged",
    )
    assert (result["status"], result["node"]) == ("runbook", "rb-manual-key-exchange")
    assert result["values"]["retries_counted"] == "0"
    computed = {c["name"]: c["value"] for c in result["computed"]}
    assert (computed["retries_left"], computed["minutes_left"]) == ("72", "360")


def test_bundle_without_key_errors_leads_to_the_sender_address(capsys):
    result = walk_json(
        capsys,
        "key-exchange",
        "--answer", "sender-address:q-which-direction=up-missing",
        *sets({"parent_site_code": "NYC", "parent_server": "NYC-CM01", "minutes_since_hold": "25",
               "parent_install_dir": PARENT, "child_install_dir": PARENT}),
        bundle="dal-sender-cannot-connect",
    )
    assert (result["status"], result["tree"], result["node"]) == ("runbook", "sender-address", "rb-create-up-address")
    proposed = {(row["tree"], row["node"]): row["proposed"] for row in result["path"]}
    assert proposed[("key-exchange", "c-despool-key-errors")] == "no-key-errors"
    assert proposed[("key-exchange", "c-sender-errors")] == "cannot-connect"
    assert result["values"]["child_server"] == "DAL-CM01"


@pytest.mark.parametrize(
    "ticket",
    [
        "new secondary site installed ok but the primary rejects everything it sends",
        "despool.log on the primary: Cannot find valid public key for key exchange instruction coming from site DAL",
        "SMS_DESPOOLER raised status message 4405",
        "despoolr.box receive folder on the primary is full of .ins files",
        "how do I run preinst keyforparent",
    ],
)
def test_triage_finds_the_tree_from_ticket_words(capsys, ticket):
    assert_triage_ranks_first(capsys, ticket, "key-exchange")
