"""The app with hostile or unlucky input: files that exist, saved walks that are broken, names that are not
UTF-8, and a Windows without os.fchmod."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tuikit import TUI, make_app, open_tree, option_texts, pilot_test, press_and_pause, scan_and_wait
from wizard.core.session import list_sessions
from wizard.tui.evidence import EvidenceScreen
from wizard.tui.home import HomeScreen
from wizard.tui.modals import ConfirmScreen, ExportScreen
from wizard.tui.runbook import RunbookScreen
from wizard.tui.step import StepScreen
from wizard.tui.widgets import PathInput

SIZE = (80, 24)


async def walk_to_runbook(pilot) -> None:
    await open_tree(pilot, "mini")
    await press_and_pause(pilot, "1", "1", "4", "0", "enter")
    assert isinstance(pilot.app.screen, RunbookScreen)


async def export_to(pilot, target: Path) -> None:
    await press_and_pause(pilot, "e")
    assert isinstance(pilot.app.screen, ExportScreen)
    pilot.app.screen.query_one("#export-path", Input).value = str(target)
    await press_and_pause(pilot, "enter")


@pilot_test
async def test_export_over_an_existing_file_asks_first(tmp_path: Path):
    target = tmp_path / "ticket.md"
    target.write_text("the ticket's own notes", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to_runbook(pilot)
        await export_to(pilot, target)
        assert isinstance(app.screen, ConfirmScreen)
        await press_and_pause(pilot, "n")
        assert isinstance(app.screen, ExportScreen)
        assert target.read_text(encoding="utf-8") == "the ticket's own notes"
        assert "Not saved" in str(app.screen.query_one("#export-message").visual)
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await press_and_pause(pilot, "y")
        assert isinstance(app.screen, RunbookScreen)
        assert target.read_text(encoding="utf-8").startswith("# Exchange the public keys")


@pilot_test
async def test_export_and_save_commands_work_without_fchmod(monkeypatch, tmp_path: Path):
    """Windows before Python 3.13 has no os.fchmod."""
    monkeypatch.delattr(os, "fchmod", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_to_runbook(pilot)
        await export_to(pilot, tmp_path / "runbook.md")
        assert isinstance(app.screen, RunbookScreen)
        assert (tmp_path / "runbook.md").is_file()
        await press_and_pause(pilot, "s")
        assert (app.exports_dir / f"mini-{app.session.id}-commands.txt").is_file()


@pilot_test
async def test_a_broken_saved_walk_is_shown_unreadable_and_the_rest_load(private_data_dir: Path):
    sessions = private_data_dir / "sessions"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "1")
        good_id = app.session.id
    (sessions / "20200101-000000-aaaaaa.json").write_text('{"format": "wizard-session", "format_version": 1, '
                                                          '"id": "20200101-000000-aaaaaa", "preset": [1, 2], '
                                                          '"start_tree": "mini", "tree": "mini", "node": "q-secure"}')
    (sessions / "20200101-000000-bbbbbb.json").write_text("[" * 100_000)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        texts = option_texts(home.query_one("#home-list", OptionList))
        assert sum("Unreadable saved walk" in t for t in texts) == 2
        assert not any("Reading the diagnoses" in t for t in texts)
        await press_and_pause(pilot, "f2")
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, StepScreen)
        assert app.session.id == good_id
    assert sorted(p.suffix for p in sessions.iterdir()) == [".json", ".unreadable", ".unreadable"]


@pilot_test
async def test_resuming_a_file_that_breaks_moves_it_aside(private_data_dir: Path):
    sessions = private_data_dir / "sessions"
    sessions.mkdir(parents=True)
    broken = sessions / "20200101-000000-cccccc.json"
    broken.write_text("{}")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.resume(broken)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("Cannot resume" in str(n.title) for n in app._notifications)
    assert not broken.exists() and list(sessions.glob("*.unreadable"))


@pytest.mark.posix_only  # Windows file names are UTF-16: every name is valid
@pilot_test
async def test_confirming_an_answer_cited_from_a_name_that_is_not_utf8(tmp_path: Path):
    folder = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/srv\xff"))
    try:
        folder.mkdir()
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    shutil.copy(TUI / "bundle" / "despool.log", folder / "despool.log")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_tree(pilot, "mini")
        await press_and_pause(pilot, "1")
        await press_and_pause(pilot, "f3")
        assert isinstance(app.screen, EvidenceScreen)
        app.screen.query_one("#ev-path", PathInput).value = str(folder)
        await scan_and_wait(pilot)
        assert "srv\\xff" in "\n".join(option_texts(app.screen.query_one("#ev-hits", OptionList)))
        await press_and_pause(pilot, "enter")
        assert isinstance(app.screen, StepScreen | RunbookScreen)
        cited = [c.file for m in app.session.moves for c in m.evidence]
        assert cited and all("srv\udcff" in f for f in cited)
        assert not any(n.severity == "error" for n in app._notifications), [n.message for n in app._notifications]
        [info] = list_sessions(app.data_dir)
        assert info.readable
