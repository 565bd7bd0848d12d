"""Building the app on fixture trees for Pilot and snapshot tests."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

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


def pilot_test(body):
    """Run an async test body to the end on a fresh event loop (the suite has no asyncio plugin)."""

    @functools.wraps(body)
    def run(*args, **kwargs):
        return asyncio.run(body(*args, **kwargs))

    return run
