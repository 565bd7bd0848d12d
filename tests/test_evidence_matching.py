"""Matching: per record, literal and regex signatures, the prefilter, caps, proposals and display cleaning."""

from __future__ import annotations

import re

import pytest
import re2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wizard.core.evidence.logs as logs
import wizard.core.evidence.scanner as scanner
from wizard.core.evidence import Hit, Probe, clean, probes_for, propose, scan, scan_text
from wizard.core.evidence.matcher import relax_assertions
from wizard.core.model import Check, Choice, EvidenceSpec, Question, Runbook, Signature, Step, Tree


def probe(sig_id: str, node: str = "n", tree: str = "t", **matcher: object) -> Probe:
    return Probe(tree, node, Signature(id=sig_id, means="", proposes=sig_id, **matcher))  # type: ignore[arg-type]


def legacy(message: str, n: int = 1) -> str:
    return f"{message}  $$<SMS_DESPOOLER><07-29-2008 12:{n % 60:02d}:00.000+240><thread=1 (0x1)>"


def test_literal_is_case_sensitive_unless_declared():
    text = legacy("Cannot find a PUBLIC key for instruction")
    plain = probe("plain", literal="public key")
    folded = probe("folded", literal="public key", ignore_case=True)
    assert [h.signature for h in scan_text(text, [plain, folded]).hits] == ["folded"]


def test_regex_groups_are_captured_and_unmatched_groups_left_out():
    rx = probe("rx", regex=r"site (?P<site_code>[A-Z0-9]{3})(?: via (?P<via>\w+))?")
    hit = scan_text(legacy("instruction coming from site S02~"), [rx]).hits[0]
    assert hit.captures == {"site_code": "S02"}


def test_regex_ignore_case():
    rx = probe("rx", regex=r"cannot find (valid )?public key", ignore_case=True)
    assert len(scan_text(legacy("Cannot find valid Public Key"), [rx]).hits) == 1


def test_anchors_refer_to_the_message_of_a_legacy_line():
    start = probe("start", regex=r"^Cannot connect to server (?P<server>\S+)")
    end = probe("end", regex=r"requests\.~$")
    word = probe("word", regex=r"\bserver\b")
    hits = scan_text(legacy("Cannot connect to server SEC01 at remote site S02, send requests.~"), [start, end, word]).hits
    assert [h.signature for h in hits] == ["start", "end", "word"]
    assert hits[0].captures == {"server": "SEC01"}


def test_one_hit_per_probe_per_record_and_every_probe_reported():
    text = legacy("key key key")
    hits = scan_text(text, [probe("a", literal="key"), probe("b", regex="k.y")]).hits
    assert [(h.signature, h.line) for h in hits] == [("a", 1), ("b", 1)]


def test_event_id_signatures_do_not_match_log_lines():
    assert scan_text(legacy("event 21006 happened"), [probe("e", event_id=21006)]).hits == []


def test_bad_regexes_are_reported_and_the_rest_still_scan():
    probes = [
        probe("bad", regex="(unclosed"),
        probe("backref", regex=r"(a)\1"),
        probe("empty", regex="x*"),
        probe("good", literal="Cannot find"),
    ]
    report = scan_text(legacy("Cannot find a public key"), probes)
    assert [h.signature for h in report.hits] == ["good"]
    assert len(report.problems) == 3
    assert any("bad" in p and "RE2" in p for p in report.problems)
    assert any("empty" in p and "every record" in p for p in report.problems)


@pytest.mark.parametrize(
    "pattern, relaxed",
    [
        (r"^abc$", "abc"),
        (r"\Afoo\z", "foo"),
        (r"\bword\B", "word"),
        (r"[$^]x", r"[$^]x"),
        (r"[^]^]y$", r"[^]^]y"),
        (r"a\$b\^c", r"a\$b\^c"),
        (r"\Q^$\E$", r"\Q^$\E"),
        (r"[[:alpha:]^]+$", r"[[:alpha:]^]+"),
        (r"(^|,)x", r"(|,)x"),
    ],
)
def test_relaxing_removes_only_assertions(pattern, relaxed):
    assert relax_assertions(pattern) == relaxed


@pytest.mark.parametrize(
    "pattern", [r"^Cannot \w+$", r"\bsite\b", r"(?m)^x", r"[^a]$", r"\Q^\E", r"^(?P<a>[A-Z]{3})\b"]
)
def test_relaxed_pattern_matches_wherever_the_original_does(pattern):
    relaxed = re2.compile(relax_assertions(pattern))
    original = re2.compile(pattern)
    for text in ["Cannot find", "x site y", "site", "x", "^", "ABC DEF", "ba", "abc"]:
        if original.search(text):
            assert relaxed.search(text), (pattern, text)


