"""The strict YAML reader: located plain data, and a diagnostic instead of an exception for any input."""

from __future__ import annotations

import codecs
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.core.diagnostics import Diagnostic
from wizard.core.loader import LoadResult, load_text
from wizard.core.yamlsafe import Locator, pack_loc, parse_bytes, parse_text, resolve_plain, unpack_loc

MINI = (Path(__file__).parent / "fixtures" / "good" / "mini.yaml").read_bytes()


@pytest.fixture(autouse=True)
def no_cache(monkeypatch):
    monkeypatch.setenv("WIZARD_NO_CACHE", "1")


def codes(located) -> list[str]:
    return [p[0] for p in located.problems]


def test_core_schema_scalars():
    assert resolve_plain("yes") == "yes"
    assert resolve_plain("no") == "no"
    assert resolve_plain("on") == "on"
    assert resolve_plain("true") is True and resolve_plain("False") is False
    assert resolve_plain("~") is None and resolve_plain("null") is None and resolve_plain("") is None
    assert resolve_plain("12") == 12 and resolve_plain("-3") == -3
    assert resolve_plain("0x8") == 8 and resolve_plain("0o17") == 15
    assert resolve_plain("1.5") == 1.5 and resolve_plain("1e3") == 1000.0
    assert resolve_plain(".inf") == math.inf and math.isnan(resolve_plain(".nan"))
    assert resolve_plain("2003-01-01") == "2003-01-01"
    assert resolve_plain("0x8g") == "0x8g"


def test_quoted_scalars_stay_text():
    located = parse_text("a: '12'\nb: \"true\"\nc: 12\n")
    assert located.data == {"a": "12", "b": "true", "c": 12}


def test_locations_of_keys_values_and_items():
    located = parse_text("id: x\nnodes:\n  q-one:\n    choices:\n      - id: a\n        next: b\n")
    where = Locator("f", located.locs, located.scalar_locs)
    assert where.key("id") == (1, 1) and where.value("id") == (1, 5)
    assert where.key("nodes.q-one") == (3, 3)
    assert where.value("nodes.q-one.choices[0]") == (5, 9)
    assert where.key("nodes.q-one.choices[0].next") == (6, 9)
    assert where.value("nodes.q-one.choices[0].next") == (6, 15)
    # A path that does not exist resolves to its nearest ancestor.
    assert where.key("nodes.q-one.choices[0].label") == (5, 9)


def test_locator_loads_single_value_locations_lazily():
    located = parse_text("a:\n  b: c\n")
    calls = []

    def scalars():
        calls.append(1)
        return located.scalar_locs

    where = Locator("f", located.locs, scalars)
    assert where.key("a") == (1, 1) and calls == []
    assert where.value("a.b") == (2, 6) and calls == [1]
    where.value("a.b")
    assert calls == [1]


def test_packed_locations_round_trip():
    assert unpack_loc(pack_loc(123456, 7, 123457, 89)) == (123456, 7, 123457, 89)
    assert unpack_loc(pack_loc(1, 5_000_000, 2, 3))[1] == (1 << 20) - 1


def test_duplicate_keys_keep_the_first_value():
    located = parse_text("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert located.data == {"a": 1, "b": {"c": 2}}
    assert [(p[0], p[2], p[3], p[4]) for p in located.problems] == [("WZ103", 4, 3, "b.c"), ("WZ103", 5, 1, "a")]


def test_duplicate_mapping_value_is_ignored_whole():
    located = parse_text("a:\n  x: 1\na:\n  y: [1, 2]\n")
    assert located.data == {"a": {"x": 1}}
    assert "a.y" not in located.locs and "a.y[0]" not in located.scalar_locs


def test_anchor_and_alias_are_reported_and_never_expanded():
    located = parse_text("a: &x [1, 2]\nb: *x\n")
    assert codes(located) == ["WZ104", "WZ104"]
    assert located.data["b"] is None and "b" in located.suppressed


def test_billion_laughs_is_cheap():
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    located = parse_text(text)
    assert set(codes(located)) == {"WZ104"}
    assert all(item is None for item in located.data["i"])


def test_tabs_in_indentation():
    located = parse_text("a:\n\tb: 1\nc: 2\n")
    assert codes(located) == ["WZ102"]
    assert located.problems[0][2:4] == (2, 1)


def test_tab_inside_a_value_is_fine():
    assert parse_text("a: 'x\ty'\n").problems == []


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "WZ108"),
        ("# only a comment\n", "WZ108"),
        ("a: 1\n---\nb: 2\n", "WZ109"),
        ("a: [1, 2\n", "WZ101"),
        ("a: b: c\n", "WZ101"),
        ("a: 'unterminated\n", "WZ101"),
        ("a: \x00\n", "WZ105"),
        ("a: \x1b[31m\n", "WZ105"),
        ("a: !custom x\n", "WZ110"),
        ("? {a: 1}\n: 2\n", "WZ111"),
    ],
)
def test_yaml_level_problems(text, code):
    assert code in codes(parse_text(text))


