"""Transcripts: what they hold, that HTML is standalone and escaped, that --redact leaves no name behind, replay."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from case_kit import _no_site_trees, catalog, run  # noqa: F401  (shared fixtures)
from wizard.core.cases import case_files, load_case
from wizard.core.catalog import load_catalog
from wizard.core.redact import Redactor
from wizard.core.transcript import render, session_data, transcript
from wizard.core.walk import walk

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = str(FIXTURES / "good")
CASES = [load_case(p).case for p in case_files()]

# Every machine, address, domain and site code the shipped evidence and cases use, written down by hand so the test
# does not trust the redactor's own idea of a name.
HOSTS = """EXHQ01 EXHQ02 EXBR02 EXBR05 EXMUC01 EXFRA01 NYC-CM01 DAL-CM01 CMDP01 CMDP02 CMDP03 CM01 FS07 OPSRMS01
OPSMS02 OPSSQL01 DFW-SCCM01 HOU-SCCM02 LON-WS0142 LON-WS0177 BACKUP01 WGBOPS01 WGBOPS02 BRFS02 PDX-SCCM01
DFW-DC01""".split()
ADDRESSES = "10.20.1.31 10.20.1.10 10.20.1.33 10.44.2.21 10.40.0.10".split()
DOMAINS = "corp.contoso.com eu.contoso.com fabrikam.local corp.fabrikam.com woodgrove.local contoso fabrikam woodgrove".split()
SITES = "DAL NYC BOS HOU DFW SEA PDX P01".split()




def walked(case, catalog):
    return walk(catalog, case.tree, answers=case.answers, values=case.values, evidence=list(case.evidence)).session


def originals(case) -> tuple[set[str], set[str]]:
    """(names compared in any case, site codes compared as written) that must not survive redaction."""
    names = {n.lower() for n in HOSTS + ADDRESSES + DOMAINS}
    sites = set(SITES)
    for name, value in case.values.items():
        if name.endswith(("server", "_ms", "rms", "_ip", "_host", "zone")):
            names.add(value.lower())
        if name.endswith("site_code"):
            sites.add(value)
    return names, sites


def survivors(text: str, names: set[str], sites: set[str]) -> list[str]:
    lowered = text.lower()
    found = [n for n in names if re.search(r"(?<![a-z0-9])" + re.escape(n) + r"(?![a-z0-9])", lowered)]
    found += [s for s in sites if re.search(r"(?<![A-Za-z0-9])" + re.escape(s) + r"(?![A-Za-z0-9])", text)]
    return found


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_redacted_transcripts_keep_no_original_name_in_any_format(case, catalog):
    session = walked(case, catalog)
    names, sites = originals(case)
    for fmt in ("md", "json", "html"):
        text = render(transcript(session, redact=True), fmt)
        assert not survivors(text, names, sites), (fmt, survivors(text, names, sites))


def test_unredacted_transcripts_do_name_them(catalog):
    """Without this the test above could pass on transcripts that never named anything."""
    named = 0
    for case in CASES:
        names, sites = originals(case)
        named += bool(survivors(render(transcript(walked(case, catalog)), "md"), names, sites))
    assert named >= len(CASES) * 2 // 3


def test_placeholders_are_stable_and_the_mapping_is_kept_only_when_asked(catalog):
    case = next(c for c in CASES if c.id == "sender-address/hou-no-address-back-to-primary")
    session = walked(case, catalog)
    data = transcript(session, redact=True)
    assert "redaction" not in data and data["redacted"] is True
    kept = transcript(session, redact=True, keep_mapping=True)
    mapping = kept["redaction"]
    by_name = {v: k for k, v in mapping.items()}
    assert by_name["HOU"].startswith("[SITE-") and by_name["DFW"].startswith("[SITE-")
    assert by_name["DFW-SCCM01"].startswith("[HOST-")
    assert kept["values"]["parent_server"] == by_name["DFW-SCCM01"]
    assert kept["values"]["site_code"] == by_name["HOU"]
    assert data["values"] == kept["values"]  # the same names get the same placeholders every time
    text = render(data, "md")
    assert text.count(by_name["HOU"]) >= 3


def test_redactor_on_hostile_and_tricky_text():
    redactor = Redactor()
    text = (
        "Copy \\\\FILESRV07\\share to NYC-CM01.corp.example-co.com (10.1.2.3, fe80::1ff:fe23:4567:890a) for site "
        "Code: XY1; keep despool.log, SP2, KB2469993, 09:42:07 and go.microsoft.com as they are"
    )
    redactor.learn_text(text)
    out = redactor.text(text)
    for gone in ("FILESRV07", "NYC-CM01", "corp.example-co.com", "10.1.2.3", "fe80::1ff:fe23:4567:890a", "XY1"):
        assert gone not in out
    for kept in ("despool.log", "SP2", "KB2469993", "09:42:07", "go.microsoft.com"):
        assert kept in out
    redactor.learn_text("a" * 50_000 + "." + "b" * 50_000 + "!" * 10_000)  # linear engines: returns at once
    host = redactor.names[("host", "nyc-cm01")]
    assert redactor.text("nyc-cm01 and NYC-CM01") == f"{host} and {host}"
    site = redactor.names[("site", "XY1")]
    assert redactor.text(r"\\NYC-CM01\SMS_XY1\inboxes, xy1") == rf"\\{host}\SMS_{site}\inboxes, xy1"


def _hostile_walk(tmp_path, catalog_good):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "despool.log").write_text(
        "Cannot find valid public key for key exchange instruction coming from site S07 <script>alert(1)</script> "
        "`` | # **x** ]]>"
        "  $$<SMS_DESPOOLER><11-20-2026 10:00:00.000+000><thread=1 (0x1)>\n"
    )
    return walk(catalog_good, "mini", answers={"q-secure": "yes", "c-despool": "clean"},
                evidence=[bundle]).session


def test_transcript_holds_tree_times_answers_citations_and_overrides(tmp_path):
    catalog_good = load_catalog([GOOD], use_env=False)
    session = _hostile_walk(tmp_path, catalog_good)
    data = transcript(session, reasons={"c-despool": "the key was imported at 10:05 <b>after</b> this line"})
    assert data["format"] == "wizard-transcript"
    assert data["start_tree"] == "mini" and data["trees"]["mini"]["hash"] == catalog_good.get("mini").content_hash
    assert data["started"] and data["ended"] and data["version"] >= 1
    override = data["overrides"][0]
    assert (override["node"], override["proposed"], override["chosen"]) == ("c-despool", "key-missing", "clean")
    assert override["reason"].startswith("the key was imported")
    assert override["evidence"][0]["line"] == 1
    md = render(data, "md")
    assert "Reason: the key was imported at 10:05 \\<b\\>after\\</b\\> this line" in md
    assert re.search(r"despool\.log:1( \([^)]*\))?: `+ ?Cannot find valid public key", md)
    html_text = render(data, "html")
    assert "<script>" not in html_text and "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert "&lt;b&gt;after&lt;/b&gt;" in html_text
    for external in ("src=", "href=", "<link", "@import", "url("):
        assert external not in html_text
    assert html_text.startswith("<!DOCTYPE html>") and html_text.rstrip().endswith("</html>")


def test_walk_command_writes_each_format_and_refuses_keep_mapping_alone(tmp_path):
    case = next(c for c in CASES if c.id == "rms-failover/fab-rms-back")
    base = ["walk", "rms-failover", "--evidence", str(case.folder)]
    code, out, _ = run(*base, "--format", "html", "--redact")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and "FS07" not in out
    code, out, _ = run(*base, "--format", "json", "--redact", "--keep-mapping")
    assert code == 0 and "FS07" in json.loads(out)["redaction"].values()
    assert run(*base, "--keep-mapping")[0] == 2


def test_replay_a_transcript_and_a_saved_walk(tmp_path, catalog):
    case = next(c for c in CASES if c.id == "pending-site/dal-pending-keys-refused")
    session = walked(case, catalog)
    exported = tmp_path / "walk.json"
    exported.write_text(render(transcript(session), "json"))
    code, out, err = run("walk", "pending-site", "--answers", str(exported), "--format", "json")
    assert code == 0, err
    again = json.loads(out)
    assert (again["tree"], again["node"]) == ("key-exchange", "rb-manual-key-exchange")
    assert [(p["node"], p["choice"]) for p in again["path"]] == [(m.node, m.choice) for m in session.moves]
    assert again["path"][3]["evidence"] == json.loads(exported.read_text())["path"][3]["evidence"]

    from wizard.core.session import to_dict

    saved = tmp_path / "saved.json"
    partial = walk(
        catalog, case.tree, answers={"q-install-finished": "finished"}, values={"child_install_dir": "C:\\SMS"}
    ).session
    saved.write_text(json.dumps(to_dict(partial)))
    code, out, _ = run("walk", "pending-site", "--answers", str(saved), "--format", "json")
    assert code == 3 and json.loads(out)["node"] == "c-services-running"
    code, out, _ = run("walk", "pending-site", "--answers", str(saved), "--evidence", str(case.folder),
                       "--answer", "q-components-working=working", "--format", "json")
    moved_on = json.loads(out)
    assert code == 3 and moved_on["node"] != "c-services-running"
    assert [p for p in moved_on["path"] if p["node"] == "c-services-running"][0]["proposed"] == "running"


def test_replay_refuses_what_it_cannot_replay(tmp_path, catalog):
    case = next(c for c in CASES if c.id == "rms-failover/fab-rms-back")
    redacted = tmp_path / "redacted.json"
    redacted.write_text(render(transcript(walked(case, catalog), redact=True), "json"))
    code, _, err = run("walk", "rms-failover", "--answers", str(redacted))
    assert code == 2 and "redacted" in err
    code, _, err = run("walk", "pending-site", "--answers", str(redacted).replace("redacted", "missing"))
    assert code == 2 and "cannot read" in err
    (tmp_path / "junk.json").write_bytes(b"\xff\xfe{not json")
    code, _, err = run("walk", "pending-site", "--answers", str(tmp_path / "junk.json"))
    assert code == 2 and "not a JSON file" in err
    plain = tmp_path / "plain.json"
    plain.write_text(render(transcript(walked(case, catalog)), "json"))
    code, _, err = run("walk", "pending-site", "--answers", str(plain))
    assert code == 2 and "tree 'rms-failover'" in err
    with pytest.raises(ValueError):
        session_data(["not", "a", "walk"])


def test_replay_a_runbook_exported_by_the_wizard(tmp_path, catalog):
    """The wizard's JSON export (a runbook document) replays too: its path and values are enough."""
    from wizard.core.render import runbook_dict

    case = next(c for c in CASES if c.id == "key-exchange/dal-sender-cannot-connect")
    session = walked(case, catalog)
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(runbook_dict(session)))
    code, out, err = run("walk", "key-exchange", "--answers", str(exported), "--format", "json")
    assert code == 0, err
    again = json.loads(out)
    assert (again["tree"], again["node"]) == ("sender-address", "rb-create-up-address")
    assert again["values"]["child_server"] == "DAL-CM01"


_PIECES = ["NYC-CM01", "srv42.corp.example-co.com", "10.9.8.7", "site DAL", "SMS_BOS", "\\\\FILE01\\share", " ",
           ", ", ":", "(", ")", "despool.log", "KB2469993", "0x80004005", "é", "\n", "<b>", "`", "fe80::1"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=25))
def test_whatever_the_text_no_learned_name_survives(parts):
    text = "".join(parts)
    redactor = Redactor()
    redactor.learn_text(text)
    out = redactor.text(text)
    for (kind, name) in redactor.names:
        if kind == "site":
            assert not re.search(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])", out), (name, out)
        else:
            assert not re.search(r"(?<![a-z0-9])" + re.escape(name) + r"(?![a-z0-9-])", out.lower()), (name, out)
