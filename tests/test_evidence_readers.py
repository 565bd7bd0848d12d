"""The readers on sample files of every format and encoding (tests/fixtures/evidence, made by make_samples.py)."""

from __future__ import annotations

import importlib.util
import os
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from wizard.core.evidence import Hit, Probe, scan, scan_text
from wizard.core.model import Signature

SAMPLES = Path(__file__).parent / "fixtures" / "evidence"


def probe(node: str, sig_id: str, **matcher: object) -> Probe:
    return Probe("t", node, Signature(id=sig_id, means="", proposes="x", **matcher))  # type: ignore[arg-type]


def hits_of(hits: list[Hit], signature: str) -> list[Hit]:
    return [h for h in hits if h.signature == signature]


def test_committed_samples_match_the_generator():
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    for name, data in module.samples().items():
        assert (SAMPLES / name).read_bytes() == data, f"{name} differs from make_samples.py output; rerun it"


# ------------------------------------------------------------------------------------------------ ConfigMgr logs

KEY = probe("despool", "no-key", regex=r"coming from site (?P<site_code>[A-Z0-9]{3})")
RETRY = probe("despool", "retry", regex=r"Will retry instruction .+ (?P<left>\d+) more times")


def test_legacy_lines_give_line_time_component_and_message():
    report = scan([SAMPLES / "despool.log"], [KEY])
    hits = report.hits
    assert [h.line for h in hits] == [4, 10, 16]
    first = hits[0]
    assert first.text == "Cannot find valid public key for key exchange instruction coming from site S02~"
    assert first.time == "2008-07-29 12:10:51.330+240"
    assert first.component == "SMS_DESPOOLER"
    assert first.captures == {"site_code": "S02"}
    assert report.problems == [] and report.inputs_readable == 1
    assert report.bytes_read == (SAMPLES / "despool.log").stat().st_size


