import pytest

from model_trees import catalog
from wizard.core.walk import WalkError, parse_assignments, walk


def test_walk_stops_at_first_unanswered_question():
    outcome = walk(catalog(), "door", values={"site_code": "S01"})
    assert outcome.status == "question" and outcome.session.node_id == "q-power"


def test_walk_reaches_runbook_with_answers_and_values():
    outcome = walk(catalog(), "door", answers={"q-power": "yes", "door:c-log": "jam"}, values={"site_code": "S01", "retries": "97"})
    assert outcome.status == "runbook" and outcome.session.node_id == "rb-jam"


def test_walk_crosses_links_and_accepts_tree_qualified_answers():
    outcome = walk(
        catalog(), "door", answers={"q-power": "yes", "c-log": "clear", "other/q-bell": "no"}, values={"site_code": "S01"}
    )
    assert (outcome.session.tree_id, outcome.session.node_id) == ("other", "rb-bell")


def test_unused_answers_are_noted_and_bad_ones_are_errors():
    outcome = walk(catalog(), "door", answers={"q-power": "no", "q-bell": "yes"}, values={"site_code": "S01"})
    assert outcome.status == "runbook"
    assert any("q-bell=yes was not used" in n for n in outcome.notes)
    with pytest.raises(WalkError, match="did you mean 'yes'"):
        walk(catalog(), "door", answers={"q-power": "yess"}, values={"site_code": "S01"})
    with pytest.raises(WalkError, match="does not look right"):
        walk(catalog(), "door", values={"site_code": "lowercase"})


def test_parse_assignments():
    assert parse_assignments(["a=b", " c = d=e "], "--set") == {"a": "b", "c": "d=e"}
    with pytest.raises(WalkError):
        parse_assignments(["nothing"], "--set")


def test_an_answer_for_a_node_that_does_not_exist_suggests_the_close_one():
    outcome = walk(catalog(), "door", answers={"q-powr": "yes"}, values={"site_code": "S01"})
    assert any("no node is called 'q-powr' (did you mean 'q-power'?)" in n for n in outcome.notes)


def test_question_markdown_shows_the_answers_so_far():
    from wizard.core.render import question_markdown

    outcome = walk(catalog(), "door", answers={"q-power": "yes"}, values={"site_code": "S01"})
    text = question_markdown(outcome.session)
    assert text.startswith(
        "## So far\n\n1. Which site code? **Site code: S01** (not asked: given before the walk)\n"
        "2. Is the server on? **Yes, it is on**"
    )
    assert "## Does door.log show a jam?" in text
