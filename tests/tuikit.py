"""Building the app on fixture trees for Pilot and snapshot tests."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from wizard.core.catalog import Catalog, load_catalog
from wizard.tui.app import WizardApp, create_app

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
TUI = FIXTURES / "tui"


def fixture_catalog() -> Catalog:
    catalog = load_catalog([GOOD], include_shipped=False, use_env=False)
    assert not catalog.errors, catalog.errors
    return catalog


def make_app(catalog: Catalog | None = None, **kwargs) -> WizardApp:
    """The app as the command line builds it, on the fixture trees, with a steady cursor and the default theme."""
    app = create_app(catalog=catalog or fixture_catalog(), **kwargs)
    app.cursor_blink = False
    app.theme = "textual-dark"
    return app


def option_ids(option_list) -> list[str | None]:
    return [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]


def option_texts(option_list) -> list[str]:
    return [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


def screen_text(app) -> str:
    """Everything the current screen's Static widgets show, as plain text."""
    from textual.widgets import Static

    parts = []
    for widget in app.screen.query(Static):
        visual = widget.visual
        parts.append(str(visual) if visual is not None else "")
    return "\n".join(parts)


async def press_and_pause(pilot: Pilot, *keys: str) -> None:
    """Press the keys, then let the app handle them before looking at the screen."""
    await pilot.press(*keys)
    await pilot.pause()


async def open_tree(pilot: Pilot, tree_id: str) -> None:
    """From home, open a tree the way an operator would: highlight its entry in the list and press enter."""
    home_list = pilot.app.screen.query_one("#home-list", OptionList)
    home_list.focus()
    home_list.highlighted = option_ids(home_list).index(f"tree:{tree_id}")
    await press_and_pause(pilot, "enter")


async def scan_and_wait(pilot: Pilot) -> None:
    """Start the scan on the evidence screen and wait until its worker has finished and the results are shown."""
    await pilot.press("ctrl+s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def pilot_test(body):
    """Run an async test body to the end on a fresh event loop (the suite has no asyncio plugin)."""

    @functools.wraps(body)
    def run(*args, **kwargs):
        return asyncio.run(body(*args, **kwargs))

    return run
