"""SVG snapshots of every screen on the fixture trees, at 80x24, the smallest terminal the wizard supports.

Update after a deliberate change with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at the
pictures (`tests/__snapshots__/`) before committing them.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from textual.widgets import Input, TextArea

from tuikit import fixture_catalog, make_app, open_tree, press_and_pause, scan_and_wait
from wizard.core.session import Session, save
from wizard.tui.home import TRIAGE_PAUSE

pytestmark = pytest.mark.posix_only  # time.tzset pins the clock the screens show; Windows has none

SIZE = (80, 24)
PASTED = (
    "Waiting for ready instruction file....~  $$<SMS_DESPOOLER><04-02-2009 08:15:02.113+300><thread=2204 (0x89C)>\n"
    "Cannot find valid public key for key exchange instruction coming from site T01~  "
    "$$<SMS_DESPOOLER><04-02-2009 08:15:02.144+300><thread=2204 (0x89C)>\n"
    "Cannot find a public key for instruction C:\\Program Files\\Microsoft Configuration Manager\\inboxes\\"
    "despoolr.box\\receive\\a1b2c3d4.ins incoming from site T01, retry it later~  "
    "$$<SMS_DESPOOLER><04-02-2009 08:15:02.160+300><thread=2204 (0x89C)>\n"
)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def steps(*moves):
    """A run_before for snap_compare that makes each move in turn: a key or a tuple of keys is pressed and let
    settle, anything else is an async function of the pilot."""

    async def run_before(pilot) -> None:
        for move in moves:
            if isinstance(move, str):
                await press_and_pause(pilot, move)
            elif isinstance(move, tuple):
                await press_and_pause(pilot, *move)
            else:
                await move(pilot)

    return run_before


def snapshot(snap_compare, *moves, app=None, size=SIZE, **options) -> bool:
    """Compare the app (a fresh one unless given) with its stored picture after the moves."""
    if moves:
        options["run_before"] = steps(*moves)
    return snap_compare(make_app() if app is None else app, terminal_size=size, **options)


async def settle(pilot) -> None:
    await pilot.pause()


async def open_mini(pilot) -> None:
    await pilot.pause()
    await open_tree(pilot, "mini")


at_check = steps(open_mini, "1")
at_runbook = steps(at_check, "1", ("4", "0", "enter"))


async def paste_despool_lines(pilot) -> None:
    pilot.app.screen.query_one("#ev-paste", TextArea).text = PASTED


async def scroll_to_the_steps(pilot) -> None:
    pilot.app.screen.query_one("#runbook").scroll_to(y=12, animate=False)
    await pilot.pause()


async def use_the_plain_theme(pilot) -> None:
    pilot.app.theme = "wizard-plain"
    await pilot.pause()


async def type_an_export_path(pilot) -> None:
    pilot.app.screen.query_one("#export-path", Input).value = "/srv/tickets/runbook.md"
    await pilot.pause()


def test_home(snap_compare):
    assert snapshot(snap_compare)


async def pause_in_typing(pilot) -> None:
    """The triage box ranks once typing pauses."""
    await pilot.pause(TRIAGE_PAUSE + 0.2)


def test_home_triage_matches(snap_compare):
    assert snapshot(snap_compare, tuple("public key refused"), pause_in_typing)


def test_home_with_saved_walks(snap_compare, private_data_dir):
    catalog = fixture_catalog()
    walk = Session.start(catalog, "mini").answer("yes")
    save(replace(walk, id="20090402-081500-aaaaaa", updated="2009-04-02T08:15:00+00:00"), private_data_dir)
    other = Session.start(catalog, "mini-linked").answer(value="T01")
    save(replace(other, id="20090401-120000-bbbbbb", updated="2009-04-01T12:00:00+00:00"), private_data_dir)
    assert snapshot(snap_compare, app=make_app(catalog))


def test_step_question(snap_compare):
    assert snapshot(snap_compare, open_mini)


def test_step_check(snap_compare):
    assert snapshot(snap_compare, at_check)


def test_step_capture_rejects_a_value(snap_compare):
    assert snapshot(snap_compare, at_check, "1", ("x", "1", "enter"))


def test_step_after_a_note_and_a_link(snap_compare):
    assert snapshot(snap_compare, open_mini, "2")


def test_evidence_collect(snap_compare):
    assert snapshot(snap_compare, at_check, "f3")


def test_evidence_results_with_proposal(snap_compare):
    assert snapshot(snap_compare, at_check, "f3", paste_despool_lines, scan_and_wait)


def test_evidence_scan_from_home(snap_compare):
    assert snapshot(snap_compare, settle, "f3", paste_despool_lines, scan_and_wait)


def test_runbook(snap_compare):
    assert snapshot(snap_compare, at_runbook)


def test_runbook_steps(snap_compare):
    assert snapshot(snap_compare, at_runbook, scroll_to_the_steps)


def test_runbook_without_colour(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    assert app.no_color
    assert snapshot(snap_compare, at_runbook, app=app)


def test_home_in_the_plain_theme(snap_compare):
    assert snapshot(snap_compare, settle, use_the_plain_theme)


def test_tree_map(snap_compare):
    assert snapshot(snap_compare, at_runbook, "f2")


def test_export_dialog(snap_compare):
    assert snapshot(snap_compare, at_runbook, "e", type_an_export_path)


def test_help(snap_compare):
    assert snapshot(snap_compare, at_check, "f1")


def test_step_at_a_larger_size(snap_compare):
    assert snapshot(snap_compare, at_check, size=(120, 36))
