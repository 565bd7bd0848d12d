"""How a check decides: files read by content, records about another object set apart, the newest state, contested
proposals with both sides; the practice cases whose one misleading line must not decide."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from content_kit import SAMPLES, load_shipped_tree
from wizard.cli import main
from wizard.core.evidence import Hit, probes_for, propose, same_object, scan, scan_text
from wizard.core.model import Check, Choice, EvidenceSpec, Signature
from wizard.core.session import Session, from_dict, to_dict
from wizard.core.yamlsafe import parse_bytes

CASES = [
    ("rms-failover", "fab-rms-down-again"),
    ("dp-stickiness", "lon-earlier-download-of-other-content"),
    ("pf-backfill", "unrelated-hierarchy-change"),
    ("key-exchange", "dal-refusals-for-retired-site"),
    ("pending-site", "dal-refusals-for-retired-site"),
    ("sender-address", "hou-failures-are-for-another-site"),
]


def read_case(folder: Path) -> dict:
    located = parse_bytes((folder / "case.yaml").read_bytes())
    assert not located.fatal
    return located.data


def case_arguments(folder: Path, case: dict, evidence: list[Path] | None = None) -> list[str]:
    """`wizard walk` arguments for a case file: its evidence, the expert's answers and values."""
    args = ["walk", case["tree"]]
    for path in evidence if evidence is not None else [folder / e for e in case.get("evidence") or ["."]]:
        args += ["--evidence", str(path)]
    for node, choice in (case.get("answers") or {}).items():
        args += ["--answer", f"{node}={choice}"]
    for name, value in (case.get("values") or {}).items():
        args += ["--set", f"{name}={value}"]
    return args + ["--format", "json"]


def walk_case(capsys, args: list[str]) -> dict:
    code = main(args)
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    return json.loads(captured.out)


def path_of(data: dict) -> list[str]:
    rows = [r for r in data["path"] if not r["link"]]
    return [f"{r['tree']}:{r['node']}: {r['choice'] or r['value']}" for r in rows]


def expected_path(case: dict) -> list[str]:
    """The case's path, less steps the shipped version of a tree does not have yet (a case may be written for the
    next version, which adds a check on the way)."""
    out = []
    for item in case["path"]:
        for key, value in item.items():
            tree_id, _, node = key.partition(":")
            if node in load_shipped_tree(tree_id).nodes:
                out.append(f"{key}: {value}")
    assert len(case["path"]) - len(out) <= 1, "more than one step of the case is missing from the tree"
    return out


def row(data: dict, node: str) -> dict:
    return next(r for r in data["path"] if r["node"] == node)


# --------------------------------------------------------------------------------------------- practice cases


@pytest.mark.parametrize(("tree_id", "name"), CASES, ids=[f"{t}/{c}" for t, c in CASES])
def test_case_walks_to_its_runbook_along_its_path(capsys, tree_id, name):
    folder = SAMPLES / tree_id / name
    case = read_case(folder)
    assert case["case"] == 1 and case["tree"] == tree_id
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "misleading line" in readme and "cannot answer" in readme
    data = walk_case(capsys, case_arguments(folder, case))
    assert data["status"] == "runbook"
    assert f"{data['tree']}:{data['node']}" == case["runbook"]
    assert path_of(data) == expected_path(case)


def test_second_outage_after_a_recovery_is_failing_now(capsys):
    folder = SAMPLES / "rms-failover" / "fab-rms-down-again"
    data = walk_case(capsys, case_arguments(folder, read_case(folder)))
    events = row(data, "c-agent-events")
    assert events["proposed"] == "failed-over" and not events["contested"]
    decided = [c for c in events["evidence"] if c["role"] == "decided"]
    assert [c["time"] for c in decided] == ["2008-11-06 06:02:14"]
    other = {c["signature"] for c in events["evidence"] if c["role"] == "other side"}
    assert "sig-21019-primary-back" in other


def test_earlier_download_of_other_content_is_only_the_other_side(capsys):
    folder = SAMPLES / "dp-stickiness" / "lon-earlier-download-of-other-content"
    data = walk_case(capsys, case_arguments(folder, read_case(folder)))
    logs = row(data, "c-client-logs")
    assert logs["proposed"] == "retrying-dead-dp"
    assert [c["signature"] for c in logs["evidence"] if c["role"] == "other side"] == ["sig-download-complete"]
    assert all(c["time"] > "2014-03-14 07" for c in logs["evidence"] if c["role"] == "decided")
    assert data["values"]["dead_dp_host"] == "CMDP01"


