"""pending-site reads the two inbox listings: SiteCtrl.ct0 on the secondary, no .ct2 waiting at the parent."""

import json
import shutil

import pytest

from content_kit import SAMPLES, load_shipped_tree, walk_json
from wizard.cli import main
from wizard.core.evidence import probes_for, propose, scan, scan_text

CASE = "hou-listings-show-ct0-ready"
ANSWERS = [
    "--answer", "q-install-finished=finished", "--answer", "q-components-working=working",
    "--answer", "q-reinstalled=first-install",
]
VALUES = [
    "--set", "site_code=HOU", "--set", "parent_site_code=NYC", "--set", "parent_server=NYC-CM01",
    "--set", "child_install_dir=D:\\SMS", "--set", "parent_install_dir=C:\\SMS",
]
HMAN_WITH_CT2 = """ Directory of C:\\Program Files\\Microsoft Configuration Manager\\inboxes\\hman.box

06/03/2010  09:20 AM    <DIR>          .
06/02/2010  05:52 PM            61,904 00000000.ct2
03/15/2008  10:02 AM    <DIR>          pubkey
"""
SITECTRL_WITHOUT_CT0 = """ Directory of D:\\SMS\\inboxes\\sitectrl.box

06/03/2010  09:14 AM    <DIR>          .
05/28/2010  02:31 PM    <DIR>          incoming
"""


@pytest.fixture(scope="module")
def tree():
    return load_shipped_tree("pending-site")


def test_sample_walks_to_the_ct2_runbook_on_the_listings(capsys):
    result = walk_json(capsys, "pending-site", *ANSWERS, *VALUES, bundle=CASE)
    assert (result["status"], result["node"]) == ("runbook", "rb-send-site-control-file")
    row = next(r for r in result["path"] if r["node"] == "c-control-file-listings")
    assert row["proposed"] == "ready"


def test_case_file_names_the_path_the_walk_takes():
    import yaml

    case = yaml.safe_load((SAMPLES / "pending-site" / CASE / "case.yaml").read_text())
    assert case["tree"] == "pending-site" and case["runbook"] == "pending-site:rb-send-site-control-file"
    assert {"pending-site:c-control-file-listings": "ready"} in case["path"]
    for item in case["evidence"]:
        assert (SAMPLES / "pending-site" / CASE / item).is_file(), item


def _propose(tree, text):
    check = tree.nodes["c-control-file-listings"]
    report = scan_text(text, probes_for([tree]))
    return propose(check, report.hits, "pending-site").choice


def test_a_ct2_waiting_at_the_parent_decides_before_the_ct0(tree):
    sitectrl = (SAMPLES / "pending-site" / CASE / "sitectrl-box.txt").read_text()
    assert _propose(tree, sitectrl) == "ready"
    assert _propose(tree, sitectrl + "\n" + HMAN_WITH_CT2) == "ct2-waiting"
    assert tree.nodes["c-control-file-listings"].choices[1].next == "rb-parent-holds-ct2"


def test_a_sitectrl_box_without_ct0_goes_back_to_the_install(tree):
    assert _propose(tree, SITECTRL_WITHOUT_CT0) == "no-ct0"
    no_ct0 = next(c for c in tree.nodes["c-control-file-listings"].choices if c.id == "no-ct0")
    assert no_ct0.next == "rb-finish-setup-first"


def test_a_ct2_in_the_secondarys_own_folders_is_not_counted(tree):
    elsewhere = HMAN_WITH_CT2.replace("hman.box", "sitectrl.box\\incoming")
    assert _propose(tree, SITECTRL_WITHOUT_CT0 + elsewhere) == "no-ct0"


def test_walk_with_a_waiting_ct2_ends_at_the_parent_runbook(tmp_path, capsys):
    bundle = tmp_path / "bundle"
    shutil.copytree(SAMPLES / "pending-site" / CASE, bundle)
    (bundle / "hman-box.txt").write_text(HMAN_WITH_CT2)
    code = main(["walk", "pending-site", "--evidence", str(bundle), *ANSWERS, *VALUES, "--format", "json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["node"] == "rb-parent-holds-ct2"


def test_scan_ties_a_listing_to_the_tree(capsys):
    listing = SAMPLES / "pending-site" / CASE / "sitectrl-box.txt"
    report = scan([listing], probes_for([load_shipped_tree("pending-site")]))
    assert {(h.tree, h.node, h.signature) for h in report.hits} == {
        ("pending-site", "c-control-file-listings", "ct0-present")
    }


def test_triage_of_a_pasted_listing_points_to_pending_site(capsys):
    text = "the console shows HOU pending, here is what I found\n" + (
        SAMPLES / "pending-site" / CASE / "sitectrl-box.txt"
    ).read_text()
    assert main(["triage", text, "--json"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert ranked[0]["tree"] == "pending-site"
    assert "c-control-file-listings" in ranked[0]["why"] or "sitectrl.box" in ranked[0]["why"]
