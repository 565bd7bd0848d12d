"""Hostile shapes of input the readers must survive: a folder a thousand levels deep, event XML nested without end,
an .evtx inside a .zip (read as a stream, never spilled to disk), a .zip that inflates far beyond its size."""

from __future__ import annotations

import os
import tempfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import wizard.core.evidence.scanner as scanner
from wizard.core.evidence import Probe, scan
from wizard.core.evidence.events import MAX_XML_DEPTH
from wizard.core.model import Signature

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
KEY = Probe("t", "n", Signature(id="no-key", means="", proposes="x", literal="Cannot find valid public key"))
AGENT = Probe("t", "e", Signature(id="ev", means="", proposes="x", event_id=21006))


def test_a_folder_a_thousand_levels_deep_is_scanned(tmp_path):
    here = tmp_path / "deep"
    here.mkdir()
    fd_path = str(here)
    for _ in range(1100):
        fd_path = os.path.join(fd_path, "d")
        os.mkdir(fd_path)
    with open(os.path.join(fd_path, "despool.log"), "w") as fh:
        fh.write("Cannot find valid public key for key exchange instruction coming from site S02\n")
    try:
        report = scan([here], [KEY])
    finally:
        os.remove(os.path.join(fd_path, "despool.log"))
        while fd_path != str(here):
            os.rmdir(fd_path)
            fd_path = os.path.dirname(fd_path)
    assert len(report.hits) == 1 and not report.problems


def test_scan_walks_folders_in_name_order(tmp_path):
    for name in ("b", "A", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "despool.log").write_text(f"Cannot find valid public key {name}\n")
    report = scan([tmp_path], [KEY])
    assert [Path(h.file).parent.name for h in report.hits] == ["A", "b", "c"]


def test_event_xml_nested_without_end_is_cut_with_memory_to_spare(tmp_path):
    path = tmp_path / "events.xml"
    good = (FIXTURES / "opsmgr-events.xml").read_text()
    with open(path, "w") as fh:
        fh.write(good.replace("</Events>", ""))
        fh.write("<Event>" + "<a>" * 3_000_000)
    tracemalloc.start()
    try:
        report = scan([path], [AGENT])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 60 * (1 << 20), f"peak {peak >> 20} MiB"
    assert report.hits, "the events before the deep part are kept"
    assert any(f"deeper than {MAX_XML_DEPTH}" in p for p in report.problems), report.problems


def _zip_with(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return path


def test_an_evtx_in_a_zip_is_read_as_a_stream(tmp_path, monkeypatch):
    bundle = _zip_with(tmp_path, "agent/opsmgr.evtx", (FIXTURES / "opsmgr.evtx").read_bytes())

    def no_spill(*args, **kwargs):
        raise AssertionError("a zip member was copied to a temporary file")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", no_spill)
    monkeypatch.setattr(tempfile, "mkstemp", no_spill)
    direct = scan([FIXTURES / "opsmgr.evtx"], [AGENT])
    zipped = scan([bundle], [AGENT])
    assert [h.line for h in zipped.hits] == [h.line for h in direct.hits] and zipped.hits
    assert not zipped.problems


def test_a_zip_inside_a_zip_is_read_as_a_stream(tmp_path, monkeypatch):
    inner = _zip_with(tmp_path, "despool.log", b"Cannot find valid public key for site S02\n").read_bytes()
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("inner.zip", inner)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", lambda *a, **k: pytest.fail("spilled to disk"))
    report = scan([outer], [KEY])
    assert len(report.hits) == 1 and report.hits[0].file.endswith("inner.zip/despool.log")


def test_a_zip_that_inflates_past_the_limit_is_cut_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(scanner, "MAX_UNZIPPED", 2 << 20)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/despool.log", b"Cannot find valid public key first\n" + b"z" * (8 << 20))
        archive.writestr("b/despool.log", b"Cannot find valid public key second\n")
    assert path.stat().st_size < 100_000
    report = scan([path], [KEY])
    assert [h.text for h in report.hits] == ["Cannot find valid public key first"]
    assert any("unpack to more than" in p for p in report.problems), report.problems
    assert report.bytes_read < 4 << 20


def test_the_unzip_limit_is_stated():
    assert scanner.MAX_UNZIPPED == 1 << 30