def test_unrelated_hierarchy_change_is_not_about_the_followed_folder(capsys):
    folder = SAMPLES / "pf-backfill" / "unrelated-hierarchy-change"
    data = walk_case(capsys, case_arguments(folder, read_case(folder)))
    q1 = row(data, "c-q1-knows")
    assert q1["proposed"] == "unknown"
    apart = [c for c in q1["evidence"] if c["role"] == "not about this"]
    assert [c["signature"] for c in apart] == ["incoming-hierarchy-change"]
    reads = {Path(f["file"]).name: f for f in q1["files"]}
    assert reads["munich-app.txt"]["read"] and not reads["frankfurt-app.txt"]["read"]
    assert "EXFRA01" in reads["frankfurt-app.txt"]["why"] and "EXMUC01" in reads["frankfurt-app.txt"]["why"]


# --------------------------------------------------------------------------------------------- the reproductions through propose()


def proposal_for(tree_id: str, node_id: str, folder: Path, known: dict[str, str] | None = None, **changes):
    tree = load_shipped_tree(tree_id)
    check = tree.nodes[node_id]
    if changes:
        check = replace(check, **changes)
    report = scan([folder], probes_for([tree]))
    return propose(check, report.hits, tree_id, known=known or {}, files=report.files)


def test_rms_reproduction_needs_the_newest_rule():
    folder = SAMPLES / "rms-failover" / "fab-rms-down-again"
    assert proposal_for("rms-failover", "c-agent-events", folder).choice == "failed-over"
    assert proposal_for("rms-failover", "c-agent-events", folder, decide="any").choice == "primary-back"


def test_dp_reproduction_needs_the_newest_rule():
    folder = SAMPLES / "dp-stickiness" / "lon-earlier-download-of-other-content"
    proposal = proposal_for("dp-stickiness", "c-client-logs", folder)
    assert proposal.choice == "retrying-dead-dp" and proposal.rule == "newest"
    assert [h.signature for h in proposal.other_side] == ["sig-download-complete"]
    assert proposal_for("dp-stickiness", "c-client-logs", folder, decide="any").choice == "downloading"


def test_dp_client_that_moved_on_to_a_second_dead_dp_still_counts_as_moved_on():
    folder = SAMPLES / "dp-stickiness" / "lon-moved-on-to-second-dead-dp"
    proposal = proposal_for("dp-stickiness", "c-client-logs", folder)
    assert proposal.choice == "moved-on" and proposal.contested
    assert any(h.signature == "sig-send-failed" and "CMDP02" in h.text for h in proposal.other_side)
    pinned = proposal_for("dp-stickiness", "c-client-logs", folder, {"dead_dp_host": "cmdp02"})
    assert pinned.choice == "retrying-dead-dp" and not pinned.contested
    assert all("CMDP02" not in h.text for h in pinned.not_about)


PF_KNOWN = {"folder": "Engineering\\Drawings Archive", "lacking_server": "EXMUC01", "source_server": "EXFRA01"}


def test_pf_reproduction_needs_the_scope():
    folder = SAMPLES / "pf-backfill" / "unrelated-hierarchy-change"
    assert proposal_for("pf-backfill", "c-q1-knows", folder, PF_KNOWN).choice == "unknown"
    unscoped = proposal_for("pf-backfill", "c-q1-knows", folder, PF_KNOWN, scope=())
    assert unscoped.choice == "knows"


def replication_event(computer: str, direction: str, kind: str, folder: str, peer: str, when: str = "10:00:00 AM") -> str:
    verb = "An outgoing replication message was issued." if direction == "out" else (
        "An incoming replication message was processed.")
    return (
        "Event Type:\tInformation\nEvent Source:\tMSExchangeIS Public Store\nEvent Category:\tReplication\n"
        f"Event ID:\t3021\nDate:\t\t3/13/2007\nTime:\t\t{when}\nUser:\t\tN/A\nComputer:\t{computer}\nDescription:\n"
        f"{verb}\n\nType: {kind}\nMessage ID: <1A2B@{computer}.corp.contoso.com>\n"
        f"Folder: (2-4C1E) IPM_SUBTREE\\{folder}\nDatabase \"First Storage Group\\Public Folder Store ({computer})\"\n"
        f"Server: /O=Contoso/OU=First Administrative Group/cn=Configuration/cn=Servers/cn={peer}/cn=Microsoft Public MDB"
        "\n\n"
    )


PF_Q34 = {"folder": "Sales\\Price Lists", "lacking_server": "EXBR02", "source_server": "EXHQ01", "backfill_target": "EXHQ01"}


