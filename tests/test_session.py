import json
import multiprocessing
import os
from dataclasses import replace

import pytest

from model_trees import catalog
from wizard.core.session import (
    AnswerError,
    Citation,
    Session,
    SessionFileError,
    from_dict,
    list_sessions,
    load,
    save,
    to_dict,
)


@pytest.fixture
def cat():
    return catalog()


def test_answer_returns_a_new_session_and_leaves_the_old_one(cat):
    first = Session.start(cat, "door")
    second = first.answer(value="S01")
    assert first.node_id == "q-site" and first.moves == ()
    assert second.node_id == "q-power"
    assert second.values == {"site_code": "S01"}


def test_invalid_capture_value_is_refused_with_the_label(cat):
    session = Session.start(cat, "door")
    with pytest.raises(AnswerError, match="Site code: 'toolong' does not look right .for example S01."):
        session.answer(value="toolong")
    with pytest.raises(AnswerError, match="a value is needed"):
        session.answer()


def test_integer_capture_checks_type(cat):
    session = Session.start(cat, "door").answer(value="S01").answer("yes").answer("jam")
    with pytest.raises(AnswerError, match="not a whole number"):
        session.answer(value="many")
    assert session.answer(value="40").node_id == "rb-jam"


def test_unknown_choice_suggests_the_close_one(cat):
    session = Session.start(cat, "door").answer(value="S01")
    with pytest.raises(AnswerError, match="did you mean 'yes'"):
        session.answer("yess")


def test_runbook_takes_no_answer(cat):
    session = Session.start(cat, "door").answer(value="S01").answer("no")
    assert session.at_runbook
    with pytest.raises(AnswerError, match="runbook"):
        session.answer("x")


def test_back_undoes_one_answer_and_back_at_start_is_a_no_op(cat):
    start = Session.start(cat, "door")
    walked = start.answer(value="S01").answer("yes")
    back = walked.back()
    assert back.node_id == "q-power"
    assert back.values == {"site_code": "S01"}
    assert back.back().node_id == "q-site"
    assert start.back() is start


def test_link_is_crossed_and_back_returns_before_it(cat):
    session = Session.start(cat, "door").answer(value="S01").answer("yes").answer("clear")
    assert (session.tree_id, session.node_id) == ("other", "q-bell")
    assert session.moves[-1].is_link
    assert session.values["site_code"] == "S01"
    back = session.back()
    assert (back.tree_id, back.node_id) == ("door", "c-log")


def test_evidence_proposal_and_override_are_recorded(cat):
    cite = Citation(file="door.log", line=3, text="DOOR JAMMED", signature="jam")
    session = Session.start(cat, "door").answer(value="S01").answer("yes")
    taken = session.answer("clear", proposed="jam", evidence=[cite])
    move = [m for m in taken.moves if m.node == "c-log"][0]
    assert move.overridden and move.proposed == "jam" and move.evidence == (cite,)
    confirmed = session.answer("jam", proposed="jam")
    assert not confirmed.moves[-1].overridden


def test_jump_and_restart(cat):
    session = Session.start(cat, "door").answer(value="S01").answer("yes").answer("jam")
    jumped = session.jump(1)
    assert jumped.node_id == "q-power" and len(jumped.moves) == 1
    restarted = session.restart()
    assert restarted.node_id == "q-site" and restarted.moves == ()
    with pytest.raises(AnswerError):
        session.jump(9)


def test_round_trip_through_json(cat, tmp_path):
    session = Session.start(cat, "door").answer(value="S01").answer("yes").answer("clear", proposed="jam")
    path = save(session, tmp_path)
    loaded = load(path, cat)
    assert loaded.warnings == ()
    def path(s):
        return [(m.tree, m.node) for m in s.moves] + [(s.tree_id, s.node_id)]

    assert path(loaded.session) == path(session)
    assert loaded.session.values == session.values
    assert loaded.session.moves[2].overridden
    assert [i.id for i in list_sessions(tmp_path)] == [session.id]


def test_changed_tree_is_reported_and_the_walk_stops_where_it_breaks(cat):
    session = Session.start(cat, "door").answer(value="S01").answer("yes").answer("jam")
    data = to_dict(session)
    door = cat.trees["door"]
    nodes = dict(door.nodes)
    power = nodes["q-power"]
    nodes["q-power"] = replace(power, choices=(replace(power.choices[0], id="on"), power.choices[1]))
    cat.trees["door"] = replace(door, nodes=nodes, content_hash="changed", version=2)
    loaded = from_dict(data, cat)
    text = " ".join(loaded.warnings)
    assert "changed since this session was saved" in text
    assert "no longer applies" in text
    assert loaded.session.node_id == "q-power"


def test_unreadable_session_files(cat, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(SessionFileError):
        load(bad, cat)
    with pytest.raises(SessionFileError):
        from_dict({"format": "other"}, cat)
    (tmp_path / "sessions").mkdir()
    (tmp_path / "sessions" / "junk.json").write_text("[]")
    [junk] = list_sessions(tmp_path)
    assert not junk.readable and junk.path.exists() and not (tmp_path / "sessions" / "junk.json").exists()


def _save_forever(directory: str, ready) -> None:
    cat = catalog()
    session = Session.start(cat, "door").answer(value="S01")
    ready.set()
    while True:
        session = session.answer("yes").back()
        save(session, directory)


@pytest.mark.posix_only
def test_killed_while_saving_leaves_a_readable_file(cat, tmp_path):
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    for _ in range(5):
        proc = ctx.Process(target=_save_forever, args=(str(tmp_path), ready))
        proc.start()
        ready.wait(10)
        import time

        time.sleep(0.05)
        os.kill(proc.pid, 9)
        proc.join()
        for path in (tmp_path / "sessions").glob("*.json"):
            json.loads(path.read_text())
            assert load(path, cat).session.values == {"site_code": "S01"}
        ready.clear()


@pytest.mark.posix_only
def test_saved_sessions_are_private_and_exports_follow_the_umask(tmp_path):
    import stat

    from wizard.core.session import write_atomic

    write_atomic(tmp_path / "s.json", "{}")
    write_atomic(tmp_path / "export.md", "# x\n", private=False)
    old = os.umask(0o022)
    os.umask(old)
    assert stat.S_IMODE((tmp_path / "s.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "export.md").stat().st_mode) == 0o666 & ~old
