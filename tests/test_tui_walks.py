"""Whole walks through the screens on the shipped trees, with key presses only.

Every runbook of every shipped tree is reached through the screens, every practice case walks from
`wizard open TREE --evidence CASE` to the runbook it expects, and the screens take the same path as `wizard walk`
for the same answers and evidence.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from content_kit import routes_to_runbooks, sample_value
from tui_driver import drive_to_runbook, path_of
from tuikit import pilot_test, press_and_pause
from wizard.core.catalog import load_catalog
from wizard.core.walk import walk
from wizard.tui.app import create_app
from wizard.tui.runbook import RunbookScreen

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CASES = sorted(SAMPLES.glob("*/*/case.yaml"))
SIZE = (80, 24)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(include_shipped=True, use_env=False)


def shipped_tree_ids() -> list[str]:
    return sorted(p.stem for p in (ROOT / "trees").glob("*.yaml"))


@pytest.mark.parametrize("tree_id", shipped_tree_ids())
def test_every_runbook_of_the_tree_is_reached_through_the_screens(tree_id, catalog, tmp_path):
    tree = catalog.get(tree_id)
    routes = routes_to_runbooks(tree)
    assert routes, f"{tree_id} has no runbook reachable from its start"

    @pilot_test
    async def run() -> None:
        for runbook, route in routes.items():
            wanted = {node: choice for node, choice in route}
            app = create_app(catalog, data_dir=tmp_path / runbook, start_tree=tree_id)
            app.cursor_blink = False
            async with app.run_test(size=SIZE) as pilot:
                await drive_to_runbook(
                    pilot,
                    lambda t, n, wanted=wanted: wanted.get(n) if t == tree_id else None,
                    lambda t, n, name: sample_value(catalog.get(t).nodes[n].capture),
                )
                assert isinstance(app.screen, RunbookScreen)
                assert (app.session.tree_id, app.session.node_id) == (tree_id, runbook)

    run()


def load_case(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a mapping"
    return data


def case_answers(case: dict) -> dict[str, str]:
    return {str(k): str(v) for k, v in (case.get("answers") or {}).items()}


def case_evidence(path: Path, case: dict) -> list[str]:
    return [str(path.parent / e) for e in (case.get("evidence") or ["."])]


def answer_lookup(answers: dict[str, str]):
    def choose(tree: str, node: str) -> str | None:
        for key in (f"{tree}:{node}", f"{tree}/{node}", node):
            if key in answers:
                return answers[key]
        return None

    return choose


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_a_practice_case_walks_from_open_to_its_runbook_by_keys(case_path, catalog, tmp_path):
    case = load_case(case_path)
    tree_id = case["tree"]
    answers, values = case_answers(case), {str(k): str(v) for k, v in (case.get("values") or {}).items()}
    evidence = case_evidence(case_path, case)
    expected_tree, _, expected_node = str(case["runbook"]).rpartition(":")
    headless = walk(catalog, tree_id, answers=answers, values=values, evidence=evidence)
    assert headless.status == "runbook", f"wizard walk stopped at {headless.session.node_id}"

    @pilot_test
    async def run() -> None:
        app = create_app(catalog, data_dir=tmp_path, start_tree=tree_id, evidence=evidence, values=values)
        app.cursor_blink = False
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await press_and_pause(pilot)
            await drive_to_runbook(pilot, answer_lookup(answers), lambda t, n, name: None)
            assert (app.session.tree_id, app.session.node_id) == (expected_tree or tree_id, expected_node)
            # The screens and the command line took the same path to the same runbook.
            assert path_of(app.session) == path_of(headless.session)
            assert app.session.values == headless.session.values

    run()