@pytest.mark.parametrize(
    ("node", "event", "expected"),
    [
        # question 3: the target answered a request of another server about another folder: not an answer for us
        ("c-q3-answers", replication_event("EXHQ01", "out", "0x80000004", "Marketing\\Events", "EXBR07"), "not-logged"),
        ("c-q3-answers", replication_event("EXHQ01", "out", "0x80000004", "Sales\\Price Lists", "EXBR02"), "answered"),
        # question 4: a backfill response for another folder from another server does not satisfy our request
        ("c-q4-received", replication_event("EXBR02", "in", "0x80000004", "HR\\Policies", "EXHQ09"), "not-logged"),
        ("c-q4-received", replication_event("EXBR02", "in", "0x80000004", "Sales\\Price Lists", "EXHQ01"), "logged"),
        # question 1: an incoming content change for another folder does not tell the store about ours
        ("c-q1-knows", replication_event("EXBR02", "in", "0x4", "HR\\Policies", "EXHQ09"), "unknown"),
        ("c-q1-knows", replication_event("EXBR02", "in", "0x4", "Sales\\Price Lists", "EXHQ01"), "knows"),
    ],
)
def test_pf_questions_3_and_4_have_no_gap_either(node, event, expected):
    tree = load_shipped_tree("pf-backfill")
    report = scan_text(event, probes_for([tree]))
    proposal = propose(tree.nodes[node], report.hits, "pf-backfill", known=PF_KNOWN | PF_Q34)
    assert proposal.choice == expected
    if expected in ("not-logged", "unknown"):
        assert proposal.not_about and not proposal.hits


def test_pf_cases_walk_with_their_files_renamed_to_neutral_names(capsys, tmp_path):
    """The servers are told apart by the Computer of their events, never by the names of the files."""
    common = ["--answer", "q-symptom=content", "--answer", "q-logging=raised"]
    runs = {
        "responses-lost-in-transit": (
            ["folder=Sales\\Price Lists", "lacking_server=EXBR02", "source_server=EXHQ01"],
            ["q-q4-tracking=stuck"], "rb-q4-response-lost"),
        "status-request-ignored-sp1": (
            ["folder=Engineering\\Drawings Archive", "lacking_server=EXMUC01", "source_server=EXFRA01"],
            ["q-q1-service-pack=sp1"], "rb-q1-give-status-sp1"),
        "gap-in-normal-replication": (
            ["folder=HR\\Policies", "lacking_server=EXHQ02", "source_server=EXHQ01", "requests_sent=0",
             "start_hour=16", "start_minute=40"],
            ["q-q2-forced=not-yet", "q-q2-new-replica=normal-replication", "q-q2-same-rg=same"], "rb-q2-wait"),
        "outstanding-backfill-limit": (
            ["folder=Projects\\Budget 2008", "lacking_server=EXBR05", "source_server=EXHQ01"], [], "rb-q2-obl"),
        "unrelated-hierarchy-change": (
            ["folder=Engineering\\Drawings Archive", "lacking_server=EXMUC01", "source_server=EXFRA01"],
            ["q-q1-service-pack=sp1"], "rb-q1-give-status-sp1"),
    }
    assert set(runs) == {p.name for p in (SAMPLES / "pf-backfill").iterdir() if p.is_dir()}
    for name, (values, answers, runbook) in runs.items():
        original = SAMPLES / "pf-backfill" / name
        renamed = tmp_path / name
        renamed.mkdir()
        logs = sorted(p for p in original.iterdir() if p.suffix in (".txt", ".csv"))
        for number, path in enumerate(logs, 1):
            shutil.copy(path, renamed / f"app{number}.txt")
        args = ["walk", "pf-backfill", "--evidence", str(renamed), *common, "--format", "json"]
        args += [a for v in values for a in ("--set", v)] + [a for v in answers for a in ("--answer", v)]
        walked = walk_case(capsys, args)
        args[3] = str(original)
        as_named = walk_case(capsys, args)
        assert walked["node"] == runbook == as_named["node"], name
        assert path_of(walked) == path_of(as_named), name


# --------------------------------------------------------------------------------------------- the rules


def check(decide: str = "any", scope: tuple[tuple[str, str], ...] = (), kind: str = "log") -> Check:
    return Check(
        id="c", prompt="?", how="look",
        evidence=EvidenceSpec(kind=kind, files=("despool.lo?",)),
        signatures=(
            Signature(id="fine", means="", proposes="fine", literal="recovered"),
            Signature(id="broken", means="", proposes="broken", regex="failed for (?P<host>\\w+)"),
            Signature(id="slow", means="", proposes="slow", literal="slow"),
        ),
        otherwise="fine", scope=scope, decide=decide,
        choices=(Choice("fine", "Fine", "r"), Choice("broken", "Broken", "r"), Choice("slow", "Slow", "r")),
    )


