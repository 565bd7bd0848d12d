"""Bad input: each gives one clear problem line for that input, the rest of the scan goes on, never a traceback."""

from __future__ import annotations

import io
import json
import os
import tracemalloc
import zipfile
from argparse import Namespace
from pathlib import Path

import pytest

import wizard.core.evidence.scanner as scanner
from wizard.commands_evidence import cmd_scan
from wizard.core.evidence import Probe, scan
from wizard.core.model import Check, Choice, Runbook, Signature, Step, Tree

SAMPLES = Path(__file__).parent / "fixtures" / "evidence"
KEY = Probe("t", "n", Signature(id="no-key", means="", proposes="x", literal="Cannot find valid public key"))


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "despool.log"
    path.write_bytes((SAMPLES / "despool.log").read_bytes())
    return path


def one_problem(report, *words: str) -> str:
    assert len(report.problems) == 1, report.problems
    problem = report.problems[0]
    assert "\n" not in problem and "Traceback" not in problem
    for word in words:
        assert word in problem, problem
    return problem


def test_missing_file_is_reported_and_the_next_path_is_scanned(tmp_path, good):
    report = scan([tmp_path / "nope.log", good], [KEY])
    one_problem(report, "nope.log", "no such file")
    assert len(report.hits) == 3 and report.inputs_readable == 1


def test_empty_folder(tmp_path, good):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "sub").mkdir()
    report = scan([empty, good], [KEY])
    one_problem(report, str(empty), "no files")
    assert len(report.hits) == 3


def test_empty_file(tmp_path, good):
    (tmp_path / "empty.log").write_bytes(b"")
    (tmp_path / "bom-only.log").write_bytes(b"\xff\xfe")
    report = scan([tmp_path / "empty.log", tmp_path / "bom-only.log", good], [KEY])
    assert len(report.problems) == 2 and all("empty file" in p for p in report.problems)
    assert len(report.hits) == 3 and report.inputs_readable == 1


@pytest.mark.posix_only
def test_permission_denied(tmp_path, good, monkeypatch):
    locked = tmp_path / "locked.log"
    locked.write_bytes((SAMPLES / "despool.log").read_bytes())
    if os.geteuid() == 0:
        real_open = open

        def refusing_open(path, *args, **kwargs):
            if str(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(scanner, "open", refusing_open, raising=False)
    else:
        locked.chmod(0)
    report = scan([locked, good], [KEY])
    one_problem(report, "locked.log", "permission denied")
    assert [Path(h.file).name for h in report.hits] == ["despool.log"] * 3


def test_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "despool.log").write_bytes((SAMPLES / "despool.log").read_bytes())
    (tmp_path / "secret").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "secret":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(scanner.os, "scandir", scandir)
    report = scan([tmp_path], [KEY])
    one_problem(report, "secret", "permission denied")
    assert len(report.hits) == 3


def test_binary_data(tmp_path, good):
    blob = tmp_path / "dump.bin.log"
    blob.write_bytes(bytes(range(256)) * 64)
    report = scan([blob, good], [KEY])
    one_problem(report, "dump.bin.log", "binary")
    assert len(report.hits) == 3


def test_a_100_mb_line_without_newline_keeps_memory_flat(tmp_path, good):
    huge = tmp_path / "huge.log"
    with open(huge, "wb") as fh:
        fh.write(b"Cannot find valid public key for key exchange instruction coming from site S99 ")
        block = b"A" * (1 << 20)
        for _ in range(100):
            fh.write(block)
    tracemalloc.start()
    try:
        report = scan([huge, good], [KEY])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * (1 << 20), f"peak {peak >> 20} MiB"
    one_problem(report, "huge.log", "line 1", "longer than 1 MiB")
    assert [Path(h.file).name for h in report.hits] == ["huge.log"] + ["despool.log"] * 3
    assert len(report.hits[0].text) < 2100
    assert report.bytes_read == huge.stat().st_size + good.stat().st_size


def test_an_overlong_line_in_the_middle_is_cut_and_the_lines_after_it_keep_their_numbers(tmp_path):
    path = tmp_path / "despool.log"
    path.write_bytes(b"first\n" + b"Cannot find valid public key " + b"x" * (3 << 20) + b"\nCannot find valid public key\n")
    report = scan([path], [KEY])
    assert [h.line for h in report.hits] == [2, 3]
    one_problem(report, "line 2", "longer than")


def test_truncated_utf16(tmp_path, good):
    text = "Cannot find valid public key for key exchange instruction coming from site S02\r\nsecond line\r\n"
    cut = tmp_path / "cut.log"
    cut.write_bytes(b"\xff\xfe" + text.encode("utf-16-le")[:-1])
    report = scan([cut, good], [KEY])
    one_problem(report, "cut.log", "UTF-16", "truncated")
    assert [Path(h.file).name for h in report.hits] == ["cut.log"] + ["despool.log"] * 3


def catalog_with(signature: Signature) -> Namespace:
    c = Check(
        id="c-despool", prompt="?", how="look", signatures=(signature,), otherwise="clean",
        choices=(Choice("x", "Key missing", "r"), Choice("clean", "Clean", "r")),
    )
    r = Runbook(id="r", title="R", diagnosis="D", steps=(Step("do", "console", "ok"),))
    tree = Tree(id="mini", title="Mini", version=1, product="P", summary="S", start="c-despool", nodes={"c-despool": c, "r": r})
    return Namespace(trees={"mini": tree})


