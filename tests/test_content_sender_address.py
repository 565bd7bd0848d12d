"""The sender-address tree: the parent's sender.log lines, the direction question and the fix in the primary's console."""

import pytest
import re2

from content_kit import assert_triage_ranks_first, tree_fixture, walk_json
from wizard.core.render import compute_values

WONT_TRY = (
    "Cannot connect to server DAL-CM01 at remote site DAL, won't try send requests going to site DAL, "
    "for an hour or until there are no active send requests."
)

tree = tree_fixture("sender-address")


def first_proposal(check, line):
    for sig in check.signatures:
        if sig.literal and sig.literal in line:
            return sig
        if sig.regex and re2.search(sig.regex, line):
            return sig
    return None


def test_sender_log_check_reads_the_parents_sender_log(tree):
    assert tree.nodes[tree.start].capture.name == "parent_install_dir"
    check = tree.nodes["c-sender-cannot-connect"]
    assert check.evidence.files == ("sender.lo?",) and "parent site server" in check.evidence.where
    sig = first_proposal(check, WONT_TRY)
    assert sig.id == "wont-try" and sig.proposes == "cannot-connect"
    match = re2.search(sig.regex, WONT_TRY)
    assert (match.group("child_server"), match.group("site_code")) == ("DAL-CM01", "DAL")
    for line in ("Attempt to connect failed", "Could not establish connection"):
        assert first_proposal(check, line).proposes == "cannot-connect"
    assert first_proposal(check, "There is no existing connection").proposes == "clean"
    quiet = next(s for s in check.signatures if s.literal == "There is no existing connection")
    assert "Unconfirmed reading" in quiet.means and "failure lines" in quiet.means
    assert any(n.startswith("Unconfirmed:") and "There is no existing connection" in n for n in check.learn)
    assert set(tree.triage.signatures) >= {
        "There is no existing connection",
        "Could not establish connection",
        "Attempt to connect failed",
    }


def test_direction_question_routes_each_gap_to_its_own_fix(tree):
    question = tree.nodes["q-which-direction"]
    routes = {c.id: c.next for c in question.choices}
    assert routes == {
        "up-missing": "rb-create-up-address",
        "down-missing": "rb-create-down-address",
        "both-missing": "rb-create-both-addresses",
        "both-present": "q-address-target",
    }
    assert "no database" in question.how and "connected to the primary" in question.how


def test_missing_address_back_to_the_primary_is_made_in_the_primarys_console(tree):
    runbook = tree.nodes["rb-create-up-address"]
    first_console = next(i for i, s in enumerate(runbook.steps) if s.console)
    failing, back, rights = runbook.steps[0], runbook.steps[1], runbook.steps[2]
    assert first_console == 3
    assert "{parent_server}" in failing.runs_on and "same link" in failing.do
    assert 'dir "\\\\{child_server}\\SMS_{site_code}"' in failing.commands
    assert "{child_server}" in back.runs_on and 'dir "\\\\{parent_server}\\SMS_{parent_site_code}"' in back.commands
    assert "computer account" in rights.do and any("net localgroup" in c for c in rights.commands)
    console_steps = [s for s in runbook.steps if s.console]
    assert console_steps and all("console connected to the primary" in s.runs_on for s in console_steps)
    path = console_steps[0].console
    assert path.endswith("{parent_site_code} - <primary site name> > {site_code} - <secondary site name> > Site Settings > Addresses")
    assert "Standard Sender Address" in console_steps[0].do and "database" in console_steps[0].caution
    general = runbook.steps[4]
    assert general.changes and "Delete" in general.undo
    assert "Destination site code to {parent_site_code}" in general.do and "{parent_server}" in general.do
    watch = next(s for s in runbook.steps if any("sender.log" in c for c in s.commands) and "parent" in s.runs_on)
    assert "Cannot connect to server {child_server}" in watch.verify
    assert {n.tree for n in runbook.next} == {"key-exchange", "pending-site"}


@pytest.mark.parametrize(("since", "left"), [("25", "35"), ("0", "60"), ("75", "0")])
def test_time_until_the_parent_sender_tries_again(tree, since, left):
    result = compute_values(tree.nodes["rb-create-up-address"], {"minutes_since_hold": since})
    assert [c.value for c in result] == [left]


def test_bundle_reaches_the_up_address_runbook(capsys):
    result = walk_json(
        capsys, "sender-address",
        "--answer", "q-which-direction=up-missing",
        "--set", "minutes_since_hold=26", "--set", "parent_site_code=DFW", "--set", "parent_server=DFW-SCCM01",
        "--set", "parent_install_dir=D:\\SMS", "--set", "child_install_dir=C:\\Program Files (x86)\\Microsoft Configuration Manager",
        bundle="hou-no-address-back-to-primary",
    )
    assert (result["status"], result["node"]) == ("runbook", "rb-create-up-address")
    assert result["values"]["site_code"] == "HOU"
    assert result["values"]["child_server"] == "HOU-SCCM02.corp.fabrikam.com"
    assert {r["node"]: r["proposed"] for r in result["path"]}["c-sender-cannot-connect"] == "cannot-connect"
    assert [c["value"] for c in result["computed"]] == ["34"]
    assert "DFW - <primary site name> > HOU - <secondary site name> > Site Settings > Addresses" in result["steps"][3]["console"]
    commands = [c for s in result["steps"] for c in s["commands"]]
    assert 'findstr /c:"Cannot connect to server HOU-SCCM02.corp.fabrikam.com" "D:\\SMS\\Logs\\sender.log"' in commands
    assert any("C:\\Program Files (x86)\\Microsoft Configuration Manager\\Logs\\sender.log" in c for c in commands)


@pytest.mark.parametrize(
    "ticket",
    [
        WONT_TRY,
        "primary cannot send packages to the new secondary site",
        "the secondary has no address back to the primary",
        "sender.log: Attempt to connect failed, Could not establish connection",
    ],
)
def test_triage_finds_the_tree_from_ticket_words(capsys, ticket):
    assert_triage_ranks_first(capsys, ticket, "sender-address")