WORDS = ["key", "site", "Cannot", "find", "public", "S02", "retry", "~", "$$", "<", "é", "ü", " ", "  ", "0x8"]


def naive(lines: list[str], literals: list[tuple[str, bool]]) -> list[tuple[int, int]]:
    out = []
    for number, line in enumerate(lines, start=1):
        at = line.rfind("$$<")
        message = line[:at].rstrip() if at >= 0 else line
        for index, (literal, fold) in enumerate(literals):
            found = literal.lower() in message.lower() if fold else literal in message
            if found:
                out.append((number, index))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.lists(st.sampled_from(WORDS), max_size=8).map("".join), min_size=1, max_size=40),
    literals=st.lists(
        st.tuples(st.lists(st.sampled_from(WORDS[:7]), min_size=1, max_size=2).map(" ".join), st.booleans()),
        min_size=1,
        max_size=4,
    ),
    tails=st.booleans(),
    chunk=st.sampled_from([16, 61, 4096]),
)
def test_fast_scan_agrees_with_a_line_by_line_reading(tmp_path_factory, monkeypatch, lines, literals, tails, chunk):
    """Prefilter, chunk boundaries and worker threads must find exactly what a naive reading finds."""
    monkeypatch.setattr(scanner, "CHUNK_SIZE", chunk)
    monkeypatch.setattr(scanner, "SNIFF_SIZE", chunk)
    monkeypatch.setattr(logs, "_PARALLEL_MIN", 8)
    monkeypatch.setattr(logs, "_COUNT_STEP", 7)
    monkeypatch.setattr(scanner, "WORKERS", 2)
    body = [legacy(line, i) if tails else line.replace("$$", "") for i, line in enumerate(lines)]
    if not tails:
        body = [line.replace("<![LOG[", "") for line in body]
    path = tmp_path_factory.mktemp("fast") / "despool.log"
    path.write_text("\r\n".join(body) + "\r\n", encoding="utf-8")
    probes = [probe(f"p{i}", literal=lit, ignore_case=fold) for i, (lit, fold) in enumerate(literals)]
    report = scan([path], probes)
    got = sorted((h.line, int(h.signature[1:])) for h in report.hits)
    assert got == sorted(naive(body, literals))


def test_utf16_file_scans_the_same_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(scanner, "CHUNK_SIZE", 33)
    monkeypatch.setattr(scanner, "SNIFF_SIZE", 33)
    lines = [legacy(f"line {i} ü" + (" Cannot find valid public key" if i % 7 == 0 else ""), i) for i in range(60)]
    text = "\r\n".join(lines) + "\r\n"
    (tmp_path / "u16.log").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    (tmp_path / "u8.log").write_bytes(text.encode("utf-8"))
    lit = probe("k", literal="Cannot find valid public key")
    u16 = [(h.line, h.text) for h in scan([tmp_path / "u16.log"], [lit]).hits]
    u8 = [(h.line, h.text) for h in scan([tmp_path / "u8.log"], [lit]).hits]
    assert u16 == u8 and [line for line, _ in u8] == list(range(1, 61, 7))


def test_cmtrace_across_tiny_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(scanner, "CHUNK_SIZE", 10)
    monkeypatch.setattr(scanner, "SNIFF_SIZE", 10)
    records = "\r\n".join(
        f'<![LOG[record {i}\r\nsecond line {i}]LOG]!><time="08:00:0{i % 10}.000+000" date="01-02-2008" '
        f'component="CAS" context="" type="1" thread="1" file="x.cpp:1">'
        for i in range(12)
    )
    (tmp_path / "CAS.log").write_text(records + "\r\n")
    rx = probe("r", regex=r"record (?P<n>\d+)\s+second line")
    hits = scan([tmp_path / "CAS.log"], [rx]).hits
    assert [h.line for h in hits] == [1 + 2 * i for i in range(12)]
    assert [h.captures["n"] for h in hits] == [str(i) for i in range(12)]


def test_a_signature_matching_too_often_is_capped_and_reported(tmp_path):
    path = tmp_path / "despool.log"
    path.write_text("\n".join(legacy(f"Waiting for ready instruction file {i}", i) for i in range(250)) + "\n")
    other = probe("other", literal="file 249")
    report = scan([path], [probe("busy", literal="Waiting for ready"), other])
    busy = [h for h in report.hits if h.signature == "busy"]
    assert len(busy) == scanner.HIT_CAP and busy[-1].line == scanner.HIT_CAP
    assert [h.line for h in report.hits if h.signature == "other"] == [250]
    assert any("busy" in p and f"matched {scanner.HIT_CAP} records" in p for p in report.problems)


