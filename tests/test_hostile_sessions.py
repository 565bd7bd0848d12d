"""Saved walks are data from disk, and typed values come from a keyboard: neither may crash the wizard or send
a file anywhere it should not go."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from model_trees import catalog
from wizard.core.catalog import Catalog
from wizard.core.loader import load_text
from wizard.core.render import compute_values, computed
from wizard.core.session import (
    AnswerError,
    Citation,
    Session,
    SessionFileError,
    list_sessions,
    load,
    save,
    to_dict,
)


@pytest.fixture
def cat() -> Catalog:
    return catalog()


def saved(cat: Catalog, folder: Path) -> Path:
    session = Session.start(cat, "door").answer(value="S01")
    return save(session, folder)


def rewrite(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


# ------------------------------------------------------------------------------------------ ids and file names


@pytest.mark.parametrize("bad_id", ["../../X", "/tmp/elsewhere", "..\\..\\X", "a/b", "", "x" * 200, "C:evil"])
def test_an_id_that_could_be_a_path_is_refused_on_load(cat, tmp_path, bad_id):
    path = saved(cat, tmp_path)
    rewrite(path, lambda d: d.update(id=bad_id))
    with pytest.raises(SessionFileError):
        load(path, cat)


def test_autosave_after_resume_writes_only_under_the_sessions_folder(cat, tmp_path):
    path = saved(cat, tmp_path)
    rewrite(path, lambda d: d.update(id="../../escaped"))
    [info] = list_sessions(tmp_path)
    assert not info.readable
    assert not (tmp_path.parent / "escaped.json").exists()
    with pytest.raises(SessionFileError):
        save(replace(Session.start(cat, "door"), id="../../escaped"), tmp_path)
    assert not list(tmp_path.parent.glob("escaped*"))


def test_the_file_name_not_the_content_names_the_walk(cat, tmp_path):
    path = saved(cat, tmp_path)
    other = path.with_name("20200101-000000-abcdef.json")
    path.rename(other)
    with pytest.raises(SessionFileError, match="does not match its file name"):
        load(other, cat)


# ------------------------------------------------------------------------------------------ wrong types


BAD_SHAPES = {
    "preset is a list": lambda d: d.update(preset=[1, 2]),
    "start_tree is a list": lambda d: d.update(start_tree=["door"]),
    "node missing": lambda d: d.pop("node"),
    "line is text": lambda d: d["moves"][0].update(evidence=[{"file": "a.log", "line": "x", "text": "t"}]),
    "line is negative": lambda d: d["moves"][0].update(evidence=[{"file": "a.log", "line": -5, "text": "t"}]),
    "moves is a mapping": lambda d: d.update(moves={"a": 1}),
    "captured holds a list": lambda d: d["moves"][0].update(captured={"site_code": [1]}),
    "value is a number": lambda d: d["moves"][0].update(value=7),
}


@pytest.mark.parametrize("change", BAD_SHAPES.values(), ids=BAD_SHAPES.keys())
def test_a_wrongly_typed_walk_is_unreadable_not_a_crash(cat, tmp_path, change):
    path = saved(cat, tmp_path)
    rewrite(path, change)
    with pytest.raises(SessionFileError):
        load(path, cat)


def raw_files() -> dict[str, str]:
    return {
        "5000-digit number": '{"format": "wizard-session", "format_version": 1, "id": "x", "n": ' + "9" * 5000 + "}",
        "nested brackets": "[" * 100_000 + "]" * 100_000,
        "not UTF-8": '{"format": "\xff"}',
        "a bare list": "[]",
    }


@pytest.mark.parametrize("text", raw_files().values(), ids=raw_files().keys())
def test_a_broken_file_is_moved_aside_and_the_rest_still_load(cat, tmp_path, text):
    good = saved(cat, tmp_path)
    bad = good.with_name("20200101-000000-badbad.json")
    bad.write_bytes(text.encode("latin-1"))
    with pytest.raises(SessionFileError):
        load(bad, cat)
    infos = list_sessions(tmp_path)
    assert [i.id for i in infos if i.readable] == [good.stem]
    [unreadable] = [i for i in infos if not i.readable]
    assert "moved aside" in unreadable.problem
    assert not bad.exists() and unreadable.path.read_bytes() == text.encode("latin-1")
    again = list_sessions(tmp_path)
    assert [i.readable for i in again] == [True, False]
    assert load(good, cat).session.values == {"site_code": "S01"}


# ------------------------------------------------------------------------------------------ names not UTF-8


def test_a_citation_from_a_file_name_that_is_not_utf8_survives_save_and_load(cat, tmp_path):
    name = os.fsdecode(b"srv\xff/despool.log")
    cite = Citation(file=name, line=3, text="line \x1b]52;c;aGk=\x07 text")
    session = Session.start(cat, "door").answer(value="S01", evidence=[cite])
    path = save(session, tmp_path)
    again = load(path, cat).session
    assert again.moves[0].evidence[0].file == name
    assert again.moves[0].evidence[0].text == cite.text
    assert "\\u001b" in path.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------ numbers


COMPUTING_TREE = """
id: numbers
title: Numbers
version: 1
product: Test
summary: A value and a computed one.
triage:
  keywords: [numbers]
start: q-n
nodes:
  q-n:
    kind: question
    prompt: How many?
    why: It sets the wait.
    how: Count them.
    capture:
      name: n
      label: Count
      type: number
      next: r-done
  r-done:
    kind: runbook
    title: Done
    diagnosis: Waited {wait}.
    compute:
      - name: wait
        expr: round(n * n * 1e300)
        label: The wait
    steps:
      - do: Wait.
        runs_on: server
        verify: It is over.
"""


@pytest.fixture
def numbers() -> Catalog:
    result = load_text(COMPUTING_TREE, "numbers.yaml")
    assert result.ok, result.problems
    return Catalog(trees={"numbers": result.tree})


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "-inf", "1e300", "9" * 5000, "1e16"])
def test_a_number_that_is_not_finite_or_too_large_is_refused_at_capture(numbers, typed):
    with pytest.raises(AnswerError):
        Session.start(numbers, "numbers").answer(value=typed)


@pytest.mark.parametrize("given", ["nan", "1e300", "inf", "-1e308"])
def test_compute_on_a_value_from_elsewhere_reports_instead_of_raising(numbers, given):
    """A text capture or a choice's `set` is not checked as a number, yet compute reads it as one."""
    [value] = compute_values(numbers.get("numbers").nodes["r-done"], {"n": given})
    assert value.value is None and "round" in value.describe()


def test_compute_overflow_is_reported(numbers):
    session = Session.start(numbers, "numbers").answer(value="1e12")
    [value] = computed(session)
    assert value.value is None


def test_a_walk_saved_with_a_bad_number_resumes(numbers, tmp_path):
    session = Session.start(numbers, "numbers").answer(value="12")
    path = save(session, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["moves"][0]["value"] = "nan"
    data["moves"][0]["captured"] = {"n": "nan"}
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = load(path, numbers)
    assert loaded.session.node_id == "q-n"
    assert any("no longer applies" in w for w in loaded.warnings)
    assert to_dict(loaded.session)["moves"] == []