def test_invalid_utf8_is_located():
    located = parse_bytes(b"a: 1\nb: caf\xe9\n")
    assert codes(located) == ["WZ105"]
    assert located.problems[0][2:4] == (2, 7)


def test_byte_order_marks():
    assert parse_bytes(codecs.BOM_UTF8 + b"a: 1\n").data == {"a": 1}
    assert parse_bytes(codecs.BOM_UTF16_LE + "a: 1\n".encode("utf-16-le")).data == {"a": 1}
    assert parse_bytes(codecs.BOM_UTF16_BE + "a: 1\n".encode("utf-16-be")).data == {"a": 1}


@pytest.mark.parametrize(
    "text",
    [
        "[" * 40_000,
        "[" * 40_000 + "]" * 40_000,
        "{a: " * 40_000 + "1" + "}" * 40_000,
        "".join(" " * depth + "a:\n" for depth in range(3_000)),
        "".join("  " * depth + "-\n" for depth in range(2_000)),
    ],
    ids=["open-brackets", "closed-brackets", "flow-mappings", "block-mappings", "block-sequences"],
)
def test_deep_nesting_is_reported_not_recursed(text):
    result = load_text(text, "deep.yaml")
    assert isinstance(result, LoadResult)
    assert "WZ107" in {p.code for p in result.problems} or "WZ101" in {p.code for p in result.problems}
    assert not result.ok


def test_top_level_must_be_a_mapping():
    for text in ("- a\n- b\n", "just text\n", "42\n", "null\n"):
        result = load_text(text)
        assert result.tree is None and [p.code for p in result.problems] == ["WZ200"]


def _never_raises(data: bytes | str) -> LoadResult:
    result = load_text(data, "fuzz.yaml")
    assert isinstance(result, LoadResult)
    for problem in result.problems:
        assert isinstance(problem, Diagnostic)
        assert problem.line >= 1 and problem.col >= 1 and problem.file == "fuzz.yaml"
    assert result.tree is not None or not result.ok
    return result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_give_diagnostics(data):
    _never_raises(data)


_YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{},'\"&*!|>#?% \t\n\x00\xe9\ufeff{}0123456789.~")),
                   max_size=200)


@settings(max_examples=300, deadline=None)
@given(_YAMLISH)
def test_any_yamlish_text_gives_diagnostics(text):
    _never_raises(text)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(MINI)), st.integers(0, 40), st.binary(max_size=12))
def test_damaged_fixture_gives_diagnostics(position, cut, insert):
    _never_raises(MINI[:position] + insert + MINI[position + cut:])


@settings(max_examples=100, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
))
def test_any_json_like_document_gives_diagnostics(value):
    import json

    _never_raises(json.dumps(value))
    _never_raises(json.dumps({"id": "x", "nodes": value, "start": value}))


def test_many_shallow_brackets_are_fine():
    text = "items:\n" + "".join(f"  - [a{i}, {{b: c}}]\n" for i in range(1500))
    located = parse_text(text)
    assert located.problems == [] and len(located.data["items"]) == 1500


@pytest.mark.parametrize(
    "text, noticed, began",
    [
        ("id: x\nlist:\n  - [1,\n     2\n  - y\n", (6, 1), "(the flow sequence opened at 3:5)"),
        ("a: 1\nb: {x: 1\n", (3, 1), "(the flow mapping opened at 2:4)"),
        ("a: 1\nb: 'no end\n", (3, 1), "(the quoted scalar started at 2:4)"),
    ],
)
def test_a_syntax_error_names_where_the_broken_construct_began(text, noticed, began):
    [problem] = parse_text(text).problems
    code, _severity, line, col, _path, message, _hint = problem
    assert (code, line, col) == ("WZ101", *noticed)
    assert message.endswith(began)
