"""The one engine for what comes next: known values are not asked, evidence counts everywhere, values are checked
where they enter, and runbook steps follow the answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from model_trees import catalog
from wizard.core.catalog import load_catalog
from wizard.core.flow import EvidenceBook, pending, read_book, settle
from wizard.core.render import runbook_markdown, shown_steps
from wizard.core.session import AnswerError, Session, from_dict, to_dict
from wizard.core.walk import WalkError, walk

SAMPLES = Path(__file__).parent.parent / "samples"


@pytest.fixture(scope="module")
def shipped():
    return load_catalog()


def test_a_value_only_question_whose_value_is_known_is_answered_by_the_walk_itself():
    session = Session.start(catalog(), "door", values={"site_code": "S01"})
    assert session.node_id == "q-power"
    assert session.moves[0].auto and not session.moves[0].by_operator
    assert pending(session).kind == "question"


def test_back_skips_over_steps_the_walk_took_itself():
    session = Session.start(catalog(), "door", values={"site_code": "S01"}).answer("yes")
    assert session.node_id == "c-log"
    back = session.back()
    assert back.node_id == "q-power" and [m.node for m in back.moves] == ["q-site"]
    assert back.back().node_id == "q-power"


def test_going_back_to_a_typed_value_offers_the_value_given_before():
    session = Session.start(catalog(), "door").answer(value="S01")
    assert session.node_id == "q-power"
    back = session.back()
    step = pending(back)
    assert step.kind == "value" and step.prefill == "S01" and "before" in step.prefill_source
    assert not step.from_evidence


def test_an_auto_answer_survives_save_and_resume():
    session = Session.start(catalog(), "door", values={"site_code": "S01"}).answer("yes")
    loaded = from_dict(to_dict(session), catalog())
    assert not loaded.warnings
    assert loaded.session.node_id == "c-log"
    assert [m.auto for m in loaded.session.moves] == [True, False]


def test_values_are_normalised_and_range_checked_where_they_enter(shipped):
    session = Session.start(shipped, "key-exchange", "q-child-site-code")
    assert session.answer(value=" dal ").values["site_code"] == "DAL"
    retries = Session.start(shipped, "key-exchange", "q-retries-counted")
    with pytest.raises(AnswerError, match="from 0 to 100"):
        retries.answer(value="150")
    with pytest.raises(WalkError, match="from 0 to 100"):
        walk(shipped, "key-exchange", values={"retries_counted": "150"})


def test_set_with_a_name_no_question_asks_for_is_an_error_with_a_suggestion(shipped):
    with pytest.raises(WalkError, match="did you mean 'site_code'"):
        walk(shipped, "key-exchange", values={"site_cod": "DAL"})


def test_answer_on_a_value_question_says_to_use_set():
    with pytest.raises(WalkError, match="--set site_code=VALUE"):
        walk(catalog(), "door", answers={"q-site": "S01"})


def test_evidence_given_once_answers_checks_in_a_linked_tree(shipped):
    case = SAMPLES / "pending-site" / "dal-pending-keys-refused"
    if not case.is_dir():
        pytest.skip("practice case not shipped")
    answers = {
        "q-install-finished": "finished",
        "q-components-working": "working",
        "c-despooler-status": "none",
        "q-retry-evidence": "count",
    }
    outcome = walk(shipped, "pending-site", evidence=[str(case)], answers=answers, values={"retries_counted": "12", "child_install_dir": "C:\\SMS", "parent_install_dir": "C:\\SMS"})
    crossed = [m for m in outcome.session.moves if m.tree == "key-exchange" and m.by_operator]
    assert crossed, "the walk never reached the linked tree"
    assert crossed[0].proposed is not None and crossed[0].evidence
    assert outcome.session.values["site_code"] == "DAL"
    assert "q-child-site-code" in [m.node for m in outcome.session.moves if m.auto]


def test_a_value_the_evidence_gave_is_not_asked(shipped):
    book = read_book([SAMPLES / "key-exchange" / "dal-keys-never-exchanged"], shipped)
    session = Session.start(shipped, "key-exchange", "q-child-site-code")
    settled = settle(session, book)
    assert settled.node_id != "q-child-site-code"
    assert settled.values["site_code"] == "DAL"
    assert settled.moves[-1].auto and settled.moves[-1].evidence


def test_a_check_with_evidence_comes_up_with_its_proposal_preselected(shipped):
    book = read_book([SAMPLES / "key-exchange" / "dal-keys-never-exchanged"], shipped)
    step = pending(Session.start(shipped, "key-exchange", "c-despool-key-errors"), book)
    assert step.kind == "check" and step.preselect == "key-missing"
    assert step.reading is not None and step.reading.hits


def test_a_check_the_evidence_does_not_cover_proposes_nothing(shipped):
    step = pending(Session.start(shipped, "key-exchange", "c-despool-key-errors"), EvidenceBook())
    assert step.reading is not None and step.reading.proposal is None and step.preselect is None


def test_a_step_with_when_is_shown_only_after_its_answer(shipped):
    def runbook_after(status: str) -> list[str]:
        outcome = walk(
            shipped,
            "key-exchange",
            answers={
                "c-despool-key-errors": "key-missing",
                "c-receive-backlog": "backlog",
                "c-despooler-status": status,
                "q-retry-evidence": "count",
            },
            values={
                "retries_counted": "29",
                "site_code": "DAL",
                "parent_site_code": "NYC",
                "parent_server": "NYC-CM01",
                "child_server": "DAL-CM01",
                "child_install_dir": "C:\\SMS",
                "parent_install_dir": "C:\\SMS",
                "language_code": "00000409",
            },
        )
        assert outcome.status == "runbook", outcome.session.node_id
        return [s.do for s in shown_steps(outcome.session)], runbook_markdown(outcome.session)

    retired, retired_md = runbook_after("retired")
    neither, neither_md = runbook_after("none")
    assert any("4405 was raised" in s for s in retired)
    assert not any("4405 was raised" in s for s in neither)
    assert len(retired) == len(neither) + 1
    assert "4405 was raised" not in neither_md