def hit(signature: str, line: int, time: str, file: str = "a.log", **captures: str) -> Hit:
    return Hit("t", "c", signature, file, line, time, "", f"line {line}", dict(captures))


def test_newest_rule_failure_after_recovery_is_failing_now():
    hits = [hit("broken", 1, "2009-01-01 10:00:00"), hit("fine", 2, "2009-01-01 11:00:00"),
            hit("slow", 3, "2009-01-01 12:00:00")]
    newest = propose(check("newest"), hits)
    assert newest.choice == "slow" and [h.line for h in newest.hits] == [3]
    assert {h.line for h in newest.other_side} == {1, 2} and not newest.contested
    assert propose(check("any"), hits).choice == "fine"


def test_newest_rule_orders_by_time_not_by_file_order():
    hits = [hit("fine", 1, "2009-01-01 12:00:00"), hit("broken", 2, "2009-01-01 09:00:00")]
    assert propose(check("newest"), hits).choice == "fine"


def test_lines_without_a_time_keep_their_place_in_the_file():
    hits = [hit("broken", 1, "2009-01-01 09:00:00"), hit("fine", 2, ""), hit("slow", 3, "")]
    assert propose(check("newest"), hits).choice == "slow"


def test_two_objects_ending_in_different_states_are_contested():
    hits = [hit("broken", 1, "2009-01-01 09:00:00", host="dp1"), hit("fine", 2, "2009-01-01 09:05:00"),
            hit("broken", 3, "2009-01-01 09:10:00", host="dp2"), hit("slow", 4, "2009-01-01 09:11:00")]
    proposal = propose(check("newest", scope=(("host", "dead_host"),)), hits)
    assert proposal.contested and proposal.choice == "fine"
    assert {h.line for h in proposal.hits} == {2} and {3, 4} <= {h.line for h in proposal.other_side}
    pinned = propose(check("newest", scope=(("host", "dead_host"),)), hits, known={"dead_host": "DP2"})
    assert pinned.choice == "broken" and not pinned.contested
    assert [h.line for h in pinned.not_about] == [1, 2]


def test_records_of_the_same_moment_that_disagree_are_contested():
    hits = [hit("broken", 1, "2009-01-01 09:00:00"), hit("fine", 2, "2009-01-01 09:00:00")]
    proposal = propose(check("newest"), hits)
    assert proposal.contested and proposal.choice == "fine"


def test_a_disagreeing_capture_is_not_about_this_and_says_why():
    hits = [hit("broken", 1, "2009-01-01 09:00:00", host="exhq01")]
    proposal = propose(check(scope=(("host", "server"),)), hits, known={"server": "EXBR02"})
    assert proposal.choice == "fine" and proposal.signature is None
    assert proposal.why_not_about(proposal.not_about[0]) == "about exhq01, not EXBR02 (server)"
    assert propose(check(scope=(("host", "server"),)), hits, known={"server": "EXHQ01.corp.contoso.com"}).choice == "broken"
    assert propose(check(scope=(("host", "server"),)), hits, known={}).choice == "broken"


def test_captures_of_known_scope_values_do_not_overwrite_the_walk():
    hits = [hit("broken", 1, "", host="EXHQ01.corp.contoso.com")]
    scoped = check(scope=(("host", "host"),))
    assert propose(scoped, hits, known={"host": "exhq01"}).captures == {}
    assert propose(scoped, hits).captures == {"host": "EXHQ01.corp.contoso.com"}


@pytest.mark.parametrize(
    ("found", "known", "same"),
    [
        ("IPM_SUBTREE\\Sales\\Price Lists", "Sales\\Price Lists", True),
        ("ipm_subtree/sales/price lists ", "\\Sales\\Price  Lists", True),
        ("IPM_SUBTREE", "IPM_SUBTREE", True),
        ("IPM_SUBTREE", "Sales\\Price Lists", False),
        ("IPM_SUBTREE\\Sales\\Price Lists 2", "Sales\\Price Lists", False),
        ("EXHQ01", "exhq01.corp.contoso.com", True),
        ("EXHQ01", "EXHQ011", False),
        ("cmdp01.corp.contoso.com", "cmdp01.fabrikam.com", False),
        ("DAL", "dal", True),
    ],
)
def test_same_object(found, known, same):
    assert same_object(found, known) is same


