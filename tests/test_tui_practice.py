"""Practice in the screens: each answer set beside the expert's, the score and the trainer's record at the end."""

from __future__ import annotations

import json
from pathlib import Path

from tui_driver import drive_to_runbook
from tuikit import pilot_test
from wizard.core.cases import load_case
from wizard.core.catalog import load_catalog
from wizard.tui.app import create_app

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "samples" / "rms-failover" / "fab-rms-lost" / "case.yaml"


def titles(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


@pilot_test
async def test_a_trainee_is_told_where_the_expert_differs_and_gets_a_record(tmp_path):
    catalog = load_catalog(include_shipped=True, use_env=False)
    case = load_case(CASE).case
    assert case is not None
    record = tmp_path / "ann.json"
    app = create_app(
        catalog, data_dir=tmp_path / "data", start_tree=case.tree, evidence=[str(p) for p in case.evidence],
        practice=case, ticket=case.ticket, record=record, trainee="Ann",
    )
    app.cursor_blink = False
    mine = {**dict(case.answers), "q-key-backup": "no-key"}  # the expert has the key backup
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert any(t.startswith("Practice: the ticket") for t in titles(app))
        await drive_to_runbook(pilot, lambda t, n: mine.get(n), lambda t, n, name: dict(case.values).get(name))
        shown = titles(app)
        assert any(t.startswith("✓ Practice") for t in shown)
        wrong = [t for t in shown if t.startswith("✗ Practice")]
        assert wrong and "have-key" in wrong[0] and "Why it matters" in wrong[0]
        assert any(t.startswith("Practice score") and "not the expected one" in t for t in shown)
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["trainee"] == "Ann" and data["score"]["wrong"] == 1 and data["score"]["runbook_right"] is False


def test_open_with_a_case_that_is_not_there_says_so():
    import io

    from wizard.cli import main

    err = io.StringIO()
    assert main(["open", "--case", "key-exchange/no-such-case"], stdout=io.StringIO(), stderr=err) == 2
    assert "no case 'key-exchange/no-such-case'" in err.getvalue()
    err = io.StringIO()
    assert main(["open"], stdout=io.StringIO(), stderr=err) == 2
    assert "give --case" in err.getvalue()


@pilot_test
async def test_practice_starts_from_the_home_screen_palette_and_ends_with_the_next_walk(tmp_path):
    from wizard.tui.home import HomeScreen
    from wizard.tui.step import StepScreen

    catalog = load_catalog(include_shipped=True, use_env=False)
    app = create_app(catalog, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        offered = [c.name for c in home.palette_commands()]
        assert "Practise the case rms-failover/fab-rms-lost" in offered
        app.start_practice(CASE)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StepScreen) and app.expert is not None
        assert app.session.evidence
        app.go_home()
        app.begin("key-exchange")
        await pilot.pause()
        assert app.expert is None and app.book is None
