"""The runbook screen shows a repeated step once per item, with its shell, undo and what cannot be undone."""

from __future__ import annotations

from test_runbook_steps import TREE
from tuikit import make_app, pilot_test, screen_text
from wizard.core.catalog import Catalog
from wizard.core.loader import load_text
from wizard.tui.runbook import RunbookScreen
from wizard.tui.widgets import CommandBlock


@pilot_test
async def test_a_step_repeats_per_dead_dp_with_its_undo_and_the_irreversible_one_is_marked():
    tree = load_text(TREE, "lists.yaml").tree
    app = make_app(Catalog(trees={"lists": tree}))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.begin("lists", "r-fix", {"dead_dps": "CMDP01, CMDP02", "dead_dp_ips": "10.0.0.1, 10.0.0.2"})
        await pilot.pause()
        assert isinstance(app.screen, RunbookScreen)
        titles = [str(box.border_title) for box in app.screen.query(".step")]
        assert titles == [
            "Step 1 of 3 · runs on: DNS server · backup",
            "Step 2.1 of 3 · for CMDP01 · runs on: The DNS server.",
            "Step 2.2 of 3 · for CMDP02 · runs on: The DNS server.",
            "Step 3 of 3 · runs on: DNS server",
        ]
        commands = [block.command for block in app.screen.query(CommandBlock)]
        assert commands[1:] == [
            "dnscmd /RecordDelete corp.example CMDP01 A 10.0.0.1 /f",
            "dnscmd /RecordDelete corp.example CMDP02 A 10.0.0.2 /f",
        ]
        text = screen_text(app)
        assert "↶ UNDO: dnscmd /RecordAdd corp.example CMDP02 A 10.0.0.2" in text
        assert "✖ CANNOT BE UNDONE: This change cannot be undone." in text
        assert "◷ FROM: the zone's TTL" in text
