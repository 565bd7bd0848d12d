"""Pilot tests of the interactive wizard on the fixture trees: every flow an operator goes through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tuikit import make_app, open_tree, option_ids, option_texts, pilot_test, press_and_pause, screen_text
from wizard.core.session import list_sessions
from wizard.tui.home import TRIAGE_PAUSE, HomeScreen
from wizard.tui.modals import ConfirmScreen, ExportScreen, HelpScreen, ResumeScreen
from wizard.tui.runbook import RunbookScreen
from wizard.tui.step import StepScreen
from wizard.tui.treemap import TreeMapScreen
from wizard.tui.widgets import CommandBlock

SIZE = (80, 24)


async def walk_to_runbook(pilot, retries: str = "40") -> None:
    await open_tree(pilot, "mini")
    await press_and_pause(pilot, "1")  # secure exchange is required
    await press_and_pause(pilot, "1")  # the parent cannot find the key
    await press_and_pause(pilot, *retries, "enter")


@pilot_test
async def test_home_groups_trees_by_product_and_highlights_the_first_entry():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert isinstance(app.focused, Input)
        home_list = app.screen.query_one("#home-list", OptionList)
        texts = option_texts(home_list)
        assert "Configuration Manager 2007" in texts
        assert any("Secondary site cannot talk to its parent" in t for t in texts)
        assert home_list.highlighted is not None
        assert not home_list.get_option_at_index(home_list.highlighted).disabled


@pilot_test
async def test_walk_to_a_runbook_fills_values_and_computes_the_wait():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to_runbook(pilot, retries="40")
        assert isinstance(app.screen, RunbookScreen)
        assert app.session.node_id == "r-exchange-keys"
        text = screen_text(app)
        assert "Exchange the public keys between the sites by hand" in text
        assert "Minutes before the despooler stops retrying: 300 minutes" in text
        assert "⚠ CAUTION:" in text
        assert "✔ VERIFY:" in text
        assert "Step 1 of 3 · runs on: child site server" in str(app.screen.query(".step").first().border_title)
        commands = [block.command for block in app.screen.query(CommandBlock)]
        assert commands == ["preinst /keyforparent", "preinst /keyforchild"]


@pilot_test
async def test_choices_are_highlighted_on_arrival_and_enter_answers():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        assert isinstance(app.screen, StepScreen)
        choices = app.screen.query_one("#choices", OptionList)
        assert app.focused is choices
        assert choices.highlighted == 0
        await press_and_pause(pilot, "down", "enter")
        assert [m.choice for m in app.session.moves][0] == "no"


@pilot_test
async def test_a_choice_note_and_a_link_into_another_tree_are_shown():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "2")  # not required: note, then the link to mini-linked
        assert app.session.tree_id == "mini-linked"
        assert app.session.node_id == "q-site"
        text = screen_text(app)
        assert "✓ Answered: No, it is not required" in text
        assert "✎ Note: Without secure key exchange the keys are not the problem" in text
        crumbs = app.screen.query_one("#crumbs")
        assert any(part.startswith("↪ ") for part in crumbs.parts)


@pilot_test
async def test_a_wrong_value_says_why_and_does_not_move_on():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "1", "1")
        assert app.session.node_id == "q-retries"
        await press_and_pause(pilot, "x", "y", "enter")
        assert app.session.node_id == "q-retries"
        message = str(app.screen.query_one("#capture-msg").visual)
        assert message.startswith("✗ Number of retries:")
        assert "not a whole number" in message
        box = app.screen.query_one("#capture", Input)
        assert not box.is_valid
        await press_and_pause(pilot, "backspace", "backspace", "1", "2")
        assert str(app.screen.query_one("#capture-msg").visual).startswith("✓")
        await press_and_pause(pilot, "enter")
        assert app.session.at_runbook
        assert app.session.values["retries"] == "12"


@pilot_test
async def test_back_undoes_one_answer_and_restart_asks_first():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to_runbook(pilot)
        await press_and_pause(pilot, "f4")
        assert isinstance(app.screen, StepScreen)
        assert app.session.node_id == "q-retries"
        await press_and_pause(pilot, "escape")  # leave the input, then back again with the letter key
        assert isinstance(app.screen, HomeScreen)
        assert app.session.node_id == "q-retries"
        await pilot.pause()
        assert list_sessions(app.data_dir)[0].node == "q-retries"


@pilot_test
async def test_restart_confirms_then_starts_over():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "1")
        assert app.session.node_id == "c-despool"
        await press_and_pause(pilot, "f5")
        assert isinstance(app.screen, ConfirmScreen)
        await press_and_pause(pilot, "n")
        assert app.session.node_id == "c-despool"
        await press_and_pause(pilot, "f5")
        await press_and_pause(pilot, "y")
        assert isinstance(app.screen, StepScreen)
        assert app.session.node_id == "q-secure"
        assert app.session.moves == ()


@pilot_test
async def test_tree_map_marks_the_path_and_jumps_back():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to_runbook(pilot)
        await press_and_pause(pilot, "f2")
        assert isinstance(app.screen, TreeMapScreen)
        tree_map = app.screen.query_one("#map", OptionList)
        texts = option_texts(tree_map)
        here = tree_map.get_option_at_index(tree_map.highlighted)
        assert here.id == "node:r-exchange-keys"
        assert any(t.strip().startswith("● [▣]") for t in texts)
        assert any("✓ [?] Secure exchange → Yes, secure key exchange is required" in t for t in texts)
        assert any("· [↪] Check the addresses" in t for t in texts)
        tree_map.highlighted = option_ids(tree_map).index("node:c-despool")
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, StepScreen)
        assert app.session.node_id == "c-despool"
        assert [m.node for m in app.session.moves] == ["q-secure"]


@pilot_test
async def test_resume_after_a_kill_brings_the_walk_back():
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "1", "1")
        walked = first.session
        assert walked.node_id == "q-retries"
    # No orderly goodbye matters: the answers were written as they were given. A new process starts.
    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home_list = second.screen.query_one("#home-list", OptionList)
        ids = option_ids(home_list)
        assert ids[home_list.highlighted].startswith("resume:")
        home_list.focus()
        await press_and_pause(pilot, "enter")
        assert isinstance(second.screen, StepScreen)
        assert second.session.id == walked.id
        assert second.session.node_id == "q-retries"
        assert [(m.node, m.choice) for m in second.session.moves] == [(m.node, m.choice) for m in walked.moves]


@pilot_test
async def test_resume_list_shows_every_saved_walk():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "escape")
        await press_and_pause(pilot, "f2")
        assert isinstance(app.screen, ResumeScreen)
        saved = app.screen.query_one("#saved", OptionList)
        assert saved.option_count == 1
        assert "Secondary site cannot talk to its parent" in option_texts(saved)[0]
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, StepScreen)


@pilot_test
async def test_export_markdown_and_json_say_where_they_wrote():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to_runbook(pilot)
        await press_and_pause(pilot, "e")
        assert isinstance(app.screen, ExportScreen)
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, RunbookScreen)
        written = app.exports_dir / f"mini-{app.session.id}.md"
        assert written.is_file()
        markdown = written.read_text(encoding="utf-8")
        assert markdown.startswith("# Exchange the public keys between the sites by hand")
        assert "preinst /keyforparent" in markdown
        assert f"✔ EXPORTED: {written}" in screen_text(app)
        assert any(str(written) in str(n.message) for n in app._notifications)

        await press_and_pause(pilot, "e")
        await press_and_pause(pilot, "down")  # the other format: JSON
        assert app.screen.query_one("#export-path", Input).value.endswith(".json")
        await press_and_pause(pilot, "enter")
        data = json.loads((app.exports_dir / f"mini-{app.session.id}.json").read_text(encoding="utf-8"))
        assert data["node"] == "r-exchange-keys"
        assert data["values"]["retries"] == "40"


@pilot_test
async def test_export_to_a_folder_that_cannot_be_written_says_so(tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to_runbook(pilot)
        await press_and_pause(pilot, "e")
        box = app.screen.query_one("#export-path", Input)
        box.value = str(blocker / "runbook.md")
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, ExportScreen)
        assert str(app.screen.query_one("#export-message").visual).startswith("✗ Not saved:")


@pilot_test
async def test_copy_and_save_commands():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to_runbook(pilot)
        block = app.screen.query(CommandBlock).first()
        block.focus()
        await press_and_pause(pilot, "c")
        assert app.clipboard == "preinst /keyforparent"
        await press_and_pause(pilot, "s")
        saved = app.exports_dir / f"mini-{app.session.id}-commands.txt"
        lines = saved.read_text(encoding="utf-8").splitlines()
        assert "preinst /keyforparent" in lines and "preinst /keyforchild" in lines
        assert lines.index("preinst /keyforparent") < lines.index("preinst /keyforchild")
        assert any(str(saved) in str(n.message) for n in app._notifications)


@pilot_test
async def test_every_answer_is_saved_at_once():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        assert list_sessions(app.data_dir)[0].steps == 0
        await press_and_pause(pilot, "1")
        saved = list_sessions(app.data_dir)
        assert len(saved) == 1
        assert saved[0].node == "c-despool"
        assert saved[0].steps == 1


@pilot_test
async def test_help_on_each_screen_explains_it_and_lists_its_keys():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_and_pause(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.help_title == "Home"
        assert ("f3", "Scan a log, folder or .zip for known problems") in [(k.lower(), d) for k, d in app.screen.keys]
        await press_and_pause(pilot, "escape")
        await walk_to_runbook(pilot)
        await press_and_pause(pilot, "f1")
        assert app.screen.help_title == "The runbook"
        descriptions = [d for _, d in app.screen.keys]
        assert "Write the runbook to a Markdown or JSON file" in descriptions
        await press_and_pause(pilot, "f1")
        assert isinstance(app.screen, RunbookScreen)


@pilot_test
async def test_the_palette_offers_what_applies_on_the_step():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "1")
        await press_and_pause(pilot, "ctrl+p")
        await pilot.press(*"tree map")
        await pilot.pause(0.3)
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, TreeMapScreen)


@pilot_test
async def test_palette_lists_jumps_and_evidence_only_where_they_apply():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        names = [c.name for c in app.screen.palette_commands()]
        assert "Read the evidence" not in names
        assert not any(n.startswith("Jump to step") for n in names)
        await press_and_pause(pilot, "1")
        names = [c.name for c in app.screen.palette_commands()]
        assert "Read the evidence" in names
        assert "Jump to step 1: Secure exchange" in names


@pilot_test
async def test_without_a_catalog_the_trees_are_read_after_the_home_screen_is_up():
    from tuikit import GOOD

    from wizard.tui.app import create_app

    app = create_app(tree_dirs=[GOOD])
    app.cursor_blink = False
    assert not app.catalog_ready
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            await pilot.pause(0.02)
            if app.catalog_ready:
                break
        await pilot.pause()
        assert app.catalog_ready
        home_list = app.screen.query_one("#home-list", OptionList)
        assert "tree:mini" in option_ids(home_list)
        await press_and_pause(pilot, *"public key")
        await pilot.pause(TRIAGE_PAUSE + 0.2)  # ranked once typing pauses
        assert any(i and i.startswith("match:mini:") for i in option_ids(home_list))


@pilot_test
async def test_ctrl_q_quits_from_any_screen():
    for keys in ((), ("f1",), ("f3",)):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await press_and_pause(pilot, *keys)
            await press_and_pause(pilot, "ctrl+q")
            assert not app.is_running


KILLED_WALK = """
import asyncio, sys
from pathlib import Path
from wizard.core.catalog import load_catalog
from wizard.tui.app import create_app

catalog = load_catalog([sys.argv[1]], include_shipped=False, use_env=False)
app = create_app(catalog=catalog)


async def walk(pilot):
    app.begin("mini")
    await pilot.pause()
    await pilot.press("1")
    await pilot.pause()
    await pilot.press("1")
    await pilot.pause()
    Path(sys.argv[2]).write_text(app.session.node_id)
    await asyncio.sleep(60)


app.run(headless=True, auto_pilot=walk)
"""


@pytest.mark.posix_only
@pilot_test
async def test_resume_after_the_process_is_killed(tmp_path: Path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from tuikit import GOOD

    marker = tmp_path / "reached"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WALK, str(GOOD), str(marker)],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    try:
        for _ in range(600):
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.read_text() == "q-retries"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home_list = app.screen.query_one("#home-list", OptionList)
        assert option_ids(home_list)[home_list.highlighted].startswith("resume:")
        home_list.focus()
        await press_and_pause(pilot, "enter")
        assert app.session.node_id == "q-retries"
        assert [m.choice for m in app.session.moves] == ["yes", "key-missing"]