def test_files_are_read_by_what_they_hold_not_by_their_names(tmp_path):
    (tmp_path / "source-EXHQ01.txt").write_text(
        "Waiting for ready instruction file....~  $$<SMS_DESPOOLER><03-10-2009 10:00:02.511+300><thread=1>\n"
        "install failed for dal01~  $$<SMS_DESPOOLER><03-10-2009 10:01:02.511+300><thread=1>\n"
    )
    (tmp_path / "notes.txt").write_text("the help desk says: install failed for dal02\n")
    (tmp_path / "README.md").write_text("# Case\n\nThe line `install failed for dal03` is the clue.\n")
    (tmp_path / "case.yaml").write_text("case: 1\ntree: t\nnotes: |\n  install failed for dal04 misleads\n")
    c = check()
    probes = [p for p in probes_for_check(c)]
    report = scan([tmp_path], probes)
    proposal = propose(c, report.hits, known={}, files=report.files)
    reads = {Path(f.file).name: f for f in proposal.files}
    assert reads["source-EXHQ01.txt"].read and "ConfigMgr/SMS log" in reads["source-EXHQ01.txt"].why
    assert not reads["README.md"].read and "not evidence" in reads["README.md"].why
    assert not reads["case.yaml"].read and "not evidence" in reads["case.yaml"].why
    assert reads["notes.txt"].read and "match" in reads["notes.txt"].why
    assert {h.captures["host"] for h in proposal.hits} == {"dal01", "dal02"}


def probes_for_check(c: Check):
    from wizard.core.evidence import Probe

    return [Probe("t", c.id, sig) for sig in c.signatures]


def test_an_event_file_of_another_computer_is_skipped_as_a_whole(tmp_path):
    tree = load_shipped_tree("pf-backfill")
    (tmp_path / "one.txt").write_text(replication_event("EXHQ01", "in", "0x4", "Sales\\Price Lists", "EXHQ09"))
    report = scan([tmp_path], probes_for([tree]))
    proposal = propose(tree.nodes["c-q1-knows"], report.hits, "pf-backfill", known=PF_Q34, files=report.files)
    (note,) = proposal.files
    assert not note.read and "EXHQ01" in note.why and "lacking_server" in note.why
    assert proposal.choice == "unknown" and not proposal.hits and not proposal.not_about


@pytest.mark.parametrize(
    "stamp",
    ["", "not a time", "9999-99-99 99:99:99", "2009-01-01T10:00:00\x1b[31m", "\u202e2009-01-01 10:00:00", "1" * 5000],
)
def test_hostile_times_and_captures_do_not_break_the_rule(stamp):
    hits = [hit("broken", 1, stamp, host="\x1b]0;x\x07" + "a" * 10000), hit("fine", 2, "2009-01-01 10:00:00", "b.log")]
    proposal = propose(check("newest", scope=(("host", "host"),)), hits, known={"host": "\u202eb"})
    assert proposal.choice == "fine" and len(proposal.not_about) == 1
    assert len(proposal.why_not_about(proposal.not_about[0])) < 200


def test_proposal_roles_and_contested_survive_saving(tmp_path):
    from wizard.core.catalog import load_catalog
    from wizard.core.walk import walk

    catalog = load_catalog()
    folder = SAMPLES / "dp-stickiness" / "lon-moved-on-to-second-dead-dp"
    outcome = walk(catalog, "dp-stickiness", answers={"q-version": "cm-2007-2012"}, evidence=[folder])
    move = next(m for m in outcome.session.moves if m.node == "c-client-logs")
    assert {c.role for c in move.evidence} == {"decided", "other side"} and move.files
    loaded = from_dict(json.loads(json.dumps(to_dict(outcome.session))), catalog).session
    again = next(m for m in loaded.moves if m.node == "c-client-logs")
    assert again.evidence == move.evidence and again.files == move.files and again.contested == move.contested
    assert isinstance(loaded, Session)


def test_contested_proposal_shows_both_sides_in_the_walk_json_and_markdown(capsys):
    folder = SAMPLES / "dp-stickiness" / "lon-moved-on-to-second-dead-dp"
    args = ["walk", "dp-stickiness", "--evidence", str(folder), "--answer", "q-version=cm-2007-2012"]
    data = walk_case(capsys, [*args, "--format", "json"])
    logs = row(data, "c-client-logs")
    assert logs["contested"] and logs["proposed"] == "moved-on"
    assert {"decided", "other side"} <= {c["role"] for c in logs["evidence"]}
    assert all(c["time"] for c in logs["evidence"])
    assert main([*args, "--format", "md"]) == 0
    text = capsys.readouterr().out
    assert "**Contested:** the evidence points two ways" in text and "   - Other side:" in text
