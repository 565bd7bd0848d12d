"""SVG snapshots of every screen on the fixture trees, at 80x24, the smallest terminal the wizard supports.

Update after a deliberate change with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at the
pictures (`tests/__snapshots__/`) before committing them.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from textual.widgets import Input, OptionList, TextArea

from tuikit import fixture_catalog, make_app, option_ids
from wizard.core.session import Session, save

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


async def open_mini(pilot) -> None:
    await pilot.pause()
    home_list = pilot.app.screen.query_one("#home-list", OptionList)
    home_list.focus()
    home_list.highlighted = option_ids(home_list).index("tree:mini")
    await pilot.press("enter")
    await pilot.pause()


async def at_check(pilot) -> None:
    await open_mini(pilot)
    await pilot.press("1")
    await pilot.pause()


async def at_runbook(pilot) -> None:
    await at_check(pilot)
    await pilot.press("1")
    await pilot.pause()
    await pilot.press("4", "0", "enter")
    await pilot.pause()


def test_home(snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_home_triage_matches(snap_compare):
    assert snap_compare(make_app(), press=list("public key refused"), terminal_size=SIZE)


def test_home_with_saved_walks(snap_compare, private_data_dir):
    catalog = fixture_catalog()
    walk = Session.start(catalog, "mini").answer("yes")
    save(replace(walk, id="20090402-081500-aaaaaa", updated="2009-04-02T08:15:00+00:00"), private_data_dir)
    other = Session.start(catalog, "mini-linked").answer(value="T01")
    save(replace(other, id="20090401-120000-bbbbbb", updated="2009-04-01T12:00:00+00:00"), private_data_dir)
    assert snap_compare(make_app(catalog), terminal_size=SIZE)


def test_step_question(snap_compare):
    assert snap_compare(make_app(), run_before=open_mini, terminal_size=SIZE)


def test_step_check(snap_compare):
    assert snap_compare(make_app(), run_before=at_check, terminal_size=SIZE)


def test_step_capture_rejects_a_value(snap_compare):
    async def typed(pilot):
        await at_check(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("x", "1", "enter")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=typed, terminal_size=SIZE)


def test_step_after_a_note_and_a_link(snap_compare):
    async def linked(pilot):
        await open_mini(pilot)
        await pilot.press("2")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=linked, terminal_size=SIZE)


def test_evidence_collect(snap_compare):
    async def opened(pilot):
        await at_check(pilot)
        await pilot.press("f3")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=opened, terminal_size=SIZE)


def test_evidence_results_with_proposal(snap_compare):
    async def scanned(pilot):
        await at_check(pilot)
        await pilot.press("f3")
        await pilot.pause()
        pilot.app.screen.query_one("#ev-paste", TextArea).text = PASTED
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), run_before=scanned, terminal_size=SIZE)


def test_evidence_scan_from_home(snap_compare):
    async def scanned(pilot):
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        pilot.app.screen.query_one("#ev-paste", TextArea).text = PASTED
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), run_before=scanned, terminal_size=SIZE)


def test_runbook(snap_compare):
    assert snap_compare(make_app(), run_before=at_runbook, terminal_size=SIZE)


def test_runbook_steps(snap_compare):
    async def scrolled(pilot):
        await at_runbook(pilot)
        pilot.app.screen.query_one("#runbook").scroll_to(y=12, animate=False)
        await pilot.pause()

    assert snap_compare(make_app(), run_before=scrolled, terminal_size=SIZE)


def test_runbook_without_colour(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    assert app.no_color
    assert snap_compare(app, run_before=at_runbook, terminal_size=SIZE)


def test_home_in_the_plain_theme(snap_compare):
    app = make_app()

    async def plain(pilot):
        await pilot.pause()
        pilot.app.theme = "wizard-plain"
        await pilot.pause()

    assert snap_compare(app, run_before=plain, terminal_size=SIZE)


def test_tree_map(snap_compare):
    async def mapped(pilot):
        await at_runbook(pilot)
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=mapped, terminal_size=SIZE)


def test_export_dialog(snap_compare):
    async def exporting(pilot):
        await at_runbook(pilot)
        await pilot.press("e")
        await pilot.pause()
        pilot.app.screen.query_one("#export-path", Input).value = "/srv/tickets/runbook.md"
        await pilot.pause()

    assert snap_compare(make_app(), run_before=exporting, terminal_size=SIZE)


def test_help(snap_compare):
    async def helped(pilot):
        await at_check(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=helped, terminal_size=SIZE)


def test_step_at_a_larger_size(snap_compare):
    assert snap_compare(make_app(), run_before=at_check, terminal_size=(120, 36))

