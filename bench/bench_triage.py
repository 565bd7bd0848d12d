"""Ranking quality of triage: top-1 and top-2 over every ticket the tests hold for the shipped trees.

Tickets come from tests/fixtures/triage/tickets/*.yaml (help-desk tickets; heldout.yaml was not used to tune
the ranking), from the ticket lists of the content tests (read as data, never imported), from
tests/test_triage_shipped.py and from the practice cases' case.yaml files.

    .venv/bin/python bench/bench_triage.py [--trees DIR] [--misses]

--trees ranks against another folder of trees (default: trees/), which with PYTHONPATH pointing at an older
copy of the code gives the figure before a change.
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from wizard.core.loader import load_tree  # noqa: E402
from wizard.core.triage import rank  # noqa: E402


def _ticket_files() -> list[tuple[str, str, str]]:
    """(group, tree, ticket) from the ticket fixtures."""
    out = []
    for path in sorted((ROOT / "tests" / "fixtures" / "triage" / "tickets").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text())["tickets"]:
            out.append((path.stem, item["tree"], item["ticket"]))
    return out


def _strings(node: ast.AST) -> list[str]:
    return [e.value for e in getattr(node, "elts", []) if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def _content_tests() -> list[tuple[str, str, str]]:
    """(group, tree, ticket) from `@pytest.mark.parametrize("ticket", [...])` lists whose test calls
    assert_triage_ranks_first(capsys, ticket, "TREE"), and the ("ticket, expected") pairs of test_triage_shipped."""
    out = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        module = ast.parse(path.read_text())
        constants = {
            target.id: node.value
            for node in module.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for func in (n for n in module.body if isinstance(n, ast.FunctionDef)):
            tree = next(
                (
                    call.args[2].value
                    for call in ast.walk(func)
                    if isinstance(call, ast.Call)
                    and getattr(call.func, "id", "") == "assert_triage_ranks_first"
                    and len(call.args) == 3
                    and isinstance(call.args[2], ast.Constant)
                ),
                None,
            )
            for deco in func.decorator_list:
                if not (isinstance(deco, ast.Call) and len(deco.args) == 2 and isinstance(deco.args[0], ast.Constant)):
                    continue
                names, values = deco.args[0].value, deco.args[1]
                if names == "ticket" and tree:
                    for item in getattr(values, "elts", []):
                        item = constants.get(item.id, item) if isinstance(item, ast.Name) else item
                        if isinstance(item, ast.Constant) and isinstance(item.value, str):
                            out.append(("content tests", tree, item.value))
                elif names.replace(" ", "") == "ticket,expected":
                    for pair in getattr(values, "elts", []):
                        texts = _strings(pair)
                        if len(texts) == 2:
                            out.append(("content tests", texts[1], texts[0]))
    return out


def _case_tickets() -> list[tuple[str, str, str]]:
    out = []
    for path in sorted((ROOT / "samples").glob("*/*/case.yaml")):
        case = yaml.safe_load(path.read_text())
        if isinstance(case, dict) and case.get("ticket") and case.get("tree"):
            out.append(("practice cases", case["tree"], case["ticket"]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trees", default=str(ROOT / "trees"))
    parser.add_argument("--misses", action="store_true", help="list the tickets whose tree is not first")
    args = parser.parse_args()
    trees = [r.tree for r in (load_tree(p, lint=False) for p in sorted(Path(args.trees).glob("*.yaml"))) if r.tree]
    known = {t.id for t in trees}
    tickets = [t for t in _ticket_files() + _content_tests() + _case_tickets() if t[1] in known]
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    started = time.perf_counter()
    for group, tree, ticket in tickets:
        ranked = [m.tree for m in rank(ticket, trees)]
        for name in (group, "all"):
            counts = groups[name]
            counts[0] += 1
            counts[1] += ranked[:1] == [tree]
            counts[2] += tree in ranked[:2]
        if args.misses and ranked[:1] != [tree]:
            print(f"miss ({group}): expected {tree}, got {ranked[:3]}: {' '.join(ticket.split())[:100]}")
    elapsed = time.perf_counter() - started
    print(f"{'tickets':<16} {'n':>4} {'top-1':>12} {'top-2':>12}")
    for name in sorted(groups, key=lambda g: (g == "all", g)):
        n, one, two = groups[name]
        print(f"{name:<16} {n:>4} {one:>4} ({one / n:5.1%}) {two:>4} ({two / n:5.1%})")
    print(f"ranked {len(tickets)} tickets against {len(trees)} trees in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