def test_rolled_log_is_read_and_comes_before_the_current_one(tmp_path):
    for name in ("despool.log", "despool.lo_"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    marker = probe("rolled", "max", literal="MAXIMUM LOG FILE SIZE REACHED")
    report = scan([tmp_path], [RETRY, marker])
    files = [Path(h.file).name for h in report.hits]
    assert files[0] == "despool.lo_" and files[-1] == "despool.log"
    rolled = hits_of(report.hits, "max")
    assert len(rolled) == 1 and rolled[0].line == 7 and rolled[0].time == "" and rolled[0].component == ""
    assert [h.captures["left"] for h in hits_of(report.hits, "retry")] == ["100", "100", "99", "98"]


@pytest.mark.parametrize(
    "name", ["sender-utf16le.log", "sender-utf16be.log", "sender-utf16le-nobom.log", "sender-utf8bom.log"]
)
def test_every_encoding_gives_the_same_hits(name):
    probes = [
        probe("sender", "wont-try", regex=r"Cannot connect to server (?P<server>\S+) at remote site (?P<site>\w{3})"),
        probe("sender", "attempt", literal="attempt to connect FAILED", ignore_case=True),
    ]
    hits = scan([SAMPLES / name], probes).hits
    assert [(h.line, h.signature) for h in hits] == [(5, "attempt"), (6, "wont-try")]
    assert hits[1].captures == {"server": "SEC01", "site": "S02"}
    assert hits[1].component == "SMS_LAN_SENDER" and hits[1].time == "2008-07-29 13:01:23.209+240"
    assert hits[1].text.startswith("Cannot connect to server SEC01") and "\x00" not in hits[1].text


def test_windows_1252_file_is_read_when_it_is_not_utf8():
    hits = scan([SAMPLES / "sitecomp-cp1252.log"], [probe("n", "u", literal="Überprüfung")]).hits
    assert len(hits) == 1 and hits[0].text == "Überprüfung der Standortkomponenten beendet.~"
    assert hits[0].time == "2008-07-29 09:00:00.000-060"


def test_old_sms_date_forms():
    one = scan([SAMPLES / "despool-sms1x.log"], [probe("n", "w", literal="Waiting for ready")]).hits[0]
    assert one.time == "1997-05-21 17:09:02" and one.component == "SMS_DESPOOLER"
    two = scan([SAMPLES / "sitecomp-sms20.log"], [probe("n", "b", literal="bootstrap")]).hits[0]
    assert two.time == "1999-03-26 10:43:41.547 Eastern Standard Time"
    assert two.component == "SMS_SITE_COMPONENT_MANAGER" and two.text == "Starting bootstrap operations..."


def test_cmtrace_records_span_lines_and_carry_severity():
    locations = probe(
        "ctm", "persisted",
        regex=r"Persisted locations for CTM job (?P<job>\{[^}]+\}):\s+\(SUBNET\) (?P<dp>\S+)\s+\(SUBNET\) (?P<dp2>\S+)",
    )
    update = probe("ctm", "update", literal="CCTMJob::UpdateLocations")
    hits = scan([SAMPLES / "ContentTransferManager.log"], [locations, update]).hits
    persisted = hits_of(hits, "persisted")[0]
    assert persisted.line == 3
    assert persisted.captures["dp"] == "http://DP01.contoso.local/SMS_DP_SMSPKG$/P010000F"
    assert persisted.captures["dp2"] == "http://DP02.contoso.local/SMS_DP_SMSPKG$/P010000F"
    assert persisted.component == "ContentTransferManager" and persisted.severity == "information"
    assert persisted.time == "2008-07-30 08:14:03.002+240"
    assert "\n" in persisted.text and "]LOG]!>" not in persisted.text
    warning = hits_of(hits, "update")[0]
    assert warning.line == 8 and warning.severity == "warning"


def test_cmtrace_message_anchors_apply_to_the_message_not_the_line():
    anchored = probe("cas", "fail", regex=r"^Download failed for content (?P<content>\S+) \.\.\. retrying$")
    hits = scan([SAMPLES / "CAS.log"], [anchored]).hits
    assert len(hits) == 1 and hits[0].captures == {"content": "P010000F.1"} and hits[0].severity == "error"


# ------------------------------------------------------------------------------------------------ event logs

OPSMGR = probe("agent", "21006", event_id=21006, source="opsmgr connector")
OPSMGR_WRONG_SOURCE = probe("agent", "21006-exchange", event_id=21006, source="MSExchangeIS")
FAILED_OVER = probe("agent", "21015", event_id=21015)


@pytest.mark.parametrize(
    "name, line",
    [
        ("opsmgr.evtx", 101),
        ("opsmgr-events.xml", 3),
        ("opsmgr-wevtutil-utf16.xml", 2),
        ("opsmgr-wevtutil.txt", 1),
        ("opsmgr-eventviewer.txt", 1),
        ("opsmgr-powershell.csv", 3),
    ],
)
def test_opsmgr_event_21006_in_every_export(name, line):
    report = scan([SAMPLES / name], [OPSMGR, OPSMGR_WRONG_SOURCE])
    assert report.problems == []
    hits = report.hits
    assert [h.signature for h in hits] == ["21006"], hits
    hit = hits[0]
    assert hit.line == line
    assert hit.component == "OpsMgr Connector" and hit.severity == "error"
    assert hit.time.startswith("2007-04-29 10:15:42")
    assert "COOM01" in hit.text
    if name != "opsmgr-eventviewer.txt":
        assert hit.computer == "CODC01.contoso.local"


def test_evtx_reads_every_record_with_its_record_id():
    hits = scan([SAMPLES / "opsmgr.evtx"], [OPSMGR, FAILED_OVER]).hits
    assert [(h.line, h.signature) for h in hits] == [(101, "21006"), (102, "21015")]
    assert hits[1].severity == "warning" and hits[1].text == "COOM01"


def test_event_viewer_text_skips_the_event_xml_part():
    text_probe = probe("agent", "xml", literal="Qualifiers")
    report = scan([SAMPLES / "opsmgr-eventviewer.txt"], [OPSMGR, text_probe])
    assert [h.signature for h in report.hits] == ["21006"]


def test_server_2003_event_text_keeps_multiline_descriptions():
    backfill = probe("q1", "request", regex=r"(?s)An outgoing replication message was issued\.\s+Type:\s*0x8\b")
    response = probe("q4", "response", regex=r"(?s)incoming replication message was processed\.\s+Type:\s*0x80000004")
    hex_dump = probe("q4", "hex", literal="0000: 00 00")
    source = probe("q1", "3016", event_id=3016, source="MSExchangeIS Public")
    hits = scan([SAMPLES / "exchange-2003-event.txt"], [backfill, response, hex_dump, source]).hits
    assert [(h.line, h.signature) for h in hits] == [(1, "request"), (1, "3016"), (18, "response")]
    assert hits[0].time == "2006-01-20 15:12:40" and hits[0].component == "MSExchangeIS Public Store"
    assert hits[0].severity == "information" and hits[0].computer == "EXCH02"
    assert "For more information" not in hits[2].text


@pytest.mark.parametrize("name", ["exchange-eventviewer.csv", "exchange-2003.csv"])
def test_event_csv_exports(name):
    probes = [probe("q1", "3016", event_id=3016), probe("q1", "type8", regex=r"Type: 0x8\b")]
    hits = scan([SAMPLES / name], probes).hits
    assert {h.signature for h in hits} == {"3016", "type8"}
    first = hits[0]
    assert first.component == "MSExchangeIS Public Store" and first.time == "2006-01-20 15:12:40"
    assert first.severity == "information"


def test_event_viewer_csv_keeps_line_breaks_of_the_message_and_row_lines():
    error = probe("q", "3079", event_id=3079)
    hits = scan([SAMPLES / "exchange-eventviewer.csv"], [error]).hits
    assert hits[0].line == 6 and hits[0].text.splitlines()[0] == "Unexpected replication thread error 0x3f0"


def test_legacy_evt_file():
    hits = scan([SAMPLES / "exchange.evt"], [probe("q", "3016", event_id=3016), probe("q", "3079", event_id=3079)]).hits
    assert [(h.line, h.signature) for h in hits] == [(1, "3016"), (2, "3079")]
    assert hits[0].component == "MSExchangeIS Public Store" and hits[0].time == "2006-01-20 15:12:40Z"
    assert hits[0].text.splitlines() == ["0x8", "<1@exch02>", "1-1B62"] and hits[1].severity == "error"


def test_literal_signatures_match_event_messages():
    hits = scan([SAMPLES / "opsmgr-wevtutil.txt"], [probe("agent", "text", literal="could not connect to COOM01")]).hits
    assert [h.line for h in hits] == [1]


# ------------------------------------------------------------------------------------------------ folders

INS = probe("receive", "ins", file="*.ins", under="despoolr.box\\receive", count_as="ins_count")
IST = probe("receive", "ist", file="*.IST", under="despoolr.box/receive")
SNI = probe("receive", "sni", file="*.sni", under="despoolr.box")
CT2 = probe("hman", "ct2", file="*.ct2", under="hman.box")
CT4 = probe("hman", "ct4", file="*.ct4", under="hman.box")
CT5 = probe("hman", "ct5", file="*.ct5", under="hman.box")
PKC = probe("hman", "pkc", file="*.pkc", under="hman.box\\pubkey")
DELSITE = probe("hman", "delsite", file="delsite.lkp")


def test_dir_listing_counts_and_ages_instruction_files():
    hits = scan([SAMPLES / "dir-receive.txt"], [INS, IST, SNI, CT4]).hits
    by = {h.signature: h for h in hits}
    assert set(by) == {"ins", "ist", "sni"}
    ins = by["ins"]
    assert ins.line == 0 and ins.file == str(SAMPLES / "dir-receive.txt")
    assert ins.text == (
        "C:\\Program Files\\Microsoft Configuration Manager\\inboxes\\despoolr.box\\receive\\ds_1vfda.ins"
    )
    assert ins.captures == {"ins_count": "2", "ins_count_oldest": "2008-07-29 06:12", "ins_count_age_hours": "7.9"}
    assert ins.time == "2008-07-29 06:12:00"


def test_powershell_listing_in_utf16_and_folders_are_not_files():
    hits = scan([SAMPLES / "dir-hman-powershell.txt"], [CT2, CT4, CT5, DELSITE, probe("h", "dir", file="pubkey")]).hits
    assert sorted(h.signature for h in hits) == ["ct4", "delsite"]
    assert hits[0].time in {"2008-07-29 14:31:00", "2008-07-28 16:02:00"}


def test_bare_listing_and_under_matches_either_slash():
    hits = scan([SAMPLES / "dir-bare.txt"], [CT2, PKC, probe("s", "ct0", file="sitectrl.ct0", under="SITECTRL.BOX")]).hits
    assert sorted(h.signature for h in hits) == ["ct0", "ct2", "pkc"]


def test_copied_folder_is_counted_and_aged(tmp_path):
    receive = tmp_path / "inboxes" / "despoolr.box" / "receive"
    hman = tmp_path / "inboxes" / "hman.box"
    receive.mkdir(parents=True)
    hman.mkdir(parents=True)
    now = datetime.now().timestamp()
    for i, hours in enumerate((30, 5, 1)):
        path = receive / f"ds_{i}.ins"
        path.write_bytes(b"\x01\x00binary")
        os.utime(path, (now - hours * 3600, now - hours * 3600))
    (hman / "S02.ct4").write_bytes(b"\x00")
    report = scan([tmp_path], [INS, CT4, CT5])
    by = {h.signature: h for h in report.hits}
    assert set(by) == {"ins", "ct4"}
    assert by["ins"].captures["ins_count"] == "3"
    assert 29.9 <= float(by["ins"].captures["ins_count_age_hours"]) <= 30.2
    assert by["ins"].text.endswith("ds_0.ins") and by["ins"].file == str(tmp_path)
    assert report.problems == [], "instruction files are evidence by their presence, not read as text"


def test_a_single_file_given_directly_can_satisfy_a_file_signature():
    hits = scan([SAMPLES / "despool.lo_"], [probe("n", "rolled", file="despool.lo?")]).hits
    assert [h.signature for h in hits] == ["rolled"]


# ------------------------------------------------------------------------------------------------ DNS cache

def test_displaydns_records_read_as_one_line_each():
    a_record = probe("dns", "a", regex=r"^(?P<host>dp01\.[a-z.]+) A (?P<ip>[0-9.]+) TTL (?P<ttl>[0-9]+)$")
    cname = probe("dns", "cname", literal="sms.contoso.local CNAME cm01.contoso.local TTL 3600")
    hits = scan([SAMPLES / "displaydns.txt"], [a_record, cname]).hits
    assert [(h.line, h.signature) for h in hits] == [(6, "a"), (24, "cname")]
    assert hits[0].captures == {"host": "dp01.contoso.local", "ip": "10.20.1.15", "ttl": "3247"}
    assert hits[0].text == "dp01.contoso.local A 10.20.1.15 TTL 3247"


# ------------------------------------------------------------------------------------------------ bundles

def test_zip_bundle_is_scanned_whole():
    bundle = SAMPLES / "bundle.zip"
    report = scan([bundle], [KEY, OPSMGR, INS, CT4, probe("sender", "a", literal="Attempt to connect failed")])
    files = {h.file for h in report.hits}
    assert f"{bundle}/logs/despool.lo_" in files and f"{bundle}/logs/despool.log" in files
    assert f"{bundle}/events/opsmgr.evtx" in files and f"{bundle}/logs/sender.log" in files
    ins = hits_of(report.hits, "ins")[0]
    assert ins.file == str(bundle) and ins.captures["ins_count"] == "2"
    assert ins.text == f"{bundle}/inboxes/despoolr.box/receive/ds_1vfda.ins"
    assert hits_of(report.hits, "ct4")[0].text.endswith("inboxes/hman.box/S02.ct4")
    assert report.problems == []


def test_zip_inside_a_zip(tmp_path):
    outer = tmp_path / "ticket.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("attachments/bundle.zip", (SAMPLES / "bundle.zip").read_bytes())
    hits = scan([outer], [OPSMGR]).hits
    assert [h.file for h in hits] == [f"{outer}/attachments/bundle.zip/events/opsmgr.evtx"]


def test_folder_of_logs_is_scanned_whole():
    report = scan([SAMPLES], [KEY, OPSMGR, probe("dns", "a", regex=r" A 10\.20\.1\.15 ")])
    names = {Path(h.file).name for h in report.hits}
    assert {"despool.log", "despool.lo_", "opsmgr.evtx", "opsmgr-events.xml", "displaydns.txt"} <= names


# ------------------------------------------------------------------------------------------------ pasted text

def test_pasted_ticket_with_an_event_a_log_line_and_a_listing():
    ticket = (
        "Hi team, the secondary site S02 never shows up. From the parent:\n"
        "Cannot find valid public key for key exchange instruction coming from site S02~  "
        "$$<SMS_DESPOOLER><07-29-2008 12:10:51.330+240><thread=3428 (0xD64)>\n"
        "\n"
        "Event Type:\tWarning\n"
        "Event Source:\tOpsMgr Connector\n"
        "Event ID:\t21006\n"
        "Description:\n"
        "The OpsMgr Connector could not connect to COOM01:5723.\n"
        "\n"
        "\n"
        " Directory of C:\\SMS\\inboxes\\despoolr.box\\receive\n"
        "07/29/2008  06:12 AM             2,184 ds_1vfda.ins\n"
        "Thanks!\n"
    )
    report = scan_text(ticket, [KEY, OPSMGR, INS])
    by = {h.signature: h for h in report.hits}
    assert set(by) == {"no-key", "21006", "ins"}
    assert by["no-key"].line == 2 and by["no-key"].component == "SMS_DESPOOLER" and by["no-key"].file == "<pasted>"
    assert by["21006"].line == 4 and by["21006"].text == "The OpsMgr Connector could not connect to COOM01:5723."
    assert by["ins"].captures["ins_count"] == "1"
    assert report.inputs_readable == 1 and report.bytes_read == len(ticket.encode())


def test_pasted_event_xml_and_csv_are_recognised():
    xml = (SAMPLES / "opsmgr-events.xml").read_text()
    assert [h.signature for h in scan_text(xml, [OPSMGR]).hits] == ["21006"]
    csv_text = (SAMPLES / "opsmgr-powershell.csv").read_text()
    assert [h.signature for h in scan_text(csv_text, [OPSMGR]).hits] == ["21006"]


def test_binary_event_log_across_tiny_chunks(monkeypatch):
    import wizard.core.evidence.scanner as scanner

    monkeypatch.setattr(scanner, "SNIFF_SIZE", 16)
    for size in (7, 13, 64):
        monkeypatch.setattr(scanner, "CHUNK_SIZE", size)
        hits = scan([SAMPLES / "exchange.evt"], [probe("q", "3016", event_id=3016), probe("q", "3079", event_id=3079)]).hits
        assert [(h.line, h.signature) for h in hits] == [(1, "3016"), (2, "3079")], size


def test_event_xml_streams_across_chunks(tmp_path, monkeypatch):
    import wizard.core.evidence.scanner as scanner

    xml = (SAMPLES / "opsmgr-events.xml").read_text()
    head, rest = xml.split("<Events>", 1)
    body, tail = rest.rsplit("</Events>", 1)
    path = tmp_path / "many.xml"
    path.write_text(head + "<Events>" + body * 400 + "</Events>" + tail)
    monkeypatch.setattr(scanner, "CHUNK_SIZE", 997)
    hits = scan([path], [OPSMGR]).hits
    assert len(hits) == scanner.HIT_CAP and [h.line for h in hits[:3]] == [3, 7, 11]


@pytest.mark.parametrize(
    "head, expected",
    [
        (b"\xef\xbb\xbfplain", ("utf-8", 3)),
        (b"\xff\xfet\x00e\x00", ("utf-16-le", 2)),
        (b"\xfe\xff\x00t\x00e", ("utf-16-be", 2)),
        ("Waiting for ready instruction file\r\n".encode("utf-16-le"), ("utf-16-le", 0)),
        ("Waiting for ready instruction file\r\n".encode("utf-16-be"), ("utf-16-be", 0)),
        ("Überprüfung".encode("cp1252"), ("utf-8", 0)),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00", ("binary", 0)),
        (bytes(range(1, 32)) * 10, ("binary", 0)),
        (b"\x1b[31mred\x1b[0m text with escapes\n", ("utf-8", 0)),
    ],
)
def test_detect_encoding(head, expected):
    from wizard.core.evidence.text import detect_encoding

    assert detect_encoding(head) == expected


def test_utf16_big_endian_without_bom(tmp_path):
    text = (SAMPLES / "sender-utf8bom.log").read_bytes()[3:].decode("utf-8")
    path = tmp_path / "sender.log"
    path.write_bytes(text.encode("utf-16-be"))
    hits = scan([path], [probe("s", "a", literal="Attempt to connect failed")]).hits
    assert [h.line for h in hits] == [5]