# ------------------------------------------------------------------------------------------------ proposals

def check(signatures: list[Signature], files: tuple[str, ...] = ()) -> Check:
    return Check(
        id="c",
        prompt="?",
        how="look",
        evidence=EvidenceSpec(kind="log", files=files),
        signatures=tuple(signatures),
        otherwise="clean",
        choices=(Choice("bad", "Bad", "r"), Choice("worse", "Worse", "r"), Choice("clean", "Clean", "r")),
    )


def hit(signature: str, file: str = "despool.log", line: int = 3, text: str = "t", **captures: str) -> Hit:
    return Hit("t", "c", signature, file, line, "", "", text, dict(captures))


SIGS = [
    Signature(id="first", means="", proposes="worse", literal="a"),
    Signature(id="second", means="", proposes="bad", literal="b"),
]


def test_proposal_follows_the_checks_signature_order_not_the_hit_order():
    proposal = propose(check(SIGS), [hit("second", site="S01"), hit("first", site="S02"), hit("first", x="1")])
    assert proposal.choice == "worse" and proposal.signature == "first"
    assert [h.captures for h in proposal.hits] == [{"site": "S02"}, {"x": "1"}]
    assert proposal.captures == {"site": "S02", "x": "1"}


def test_no_hit_proposes_otherwise():
    proposal = propose(check(SIGS), [Hit("t", "other-node", "first", "f", 1, "", "", "t", {})])
    assert proposal.choice == "clean" and proposal.signature is None and proposal.hits == []


def test_hits_of_other_trees_can_be_left_out():
    assert propose(check(SIGS), [hit("first")], tree="elsewhere").choice == "clean"
    assert propose(check(SIGS), [hit("first")], tree="t").choice == "worse"


def test_a_check_that_names_its_files_reads_other_names_too():
    """File names are a hint for the operator, never a gate: content decides what a check reads."""
    named = check(SIGS, files=("lacking*.txt", "despool.lo?"))
    assert propose(named, [hit("first", file="/x/source-EX01.txt")]).choice == "worse"
    assert propose(named, [hit("first", file="/x/renamed.txt")], any_file=True).choice == "worse"


def test_file_signature_hits_count_by_the_matching_files_name():
    folder = check(SIGS, files=("*.ins",))
    found = hit("first", file="/bundle", line=0, text="C:\\inboxes\\despoolr.box\\receive\\ds_1.ins")
    assert propose(folder, [found]).choice == "worse"


def test_probes_for_takes_every_signature_of_every_check_in_order():
    c = check(SIGS)
    tree = Tree(
        id="t", title="T", version=1, product="P", summary="S", start="q",
        nodes={
            "q": Question(id="q", prompt="?", how="h", choices=(Choice("go", "Go", "c"),)),
            "c": c,
            "r": Runbook(id="r", title="R", diagnosis="D", steps=(Step("do", "console", "ok"),)),
        },
    )
    probes = probes_for([tree])
    assert [(p.tree, p.node, p.signature.id) for p in probes] == [("t", "c", "first"), ("t", "c", "second")]


# ------------------------------------------------------------------------------------------------ display

@pytest.mark.parametrize(
    "raw, shown",
    [
        ("plain text", "plain text"),
        ("\x1b[31mred\x1b[0m alert", "red alert"),
        ("title\x1b]0;pwned\x07 after", "title after"),
        ("link \x1b]8;;http://x\x1b\\here\x1b]8;;\x1b\\", "link here"),
        ("tab\there\r\nnext\x00line\x7f", "tab here nextline"),
        ("c1 \x9b31m csi and \x85 nel", "c1  csi and  nel"),
        ("bidi \u202egnp.exe\u202c", "bidi gnp.exe"),
        ("[bold]markup[/bold] <b>stays</b>", "[bold]markup[/bold] <b>stays</b>"),
    ],
)
def test_clean(raw, shown):
    assert clean(raw) == shown
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", clean(raw))


def test_the_report_names_every_file_met_in_folders_and_zips(tmp_path):
    import zipfile

    from wizard.core.evidence import scan

    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "A1.INS").write_bytes(b"")
    (tmp_path / "despool.log").write_text("nothing\n")
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as archive:
        archive.writestr("logs/sender.log", "nothing\n")
    report = scan([tmp_path], [])
    assert {"a1.ins", "despool.log", "sender.log"} <= set(report.names)