def test_escape_sequences_and_markup_are_shown_cleaned(tmp_path):
    nasty = tmp_path / "despool.log"
    nasty.write_bytes(
        b"\x1b]0;owned\x07\x1b[2J\x1b[31mCannot find valid public key\x1b[0m [bold red]x[/] <b>y</b>\x08\x08\r\n"
    )
    out, err = io.StringIO(), io.StringIO()
    code = cmd_scan(Namespace(paths=[str(nasty)], json=False), catalog_with(KEY.signature), out, err)
    assert code == 0
    lines = out.getvalue().split("\n\n")[0].splitlines()
    assert len(lines) == 1
    assert not any(c in out.getvalue() for c in "\x1b\x07\x08")
    assert lines[0].endswith("Cannot find valid public key [bold red]x[/] <b>y</b>")
    assert lines[0].startswith(f"{nasty}:1  mini/c-despool  no-key  - -  ")
    problems = err.getvalue().splitlines()
    assert len(problems) == 1 and "control characters" in problems[0]
    out = io.StringIO()
    cmd_scan(Namespace(paths=[str(nasty)], json=True), catalog_with(KEY.signature), out, io.StringIO())
    # JSON keeps the line exact, with the controls written as escapes.
    assert "\x1b" not in out.getvalue() and json.loads(out.getvalue())[0]["text"].startswith("\x1b]0;owned\x07")


def test_broken_zip_and_damaged_evtx(tmp_path, good):
    broken = tmp_path / "bundle.zip"
    broken.write_bytes((SAMPLES / "bundle.zip").read_bytes()[:700])
    damaged = tmp_path / "app.evtx"
    damaged.write_bytes(b"ElfFile\x00" + b"\xff" * 5000)
    report = scan([broken, damaged, good], [KEY])
    assert len(report.problems) == 2, report.problems
    assert "bundle.zip" in report.problems[0] and "zip" in report.problems[0]
    assert "app.evtx" in report.problems[1] and "evtx" in report.problems[1]
    assert len(report.hits) == 3


def test_damaged_member_inside_a_zip(tmp_path):
    bundle = tmp_path / "b.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("logs/despool.log", (SAMPLES / "despool.log").read_bytes())
        archive.writestr("logs/empty.log", b"")
        archive.writestr("logs/noise.log", bytes(range(256)) * 10)
    report = scan([bundle], [KEY])
    assert len(report.hits) == 3
    assert sorted(p.split(": ")[0] for p in report.problems) == [f"{bundle}/logs/empty.log", f"{bundle}/logs/noise.log"]


def test_malformed_event_xml_keeps_the_events_before_the_damage(tmp_path):
    xml = (SAMPLES / "opsmgr-events.xml").read_text().replace("</Events>", "<Event><broken></Events>")
    path = tmp_path / "events.xml"
    path.write_text(xml)
    probe = Probe("t", "n", Signature(id="e", means="", proposes="x", event_id=21006))
    report = scan([path], [probe])
    assert len(report.hits) == 1
    one_problem(report, "events.xml", "malformed", "line")


@pytest.mark.posix_only
def test_not_a_regular_file(tmp_path, good):
    fifo = tmp_path / "pipe.log"
    os.mkfifo(fifo)
    report = scan([fifo, good], [KEY])
    one_problem(report, "pipe.log", "not a regular file")


def test_nothing_readable_exits_2_and_nothing_found_exits_1(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert cmd_scan(Namespace(paths=[str(tmp_path / "x.log")], json=False), Namespace(trees={}), out, err) == 2
    assert out.getvalue() == "" and "no such file" in err.getvalue()
    plain = tmp_path / "plain.log"
    plain.write_text("nothing to see\n")
    out, err = io.StringIO(), io.StringIO()
    assert cmd_scan(Namespace(paths=[str(plain)], json=False), Namespace(trees={}), out, err) == 1
    assert out.getvalue() == "" and "no known signature" in err.getvalue()


def test_cancel_stops_early_and_progress_counts_bytes(tmp_path):
    for i in range(3):
        (tmp_path / f"despool{i}.log").write_bytes((SAMPLES / "despool.log").read_bytes())
    seen: list[tuple[int, int]] = []
    report = scan([tmp_path], [KEY], progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] == sum(p.stat().st_size for p in tmp_path.iterdir())
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    calls = iter(range(100))
    report = scan([tmp_path], [KEY], cancelled=lambda: next(calls) >= 3)
    assert report.cancelled and any("cancelled" in p for p in report.problems)
    assert len(report.hits) < 9


@pytest.mark.parametrize("chunk", [4 << 20, 65536, 4099])
def test_an_overlong_cmtrace_record_is_cut_and_the_records_after_it_keep_their_lines(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(scanner, "CHUNK_SIZE", chunk)
    tail = '<time="08:00:00.000+000" date="01-02-2008" component="CAS" context="" type="1" thread="1" file="x.cpp:1">'
    body = ("filler line\r\n" * 200_000).rstrip("\r\n")
    records = [
        f"<![LOG[Cannot find valid public key first]LOG]!>{tail}",
        f"<![LOG[huge record\r\n{body}]LOG]!>{tail}",
        f"<![LOG[Cannot find valid public key after]LOG]!>{tail}",
    ]
    path = tmp_path / "CAS.log"
    path.write_text("\r\n".join(records) + "\r\n")
    report = scan([path], [KEY])
    assert [h.line for h in report.hits] == [1, 200_003]
    assert report.hits[1].text.endswith("after")
    one_problem(report, "line 2", "longer than 1 MiB")
