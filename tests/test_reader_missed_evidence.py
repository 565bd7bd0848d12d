"""Evidence that is in the files and must be found: past the first MiB of a long line, around stray NUL bytes,
and after a CSV row with an oversized field."""

from __future__ import annotations

import tracemalloc

import pytest

import wizard.core.evidence.scanner as scanner
from wizard.core.evidence import Probe, scan, scan_text
from wizard.core.evidence.text import MAX_RECORD, WINDOW_OVERLAP
from wizard.core.model import Signature

KEY = Probe("t", "n", Signature(id="no-key", means="", proposes="x", literal="Cannot find valid public key"))
ANCHORED = Probe("t", "n", Signature(id="anchored", means="", proposes="x", regex=r"^Cannot find valid public key"))
EVENT = Probe("t", "e", Signature(id="ev", means="", proposes="x", event_id=21006))
NEEDLE = b"Cannot find valid public key for key exchange instruction coming from site S99"


@pytest.mark.parametrize("chunk", [4 << 20, 65536, 4099])
def test_a_match_deep_in_a_long_line_is_found_with_its_byte_offset(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(scanner, "CHUNK_SIZE", chunk)
    at = 5 * MAX_RECORD + 12345
    path = tmp_path / "despool.log"
    with open(path, "wb") as fh:
        fh.write(b"first line\n")
        fh.write(b"A" * at + NEEDLE + b"B" * (3 * MAX_RECORD) + b"\n")
        fh.write(NEEDLE + b"\n")
    report = scan([path], [KEY])
    assert [(h.line, h.offset) for h in report.hits] == [(2, at), (3, None)]
    assert any("line 2" in p and "searched whole" in p for p in report.problems), report.problems


def test_a_match_across_a_window_edge_is_found_once(tmp_path):
    edge = MAX_RECORD - 20
    path = tmp_path / "despool.log"
    path.write_bytes(b"x" * edge + NEEDLE + b"y" * (2 * MAX_RECORD) + b"\n")
    hits = scan([path], [KEY]).hits
    assert [(h.line, h.offset) for h in hits] == [(1, edge)]
    assert len(NEEDLE) < WINDOW_OVERLAP


def test_a_long_line_is_searched_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.log"
    with open(path, "wb") as fh:
        block = b"A" * (1 << 20)
        for _ in range(60):
            fh.write(block)
        fh.write(NEEDLE)
    tracemalloc.start()
    try:
        report = scan([path], [KEY])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * (1 << 20), f"peak {peak >> 20} MiB"
    assert [h.offset for h in report.hits] == [60 << 20]


def test_a_long_pasted_line_is_searched_past_its_first_mib():
    text = "Directory of C:\\x\n" + "z" * (3 * MAX_RECORD) + NEEDLE.decode() + "\n"
    report = scan_text(text, [KEY])
    assert [h.line for h in report.hits] == [2]


def test_stray_nuls_of_a_crash_do_not_make_a_log_binary(tmp_path):
    path = tmp_path / "despool.log"
    before = b"Waiting for ready instruction file....~  $$<SMS_DESPOOLER><04-21-2009 14:02:11.508+300><thread=1>\r\n"
    path.write_bytes(before * 3 + b"\x00" * 6000 + NEEDLE + b"~  $$<SMS_DESPOOLER><04-21-2009 14:09:11.508+300><thread=1>\r\n")
    report = scan([path], [ANCHORED])
    assert [h.line for h in report.hits] == [4]
    assert report.hits[0].time.startswith("2009-04-21 14:09")
    assert len(report.problems) == 1 and "6000 NUL bytes" in report.problems[0]
    assert "binary" not in report.problems[0]


def test_a_nul_in_a_short_log_is_skipped_too(tmp_path):
    path = tmp_path / "despool.log"
    path.write_bytes(NEEDLE + b"\x00\r\n")
    report = scan([path], [ANCHORED])
    assert len(report.hits) == 1 and "binary" not in " ".join(report.problems)


def test_real_binary_data_is_still_skipped(tmp_path):
    path = tmp_path / "dump.log"
    path.write_bytes((bytes(range(256)) + b"\x00" * 64) * 64 + NEEDLE)
    report = scan([path], [KEY])
    assert not report.hits and "binary" in report.problems[0]


def test_a_csv_field_over_128_kib_costs_only_its_row(tmp_path):
    path = tmp_path / "agent.csv"
    rows = [
        "Level,Date and Time,Source,Event ID,Task Category,Message",
        'Error,3/2/2007 5:00:00 AM,OpsMgr Connector,21006,None,"' + "x" * (200 << 10) + '"',
        "Error,3/2/2007 6:00:00 AM,OpsMgr Connector,21006,None,The connection was lost.",
    ]
    path.write_text("\r\n".join(rows) + "\r\n")
    report = scan([path], [EVENT])
    assert [h.line for h in report.hits] == [3]
    assert len(report.problems) == 1 and "line 2" in report.problems[0] and "rest" not in report.problems[0]
    assert "rows after it were read" in report.problems[0]


def test_a_pasted_match_in_the_overlap_of_two_windows_is_reported_once():
    from wizard.core.evidence.text import MAX_RECORD

    text = "Directory of C:\\x\n" + "z" * (MAX_RECORD - 100) + NEEDLE.decode() + "z" * (2 * MAX_RECORD) + "\n"
    assert [h.line for h in scan_text(text, [KEY]).hits] == [2]


def test_scan_prints_the_byte_offset_of_a_match_in_a_long_line(tmp_path, monkeypatch):
    import io
    import json
    from argparse import Namespace

    import wizard.core.evidence as evidence
    from wizard.commands_evidence import cmd_scan

    path = tmp_path / "despool.log"
    path.write_bytes(b"y" * (2 * MAX_RECORD) + NEEDLE + b"\n")
    monkeypatch.setattr(evidence, "probes_for", lambda trees: [KEY])
    printed, dumped = io.StringIO(), io.StringIO()
    cmd_scan(Namespace(paths=[str(path)], json=False), {}, printed, io.StringIO())
    cmd_scan(Namespace(paths=[str(path)], json=True), {}, dumped, io.StringIO())
    assert f":1 (byte {2 * MAX_RECORD})" in printed.getvalue()
    assert json.loads(dumped.getvalue())[0]["offset"] == 2 * MAX_RECORD
