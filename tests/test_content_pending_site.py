"""The pending-site tree: install checks come first, key refusals hand over, and the .ct2 runbook is exact."""

import networkx as nx
import pytest
import re2

from content_kit import assert_triage_ranks_first, tree_fixture, walk_json
from wizard.core.model import Link

FOLDER = "C:\\Program Files\\Microsoft Configuration Manager"

tree = tree_fixture("pending-site")


def test_install_services_and_key_checks_guard_the_ct2_runbook(tree):
    graph = nx.DiGraph((a, b) for a, b, _ in tree.edges())
    assert tree.start == "q-child-install-dir"
    for gate in ("q-install-finished", "c-services-running", "q-components-working", "c-parent-refuses-keys"):
        cut = graph.copy()
        cut.remove_node(gate)
        assert tree.start == gate or not nx.has_path(cut, tree.start, "rb-send-site-control-file"), gate


def test_parent_refusing_keys_links_to_key_exchange(tree):
    check = tree.nodes["c-parent-refuses-keys"]
    refused = next(c for c in check.choices if c.id == "refused")
    link = tree.nodes[refused.next]
    assert isinstance(link, Link) and link.tree == "key-exchange"
    line = "Cannot find valid public key for key exchange instruction coming from site DAL"
    assert any(s.regex and re2.search(s.regex, line) and s.proposes == "refused" for s in check.signatures)


def test_services_check_reads_sc_query_output(tree):
    check = tree.nodes["c-services-running"]
    by_id = {s.id: s for s in check.signatures}
    assert re2.search(by_id["stopped"].regex, "        STATE              : 1  STOPPED")
    assert re2.search(by_id["running"].regex, "        STATE              : 4  RUNNING")
    order = [s.id for s in check.signatures]
    assert order.index("stopped") < order.index("running")


def test_ct2_runbook_copies_renames_and_drops_into_the_parents_hman_box(tree):
    runbook = tree.nodes["rb-send-site-control-file"]
    commands = [(s.runs_on, c) for s in runbook.steps for c in s.commands]
    assert ("secondary site server", 'if not exist "%TEMP%\\ct2" mkdir "%TEMP%\\ct2"') in commands
    assert ("secondary site server", 'copy "{child_install_dir}\\inboxes\\sitectrl.box\\SiteCtrl.ct0" "%TEMP%\\ct2\\"') in commands
    assert ("secondary site server", 'ren "%TEMP%\\ct2\\SiteCtrl.ct0" 00000000.ct2') in commands
    assert not any("C:\\temp" in c for _, c in commands)
    drop = next(s for s in runbook.steps if any("hman.box" in c for c in s.commands))
    assert drop.commands == ('copy "%TEMP%\\ct2\\00000000.ct2" "\\\\{parent_server}\\SMS_{parent_site_code}\\inboxes\\hman.box\\"',)
    assert "PARENT" in drop.caution and "30 minutes" in drop.wait and "immediately" in drop.wait_source
    assert "write rights" in drop.do
    hman = runbook.steps[runbook.steps.index(drop) + 1]
    assert "parent" in hman.runs_on and any("hman.log" in c for c in hman.commands)
    assert "Copy, do not move" in runbook.steps[0].caution
    assert any("Pending" in s.verify for s in runbook.steps)


def test_every_command_uses_the_install_folder_asked_once_per_server(tree):
    texts = [c for n in tree.nodes.values() for c in getattr(n, "commands", ())]
    texts += [c for n in tree.nodes.values() if n.kind == "runbook" for s in n.steps for c in s.commands]
    hard_coded = [c for c in texts if "Microsoft Configuration Manager" in c and "dir /b" not in c]
    assert hard_coded == []
    assert tree.nodes["q-child-install-dir"].capture.next == "q-install-finished"
    assert tree.nodes["q-parent-install-dir"].capture.next == "c-parent-refuses-keys"


def test_stale_removal_runbook_gives_the_kb_steps_backup_first(tree):
    runbook = tree.nodes["rb-stale-delsite"]
    backup = next(i for i, s in enumerate(runbook.steps) if s.backup)
    edit = next(i for i, s in enumerate(runbook.steps) if s.changes and "delsite.lkp" in " ".join(s.commands))
    assert backup < edit
    assert "Key=" in runbook.steps[edit].do and "copy /y" in runbook.steps[edit].undo
    assert "DEINSTALL" in " ".join(runbook.steps[0].commands)
    assert any("KB 2469993 stops" in s.do for s in runbook.steps)


def walk(capsys, bundle, *args):
    return walk_json(capsys, "pending-site", *args, bundle=bundle)


FIRST_ANSWERS = [
    "--answer", "q-install-finished=finished", "--answer", "q-components-working=working",
    "--set", f"child_install_dir={FOLDER}", "--set", f"parent_install_dir={FOLDER}",
]


def test_bundle_after_upgrade_reaches_the_ct2_runbook(capsys):
    result = walk(
        capsys, "dal-pending-after-upgrade", *FIRST_ANSWERS,
        "--answer", "q-reinstalled=first-install", "--answer", "c-control-file-listings=ready",
        "--set", "site_code=DAL", "--set", "parent_site_code=NYC", "--set", "parent_server=NYC-CM01",
    )
    assert (result["status"], result["node"]) == ("runbook", "rb-send-site-control-file")
    proposed = {row["node"]: row["proposed"] for row in result["path"]}
    assert proposed["c-services-running"] == "running" and proposed["c-parent-refuses-keys"] == "accepted"


def test_bundle_with_key_refusals_ends_in_the_manual_key_exchange(capsys):
    result = walk(
        capsys, "dal-pending-keys-refused", *FIRST_ANSWERS,
        "--answer", "key-exchange:c-despooler-status=none",
        "--answer", "key-exchange:q-retry-evidence=count", "--set", "retries_counted=12",
        "--set", "parent_site_code=NYC", "--set", "parent_server=NYC-CM01", "--set", "child_server=DAL-CM01",
        "--set", "language_code=00000409",
    )
    assert (result["status"], result["tree"], result["node"]) == ("runbook", "key-exchange", "rb-manual-key-exchange")
    proposed = {(row["tree"], row["node"]): row["proposed"] for row in result["path"]}
    assert proposed[("pending-site", "c-parent-refuses-keys")] == "refused"
    assert proposed[("key-exchange", "c-receive-backlog")] == "backlog"
    assert {c["name"]: c["value"] for c in result["computed"]}["retries_left"] == "88"


def test_reinstalled_bundle_finds_the_leftover_removal(capsys):
    result = walk(capsys, "dal-reinstalled-still-pending", *FIRST_ANSWERS, "--answer", "q-reinstalled=reinstalled")
    assert (result["status"], result["node"]) == ("runbook", "rb-stale-delsite")


@pytest.mark.parametrize(
    "ticket",
    [
        "secondary site stuck in pending after the upgrade",
        "site DAL shows pending in the console and never goes active",
        "secondary installed fine but the primary still shows it pending",
    ],
)
def test_triage_finds_the_tree_from_ticket_words(capsys, ticket):
    assert_triage_ranks_first(capsys, ticket, "pending-site")
