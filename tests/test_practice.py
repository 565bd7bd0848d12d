"""Practice: the expert's answer at each node, judging a trainee's walk, the record and the class report."""

from __future__ import annotations

import json


from case_kit import _no_site_trees, catalog, run  # noqa: F401  (shared fixtures)
from wizard.core import practice
from wizard.core.cases import case_files, load_case
from wizard.core.transcript import render, transcript
from wizard.core.walk import walk

CASES = {c.id: c for c in (load_case(p).case for p in case_files())}




def trainee_walk(case, catalog, **answers):
    """A trainee who accepts every evidence proposal and answers the rest as given."""
    given = {k.replace("__", ":").replace("_", "-"): v for k, v in answers.items()}
    return walk(catalog, case.tree, answers=given, values=case.values, evidence=list(case.evidence)).session


def test_expected_choice_comes_from_the_path_the_answers_and_the_evidence(catalog):
    case = CASES["rms-failover/fab-rms-lost"]
    tree = catalog.get("rms-failover")
    assert practice.expected_choice(case, tree, "q-key-backup", catalog) == "have-key"  # on the path
    assert practice.expected_choice(case, "rms-failover", tree.nodes["c-agent-events"], catalog) == "failed-over"
    assert practice.expected_choice(case, tree, "q-new-rms", catalog) == "OPSMS02.fabrikam.local"  # a value
    back = CASES["rms-failover/fab-rms-back"]
    # Off the expert's path: a check is judged by what the case's evidence proposes there ...
    assert practice.expected_choice(back, tree, "c-lost-ms-name", catalog) == "named-in-event"
    # ... and a question nothing speaks for is not judged.
    assert practice.expected_choice(back, tree, "q-key-backup", catalog) is None


def test_a_wrong_answer_is_judged_with_the_why_of_its_question(catalog):
    case = CASES["rms-failover/fab-rms-lost"]
    session = trainee_walk(case, catalog, q_lost_ms="server-down", q_is_rms="rms", q_rms_clustered="not-clustered", q_rms_returns="lost",
                           q_key_backup="no-key")
    verdicts = [practice.judge(case, m, catalog) for m in session.moves]
    wrong = [v for v in verdicts if v.right is False]
    assert [(v.node, v.chosen, v.expected) for v in wrong] == [("q-key-backup", "no-key", "have-key")]
    assert "RMS key" in wrong[0].why
    assert all(v.why == "" for v in verdicts if v.right)
    result = practice.score(case, session)
    assert (result.right, result.wrong, result.runbook_right) == (6, 1, False)  # q-rms-clustered: like the expert
    assert result.runbook_reached == "rms-failover:rb-no-key"
    assert result.side_by_side[-1] == ("rms-failover:q-new-rms = OPSMS02.fabrikam.local", None, False)


def test_overrides_right_wrong_and_missed(catalog):
    limit = CASES["pf-backfill/outstanding-backfill-limit"]
    # The Q2 check now reads the other folders' requests itself, so following the evidence is the expert's path.
    like_expert = trainee_walk(limit, catalog, q_symptom="content", q_logging="raised")
    result = practice.score(limit, like_expert)
    assert (result.overrides_right, result.overrides_wrong, result.missed_overrides) == (0, 0, 0)
    assert result.wrong == 0 and result.runbook_right
    assert result.checks == 2 and result.checks_with_evidence == 2 and result.evidence_lines > 0
    against = trainee_walk(limit, catalog, q_symptom="content", q_logging="raised", c_q2_requests="none")
    result = practice.score(limit, against)
    assert result.overrides_wrong == 1 and result.wrong >= 1 and not result.runbook_right

    back = CASES["rms-failover/fab-rms-back"]
    stray = trainee_walk(back, catalog, c_agent_events="failed-over")
    result = practice.score(back, stray)
    assert (result.overrides_right, result.overrides_wrong) == (0, 1)
    off_path = result.verdicts[1]
    assert (off_path.node, off_path.on_expert_path, off_path.right) == ("c-lost-ms-name", False, True)


def test_time_is_measured_between_start_and_end(catalog):
    case = CASES["rms-failover/fab-rms-back"]
    session = trainee_walk(case, catalog)
    result = practice.score(case, session, started="2026-01-01T10:00:00+00:00", ended="2026-01-01T10:12:30+00:00")
    assert result.seconds == 750


def test_practice_command_records_and_the_class_report(tmp_path, catalog):
    case = CASES["rms-failover/fab-rms-lost"]
    records = tmp_path / "class"
    records.mkdir()
    moves = ["--answer", "q-lost-ms=server-down", "--answer", "q-is-rms=rms", "--answer", "q-rms-clustered=not-clustered",
             "--answer", "q-rms-returns=lost"]
    for name, backup in (("ann", "no-key"), ("bob", "no-key"), ("<script>eve</script>", "have-key")):
        code, out, err = run("practice", case.id, *moves, "--answer", f"q-key-backup={backup}",
                             "--set", "new_rms=OPSMS02.fabrikam.local", "--trainee", name,
                             "--record", str(records / f"{name[:3]}.json"))
        assert code == 0, err
    assert "You: `no-key`, expert: `have-key`" in run("practice", case.id, *moves, "--answer",
                                                      "q-key-backup=no-key")[1]
    saved = json.loads((records / "ann.json").read_text())
    assert saved["format"] == "wizard-practice-record" and saved["trainee"] == "ann"
    assert saved["score"]["wrong"] == 1 and saved["score"]["runbook_right"] is False
    (records / "junk.json").write_text("{not json")
    code, out, err = run("practice", "--report", str(records))
    assert code == 0 and "skipped" in err and "junk.json" in err
    table = [line for line in out.splitlines() if line.startswith("| Do you have a backup")]
    assert table and "| 3 | 2 | no-key (2) | have-key |" in table[0]
    first_row = out.split("|---|---|---|---|---|---|\n", 1)[1].splitlines()[0]
    assert "q-key-backup" in first_row  # the most missed question comes first
    code, page, _ = run("practice", "--report", str(records), "--format", "html")
    assert code == 0 and "<script>" not in page and "&lt;script&gt;eve" in page
    assert run("practice", "--report", str(tmp_path / "none"))[0] == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("practice", "--report", str(empty))[0] == 1


def test_practice_from_an_exported_walk_and_a_briefing(tmp_path, catalog):
    case = CASES["pf-backfill/outstanding-backfill-limit"]
    session = trainee_walk(case, catalog, q_symptom="content", q_logging="raised", c_q2_requests="other-folders")
    exported = tmp_path / "walk.json"
    exported.write_text(render(transcript(session), "json"))
    code, out, err = run("practice", str(case.folder), "--answers", str(exported), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["score"]["overrides_right"] == 0 and data["score"]["runbook_right"] is True
    code, out, _ = run("practice", case.id)
    assert code == 0 and "Projects\\Budget 2008" in out and "--answers" in out
    assert run("practice", "no-such/case")[0] == 2
    assert run("practice")[0] == 2
