"""Each lint code has a bad fixture tree that produces exactly that code at the expected place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wizard.core import yamlsafe
from wizard.core.lint import (
    declared_names,
    expr_names,
    ExprProblem,
    lint_tree,
    placeholders,
    regex_verdict,
    strongly_connected,
)
from wizard.core.lint_codes import CODES
from wizard.core.loader import check_links, load_text, load_tree
from wizard.core.model import Choice, Loc, Question, Runbook, Step, Tree

FIXTURES = Path(__file__).parent / "fixtures"
BAD = sorted((FIXTURES / "bad").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (WZ\d{3}) (\d+):(\d+) ?(\S*)$", re.MULTILINE)
# Codes that no fixture file can show: an unreadable path and a file over the size limit (tested below).
WITHOUT_FIXTURE = {"WZ100", "WZ106"}


@pytest.fixture(autouse=True)
def no_cache(monkeypatch):
    monkeypatch.setenv("WIZARD_NO_CACHE", "1")


def good_trees() -> dict[str, Tree]:
    results = [load_tree(p) for p in sorted((FIXTURES / "good").glob("*.yaml"))]
    return {r.tree.id: r.tree for r in results}


def everything_reported(path: Path) -> list:
    result = load_tree(path)
    problems = list(result.problems)
    if result.tree is not None:
        problems += check_links(result.tree, good_trees() | {result.tree.id: result.tree})
    return problems


def expectations(path: Path) -> list[tuple[str, int, int, str]]:
    head = path.read_bytes().split(b"\nid:", 1)[0].decode("utf-8", errors="replace")
    return [(code, int(line), int(col), where) for code, line, col, where in EXPECT.findall(head)]


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_fixture_reports_exactly_what_it_expects(path):
    expected = expectations(path)
    assert expected, f"{path.name} declares no expectation"
    found = [(p.code, p.line, p.col, p.path) for p in everything_reported(path)]
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize("path", [p for p in BAD if p.stem.startswith("WZ")], ids=lambda p: p.stem)
def test_fixture_is_named_after_a_code_it_produces(path):
    code = path.stem.split("-")[0]
    assert code in CODES
    assert code in {p.code for p in everything_reported(path)}


def test_every_code_has_a_fixture():
    covered = {p.stem.split("-")[0] for p in BAD}
    assert set(CODES) - WITHOUT_FIXTURE <= covered


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_diagnostics_are_complete_records(path):
    for problem in everything_reported(path):
        assert problem.severity == CODES[problem.code][0]
        assert problem.file == str(path)
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message
        assert problem.format().startswith(f"{path}:{problem.line}:{problem.col} {problem.code}")
        assert problem.as_dict()["code"] == problem.code


def test_a_tree_with_several_problems_reports_all_of_them():
    problems = everything_reported(FIXTURES / "bad" / "several.yaml")
    assert {p.code for p in problems} >= {"WZ201", "WZ206", "WZ208", "WZ301", "WZ302", "WZ400", "WZ409"}


def test_did_you_mean_hints():
    by_code = {p.code: p for p in everything_reported(FIXTURES / "bad" / "several.yaml")}
    assert by_code["WZ301"].hint == "did you mean 'r-fix'?"
    assert by_code["WZ302"].hint == "did you mean 'key'?"
    unknown = everything_reported(FIXTURES / "bad" / "WZ201.yaml")[0]
    assert unknown.hint == "did you mean 'title'?"
    start = everything_reported(FIXTURES / "bad" / "WZ300.yaml")[0]
    assert start.hint == "did you mean 'q-start'?"


def test_duplicate_node_id_names_the_first_definition():
    (problem,) = everything_reported(FIXTURES / "bad" / "WZ103-node-id.yaml")
    assert "node id 'c-log' is defined twice" in problem.message
    assert "first at line" in problem.message


def test_good_fixtures_are_clean_and_link_to_each_other():
    trees = good_trees()
    assert {"mini", "mini-linked"} <= set(trees)
    for path in sorted((FIXTURES / "good").glob("*.yaml")):
        result = load_tree(path)
        assert result.problems == (), [p.format() for p in result.problems]
        assert check_links(result.tree, trees) == []
    assert check_links(trees["mini"], {"mini"})[0].code == "WZ306"


def test_warnings_alone_leave_a_tree_ok():
    result = load_tree(FIXTURES / "bad" / "WZ409.yaml")
    assert [p.severity for p in result.problems] == ["warning"]
    assert result.ok and result.tree is not None


def test_file_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 100)
    result = load_tree(FIXTURES / "good" / "mini.yaml")
    assert [p.code for p in result.problems] == ["WZ106"]
    assert result.tree is None


def test_unreadable_paths(tmp_path):
    assert [p.code for p in load_tree(tmp_path / "missing.yaml").problems] == ["WZ100"]
    assert [p.code for p in load_tree(tmp_path).problems] == ["WZ100"]


def test_lint_works_on_a_tree_built_in_memory():
    here = Loc("memory.yaml", 3, 1)
    tree = Tree(
        id="t", title="t", version=1, product="p", summary="s", start="q",
        nodes={
            "q": Question(id="q", prompt="p", how="h", why="w", loc=here,
                          choices=(Choice(id="a", label="A", next="nowhere", loc=Loc("memory.yaml", 5, 7)),
                                   Choice(id="b", label="B {missing}", next="r", loc=Loc("memory.yaml", 8, 7)))),
            "r": Runbook(id="r", title="r", diagnosis="d", steps=(Step(do="x", runs_on="y", verify="z"),), loc=here),
        },
        path="memory.yaml",
    )
    found = {(p.code, p.line, p.col, p.path) for p in lint_tree(tree)}
    assert found == {("WZ301", 5, 7, "nodes.q.choices[0].next"), ("WZ400", 8, 7, "nodes.q.choices[1].label")}


def _tree_text(extra_nodes: str, start_choices: str) -> str:
    return (
        "id: t\ntitle: T\nversion: 1\nproduct: P\nsummary: S\ntriage: {}\nstart: q\nnodes:\n"
        "  q:\n    kind: question\n    prompt: P\n    why: W\n    how: H\n    choices:\n" + start_choices + extra_nodes
    )


def test_cycle_with_an_exit_is_fine_and_one_without_is_reported():
    loop = (
        "  a:\n    kind: question\n    prompt: P\n    why: W\n    how: H\n    choices:\n"
        "      - {id: x, label: X, next: b}\n"
        "  b:\n    kind: question\n    prompt: P\n    why: W\n    how: H\n    choices:\n"
        "      - {id: x, label: X, next: a}\n"
    )
    trapped = load_text(_tree_text(loop, "      - {id: x, label: X, next: a}\n"))
    assert [p.code for p in trapped.problems] == ["WZ305"]
    with_exit = loop.replace("      - {id: x, label: X, next: a}\n",
                             "      - {id: x, label: X, next: a}\n      - {id: y, label: Y, next: r}\n")
    with_exit += "  r:\n    kind: link\n    tree: other\n    why: W\n"
    assert load_text(_tree_text(with_exit, "      - {id: x, label: X, next: a}\n")).problems == ()


def test_self_loop_without_exit_is_a_cycle():
    node = "  a:\n    kind: question\n    prompt: P\n    why: W\n    how: H\n    choices:\n" \
           "      - {id: again, label: Again, next: a}\n"
    result = load_text(_tree_text(node, "      - {id: x, label: X, next: a}\n"))
    assert [(p.code, p.path) for p in result.problems] == [("WZ305", "nodes.a")]


def test_a_broken_node_does_not_cascade():
    node = "  a:\n    kind: questoin\n    prompt: P\n"
    result = load_text(_tree_text(node, "      - {id: x, label: X, next: a}\n"))
    assert [p.code for p in result.problems] == ["WZ206"]


def test_strongly_connected_is_iterative_on_a_long_chain():
    count = 50_000
    graph = {str(i): [str(i + 1)] for i in range(count)}
    graph[str(count)] = ["0"]
    components = strongly_connected(set(graph), graph)
    assert len(components) == 1 and len(components[0]) == count + 1


def test_placeholder_tokens():
    assert placeholders("copy {site_code}.ct4 to {{inbox}}") == (["site_code"], [])
    assert placeholders("{{{name}}}") == (["name"], [])
    assert placeholders("ForEach-Object { $_ }") == ([], [15, 20])
    assert placeholders("{name}}") == (["name"], [6])
    assert placeholders("{ name }") == ([], [0, 7])


def test_compute_expression_validation():
    assert expr_names("max(0, (100 - retries) * 5) // 2 % 7") == {"retries"}
    assert expr_names("round(a / b) + ceil(c) - floor(-d)") == {"a", "b", "c", "d"}
    for text, code in [
        ("(1 +", "WZ406"),
        ("", "WZ406"),
        ("a ** 2", "WZ408"),
        ("sqrt(a)", "WZ408"),
        ("a.real", "WZ408"),
        ("a if b else c", "WZ408"),
        ("round(a, 2)", "WZ408"),
        ("'text'", "WZ408"),
        ("__import__('os')", "WZ408"),
        ("a < b", "WZ408"),
        ("True + 1", "WZ408"),
    ]:
        with pytest.raises(ExprProblem) as caught:
            expr_names(text)
        assert caught.value.code == code, text


def test_regex_verdicts():
    assert regex_verdict(r"site (?P<site_code>[A-Z0-9]{3})") == ("", "", "", ("site_code",))
    assert regex_verdict(r"(a)\1")[0] == "WZ403"
    assert regex_verdict(r"(?=a)b")[0] == "WZ403"
    assert regex_verdict(r"[a-")[0] == "WZ402"
    assert regex_verdict(r"(")[0] == "WZ402"


def test_declared_names_cover_captures_groups_counts_and_computes():
    tree = load_tree(FIXTURES / "good" / "mini.yaml").tree
    assert declared_names(tree) == {"retries", "site_code", "ins_count", "minutes_left"}


def test_compute_order_within_a_runbook():
    runbook = (
        "  r:\n    kind: runbook\n    title: R\n    diagnosis: D {b}\n    compute:\n"
        "      - {name: a, expr: b + 1, label: A}\n      - {name: b, expr: b * 2, label: B}\n"
        "    steps:\n      - {do: X, runs_on: console, verify: V}\n"
    )
    result = load_text(_tree_text(runbook, "      - {id: x, label: X, next: r}\n"))
    messages = sorted(p.message for p in result.problems)
    assert [p.code for p in result.problems] == ["WZ407", "WZ407"]
    assert messages == ["'b' is computed later in this runbook", "compute 'b' uses itself"]


def test_lint_defers_to_the_evaluator():
    from wizard.core.expr import MAX_LENGTH

    long_expr = " + ".join(["1"] * MAX_LENGTH)
    runbook = (
        "  r:\n    kind: runbook\n    title: R\n    diagnosis: D\n    compute:\n"
        f"      - {{name: a, expr: '{long_expr}', label: A}}\n"
        "    steps:\n      - {do: X, runs_on: console, verify: V}\n"
    )
    result = load_text(_tree_text(runbook, "      - {id: x, label: X, next: r}\n"))
    assert [p.code for p in result.problems] == ["WZ406"]
    assert "evaluator" in result.problems[0].message


def test_a_misspelt_next_is_reported_once_not_as_a_cascade_of_unreachable_nodes():
    text = (FIXTURES / "good" / "mini.yaml").read_text().replace("next: q-retries", "next: q-retires")
    codes = sorted(d.code for d in load_text(text, "mini.yaml").problems)
    assert codes == ["WZ301"]
    unrelated = text.replace("next: q-retires", "next: nothing-like-any-node")
    codes = sorted(d.code for d in load_text(unrelated, "mini.yaml").problems)
    assert "WZ301" in codes and "WZ303" in codes
